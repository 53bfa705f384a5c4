"""Random differential run: generate scenarios, decide them with `perimeter evaluate` and
with iam-simulate, print the agreement rate and every disagreement.

Developer-only. Needs `npm install` in this folder and the repo's .venv.

    python -m benchmarks.simulator_compare.run_random --seeds 1 2 3 --count 500 --out /tmp/rand

Disagreements explained by a divergence the team keeps on purpose (README of this folder,
SEMANTICS.md) are labelled by `known_cause` and left out of the agreement rate, as are
simulator `Error:` results. Any crash or exit code other than 0 of `perimeter evaluate`
on a generated file is reported: every generated file is a valid scenario.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.simulator_compare.random_scenarios import write_scenarios

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PERIMETER = REPO / ".venv" / "bin" / "perimeter"
BATCH = 200


@dataclass(frozen=True)
class Outcome:
    path: Path
    ours: str
    theirs: str
    sim_row: dict[str, Any]
    cause: str | None  # a known, deliberate divergence, or None


def run_perimeter(paths: list[Path]) -> tuple[dict[Path, str], list[tuple[Path, int, str]]]:
    """Decisions by path, and (path, exit code, stderr) for every file perimeter fails on."""
    decisions: dict[Path, str] = {}
    failures: list[tuple[Path, int, str]] = []
    for start in range(0, len(paths), BATCH):
        batch = paths[start:start + BATCH]
        done = subprocess.run([str(PERIMETER), "evaluate", "--format", "json", *map(str, batch)],
                              capture_output=True, text=True, check=False)
        if done.returncode == 0:
            for line in done.stdout.splitlines():
                row = json.loads(line)
                decisions[Path(row["scenario"])] = row["decision"]
            continue
        for path in batch:  # one bad file stops a batch: find it
            one = subprocess.run([str(PERIMETER), "evaluate", "--format", "json", str(path)],
                                 capture_output=True, text=True, check=False)
            if one.returncode == 0:
                decisions[path] = json.loads(one.stdout)["decision"]
            else:
                failures.append((path, one.returncode, one.stderr.strip()))
    return decisions, failures


def run_simulator(paths: list[Path]) -> dict[Path, dict[str, Any]]:
    done = subprocess.run(["node", str(HERE / "simulate.mjs"), "--json", "--management-account-exempt",
                           *map(str, paths)], capture_output=True, text=True, check=True, cwd=HERE)
    rows = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        rows[Path(row["scenario"])] = row
    return rows


def _statements(policy: Any) -> list[dict[str, Any]]:
    if not isinstance(policy, dict):
        return []
    statements = policy.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _all_policies(scenario: dict[str, Any]) -> list[Any]:
    policies = list(scenario.get("identity_policies") or [])
    for key in ("permissions_boundary", "session_policy", "resource_policy", "vpc_endpoint_policy"):
        if scenario.get(key):
            policies.append(scenario[key])
    for key in ("scps", "rcps"):
        for level in scenario.get(key) or []:
            policies.extend(level)
    return policies


def _arn_account(arn: str) -> str | None:
    fields = arn.split(":", 5)
    return fields[4] if len(fields) == 6 and fields[4].isdigit() else None


def known_cause(scenario: dict[str, Any], ours: str, theirs: str, sim_row: dict[str, Any]) -> str | None:
    """The deliberate divergence that explains a disagreement, when one visibly does."""
    request = scenario["request"]
    principal = request["principal"]
    action = request["action"].lower()
    resource = request["resource"]
    if sim_row.get("ignored_context_keys"):
        return "simulator drops context keys not listed for the action (d10)"
    if (principal.endswith(":root") or principal.isdigit()) and ours == "Allow" and theirs == "ImplicitDeny":
        return "root user has full access in its own account"
    if (action.startswith("sts:") and ":role/" in resource and not scenario.get("resource_policy")
            and theirs == "Allow"):
        return "trust policy required for sts:AssumeRole"
    if principal.endswith("amazonaws.com") and scenario.get("scps"):
        return "SCPs do not apply to service principals"
    owner_unknown = "resource_account" not in request and not _arn_account(resource)
    if owner_unknown and ours == "Allow" and theirs == "ImplicitDeny":
        return "unknown resource owner = same account"
    if scenario.get("session_policy") and scenario.get("resource_policy") and ours == "Allow":
        return "session policy does not cap session-ARN / * grants"
    text = json.dumps(_all_policies(scenario))
    if "${" in text and any(isinstance(p, dict) and p.get("Version") != "2012-10-17" and "${" in json.dumps(p)
                            for p in _all_policies(scenario)):
        return "variables literal under Version 2008/absent"
    if "NotPrincipal" in text and ours == "ExplicitDeny" and theirs != "ExplicitDeny":
        return "NotPrincipal needs every level named"
    for policy in _all_policies(scenario):
        for statement in _statements(policy):
            for operator, block in (statement.get("Condition") or {}).items():
                lower = operator.lower()
                for key, values in block.items():
                    absent = key.lower() not in {k.lower() for k in request.get("context", {})}
                    if lower.startswith("foranyvalue:") and lower.endswith("ifexists") and absent:
                        return "ForAnyValue...IfExists with missing key is true"
                    if "not" in lower.split(":")[-1] and "${" in json.dumps(values):
                        return "negated operator vs unresolved variable"
    return None


def found_cause(scenario: dict[str, Any]) -> str | None:
    """A disagreement cause this harness found (cases/r*.json), when one visibly applies."""
    request = scenario["request"]
    context = {k.lower(): v for k, v in (request.get("context") or {}).items()}
    policies = _all_policies(scenario)
    for policy in policies:
        for statement in _statements(policy):
            for element in ("Resource", "NotResource"):
                entries = statement.get(element, [])
                for entry in [entries] if isinstance(entries, str) else entries:
                    if "${" in ":".join(entry.split(":")[:5]):
                        return "r01 policy variable in ARN fields 1-4 of Resource"
    for policy in policies:
        for statement in _statements(policy):
            if "${" in json.dumps(statement.get("NotResource", "")):
                return "r06 unresolved variable in NotResource"
    text = json.dumps(policies).lower()
    if "/0\"" in text:
        return "r05 CIDR /0"
    if any(value == [] and f'"{key}"' in text for key, value in context.items()):
        return "r02 empty list for a multivalued key"
    if ":federated-user/" in request["principal"] and ":user/" in json.dumps(scenario.get("resource_policy")):
        return "r03 federated user named by its IAM user ARN"
    source_ip = context.get("aws:sourceip")
    if isinstance(source_ip, str):
        for policy in policies:
            for statement in _statements(policy):
                for operator, block in (statement.get("Condition") or {}).items():
                    if "ipaddress" not in operator.lower():
                        continue
                    for key, values in block.items():
                        for value in [values] if isinstance(values, str) else values:
                            if key.lower() == "aws:sourceip" and "/" not in value and (":" in value) != (
                                    ":" in source_ip):
                                return "r04 bare IP policy value vs the other IP family"
    return None


def compare(paths: list[Path]) -> tuple[list[Outcome], list[tuple[Path, int, str]], Counter[str]]:
    ours, failures = run_perimeter(paths)
    sim = run_simulator(paths)
    outcomes: list[Outcome] = []
    counts: Counter[str] = Counter()
    for path in paths:
        if path not in ours:
            counts["perimeter failed"] += 1
            continue
        row = sim[path]
        theirs = row["decision"]
        if theirs.startswith("Error:"):
            counts["simulator error"] += 1
            counts[theirs] += 1
            continue
        if ours[path] == theirs:
            counts["agree"] += 1
            continue
        scenario = json.loads(path.read_text(encoding="utf-8"))
        cause = known_cause(scenario, ours[path], theirs, row) or found_cause(scenario)
        counts["differ" if cause is None else "found" if cause.startswith("r0") else "known divergence"] += 1
        outcomes.append(Outcome(path, ours[path], theirs, row, cause))
    return outcomes, failures, counts


def main() -> None:
    parser = argparse.ArgumentParser(description="random differential run against iam-simulate")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--show-known", action="store_true", help="also list disagreements with a known cause")
    args = parser.parse_args()
    paths: list[Path] = []
    for seed in args.seeds:
        paths += write_scenarios(seed, args.count, args.out / f"seed{seed}")
    outcomes, failures, counts = compare(paths)
    for path, code, stderr in failures:
        print(f"PERIMETER FAILED exit={code} {path}\n    {stderr.splitlines()[-1] if stderr else ''}")
    by_cause = Counter(o.cause for o in outcomes if o.cause)
    examples: dict[str, Path] = {}
    for outcome in outcomes:
        if outcome.cause:
            examples.setdefault(outcome.cause, outcome.path)
    for outcome in outcomes:
        if outcome.cause is None or args.show_known:
            note = f"  [{outcome.cause}]" if outcome.cause else ""
            print(f"{outcome.path}\tours={outcome.ours}\ttheirs={outcome.theirs}{note}")
    compared = counts["agree"] + counts["differ"] + counts["found"]
    print(f"\nscenarios={len(paths)} agree={counts['agree']} differ={counts['differ']} "
          f"found_causes={counts['found']} known_divergence={counts['known divergence']} "
          f"simulator_errors={counts['simulator error']} "
          f"perimeter_failures={len(failures)}")
    for cause, n in by_cause.most_common():
        print(f"  {'found' if cause.startswith('r0') else 'known'}: {n:5d}  {cause}  (e.g. {examples[cause]})")
    for name, n in counts.items():
        if name.startswith("Error:"):
            print(f"  sim:   {n:5d}  {name}")
    if compared:
        print(f"agreement (excluding known divergences and simulator errors): {counts['agree'] / compared:.2%} "
              f"({counts['agree']}/{compared})")
    sys.exit(1 if counts["differ"] or counts["found"] or failures else 0)


if __name__ == "__main__":
    main()
