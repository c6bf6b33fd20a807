"""A seccomp filter for the worker: the system calls student code has no business making.

Denied (with EPERM): network sockets (only AF_UNIX is allowed, which Python itself uses),
namespace and mount calls, tracing and reading other processes' memory or taking their open
files, io_uring (a way around the socket rule), BPF, kernel keys and modules, and system calls of
another ABI. A small BPF program is assembled here by hand, so no library is needed.

A worker in the host's network namespace (reduced isolation) shares the host's abstract Unix
socket names (``@name``), which no file permission guards: any process may connect to one, or take
a name a service expects. A filter cannot tell an abstract address from a path (it sits behind a
pointer, and a supervisor that read it through ``SECCOMP_RET_USER_NOTIF`` would read it after the
worker could change it), so there the worker gets no ``socket()`` at all and no ``bind()``, and
``socketpair()`` only of ``SOCK_STREAM``: a connected pair, which can neither be connected elsewhere
nor send to an address. That keeps what Python makes of Unix sockets without a name (asyncio's
loop, ``multiprocessing.Pipe``), and refuses named ones, with a path too.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import platform

from graders.engine import linux

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
X32_SYSCALL_BIT = 0x40000000
AF_UNIX = 1
SOCK_STREAM, SOCK_TYPE_MASK = 1, 0xF  # the type without SOCK_NONBLOCK and SOCK_CLOEXEC
NAMESPACE_FLAGS = (
    linux.CLONE_NEWNS
    | linux.CLONE_NEWUTS
    | linux.CLONE_NEWIPC
    | linux.CLONE_NEWUSER
    | linux.CLONE_NEWPID
    | linux.CLONE_NEWNET
    | linux.CLONE_NEWCGROUP
)

# name: (x86_64, aarch64)
DENIED = {
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "unshare": (272, 97),
    "setns": (308, 268),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "reboot": (169, 142),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "acct": (163, 89),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264),
    "open_tree": (428, 428),
    "move_mount": (429, 429),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "mount_setattr": (442, 442),
    "pidfd_getfd": (438, 438),
}
SOCKET = (41, 198)
SOCKETPAIR = (53, 199)
BIND = (49, 200)
CLONE = (56, 220)
CLONE3 = (435, 435)  # its flags sit behind a pointer: answer ENOSYS and libc falls back to clone

LD_W_ABS, JEQ_K, JGE_K, AND_K, RET_K = 0x20, 0x15, 0x35, 0x54, 0x06
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0, OFFSET_ARG1 = 0, 4, 16, 24  # arguments' low halves


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]


def program(machine: str, host_network: bool) -> list[tuple[int, int | str, int | str, int]]:
    """The filter as (code, jump-if-true, jump-if-false, k); jumps may name a label.
    ``host_network``: the worker shares the host's network namespace (and its abstract sockets)."""
    column = 0 if machine == "x86_64" else 1
    code: list = [
        (LD_W_ABS, 0, 0, OFFSET_ARCH),
        (JEQ_K, 0, "deny", AUDIT_ARCH[machine]),
        (LD_W_ABS, 0, 0, OFFSET_NR),
    ]
    if machine == "x86_64":
        code.append((JGE_K, "deny", 0, X32_SYSCALL_BIT))
    code += [(JEQ_K, "deny", 0, numbers[column]) for numbers in DENIED.values()]
    if host_network:  # no socket() and no bind(); socketpair() of SOCK_STREAM only
        sockets = [(JEQ_K, "deny", 0, SOCKET[column]), (JEQ_K, "deny", 0, BIND[column])]
        sockets += [(JEQ_K, "socketpair", 0, SOCKETPAIR[column])]
        arguments = ["socketpair", (LD_W_ABS, 0, 0, OFFSET_ARG1), (AND_K, 0, 0, SOCK_TYPE_MASK)]
        arguments += [(JEQ_K, "allow", "deny", SOCK_STREAM)]
    else:  # socket() of AF_UNIX only
        sockets = [(JEQ_K, "socket", 0, SOCKET[column])]
        arguments = ["socket", (LD_W_ABS, 0, 0, OFFSET_ARG0), (JEQ_K, "allow", "deny", AF_UNIX)]
    code += [
        (JEQ_K, "nosys", 0, CLONE3[column]),
        *sockets,
        (JEQ_K, "clone", 0, CLONE[column]),
        (RET_K, 0, 0, RET_ALLOW),
        *arguments,
        "clone",
        (LD_W_ABS, 0, 0, OFFSET_ARG0),
        (AND_K, 0, 0, NAMESPACE_FLAGS),
        (JEQ_K, "allow", "deny", 0),
        "allow",
        (RET_K, 0, 0, RET_ALLOW),
        "deny",
        (RET_K, 0, 0, RET_ERRNO | errno.EPERM),
        "nosys",
        (RET_K, 0, 0, RET_ERRNO | errno.ENOSYS),
    ]
    labels, instructions = {}, []
    for item in code:
        if isinstance(item, str):
            labels[item] = len(instructions)
        else:
            instructions.append(item)

    def offset(target: int | str, index: int) -> int:
        return target if isinstance(target, int) else labels[target] - index - 1

    return [(op, offset(jt, i), offset(jf, i), k) for i, (op, jt, jf, k) in enumerate(instructions)]


def supported() -> bool:
    return platform.machine() in AUDIT_ARCH


@functools.cache
def compiled() -> dict[bool, tuple[SockFprog, ctypes.Array]]:
    """The filter in the kernel's structure (and the array it points into, kept alive with it), by
    ``host_network``. The zygote builds them once: assembling one in each worker took a millisecond."""
    found = {}
    for host_network in (False, True):
        instructions = program(platform.machine(), host_network)
        filters = (SockFilter * len(instructions))(*(SockFilter(*instruction) for instruction in instructions))
        found[host_network] = SockFprog(len(instructions), ctypes.cast(filters, ctypes.POINTER(SockFilter))), filters
    return found


def install(host_network: bool) -> None:
    """Apply the filter to this process and every process it starts. Needs no_new_privs.
    ``host_network``: the process shares the host's network namespace."""
    fprog, _ = compiled()[host_network]
    linux.set_seccomp_filter(ctypes.addressof(fprog))
