"""Benchmark results as JSON, a Markdown table and a PNG plot (matplotlib, an
optional dev dependency, imported only when plotting)."""

from __future__ import annotations

import importlib
import json
import os
import platform
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasoner.benchmark.runner import Measurement


def machine() -> dict[str, Any]:
    """What the numbers ran on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from reasoner.encodings.smtlib import z3_version

    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "z3": z3_version(),
            "cvc5": _cvc5_version(), "system": f"{platform.system()} {platform.release()}"}


def _cvc5_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cvc5")
    except PackageNotFoundError:
        return None


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of fewer than 100 values is the maximum)."""
    ordered = sorted(values)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))
    return ordered[min(len(ordered), rank) - 1]


def summarize(measurements: Sequence[Measurement], baseline: str) -> list[dict[str, Any]]:
    """Per (family kind, check, encoding): counts, median and p99 milliseconds, and
    the ratios of median and p99 to the baseline encoding on the same queries."""
    groups: dict[tuple[str, str, str], list[Measurement]] = {}
    for m in measurements:
        scope = "corpus" if m.family == "corpus" else "synthetic"
        groups.setdefault((scope, m.check, m.encoding), []).append(m)
    rows = []
    for (scope, check, encoding), found in sorted(groups.items()):
        seconds = [m.seconds for m in found]
        base = groups.get((scope, check, baseline), [])
        row: dict[str, Any] = {
            "scope": scope, "check": check, "encoding": encoding, "n": len(found),
            "pass": sum(m.result == "PASS" for m in found), "fail": sum(m.result == "FAIL" for m in found),
            "unknown": sum(m.result == "UNKNOWN" for m in found),
            "median_ms": statistics.median(seconds) * 1000, "p99_ms": percentile(seconds, 0.99) * 1000,
        }
        if base:
            base_seconds = [m.seconds for m in base]
            row["median_vs_baseline"] = row["median_ms"] / (statistics.median(base_seconds) * 1000)
            row["p99_vs_baseline"] = row["p99_ms"] / (percentile(base_seconds, 0.99) * 1000)
        cvc5 = [m.cvc5_seconds for m in found if m.cvc5_seconds is not None]
        if cvc5:
            row["cvc5_median_ms"] = statistics.median(cvc5) * 1000
            row["cvc5_p99_ms"] = percentile(cvc5, 0.99) * 1000
            row["cvc5_unknown"] = sum(m.cvc5_result == "UNKNOWN" for m in found)
        rows.append(row)
    return rows


def growth(measurements: Sequence[Measurement]) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """family -> encoding -> [(size, median ms over the family's queries at that size)]."""
    cells: dict[tuple[str, str, int], list[float]] = {}
    for m in measurements:
        if m.family != "corpus":
            cells.setdefault((m.family, m.encoding, m.size), []).append(m.seconds * 1000)
    found: dict[str, dict[str, list[tuple[int, float]]]] = {}
    for (family, encoding, size), values in sorted(cells.items()):
        found.setdefault(family, {}).setdefault(encoding, []).append((size, statistics.median(values)))
    return found


def disagreements(measurements: Sequence[Measurement]) -> list[str]:
    """Queries on which two decided answers differ (z3 under any encoding, cvc5)."""
    answers: dict[tuple[str, str, str], set[str]] = {}
    for m in measurements:
        bucket = answers.setdefault((m.family, m.check, m.label), set())
        bucket.update(r for r in (m.result, m.cvc5_result) if r in ("PASS", "FAIL"))
    return [f"{family} {check} {label}: {sorted(found)}" for (family, check, label), found in sorted(answers.items())
            if len(found) > 1]


def write_json(path: Path, measurements: Sequence[Measurement], settings: dict[str, Any], baseline: str) -> None:
    document = {"machine": machine(), "settings": settings, "baseline": baseline,
                "summary": summarize(measurements, baseline), "growth": growth(measurements),
                "disagreements": disagreements(measurements),
                "measurements": [m.to_json() for m in measurements]}
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def markdown(measurements: Sequence[Measurement], baseline: str, order_note: str = "") -> str:
    """The summary table, then time against size per synthetic family."""
    info = machine()
    lines = [f"Machine: {info['cpus']} CPUs, {info['cpu']}; Python {info['python']}, z3 {info['z3']}"
             + (f", cvc5 {info['cvc5']}" if info["cvc5"] else "") + ".", "",
             f"Ratios are against the `{baseline}` encoding on the same queries (below 1: faster)."
             + (f" {order_note}" if order_note else ""), "",
             "| scope | check | encoding | n | PASS | FAIL | UNKNOWN | median ms | p99 ms | median ratio "
             "| p99 ratio | cvc5 median ms | cvc5 p99 ms | cvc5 UNKNOWN |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in summarize(measurements, baseline):
        lines.append(f"| {row['scope']} | {row['check']} | {row['encoding']} | {row['n']} | {row['pass']} | "
                     f"{row['fail']} | {row['unknown']} | {_ms(row['median_ms'])} | {_ms(row['p99_ms'])} | "
                     f"{_ratio(row.get('median_vs_baseline'))} | {_ratio(row.get('p99_vs_baseline'))} | "
                     f"{_ms(row.get('cvc5_median_ms'))} | {_ms(row.get('cvc5_p99_ms'))} | "
                     f"{row.get('cvc5_unknown', '')} |")
    table = growth(measurements)
    if table:
        encodings = sorted({e for per in table.values() for e in per})
        lines += ["", "Median ms per synthetic family and size:", "",
                  "| family | size | " + " | ".join(encodings) + " |",
                  "|---|---:|" + "---:|" * len(encodings)]
        for family, per in table.items():
            sizes = sorted({size for points in per.values() for size, _ in points})
            for size in sizes:
                cells = [_ms(dict(per.get(e, [])).get(size)) for e in encodings]
                lines.append(f"| {family} | {size} | " + " | ".join(cells) + " |")
    problems = disagreements(measurements)
    lines += ["", "Disagreements between encodings or solvers: " + ("none" if not problems else "")]
    lines += [f"- {problem}" for problem in problems]
    return "\n".join(lines) + "\n"


def plot(path: Path, measurements: Sequence[Measurement]) -> bool:
    """Median time against size per encoding, one panel per synthetic family.
    False when matplotlib is not installed (a dev extra)."""
    try:
        matplotlib: Any = importlib.import_module("matplotlib")
    except ImportError:
        return False
    matplotlib.use("Agg")
    pyplot: Any = importlib.import_module("matplotlib.pyplot")
    table = growth(measurements)
    if not table:
        return False
    figure, axes = pyplot.subplots(1, len(table), figsize=(4 * len(table), 3.6), squeeze=False)
    for axis, (family, per) in zip(axes[0], table.items(), strict=True):
        for encoding, points in sorted(per.items()):
            axis.plot([s for s, _ in points], [ms for _, ms in points], marker="o", label=encoding)
        axis.set_title(family)
        axis.set_xlabel("size")
        axis.set_yscale("log")
        if family in ("statements", "principals", "condition-keys", "multivalued-keys"):
            axis.set_xscale("symlog", linthresh=1)
    axes[0][0].set_ylabel("median ms per check")
    axes[0][0].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return True
