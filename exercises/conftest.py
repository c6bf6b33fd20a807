"""Lets pytest (and the test panels of VS Code and PyCharm) run the checks of these exercises:
``python -m pytest exercises/`` shows one item per check. See graders/learner/pytest_plugin.py."""

import sys
from pathlib import Path

try:
    import graders  # noqa: F401
except ImportError:  # pytest started from elsewhere: the repository is the folder above
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graders.learner.pytest_plugin import (  # noqa: F401
    pytest_collect_file,
    pytest_configure,
    pytest_pycollect_makemodule,
    pytest_sessionfinish,
    pytest_terminal_summary,
)
