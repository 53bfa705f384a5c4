"""A synthetic organization (seeded): N accounts x M roles x K resources, with the
trust and resource policies of a real one (org-wide grants, cross-account partners
with external ids, services, roles trusting roles, a few planted paths to an
outsider). `who-can` over every resource for s3:GetObject and kms:Decrypt, run:

1. cold, one process (the baseline: every other time is a ratio of it), filling a
   result cache; its peak memory;
2. warm, after one bucket policy changed, from that cache: how many edges were
   decided again (and queries solved again), and a cold run of the changed
   organization to compare with;
3. cold with --jobs 2, and cold on a two-worker Dask LocalCluster.

Every run must print the same answers (exit 1 if not).

    .venv/bin/python -m benchmarks.synthetic_org --accounts 3 --roles 10 --resources 12
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reasoner.cli.collector import pace_for_one_command
from reasoner.solving.budget import DEFAULT_UNITS, Budget

ORG = "o-synthetic001"
PARTNER = "999988887777"  # outside the organization
ACTIONS = ("s3:GetObject", "kms:Decrypt")


def _account(index: int) -> str:
    return f"{100000000000 + index * 1111:012d}"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _trust(rng: random.Random, account: str, index: int, accounts: list[str]) -> dict[str, Any]:
    shape = rng.choices(["service", "account", "role", "partner", "org"], weights=[35, 30, 20, 10, 5])[0]
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    if shape == "service":
        statement["Principal"] = {"Service": rng.choice(["lambda.amazonaws.com", "ec2.amazonaws.com"])}
    elif shape == "account":
        statement["Principal"] = {"AWS": f"arn:aws:iam::{rng.choice(accounts)}:root"}
    elif shape == "role" and index > 0:
        statement["Principal"] = {"AWS": f"arn:aws:iam::{account}:role/role-{rng.randrange(index)}"}
    elif shape == "partner":
        statement["Principal"] = {"AWS": f"arn:aws:iam::{PARTNER}:root"}
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": f"ext-{account}-{index}"}}
    else:
        statement["Principal"] = {"AWS": "*"}
        statement["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": ORG}}
    return _doc(statement)


def _role(account: str, name: str, trust: dict[str, Any], policy: dict[str, Any]) -> dict[str, Any]:
    return {"Path": "/", "RoleName": name, "RoleId": f"AROA{account[-6:]}{name.split('-')[-1]:0>10}",
            "Arn": f"arn:aws:iam::{account}:role/{name}",
            "AssumeRolePolicyDocument": urllib.parse.quote(json.dumps(trust)),
            "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": urllib.parse.quote(json.dumps(policy))}],
            "AttachedManagedPolicies": [], "Tags": []}


def _bucket_policy(rng: random.Random, bucket: str, planted: bool) -> dict[str, Any]:
    arns = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    org = {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"],
           "Resource": arns, "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}
    statements = [org]
    if planted or rng.random() < 0.1:
        statements.append({"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
                           "Action": "s3:GetObject", "Resource": arns[1]})
    return _doc(*statements)


def _key_policy(account: str) -> dict[str, Any]:
    return _doc({"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                 "Action": "kms:*", "Resource": "*"},
                {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}})


def write_org(folder: Path, accounts: int, roles: int, resources: int, seed: int = 11) -> list[str]:
    """The snapshot folder; returns the resource ARNs."""
    rng = random.Random(seed)
    ids = [_account(index) for index in range(accounts)]
    (folder / "iam").mkdir(parents=True, exist_ok=True)
    for account in ids:
        entries = []
        for index in range(roles):
            grants = rng.choice([["s3:GetObject"], ["kms:Decrypt", "s3:GetObject"], ["sts:AssumeRole"],
                                 ["sqs:SendMessage"]])
            entries.append(_role(account, f"role-{index}", _trust(rng, account, index, ids),
                                 _doc({"Effect": "Allow", "Action": grants, "Resource": "*"})))
        details = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": entries, "Policies": []}
        (folder / "iam" / f"{account}.json").write_text(json.dumps(details))
    organization = {"id": ORG, "management_account": ids[0],
                    "root": {"accounts": [{"id": ids[0]}],
                             "ous": [{"name": "workloads", "accounts": [{"id": a} for a in ids[1:]]}]}}
    (folder / "organization.json").write_text(json.dumps(organization))
    arns = []
    for index in range(resources):
        owner = ids[index % len(ids)]
        if index % 10 < 7:
            bucket = f"bucket-{index}"
            arn, policy = f"arn:aws:s3:::{bucket}", _bucket_policy(rng, bucket, planted=index == 0)
        else:
            arn, policy = f"arn:aws:kms:us-east-1:{owner}:key/{index:08d}-0000-0000-0000-000000000000", \
                _key_policy(owner)
        place = folder / "resources" / owner
        place.mkdir(parents=True, exist_ok=True)
        (place / f"{urllib.parse.quote(arn, safe='')}.json").write_text(json.dumps(policy, indent=1))
        arns.append(arn)
    return arns


def change_one_policy(folder: Path, arn: str) -> None:
    """One bucket policy gains a grant to the partner (the one-policy change)."""
    (path,) = list(folder.glob(f"resources/*/{urllib.parse.quote(arn, safe='')}.json"))
    policy = json.loads(path.read_text())
    policy["Statement"].append({"Sid": "NewPartner", "Effect": "Allow",
                                "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"}, "Action": "s3:GetObject",
                                "Resource": f"{arn}/*"})
    path.write_text(json.dumps(policy, indent=1))


def who_can_everything(folder: Path, arns: list[str], *, expanded: bool = False,
                       **options: Any) -> tuple[list[str], Any]:
    """Each answer's JSON (as `perimeter who-can --format json` prints it, without
    warnings), made and kept as a digest (an organization's answers are gigabytes of
    JSON): of its bytes; with `expanded`, of who can, principal by principal, whatever
    the grouping (to compare runs with and without --group-alike). The digests are
    the benchmark's own work: their time is left out of the run's (`_DIGESTING`)."""
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    reach = Reachability(load_snapshot(folder), answers_only=True, **options)  # as who-can's text and JSON
    answers = []
    for arn in arns:
        for action in ACTIONS:
            if action.split(":")[0] in arn:
                kept = reach.who_can_answer(action, arn)  # as `who-can --format json` prints it
                wall, cpu = time.perf_counter(), time.process_time()
                answers.append(_members_digest(kept.json_bytes) if expanded
                               else hashlib.sha256(kept.json_bytes).hexdigest())
                del kept
                _DIGESTING["wall"] += time.perf_counter() - wall
                _DIGESTING["cpu"] += time.process_time() - cpu
    return answers, reach


def _members_digest(json_bytes: bytes) -> str:
    """The digest of who can, principal by principal, of an answer's JSON. Parsing
    an answer makes a million objects, freed as soon as it is digested; with the
    collector on, they would count towards its collections of the run's own objects
    later, inside the measured time. (The command never parses what it prints; nor
    does the benchmark, but for this comparison: what a parse leaves behind in the
    allocator still slows the run around it a little.)"""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _digest(_members_expanded(json.loads(json_bytes)))
    finally:
        if collecting:
            gc.enable()


# the seconds spent digesting answers since `_timed` started, taken out of its time
_DIGESTING = {"wall": 0.0, "cpu": 0.0}


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    _DIGESTING.update(wall=0.0, cpu=0.0)
    started = time.perf_counter()
    found = run()
    return time.perf_counter() - started - _DIGESTING["wall"], found


def _cpu(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of this process (children not counted), without the
    benchmark's digests of the answers."""
    cpu = time.process_time()
    wall, found = _timed(run)
    return wall, time.process_time() - cpu - _DIGESTING["cpu"], found


