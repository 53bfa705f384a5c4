"""Writers of a `CheckReport` (one check over many policies): text, JSON, SARIF 2.1.0
and JUnit XML. The shape is the one every multi-policy check report shares: a top-level
`check`, `result` and `exit_code`, and one entry per policy under `results`, each the
single-check object (`check`, `result`, `witness`, `reasons`, `reason`) with the policy
(`policy`, `file`) it is about and, for no-new-access, `compared_with`.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from reasoner.checks.batch import CheckReport, PolicyCheck
from reasoner.checks.run import result_text
from reasoner.policy.model import StatementRef
from reasoner.reports import relative_file
from reasoner.reports.sarif import sarif_log, tool_driver, warning_results, warning_rule

FINGERPRINT_KEY = "perimeterCheck/v1"
RULES = {
    "no-public-access": "A resource policy grants access to a caller it does not identify",
    "no-new-access": "A policy allows a request the policy it is compared with does not",
    "access-not-granted": "A policy allows an action that must not be granted",
}
_STYLES = {"PASS": "\033[32m", "FAIL": "\033[31m", "UNKNOWN": "\033[33m"}


# -- text ---------------------------------------------------------------------


def check_report_text(report: CheckReport, *, colour: bool = False) -> str:
    """
        FAIL: no-public-access policies/public.json
          statement 0 (Public) of the resource policy allows ...
          witness request (replayed through the reference evaluator: Allow):
          ...
        PASS: no-public-access policies/private.json
        2 policies checked: 1 FAIL, 0 UNKNOWN, 1 PASS
    """
    lines: list[str] = []
    for entry in report.entries:
        head = entry.result.result
        if colour:
            head = f"{_STYLES[head]}{head}\033[0m"
        where = f"  [{entry.location}:{entry.line}]" if entry.line is not None else \
            (f"  [{entry.location}]" if entry.file is not None else "")
        lines.append(f"{head}: {report.check} {entry.policy}{where}")
        if entry.compared_with is not None:
            lines.append(f"  compared with {entry.compared_with}")
        lines += [f"  warning: {warning.text}" for warning in entry.warnings]
        lines += result_text(entry.result, colour=False).splitlines()[1:]
    noun = "policy" if len(report.entries) == 1 else "policies"
    lines.append(f"{len(report.entries)} {noun} checked: " + ", ".join(
        f"{report.count(result)} {result}" for result in ("FAIL", "UNKNOWN", "PASS")))
    return "\n".join(lines) + "\n"


# -- JSON ---------------------------------------------------------------------


def entry_json(entry: PolicyCheck) -> dict[str, Any]:
    document: dict[str, Any] = {"policy": entry.policy, "file": entry.location}
    if entry.address is not None:
        document["address"] = entry.address
    if entry.line is not None:
        document["line"] = entry.line
    if entry.compared_with is not None:
        document["compared_with"] = entry.compared_with
    return {**document, **single_check_json(entry)}


def single_check_json(entry: PolicyCheck) -> dict[str, Any]:
    """The interface's single-check object, with the policy's `warnings` (policy lint,
    each `{file, path, line, message}`) when there is any."""
    document = entry.result.to_json()
    if entry.warnings:
        document["warnings"] = [warning.to_json() for warning in entry.warnings]
    return document


def single_check_text(entry: PolicyCheck, *, colour: bool) -> str:
    """The single-check text: the result's head line, the warnings, then the rest."""
    head, *rest = result_text(entry.result, colour=colour).splitlines()
    return "\n".join([head, *(f"  warning: {warning.text}" for warning in entry.warnings), *rest])


def check_report_json(report: CheckReport) -> str:
    return json.dumps({"check": report.check, "result": report.result, "exit_code": report.exit_code,
                       "results": [entry_json(entry) for entry in report.entries]}, indent=2) + "\n"


# -- SARIF --------------------------------------------------------------------


def _deciding(entry: PolicyCheck) -> list[StatementRef]:
    """The witness's deciding statements that are in the checked policy's file."""
    if entry.result.witness is None:
        return []
    return [ref for ref in entry.result.witness.result.determining if ref.source == entry.location]


