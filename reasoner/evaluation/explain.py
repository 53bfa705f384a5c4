"""`perimeter evaluate`: decide scenario files and render the outcome as JSON lines or
as text for people. Renders to strings; printing is the CLI's job."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reasoner.evaluation.action_types import resource_fits_action
from reasoner.evaluation.evaluate import evaluate, policy_slots
from reasoner.evaluation.scenario import Scenario, load_scenario
from reasoner.policy.action_resources import types_of
from reasoner.policy.lint import PolicyWarning, policy_warnings
from reasoner.policy.model import Decision, Effect, PolicySet, Request, Result, StatementRef


@dataclass(frozen=True)
class Evaluation:
    scenario: Scenario
    result: Result
    warnings: tuple[PolicyWarning, ...] = ()  # policy lint: the decision stands
    notes: tuple[str, ...] = ()  # how the request was read, where the scenario left it open


def evaluate_scenarios(paths: Sequence[Path],
                       prepare: Callable[[PolicySet], PolicySet] | None = None) -> list[Evaluation]:
    """Every scenario is loaded and validated before any is decided, so one bad file
    stops the run before anything is reported. `prepare` fills in what the
    evaluator takes as given (whether a bucket policy is public, for Block Public
    Access), from a stage above this one."""
    scenarios = [load_scenario(path) for path in paths]
    if prepare is not None:
        scenarios = [replace(s, policies=prepare(s.policies)) for s in scenarios]
    return [Evaluation(scenario, evaluate(scenario.request, scenario.policies),
                       tuple(policy_warnings(slot.policy for slot in policy_slots(scenario.policies))),
                       request_notes(scenario.request))
            for scenario in scenarios]


def request_notes(request: Request) -> tuple[str, ...]:
    """What the evaluator assumed about the request: a resource whose ARN names no
    account (S3) and no `resource_account` is decided as a same-account request
    (reasoner.evaluation.evaluate.same_account); a resource of a type the
    catalogue does not list for the action is decided as given, though no real
    request names it (reasoner.evaluation.action_types)."""
    notes = []
    if request.resource_account is None and request.resource != "*":
        owner = request.principal.account
        where = f"in {owner}, the caller's account" if owner else "in the caller's account"
        notes.append(f"no resource_account and {request.resource} names no account: decided as a same-account "
                     f"request (the resource taken to be {where}); give request.resource_account for a "
                     "cross-account request")
    if not resource_fits_action(request.action, request.resource):
        names = ", ".join(shape.name for shape in types_of(request.action)) or "none: its resource is *"
        notes.append(f"{request.action} is not made on {request.resource} (the catalogue's resource types for it: "
                     f"{names}): decided as given, but no real request names it, and the checks never ask about it")
    return tuple(notes)


def evaluation_json(evaluation: Evaluation) -> str:
    result = evaluation.result
    document: dict[str, object] = {
        "scenario": evaluation.scenario.source,
        "decision": result.decision.value,
        "determining": [ref.to_json() for ref in result.determining],
        "blocked_by": list(result.blocked_by),
    }
    if evaluation.notes:  # present only when there is something to say
        document["notes"] = list(evaluation.notes)
    if evaluation.warnings:
        document["warnings"] = [warning.to_json() for warning in evaluation.warnings]
    return json.dumps(document)


_DECISION_COLOURS = {
    Decision.ALLOW: "\x1b[1;32m",
    Decision.EXPLICIT_DENY: "\x1b[1;31m",
    Decision.IMPLICIT_DENY: "\x1b[1;33m",
}
_RESET = "\x1b[0m"


def evaluation_text(evaluation: Evaluation, *, colour: bool) -> str:
    """A few lines per scenario:

        examples/scenarios/scp-deny.json: ExplicitDeny
          denied by scps[1][0] statement 0 "DenyLeaveOrg" (examples/policies/scp.json:4)
          blocked by: scp
    """
    result = evaluation.result
    decision = result.decision.value
    if colour:
        decision = f"{_DECISION_COLOURS[result.decision]}{decision}{_RESET}"
    lines = [f"{evaluation.scenario.source}: {decision}"]
    lines += [f"  {_statement_line(ref)}" for ref in result.determining]
    if result.blocked_by:
        lines.append(f"  blocked by: {', '.join(result.blocked_by)}")
    lines += [f"  note: {note}" for note in evaluation.notes]
    lines += [f"  warning: {warning.text}" for warning in evaluation.warnings]
    return "\n".join(lines)


def _statement_line(ref: StatementRef) -> str:
    verb = "allowed by" if ref.effect is Effect.ALLOW else "denied by"
    if ref.synthetic:
        return f"{verb} an assumption, not a policy of yours: {ref.stands_for}"
    text = f"{verb} {ref.policy} statement {ref.statement}"
    if ref.sid is not None:
        text += f' "{ref.sid}"'
    # the parser labels an inline policy "scenario.json: identity_policies[0]"
    file = ref.source.removesuffix(f": {ref.policy}")
    if ref.line is not None:
        text += f" ({file}:{ref.line})"
    elif file == ref.source and file != "<inline>":
        text += f" ({file})"
    return text
