"""Latency of the three custom policy checks over a sample of corpus policies,
under the default encoding, z3 alone (no cvc5 column).

    .venv/bin/python -m benchmarks.query_latency [--per-check N] [--timeout S] [--only CHECK] [--verbose]

The queries are `perimeter bench`'s corpus queries (`reasoner.benchmark.corpus`),
each timed as a check (query build, solve, witness decode and replay). Prints, per
check, the number of queries, PASS/FAIL/UNKNOWN counts, and the median, p99 and
maximum milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from reasoner.benchmark.corpus import corpus_cases, corpus_present, corpus_root
from reasoner.benchmark.report import percentile
from reasoner.benchmark.runner import run_case
from reasoner.encodings.options import DEFAULT

CHECKS = ("no-public-access", "access-not-granted", "no-new-access")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-check", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--only", choices=CHECKS)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    root = corpus_root()
    if not corpus_present(root):
        print(f"corpus not found at {root} (set PERIMETER_CORPUS)", file=sys.stderr)
        return 2
    cases = corpus_cases(root, args.per_check)
    for check in CHECKS:
        if args.only and args.only != check:
            continue
        seconds: list[float] = []
        outcomes = {"PASS": 0, "FAIL": 0, "UNKNOWN": 0}
        for case in (c for c in cases if c.check == check):
            measured = run_case(case, DEFAULT, args.timeout)
            seconds.append(measured.seconds)
            outcomes[measured.result] += 1
            if args.verbose or measured.result == "UNKNOWN":
                reason = f" ({measured.reason})" if measured.reason else ""
                print(f"  {measured.seconds * 1000:8.1f} ms {measured.result:7} {case.label}{reason}", flush=True)
        if seconds:
            print(f"{check}: n={len(seconds)} PASS={outcomes['PASS']} FAIL={outcomes['FAIL']} "
                  f"UNKNOWN={outcomes['UNKNOWN']} median={statistics.median(seconds) * 1000:.1f} ms "
                  f"p99={percentile(seconds, 0.99) * 1000:.1f} ms max={max(seconds) * 1000:.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
