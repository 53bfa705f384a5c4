"""Replay every witness the three checks find on the corpus in iam-simulate.

Developer-only (issue 3 acceptance: "each FAIL's witness replayed in an
independent simulator, which must agree that it is allowed"). Runs

- no-public-access over every corpus resource policy (as tests/test_corpus_checks.py
  enumerates them, placeholders substituted),
- no-new-access over the IAM Access Analyzer custom-policy-check samples,
- access-not-granted over a few fixed cases (ACCESS_CASES),

and for each FAIL writes one scenario file per policy set the check replayed the
witness through (`Query.replays`): the witness request with the policy set, and
the decision the check claims (Allow; for no-new-access also not-Allow under the
existing policy). The files are then decided by `perimeter evaluate` (so the file
itself is checked, not only the in-memory replay) and by `node simulate.mjs --json`.

    python -m benchmarks.simulator_compare.replay_witnesses --limit 20 --out /tmp/replay

Exit status 1 if any scenario disagrees (simulator or perimeter evaluate against the
claimed decision), else 0. Needs `npm install` in this folder and the repo's .venv.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.placeholders import substitute
from benchmarks.simulator_compare.run_random import found_cause, known_cause, run_perimeter
from reasoner.benchmark.corpus import RESOURCE_TYPE_BY_KIND
from reasoner.solving.budget import DEFAULT_UNITS, Budget

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PERIMETER = REPO / ".venv" / "bin" / "perimeter"
CORPUS = Path(os.environ.get("PERIMETER_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLES = CORPUS / "iam-access-analyzer-custom-policy-check-samples"
BATCH = 200

KINDS = RESOURCE_TYPE_BY_KIND

MANAGED = "iam-dataset-aws-managed-policies/policies/"
OIDC = "iam-access-analyzer-custom-policy-check-samples/resource-policies/role-trust-policies/"
S3_SAMPLES = "iam-access-analyzer-custom-policy-check-samples/resource-policies/check-who-is-granted-access/"
# (corpus path, policy type, actions, resources)
ACCESS_CASES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (MANAGED + "AdministratorAccess.json", "identity", ("iam:CreateUser",), ()),
    (MANAGED + "PowerUserAccess.json", "identity", ("iam:CreateServiceLinkedRole",), ()),
    (MANAGED + "PowerUserAccess.json", "identity", ("iam:CreateUser", "iam:PassRole"), ()),
    (MANAGED + "AmazonS3ReadOnlyAccess.json", "identity", ("s3:GetObject",), ("arn:aws:s3:::my-data-bucket/*",)),
    (MANAGED + "AmazonEC2FullAccess.json", "identity", ("iam:CreateServiceLinkedRole",), ()),
    (MANAGED + "ReadOnlyAccess.json", "identity", ("s3:PutObject", "iam:CreateUser"), ()),
    (MANAGED + "AWSLambdaBasicExecutionRole.json", "identity", ("logs:PutLogEvents",), ()),
    (OIDC + "allowlist-federated-access-oidc/candidate-03-FAIL.json", "trust",
     ("sts:AssumeRoleWithWebIdentity",), ()),
    (OIDC + "allowlist-account-principals/candidate-04-FAIL.json", "trust", ("sts:AssumeRole",), ()),
    (S3_SAMPLES + "s3-all-actions/candidate-03-FAIL.json", "resource", ("s3:GetObject",), ()),
    (S3_SAMPLES + "s3-specific-actions/candidate-06-FAIL.json", "resource", ("s3:PutObject",),
     ("arn:aws:s3:::my-sensitive-bucket/*",)),
)


@dataclass(frozen=True)
class Job:
    check: str  # no-public-access, no-new-access, access-not-granted
    label: str  # the corpus path under check (the candidate for no-new-access)
    args: tuple[str, ...]


@dataclass
class Scenario:
    """A witness with one replayed policy set, and the decisions the check claims."""

    name: str
    document: dict[str, Any]
    expected: tuple[str, ...]


@dataclass
class Outcome:
    job: Job
    result: str  # PASS, FAIL, UNKNOWN, or REJECTED (by the parser)
    detail: str = ""
    seconds: float = 0.0
    scenarios: list[Scenario] = field(default_factory=list)


def public_jobs() -> list[Job]:
    catalog = CORPUS / "catalog.json"
    if not catalog.is_file():
        return []
    entries = json.loads(catalog.read_text(encoding="utf-8"))["files"]
    return [Job("no-public-access", path, (kind,)) for path, kind in
            sorted((e["path"], KINDS[e["kind"]]) for e in entries if e["kind"] in KINDS and e.get("valid_json", True))]


def new_access_jobs() -> list[Job]:
    manifest_path = SAMPLES / "manifest.json"
    if not manifest_path.is_file():
        return []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    jobs = []
    for check in manifest["checks"]:
        for candidate in check["candidates"]:
            kind = "identity" if check["policy_type"] == "IDENTITY_POLICY" else \
                "trust" if "role-trust-policies" in candidate["file"] else "resource"
            label = str(Path(SAMPLES.name) / candidate["file"])
            jobs.append(Job("no-new-access", label,
                            (kind, str(Path(SAMPLES.name) / check["reference"]), candidate["expected"])))
    return jobs


def access_jobs() -> list[Job]:
    return [Job("access-not-granted", path, (kind, ",".join(actions), ",".join(resources)))
            for path, kind, actions, resources in ACCESS_CASES]


EXAMPLES = REPO / "examples"
# (snapshot, resource, action): the reach questions asked of the example snapshots
REACH_CASES = tuple((name, "arn:aws:s3:::prod-data", "s3:GetObject") for name in ("leaky", "fixed", "partial"))


def prove_jobs() -> list[Job]:
    """`prove` on every example perimeter file."""
    files = sorted(EXAMPLES.glob("perimeter*/perimeter.yaml"))
    return [Job("prove", str(path.relative_to(REPO)), ()) for path in files]


def reach_jobs() -> list[Job]:
    """The reachability graph of the example snapshots towards a resource: every
    edge with a witness (probe or solver)."""
    return [Job("reach", f"examples/snapshot/{name}", (resource, action)) for name, resource, action in REACH_CASES]


def _replayed(witness: Any, policies: Any, description: str) -> Scenario | None:
    """A witness with the policy set it replayed through, as a scenario; an
    unknown resource owner written out as the caller's account (as `_request`)."""
    from reasoner.accounts.picture_view import replay_scenario

    text = replay_scenario(witness, policies, description)
    if text is None:
        return None
    document = json.loads(text)
    document["request"] = _request(witness)
    if document["request"]["principal"] == "anonymous":
        document["identity_policies"] = []
    return Scenario("witness", document, (witness.result.decision.value,))


