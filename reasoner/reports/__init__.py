"""Writers of a `ProofReport`: text for people, JSON, SARIF 2.1.0 and JUnit XML.

Each renders to a string; writing it out is the CLI's job.
"""

from __future__ import annotations

import os
from pathlib import Path

from reasoner.policy.key_names import catalogue_spelling
from reasoner.policy.model import Request, StatementRef
from reasoner.prove.findings import Baseline, Finding, InvariantResult, ProofReport, exit_code


def request_json(request: Request) -> dict[str, object]:
    """The witness in the shape of a scenario file's `request` (interface.md), so it can be
    pasted into a scenario and replayed with `perimeter evaluate`."""
    context: dict[str, object] = {
        catalogue_spelling(key): list(values) if key in request.multi_valued_keys or len(values) != 1 else values[0]
        for key, values in sorted(request.context.items())
    }
    data: dict[str, object] = {"principal": request.principal.text, "action": request.action,
                               "resource": request.resource}
    if request.resource_account is not None:
        data["resource_account"] = request.resource_account
    data["context"] = context
    return data


def statement_json(ref: StatementRef) -> dict[str, object]:
    return {**ref.to_json(), "file": ref.source, "line": ref.line}


def finding_json(finding: Finding, baseline: Baseline) -> dict[str, object]:
    return {
        "fingerprint": finding.fingerprint,
        "title": finding.title,
        "principal_class": finding.principal_class,
        "actions": list(finding.actions),
        "condition": finding.condition,
        "baselined": baseline.accepts(finding),
        "witness": {
            "request": request_json(finding.witness_request),
            "decision": finding.decision.value,
            "determining": [statement_json(ref) for ref in finding.determining],
        },
        "explanation": finding.explanation,
    }


def invariant_json(result: InvariantResult, baseline: Baseline) -> dict[str, object]:
    document: dict[str, object] = {
        "id": result.invariant_id,
        "description": result.description,
        "result": result.status.value,
        "reason": result.reason,
        "seconds": round(result.seconds, 3),
        "findings": [finding_json(finding, baseline) for finding in result.findings],
    }
    if result.unknown_parts:  # what was not decided (resources, policies, why), when any
        document["unknown"] = [part.to_json() for part in result.unknown_parts]
    return document


def report_json_object(report: ProofReport, baseline: Baseline) -> dict[str, object]:
    document: dict[str, object] = {
        "perimeter": report.perimeter_file,
        "exit_code": exit_code(report, baseline),
        "invariants": [invariant_json(result, baseline) for result in report.results],
    }
    if report.warnings:  # policy lint, when there is any: the results stand
        document["warnings"] = [warning.to_json() for warning in report.warnings]
    return document


def relative_file(source: str, root: Path) -> str:
    """A file as a forward-slash path relative to `root` when it lies inside it."""
    path = Path(source)
    if path.is_absolute():
        try:
            path = path.relative_to(root.resolve())
        except ValueError:
            return path.as_posix()
    return Path(os.path.normpath(path)).as_posix()
