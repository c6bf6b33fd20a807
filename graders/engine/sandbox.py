"""Isolation of the worker: what it can see, who it runs as, and which limits bind it.

Levels, strongest first, chosen once when the engine starts (``detect``):

* ``full`` — Linux namespaces, entered by the keeper and the worker themselves right after the
  fork (so the warm torch import is kept): a process namespace of its own (the worker is its
  init: when it ends, the kernel kills everything it started), no network, a private IPC and
  hostname, and a root filesystem that holds only the Python runtime and its packages, system
  libraries, the submission (read-only) and a private size-capped ``/tmp``. As root the worker
  then becomes an unprivileged user of its own; otherwise a user namespace maps the grader's user
  and every capability is dropped.
* ``reduced`` — where namespaces are not allowed: separate processes, resource limits and, as
  root, an unprivileged user. The worker can read what that user can read.

Both add ``no_new_privs`` and a seccomp filter (no network sockets, no namespaces, no tracing).
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graders.engine import linux, seccomp
from graders.engine.limits import Limits, apply_rlimits

Level = Literal["full", "reduced"]

# As root, workers run as UID_BASE + slot: a user of their own per concurrent job, so that one
# job's processes never count against another's process limit, and no file of anyone is theirs.
UID_BASE = 1_500_000
HOSTNAME = "sandbox"
DEVICES = ("null", "zero", "full", "random", "urandom")
ETC_FILES = ("ld.so.cache", "localtime")
ROOT_SIZE = "size=16m,mode=0755"


@dataclass(frozen=True)
class Isolation:
    level: Level
    method: str  # how the level is achieved, for reports
    reason: str = ""  # for reduced isolation: why the stronger level is unavailable

    def to_json(self) -> dict[str, str]:
        return {"level": self.level, "method": self.method, "reason": self.reason}


def worker_uid(slot: int) -> int | None:
    """The unprivileged user a worker becomes, or None when the grader is not root."""
    return UID_BASE + slot if os.geteuid() == 0 else None


def count_processes_of(uid: int) -> int:
    """Threads owned by ``uid`` now: RLIMIT_NPROC counts them all, not only the worker's."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, KeyError):
            fields = dict(
                line.split(":", 1) for line in Path(entry.path, "status").read_text().splitlines() if ":" in line
            )
            if int(fields["Uid"].split()[0]) == uid:
                total += int(fields["Threads"])
    return total


def worker_environment(tmpdir: str) -> dict[str, str]:
    """A fresh environment: nothing of the grader's own (tokens, paths) reaches the student."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": tmpdir,
        "TMPDIR": tmpdir,
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def importable_paths() -> list[str]:
    """sys.path without the project: the student's code must not import solutions/ by name."""
    project = Path(__file__).resolve().parents[2]
    return [p for p in sys.path if p and Path(p).resolve() != project]


# -- the keeper's part: namespaces that must exist before the worker is forked --------------------


def before_fork(isolation: Isolation) -> None:
    """In the keeper: the next child (the worker) starts a process namespace of its own."""
    if isolation.level != "full":
        return
    if os.geteuid() == 0:
        linux.unshare(linux.CLONE_NEWPID)
    else:
        uid, gid = os.getuid(), os.getgid()
        linux.unshare(linux.CLONE_NEWUSER | linux.CLONE_NEWPID)
        linux.write_id_maps(uid, gid)


# -- the worker's part ----------------------------------------------------------------------------


def runtime_paths() -> list[Path]:
    """Host folders the worker needs to see: the Python runtime, its packages, system libraries."""
    wanted = {Path("/usr"), Path(sys.base_prefix), Path(sys.prefix)}
    wanted.update(Path(p) for p in sys.path if p and Path(p).is_dir() and "site-packages" in p)
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if Path(top).is_dir() and not Path(top).is_symlink():
            wanted.add(Path(top))
    resolved = sorted({path.resolve() for path in wanted if path.exists()})
    # Keep only outermost folders: a bind of /usr already holds /usr/lib/python3.
    return [p for p in resolved if not any(p != q and p.is_relative_to(q) for q in resolved)]


def bind_readonly(source: str, target: str) -> None:
    linux.mount(source, target, None, linux.MS_BIND | linux.MS_REC)
    # A remount must keep the flags a user namespace locked on the original mount.
    locked = os.statvfs(target).f_flag & (linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC)
    linux.mount("none", target, None, linux.MS_REMOUNT | linux.MS_BIND | linux.MS_RDONLY | locked)