def run_prove_job(job: Job, units: float) -> Outcome:
    from reasoner.inputs.perimeter_file import load_perimeter
    from reasoner.prove.proof import prove_invariant

    started = time.perf_counter()
    perimeter = load_perimeter(REPO / job.label)
    scenarios: list[Scenario] = []
    results = []
    for invariant in perimeter.invariants:
        def keep(scope: Any, witness: Any, invariant_id: str = invariant.id) -> None:
            found = _replayed(witness, scope.policies, f"prove {job.label} {invariant_id}: {scope.caller} "
                                                       f"via {scope.network}")
            if found is not None:
                scenarios.append(found)
        results.append(prove_invariant(perimeter, invariant, max_findings=5, budget=Budget(units),
                                       on_witness=keep).status.value)
    result = "FAIL" if scenarios else "UNKNOWN" if "UNKNOWN" in results else "PASS"
    return Outcome(job, result, ", ".join(results), time.perf_counter() - started, scenarios)


def run_reach_job(job: Job, units: float) -> Outcome:
    from reasoner.accounts.picture_view import build_picture
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    started = time.perf_counter()
    reach = Reachability(load_snapshot(REPO / job.label), budget=Budget(units))
    targets = [(reach.target(job.args[0], None), (job.args[1],))]
    reach.build(targets)
    picture = build_picture(reach, targets, show_all=True)
    scenarios = []
    for edge in picture.edges:
        for evidence in edge.evidence:
            if evidence.scenario is not None:  # an edge that exists: its witness is allowed
                scenarios.append(Scenario("edge", json.loads(evidence.scenario), ("Allow",)))
    return Outcome(job, "FAIL" if scenarios else "PASS", "", time.perf_counter() - started, scenarios)


