"""Removing what a worker wrote (``files.remove_tree``), and writing files only the grader may read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from graders import files
from graders.files import remove_tree, write_atomically

UNUSED_UID = 1_999_999  # above the uids a system gives people, below the engine's worker users


def nest(folder: Path, depth: int) -> None:
    """``depth`` folders inside one another, deeper than a path may be long."""
    start = os.open(folder, os.O_RDONLY)
    try:
        current = start
        for _ in range(depth):
            os.mkdir("d", dir_fd=current)
            below = os.open("d", os.O_RDONLY, dir_fd=current)
            if current != start:
                os.close(current)
            current = below
        with open(os.open("last", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=current), "w") as file:
            file.write("the bottom")
        os.close(current)
    finally:
        os.close(start)


def remove_as_owner(tree: Path) -> None:
    """``remove_tree(tree)`` as the owner of the tree and nobody more: as root, in a child that gives
    the tree and its folder to an unused user and becomes that user (root may ignore permissions;
    at reduced isolation without root, the owner of a worker's files, the grader's user, may not)."""
    if os.geteuid() != 0:
        remove_tree(tree)
        return
    for path in [tree.parent, tree, *tree.rglob("*")]:
        os.chown(path, UNUSED_UID, UNUSED_UID, follow_symlinks=False)
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.chdir(tree.parent)  # the user cannot pass through pytest's private folder
            os.setgroups([])
            os.setresgid(UNUSED_UID, UNUSED_UID, UNUSED_UID)
            os.setresuid(UNUSED_UID, UNUSED_UID, UNUSED_UID)
            remove_tree(Path(tree.name))
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_tree_deeper_than_recursion_allows_is_removed(tmp_path: Path) -> None:
    tree = tmp_path / "job"
    tree.mkdir()
    nest(tree, 3000)
    remove_tree(tree)
    assert not tree.exists()


def test_folders_wider_than_the_kept_list_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MOVED_KEPT", 10)
    tree = tmp_path / "job"
    (tree / "wide").mkdir(parents=True)
    for index in range(50):
        (tree / "wide" / str(index) / "below").mkdir(parents=True)
        (tree / "wide" / str(index) / "below" / "file").write_text("x")
    remove_tree(tree)
    assert not tree.exists()


def test_symbolic_links_are_removed_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_text("the grader's")
    tree = tmp_path / "job"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "a" / "b" / "to-folder").symlink_to(outside)
    (tree / "a" / "to-file").symlink_to(outside / "keep")
    (tree / "a" / "dangling").symlink_to(tmp_path / "nowhere")
    remove_tree(tree)
    assert not tree.exists()
    assert (outside / "keep").read_text() == "the grader's"
    link = tmp_path / "link"
    link.symlink_to(outside, target_is_directory=True)
    remove_tree(link)
    assert not link.is_symlink() and (outside / "keep").exists()


def test_permissions_a_worker_took_away_do_not_stop_the_removal(tmp_path: Path) -> None:
    tree = tmp_path / "home" / "job"
    tree.mkdir(parents=True)
    for name, mode in (("locked", 0), ("read-only", 0o500), ("search-only", 0o100)):
        (tree / name / "inner").mkdir(parents=True)
        (tree / name / "inner" / "file").write_text("x")
        (tree / name / "inner" / "file").chmod(0)
        (tree / name / "inner").chmod(mode)
        (tree / name).chmod(mode)
    tree.chmod(0o500)
    remove_as_owner(tree)
    assert not tree.exists()


def test_a_missing_path_or_a_file_is_no_error(tmp_path: Path) -> None:
    remove_tree(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    remove_tree(tmp_path / "file")
    assert not (tmp_path / "file").exists()


@pytest.mark.parametrize("private", [True, False])
def test_a_private_file_and_its_folder_are_the_grader_s_alone(tmp_path: Path, private: bool) -> None:
    path = tmp_path / "cache" / "reference" / "ex01.obs"
    write_atomically(path, b"observations", private=private)
    write_atomically(path, "again", private=private)  # a second write keeps the mode
    assert path.read_text() == "again"
    others = stat.S_IRWXG | stat.S_IRWXO
    assert (path.stat().st_mode & others == 0) == private
    assert (path.parent.stat().st_mode & others == 0) == private
    assert [p.name for p in path.parent.iterdir()] == ["ex01.obs"]
