"""Finding a class in what LMSs export: each layout, archives good and bad, duplicates, strays, rosters."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from graders.bulk import sample
from graders.bulk.inputs import Intake, discover, exercise_of
from graders.bulk.roster import apply_roster, read_roster

CODE = b"print('hello')\n"


def write(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def found(intake: Intake) -> dict[str, dict[str, str]]:
    """student key -> exercise id -> the file's name as submitted."""
    return {key: {e: f.name for e, f in s.files.items()} for key, s in intake.students.items()}


def kinds(intake: Intake) -> list[str]:
    return [note.kind for note in intake.notes]


@pytest.mark.parametrize(
    ("name", "exercise"),
    [
        ("ex01_my_model.py", "ex01_my_model"),
        ("ex03_containers-1.py", "ex03_containers"),
        ("ex3_containers.py", "ex03_containers"),
        ("EX05_whatever (2).ipynb", "ex05_activation_recorder"),
        ("containers.py", "ex03_containers"),
        ("module-tree.py", "ex06_module_tree"),
        ("ex01_my_model.txt", None),
        ("notes.py", None),
        ("ex99_nothing.py", None),
    ],
)
def test_files_are_matched_by_number_or_name_whatever_the_lms_appended(name: str, exercise: str | None) -> None:
    assert exercise_of(name) == exercise


def test_a_folder_per_student_at_any_depth(tmp_path: Path) -> None:
    root = write(
        tmp_path / "class",
        {
            "alice/ex01_my_model.py": CODE,
            "alice/work/ex02_init_vs_forward.py": CODE,
            "bob/ex01_my_model.ipynb": json.dumps({"cells": []}).encode(),
            "bob/.DS_Store": b"junk",
            "bob/__pycache__/ex01_my_model.cpython-311.pyc": b"junk",
            "bob/README.md": b"my notes",
        },
    )
    intake = discover(root, tmp_path / "staging")
    assert found(intake) == {
        "alice": {"ex01_my_model": "ex01_my_model.py", "ex02_init_vs_forward": "ex02_init_vs_forward.py"},
        "bob": {"ex01_my_model": "ex01_my_model.ipynb"},
    }
    assert kinds(intake) == ["unknown"] and "bob/README.md" in intake.notes[0].text
    assert intake.students["alice"].files["ex01_my_model"].path == root / "alice" / "ex01_my_model.py"


def test_a_wrapping_folder_is_not_mistaken_for_a_student(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "class.zip", {"submissions/alice/ex01_my_model.py": CODE, "submissions/bob/x.txt": CODE}
    )
    assert set(discover(archive, tmp_path / "staging").students) == {"alice", "bob"}
    one_student = write(tmp_path / "only", {"carol/ex01_my_model.py": CODE})
    assert set(discover(one_student, tmp_path / "staging").students) == {"carol"}


def test_canvas_flat_export_with_late_markers_and_renamed_resubmissions(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "submissions.zip",
        {
            "doejane_1234_556677_ex01_my_model.py": CODE,
            "doejane_1234_556677_ex03_containers-1.py": CODE,
            "smithbob_LATE_987_556680_ex01_my_model.py": CODE,
            "smithbob_late_987_556680_ex02_init_vs_forward.py": CODE,
        },
    )
    intake = discover(archive, tmp_path / "staging")
    assert found(intake) == {
        "1234": {"ex01_my_model": "ex01_my_model.py", "ex03_containers": "ex03_containers-1.py"},
        "987": {"ex01_my_model": "ex01_my_model.py", "ex02_init_vs_forward": "ex02_init_vs_forward.py"},
    }
    assert intake.students["1234"].name == "doejane" and not intake.students["1234"].late
    assert intake.students["987"].late
    staged = intake.students["1234"].files["ex03_containers"].path
    assert staged.read_bytes() == CODE and (tmp_path / "staging") in staged.parents
    assert intake.notes == []


