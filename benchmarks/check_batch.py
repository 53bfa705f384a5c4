"""The Access Analyzer sample pairs through `check no-new-access` in ONE call (issue 11,
part 4: goal 10 s on 2 cores; about 225 s as one process per pair), and where the time
goes.

    .venv/bin/python -m benchmarks.check_batch [--timeout 10] [--jobs 1] [--processes N] [--no-breakdown]
                                               [--out FILE]

It writes the corpus's 207 (reference, candidate) pairs, placeholders substituted, into
a scratch folder with a pairs file, runs `perimeter check no-new-access --pairs FILE
--format json [--jobs N]` once, and reports the wall and CPU time of that process, the answers
(against Access Analyzer's labels), and a breakdown of the same work in this process:
start-up (imports), reading the 414 policies, and the checks themselves (building the
query, solving, shaping and replaying the witness), slowest first. `--processes N`
also times N of the pairs as one process each, for the per-process cost. Timings
depend on the machine and its load: the report says what it measured, not a verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reasoner.benchmark.corpus import corpus_present, corpus_root
from reasoner.benchmark.placeholders import substitute
from reasoner.solving.budget import DEFAULT_GUARD_S, Budget

SAMPLES = "iam-access-analyzer-custom-policy-check-samples"


def write_pairs(root: Path, scratch: Path) -> tuple[Path, dict[str, str]]:
    """The pairs file and each candidate's expected answer, by its scratch path."""
    manifest = json.loads((root / SAMPLES / "manifest.json").read_text())
    pairs, expected = [], {}
    for check in manifest["checks"]:
        for relative in [check["reference"], *(candidate["file"] for candidate in check["candidates"])]:
            target = scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(substitute((root / SAMPLES / relative).read_text()))
        for candidate in check["candidates"]:
            pairs.append({"existing": check["reference"], "new": candidate["file"]})
            expected[str(scratch / candidate["file"])] = candidate["expected"]
    path = scratch / "pairs.json"
    path.write_text(json.dumps(pairs, indent=1))
    return path, expected


def perimeter() -> str:
    return str(Path(sys.executable).parent / "perimeter")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_call(pairs: Path, timeout: float, jobs: int) -> dict[str, Any]:
    before, started = children_cpu(), time.perf_counter()
    done = subprocess.run([perimeter(), "check", "no-new-access", "--pairs", str(pairs), "--format", "json",
                           "--timeout", str(timeout), "--jobs", str(jobs)], capture_output=True, text=True,
                          check=False)
    wall, cpu = time.perf_counter() - started, children_cpu() - before
    if done.returncode not in (0, 1, 3):
        raise SystemExit(f"perimeter failed (exit {done.returncode}): {done.stderr}")
    return {"wall_s": wall, "cpu_s": cpu, "exit_code": done.returncode, "report": json.loads(done.stdout)}


def per_process(pairs: Path, count: int, timeout: float) -> dict[str, Any]:
    entries = json.loads(pairs.read_text())[:count]
    before, started = children_cpu(), time.perf_counter()
    for entry in entries:
        subprocess.run([perimeter(), "check", "no-new-access", "--existing", str(pairs.parent / entry["existing"]),
                        "--new", str(pairs.parent / entry["new"]), "--timeout", str(timeout)],
                       capture_output=True, check=False)
    return {"pairs": len(entries), "wall_s": time.perf_counter() - started, "cpu_s": children_cpu() - before}


def in_process(pairs: Path, timeout: float) -> dict[str, Any]:
    """The same work in this process, timed by phase (CPU and wall)."""
    started, cpu0 = time.perf_counter(), time.process_time()
    from reasoner.checks.batch import read_pairs
    from reasoner.checks.run import check_no_new_access, load_check_policy
    from reasoner.encodings import queries  # noqa: F401  (z3 and the encodings, imported by the first check)

    imported, cpu1 = time.perf_counter(), time.process_time()
    loaded = [(load_check_policy(old, None), new) for old, new in read_pairs(pairs)]
    loaded = [(old, load_check_policy(new, None, default=old.policy_type)) for old, new in loaded]
    read, cpu2 = time.perf_counter(), time.process_time()
    checks = []
    for old, new in loaded:
        chosen = old.policy_type if old.policy_type is new.policy_type else new.policy_type
        wall_started, cpu_started = time.perf_counter(), time.process_time()
        result = check_no_new_access(old, new, chosen, budget=Budget(guard_s=timeout))
        checks.append({"pair": new.source, "result": result.result, "wall_s": time.perf_counter() - wall_started,
                       "cpu_s": time.process_time() - cpu_started})
    return {"imports": {"wall_s": imported - started, "cpu_s": cpu1 - cpu0},
            "read_policies": {"wall_s": read - imported, "cpu_s": cpu2 - cpu1},
            "checks": checks}


def summary(checks: list[dict[str, Any]]) -> dict[str, Any]:
    by_result: dict[str, dict[str, float]] = {}
    for check in checks:
        into = by_result.setdefault(check["result"], {"count": 0, "wall_s": 0.0, "cpu_s": 0.0})
        into["count"] += 1
        into["wall_s"] += check["wall_s"]
        into["cpu_s"] += check["cpu_s"]
    cpu = sorted(check["cpu_s"] for check in checks)
    return {"count": len(checks), "wall_s": sum(c["wall_s"] for c in checks), "cpu_s": sum(cpu),
            "cpu_median_s": statistics.median(cpu) if cpu else 0.0,
            "cpu_p90_s": cpu[int(0.9 * (len(cpu) - 1))] if cpu else 0.0, "by_result": by_result,
            "slowest": sorted(checks, key=lambda c: -c["cpu_s"])[:10]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=DEFAULT_GUARD_S, help="wall-clock guard per check")
    parser.add_argument("--jobs", type=int, default=1, help="perimeter's --jobs for the one call")
    parser.add_argument("--processes", type=int, default=0, help="also time N pairs as one process each")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the in-process breakdown")
    parser.add_argument("--out", type=Path, help="write the measurements here as JSON")
    args = parser.parse_args(argv)
    root = corpus_root()
    if not corpus_present(root) or not (root / SAMPLES / "manifest.json").is_file():
        print(f"the corpus is not at {root} (set PERIMETER_CORPUS)")
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        pairs, expected = write_pairs(root, Path(scratch))
        call = one_call(pairs, args.timeout, args.jobs)
        answers = {entry["policy"]: entry["result"] for entry in call.pop("report")["results"]}
        agree = sum(1 for policy, result in answers.items() if expected[policy] == result)
        unknown = sum(1 for result in answers.values() if result == "UNKNOWN")
        measured: dict[str, Any] = {
            "machine": {"cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0]},
            "timeout_s": args.timeout, "jobs": args.jobs, "pairs": len(answers), "one_call": call,
            "answers": {"agree_with_access_analyzer": agree, "unknown": unknown,
                        "differ": len(answers) - agree - unknown}}
        if args.processes:
            measured["one_process_per_pair"] = per_process(pairs, args.processes, args.timeout)
        if not args.no_breakdown:
            phases = in_process(pairs, args.timeout)
            measured["in_process"] = {"imports": phases["imports"], "read_policies": phases["read_policies"],
                                      "checks": summary(phases["checks"])}
            for entry in measured["in_process"]["checks"]["slowest"]:
                entry["pair"] = str(Path(entry["pair"]).relative_to(scratch))
    text = json.dumps(measured, indent=2)
    if args.out is not None:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
