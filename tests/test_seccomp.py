"""The worker's seccomp filter, installed in a child of the test: which calls it refuses, at each level."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import socket
from collections.abc import Callable

import pytest

from graders.engine import linux, seccomp

pytestmark = pytest.mark.skipif(not seccomp.supported(), reason="no seccomp filter for this machine")
SYSCALL_PIDFD_GETFD = 438


def socket_of(family: int, kind: int) -> Callable[[], object]:
    return lambda: socket.socket(family, kind).close()


def pair_of(kind: int) -> Callable[[], object]:
    return lambda: [end.close() for end in socket.socketpair(socket.AF_UNIX, kind)]


def bind_a_pair() -> None:
    ends = socket.socketpair()
    try:
        ends[0].bind(f"\0forwardpass-test-{os.getpid()}")
    finally:
        for end in ends:
            end.close()


def take_own_stdin() -> None:
    """pidfd_getfd: another process's open file, here this process's own stdin."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(SYSCALL_PIDFD_GETFD, os.pidfd_open(os.getpid()), 0, 0) < 0:
        raise OSError(ctypes.get_errno(), "pidfd_getfd")


CALLS = {
    "unix socket": socket_of(socket.AF_UNIX, socket.SOCK_STREAM),
    "unix datagram socket": socket_of(socket.AF_UNIX, socket.SOCK_DGRAM),
    "network socket": socket_of(socket.AF_INET, socket.SOCK_STREAM),
    "stream pair": pair_of(socket.SOCK_STREAM),
    "stream pair, close on exec": pair_of(socket.SOCK_STREAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK),
    "datagram pair": pair_of(socket.SOCK_DGRAM),
    "packet pair": pair_of(socket.SOCK_SEQPACKET),
    "bind a pair to an abstract name": bind_a_pair,
    "another process's open file": take_own_stdin,
}


def under_filter(host_network: bool) -> dict[str, str]:
    """Each call's outcome in a child under the filter: "ok" or the error's name."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        outcomes = {}
        try:
            linux.forbid_new_privileges()
            seccomp.install(host_network)
            for name, call in CALLS.items():
                try:
                    call()
                    outcomes[name] = "ok"
                except OSError as error:
                    outcomes[name] = errno.errorcode.get(error.errno, str(error))
        finally:
            os.write(write, json.dumps(outcomes).encode())
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        outcomes = json.loads(pipe.read() or "{}")
    os.waitpid(pid, 0)
    return outcomes


def test_in_a_network_namespace_of_its_own_a_worker_keeps_unix_sockets() -> None:
    allowed = {"unix socket", "unix datagram socket", "stream pair", "stream pair, close on exec"}
    allowed |= {"datagram pair", "packet pair", "bind a pair to an abstract name"}
    assert under_filter(host_network=False) == {name: "ok" if name in allowed else "EPERM" for name in CALLS}


def test_in_the_host_s_network_namespace_a_worker_gets_only_a_connected_pair() -> None:
    """No socket() and no bind(): no way to reach, or take, an abstract name of the host's."""
    allowed = {"stream pair", "stream pair, close on exec"}
    assert under_filter(host_network=True) == {name: "ok" if name in allowed else "EPERM" for name in CALLS}
