"""Synthetic accounts of 10 to 5,000 roles (fixed seed): time and peak memory of
building the whole reachability graph (`perimeter graph`) as the account grows.

    .venv/bin/python benchmarks/synthetic_accounts.py --sizes 10,100,1000 --jobs 2

Outside the default test suite (`tests/test_graph.py` runs it at 10 roles under the
slow mark). Trust policies mix the shapes of real accounts: a service, the account,
one other role, a partner account with an external id, an open trust (rare).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from reasoner.solving.budget import DEFAULT_UNITS, Budget

ACCOUNT = "123456789012"
PARTNER = "444455556666"


def _trust(rng: random.Random, index: int) -> dict[str, Any]:
    shape = rng.choices(["service", "account", "role", "partner", "open"], weights=[40, 25, 25, 9, 1])[0]
    principal: dict[str, Any]
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    if shape == "service":
        principal = {"Service": rng.choice(["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com"])}
    elif shape == "account":
        principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    elif shape == "role" and index > 0:
        principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/role-{rng.randrange(index)}"}
    elif shape == "partner":
        principal = {"AWS": f"arn:aws:iam::{PARTNER}:root"}
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": f"ext-{index}"}}
    else:
        principal = {"AWS": "*"}
    statement["Principal"] = principal
    return {"Version": "2012-10-17", "Statement": [statement]}


def write_account(folder: Path, roles: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    entries = []
    for index in range(roles):
        actions = rng.choice([["sts:AssumeRole"], ["s3:GetObject"], ["sqs:SendMessage", "sts:AssumeRole"]])
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        entries.append({"Path": "/", "RoleName": f"role-{index}", "Arn": f"arn:aws:iam::{ACCOUNT}:role/role-{index}",
                        "AssumeRolePolicyDocument": urllib.parse.quote(json.dumps(_trust(rng, index))),
                        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": json.dumps(policy)}],
                        "AttachedManagedPolicies": []})
    (folder / "iam").mkdir(parents=True, exist_ok=True)
    details = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": entries, "Policies": []}
    (folder / "iam" / f"{ACCOUNT}.json").write_text(json.dumps(details))
    return folder


def measure(roles: int, jobs: int, units: float = DEFAULT_UNITS) -> dict[str, Any]:
    from reasoner.accounts.edges import EDGE_STATES
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        reach = Reachability(load_snapshot(write_account(Path(scratch), roles)), budget=Budget(units), jobs=jobs)
        reach.build()
        seconds = time.perf_counter() - started
    statuses = [EDGE_STATES[data["status"]] for _, _, data in reach.graph.edges(data=True)]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"roles": roles, "seconds": round(seconds, 2), "edges_queried": len(statuses),
            "pairs_excluded": reach.excluded, "edges": {s: statuses.count(s) for s in sorted(set(statuses))},
            "peak_rss_mib": round(peak_kib / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--budget", type=float, default=DEFAULT_UNITS, help="work units per query")
    options = parser.parse_args(argv)
    for size in (int(s) for s in options.sizes.split(",")):
        sys.stdout.write(json.dumps(measure(size, options.jobs, options.budget)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