def _document(path: str) -> Any:
    return json.loads(substitute((CORPUS / path).read_text(encoding="utf-8")))


def _allow_all() -> dict[str, Any]:
    """`ALLOW_ALL`, the caller account's own policy in the resource-policy checks."""
    from reasoner.encodings.queries import ALLOW_ALL

    statement = ALLOW_ALL.statements[0]
    return {"Version": ALLOW_ALL.version, "Statement": [
        {"Sid": statement.sid, "Effect": "Allow", "Action": list(statement.actions or ()),
         "Resource": list(statement.resources or ())}]}


def _policy_set(kind: str, document: Any, anonymous: bool) -> dict[str, Any]:
    """The policy set a check replays a witness through (queries.py `_allowed_by`,
    `no_public_access`): the policy alone as an identity policy, or the resource
    policy behind an outside account that allows itself everything. An anonymous
    caller has no account, so no identity policy (the evaluator ignores it; the
    simulator refuses the scenario with one)."""
    if kind == "identity":
        return {"identity_policies": [document]}
    return {"identity_policies": [] if anonymous else [_allow_all()], "resource_policy": document}


def _request(witness: Any) -> dict[str, Any]:
    """The witness request; an unknown resource owner (S3 ARNs carry no account),
    which the evaluator takes as the caller's account, is written out, since the
    simulator takes it as another account (README of this folder)."""
    request: dict[str, Any] = witness.request_json()
    account = witness.request.principal.account
    if "resource_account" not in request and account is not None:
        request["resource_account"] = account
    return request


def run_job(job: Job, units: float) -> Outcome:
    if job.check == "prove":
        return run_prove_job(job, units)
    if job.check == "reach":
        return run_reach_job(job, units)
    from reasoner.checks.run import check_access_not_granted, check_no_new_access, check_no_public_access
    from reasoner.errors import InputError
    from reasoner.policy.model import PolicyType
    from reasoner.policy.parse import parse_policy_text
    from reasoner.policy.resource_types import resource_type

    types = {"identity": PolicyType.IDENTITY, "resource": PolicyType.RESOURCE, "trust": PolicyType.TRUST}
    started = time.perf_counter()
    sets: list[tuple[str, str, tuple[str, ...]]]

    def load(path: str, policy_type: PolicyType) -> Any:
        return parse_policy_text(substitute((CORPUS / path).read_text(encoding="utf-8")), policy_type, source=path)

    try:
        if job.check == "no-public-access":
            kind_type = resource_type(job.args[0])
            kind = "trust" if kind_type.policy_type is PolicyType.TRUST else "resource"
            result = check_no_public_access(load(job.label, kind_type.policy_type), kind_type, budget=Budget(units))
            sets = [(kind, job.label, ("Allow",))]
        elif job.check == "no-new-access":
            kind, reference = job.args[0], job.args[1]
            result = check_no_new_access(load(reference, types[kind]), load(job.label, types[kind]), types[kind],
                                         budget=Budget(units))
            sets = [(kind, job.label, ("Allow",)), (kind, reference, ("ExplicitDeny", "ImplicitDeny"))]
        else:
            kind = job.args[0]
            actions = job.args[1].split(",")
            resources = job.args[2].split(",") if job.args[2] else []
            result = check_access_not_granted(load(job.label, types[kind]), actions, resources, types[kind],
                                              budget=Budget(units))
            sets = [(kind, job.label, ("Allow",))]
    except InputError as error:
        return Outcome(job, "REJECTED", str(error), time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if result.result != "FAIL" or result.witness is None:
        return Outcome(job, result.result, result.unknown_reason or "", seconds)
    request = _request(result.witness)
    anonymous = request["principal"] == "anonymous"
    scenarios = [Scenario("new" if index == 0 and job.check == "no-new-access" else
                          "existing" if index else "witness",
                          {"description": f"{job.check} witness for {job.label}; replayed with {path}; "
                                          f"claimed decision: {' or '.join(expected)}",
                           "request": request, **_policy_set(kind, _document(path), anonymous)}, expected)
                 for index, (kind, path, expected) in enumerate(sets)]
    return Outcome(job, "FAIL", "", seconds, scenarios)


def run_jobs(jobs: list[Job], units: float, workers: int) -> Iterator[Outcome]:
    if workers <= 1:
        for job in jobs:
            yield run_job(job, units)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures: list[Future[Outcome]] = [pool.submit(run_job, job, units) for job in jobs]
        for future in futures:
            yield future.result()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text.replace("/", "__"))[-150:]


