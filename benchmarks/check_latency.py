"""Single-check latency over the corpus: every Nth resource policy through
`check no-public-access` in one process, each check's wall-clock and CPU time
(this process's) and solver work, the median, p90, p99 and maximum of each (p99:
the value at index 0.99 n of the sorted list), the checks over a second of CPU,
and the machine's load average before and after.

    .venv/bin/python -m benchmarks.check_latency [--every N] [--budget UNITS]

CPU time is the steadier of the two on a shared machine; compare runs made at
the same time (e.g. this code and a baseline checkout side by side).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

from reasoner.solving.budget import DEFAULT_UNITS, Budget


def _summary(values: list[float], scale: float = 1000, digits: int = 1, suffix: str = "_ms") -> dict[str, float]:
    """Median, p90, p99 and maximum of `values` times `scale` (seconds as ms by default)."""
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * scale, digits)

    return {f"median{suffix}": round(statistics.median(ordered) * scale, digits), f"p90{suffix}": at(0.9),
            f"p99{suffix}": at(0.99), f"max{suffix}": round(ordered[-1] * scale, digits)}


def measure(every: int, units: float) -> dict[str, Any]:
    from benchmarks.corpus_public import resource_policies
    from reasoner.benchmark.corpus import corpus_root
    from reasoner.benchmark.placeholders import substitute
    from reasoner.checks.run import check_no_public_access
    from reasoner.errors import InputError
    from reasoner.policy.parse import parse_policy_text
    from reasoner.policy.resource_types import resource_type

    root = corpus_root()
    checks = []
    for path, type_name in resource_policies(root)[::every]:
        kind = resource_type(type_name)
        try:
            policy = parse_policy_text(substitute((root / path).read_text(encoding="utf-8")), kind.policy_type,
                                       source=path)
        except InputError:
            continue
        checks.append((policy, kind))
    check_no_public_access(*checks[0])  # imports and the catalogue, once
    load_before = os.getloadavg()
    walls, cpus, works, results = [], [], [], {"PASS": 0, "FAIL": 0, "UNKNOWN": 0}
    for policy, kind in checks:
        wall, cpu = time.perf_counter(), time.process_time()
        result = check_no_public_access(policy, kind, budget=Budget(units))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        works.append(result.work)
        results[result.result] += 1
    return {"checks": len(checks), "results": results, "wall": _summary(walls), "cpu": _summary(cpus),
            "cpu_over_1s": sum(cpu > 1.0 for cpu in cpus),
            "work_units": _summary(works, scale=1, digits=3, suffix=""),
            "load_average_before": [round(x, 1) for x in load_before],
            "load_average_after": [round(x, 1) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="every Nth resource policy of the sorted list")
    parser.add_argument("--budget", type=float, default=DEFAULT_UNITS, help="work units per check")
    options = parser.parse_args(argv)
    sys.stdout.write(json.dumps(measure(options.every, options.budget), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
