"""The files an LMS imports as they are, made from the roster it exported: Canvas's gradebook import
and Moodle's grading worksheet and feedback-files zip, read back here the way each LMS reads them.

The fixtures are in the LMSs' formats. Canvas's gradebook export: the identity columns Student, ID,
SIS User ID, SIS Login ID, Section, then one column per assignment titled "Name (id)" and Canvas's
own read-only totals, a "Points Possible" row, and the course's Test Student. Canvas's importer
(instructure/canvas-lms, app/models/gradebook_importer.rb) needs the header to start with Student
and ID and its identity columns to end with Section, takes a "Points Possible" row, and finds an
assignment by the id in its title. Moodle's grading worksheet ("Download grading worksheet"):
Identifier "Participant N", Full name, Email address, Status, Grade, Maximum Grade, Grade can be
changed, Last modified (submission), Last modified (grade), Feedback comments; its importer
(mod/assign/feedback/offline) finds the Identifier, Grade and Last modified (grade) columns by
title, strips "Participant " from the identifier, and skips a grade above the maximum. Its
feedback-files upload (mod/assign/feedback/file/importziplib.php) splits each folder name at
underscores: full name, participant number, plugin type, plugin name.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from classes import EX01, result

from graders import registry
from graders.bulk import lms
from graders.bulk.results import ClassResults, StudentResults
from graders.bulk.roster import read_roster

CANVAS_EXPORT = """\
Student,ID,SIS User ID,SIS Login ID,Section,Lab 1 (70011),forwardpass lab (70012),Current Points,Final Points,\
Current Score,Unposted Current Score,Final Score,Unposted Final Score
    Points Possible,,,,,10.00,50.00,(read only),(read only),(read only),(read only),(read only),(read only)
"Doe, Jane",1234,S0001,jdoe,Lecture A,8.00,,8.00,8.00,80.00,80.00,13.33,13.33
"Smith, Bob",2000,S0002,bsmith,Lecture A and Lecture B,,,0.00,0.00,,,0.00,0.00
"Student, Test",9999,,e0f2a7b64c2d4a1f9c7d5e3b2a1f0e9d,Lecture A,,,0.00,0.00,,,0.00,0.00
"""
MOODLE_WORKSHEET = """\
Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,Last modified (submission),\
Last modified (grade),Feedback comments
Participant 4321,Jane Doe,jane@uni.edu,Submitted for grading,,10.00,Yes,"Monday, 3 March 2025, 10:15 AM",-,
Participant 4322,Ann O_Neil,ann@uni.edu,Submitted for grading,,10.00,Yes,"Monday, 3 March 2025, 11:02 AM",\
"Tuesday, 4 March 2025, 9:00 AM","<p>Seen in the lab.</p>
<p>A second line.</p>"
Participant 4323,Bob Smith,bob@uni.edu,No submission,,10.00,Yes,-,-,
"""


def graded(scores: dict[str, tuple[str, tuple[str, ...]]], tests: tuple[str, ...] = ()) -> ClassResults:
    """A class of ex01 alone: per student key, their name and the checks they failed."""
    students = [
        StudentResults(key, name, key, False, {EX01: result(EX01, failing)}, frozenset(), test=key in tests)
        for key, (name, failing) in scores.items()
    ]
    return ClassResults("class.zip", (registry.get(EX01),), students, include_hidden=True)


def canvas_reads(text: str) -> tuple[list[str], dict[str, str], dict[str, dict[str, str]]]:
    """What Canvas's gradebook importer reads: the assignments, their points, each ID's grades."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert len(header) > 3 and re.search("Student", header[0]) and re.search("ID", header[1]), header
    identity = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        identity += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        identity += 2
    assert re.search("Section", header[identity - 1]), "the identity columns must end with Section"
    assignments = header[identity:]
    while assignments and re.search("Current|Final", assignments[-1]):
        assignments.pop()
    points, grades = {}, {}
    for row in rows:
        if re.search("Points Possible", row[0]):
            points = dict(zip(assignments, row[identity:], strict=False))
        elif not all(cell.strip() in ("", "Muted") for cell in row):
            grades[row[1]] = dict(zip(assignments, row[identity:], strict=False))
    return assignments, points, grades


def moodle_reads(text: str) -> dict[str, dict[str, str]]:
    """What Moodle's worksheet upload reads: per participant number, the grade and its comments."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    for title in ("Identifier", "Grade", "Last modified (grade)"):
        assert title in header, title
    found = {}
    for row in rows:
        record = dict(zip(header, row, strict=True))
        participant = record["Identifier"][len("Participant ") :]
        if record["Grade"]:  # an empty grade is skipped
            assert float(record["Grade"].replace(",", ".")) <= float(record["Maximum Grade"].replace(",", "."))
        found[participant] = record
    return found


def moodle_reads_zip(files: dict[str, bytes]) -> dict[str, tuple[str, str, bytes]]:
    """What Moodle's feedback-files upload reads: per participant number, the plugin and the file."""
    found = {}
    for name, data in files.items():
        parts = name.split("/")
        for index, part in enumerate(parts):
            info = part.split("_", 4)
            if len(info) >= 4 and info[1].isdigit():
                rest = "/".join([info[4] if len(info) > 4 else "", *parts[index + 1 :]]).strip("/")
                found[info[1]] = (f"{info[2]}_{info[3]}", rest, data)
                break
    return found