def write_scenarios(outcomes: list[Outcome], out: Path) -> list[tuple[Path, Outcome, Scenario]]:
    written = []
    for number, outcome in enumerate(outcomes):
        for scenario in outcome.scenarios:
            path = out / outcome.job.check / f"{number:04d}-{scenario.name}-{_slug(outcome.job.label)}"
            path = path.with_name(path.name.removesuffix(".json") + ".json")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(scenario.document, indent=2) + "\n", encoding="utf-8")
            written.append((path, outcome, scenario))
    return written


def perimeter_decisions(paths: list[Path]) -> dict[Path, str]:
    """`perimeter evaluate`'s decision per file, or `Error:exit N: ...`."""
    decisions, failures = run_perimeter(paths)
    for path, code, stderr in failures:
        decisions[path] = f"Error:exit {code}: {stderr.strip()[-200:]}"
    return decisions


def simulator_rows(paths: list[Path]) -> dict[Path, dict[str, Any]]:
    rows: dict[Path, dict[str, Any]] = {}
    for start in range(0, len(paths), BATCH):
        batch = paths[start:start + BATCH]
        done = subprocess.run(["node", str(HERE / "simulate.mjs"), "--json", *map(str, batch)],
                              capture_output=True, text=True, check=True, cwd=HERE)
        for line in done.stdout.splitlines():
            row = json.loads(line)
            rows[Path(row["scenario"])] = row
    return rows