def measure(accounts: int, roles: int, resources: int, units: float, cluster: bool, *, group_alike: bool = False,
            cold_only: bool = False, baseline: bool = False, with_jobs: bool = True) -> dict[str, Any]:
    from reasoner.solving.cache import ResultCache

    budget = Budget(units)
    if cold_only:
        if baseline:
            measure_cold(1, 2, 2, budget, group_alike)  # imports and the catalogue, paid by neither run
        row = measure_cold(accounts, roles, resources, budget, group_alike)
        if baseline:  # the same organization without grouping, after it in this process
            alone = measure_cold(accounts, roles, resources, budget, False)
            row["without_group_alike"] = {key: alone[key] for key in ("edges", "edges_by_method", "cold_s",
                                                                      "cold_cpu_s", "peak_rss_mib")}
            row["cpu_ratio_to_without"] = round(row["cold_cpu_s"] / alone["cold_cpu_s"], 3)
            row["same_answers"] = {"with_and_without_group_alike": row["answers_sha256"] == alone["answers_sha256"]}
        return row
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        arns = write_org(root / "org", accounts, roles, resources)
        store = ResultCache(root / "cache")
        with _TaskClock() as clock:
            cold_s, cold_cpu, (cold, reach) = _cpu(lambda: who_can_everything(root / "org", arns, budget=budget,
                                                                              store=store, group_alike=group_alike))
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queries = store.misses
        edges = reach.graph.number_of_edges()
        # A warm run in CI is a process of its own: it does not carry the cold run's
        # graph, whose millions of objects the collector would walk in its time.
        del reach
        gc.collect()
        changed = next(arn for arn in arns if arn.startswith("arn:aws:s3:::") and arn != arns[0])
        change_one_policy(root / "org", changed)
        warm_store = ResultCache(root / "cache")
        with _TaskClock() as warm_clock:
            warm_s, warm_cpu, (warm, _) = _cpu(lambda: who_can_everything(root / "org", arns, budget=budget,
                                                                          store=warm_store, group_alike=group_alike))
        recold_s, (recold, _) = _timed(lambda: who_can_everything(root / "org", arns, budget=budget, jobs=2,
                                                                        group_alike=group_alike))
        # the same organization as the cold run, for --jobs 2 and the cluster
        write_org(root / "again", accounts, roles, resources)
        jobs_s, (jobs, _) = _timed(lambda: who_can_everything(root / "again", arns, budget=budget, jobs=2,
                                                                       group_alike=group_alike)) \
            if with_jobs else (cold_s, (cold, None))
        row: dict[str, Any] = {
            "accounts": accounts, "roles_per_account": roles, "resources": resources, "budget_units": units,
            "answers": len(cold), "answers_sha256": hashlib.sha256(_strip(cold).encode()).hexdigest(),
            "edges": edges, "queries_solved_cold": queries,
            **clock.costs(cold_s, cold_cpu),
            "cold_s": round(cold_s, 2), "cold_cpu_s": round(cold_cpu, 2), "peak_rss_mib": round(peak_mib, 1),
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "warm_after_one_change": {
                # whole answers and the principal side read back / worked out again (answer_store.py)
                "whole_entries_read": warm_store.answers.hits + warm_store.principals.hits,
                "answers_worked_out": warm_store.answers.misses,
                # the edges looked up (those of the answers worked out again), and of the cold run's
                # edges, those decided again (a probe, a query, or following an edge alike)
                "edges_looked_up": sum(warm_store.edges.counts()[:2]),
                "edges_decided": warm_store.edges.misses,
                # of those, decided on their own (a probe or a query; the others followed the answer
                # of an edge alike, which takes no probe or query)
                "edges_decided_alone": warm_clock.calls,
                "edges_decided_fraction": round(warm_store.edges.misses / max(1, edges), 4),
                "entries_rejected": warm_store.answers.rejected + warm_store.principals.rejected
                + warm_store.edges.rejected
                + warm_store.queries.rejected,
                "queries": warm_store.hits + warm_store.misses, "solved": warm_store.misses,
                "solved_fraction_of_cold": round(warm_store.misses / max(1, queries), 4),
                "ratio_to_cold": round(warm_s / cold_s, 3), "cpu_ratio_to_cold": round(warm_cpu / cold_cpu, 3),
                "cold_over_warm_cpu": round(cold_cpu / max(warm_cpu, 1e-9), 1)},
            **({"jobs2_ratio_to_cold": round(jobs_s / cold_s, 3)} if with_jobs else {}),
            "same_answers": {"warm_vs_cold_of_the_change": _strip(warm) == _strip(recold),
                             **({"jobs2_vs_cold": _strip(jobs) == _strip(cold)} if with_jobs else {})},
            "recold_s": round(recold_s, 2),
        }
        if cluster:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address="127.0.0.1:0") as local:
                cluster_s, (on_cluster, _) = _timed(lambda: who_can_everything(
                    root / "again", arns, budget=budget, cluster=local.scheduler_address, group_alike=group_alike))
            row["cluster2_ratio_to_cold"] = round(cluster_s / cold_s, 3)
            row["same_answers"]["cluster2_vs_cold"] = _strip(on_cluster) == _strip(cold)
        return row


