"""The whole benchmark (`perimeter dev bench`) and the SMT-LIB export
(`perimeter dev export-smt`) over the same queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reasoner.benchmark.cases import BenchCase
from reasoner.benchmark.corpus import corpus_cases, corpus_present, corpus_root
from reasoner.benchmark.report import markdown, plot, write_json
from reasoner.benchmark.runner import Measurement, export_smtlib, run_all
from reasoner.benchmark.synthetic import FAMILIES, synthetic_cases, warm_up_cases
from reasoner.encodings.options import ENCODINGS, PLAIN, EncodingOptions, encoding
from reasoner.solving.budget import DEFAULT_BUDGET, Budget

QUICK_PER_CHECK = 3
FULL_PER_CHECK = 40
ORDER_NOTE = ("A warm-up pass first builds and solves a few small queries (`warm_up_cases`) under every encoding, "
              "untimed; then each query runs under every encoding in turn, the order rotated by one per query, "
              "so each encoding runs first on an equal share of the queries.")


@dataclass(frozen=True)
class BenchSettings:
    encodings: tuple[str, ...] = tuple(ENCODINGS)
    quick: bool = False
    budget: Budget = DEFAULT_BUDGET
    per_check: int | None = None  # corpus queries per check; None: by `quick`
    corpus: bool = True
    families: tuple[str, ...] = tuple(FAMILIES)
    cvc5: bool = True  # run cvc5 too where it is installed

    def chosen(self) -> list[EncodingOptions]:
        return [encoding(name) for name in self.encodings]

    @property
    def baseline(self) -> str:
        """`plain` when it runs, else the first encoding."""
        return PLAIN.name if PLAIN.name in self.encodings else self.encodings[0]


@dataclass(frozen=True)
class BenchOutput:
    measurements: tuple[Measurement, ...]
    json_path: Path
    markdown_path: Path
    plot_path: Path | None  # None without matplotlib
    corpus_skipped: str | None  # why the corpus did not run


def bench_cases(settings: BenchSettings) -> tuple[list[BenchCase], str | None]:
    """The queries to run, and why the corpus is skipped (if it is)."""
    cases: list[BenchCase] = []
    skipped: str | None = None
    if settings.corpus:
        root = corpus_root()
        if corpus_present(root):
            per_check = settings.per_check or (QUICK_PER_CHECK if settings.quick else FULL_PER_CHECK)
            cases += corpus_cases(root, per_check)
        else:
            skipped = f"policy corpus not found at {root} (set PERIMETER_CORPUS)"
    wanted = {family: sizes for family, sizes in _sizes(settings.quick).items() if family in settings.families}
    cases += synthetic_cases(sizes=wanted)
    return cases, skipped


def _sizes(quick: bool) -> dict[str, tuple[int, ...]]:
    from reasoner.benchmark.synthetic import FULL_SIZES, QUICK_SIZES

    return QUICK_SIZES if quick else FULL_SIZES


def run_bench(settings: BenchSettings, out: Path,
              progress: Callable[[Measurement], None] | None = None) -> BenchOutput:
    """Run every query under every chosen encoding; write `bench.json`,
    `bench.md` and `bench.png` into `out`."""
    from reasoner.solving.solve import cvc5_available

    cases, skipped = bench_cases(settings)
    with_cvc5 = settings.cvc5 and cvc5_available()
    measurements = run_all(cases, settings.chosen(), settings.budget, with_cvc5=with_cvc5, progress=progress,
                           warm_up_cases=warm_up_cases())
    out.mkdir(parents=True, exist_ok=True)
    recorded = {"encodings": list(settings.encodings), "quick": settings.quick,
                "budget_units": settings.budget.units, "guard_s": settings.budget.guard_s,
                "per_check": settings.per_check, "families": list(settings.families), "cvc5": with_cvc5,
                "corpus_skipped": skipped, "order": ORDER_NOTE}
    json_path, markdown_path, plot_path = out / "bench.json", out / "bench.md", out / "bench.png"
    write_json(json_path, measurements, recorded, settings.baseline)
    markdown_path.write_text(markdown(measurements, settings.baseline, ORDER_NOTE), encoding="utf-8")
    drawn = plot(plot_path, measurements)
    return BenchOutput(tuple(measurements), json_path, markdown_path, plot_path if drawn else None, skipped)


def export_queries(settings: BenchSettings, out: Path) -> list[Path]:
    """The benchmark queries as SMT-LIB 2 files, `out/<encoding>/<query>.smt2`."""
    cases, _ = bench_cases(settings)
    return export_smtlib(cases, settings.chosen(), out)


__all__ = ["BenchOutput", "BenchSettings", "bench_cases", "export_queries", "run_bench"]

