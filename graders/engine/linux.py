"""The few Linux system calls the engine needs that Python's os module lacks."""

from __future__ import annotations

import ctypes
import os
import platform
import signal

_libc = ctypes.CDLL(None, use_errno=True)
_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2

MADV_COLLAPSE = 25
HUGE_PAGE = 2 << 20

SYSCALL_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
SYSCALL_CAPSET = {"x86_64": 126, "aarch64": 91}
CAP_LAST = 63  # beyond the last capability of any kernel; PR_CAPBSET_DROP fails past the real last one


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def prctl(option: int, value: int) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl({option})")


def die_with_parent(signal_number: int = signal.SIGKILL) -> None:
    """Send this process ``signal_number`` when its parent dies. Cleared by a change of user:
    set it after."""
    prctl(PR_SET_PDEATHSIG, signal_number)


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to this process, so none can slip away."""
    prctl(PR_SET_CHILD_SUBREAPER, 1)


def forbid_new_privileges() -> None:
    """No set-user-ID program or file capability can raise this process's privileges again."""
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def set_seccomp_filter(program_address: int) -> None:
    """Install the BPF program (a ``struct sock_fprog`` at that address) as a seccomp filter."""
    result = _libc.prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.c_void_p(program_address), 0, 0)
    _check(result, "seccomp")


def unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def setns(fd: int, nstype: int) -> None:
    _check(_libc.setns(ctypes.c_int(fd), ctypes.c_int(nstype)), "setns")


def mount(source: str, target: str, fstype: str | None, flags: int = 0, data: str | None = None) -> None:
    _check(
        _libc.mount(
            source.encode(),
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def umount(target: str, flags: int = 0) -> None:
    _check(_libc.umount2(target.encode(), ctypes.c_int(flags)), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    number = SYSCALL_PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise OSError(0, f"pivot_root: unknown system call number on {platform.machine()}")
    _check(_libc.syscall(ctypes.c_long(number), new_root.encode(), put_old.encode()), "pivot_root")


def sethostname(name: str) -> None:
    _check(_libc.sethostname(name.encode(), ctypes.c_size_t(len(name))), "sethostname")


def drop_capabilities() -> None:
    """Empty this process's capability sets and bounding set, as an unprivileged process has."""
    for capability in range(CAP_LAST + 1):
        if _libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(capability), 0, 0, 0) != 0:
            break

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3: two 32-bit words
    number = SYSCALL_CAPSET.get(platform.machine())
    if number is None:
        raise OSError(0, f"capset: unknown system call number on {platform.machine()}")
    _check(_libc.syscall(ctypes.c_long(number), ctypes.byref(header), ctypes.byref(data)), "capset")


def write_id_maps(uid: int, gid: int, inside: int = 0) -> None:
    """Map ``inside`` in this process's new user namespace to the real ``uid``/``gid``."""
    with open("/proc/self/setgroups", "w") as setgroups:
        setgroups.write("deny")
    with open("/proc/self/uid_map", "w") as uid_map:
        uid_map.write(f"{inside} {uid} 1")
    with open("/proc/self/gid_map", "w") as gid_map:
        gid_map.write(f"{inside} {gid} 1")


def collapse_into_huge_pages() -> int:
    """Back this process's anonymous memory with transparent huge pages now (``MADV_COLLAPSE``,
    Linux 6.1); returns how many bytes the kernel collapsed.

    Python's small objects live in 256 KiB arenas that are never huge pages on their own. After a
    collapse, a fork copies one page-table entry per 2 MiB of them instead of 512, and an exiting
    child has as many fewer to tear down. Where the kernel cannot (older, or huge pages turned
    off), nothing changes.
    """
    collapsed = 0
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for fields in regions:
        anonymous = len(fields) == 5 or fields[5] == "[heap]"
        if not anonymous or "w" not in fields[1]:
            continue
        start, end = (int(address, 16) for address in fields[0].split("-"))
        start, end = -(-start // HUGE_PAGE) * HUGE_PAGE, end // HUGE_PAGE * HUGE_PAGE
        if end > start and _libc.madvise(start, end - start, MADV_COLLAPSE) == 0:
            collapsed += end - start
    return collapsed
