"""How long `perimeter evaluate` takes, as a whole process, on 400 scenarios in one
call, beside the Node simulator doing the same work (when it is installed in
benchmarks/simulator_compare). Reported as a ratio to the simulator run on the same
machine in the same session.

    python -m benchmarks.evaluate_speed [--count 400] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.simulator_compare.random_scenarios import write_scenarios

HERE = Path(__file__).parent
SIMULATOR = HERE / "simulator_compare"


def _time(command: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = [str(p) for p in write_scenarios(args.seed, args.count, Path(folder))]
        perimeter = str(Path(sys.executable).with_name("perimeter"))
        ours = _time([perimeter, "evaluate", "--format", "json", *files], args.repeat)
        print(f"perimeter evaluate, {len(files)} scenarios, one process: {ours:.3f} s (median of {args.repeat})")
        node = shutil.which("node")
        if node and (SIMULATOR / "node_modules").is_dir():
            theirs = _time([node, str(SIMULATOR / "simulate.mjs"), *files], args.repeat)
            print(f"iam-simulate (Node), same scenarios, one process: {theirs:.3f} s")
            print(f"ratio perimeter / simulator: {ours / theirs:.2f}")
        else:
            print("iam-simulate not installed (cd benchmarks/simulator_compare && npm install): no ratio")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
