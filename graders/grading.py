"""Grading, end to end: submissions in, judged results out.

The pipeline, stage by stage:

1. read each submission into Python source (``sources``);
2. make sure the reference's observations exist for each exercise (``reference``);
3. run each (submission, exercise) in its own sandboxed child (``engine``);
4. judge the student's observations against the reference's (``judge``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

import torch

from graders import i18n, reference
from graders.engine.client import Engine
from graders.i18n import N_, _
from graders.judge import judge
from graders.options import Options
from graders.results import ExerciseResult
from graders.sources import Source, Submission, UnreadableSubmission, read_source

EMPTY_FILE = N_("Your file is empty: there is no code in it to grade.")
EMPTY_NOTEBOOK = N_("Your notebook has no code to grade: its code cells are empty.")


def grade_iter(
    submissions: Sequence[Submission], engine: Engine, options: Options
) -> Iterator[tuple[int, ExerciseResult]]:
    """Results as they complete, each with the index of its submission."""
    # Judging compares small tensors, where one thread is fastest; torch's default pool would
    # spin against the workers for the same cores.
    torch.set_num_threads(1)
    references = reference.references((s.exercise for s in submissions), options.secret_seed)
    jobs, by_job, notebooks = [], {}, {}
    for index, submission in enumerate(submissions):
        exercise = submission.exercise
        problem = references[exercise.id]
        if isinstance(problem, reference.ReferenceFailed):
            print(f"forwardpass: {problem}", file=sys.stderr)
            message = _("The grader's reference for this exercise failed to run (a grader problem; tell your TA).")
            yield index, judge(exercise, submission.label, None, None, options.include_hidden, options.limits, message)
            continue
        try:
            source = read_source(submission.path)
        except UnreadableSubmission as error:
            message, hidden = _("Your file could not be graded: {error}.").format(error=error), options.include_hidden
            yield index, judge(exercise, submission.label, None, None, hidden, options.limits, message, cause="import")
            continue
        if not source.code.strip():  # nothing to run: a worker would only find that it defines no name
            empty = EMPTY_NOTEBOOK if submission.path.suffix.lower() == ".ipynb" else EMPTY_FILE
            message, hidden = _(empty), options.include_hidden
            yield index, judge(exercise, submission.label, None, None, hidden, options.limits, message, cause="missing")
            continue
        job = engine.job(
            exercise.id,
            source.code,
            submission.path.name,
            hidden=options.include_hidden,
            secret_seed=options.secret_seed,
            limits=options.limits,
            speech=i18n.speech(),
        )
        jobs.append(job)
        by_job[job.id] = index
        if source.cells:
            notebooks[job.id] = Source(b"", source.cells)  # to name cells in error messages
    for outcome in engine.run(jobs):
        index = by_job[outcome.job.id]
        submission = submissions[index]
        exercise = submission.exercise
        if outcome.observations is not None and outcome.job.id in notebooks:
            notebooks.pop(outcome.job.id).locate(outcome.observations.errors)
        yield (
            index,
            judge(
                exercise,
                submission.label,
                outcome,
                references[exercise.id],
                options.include_hidden,
                options.limits,
            ),
        )


def grade(submissions: Sequence[Submission], engine: Engine, options: Options) -> list[ExerciseResult]:
    """Results in the order of ``submissions``."""
    results: list[ExerciseResult | None] = [None] * len(submissions)
    for index, result in grade_iter(submissions, engine, options):
        results[index] = result
    return results  # type: ignore[return-value]
