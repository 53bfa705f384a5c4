"""What the per-action resource types (issue 14, item 6) change on the corpus: every
corpus resource policy through no-public-access and every Access Analyzer sample pair
through no-new-access, once with the rule (a request names a resource of a type the
catalogue lists for its action, `evaluation.action_types`) and once without it.

    .venv/bin/python -m benchmarks.resource_types_effect [--every N] [--out FILE]

It reports, per check: the answers with and without the rule, the FAILs the rule
turned into PASS (the false FAILs it removed: findings that held only for a request
no one can make) with the witness that was dropped, any other change, and for every
remaining witness whether its resource is of a type the catalogue lists for its
action (counting apart the witnesses on `*` or on an ARN of the action's own service
where the catalogue lists no type). Budgets are work units, so the figures depend
only on the corpus and the versions, not on the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reasoner.benchmark.corpus import RESOURCE_TYPE_BY_KIND, corpus_present, corpus_root
from reasoner.benchmark.placeholders import substitute
from reasoner.errors import InputError
from reasoner.policy.model import Policy, PolicyType
from reasoner.solving.budget import DEFAULT_BUDGET

SAMPLES = "iam-access-analyzer-custom-policy-check-samples"
Cases = Iterator[tuple[str, Callable[[bool], Any]]]  # (label, run the check with or without the rule)


def _parse(root: Path, path: str, policy_type: PolicyType) -> Policy | None:
    from reasoner.policy.parse import parse_policy_text

    try:
        return parse_policy_text(substitute((root / path).read_text(encoding="utf-8")), policy_type, source=path)
    except InputError:
        return None


def public_cases(root: Path) -> Cases:
    from reasoner.checks.run import public_explain
    from reasoner.encodings.queries import PublicOptions, no_public_access
    from reasoner.policy.resource_types import resource_type
    from reasoner.solving.query import run_query

    entries = json.loads((root / "catalog.json").read_text(encoding="utf-8"))["files"]
    chosen = sorted((e["path"], RESOURCE_TYPE_BY_KIND[e["kind"]]) for e in entries
                    if e["kind"] in RESOURCE_TYPE_BY_KIND and e.get("valid_json", True))
    for path, type_name in chosen:
        kind = resource_type(type_name)
        policy = _parse(root, path, kind.policy_type)
        if policy is None:
            continue

        def check(typed: bool, policy: Policy = policy, kind: Any = kind) -> Any:
            return run_query(lambda: no_public_access(policy, kind, PublicOptions(), typed=typed), DEFAULT_BUDGET,
                             public_explain, "no-public-access")

        yield f"{path} ({type_name})", check


def new_access_cases(root: Path) -> Cases:
    from reasoner.checks.run import new_access_explain
    from reasoner.encodings.queries import no_new_access
    from reasoner.solving.query import run_query

    manifest = json.loads((root / SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["checks"]:
        for candidate in entry["candidates"]:
            identity = entry["policy_type"] == "IDENTITY_POLICY"
            policy_type = PolicyType.IDENTITY if identity else (
                PolicyType.TRUST if "role-trust-policies" in candidate["file"] else PolicyType.RESOURCE)
            old = _parse(root, f"{SAMPLES}/{entry['reference']}", policy_type)
            new = _parse(root, f"{SAMPLES}/{candidate['file']}", policy_type)
            if old is None or new is None:
                continue

            def check(typed: bool, old: Policy = old, new: Policy = new, policy_type: PolicyType = policy_type) -> Any:
                return run_query(lambda: no_new_access(old, new, policy_type, typed=typed), DEFAULT_BUDGET,
                                 new_access_explain(policy_type), "no-new-access")

            yield f"{candidate['file']} (Access Analyzer: {candidate['expected']})", check


def witness_kind(action: str, resource: str) -> str:
    """`typed` (a resource of a type the catalogue lists for the action), `star` or
    `own-service` (the catalogue lists no type, or requires none), `unknown action`,
    or `ill-typed`."""
    from reasoner.policy.action_resources import ResourceRule, fits_rule, resource_rule

    rule = resource_rule(action)
    if rule is None:
        return "unknown action"
    if fits_rule(ResourceRule(rule.shapes, False), resource):
        return "typed"
    if resource == "*" and rule.star:
        return "star"
    if fits_rule(ResourceRule((), False, rule.own_service), resource):
        return "own-service"
    return "ill-typed"


def measure(name: str, cases: Cases) -> dict[str, Any]:
    answers: Counter[str] = Counter()
    removed, changed, unreal = [], [], []
    witnesses: Counter[str] = Counter()
    untyped_witnesses: Counter[str] = Counter()
    for label, check in cases:
        without, with_rule = check(False), check(True)
        answers[f"{without.result} -> {with_rule.result}"] += 1
        if without.witness is not None:
            request = without.witness.request
            kind = witness_kind(request.action, request.resource)
            untyped_witnesses[kind] += 1
            if kind == "ill-typed":
                unreal.append({"case": label, "witness without the rule": f"{request.action} on {request.resource}",
                               "with the rule": (f"{with_rule.witness.request.action} on "
                                                 f"{with_rule.witness.request.resource}")
                               if with_rule.witness is not None else with_rule.result})
        if without.result == "FAIL" and with_rule.result == "PASS":
            request = without.witness.request
            removed.append({"case": label, "dropped witness": f"{request.action} on {request.resource}"})
        elif without.result != with_rule.result:
            changed.append({"case": label, "without": without.result, "with": with_rule.result,
                            "reason": with_rule.unknown_reason or without.unknown_reason})
        if with_rule.witness is not None:
            request = with_rule.witness.request
            witnesses[witness_kind(request.action, request.resource)] += 1
        print(f"{name}: {label}: {without.result} -> {with_rule.result}", file=sys.stderr)
    return {"check": name, "answers (without rule -> with rule)": dict(sorted(answers.items())),
            "false FAILs removed": removed, "other changes": changed,
            "witnesses with the rule": dict(sorted(witnesses.items())),
            "witnesses without the rule": dict(sorted(untyped_witnesses.items())),
            "unreal witnesses the rule replaced": unreal}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="every Nth case of each check")
    parser.add_argument("--out", type=Path, help="write the JSON report here too")
    parser.add_argument("--check", choices=("no-public-access", "no-new-access"), action="append",
                        help="only this check (repeatable; both by default)")
    options = parser.parse_args(argv)
    root = corpus_root()
    if not corpus_present(root):
        print(f"corpus not found at {root} (set PERIMETER_CORPUS)", file=sys.stderr)
        return 2
    cases = {"no-public-access": public_cases, "no-new-access": new_access_cases}
    report = [measure(name, _every(make(root), options.every)) for name, make in cases.items()
              if not options.check or name in options.check]
    text = json.dumps(report, indent=1)
    if options.out is not None:
        options.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


def _every(cases: Cases, step: int) -> Cases:
    for index, case in enumerate(cases):
        if index % step == 0:
            yield case


if __name__ == "__main__":
    raise SystemExit(main())
