"""Isolation of the worker: what it can see, who it runs as, and which limits bind it.

Levels, strongest first, chosen once when the engine starts (``detect``):

* ``full`` — Linux namespaces, entered by the zygote and the worker themselves around the
  fork (so the warm torch import is kept): a process namespace of its own (the worker is its
  init: when it ends, the kernel kills everything it started), no network, a private IPC and
  hostname, and a root filesystem that holds only the Python runtime and its packages, system
  libraries, the submission (read-only) and a private size-capped ``/tmp``. The part of that
  root which is the same for every worker is mounted once, read-only, by the zygote in a mount
  namespace of its own (``build_template``); each worker adds only its own ``/tmp``,
  ``/submission`` and ``/proc`` to its copy (``enter_full``). As root the worker
  then becomes an unprivileged user of its own; otherwise a user namespace maps the grader's user
  and every capability is dropped.
* ``reduced`` — where namespaces are not allowed: separate processes, resource limits and, as
  root, an unprivileged user. The worker can read what that user can read, and the Python
  runtime through descriptors where that user could not (``imports``).

Both add ``no_new_privs`` and a seccomp filter (no network sockets, no namespaces, no tracing;
at reduced isolation, where the worker shares the host's abstract Unix sockets, no named Unix
sockets at all).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import socket
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from graders.engine import imports, linux, seccomp
from graders.engine.limits import Limits, apply_rlimits

Level = Literal["full", "reduced"]

# As root, each worker runs as a user of its own: its processes never count against another job's
# process limit, no file of anyone is theirs, and the clean-up after a job can kill by user. Every
# engine (zygote) on the machine takes its own block of users, from its process id.
UID_BASE = 1_000_000
UIDS_PER_ENGINE = 1000
PID_LIMIT = 4_194_304  # the kernel's highest pid_max
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


def worker_uid(slot: int, isolation: Isolation) -> int | None:
    """The unprivileged user a worker becomes, or None when the grader is not root (the worker
    then keeps the grader's user, inside a user namespace at full isolation)."""
    if os.geteuid() != 0 or isolation.method == "user namespaces":
        return None
    return UID_BASE + (os.getpid() % PID_LIMIT) * UIDS_PER_ENGINE + slot % UIDS_PER_ENGINE


def is_worker_uid(uid: int) -> bool:
    return UID_BASE <= uid < UID_BASE + PID_LIMIT * UIDS_PER_ENGINE


def prepare_workdir(path: Path, uid: int | None, isolation: Isolation) -> Path | None:
    """At reduced isolation, a folder for the job with the worker's temporary directory in it.
    At full isolation there is none: the worker's /tmp is a tmpfs of its own."""
    if isolation.level == "full":
        return None
    path.mkdir(mode=0o711)
    (path / "tmp").mkdir(mode=0o700)
    if uid is not None:
        os.chown(path / "tmp", uid, uid)
    return path


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


@functools.cache
def importable_paths() -> tuple[str, ...]:
    """sys.path without the project, whose solutions/ the student's code must not import by name,
    and without the zygote's working folder (``-m`` puts it first), the engine's, which holds the
    staged sources. Listed once, by the zygote: resolving the paths took a millisecond in each new
    worker."""
    own = {Path(__file__).resolve().parents[2], Path.cwd().resolve()}
    return tuple(p for p in sys.path if p and Path(p).resolve() not in own)


# -- the zygote's part: namespaces that must exist before a worker is forked ---------------------

_own_pid_namespace: int | None = None
_template: Path | None = None  # the workers' shared root, once build_template has mounted it


def prepare_zygote() -> Isolation:
    """At the zygote's start, before torch is imported: the level to try, and what it needs.

    As root the zygote can create a process namespace per worker directly. Otherwise it first
    moves itself into a user namespace of its own (and a process and mount namespace, with a
    /proc that matches), where it holds the capabilities to do the same.
    """
    global _own_pid_namespace
    if os.environ.get("FORWARDPASS_ISOLATION") == "reduced":
        return reduced("FORWARDPASS_ISOLATION=reduced was set")
    method = "namespaces" if os.geteuid() == 0 else "user namespaces"
    try:
        if method == "user namespaces":
            enter_user_namespace()
        else:  # a mount namespace of its own, for the workers' shared root (build_template)
            linux.unshare(linux.CLONE_NEWNS)
            linux.mount("none", "/", None, linux.MS_REC | linux.MS_PRIVATE)
        _own_pid_namespace = os.open("/proc/self/ns/pid", os.O_RDONLY)
    except OSError as error:
        return reduced(f"{error.strerror or error}")
    return Isolation("full", method)


def enter_user_namespace() -> None:
    """Become pid 1 of a process namespace inside a user namespace that maps the grader's user.

    The calling process stays behind as a relay that waits for its child and exits with it.
    """
    uid, gid = os.getuid(), os.getgid()
    linux.unshare(linux.CLONE_NEWUSER | linux.CLONE_NEWPID | linux.CLONE_NEWNS)
    linux.write_id_maps(uid, gid)
    pid = os.fork()
    if pid:
        for fd in range(3, 1 << 10):  # the child holds the protocol's pipes now
            with contextlib.suppress(OSError):
                os.close(fd)
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    linux.die_with_parent(signal.SIGTERM)  # the relay is gone: the zygote cleans up (zygote.main)
    linux.mount("none", "/", None, linux.MS_REC | linux.MS_PRIVATE)
    linux.mount("proc", "/proc", "proc", linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC)


@contextlib.contextmanager
def new_process_namespace(isolation: Isolation) -> Iterator[None]:
    """Around a fork: at full isolation the child is the first process of a new process namespace,
    and the zygote's own next children are not."""
    if isolation.level != "full":
        yield
        return
    linux.unshare(linux.CLONE_NEWPID)
    try:
        yield
    finally:
        linux.setns(_own_pid_namespace, linux.CLONE_NEWPID)


# -- the worker's part ----------------------------------------------------------------------------


@functools.cache
def runtime_paths() -> list[Path]:
    """Host folders the worker needs to see: the Python runtime, its packages, system libraries."""
    wanted = {Path("/usr"), Path(sys.base_prefix), Path(sys.prefix)}
    wanted.update(Path(p) for p in sys.path if p and Path(p).is_dir() and "site-packages" in p)
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if Path(top).is_dir() and not Path(top).is_symlink():
            wanted.add(Path(top))
    # Each folder where Python looks for it (sys.path may go through a symlink, as a .venv that
    # links elsewhere does) and where it really is (where the symlinks inside it lead).
    present = [path for path in wanted if path.exists()]
    paths = {Path(os.path.abspath(path)) for path in present} | {path.resolve() for path in present}
    # Keep only outermost folders: a bind of /usr already holds /usr/lib/python3.
    return sorted(p for p in paths if not any(p != q and p.is_relative_to(q) for q in paths))


def bind_readonly(source: str, target: str) -> None:
    linux.mount(source, target, None, linux.MS_BIND | linux.MS_REC)
    # A remount must keep the flags a user namespace locked on the original mount.
    locked = os.statvfs(target).f_flag & (linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC)
    linux.mount("none", target, None, linux.MS_REMOUNT | linux.MS_BIND | linux.MS_RDONLY | locked)


def bind_runtime(root: Path, paths: list[Path]) -> None:
    for path in paths:
        target = root / path.relative_to("/")
        target.mkdir(parents=True, exist_ok=True)
        bind_readonly(str(path), str(target))


def under_tmp(path: Path) -> bool:
    return path.is_relative_to("/tmp")


def build_template(root: Path, uids: list[int | None]) -> Isolation | None:
    """Mount the workers' shared root at ``root`` (in the zygote's own mount namespace), read-only:
    the runtime, /etc, /dev, and empty mount points for what each worker adds. ``uids``: the users
    workers run as, for /etc/passwd. Returns reduced isolation if it cannot."""
    global _template
    try:
        root.mkdir(mode=0o755, exist_ok=True)
        linux.mount("tmpfs", str(root), "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, ROOT_SIZE)
        for name in ("tmp", "proc", "submission"):
            (root / name).mkdir()
        # A runtime under /tmp (a CI checkout's .venv) is bound by each worker, inside its own /tmp.
        bind_runtime(root, [path for path in runtime_paths() if not under_tmp(path)])
        for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
            if Path(top).is_symlink():
                (root / top[1:]).symlink_to(os.readlink(top))

        etc = root / "etc"
        etc.mkdir(exist_ok=True)
        users = sorted({uid if uid is not None else 0 for uid in uids})
        students = "".join(f"student:x:{user}:{user}::/tmp:/bin/false\n" for user in users)
        (etc / "passwd").write_text(f"root:x:0:0::/root:/bin/false\n{students}")
        (etc / "group").write_text("root:x:0:\n" + "".join(f"student:x:{user}:\n" for user in users))
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
        # Read-only, both: every worker shares them, so none may leave anything there for the next.
        linux.mount("none", str(dev), None, linux.MS_REMOUNT | linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NOEXEC)
        linux.mount("none", str(root), None, linux.MS_REMOUNT | linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NODEV)
    except OSError as error:
        return reduced(f"the workers' root could not be mounted: {error.strerror or error}")
    _template = root
    return None


def remove_template() -> None:
    """Unmount the workers' shared root, so that its folder can be removed."""
    if _template is not None:
        with contextlib.suppress(OSError):
            linux.umount(str(_template), linux.MNT_DETACH)


def enter_full(limits: Limits, uid: int | None, source: bytes, filename: str) -> str:
    """Move the worker into its own world; returns its private temporary directory."""
    root = _template
    linux.unshare(linux.CLONE_NEWNS | linux.CLONE_NEWNET | linux.CLONE_NEWIPC | linux.CLONE_NEWUTS)
    linux.mount("none", "/", None, linux.MS_REC | linux.MS_PRIVATE)
    # Mounted on the shared root's empty folders, in this worker's copy of the mounts only.
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    flags = linux.MS_NOSUID | linux.MS_NODEV
    linux.mount("tmpfs", str(root / "tmp"), "tmpfs", flags, f"size={limits.tmp_bytes},mode=0700{owner}")
    bind_runtime(root, [path for path in runtime_paths() if under_tmp(path)])
    submission = root / "submission"
    linux.mount("tmpfs", str(submission), "tmpfs", flags, f"size={len(source) + 65536},mode=0755")
    (submission / filename).write_bytes(source)
    (submission / filename).chmod(0o444)
    linux.mount("none", str(submission), None, linux.MS_REMOUNT | linux.MS_RDONLY | flags)
    linux.mount("proc", str(root / "proc"), "proc", flags | linux.MS_NOEXEC)
    os.chdir(root)
    linux.pivot_root(".", ".")  # the old root is stacked under the new one; detach it
    linux.umount(".", linux.MNT_DETACH)
    os.chdir("/")
    linux.sethostname(HOSTNAME)
    return "/tmp"


def confine(limits: Limits, tmpdir: str, uid: int | None, data_baseline: int, isolation: Isolation) -> None:
    """What both levels end with: the import path, a new user (or no capabilities), the filter,
    the limits."""
    os.chdir(tmpdir)
    os.environ.clear()
    os.environ.update(worker_environment(tmpdir))
    sys.path[:] = [tmpdir, *importable_paths()]
    if uid is not None:
        imports.import_through(imports.open_for_worker(import_plan(isolation).opened))
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    else:
        with contextlib.suppress(OSError):  # in a user namespace; outside one there is nothing to drop
            linux.drop_capabilities()
    linux.forbid_new_privileges()
    linux.die_with_parent()
    if seccomp.supported():
        seccomp.install(host_network=isolation.level != "full")
    process_baseline = 0 if uid is not None else count_processes_of(os.getuid())
    apply_rlimits(limits, data_baseline, process_baseline)


# -- choosing the level ---------------------------------------------------------------------------


def import_plan(isolation: Isolation) -> imports.Plan:
    """Folders of the import path to open for a worker that cannot read them (``imports``)."""
    return imports.plan(isolation.level == "reduced" and worker_uid(0, isolation) is not None, importable_paths())


def detect(candidate: Isolation, template: Path, slots: int) -> Isolation:
    """The level workers get, and at reduced isolation what they cannot import, if anything."""
    chosen = strongest(candidate, template, slots)
    withheld = import_plan(chosen).withheld
    return replace(chosen, reason=f"{chosen.reason} {imports.note(withheld)}") if withheld else chosen


def strongest(candidate: Isolation, template: Path, slots: int) -> Isolation:
    """Mount the workers' shared root at ``template`` and try the candidate level once in a
    throwaway worker; fall back to reduced if either fails. ``slots``: workers run at once."""
    if candidate.level != "full":
        return candidate
    failed = build_template(template, [worker_uid(slot, candidate) for slot in range(slots)])
    if failed:
        return failed
    read, write = os.pipe()
    try:
        with new_process_namespace(candidate):
            pid = os.fork()
            if pid == 0:
                os.close(read)
                try:
                    tmpdir = enter_full(Limits(), worker_uid(0, candidate), b"", "probe.py")
                    confine(Limits(), tmpdir, worker_uid(0, candidate), 0, candidate)
                    try:
                        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                        os.write(write, b"a network socket was allowed")
                    except PermissionError:
                        pass
                except BaseException:
                    os.write(write, traceback.format_exc(limit=1).strip().splitlines()[-1].encode())
                os._exit(0)
    except OSError as error:
        return reduced(str(error))
    os.close(write)
    problem = b""
    while chunk := os.read(read, 4096):
        problem += chunk
    os.close(read)
    os.waitpid(pid, 0)
    return candidate if not problem else reduced(problem.decode(errors="replace"))


def reduced(reason: str) -> Isolation:
    return Isolation(
        "reduced",
        "rlimits",
        f"Linux namespaces are unavailable here ({reason}); workers run as separate processes with resource "
        "limits only. See docs/SECURITY.md for how to get full isolation.",
    )
