"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning.

One rule per invariant, one result per finding. A result's location is the policy
statement that made the access possible (file relative to `root`, normally the
repository root where CI runs, and the statement's line), so code scanning
annotates that statement; the other statements that decided the witness are
related locations. A finding decided by no statement (an implicit deny breaking an
`expect: allow` invariant) points at the invariant in the perimeter file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from reasoner import project_url, tool_version
from reasoner.inputs.model import FULL_AWS_ACCESS
from reasoner.policy.lint import PolicyWarning
from reasoner.policy.model import StatementRef
from reasoner.prove.findings import Baseline, Finding, InvariantResult, ProofReport, Status, UnknownPart
from reasoner.reports import relative_file, request_json, statement_json
from reasoner.reports.text import statement_line

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "perimeterFinding/v1"
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def tool_driver(rules: list[dict[str, object]]) -> dict[str, object]:
    """SARIF's `tool.driver`: the name, the installed version (`semanticVersion` too when
    it is one), and `informationUri` only when the package's metadata declares a home
    page (never a made-up address)."""
    version = tool_version()
    driver: dict[str, object] = {"name": "perimeter", "version": version}
    if _SEMVER.fullmatch(version):
        driver["semanticVersion"] = version
    uri = project_url()
    if uri is not None:
        driver["informationUri"] = uri
    driver["rules"] = rules
    return driver


def sarif_log(run: dict[str, object]) -> str:
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def error_sarif(message: str, exit_code: int) -> str:
    """A valid SARIF log with no results for a run that stopped on an error (bad input,
    exit 2): the error is a tool notification, so an upload step after it uploads an
    empty report instead of failing a second time on a missing or half-written file."""
    return sarif_log({
        "tool": {"driver": tool_driver([])},
        "invocations": [{"executionSuccessful": False, "exitCode": exit_code,
                         "toolExecutionNotifications": [{"level": "error", "message": {"text": message}}]}],
        "results": [],
    })


WARNING_RULE_ID = "policy-warning"


def warning_rule() -> dict[str, object]:
    """The rule of policy lint results (reasoner.policy.lint): a warning, never an error."""
    return {
        "id": WARNING_RULE_ID, "name": WARNING_RULE_ID,
        "shortDescription": {"text": "A policy names an action or condition key the AWS catalogue does not know, "
                                     "or says something AWS's policy validation warns about"},
        "help": {"text": "An unknown action matches no request and an unknown condition key is absent from every "
                         "request: the answer is decided on what the policy says, which may not be what was meant. "
                         "Fix the spelling the message suggests."},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["iam", "policy-lint"]},
    }


def warning_results(warnings: Iterable[PolicyWarning], rule_index: int, root: Path) -> list[dict[str, object]]:
    """One SARIF result per warning (level warning), at its statement's line."""
    results: list[dict[str, object]] = []
    for warning in warnings:
        file = warning.source.split(": ", 1)[0]
        physical: dict[str, object] = {"artifactLocation": {"uri": relative_file(file, root)}}
        if warning.line is not None:
            physical["region"] = {"startLine": warning.line}
        results.append({
            "ruleId": WARNING_RULE_ID, "ruleIndex": rule_index, "level": "warning",
            "message": {"text": warning.text},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {"perimeterWarning/v1": hashlib.sha256(
                f"{relative_file(file, root)}|{warning.path}|{warning.message}".encode()).hexdigest()[:32]},
            "properties": warning.to_json(),
        })
    return results


def report_sarif(report: ProofReport, baseline: Baseline | None = None, *, root: Path | None = None) -> str:
    accepted = baseline or Baseline()
    base = root or Path.cwd()
    rule_index = {result.invariant_id: index for index, result in enumerate(report.results)}
    results = [
        _result(finding, result, rule_index[result.invariant_id], report, accepted, base)
        for result in report.results for finding in result.findings
    ]
    notifications: list[dict[str, object]] = []
    for result in report.results:
        if result.unknown_parts:  # one per undecided part, also beside findings, located at its policies
            notifications += [_unknown_notification(result, part, base) for part in result.unknown_parts]
        elif result.status is Status.UNKNOWN:
            notifications.append({
                "level": "warning", "descriptor": {"id": result.invariant_id},
                "message": {"text": f"{result.invariant_id} is UNKNOWN: {result.reason or 'no reason given'}"}})
    invocation: dict[str, object] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    rules = [_rule(result) for result in report.results]
    if report.warnings:
        results += warning_results(report.warnings, len(rules), base)
        rules.append(warning_rule())
    return sarif_log({
        "tool": {"driver": tool_driver(rules)},
        "invocations": [invocation],
        "results": results,
    })


