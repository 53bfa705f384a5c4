"""The encodings agree on benchmark queries (same PASS/FAIL, every FAIL's witness
replayed through the evaluator by `run_query`), the SMT-LIB export is a script
z3 reads back with the same answer, and `perimeter dev bench --quick` runs."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.benchmark.cases import BenchCase
from reasoner.benchmark.corpus import corpus_cases, corpus_present, corpus_root
from reasoner.benchmark.report import disagreements
from reasoner.benchmark.runner import Measurement, encoding_order, export_smtlib, run_all, run_case
from reasoner.benchmark.synthetic import _access_query, _policy, synthetic_cases, warm_up_cases
from reasoner.cli.app import app
from reasoner.encodings.options import ENCODINGS
from reasoner.policy.model import PolicyType
from reasoner.solving.budget import Budget

BUDGET = Budget()


def _granted_everywhere() -> BenchCase:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
    policy = _policy(document, PolicyType.IDENTITY, "granted")
    return BenchCase("sample", "access-not-granted", "s3-get-anywhere", 1,
                     functools.partial(_access_query, policy, "s3:GetObject"))


def _sample() -> list[BenchCase]:
    """Queries every encoding decides within a second or so."""
    cases = [c for c in synthetic_cases(sizes={"statements": (1, 10), "wildcard-density": (0, 100),
                                               "principals": (1,)})
             if c.check != "no-new-access" and not c.label.endswith("-granted")]
    return [*cases, _granted_everywhere()]


def _agree(measurements: list[Measurement]) -> None:
    assert not disagreements(measurements)
    assert not [m for m in measurements if m.reason and m.reason.startswith("internal error")]


def test_encodings_agree_on_a_sample_of_benchmark_queries() -> None:
    measurements = run_all(_sample(), list(ENCODINGS.values()), BUDGET)
    _agree(measurements)
    assert [m for m in measurements if m.result == "UNKNOWN"] == []
    assert {m.result for m in measurements} == {"PASS", "FAIL"}


@pytest.mark.slow
def test_encodings_agree_on_corpus_and_synthetic_queries() -> None:
    root = corpus_root()
    cases = synthetic_cases(quick=True)
    if corpus_present(root):
        cases += corpus_cases(root, 3)
    _agree(run_all(cases, list(ENCODINGS.values()), BUDGET))


def test_each_encoding_runs_first_on_its_share_of_queries_after_an_untimed_warm_up() -> None:
    chosen = [ENCODINGS["optimized"], ENCODINGS["plain"], ENCODINGS["predicates"]]
    assert [[e.name for e in encoding_order(chosen, index)] for index in range(4)] == [
        ["optimized", "plain", "predicates"], ["plain", "predicates", "optimized"],
        ["predicates", "optimized", "plain"], ["optimized", "plain", "predicates"]]
    cases = [_granted_everywhere(), *synthetic_cases(sizes={"statements": (1,)})[:1]]
    seen: list[tuple[str, str]] = []
    measured = run_all(cases, chosen[:2], BUDGET, progress=lambda m: seen.append((m.label, m.encoding)),
                       warm_up_cases=warm_up_cases())
    assert seen == [("s3-get-anywhere", "optimized"), ("s3-get-anywhere", "plain"),
                    ("statements-1", "plain"), ("statements-1", "optimized")]
    assert [(m.label, m.encoding) for m in measured] == seen
    assert [m.result for m in measured] == ["FAIL", "FAIL", "PASS", "PASS"]


def test_warm_up_queries_are_small_and_decided_by_every_encoding() -> None:
    measured = [run_case(case, e, BUDGET) for case in warm_up_cases() for e in ENCODINGS.values()]
    assert {m.check for m in measured} == {"access-not-granted", "invariant", "no-public-access"}
    assert [m for m in measured if m.result != "PASS"] == []


def test_exported_smtlib_reads_back_with_the_same_answer(tmp_path: Path) -> None:
    from reasoner.solving.solve import solve_smtlib_with_z3

    cases = [_granted_everywhere(), *synthetic_cases(sizes={"statements": (1,)})[:1]]
    written = export_smtlib(cases, [ENCODINGS["optimized"]], tmp_path)
    assert [p.name for p in written] == [f"{c.key}.smt2" for c in cases]
    answers = [solve_smtlib_with_z3(p.read_text(encoding="utf-8"), BUDGET.units) for p in written]
    assert answers == ["sat", "unsat"]


def test_bench_quick_smoke(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["dev", "bench", "--quick", "--no-corpus", "--no-cvc5", "--family", "principals",
                                      "--encoding", "optimized", "--encoding", "plain", "--budget", "5",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert {m["encoding"] for m in document["measurements"]} == {"optimized", "plain"}
    assert document["baseline"] == "plain"
    assert "order rotated by one per query" in document["settings"]["order"]
    report = (tmp_path / "bench.md").read_text(encoding="utf-8")
    assert "| synthetic | no-public-access | optimized |" in report
    assert "A warm-up pass first builds and solves" in report


def test_encoding_help_lists_every_encoding() -> None:
    result = CliRunner().invoke(app, ["dev", "bench", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0
    assert "Known: " + ", ".join(ENCODINGS) in " ".join(result.output.replace("│", " ").split())


def test_unknown_encoding_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["dev", "bench", "--encoding", "fastest", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown encoding" in result.output


def test_cvc5_column_agrees_with_z3_on_the_exported_queries() -> None:
    from reasoner.solving.solve import cvc5_available

    if not cvc5_available():
        pytest.skip("cvc5 is not installed")
    cases = [_granted_everywhere(), *synthetic_cases(sizes={"statements": (1,)})[:1]]
    measured = [run_case(case, ENCODINGS["optimized"], BUDGET, with_cvc5=True) for case in cases]
    assert [(m.result, m.cvc5_result) for m in measured] == [("FAIL", "FAIL"), ("PASS", "PASS")]
    assert all(m.cvc5_seconds is not None and m.cvc5_seconds > 0 for m in measured)


def test_corpus_latency_times_each_check_over_the_corpus_sample() -> None:
    from reasoner.benchmark.corpus import corpus_latency

    root = corpus_root()
    if not corpus_present(root):
        pytest.skip(f"policy corpus not found at {root} (set PERIMETER_CORPUS)")
    found = corpus_latency(root, 1, Budget(), checks=("no-public-access", "no-new-access"))
    assert [(f.check, len(f.seconds), sum(f.outcomes.values())) for f in found] == [
        ("no-public-access", 1, 1), ("no-new-access", 1, 1)]
    assert all(": n=1 " in f.line() and "median=" in f.line() and "p99=" in f.line() for f in found)