def _location(file: str, line: int | None, root: Path, text: str | None = None,
              address: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": relative_file(file, root)}}
    if line is not None:
        physical["region"] = {"startLine": line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if address is not None:  # a Terraform resource address or a CloudFormation logical id
        location["logicalLocations"] = [{"fullyQualifiedName": address, "kind": "resource"}]
    if text is not None:
        location["message"] = {"text": text}
    return location


def _statement_text(ref: StatementRef) -> str:
    return f"statement {ref.statement}" + (f' "{ref.sid}"' if ref.sid else "")


def fingerprint(check: str, entry: PolicyCheck, root: Path) -> str:
    """What identifies a finding across runs: the check, the policy file (and the one it
    is compared with) and the deciding statements, never the witness values or lines."""
    parts = [check, relative_file(entry.policy, root) if entry.file is None else
             f"{relative_file(entry.file, root)}#{entry.policy}",
             relative_file(entry.compared_with, root) if entry.compared_with else "",
             *(f"{ref.statement}:{ref.sid or ''}" for ref in _deciding(entry))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _sarif_result(report: CheckReport, entry: PolicyCheck, root: Path) -> dict[str, Any]:
    deciding = _deciding(entry)
    if deciding:
        locations = [_location(entry.location, deciding[0].line, root, _statement_text(deciding[0]),
                               entry.address)]
        related = [{"id": number, **_location(entry.location, ref.line, root, _statement_text(ref))}
                   for number, ref in enumerate(deciding[1:], 1)]
    else:
        locations, related = [_location(entry.location, entry.line, root, address=entry.address)], []
    lines = [f"{report.check} fails for {entry.policy}"
             + (f" (compared with {entry.compared_with})" if entry.compared_with else ""),
             *entry.result.reasons]
    witness = entry.result.witness
    if witness is not None:
        lines.append(f"Witness request ({witness.result.decision.value}): {json.dumps(witness.request_json())}")
    result: dict[str, Any] = {
        "ruleId": report.check,
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "\n".join(lines)},
        "locations": locations,
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(report.check, entry, root)},
        "properties": entry_json(entry),
    }
    if related:
        result["relatedLocations"] = related
    return result


def check_report_sarif(report: CheckReport, *, root: Path | None = None) -> str:
    """One rule (the check), one result per failing policy located at the statement that
    decided the witness (file relative to `root`, the current directory by default, and
    line); an UNKNOWN policy is a tool notification naming it and why."""
    base = root or Path.cwd()
    rule: dict[str, object] = {
        "id": report.check, "name": report.check, "shortDescription": {"text": RULES[report.check]},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security", "iam"], "security-severity": "8.0"}}
    notifications = [
        {"level": "warning", "descriptor": {"id": report.check},
         "message": {"text": f"{report.check} is UNKNOWN for {entry.policy}: "
                             f"{entry.result.unknown_reason or 'no reason given'}"},
         "locations": [_location(entry.location, entry.line if entry.file else entry.result.unknown_line, base,
                                 address=entry.address)]}
        for entry in report.entries if entry.result.result == "UNKNOWN"]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    results = [_sarif_result(report, entry, base) for entry in report.entries if entry.result.result == "FAIL"]
    rules = [rule]
    warnings = list(dict.fromkeys(warning for entry in report.entries for warning in entry.warnings))
    if warnings:
        results += warning_results(warnings, 1, base)
        rules.append(warning_rule())
    return sarif_log({
        "tool": {"driver": tool_driver(rules)},
        "invocations": [invocation],
        "results": results,
    })


# -- JUnit --------------------------------------------------------------------


def check_report_junit(report: CheckReport) -> str:
    """One test case per policy: FAIL is a failure, UNKNOWN an error (never a pass)."""
    suites = ET.Element("testsuites", name=f"perimeter check {report.check}")
    suite = ET.SubElement(suites, "testsuite", name=report.check)
    total = 0.0
    for entry in report.entries:
        case = ET.SubElement(suite, "testcase", classname=report.check, name=entry.policy,
                             time=f"{entry.result.seconds:.3f}")
        total += entry.result.seconds
        details = "\n".join(([f"compared with {entry.compared_with}"] if entry.compared_with else [])
                            + result_text(entry.result, colour=False).splitlines()[1:])
        if entry.result.result == "FAIL":
            message = entry.result.reasons[0] if entry.result.reasons else f"{report.check} fails"
            ET.SubElement(case, "failure", type="CheckFailed", message=message).text = details
        elif entry.result.result == "UNKNOWN":
            ET.SubElement(case, "error", type="Unknown",
                          message=f"UNKNOWN: {entry.result.unknown_reason or ''}".strip()).text = details
        if entry.warnings:  # policy lint: the result stands
            ET.SubElement(case, "system-out").text = "\n".join(f"warning: {w.text}" for w in entry.warnings)
    for element in (suites, suite):
        element.set("tests", str(len(report.entries)))
        element.set("failures", str(report.count("FAIL")))
        element.set("errors", str(report.count("UNKNOWN")))
        element.set("time", f"{total:.3f}")
    suite.set("skipped", "0")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render_check_report(report: CheckReport, output_format: str, *, colour: bool = False) -> str:
    if output_format == "json":
        return check_report_json(report)
    if output_format == "sarif":
        return check_report_sarif(report)
    if output_format == "junit":
        return check_report_junit(report)
    return check_report_text(report, colour=colour)