def report(outcomes: list[Outcome], written: list[tuple[Path, Outcome, Scenario]],
           ours: dict[Path, str], sim: dict[Path, dict[str, Any]]) -> bool:
    """Prints the counts and every disagreement; True if all agree."""
    by_check: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        by_check.setdefault(outcome.job.check, Counter())[outcome.result] += 1
        if outcome.result in ("UNKNOWN", "REJECTED"):
            print(f"{outcome.result}\t{outcome.job.check}\t{outcome.job.label}\t{outcome.detail}")
        if outcome.job.check == "no-new-access" and outcome.result in ("PASS", "FAIL") \
                and outcome.result != outcome.job.args[2]:
            print(f"ACCESS-ANALYZER-DIFFERS\t{outcome.job.label}\tours={outcome.result}\t"
                  f"Access Analyzer={outcome.job.args[2]}")
    counts: Counter[str] = Counter()
    per_check: dict[str, Counter[str]] = {}
    for path, outcome, scenario in written:
        theirs = sim[path]["decision"]
        mine = ours.get(path, "Missing")
        tally = per_check.setdefault(outcome.job.check, Counter())
        if mine not in scenario.expected:
            counts["perimeter evaluate differs from the check"] += 1
            print(f"PERIMETER-DIFFERS\t{path}\tclaimed={'|'.join(scenario.expected)}\tperimeter evaluate={mine}")
        if theirs in scenario.expected:
            counts["agree"] += 1
            tally["agree"] += 1
            continue
        counts["simulator error" if theirs.startswith("Error:") else "differ"] += 1
        tally["simulator error" if theirs.startswith("Error:") else "differ"] += 1
        cause = known_cause(scenario.document, mine, theirs, sim[path]) or found_cause(scenario.document)
        ignored = sim[path].get("ignored_context_keys")
        print(f"DISAGREE\t{path}\tclaimed={'|'.join(scenario.expected)}\tsimulator={theirs}"
              + (f"\tblocked_by={sim[path].get('blocked_by')}" if sim[path].get("blocked_by") else "")
              + (f"\tignored_context_keys={ignored}" if ignored else "")
              + (f"\t[{cause}]" if cause else ""))
    print()
    for check, tally in sorted(by_check.items()):
        print(f"{check}: " + " ".join(f"{name}={n}" for name, n in sorted(tally.items())))
    for check, tally in sorted(per_check.items()):
        print(f"  {check} scenarios: " + " ".join(f"{name}={n}" for name, n in sorted(tally.items())))
    errors = Counter(sim[path]["decision"] for path, _, _ in written if sim[path]["decision"].startswith("Error:"))
    for message, n in errors.most_common():
        print(f"  simulator {message}: {n}")
    total = len(written)
    print(f"scenarios={total} agree={counts['agree']} differ={counts['differ']} "
          f"simulator_errors={counts['simulator error']} "
          f"perimeter_evaluate_differs={counts['perimeter evaluate differs from the check']}")
    return counts["agree"] == total and not counts["perimeter evaluate differs from the check"]


def main() -> None:
    parser = argparse.ArgumentParser(description="replay the checks' witnesses on the corpus in iam-simulate")
    parser.add_argument("--limit", type=int, default=None, help="at most N cases of each check")
    parser.add_argument("--budget", type=float, default=DEFAULT_UNITS, help="work units per check (default 10)")
    parser.add_argument("--jobs", type=int, default=1, help="checks run in parallel (default 1)")
    parser.add_argument("--out", type=Path, default=None, help="folder for the scenario files (default: a temp dir)")
    parser.add_argument("--checks", nargs="+",
                        default=["no-public-access", "no-new-access", "access-not-granted", "prove", "reach"],
                        choices=["no-public-access", "no-new-access", "access-not-granted", "prove", "reach"])
    args = parser.parse_args()
    if not (CORPUS / "catalog.json").is_file():
        sys.exit(f"the policy corpus is not at {CORPUS} (set PERIMETER_CORPUS)")
    groups = {"no-public-access": public_jobs, "no-new-access": new_access_jobs, "access-not-granted": access_jobs,
              "prove": prove_jobs, "reach": reach_jobs}
    jobs = [job for name in args.checks for job in groups[name]()[:args.limit]]
    out = args.out or Path(tempfile.mkdtemp(prefix="replay-witnesses-"))
    started = time.perf_counter()
    outcomes = []
    for index, outcome in enumerate(run_jobs(jobs, args.budget, args.jobs), start=1):
        outcomes.append(outcome)
        print(f"[{index}/{len(jobs)}] {outcome.result:8s} {outcome.seconds:6.2f}s {outcome.job.check} "
              f"{outcome.job.label}", file=sys.stderr, flush=True)
    written = write_scenarios(outcomes, out)
    paths = [path for path, _, _ in written]
    ours = perimeter_decisions(paths)
    sim = simulator_rows(paths)
    print(f"scenario files in {out}; checks took {time.perf_counter() - started:.0f} s")
    sys.exit(0 if report(outcomes, written, ours, sim) else 1)


if __name__ == "__main__":
    main()
