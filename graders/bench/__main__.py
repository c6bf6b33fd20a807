"""``make bench``: every benchmark in turn; ``python -m graders.bench bulk`` runs one."""

from __future__ import annotations

import importlib
import sys

# One module per benchmark, each with a ``main()`` that prints its figures.
BENCHMARKS = ("loop", "bulk", "watch", "nbgrader")


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; the benchmarks are: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names or BENCHMARKS:
        importlib.import_module(f"graders.bench.{name}").main()
        print()
    return 0


raise SystemExit(main(sys.argv[1:]))
