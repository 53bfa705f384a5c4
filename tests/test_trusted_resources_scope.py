"""The built-in only-trusted-resources with no `actions` covers the requests that name a
resource (issue #11, part 1): an action on `*` touches none, and sts:GetCallerIdentity
is always allowed; before, every identity "broke" it with sts:GetCallerIdentity on `*`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.evaluation.membership import outside_space
from reasoner.evaluation.scenario import parse_request
from reasoner.evaluation.spaces import RequestSpace
from reasoner.policy.model import PrincipalKind


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


PERIMETER = """
zone: {organization_ids: [o-aaaaaaaaaa]}
organization:
  root:
    accounts: ["111122223333"]
identities:
  - arn: arn:aws:iam::111122223333:role/app
    policies: [app.json]
invariants: [only-trusted-resources]
"""
APP = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}


def test_only_trusted_resources_with_no_actions_holds_for_a_policy_on_own_resources(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_text(json.dumps(APP))
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(PERIMETER)
    result = run("prove", perimeter, "--format", "json")
    document = json.loads(result.stdout)
    witnesses = [f["witness"]["request"] for i in document["invariants"] for f in i["findings"]]
    assert not any(w["action"].lower() == "sts:getcalleridentity" or w["resource"] == "*" for w in witnesses)
    assert result.exit_code == 0, result.stdout


def test_a_space_can_leave_actions_out() -> None:
    request = parse_request({"principal": "arn:aws:iam::111122223333:role/app", "action": "sts:GetCallerIdentity",
                             "resource": "*"}, source="r")
    space = RequestSpace((PrincipalKind.ROLE,), not_actions=("sts:GetCallerIdentity",))
    assert outside_space(space, request, ()) == "not_actions"
