"""What to do next about an unfinished exercise: start it, ask for a hint, or let watch mode re-check."""

from __future__ import annotations

from collections.abc import Sequence

from graders.i18n import _
from graders.learner import hints
from graders.learner.progress import progress_of
from graders.learner.suggest import again, command
from graders.results import ExerciseResult


def next_steps(
    result: ExerciseResult, watching: bool = False, checked: Sequence[str] = (), exercise: str | None = None
) -> list[str]:
    """The lines that say what to do next; ``checked`` and ``exercise`` are what the check was given,
    for the command that runs it again (watch watches one path: of several, this result's file)."""
    lines = []
    if progress_of(result) == "not started":
        lines.append(_("Open {file}: its docstring is the assignment.").format(file=result.file))
    total, following = hints.count(result.id), hints.upcoming(result.id)
    hint = command("hint", result.id)
    if total == 0:
        pass
    elif following is not None:
        lines.append(
            _("Stuck? `{hint}` shows hint {number} of {total}.").format(hint=hint, number=following, total=total)
        )
    else:
        lines.append(_("You have seen all {total} hints: `{hint}` shows them again.").format(total=total, hint=hint))
    if not watching:
        watched = checked if len(checked) <= 1 else [result.file]
        lines.append(
            _("Save the file and run `{check}` again, or `{watch}` to re-check on every save.").format(
                check=again("check", checked, exercise), watch=again("watch", watched, exercise)
            )
        )
    return lines
