"""Pick the writer for an output format."""

from __future__ import annotations

from reasoner.prove.findings import Baseline, ProofReport
from reasoner.reports.json_report import report_json
from reasoner.reports.junit import report_junit
from reasoner.reports.sarif import report_sarif
from reasoner.reports.text import report_text

FORMATS = ("text", "json", "sarif", "junit", "markdown")


def render_report(report: ProofReport, output_format: str, baseline: Baseline | None = None, *,
                  colour: bool = False) -> str:
    if output_format == "json":
        return report_json(report, baseline)
    if output_format == "sarif":
        return report_sarif(report, baseline)
    if output_format == "junit":
        return report_junit(report, baseline)
    if output_format == "markdown":
        from reasoner.reports.markdown import report_markdown

        return report_markdown(report, baseline)
    if output_format == "text":
        return report_text(report, baseline, colour=colour) + "\n"
    raise ValueError(f"unknown output format {output_format!r} (expected one of {', '.join(FORMATS)})")
