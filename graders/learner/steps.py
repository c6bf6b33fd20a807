"""What to do next about an unfinished exercise: start it, ask for a hint, or let watch mode re-check."""

from __future__ import annotations

from pathlib import Path

from graders.learner import hints
from graders.learner.progress import progress_of
from graders.learner.suggest import command
from graders.results import ExerciseResult


def next_steps(result: ExerciseResult, watching: bool = False) -> list[str]:
    lines = []
    if progress_of(result) == "not started":
        lines.append(f"Open {result.file}: its docstring is the assignment.")
    total, following = hints.count(result.id), hints.upcoming(result.id)
    hint = command("hint", result.id)
    if total == 0:
        pass
    elif following is not None:
        lines.append(f"Stuck? `{hint}` shows hint {following} of {total}.")
    else:
        lines.append(f"You have seen all {total} hints: `{hint}` shows them again.")
    if not watching:
        folder = Path(result.file).parent
        lines.append(
            f"Save the file and run `{command('check', folder=folder)}` again, or "
            f"`{command('watch', folder=folder)}` to re-check on every save."
        )
    return lines
