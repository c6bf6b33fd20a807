"""One module per subcommand of ``python -m graders``.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``;
``graders/cli.py`` lists them. A new command is a new module and one line there.
"""

from graders import registry

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """The command was used wrongly; the message says how to use it rightly."""


def exercise_named(name: str) -> str:
    """The id ``name`` refers to (an id, ``ex05``, ``05``, ``5`` or a file named after one);
    a usage error that lists the exercises otherwise."""
    text = name.strip()
    if text.isdigit():
        text = f"ex{int(text):02d}"
    found = registry.lookup(text)
    if found is None:
        raise UsageError(f"unknown exercise {name!r}; the exercises are: {', '.join(registry.ids())}")
    return found