def measure_cold(accounts: int, roles: int, resources: int, budget: Budget, group_alike: bool) -> dict[str, Any]:
    """One cold run in this process, no cache: its time, CPU, peak memory and the
    digest of its answers (to compare with another run of the same organization)."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        arns = write_org(root / "org", accounts, roles, resources)
        with _TaskClock() as clock:
            cold_s, cold_cpu, (cold, reach) = _cpu(lambda: who_can_everything(root / "org", arns, budget=budget,
                                                                              group_alike=group_alike, expanded=True))
        methods: dict[str, int] = {}
        for _, _, data in reach.graph.edges(data=True):
            methods[data["result"].method] = methods.get(data["result"].method, 0) + 1
        return {"accounts": accounts, "roles_per_account": roles, "resources": resources, "group_alike": group_alike,
                "budget_units": budget.units, "answers": len(cold),
                "answers_sha256": _digest(cold),
                "edges": reach.graph.number_of_edges(), "edges_by_method": dict(sorted(methods.items())),
                "classes_alike": len(reach.alike), "cold_s": round(cold_s, 2), "cold_cpu_s": round(cold_cpu, 2),
                **clock.costs(cold_s, cold_cpu),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "load_average": [round(x, 1) for x in os.getloadavg()]}


def _members_expanded(answer: dict[str, Any]) -> list[Any]:
    """Who can, principal by principal (a class's members each), whatever the grouping."""
    return [answer["action"], answer["resource"], answer["result"],
            sorted({(member, entry["status"]) for entry in answer["principals"]
                    for member in entry.get("members") or [entry["principal"]]})]


class _TaskClock:
    """Counts the calls of `edges.decide` (one edge decided on its own: what a
    cluster runs as a task) and their seconds, in this process."""

    def __init__(self) -> None:
        self.calls, self.seconds, self.cpu = 0, 0.0, 0.0

    def __enter__(self) -> _TaskClock:
        from reasoner.accounts import edges

        self._decide = edges.decide

        def timed(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return self._decide(*args, **kwargs)
            finally:
                self.calls += 1
                self.seconds += time.perf_counter() - started
                self.cpu += time.process_time() - cpu

        edges.decide = timed  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        from reasoner.accounts import edges

        edges.decide = self._decide  # type: ignore[assignment]

    def costs(self, total_s: float, total_cpu: float) -> dict[str, Any]:
        """The tasks a cluster would spread, and the rest of the run (loading,
        building the tasks, symmetric followers, path searches), which stays in the
        command's process."""
        return {"independent_tasks": self.calls, "tasks_s": round(self.seconds, 2),
                "mean_task_ms": round(1000 * self.seconds / max(1, self.calls), 1),
                "serial_s": round(total_s - self.seconds, 2), "tasks_cpu_s": round(self.cpu, 2),
                "mean_task_cpu_ms": round(1000 * self.cpu / max(1, self.calls), 2),
                "serial_cpu_s": round(total_cpu - self.cpu, 2)}


def _strip(answers: list[Any]) -> str:
    return json.dumps(answers, sort_keys=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--roles", type=int, default=10, help="roles per account")
    parser.add_argument("--resources", type=int, default=12)
    parser.add_argument("--budget", type=float, default=DEFAULT_UNITS)
    parser.add_argument("--no-cluster", action="store_true", help="skip the two-worker LocalCluster run")
    parser.add_argument("--no-jobs", action="store_true", help="skip the cold --jobs 2 run")
    parser.add_argument("--group-alike", action="store_true", help="callers alike as one class (--group-alike)")
    parser.add_argument("--cold-only", action="store_true", help="one cold run, no cache: time, memory, answers")
    parser.add_argument("--baseline", action="store_true",
                        help="with --cold-only --group-alike: then the same run without grouping, for the ratio")
    options = parser.parse_args(argv)
    pace_for_one_command()  # as `perimeter`'s process does
    row = measure(options.accounts, options.roles, options.resources, options.budget, not options.no_cluster,
                  group_alike=options.group_alike, cold_only=options.cold_only, baseline=options.baseline,
                  with_jobs=not options.no_jobs)
    sys.stdout.write(json.dumps(row, indent=1) + "\n")
    return 0 if all(row.get("same_answers", {}).values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
