"""What to do next about an unfinished exercise: start it, ask for a hint, or let watch mode re-check."""

from __future__ import annotations

from collections.abc import Sequence

from graders.course import HintPolicy
from graders.i18n import _
from graders.learner import hints
from graders.learner.progress import progress_of
from graders.learner.suggest import again, command
from graders.results import ExerciseResult


def hint_steps(exercise_id: str, policy: HintPolicy) -> list[str]:
    """What ``hint`` gives now: the next of every hint, or the one the course's policy gives."""
    hint = command("hint", exercise_id)
    if policy != "all":
        if not hints.given(exercise_id, policy):
            return []
        return [_("Stuck? `{hint}` shows your course's hint for the check that failed first.").format(hint=hint)]
    total, following = hints.count(exercise_id), hints.upcoming(exercise_id)
    if total == 0:
        return []
    if following is not None:
        return [_("Stuck? `{hint}` shows hint {number} of {total}.").format(hint=hint, number=following, total=total)]
    return [_("You have seen all {total} hints: `{hint}` shows them again.").format(total=total, hint=hint)]


def next_steps(
    result: ExerciseResult,
    watching: bool = False,
    checked: Sequence[str] = (),
    exercise: str | None = None,
    policy: HintPolicy = "all",
) -> list[str]:
    """The lines that say what to do next; ``checked`` and ``exercise`` are what the check was given,
    for the command that runs it again (watch watches one path: of several, this result's file);
    ``policy`` is the course's hint policy."""
    lines = []
    if progress_of(result) == "not started":
        lines.append(_("Open {file}: its docstring is the assignment.").format(file=result.file))
    lines += hint_steps(result.id, policy)
    if not watching:
        watched = checked if len(checked) <= 1 else [result.file]
        lines.append(
            _("Save the file and run `{check}` again, or `{watch}` to re-check on every save.").format(
                check=again("check", checked, exercise), watch=again("watch", watched, exercise)
            )
        )
    return lines
