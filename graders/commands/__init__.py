"""One module per subcommand of ``python -m graders``.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``;
``graders/cli.py`` lists them. A new command is a new module and one line there.
"""

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was used wrongly; the message says how to use it rightly."""