def build_root(root: Path, limits: Limits, uid: int | None, source: bytes, filename: str) -> None:
    """Assemble the worker's whole filesystem under ``root`` (a fresh tmpfs)."""
    linux.mount("tmpfs", str(root), "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, ROOT_SIZE)
    for path in runtime_paths():
        target = root / path.relative_to("/")
        target.mkdir(parents=True, exist_ok=True)
        bind_readonly(str(path), str(target))
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if Path(top).is_symlink():
            (root / top[1:]).symlink_to(os.readlink(top))

    etc = root / "etc"
    etc.mkdir(exist_ok=True)
    user = uid if uid is not None else 0
    (etc / "passwd").write_text(f"root:x:0:0::/root:/bin/false\nstudent:x:{user}:{user}::/tmp:/bin/false\n")
    (etc / "group").write_text(f"root:x:0:\nstudent:x:{user}:\n")
    (etc / "hosts").write_text(f"127.0.0.1 localhost {HOSTNAME}\n")
    (etc / "nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files\n")
    for name in ETC_FILES:
        if Path("/etc", name).is_file():
            (etc / name).touch()
            bind_readonly(f"/etc/{name}", str(etc / name))

    dev = root / "dev"
    dev.mkdir()
    linux.mount("tmpfs", str(dev), "tmpfs", linux.MS_NOSUID | linux.MS_NOEXEC, "size=64k,mode=0755")
    for name in DEVICES:
        (dev / name).touch()
        linux.mount(f"/dev/{name}", str(dev / name), None, linux.MS_BIND)
    (dev / "shm").mkdir()
    for link, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ):
        (dev / link).symlink_to(target)

    (root / "proc").mkdir()
    linux.mount("proc", str(root / "proc"), "proc", linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC)

    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    (root / "tmp").mkdir()
    linux.mount(
        "tmpfs",
        str(root / "tmp"),
        "tmpfs",
        linux.MS_NOSUID | linux.MS_NODEV,
        f"size={limits.tmp_bytes},mode=0700{owner}",
    )

    submission = root / "submission"
    submission.mkdir()
    (submission / filename).write_bytes(source)
    (submission / filename).chmod(0o444)
    linux.mount("none", str(root), None, linux.MS_REMOUNT | linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NODEV)


def enter_full(limits: Limits, root: Path, uid: int | None, source: bytes, filename: str) -> str:
    """Move the worker into its own world; returns its private temporary directory."""
    linux.unshare(linux.CLONE_NEWNS | linux.CLONE_NEWNET | linux.CLONE_NEWIPC | linux.CLONE_NEWUTS)
    linux.mount("none", "/", None, linux.MS_REC | linux.MS_PRIVATE)
    build_root(root, limits, uid, source, filename)
    os.chdir(root)
    linux.pivot_root(".", ".")  # the old root is stacked under the new one; detach it
    linux.umount(".", linux.MNT_DETACH)
    os.chdir("/")
    linux.sethostname(HOSTNAME)
    return "/tmp"


def confine(limits: Limits, tmpdir: str, uid: int | None, data_baseline: int) -> None:
    """What both levels end with: a new user (or no capabilities), the filter, the limits."""
    os.chdir(tmpdir)
    os.environ.clear()
    os.environ.update(worker_environment(tmpdir))
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    else:
        with contextlib.suppress(OSError):  # in a user namespace; outside one there is nothing to drop
            linux.drop_capabilities()
    linux.forbid_new_privileges()
    linux.die_with_parent()
    if seccomp.supported():
        seccomp.install()
    process_baseline = 0 if uid is not None else count_processes_of(os.getuid())
    apply_rlimits(limits, data_baseline, process_baseline)


# -- choosing the level ---------------------------------------------------------------------------


def detect() -> Isolation:
    """The strongest isolation this machine allows, found by trying it once in a throwaway child."""
    import tempfile

    if os.environ.get("FORWARDPASS_ISOLATION") == "reduced":
        return reduced("FORWARDPASS_ISOLATION=reduced was set")
    full = Isolation("full", "namespaces" if os.geteuid() == 0 else "user namespaces")
    with tempfile.TemporaryDirectory(prefix="forwardpass-probe-") as folder:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                before_fork(full)
                inner = os.fork()
                if inner == 0:
                    root = Path(folder, "root")
                    root.mkdir()
                    tmpdir = enter_full(Limits(), root, worker_uid(0), b"", "probe.py")
                    confine(Limits(), tmpdir, worker_uid(0), 0)
                    try:
                        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    except PermissionError:
                        os._exit(0)
                    os._exit(3)  # sockets should have been refused
                _, status = os.waitpid(inner, 0)
                code = os.waitstatus_to_exitcode(status)
                os.write(write, b"" if code == 0 else f"the trial worker exited with {code}".encode())
            except BaseException:
                os.write(write, traceback.format_exc(limit=1).strip().splitlines()[-1].encode())
            os._exit(0)
        os.close(write)
        problem = b""
        while chunk := os.read(read, 4096):
            problem += chunk
        os.close(read)
        os.waitpid(pid, 0)
    return full if not problem else reduced(problem.decode(errors="replace"))


def reduced(reason: str) -> Isolation:
    return Isolation(
        "reduced",
        "rlimits",
        f"Linux namespaces are unavailable here ({reason}); workers run as separate processes with resource "
        "limits only. See docs/SECURITY.md for how to get full isolation.",
    )