def test_canvas_flat_folder_and_a_class_zip_lying_in_a_folder(tmp_path: Path) -> None:
    flat = write(tmp_path / "flat", {"doejane_1234_556677_ex01_my_model.py": CODE})
    assert found(discover(flat, tmp_path / "staging")) == {"1234": {"ex01_my_model": "ex01_my_model.py"}}
    holder = tmp_path / "holder"
    make_zip(holder / "submissions.zip", {"doejane_1234_556677_ex01_my_model.py": CODE})
    assert found(discover(holder, tmp_path / "staging")) == {"1234": {"ex01_my_model": "ex01_my_model.py"}}


def test_moodle_folder_per_submission_and_flat_names(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "moodle.zip",
        {
            "Jane Doe_4321_assignsubmission_file_/ex01_my_model.py": CODE,
            "Jane Doe_4321_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
            "Bob Smith_4400_assignsubmission_file/ex02_init_vs_forward.ipynb": b"{}",
        },
    )
    intake = discover(archive, tmp_path / "staging")
    assert found(intake) == {
        "4321": {"ex01_my_model": "ex01_my_model.py"},
        "4400": {"ex02_init_vs_forward": "ex02_init_vs_forward.ipynb"},
    }
    assert intake.students["4321"].name == "Jane Doe"
    assert kinds(intake) == ["unknown"] and "onlinetext.html" in intake.notes[0].text
    flat = write(tmp_path / "flat", {"Jane Doe_4321_assignsubmission_file_ex01_my_model.py": CODE})
    assert found(discover(flat, tmp_path / "staging")) == {"4321": {"ex01_my_model": "ex01_my_model.py"}}


def test_a_students_own_zip_is_opened_and_a_corrupt_one_is_noted(tmp_path: Path) -> None:
    inner = make_zip(tmp_path / "inner.zip", {"exercises/ex01_my_model.py": CODE, "__MACOSX/._ex01": b"junk"})
    root = write(
        tmp_path / "class",
        {
            "doejane_1234_556677_work.zip": inner.read_bytes(),
            "smithbob_987_556680_work.zip": b"PK\x03\x04 cut short",
            "smithbob_987_556680_ex02_init_vs_forward.py": CODE,
        },
    )
    intake = discover(root, tmp_path / "staging")
    assert found(intake) == {
        "1234": {"ex01_my_model": "ex01_my_model.py"},
        "987": {"ex02_init_vs_forward": "ex02_init_vs_forward.py"},
    }
    assert kinds(intake) == ["archive"]
    assert "smithbob_987_556680_work.zip: not a readable .zip archive" in intake.notes[0].text


def test_an_unreadable_class_archive_is_a_note_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "submissions.zip"
    broken.write_bytes(b"this is not a zip file at all")
    intake = discover(broken, tmp_path / "staging")
    assert intake.students == {} and kinds(intake) == ["archive"]


def test_archive_paths_cannot_escape_the_staging_folder(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "evil.zip", {"alice/../../../../ex01_my_model.py": CODE, "/abs/bob/ex01_my_model.py": CODE}
    )
    intake = discover(archive, tmp_path / "staging")
    for student in intake.students.values():
        for file in student.files.values():
            assert (tmp_path / "staging") in file.path.resolve().parents
    assert not (tmp_path / "ex01_my_model.py").exists()


def test_duplicates_keep_the_latest_revision_and_are_noted(tmp_path: Path) -> None:
    root = write(
        tmp_path / "class",
        {
            "alice/ex03_containers.py": b"first",
            "alice/ex03_containers-2.py": b"latest",
            "alice/ex03_containers-1.py": b"second",
            "bob/ex01_my_model.ipynb": b"{}",
            "bob/ex01_my_model.py": CODE,
        },
    )
    intake = discover(root, tmp_path / "staging")
    assert intake.students["alice"].files["ex03_containers"].path.read_bytes() == b"latest"
    assert intake.students["bob"].files["ex01_my_model"].name == "ex01_my_model.py"
    assert kinds(intake) == ["duplicate", "duplicate"]
    assert "3 files for ex03_containers" in intake.notes[0].text


