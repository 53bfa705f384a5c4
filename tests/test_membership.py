"""The management account is a member of its organization whether or not the tree lists
it under an OU (issue #11, part 1): every membership question (prove's scopes, the
snapshot graph behind reach, who-can and graph, and their witnesses) asks
`Organization.accounts`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.inputs.model import Organization, OrgNode

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MANAGEMENT = "111111111111"
MEMBER = "222222222222"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_the_management_account_is_a_member_even_when_the_tree_does_not_list_it() -> None:
    tree = OrgNode("root", "Root", children=(OrgNode("account", "prod", MEMBER),))
    organization = Organization(tree, management_account=MANAGEMENT)
    assert organization.accounts() == (MANAGEMENT, MEMBER)
    assert organization.is_member(MANAGEMENT) and organization.is_member(MEMBER)
    assert not organization.is_member("333333333333") and not organization.is_member(None)
    listed = Organization(OrgNode("root", "Root", children=(OrgNode("account", "mgmt", MANAGEMENT),)), MANAGEMENT)
    assert listed.accounts() == (MANAGEMENT,)


def test_prove_never_takes_the_management_account_for_an_outsider(tmp_path: Path) -> None:
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(f"""
zone: {{organization_ids: [o-aaaaaaaaaa]}}
organization:
  management_account: "{MANAGEMENT}"
  root:
    accounts: ["{MEMBER}"]
resources:
  - arn: arn:aws:s3:::shared
    type: AWS::S3::Bucket
    account: "{MEMBER}"
    policy: {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject",
             "Principal": {{"AWS": "arn:aws:iam::{MANAGEMENT}:root"}}, "Resource": "arn:aws:s3:::shared/*"}}]}}
invariants: [only-trusted-identities]
""")
    result = run("prove", perimeter, "--format", "json")
    document = json.loads(result.stdout)
    principals = [finding["witness"]["request"]["principal"]
                  for invariant in document["invariants"] for finding in invariant["findings"]]
    assert not any(f":{MANAGEMENT}:" in principal for principal in principals)
    assert result.exit_code == 0, result.stdout


def test_who_can_counts_the_management_account_inside_the_organization(tmp_path: Path) -> None:
    snapshot = tmp_path / "leaky"
    shutil.copytree(EXAMPLES / "snapshot" / "leaky", snapshot)
    organization = json.loads((snapshot / "organization.json").read_text())
    organization["root"]["accounts"] = []  # the management account only as management_account
    (snapshot / "organization.json").write_text(json.dumps(organization))
    result = run("who-can", "sts:AssumeRole", f"arn:aws:iam::{MANAGEMENT}:role/ops",
                 "--snapshot", snapshot, "--format", "json", "--resource-account", MANAGEMENT)
    document = json.loads(result.stdout)
    assert "(3 accounts)" in document["zone_of_trust"], document["zone_of_trust"]
    for entry in document["principals"]:
        if entry["outside_zone"]:
            for edge in entry["path"]:
                witness = edge.get("witness") or {}
                assert f":{MANAGEMENT}:" not in json.dumps(witness.get("request", {}).get("principal", ""))


def test_the_access_picture_draws_the_management_account_inside_the_organization(tmp_path: Path) -> None:
    from reasoner.accounts.picture_view import build_picture
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    snapshot = tmp_path / "leaky"
    shutil.copytree(EXAMPLES / "snapshot" / "leaky", snapshot)
    organization = json.loads((snapshot / "organization.json").read_text())
    organization["root"]["accounts"] = []
    (snapshot / "organization.json").write_text(json.dumps(organization))
    reach = Reachability(load_snapshot(snapshot))
    targets = [(reach.target("arn:aws:s3:::prod-data"), ("s3:GetObject",))]
    reach.build(targets)
    picture = build_picture(reach, targets, show_all=True)
    groups = {group.id: group for group in picture.groups}
    management = groups[f"g-acct-{MANAGEMENT}"]
    assert management.parent is not None and groups[management.parent].kind == "organization"
