"""``python -m graders engine status|stop``: the warm engine service of this checkout (graders/service/).

``status`` exits 0 when it runs, 1 when it does not; ``stop`` stops it and waits until it has exited.
"""

from __future__ import annotations

import argparse
import os
import time

from graders.commands import EXIT_FAILED, EXIT_PASSED

NAME = "engine"
HELP = "show or stop the warm engine service that check, watch and the test panel grade through"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("status", "stop"), help="status: is it running, and how; stop: stop it")


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def run(args: argparse.Namespace) -> int:
    from graders import fingerprint
    from graders.service import client, protocol

    where = os.path.relpath(protocol.socket_path())
    where = str(protocol.socket_path().absolute()) if where.startswith("..") else where
    if args.action == "stop":
        pid = client.stop()
        print("No warm engine service is running." if pid is None else f"Stopped the warm engine service (pid {pid}).")
        return EXIT_PASSED
    status = client.status()
    if status is None:
        state = "turned off (FORWARDPASS_ENGINE_SERVICE=off)" if not client.enabled() else "not running"
        print(f"The warm engine service is {state}; `check`, `watch` and the test panel start it ({where}).")
        return EXIT_FAILED
    current = status["fingerprint"] == fingerprint.service()
    isolation = status["isolation"]
    print(f"The warm engine service is running: pid {status['pid']}, socket {where}.")
    print(
        f"  up {minutes(time.time() - status['started'])}, {status['requests']} gradings, "
        f"{status['connections']} other commands connected; unused for {minutes(status['idle_seconds'])} "
        f"(it exits after {minutes(status['idle_limit'])} unused)"
    )
    print(f"  isolation: {isolation['level']}" if isolation else "  starting: torch is being imported")
    if status["stopping"]:
        print("  stopping: the next command starts a fresh one")
    elif not current:
        print("  stale: forwardpass, the solutions or the Python environment changed; the next command restarts it")
    return EXIT_PASSED
