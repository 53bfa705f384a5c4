"""`perimeter dev bench` and `perimeter dev export-smt`: thin commands over `reasoner.benchmark`,
for developers of the encodings, in their own group so the user's help lists the user's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reasoner.cli.options import (
    DEFAULT_BUDGET_UNITS,
    DEFAULT_TIMEOUT_S,
    HELP_MARKUP,
    BudgetOption,
    TimeoutOption,
    at_least_one,
    budget_of,
)
from reasoner.cli.usage import SingleValuedOptionsGroup
from reasoner.encodings.options import ENCODINGS
from reasoner.solving.budget import Budget

_ENCODING_HELP = f"Encoding to run (repeatable; default: all of them). Known: {', '.join(ENCODINGS)}."


def register(app: typer.Typer) -> None:
    dev_app = typer.Typer(help="Developer tools: benchmarks of the encodings, SMT-LIB export.",
                          no_args_is_help=True, cls=SingleValuedOptionsGroup, rich_markup_mode=HELP_MARKUP)
    dev_app.command("bench", short_help="Time the checks over the corpus and synthetic families.")(bench_command)
    dev_app.command("export-smt", short_help="Write the benchmark queries as SMT-LIB 2 files.")(export_smt_command)
    app.add_typer(dev_app, name="dev", short_help="Developer tools: benchmarks, SMT-LIB export.")


def bench_command(
    encoding: Annotated[list[str] | None, typer.Option("--encoding", help=_ENCODING_HELP)] = None,
    quick: Annotated[bool, typer.Option("--quick", help="Small sizes, 3 corpus queries per check.")] = False,
    out: Annotated[Path, typer.Option("--out", help="Folder for bench.json, bench.md and bench.png.")] = Path(
        "benchmarks/results"),
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    per_check: Annotated[int | None, typer.Option("--per-check", callback=at_least_one,
                                                  help="Corpus queries per check.")] = None,
    family: Annotated[list[str] | None, typer.Option("--family", help="Synthetic family (repeatable).")] = None,
    no_corpus: Annotated[bool, typer.Option("--no-corpus", help="Synthetic families only.")] = False,
    no_cvc5: Annotated[bool, typer.Option("--no-cvc5", help="Do not run cvc5 even if installed.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="One line per query.")] = False,
    latency: Annotated[bool, typer.Option("--latency", help=(
        "Only the corpus checks' latency under the default encoding, z3 alone: median, p99 and maximum "
        "per check (--per-check queries each, default 40); nothing written."))] = False,
) -> None:
    """Time the checks over the corpus and synthetic families, per encoding."""
    if latency:
        _latency(per_check or 40, budget_of(budget, timeout), verbose)
        return
    from reasoner.benchmark.runner import Measurement
    from reasoner.benchmark.suite import BenchSettings, run_bench
    from reasoner.benchmark.synthetic import FAMILIES
    from reasoner.encodings.options import ENCODINGS

    settings = BenchSettings(encodings=tuple(encoding or ENCODINGS), quick=quick, budget=budget_of(budget, timeout),
                             per_check=per_check, corpus=not no_corpus, families=tuple(family or FAMILIES),
                             cvc5=not no_cvc5)
    settings.chosen()  # unknown names fail before any work

    def progress(m: Measurement) -> None:
        if verbose:
            cvc5 = f"  cvc5 {m.cvc5_result} {m.cvc5_seconds * 1000:.1f} ms" if m.cvc5_seconds is not None else ""
            typer.echo(f"{m.seconds * 1000:9.1f} ms {m.result:7} {m.encoding:9} {m.check:18} {m.label}{cvc5}",
                       err=True)

    output = run_bench(settings, out, progress)
    if output.corpus_skipped:
        typer.echo(f"note: {output.corpus_skipped}", err=True)
    typer.echo(output.markdown_path.read_text(encoding="utf-8"), nl=False)
    written = [output.json_path, output.markdown_path] + ([output.plot_path] if output.plot_path else [])
    typer.echo("wrote " + ", ".join(str(path) for path in written), err=True)


def _latency(per_check: int, budget: Budget, verbose: bool) -> None:
    from reasoner.benchmark.corpus import corpus_latency, corpus_present, corpus_root
    from reasoner.benchmark.runner import Measurement
    from reasoner.errors import InputError

    root = corpus_root()
    if not corpus_present(root):
        raise InputError(str(root), "", "corpus not found (set PERIMETER_CORPUS)")

    def progress(m: Measurement) -> None:
        if verbose or m.result == "UNKNOWN":
            reason = f" ({m.reason})" if m.reason else ""
            typer.echo(f"  {m.seconds * 1000:8.1f} ms {m.result:7} {m.label}{reason}", err=True)

    for found in corpus_latency(root, per_check, budget, progress=progress):
        typer.echo(found.line())


def export_smt_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for <encoding>/<query>.smt2 files.")],
    encoding: Annotated[list[str] | None, typer.Option("--encoding", help=_ENCODING_HELP)] = None,
    quick: Annotated[bool, typer.Option("--quick", help="Small sizes, 3 corpus queries per check.")] = False,
    no_corpus: Annotated[bool, typer.Option("--no-corpus", help="Synthetic families only.")] = False,
) -> None:
    """Write the benchmark queries as SMT-LIB 2 files (sat iff the property fails)."""
    from reasoner.benchmark.suite import BenchSettings, export_queries
    from reasoner.encodings.options import ENCODINGS

    settings = BenchSettings(encodings=tuple(encoding or ENCODINGS), quick=quick, corpus=not no_corpus)
    settings.chosen()
    written = export_queries(settings, out)
    typer.echo(f"wrote {len(written)} SMT-LIB files under {out}")
