"""`--format json`: one JSON document for the whole run (shape in docs/prove.md)."""

from __future__ import annotations

import json

from reasoner.prove.findings import Baseline, ProofReport
from reasoner.reports import report_json_object


def report_json(report: ProofReport, baseline: Baseline | None = None) -> str:
    return json.dumps(report_json_object(report, baseline or Baseline()), indent=2) + "\n"
