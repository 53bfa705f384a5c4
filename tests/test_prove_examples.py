"""`perimeter prove` end to end on the example perimeters: the good one proves; the broken
one fails with a witness that replays through the reference evaluator; SARIF, JUnit and
baselines on a real failure.

They are slow (about a minute and a half per run), so they run under `make test-slow`;
`tests/test_prove.py` proves both examples in the default suite.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_request
from reasoner.inputs.perimeter_file import load_perimeter
from reasoner.policy.model import PolicySet, PolicyType
from reasoner.policy.parse import parse_policy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = EXAMPLES / "perimeter" / "perimeter.yaml"
BROKEN = EXAMPLES / "perimeter-broken" / "perimeter.yaml"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
pytestmark = pytest.mark.slow

TOPIC = "arn:aws:sns:us-east-1:111122223333:data-alerts"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_the_example_perimeter_is_proven() -> None:
    result = run("prove", GOOD, "--format", "json")
    data = json.loads(result.stdout)
    assert [(i["id"], i["result"]) for i in data["invariants"]] == [
        (invariant.id, "PASS") for invariant in load_perimeter(GOOD).invariants], result.stdout
    assert result.exit_code == 0


def broken_findings() -> tuple[Any, list[dict[str, Any]]]:
    result = run("prove", BROKEN, "--format", "json")
    data = json.loads(result.stdout)
    invariants = {item["id"]: item for item in data["invariants"]}
    return result, invariants["only-trusted-identities"]["findings"]


def test_the_broken_perimeter_fails_with_a_witness_that_replays() -> None:
    result, findings = broken_findings()
    assert result.exit_code == 1
    assert findings
    perimeter = load_perimeter(BROKEN)
    topic_findings = [f for f in findings if f["witness"]["request"]["resource"] == TOPIC]
    assert topic_findings, findings
    witness = topic_findings[0]["witness"]
    assert witness["decision"] == "Allow"
    assert witness["determining"][0]["file"].endswith("perimeter-broken/policies/data-alerts-topic.json")
    request = parse_request(witness["request"], source="witness")
    assert request.action.lower() == "sns:publish"
    assert request.get("aws:PrincipalOrgID") != ("o-a1b2c3d4e5",)
    # replay independently of the prover: the caller's own account lets it do anything (it is not ours);
    # the topic's account has the RCPs, which do not cover SNS; the topic policy grants it
    topic = perimeter.resources[1]
    anything = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
                                                                     "Resource": "*"}]},
                            PolicyType.IDENTITY, source="attacker")
    replay = evaluate(request, PolicySet(identity_policies=(anything,), resource_policy=topic.policy,
                                         rcps=perimeter.rcp_levels(topic.account),
                                         management_account=perimeter.management_account))
    assert replay.decision.value == "Allow"


def test_sarif_output_file_is_valid_and_annotates_the_topic_policy(tmp_path: Path) -> None:
    output = tmp_path / "perimeter.sarif"
    result = run("prove", BROKEN, "--format", "sarif", "--output", output)
    assert result.exit_code == 1
    assert result.stdout == ""
    log = json.loads(output.read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert any(uri.endswith("examples/perimeter-broken/policies/data-alerts-topic.json") for uri in uris)


def test_junit_output(tmp_path: Path) -> None:
    result = run("prove", BROKEN, "--format", "junit")
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    failing = [case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None]
    assert "only-trusted-identities" in failing


def test_baseline_round_trip_through_the_cli(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    first = run("prove", BROKEN, "--write-baseline", baseline)
    assert first.exit_code == 1
    second = run("prove", BROKEN, "--baseline", baseline, "--format", "json")
    assert second.exit_code == 0, second.stdout
    findings = [f for i in json.loads(second.stdout)["invariants"] for f in i["findings"]]
    assert findings and all(f["baselined"] for f in findings)


