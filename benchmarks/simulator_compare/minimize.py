"""Shrink a disagreeing scenario to a small one that disagrees the same way.

Developer-only. Greedy reduction over the scenario's JSON: drop object keys, drop list
items, replace a list by one of its items, replace a policy value by a simpler one;
a step is kept when `perimeter` and the simulator still give the same two decisions
as on the original. Each round evaluates every candidate in one simulator process.

    python -m benchmarks.simulator_compare.minimize IN.json OUT.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reasoner.errors import PerimeterError
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import load_scenario

HERE = Path(__file__).resolve().parent
KEEP = frozenset({"request", "principal", "action", "resource", "Effect", "Statement"})


def ours(path: Path) -> str:
    try:
        scenario = load_scenario(path)
    except PerimeterError:
        return "Invalid"
    return evaluate(scenario.request, scenario.policies).decision.value


def theirs(paths: list[Path]) -> list[str]:
    done = subprocess.run(["node", str(HERE / "simulate.mjs"), "--management-account-exempt", *map(str, paths)],
                          capture_output=True, text=True, check=True)
    return [line.split("\t", 1)[1] for line in done.stdout.splitlines()]


def candidates(node: Any) -> Iterator[Any]:
    """Every one-step simplification of `node`, smallest changes last."""
    if isinstance(node, dict):
        for key in list(node):
            if key not in KEEP:
                yield {k: v for k, v in node.items() if k != key}
        for key, value in node.items():
            for smaller in candidates(value):
                yield {**node, key: smaller}
    elif isinstance(node, list):
        for index in range(len(node)):
            yield node[:index] + node[index + 1:]
        if len(node) == 1 and not isinstance(node[0], dict | list):
            yield node[0]
        for index, value in enumerate(node):
            for smaller in candidates(value):
                yield [*node[:index], smaller, *node[index + 1:]]


def minimize(scenario: dict[str, Any], work: Path) -> dict[str, Any]:
    first = work / "orig.json"
    first.write_text(json.dumps(scenario), encoding="utf-8")
    target = (ours(first), theirs([first])[0])
    current = scenario
    while True:
        options = list(candidates(current))
        paths = []
        for index, option in enumerate(options):
            path = work / f"c{index}.json"
            path.write_text(json.dumps(option), encoding="utf-8")
            paths.append(path)
        if not paths:
            return current
        sim = theirs(paths)
        for option, path, decision in zip(options, paths, sim, strict=True):
            if decision == target[1] and ours(path) == target[0]:
                current = option
                break
        else:
            return current


def main() -> None:
    parser = argparse.ArgumentParser(description="shrink a disagreeing scenario")
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    scenario = json.loads(args.source.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        small = minimize(scenario, Path(work))
    args.target.write_text(json.dumps(small, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(small))


if __name__ == "__main__":
    main()
