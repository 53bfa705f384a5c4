"""What `perimeter prove` finds: per invariant a status and the findings, i.e. the
distinct classes of access that break it, each with a witness request replayed
through the reference evaluator. Baselines of accepted findings, and the exit code.

No solver here: the prover (`reasoner.prove.proof`) builds these; the writers in
`reasoner.reports` render them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.lint import PolicyWarning
from reasoner.policy.model import Decision, Request, StatementRef
from reasoner.policy.parse import load_json_text

# (what is being proved, e.g. an invariant id; steps done; steps in all)
ProgressCallback = Callable[[str, int, int], None]

EXIT_PROVEN = 0
EXIT_NEW_FINDINGS = 1
EXIT_UNKNOWN = 3


class Status(Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Finding:
    invariant_id: str
    fingerprint: str
    title: str
    principal_class: str  # e.g. "outside-org", "account 444455556666", "anonymous"
    actions: tuple[str, ...]  # the action set of this class of access
    condition: str  # what made the access possible, e.g. "aws:SourceVpc absent"
    witness_request: Request
    decision: Decision  # the evaluator's decision on the witness
    determining: tuple[StatementRef, ...]  # the statements that decided the witness
    explanation: str


def fingerprint(invariant_id: str, principal_class: str, actions: Iterable[str],
                determining: Iterable[StatementRef], condition: str = "") -> str:
    """A stable identity for a finding across runs: the invariant, the principal class,
    the action set, the statements involved (file, statement index and Sid: not the
    line, which moves when something above it is edited) and the condition text (which
    tells apart two classes decided by the same statements, e.g. through two networks).
    Witness values are left out, since the solver may pick different ones on each run."""
    statements = sorted({(ref.source, ref.statement, ref.sid or "") for ref in determining})
    material = json.dumps([invariant_id, principal_class, sorted(set(actions)), statements, condition],
                          separators=(",", ":"))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def make_finding(*, invariant_id: str, title: str, principal_class: str, actions: tuple[str, ...], condition: str,
                 witness_request: Request, decision: Decision, determining: tuple[StatementRef, ...],
                 explanation: str) -> Finding:
    return Finding(
        invariant_id=invariant_id,
        fingerprint=fingerprint(invariant_id, principal_class, actions, determining, condition),
        title=title, principal_class=principal_class, actions=actions, condition=condition,
        witness_request=witness_request, decision=decision, determining=determining, explanation=explanation,
    )


@dataclass(frozen=True)
class UnknownPart:
    """One part of an invariant that was not decided: the principal class and network of
    the query, the resources it was about, the policies it read (their files or labels)
    and why."""

    caller: str
    network: str
    resources: tuple[str, ...]
    policies: tuple[str, ...]
    reason: str

    @property
    def text(self) -> str:
        on = ", ".join(self.resources) or "every resource"
        read = ", ".join(self.policies) or "no policy of yours"
        return f"{self.caller} via {self.network} on {on} (policies: {read}): {self.reason}"

    def to_json(self) -> dict[str, object]:
        return {"caller": self.caller, "network": self.network, "resources": list(self.resources),
                "policies": list(self.policies), "reason": self.reason}


@dataclass(frozen=True)
class InvariantResult:
    invariant_id: str
    description: str
    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str | None = None  # why UNKNOWN (a timeout, an unsupported construct), or a note
    seconds: float = 0.0
    line: int | None = None  # line of the invariant in the perimeter file, when known
    unknown_parts: tuple[UnknownPart, ...] = ()  # what was not decided, also when others FAIL


@dataclass(frozen=True)
class ProofReport:
    perimeter_file: str
    results: tuple[InvariantResult, ...]
    warnings: tuple[PolicyWarning, ...] = ()  # policy lint of every policy read: the results stand

    def findings(self) -> tuple[Finding, ...]:
        return tuple(finding for result in self.results for finding in result.findings)


# ---------------------------------------------------------------------------
# Baselines


@dataclass(frozen=True)
class Baseline:
    """Fingerprints of findings accepted as known: they do not fail the run."""

    fingerprints: frozenset[str] = frozenset()

    def accepts(self, finding: Finding) -> bool:
        return finding.fingerprint in self.fingerprints

    def new_findings(self, report: ProofReport) -> tuple[Finding, ...]:
        return tuple(finding for finding in report.findings() if not self.accepts(finding))


BASELINE_VERSION = 1


def baseline_json(report: ProofReport) -> str:
    """A baseline accepting every finding of the report; the titles are for people reading diffs."""
    entries = sorted(
        ({"fingerprint": finding.fingerprint, "invariant": finding.invariant_id, "title": finding.title}
         for finding in report.findings()),
        key=lambda entry: (entry["invariant"], entry["fingerprint"]),
    )
    return json.dumps({"version": BASELINE_VERSION, "perimeter": report.perimeter_file, "findings": entries},
                      indent=2) + "\n"


def load_baseline(path: Path) -> Baseline:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(source, "", f"cannot read file: {error.strerror or error}") from None
    data: Any = load_json_text(text, source)
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise InputError(source, "version" if isinstance(data, dict) else "",
                         f"expected a baseline written by --write-baseline (version {BASELINE_VERSION})")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise InputError(source, "findings", "expected a list")
    fingerprints = set()
    for index, entry in enumerate(entries):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            raise InputError(source, f"findings[{index}].fingerprint", "expected a non-empty string")
        fingerprints.add(value)
    return Baseline(frozenset(fingerprints))


def exit_code(report: ProofReport, baseline: Baseline | None = None) -> int:
    """1 when there is a finding the baseline does not accept; else 3 when an invariant
    is UNKNOWN; else 0. A new finding beats UNKNOWN: it is a definite failure that the
    user must fix whatever the other invariants turn out to be."""
    if (baseline or Baseline()).new_findings(report):
        return EXIT_NEW_FINDINGS
    if any(result.status is Status.FAIL and not result.findings for result in report.results):
        return EXIT_NEW_FINDINGS  # a failure without a finding to accept cannot be baselined
    if any(result.status is Status.UNKNOWN for result in report.results):
        return EXIT_UNKNOWN
    return EXIT_PROVEN
