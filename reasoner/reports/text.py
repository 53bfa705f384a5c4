"""`--format text`: a few lines per invariant for people, with a witness per finding."""

from __future__ import annotations

import json

from reasoner.policy.model import Effect, StatementRef
from reasoner.prove.findings import Baseline, Finding, InvariantResult, ProofReport, Status
from reasoner.reports import request_json

_COLOURS = {Status.PASS: "\x1b[1;32m", Status.FAIL: "\x1b[1;31m", Status.UNKNOWN: "\x1b[1;33m"}
_RESET = "\x1b[0m"


def report_text(report: ProofReport, baseline: Baseline | None = None, *, colour: bool = False) -> str:
    """
        examples/perimeter/perimeter.yaml
          PASS     only-trusted-identities: Only trusted identities can access my resources (0.4 s)
          FAIL     topic-publish: ... (1 finding, 1 new)
            [new] outside-org can sns:Publish
              condition: aws:PrincipalOrgID is not o-a1b2c3d4e5
              witness: {"principal": ..., "action": "sns:Publish", ...}
              decision: Allow
              allowed by resource_policy statement 0 "Publish" (policies/topic.json:4)
              fingerprint: 3f1c...
        2 proven, 1 failed (1 new finding), 0 unknown
    """
    accepted = baseline or Baseline()
    lines = [report.perimeter_file]
    lines += [f"  warning: {warning.text}" for warning in report.warnings]
    for result in report.results:
        lines += _result_lines(result, accepted, colour)
    lines.append(_summary(report, accepted))
    return "\n".join(lines)


def _result_lines(result: InvariantResult, baseline: Baseline, colour: bool) -> list[str]:
    status = f"{result.status.value:<8}"
    if colour:
        status = f"{_COLOURS[result.status]}{status}{_RESET}"
    head = f"  {status} {result.invariant_id}: {result.description} ({result.seconds:.1f} s)"
    if result.findings:
        new = sum(1 for finding in result.findings if not baseline.accepts(finding))
        head = head[:-1] + f", {_count(len(result.findings), 'finding')}, {new} new)"
    lines = [head]
    if result.unknown_parts:  # each undecided part names its resources and policies
        lines += [f"    undecided: {part.text}" for part in result.unknown_parts]
    elif result.reason:
        lines.append(f"    {result.reason}")
    for finding in result.findings:
        lines += _finding_lines(finding, baseline)
    return lines


def _finding_lines(finding: Finding, baseline: Baseline) -> list[str]:
    tag = "[baselined]" if baseline.accepts(finding) else "[new]"
    lines = [
        f"    {tag} {finding.title}",
        f"      principals: {finding.principal_class}; actions: {', '.join(finding.actions)}",
        f"      condition: {finding.condition}",
        f"      witness: {json.dumps(request_json(finding.witness_request))}",
        f"      decision: {finding.decision.value}",
    ]
    lines += [f"      {statement_line(ref)}" for ref in finding.determining]
    if finding.explanation:
        lines.append(f"      {finding.explanation}")
    lines.append(f"      fingerprint: {finding.fingerprint}")
    return lines


def statement_line(ref: StatementRef) -> str:
    verb = "allowed by" if ref.effect is Effect.ALLOW else "denied by"
    if ref.synthetic:
        return f"{verb} an assumption, not a policy of yours: {ref.stands_for}"
    text = f"{verb} {ref.policy} statement {ref.statement}"
    if ref.sid is not None:
        text += f' "{ref.sid}"'
    if ref.source != "<inline>":
        text += f" ({ref.source}:{ref.line})" if ref.line is not None else f" ({ref.source})"
    return text


def _summary(report: ProofReport, baseline: Baseline) -> str:
    counts = {status: sum(1 for result in report.results if result.status is status) for status in Status}
    new = len(baseline.new_findings(report))
    return (f"{counts[Status.PASS]} proven, {counts[Status.FAIL]} failed ({_count(new, 'new finding')}), "
            f"{counts[Status.UNKNOWN]} unknown")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
