"""nbgrader against forwardpass: the same generated class, as notebooks, graded by both in one run.

The class (``graders.bulk.sample.generate``) becomes what students hand in through nbgrader: each
file's code in the first answer cell of its exercise's released notebook (the course ``make
nbgrader`` builds, released by the real ``nbgrader generate_assignment``). Printed:

- forwardpass's cost per (submission, exercise): ``grade_class`` over every notebook of the class;
- nbgrader's: ``nbgrader autograde`` with the course's configuration (a Jupyter kernel runs each
  notebook, whose grading cell runs forwardpass once; forwardpass then regrades it outside the
  kernel) over an even sample of the notebooks, because each costs seconds;
- their ratio (target: forwardpass at least 50× faster), and each sampled notebook's points from
  both, which must be equal.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import nbformat

from graders import registry
from graders.bench.bulk import evenly
from graders.bulk.run import Settings, grade_class
from graders.bulk.sample import generate
from graders.notebooks.course import write_course
from graders.notebooks.filling import submit, with_code
from graders.notebooks.nbgrader_cli import nbgrader
from graders.service import client

STUDENTS = 20
NBGRADER_SAMPLE = 6
TARGET_RATIO = 50


def gradebook_scores(course: Path, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            (student, exercise): gradebook.find_submission_notebook(exercise, exercise, student).score
            for student, exercise in pairs
        }


def run_nbgrader(course: Path, *args: str) -> float:
    """Seconds that ``nbgrader ARGS`` took; its log is shown if it failed."""
    started = time.monotonic()
    done = nbgrader(course, *args)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def main() -> None:
    jobs = os.cpu_count() or 1
    students = generate(STUDENTS)
    print(f"nbgrader: {STUDENTS} generated students' notebooks × {len(registry.ids())} exercises, {jobs} cores")
    with tempfile.TemporaryDirectory(prefix="forwardpass-bench-nbgrader-") as scratch:
        root = Path(scratch)
        course = root / "course"
        write_course(course, registry.ids())
        seconds = run_nbgrader(course, "generate_assignment", "*")
        print(f"  nbgrader generate_assignment, every exercise (set-up, not counted): {seconds:.1f} s")
        release = {
            exercise_id: nbformat.read(course / "release" / exercise_id / f"{exercise_id}.ipynb", as_version=4)
            for exercise_id in registry.ids()
        }
        pairs = []  # (student, exercise id, notebook)
        for student in students:
            for name, source in student.files:
                exercise_id = Path(name).stem
                notebook = with_code(release[exercise_id], source.decode())
                path = root / "class" / student.canvas_name / f"{exercise_id}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(notebook, path)
                pairs.append((student.canvas_name, exercise_id, notebook))

        started = time.monotonic()
        results = grade_class(root / "class", root / "out", Settings(similarity=None))  # grading alone
        ours = (time.monotonic() - started) / len(pairs)
        print(
            f"  forwardpass, every notebook ({len(pairs)} pairs): {ours * len(pairs):.1f} s, "
            f"{1000 * ours:.0f} ms per (submission, exercise)"
        )
        scores = {(s.key, exercise_id): r.score for s in results.students for exercise_id, r in s.results.items()}

        sample = evenly(sorted(pairs, key=lambda pair: pair[1]), NBGRADER_SAMPLE)  # across the exercises
        for student, exercise_id, notebook in sample:
            submit(notebook, course, student, exercise_id)
        running = client.status() is not None
        theirs = run_nbgrader(course, "autograde", "*") / len(sample)
        if not running:  # the kernels' checks started the checkout's warm engine service: not left behind
            client.stop()
        print(
            f"  nbgrader autograde, {len(sample)} of the notebooks (a sample: each costs seconds): "
            f"{theirs * len(sample):.1f} s, {1000 * theirs:.0f} ms per (submission, exercise)"
        )
        keys = [(student, exercise_id) for student, exercise_id, _ in sample]
        agreed = 0
        for (student, exercise_id), points in gradebook_scores(course, keys).items():
            same = points == scores.get((student, exercise_id))
            agreed += same
            print(
                f"    {student:<16} {exercise_id:<26} nbgrader {points:5.1f}  "
                f"forwardpass {scores.get((student, exercise_id), float('nan')):5.1f}{'' if same else '  DIFFERENT'}"
            )
        print(f"  the same points for {agreed} of {len(sample)} sampled notebooks")
        ratio = theirs / ours
        print(f"  forwardpass is {ratio:.0f}× faster than nbgrader autograde (target: at least {TARGET_RATIO}×)")