def _unknown_notification(result: InvariantResult, part: UnknownPart, root: Path) -> dict[str, object]:
    verb = "is UNKNOWN" if result.status is Status.UNKNOWN else "is partly UNKNOWN"
    notification: dict[str, object] = {
        "level": "warning", "descriptor": {"id": result.invariant_id},
        "message": {"text": f"{result.invariant_id} {verb}: {part.text}"},
        "properties": part.to_json(),
    }
    files = list(dict.fromkeys(source.split(": ", 1)[0] for source in part.policies))
    if files:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": relative_file(file, root)}}}
                                     for file in files]
    return notification


_HELP = ("The result's location is the policy statement that decided the witness request. Fix the policy "
         "(or the perimeter file's zone of trust) so the request gets the decision the invariant expects, or "
         "accept the finding with --write-baseline / --baseline. Replay the witness with `perimeter evaluate`.")


def _rule(result: InvariantResult) -> dict[str, object]:
    return {
        "id": result.invariant_id,
        "shortDescription": {"text": result.description},
        "fullDescription": {"text": f"Perimeter invariant {result.invariant_id}: {result.description}"},
        "help": {"text": _HELP},
        "defaultConfiguration": {"level": "error"},
        # read by GitHub code scanning to rank alerts ("high")
        "properties": {"tags": ["security", "iam", "data-perimeter"], "security-severity": "8.0",
                       "status": result.status.value},
    }


def _result(finding: Finding, result: InvariantResult, index: int, report: ProofReport, baseline: Baseline,
            root: Path) -> dict[str, object]:
    located = [ref for ref in finding.determining if _file_of(ref) is not None]
    if located:
        locations = [_statement_location(located[0], root)]
        related = [{"id": number, **_statement_location(ref, root)} for number, ref in enumerate(located[1:], 1)]
    else:
        region = {"region": {"startLine": result.line}} if result.line is not None else {}
        locations = [{"physicalLocation": {
            "artifactLocation": {"uri": relative_file(report.perimeter_file, root)}, **region}}]
        related = []
    lines = [finding.title, f"Condition: {finding.condition}",
             f"Witness request ({finding.decision.value}): {json.dumps(request_json(finding.witness_request))}"]
    lines += [statement_line(ref) for ref in finding.determining]
    sarif_result: dict[str, object] = {
        "ruleId": finding.invariant_id,
        "ruleIndex": index,
        "level": "error",
        "baselineState": "unchanged" if baseline.accepts(finding) else "new",
        "message": {"text": "\n".join(lines)},
        "locations": locations,
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "principalClass": finding.principal_class,
            "actions": list(finding.actions),
            "witness": {"request": request_json(finding.witness_request), "decision": finding.decision.value,
                        "determining": [statement_json(ref) for ref in finding.determining]},
        },
    }
    if related:
        sarif_result["relatedLocations"] = related
    return sarif_result


def _file_of(ref: StatementRef) -> str | None:
    """The file a statement is in; an inline policy's source is labelled "FILE: slot"."""
    if ref.source in ("<inline>", FULL_AWS_ACCESS):
        return None
    return ref.source.split(": ", 1)[0]


def _statement_location(ref: StatementRef, root: Path) -> dict[str, object]:
    file = _file_of(ref)
    assert file is not None  # callers pass located statements only
    physical: dict[str, object] = {"artifactLocation": {"uri": relative_file(file, root)}}
    if ref.line is not None:
        physical["region"] = {"startLine": ref.line}
    sid = f' "{ref.sid}"' if ref.sid else ""
    return {"physicalLocation": physical, "message": {"text": f"{ref.policy} statement {ref.statement}{sid}"}}
