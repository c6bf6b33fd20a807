"""Finding a class in what LMSs export: each layout, archives good and bad, duplicates, strays, rosters."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from graders.bulk import inputs, sample
from graders.bulk.inputs import Intake, discover
from graders.bulk.roster import apply_roster, read_roster
from graders.matching import by_name

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
    assert by_name(name) == exercise


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
    assert intake.notes[0].text.startswith(
        "alice handed in 3 files for ex03_containers: graded class/alice/ex03_containers-2.py (the latest revision"
    )
    assert intake.notes[0].text.endswith("not graded: class/alice/ex03_containers-1.py, class/alice/ex03_containers.py")


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_a_canvas_upload_named_like_moodle_cannot_take_another_students_file(tmp_path: Path, packed: bool) -> None:
    """Only the LMS's fields say whose a file is: the part a student named is theirs alone."""
    files = {
        "victimvic_9999_1001_ex01_my_model.py": b"the victim's own",
        "doejane_1234_1002_ex02_init_vs_forward.py": CODE,
        "attackeramy_1111_1003_x_9999_assignsubmission_file_ex01_my_model-99.py": b"the attacker's",
        "attackeramy_1111_1003_ex01_my_model-2.py": b"the attacker's ex01",
    }
    root = make_zip(tmp_path / "canvas.zip", files) if packed else write(tmp_path / "canvas", files)
    intake = discover(root, tmp_path / "staging")
    assert set(intake.students) == {"9999", "1234", "1111"}
    assert intake.students["9999"].files["ex01_my_model"].path.read_bytes() == b"the victim's own"
    assert intake.students["1111"].name == "attackeramy"
    assert intake.students["1111"].files["ex01_my_model"].path.read_bytes() == b"the attacker's ex01"
    assert kinds(intake) == ["unknown"] and "x_9999_assignsubmission_file_ex01_my_model-99.py" in intake.notes[0].text


def test_a_moodle_export_is_read_as_moodle_whatever_one_name_looks_like(tmp_path: Path) -> None:
    root = write(
        tmp_path / "moodle",
        {
            "Jane Doe_4321_assignsubmission_file_ex01_my_model.py": b"jane's",
            "Bob_5_6_4400_assignsubmission_file_ex01_my_model.py": b"bob's",  # a name that reads as Canvas's
        },
    )
    assert found(discover(root, tmp_path / "staging")) == {
        "4321": {"ex01_my_model": "ex01_my_model.py"},
        "4400": {"ex01_my_model": "ex01_my_model.py"},
    }


def bomb(path: Path, members: int, size: int, first: int = 1) -> Path:
    """A small zip that expands to ``members`` exercise files of ``size`` bytes each, from ex``first``."""
    return make_zip(path, {f"ex{first + n:02d}_file.py": b"#" * size for n in range(members)})


def test_what_one_students_archives_expand_to_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_STUDENT_BYTES", 5 << 20)
    root = tmp_path / "class"
    for n in range(3):  # three archives of 4 files of 1 MiB each: 12 MiB for one student
        bomb(root / "mallory" / f"work{n}.zip", 4, 1 << 20, first=4 * n + 1)
    bomb(root / "alice" / "work.zip", 2, 1 << 20)
    intake = discover(root, tmp_path / "staging")
    staged = sum(path.stat().st_size for path in (tmp_path / "staging").rglob("*") if path.is_file())
    assert staged <= (5 << 20) + (2 << 20)  # mallory's quota, and all of alice's files
    assert len(intake.students["alice"].files) == 2 and len(intake.students["mallory"].files) == 5
    (note,) = intake.notes
    assert note.kind == "archive" and "mallory's archives expand to more than 5 MiB or 1,000 files" in note.text


def test_what_a_runs_archives_expand_to_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_RUN_FILES", 5)
    root = tmp_path / "class"
    for student in ("alice", "bob", "carol"):
        bomb(root / student / "work.zip", 2, 10)
    intake = discover(root, tmp_path / "staging")
    assert [len(intake.students[s].files) for s in ("alice", "bob", "carol")] == [2, 2, 1]
    (note,) = intake.notes
    assert "carol" in note.text and "the archives of this run expand to more than 2 GiB or 5 files" in note.text


def test_what_is_no_exercise_file_stays_in_its_archive(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "class.zip",
        {"alice/ex01_my_model.py": CODE, "alice/data.bin": b"\0" * 100_000, "bob/notes.txt": CODE},
    )
    intake = discover(archive, tmp_path / "staging")
    assert set(intake.students) == {"alice", "bob"} and kinds(intake) == ["unknown", "unknown"]
    assert [path.name for path in (tmp_path / "staging").rglob("*") if path.is_file()] == ["ex01_my_model.py"]


def test_names_and_folders_that_break_readers_are_notes_not_crashes(tmp_path: Path) -> None:
    root = write(
        tmp_path / "class", {"alice/ex01_my_model.py": CODE, "eve\nGraded 12 of 12\u202e/ex01_my_model.py": CODE}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ex01_my_modé.py", CODE)  # flagged as UTF-8, which the next line breaks
    (root / "alice" / "work.zip").write_bytes(buffer.getvalue().replace("é".encode(), b"\xff\xfe"))
    os.mkdir(os.fsencode(root) + b"/bob\xff")
    (Path(os.fsdecode(os.fsencode(root) + b"/bob\xff")) / "ex01_my_model.py").write_bytes(CODE)
    deep = root.joinpath("carol", *["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "ex01_my_model.py").write_bytes(CODE)
    (root / "carol" / "loop").symlink_to(root / "carol")
    intake = discover(root, tmp_path / "staging", exclude=tmp_path / "out")
    # Every key is one line of text that any output can show: what is not is spelled as an escape.
    assert set(intake.students) == {"alice", "bob\\xff", "eve\\nGraded 12 of 12\\u202e"}
    assert sorted(kinds(intake)) == ["archive", "unknown"]
    assert (
        "not a readable .zip archive" in intake.notes[0].text or "not a readable .zip archive" in intake.notes[1].text
    )


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
