"""The self-learner's loop around ``check``: progress, hints, watch mode, reset, solutions, and the
checks as pytest items for an IDE's test panel."""
