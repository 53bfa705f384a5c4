"""Proof results and their writers, on hand-built reports: fingerprints, baselines,
exit codes, JSON, SARIF (validated against the SARIF 2.1.0 schema), JUnit and text."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from reasoner.errors import InputError
from reasoner.evaluation.scenario import parse_request
from reasoner.policy.model import Decision, Effect, StatementRef
from reasoner.prove.findings import (
    Baseline,
    Finding,
    InvariantResult,
    ProofReport,
    Status,
    baseline_json,
    exit_code,
    fingerprint,
    load_baseline,
    make_finding,
)
from reasoner.reports.json_report import report_json
from reasoner.reports.junit import report_junit
from reasoner.reports.render import render_report
from reasoner.reports.sarif import FINGERPRINT_KEY, report_sarif
from reasoner.reports.text import report_text

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

TOPIC = "arn:aws:sns:us-east-1:111122223333:data-alerts"
TOPIC_POLICY = "examples/perimeter-broken/policies/data-alerts-topic.json"
GRANT = StatementRef("resource_policy", 0, "AllowOrgPublish", Effect.ALLOW, source=TOPIC_POLICY, line=4)
SCP_DENY = StatementRef("scps[0][1]", 2, "EnforceResourcePerimeterThirdPartyResources", Effect.DENY,
                        source="examples/perimeter/policies/scps/resource_perimeter_scp.json", line=70)


def witness(principal: str = "arn:aws:iam::000011112222:role/intruder", org: str = "o-zzzzzzzzzz") -> Finding:
    request = parse_request({"principal": principal, "action": "sns:Publish", "resource": TOPIC,
                             "context": {"aws:PrincipalOrgID": org, "aws:TagKeys": ["team"]}}, source="test")
    return make_finding(
        invariant_id="only-trusted-identities", title=f"outside-org can sns:Publish on {TOPIC}",
        principal_class="outside-org", actions=("sns:Publish",), condition='aws:PrincipalOrgID like "o-*"',
        witness_request=request, decision=Decision.ALLOW, determining=(GRANT,),
        explanation="the topic policy grants every organization")


def lockout() -> Finding:
    request = parse_request({"principal": "arn:aws:iam::222233334444:role/ci", "action": "s3:GetObject",
                             "resource": "arn:aws:s3:::example-corp-analytics/k",
                             "resource_account": "111122223333"}, source="test")
    return make_finding(
        invariant_id="ci-keeps-reading", title="the ci role is denied s3:GetObject", principal_class="arn ci",
        actions=("s3:GetObject",), condition="aws:ResourceOrgID absent", witness_request=request,
        decision=Decision.EXPLICIT_DENY, determining=(SCP_DENY,), explanation="")


def implicit_lockout() -> Finding:
    return replace(lockout(), decision=Decision.IMPLICIT_DENY, determining=(),
                   fingerprint=fingerprint("ci-keeps-reading", "arn ci", ("s3:GetObject",), (),
                                           "aws:ResourceOrgID absent"))


def report(*results: InvariantResult) -> ProofReport:
    return ProofReport("examples/perimeter-broken/perimeter.yaml", results)


PASS = InvariantResult("only-trusted-resources", "My identities can access only trusted resources", Status.PASS,
                       seconds=0.25, line=13)
FAIL = InvariantResult("only-trusted-identities", "Only trusted identities can access my resources", Status.FAIL,
                       findings=(witness(),), seconds=1.5, line=10)
UNKNOWN = InvariantResult("only-expected-networks", "Access only from expected networks", Status.UNKNOWN,
                          reason="solver timeout after 10 s", seconds=10.0, line=16)
LOCKED_OUT = InvariantResult("ci-keeps-reading", "CI keeps reading", Status.FAIL,
                             findings=(lockout(), implicit_lockout()), seconds=0.5, line=20)


# -- fingerprints and baselines ----------------------------------------------


def test_fingerprint_ignores_witness_values_and_lines() -> None:
    first = witness()
    other_values = witness(principal="arn:aws:iam::999900001111:user/mallory", org="o-yyyyyyyyyy")
    assert first.fingerprint == other_values.fingerprint
    moved = fingerprint("only-trusted-identities", "outside-org", ["sns:Publish"], [replace(GRANT, line=40)],
                        'aws:PrincipalOrgID like "o-*"')
    assert moved == first.fingerprint


@pytest.mark.parametrize(
    "change",
    [
        {"invariant_id": "other"},
        {"principal_class": "anonymous"},
        {"actions": ["sns:Publish", "sns:Subscribe"]},
        {"determining": [replace(GRANT, statement=1)]},
        {"determining": [replace(GRANT, source="other.json")]},
        {"condition": 'aws:PrincipalOrgID like "o-*"; via a VPC endpoint outside the perimeter'},
    ],
)
def test_fingerprint_changes_with_what_identifies_a_finding(change: dict[str, object]) -> None:
    arguments: dict[str, object] = {"invariant_id": "only-trusted-identities", "principal_class": "outside-org",
                                    "actions": ["sns:Publish"], "determining": [GRANT],
                                    "condition": 'aws:PrincipalOrgID like "o-*"'}
    arguments.update(change)
    assert fingerprint(**arguments) != witness().fingerprint  # type: ignore[arg-type]


def test_fingerprint_is_pinned() -> None:
    # a changed fingerprint scheme invalidates every user's baseline: change it on purpose only
    material = '["inv","outside-org",["s3:GetObject"],[["a.json",0,"S"]],"c"]'
    assert hashlib.sha256(material.encode()).hexdigest()[:32] == "b5d5231c4574b41e388a86c1e731bdac"
    ref = StatementRef("resource_policy", 0, "S", Effect.ALLOW, source="a.json", line=9)
    assert fingerprint("inv", "outside-org", ["s3:GetObject"], [ref], "c") == "b5d5231c4574b41e388a86c1e731bdac"


def test_baseline_round_trip(tmp_path: Path) -> None:
    full = report(PASS, FAIL, LOCKED_OUT)
    path = tmp_path / "baseline.json"
    path.write_text(baseline_json(full))
    baseline = load_baseline(path)
    assert baseline.fingerprints == {finding.fingerprint for finding in full.findings()}
    assert len(baseline.fingerprints) == 3
    assert baseline.new_findings(full) == ()
    assert exit_code(full, baseline) == 0
    assert exit_code(full) == 1
    fresh = replace(FAIL, findings=(*FAIL.findings, replace(witness(), fingerprint="f" * 32)))
    assert [f.fingerprint for f in baseline.new_findings(report(fresh))] == ["f" * 32]
    assert exit_code(report(fresh), baseline) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "B: expected a baseline written by --write-baseline (version 1)"),
        ('{"version": 2, "findings": []}', "B: version: expected a baseline written by --write-baseline (version 1)"),
        ('{"version": 1}', "B: findings: expected a list"),
        ('{"version": 1, "findings": [{"fingerprint": 3}]}', "B: findings[0].fingerprint: expected a non-empty string"),
        ("{", "B: invalid JSON at line 1 column 2: Expecting property name enclosed in double quotes"),
    ],
)
def test_bad_baselines_are_input_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "B"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_baseline(path)
    assert str(caught.value).replace(str(tmp_path) + "/", "") == message


@pytest.mark.parametrize(
    ("results", "code"),
    [
        ((PASS,), 0),
        ((PASS, FAIL), 1),
        ((PASS, UNKNOWN), 3),
        ((FAIL, UNKNOWN), 1),  # a new finding beats UNKNOWN
        ((replace(FAIL, findings=()),), 1),  # a failure with nothing to baseline still fails
    ],
)
def test_exit_codes(results: tuple[InvariantResult, ...], code: int) -> None:
    assert exit_code(report(*results)) == code


def test_baselined_findings_leave_unknown_as_the_exit_code() -> None:
    baseline = Baseline(frozenset({witness().fingerprint}))
    assert exit_code(report(FAIL, UNKNOWN), baseline) == 3
    assert exit_code(report(FAIL, PASS), baseline) == 0


# -- JSON ---------------------------------------------------------------------


def test_json_report_shape() -> None:
    data = json.loads(report_json(report(PASS, FAIL, UNKNOWN)))
    assert data["perimeter"] == "examples/perimeter-broken/perimeter.yaml"
    assert data["exit_code"] == 1
    assert [(i["id"], i["result"]) for i in data["invariants"]] == [
        ("only-trusted-resources", "PASS"), ("only-trusted-identities", "FAIL"), ("only-expected-networks", "UNKNOWN")]
    assert data["invariants"][2]["reason"] == "solver timeout after 10 s"
    (finding,) = data["invariants"][1]["findings"]
    assert finding["witness"] == {
        "request": {"principal": "arn:aws:iam::000011112222:role/intruder", "action": "sns:Publish",
                    "resource": TOPIC, "resource_account": "111122223333",
                    "context": {"aws:PrincipalAccount": "000011112222",
                                "aws:PrincipalArn": "arn:aws:iam::000011112222:role/intruder",
                                "aws:PrincipalIsAWSService": "false", "aws:PrincipalOrgID": "o-zzzzzzzzzz",
                                "aws:PrincipalType": "AssumedRole", "aws:TagKeys": ["team"]}},
        "decision": "Allow",
        "determining": [{"policy": "resource_policy", "statement": 0, "sid": "AllowOrgPublish", "effect": "Allow",
                         "file": TOPIC_POLICY, "line": 4}],
    }
    assert finding["baselined"] is False
    assert finding["fingerprint"] == witness().fingerprint


def test_json_witness_replays_as_a_scenario_request() -> None:
    data = json.loads(report_json(report(FAIL)))
    request = data["invariants"][0]["findings"][0]["witness"]["request"]
    assert parse_request(request, source="replay") == witness().witness_request


# -- SARIF --------------------------------------------------------------------


def sarif(*results: InvariantResult, baseline: Baseline | None = None) -> dict[str, object]:
    log: dict[str, object] = json.loads(report_sarif(report(*results), baseline, root=Path.cwd()))
    return log


def test_sarif_is_valid_against_the_2_1_0_schema() -> None:
    for results in [(PASS,), (PASS, FAIL, UNKNOWN, LOCKED_OUT), ()]:
        jsonschema.Draft4Validator(SCHEMA).validate(sarif(*results))
    jsonschema.Draft4Validator(SCHEMA).validate(sarif(FAIL, baseline=Baseline(frozenset({witness().fingerprint}))))


def test_the_schema_rejects_what_it_should() -> None:
    # the validator is really checking: a result without a message is not SARIF
    log = sarif(FAIL)
    del log["runs"][0]["results"][0]["message"]  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_rules_results_locations_and_fingerprints() -> None:
    log = sarif(PASS, FAIL, UNKNOWN, LOCKED_OUT)
    (run,) = log["runs"]  # type: ignore[attr-defined]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
        "only-trusted-resources", "only-trusted-identities", "only-expected-networks", "ci-keeps-reading"]
    leak, explicit, implicit = run["results"]
    assert (leak["ruleId"], leak["ruleIndex"], leak["baselineState"]) == ("only-trusted-identities", 1, "new")
    assert leak["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": TOPIC_POLICY},
                                                        "region": {"startLine": 4}}
    assert leak["partialFingerprints"] == {FINGERPRINT_KEY: witness().fingerprint}
    assert leak["properties"]["witness"]["request"]["principal"] == "arn:aws:iam::000011112222:role/intruder"
    assert explicit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "examples/perimeter/policies/scps/resource_perimeter_scp.json")
    # no statement decided an implicit deny: the finding points at the invariant in the perimeter file
    assert implicit["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/perimeter-broken/perimeter.yaml"}, "region": {"startLine": 20}}
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["descriptor"] == {"id": "only-expected-networks"}


def test_sarif_paths_are_relative_to_the_root(tmp_path: Path) -> None:
    absolute = replace(GRANT, source=str(tmp_path / "policies" / "topic.json"))
    finding = replace(witness(), determining=(absolute,))
    log = json.loads(report_sarif(report(replace(FAIL, findings=(finding,))), root=tmp_path))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "policies/topic.json"


def test_sarif_marks_baselined_findings_unchanged() -> None:
    log = sarif(FAIL, baseline=Baseline(frozenset({witness().fingerprint})))
    assert log["runs"][0]["results"][0]["baselineState"] == "unchanged"  # type: ignore[index]


# -- JUnit --------------------------------------------------------------------


def test_junit_one_testcase_per_invariant() -> None:
    root = ET.fromstring(report_junit(report(PASS, FAIL, UNKNOWN, LOCKED_OUT)))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["only-trusted-resources", "only-trusted-identities", "only-expected-networks",
                           "ci-keeps-reading"]
    assert list(cases["only-trusted-resources"]) == []
    failure = cases["only-trusted-identities"].find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("only-trusted-identities: 1 finding(s), 1 new")
    assert "arn:aws:iam::000011112222:role/intruder" in (failure.text or "")
    assert f"({TOPIC_POLICY}:4)" in (failure.text or "")
    error = cases["only-expected-networks"].find("error")
    assert error is not None and error.get("message") == "UNKNOWN: solver timeout after 10 s"
    assert cases["only-trusted-identities"].get("time") == "1.500"


def test_junit_baselined_failure_passes_with_its_findings_in_system_out() -> None:
    root = ET.fromstring(report_junit(report(FAIL), Baseline(frozenset({witness().fingerprint}))))
    case = root.find("testsuite/testcase")
    assert case is not None and case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and (out.text or "").startswith("[baselined] outside-org can sns:Publish")


# -- text ---------------------------------------------------------------------


def test_text_report() -> None:
    text = report_text(report(PASS, FAIL, UNKNOWN))
    lines = text.splitlines()
    assert lines[0] == "examples/perimeter-broken/perimeter.yaml"
    assert lines[1] == "  PASS     only-trusted-resources: My identities can access only trusted resources (0.2 s)"
    assert lines[2] == ("  FAIL     only-trusted-identities: Only trusted identities can access my resources "
                        "(1.5 s, 1 finding, 1 new)")
    assert lines[3] == f"    [new] outside-org can sns:Publish on {TOPIC}"
    assert f'      allowed by resource_policy statement 0 "AllowOrgPublish" ({TOPIC_POLICY}:4)' in lines
    assert "    solver timeout after 10 s" in lines
    assert lines[-1] == "1 proven, 1 failed (1 new finding), 1 unknown"
    assert "\x1b[" not in text
    assert "\x1b[1;31mFAIL" in report_text(report(FAIL), colour=True)


def test_render_picks_the_writer() -> None:
    full = report(PASS, FAIL)
    assert render_report(full, "junit").startswith("<?xml")
    assert json.loads(render_report(full, "sarif"))["version"] == "2.1.0"
    assert json.loads(render_report(full, "json"))["exit_code"] == 1
    assert render_report(full, "text").endswith("new finding), 0 unknown\n")
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render_report(full, "xml")