def test_canvas_gets_its_identity_columns_as_exported_and_the_named_assignment(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(CANVAS_EXPORT)
    roster = read_roster(tmp_path / "roster.csv")
    assert lms.lms_of(roster) == "canvas"
    grades = graded({"1234": ("Doe, Jane", ("conv2",)), "2000": ("Smith, Bob", ()), "9999": ("Student, Test", ())})
    maximum = grades.max_score
    text = lms.canvas_import(grades, roster, lms.CanvasColumn("forwardpass lab"))
    assignments, points, by_id = canvas_reads(text)
    assert assignments == ["forwardpass lab (70012)"] and points == {"forwardpass lab (70012)": "50"}
    jane = 50 * (maximum - 1) / maximum
    assert by_id["1234"] == {"forwardpass lab (70012)": lms.number(jane)} and by_id["2000"]["forwardpass lab (70012)"]
    exported = {row[1]: row[:5] for row in csv.reader(io.StringIO(CANVAS_EXPORT))}
    for row in list(csv.reader(io.StringIO(text)))[2:]:
        assert row[:5] == exported[row[1]]  # Student, ID, SIS User ID, SIS Login ID, Section, as exported
    assert set(by_id) == {"1234", "2000", "9999"}  # the Test Student is graded too


def test_canvas_without_a_named_assignment_gets_a_new_one_at_the_points_given(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(CANVAS_EXPORT)
    roster = read_roster(tmp_path / "roster.csv")
    grades = graded({"1234": ("Doe, Jane", ())})
    assignments, points, by_id = canvas_reads(lms.canvas_import(grades, roster, lms.CanvasColumn()))
    assert assignments == [lms.DEFAULT_ASSIGNMENT] and points[lms.DEFAULT_ASSIGNMENT] == lms.number(grades.max_score)
    assignments, points, by_id = canvas_reads(lms.canvas_import(grades, roster, lms.CanvasColumn("Lab 1", 20)))
    assert (
        assignments == ["Lab 1 (70011)"] and points["Lab 1 (70011)"] == "20" and by_id["1234"]["Lab 1 (70011)"] == "20"
    )
    assert list(by_id) == ["1234"]  # rows no one was graded for are left out


@pytest.mark.parametrize("decimal", [".", ","])
def test_moodle_gets_its_worksheet_back_with_grades_and_plain_comments(tmp_path: Path, decimal: str) -> None:
    exported_text = MOODLE_WORKSHEET.replace("10.00", "10.00" if decimal == "." else '"10,00"')  # as Moodle quotes it
    (tmp_path / "worksheet.csv").write_text(exported_text)
    roster = read_roster(tmp_path / "worksheet.csv")
    assert lms.lms_of(roster) == "moodle"
    grades = graded({"Participant 4321": ("Jane Doe", ("conv2", "gradients")), "Participant 4322": ("Ann O_Neil", ())})
    text = lms.moodle_worksheet(grades, roster)
    read = moodle_reads(text)
    jane = 10 * (grades.max_score - 3) / grades.max_score
    assert read["4321"]["Grade"] == f"{jane:.2f}".replace(".", decimal) and read["4322"]["Grade"] == f"10{decimal}00"
    assert read["4323"]["Grade"] == ""  # no one graded: as exported
    exported = list(csv.reader(io.StringIO(exported_text)))
    written = list(csv.reader(io.StringIO(text)))
    assert written[0] == exported[0] and len(written) == len(exported)
    for before, after in zip(exported[1:], written[1:], strict=True):
        unchanged = [i for i, title in enumerate(exported[0]) if title not in ("Grade", "Feedback comments")]
        assert [after[i] for i in unchanged] == [before[i] for i in unchanged]
    comment = read["4321"]["Feedback comments"]
    assert comment.startswith("Total 9/12.") and "ex01_my_model: 9/12 (failed)" in comment
    assert "<" not in comment and "\n" not in comment and "feedback.md" in comment


def test_moodle_feedback_files_sit_in_the_folders_its_upload_reads(tmp_path: Path) -> None:
    (tmp_path / "worksheet.csv").write_text(MOODLE_WORKSHEET)
    roster = read_roster(tmp_path / "worksheet.csv")
    grades = graded({"Participant 4321": ("Jane Doe", ()), "Participant 4322": ("Ann O_Neil", ())})
    feedback = {"Participant 4321": "# Feedback for Jane Doe\n", "Participant 4322": "# Feedback for Ann\n"}
    files = lms.moodle_feedback_files(grades, roster, feedback)
    assert set(files) == {
        "Jane Doe_4321_assignsubmission_file_/feedback.md",
        "Ann O Neil_4322_assignsubmission_file_/feedback.md",  # an underscore would split the name
    }
    read = moodle_reads_zip(files)
    assert read["4321"] == ("assignsubmission_file", "feedback.md", b"# Feedback for Jane Doe\n")
    assert read["4322"][2] == b"# Feedback for Ann\n"


def test_only_an_lms_export_gives_lms_files(tmp_path: Path) -> None:
    (tmp_path / "plain.csv").write_text("id,name\nalice,Alice\n")
    assert lms.lms_of(read_roster(tmp_path / "plain.csv")) is None


def test_canvas_test_student_and_a_row_marked_as_test_user_are_test_users(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(CANVAS_EXPORT)
    assert {p.key: p.test for p in read_roster(tmp_path / "roster.csv").people} == {
        "1234": False,
        "2000": False,
        "9999": True,
    }
    (tmp_path / "marked.csv").write_text("id,name,Test user\nalice,Alice,\nta,TA's trial,yes\n")
    assert {p.key: p.test for p in read_roster(tmp_path / "marked.csv").people} == {"alice": False, "ta": True}


# -- through `python -m graders grade`, as a TA runs it ------------------------------------------


def grade(root: Path, roster: str, *options: str) -> subprocess.CompletedProcess[str]:
    (root / "roster.csv").write_text(roster)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(registry.ROOT), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "graders", "grade", str(root / "class"), "--out", str(root / "out")]
    command += ["--roster", str(root / "roster.csv"), "--timeout", "30", "--limit", "cpu=8", *options]
    command.append("--seed-not-secret")  # the hidden checks too, with the public seed: no course grades here
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run


def exercise_file(kind: str) -> bytes:
    exercise_id = "ex02_init_vs_forward"
    if kind == "solution":
        return (registry.SOLUTIONS / f"{exercise_id}.py").read_bytes()
    return (registry.ROOT / "tests" / "submissions" / exercise_id / f"{kind}.py").read_bytes()


def test_a_canvas_class_graded_with_its_export_gets_canvas_import_and_a_test_student_counted_nowhere(
    tmp_path: Path,
) -> None:
    files = {
        "doejane_1234_556677_ex02_init_vs_forward.py": exercise_file("solution"),
        "smithbob_2000_556680_ex02_init_vs_forward.py": exercise_file("wrong_no_relu"),
        "studenttest_9999_556690_ex02_init_vs_forward.py": b"def oops(:\n",
    }
    (tmp_path / "class").mkdir()
    for name, data in files.items():
        (tmp_path / "class" / name).write_bytes(data)
    run = grade(tmp_path, CANVAS_EXPORT, "--canvas-assignment", "forwardpass lab")
    assert "canvas-import.csv" in run.stdout and "Test users, graded but counted in no statistic" in run.stdout
    _, points, by_id = canvas_reads((tmp_path / "out" / "canvas-import.csv").read_text())
    assert points == {"forwardpass lab (70012)": "50"}
    assert by_id["1234"]["forwardpass lab (70012)"] == "50" and float(by_id["2000"]["forwardpass lab (70012)"]) < 50
    assert by_id["9999"]["forwardpass lab (70012)"] == "0"
    report = (tmp_path / "out" / "report.html").read_text()
    assert "<b>2</b>students" in report and "<b>0</b>could not be graded" in report  # the crash was the Test Student's
    assert "test user, counted nowhere" in report


def test_a_moodle_class_graded_with_its_worksheet_gets_it_back_and_feedback_files(tmp_path: Path) -> None:
    folders = {
        "Jane Doe_4321_assignsubmission_file_": exercise_file("solution"),
        "Ann O Neil_4322_assignsubmission_file_": exercise_file("wrong_no_relu"),
    }
    for folder, data in folders.items():
        (tmp_path / "class" / folder).mkdir(parents=True)
        (tmp_path / "class" / folder / "ex02_init_vs_forward.py").write_bytes(data)
    grade(tmp_path, MOODLE_WORKSHEET)
    read = moodle_reads((tmp_path / "out" / "moodle-grading-worksheet.csv").read_text())
    assert (
        read["4321"]["Grade"] == "10.00" and 0 < float(read["4322"]["Grade"]) < 10 and read["4323"]["Grade"] == "0.00"
    )
    with zipfile.ZipFile(tmp_path / "out" / "moodle-feedback-files.zip") as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    read_zip = moodle_reads_zip(files)
    assert set(read_zip) == {"4321", "4322", "4323"}
    ann = (tmp_path / "out" / "students").glob("*4322*/feedback.md")
    assert read_zip["4322"][2] == next(ann).read_bytes()
