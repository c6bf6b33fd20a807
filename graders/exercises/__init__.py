"""One grader spec per exercise; the registry finds them here."""
