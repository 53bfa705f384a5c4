"""Worst cases of the glob matcher (`reasoner.policy.matching.tokens_match`) beside
the regex translation it replaced (one `.*` per `*`, `re.fullmatch`), which
backtracks exponentially on globs such as `*?*?*?...Z` (issue #17).

    .venv/bin/python -m benchmarks.glob_worst_case [--limit 5]

Each row times one match that fails (the worst case: every placement is tried).
The old matcher runs in a child process stopped after --limit seconds; "> N s"
means it had not answered by then. Speed is reported here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import time
from collections.abc import Callable

from reasoner.policy.matching import resource_tokens_match, tokenize, tokens_match


def _regex_match(pattern: str, text: str) -> bool:
    """The matcher before issue #17, for a glob without variables."""
    source = "".join(".*" if t == "*" else "." if t == "?" else re.escape(t) for t in re.split(r"([*?])", pattern))
    return re.fullmatch(source, text, re.DOTALL) is not None


def _new_match(pattern: str, text: str) -> bool:
    return tokens_match(tokenize(pattern, variables=False, wildcards=True), text)


def _new_resource_match(pattern: str, text: str) -> bool:
    return resource_tokens_match(tokenize(pattern, variables=False, wildcards=True), text)


def _run(match: Callable[[str, str], bool], pattern: str, text: str, answer: multiprocessing.Queue[float]) -> None:
    """The best of three runs (the first also compiles and caches the pattern)."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        match(pattern, text)
        runs.append(time.perf_counter() - started)
        answer.put(min(runs))


def _timed(match: Callable[[str, str], bool], pattern: str, text: str, limit: float) -> str:
    answer: multiprocessing.Queue[float] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_run, args=(match, pattern, text, answer))
    child.start()
    child.join(limit)
    timed_out = child.is_alive()
    if timed_out:
        child.terminate()
        child.join()
    best = None
    while not answer.empty():
        best = answer.get()
    if best is None:
        return f"> {limit:g} s"
    return f"{best * 1000:.3f} ms" + (" (1 run)" if timed_out else "")


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for pairs, length in ((4, 40), (6, 40), (8, 40), (10, 40), (12, 40), (40, 200), (200, 1000)):
        cases.append((f"`*?` x {pairs} + `Z`, {length} x `a`", "*?" * pairs + "Z", "a" * length))
    for pairs, length in ((20, 1000), (200, 1000)):
        # a middle run that nearly matches at every place: O(text x pattern)
        cases.append((f"`*` + `a?` x {pairs} + `b*`, {length} x `a`", "*" + "a?" * pairs + "b*", "a" * length))
    for dashes, length in ((10, 40), (20, 40), (30, 40), (40, 200), (200, 1000)):
        pattern = "arn:aws:s3:::logs/" + "*-" * dashes + "*.csv"
        cases.append((f"object key `*-` x {dashes} + `*.csv`, {length} x `a-`", pattern,
                      "arn:aws:s3:::logs/" + "a-" * length + "x.gz"))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=5.0, help="seconds the old matcher gets per case")
    args = parser.parse_args()
    print("| case | regex translation (before) | glob matcher (now) |")
    print("|---|---|---|")
    for label, pattern, text in _cases():
        new = _new_resource_match if pattern.startswith("arn:") else _new_match
        old = _timed(_regex_match, pattern, text, args.limit)
        print(f"| {label} | {old} | {_timed(new, pattern, text, args.limit)} |")


if __name__ == "__main__":
    main()