def test_files_whose_owner_is_unknown_are_noted(tmp_path: Path) -> None:
    root = write(tmp_path / "class", {"alice/ex01_my_model.py": CODE, "ex02_init_vs_forward.py": CODE})
    intake = discover(root, tmp_path / "staging")
    assert set(intake.students) == {"alice"}
    assert kinds(intake) == ["unknown"] and "cannot tell whose file" in intake.notes[0].text


def test_a_canvas_roster_matches_export_names_and_adds_absent_students(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "submissions.zip",
        {
            "doejane_1234_556677_ex01_my_model.py": CODE,  # matched by the roster's ID
            "smithbob_999_556680_ex01_my_model.py": CODE,  # matched by name only
            "stranger_555_556690_ex01_my_model.py": CODE,  # on no roster
        },
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student,ID,SIS Login ID,Section\n"
        "    Points Possible,,,\n"
        '"Doe, Jane",1234,jdoe,A\n'
        '"Smith, Bob",2000,bsmith,A\n'
        '"Absent, Anna",3000,aabsent,A\n'
    )
    intake = discover(archive, tmp_path / "staging")
    apply_roster(intake, read_roster(roster))
    assert found(intake) == {
        "1234": {"ex01_my_model": "ex01_my_model.py"},
        "2000": {"ex01_my_model": "ex01_my_model.py"},
        "3000": {},
        "555": {"ex01_my_model": "ex01_my_model.py"},
    }
    assert intake.students["2000"].name == "Smith, Bob"
    assert [n.kind for n in intake.notes] == ["roster"] and "555 (stranger) is not on the roster" in intake.notes[
        0
    ].text


def test_a_moodle_roster_by_email_and_participant(tmp_path: Path) -> None:
    root = write(
        tmp_path / "class", {"Jane Doe_4321_assignsubmission_file_/ex01_my_model.py": CODE, "jdoe2/x.py": CODE}
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Identifier,Full name,Email address\n"
        "Participant 4321,Jane Doe,jane@uni.edu\n"
        "Participant 77,Jo Doe,jdoe2@uni.edu\n"
    )
    intake = discover(root, tmp_path / "staging")
    apply_roster(intake, read_roster(roster))
    assert set(intake.students) == {"Participant 4321", "Participant 77"}
    assert intake.students["Participant 4321"].files


def test_the_sample_class_is_the_same_every_time(tmp_path: Path) -> None:
    first = sample.write_sample_class(tmp_path / "a" / "sample-class.zip")
    second = sample.write_sample_class(tmp_path / "b" / "sample-class.zip")
    assert first.read_bytes() == second.read_bytes()
    assert sample.sample_roster(first).read_text() == sample.sample_roster(second).read_text()
    intake = discover(first, tmp_path / "staging")
    assert len(intake.students) >= 30
    assert sorted(set(kinds(intake))) == ["archive", "duplicate", "unknown"]
    assert any(s.late for s in intake.students.values())
    assert any(f.name.endswith(".ipynb") for s in intake.students.values() for f in s.files.values())


def test_a_semicolon_roster_and_a_bare_list_of_ids(tmp_path: Path) -> None:
    root = write(tmp_path / "class", {"alice/ex01_my_model.py": CODE})
    european = tmp_path / "european.csv"
    european.write_text("Name;E-mail;Username\nAlice Liddell;alice@uni.edu;alice\nBob Brown;bob@uni.edu;bob\n")
    bare = tmp_path / "bare.csv"
    bare.write_text("alice\nbob\ncarol\n")
    for roster, expected in ((european, {"alice", "bob"}), (bare, {"alice", "bob", "carol"})):
        intake = discover(root, tmp_path / "staging")
        apply_roster(intake, read_roster(roster))
        assert set(intake.students) == expected, roster
        assert intake.students["alice"].files and intake.notes == []


def test_an_output_folder_inside_the_submissions_is_not_read_as_a_student(tmp_path: Path) -> None:
    root = write(tmp_path / "class", {"alice/ex01_my_model.py": CODE, "grades/students/x/feedback.md": b"#"})
    intake = discover(root, root / "grades" / ".inputs", exclude=root / "grades")
    assert set(intake.students) == {"alice"} and intake.notes == []
