"""What a student may read of a result, in files handed back to them (feedback, Gradescope).

A hidden check says only its title and whether it passed: its message could name the inputs a
course keeps secret or the reference's values on them. Nothing the submission printed is shown
either: a student could print a hidden input and read it back in their feedback.
"""

from __future__ import annotations

from graders.i18n import N_, _
from graders.results import CheckResult, ExerciseResult

HIDDEN = N_("A hidden check: it runs your code on inputs your course keeps secret, so its details are not shown.")
HIDDEN_AFTER_PUBLIC = N_(
    " Your code passes this exercise's public checks but not this one: make sure it works for any input, "
    "without depending on the public input's shape or values."
)


def check_message(result: ExerciseResult, check: CheckResult) -> str:
    """The sentence a student reads for ``check``: why it failed, or what it verified."""
    if result.error is not None:
        return result.error  # could not be graded: the same reason for every check, never hidden data
    if check.visibility == "hidden":
        public_passed = all(c.passed for c in result.checks if c.visibility == "public")
        return _(HIDDEN) + (_(HIDDEN_AFTER_PUBLIC) if public_passed and not check.passed else "")
    return check.message
