"""`perimeter prove` against the number of declared VPC endpoints (issue #17, item 3).

    .venv/bin/python -m benchmarks.vpc_endpoints [--counts 2,10,100,1000] [--alone-up-to 100]

A perimeter with one bucket (whose policy, the same for every N, admits requests
through VPC endpoints only) and N endpoints over 10 VPCs, half under one
endpoint policy and half under another, proven with `only-trusted-identities` and a
custom invariant. Each row is the best of --repeat runs in this process, and its ratio
to the first row (the baseline, 2 endpoints): grouped (the default, one query per
group of endpoints with one policy, service and account) and each endpoint alone
(`group_endpoints=False`, the prover before issue #17, for counts up to
--alone-up-to). The answers of both are compared (status and findings' fingerprints).
Reading the perimeter file (YAML, once per row) is timed apart from proving.
Speed is reported here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from reasoner.inputs.model import Perimeter
from reasoner.inputs.perimeter_file import load_perimeter
from reasoner.prove.findings import ProofReport
from reasoner.prove.proof import prove_perimeter

ORG = "o-a1b2c3d4e5"
ACCOUNT = "111122223333"
BUCKET = "arn:aws:s3:::corp-data"
VPCS = 10


def _document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def endpoint_ids(count: int) -> list[str]:
    return [f"vpce-{number:017x}" for number in range(1, count + 1)]


def write_perimeter(folder: Path, count: int) -> Path:
    """A perimeter with `count` endpoints (two endpoint policies) in `folder`."""
    ids = endpoint_ids(count)
    everything = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    (folder / "open.json").write_text(json.dumps(_document(everything)))
    (folder / "org.json").write_text(json.dumps(_document(
        {**everything, "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}})))
    (folder / "bucket.json").write_text(json.dumps(_document(
        {"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}},
        {"Sid": "OnlyThroughEndpoints", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [BUCKET, f"{BUCKET}/*"], "Condition": {"Null": {"aws:SourceVpce": "true"}}})))
    endpoints = [{"id": endpoint, "vpc": f"vpc-{index % VPCS + 1:08x}", "account": ACCOUNT, "service": "s3",
                  "policy": "open.json" if index % 2 else "org.json"} for index, endpoint in enumerate(ids)]
    path = folder / "perimeter.yaml"
    path.write_text("\n".join([
        f"zone: {{organization_ids: [{ORG}]}}",
        f'organization: {{root: {{accounts: ["{ACCOUNT}"]}}}}',
        f'resources: [{{arn: "{BUCKET}", type: "AWS::S3::Bucket", account: "{ACCOUNT}", policy: bucket.json}}]',
        f"vpc_endpoints: {json.dumps(endpoints)}",
        "invariants:",
        "  - only-trusted-identities",
        '  - {id: no-anonymous-writes, principals: anonymous, actions: ["s3:PutObject"]}']) + "\n")
    return path


def prove(perimeter: Perimeter, *, group: bool) -> ProofReport:
    return prove_perimeter(perimeter, group_endpoints=group)


def answer(report: ProofReport) -> list[tuple[str, list[str]]]:
    return [(result.status.value, sorted(f.fingerprint for f in result.findings)) for result in report.results]


def _best(perimeter: Perimeter, *, group: bool, repeat: int) -> tuple[float, ProofReport]:
    best, report = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        report = prove(perimeter, group=group)
        best = min(best, time.perf_counter() - started)
    assert report is not None
    return best, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="2,10,100,1000", help="endpoint counts, the first the baseline")
    parser.add_argument("--alone-up-to", type=int, default=100, help="largest count asked endpoint by endpoint")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row (the best is kept)")
    options = parser.parse_args()
    counts = [int(c) for c in options.counts.split(",")]
    print(f"{'endpoints':>9}  {'reading':>9}  {'grouped':>10}  {'ratio':>6}  {'alone':>10}  {'ratio':>6}  same answer")
    base: dict[bool, float] = {}
    with tempfile.TemporaryDirectory() as temporary:
        warm = Path(temporary) / "warm-up"
        warm.mkdir()
        prove(load_perimeter(write_perimeter(warm, counts[0])), group=True)  # imports, solver start-up
        for count in counts:
            folder = Path(temporary) / str(count)
            folder.mkdir()
            started = time.perf_counter()
            perimeter = load_perimeter(write_perimeter(folder, count))
            loading = time.perf_counter() - started
            grouped, report = _best(perimeter, group=True, repeat=options.repeat)
            base.setdefault(True, grouped)
            row = f"{count:>9}  {loading:>7.2f} s  {grouped:>8.2f} s  {grouped / base[True]:>5.1f}x"
            if count <= options.alone_up_to:
                alone, reference = _best(perimeter, group=False, repeat=options.repeat)
                base.setdefault(False, alone)
                same = "yes" if answer(report) == answer(reference) else "NO"
                row += f"  {alone:>8.2f} s  {alone / base[False]:>5.1f}x  {same}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
