"""`--format junit`: JUnit XML, one test case per invariant.

A FAIL with a new finding is a `<failure>`; UNKNOWN is an `<error>` (never a pass);
a FAIL whose findings are all in the baseline passes, its findings listed in
`<system-out>`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from reasoner.prove.findings import Baseline, Finding, InvariantResult, ProofReport, Status
from reasoner.reports import request_json
from reasoner.reports.text import statement_line


def report_junit(report: ProofReport, baseline: Baseline | None = None) -> str:
    accepted = baseline or Baseline()
    suites = ET.Element("testsuites", name="perimeter prove")
    suite = ET.SubElement(suites, "testsuite", name=report.perimeter_file)
    failures = errors = 0
    total_seconds = 0.0
    for result in report.results:
        case = ET.SubElement(suite, "testcase", classname=report.perimeter_file, name=result.invariant_id,
                             time=f"{result.seconds:.3f}")
        total_seconds += result.seconds
        new = [finding for finding in result.findings if not accepted.accepts(finding)]
        if result.status is Status.UNKNOWN:
            errors += 1
            element = ET.SubElement(case, "error", type="Unknown", message=f"UNKNOWN: {result.reason or ''}".strip())
            element.text = result.reason or ""
        elif result.status is Status.FAIL and (new or not result.findings):
            failures += 1
            element = ET.SubElement(case, "failure", type="InvariantViolated",
                                    message=_failure_message(result, len(new)))
            element.text = "\n\n".join(_finding_text(finding, accepted) for finding in result.findings)
        elif result.findings:
            ET.SubElement(case, "system-out").text = "\n\n".join(
                _finding_text(finding, accepted) for finding in result.findings)
    if report.warnings:
        ET.SubElement(suite, "system-out").text = "\n".join(f"warning: {w.text}" for w in report.warnings)
    for element in (suites, suite):
        element.set("tests", str(len(report.results)))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
        element.set("time", f"{total_seconds:.3f}")
    suite.set("skipped", "0")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _failure_message(result: InvariantResult, new: int) -> str:
    return f"{result.invariant_id}: {len(result.findings)} finding(s), {new} new: {result.description}"


def _finding_text(finding: Finding, baseline: Baseline) -> str:
    tag = "baselined" if baseline.accepts(finding) else "new"
    lines = [
        f"[{tag}] {finding.title}",
        f"condition: {finding.condition}",
        f"witness ({finding.decision.value}): {json.dumps(request_json(finding.witness_request))}",
        *(statement_line(ref) for ref in finding.determining),
        f"fingerprint: {finding.fingerprint}",
    ]
    return "\n".join(lines)
