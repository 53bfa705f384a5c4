"""`perimeter evaluate`: exit codes, output shapes, ordering, and nothing printed on failure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "scenarios"

ALICE = "arn:aws:iam::111111111111:user/alice"
ALLOW_GET = {"Version": "2012-10-17",
             "Statement": [{"Sid": "ReadBucket", "Effect": "Allow", "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::bucket/*"}]}
DENY_GET = {"Version": "2012-10-17",
            "Statement": [{"Sid": "NoReads", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}


def request(**overrides: Any) -> dict[str, Any]:
    return {"principal": ALICE, "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key",
            "resource_account": "111111111111", **overrides}


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    return write(tmp_path / "allowed.json", {"request": request(), "identity_policies": [ALLOW_GET]})


@pytest.fixture
def denied(tmp_path: Path) -> Path:
    return write(tmp_path / "denied.json",
                 {"request": request(), "identity_policies": [ALLOW_GET], "scps": [[DENY_GET]]})


@pytest.fixture
def unmatched(tmp_path: Path) -> Path:
    return write(tmp_path / "unmatched.json", {"request": request(action="s3:PutObject"),
                                               "identity_policies": [ALLOW_GET]})


def test_json_output_is_one_object_per_scenario_in_order(allowed: Path, denied: Path, unmatched: Path) -> None:
    result = run("evaluate", "--format", "json", denied, allowed, unmatched, allowed)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["scenario"] for line in lines] == [str(denied), str(allowed), str(unmatched), str(allowed)]
    assert [line["decision"] for line in lines] == ["ExplicitDeny", "Allow", "ImplicitDeny", "Allow"]
    assert all(set(line) == {"scenario", "decision", "determining", "blocked_by"} for line in lines)
    assert lines[1]["determining"] == [
        {"policy": "identity_policies[0]", "statement": 0, "sid": "ReadBucket", "effect": "Allow"}]
    assert lines[0]["determining"] == [
        {"policy": "scps[0][0]", "statement": 0, "sid": "NoReads", "effect": "Deny"}]
    assert lines[0]["blocked_by"] and lines[2]["blocked_by"]
    assert lines[1]["blocked_by"] == []
    assert result.stderr == ""


def test_text_output_names_decision_and_statements(allowed: Path, denied: Path) -> None:
    result = run("evaluate", allowed, denied)
    assert result.exit_code == 0, result.output
    assert f"{allowed}: Allow" in result.stdout
    assert 'allowed by identity_policies[0] statement 0 "ReadBucket"' in result.stdout
    assert f"{denied}: ExplicitDeny" in result.stdout
    assert 'denied by scps[0][0] statement 0 "NoReads"' in result.stdout
    assert result.stdout.index(str(allowed)) < result.stdout.index(str(denied))
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_text_output_gives_the_line_of_an_inline_statement(tmp_path: Path) -> None:
    scenario = write(tmp_path / "s.json", f"""{{
  "request": {json.dumps(request())},
  "scps": [
    [{{"Version": "2012-10-17",
      "Statement": [
        {{"Sid": "Allow", "Effect": "Allow", "Action": "*", "Resource": "*"}},
        {{"Sid": "NoReads", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}}
      ]}}]
  ]
}}""")
    result = run("evaluate", scenario)
    assert f'denied by scps[0][0] statement 1 "NoReads" ({scenario}:7)' in result.stdout


def test_yaml_scenario_with_relative_policy_file(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "scenarios").mkdir()
    write(tmp_path / "policies" / "deny.json", DENY_GET)
    scenario = write(tmp_path / "scenarios" / "s.yaml", f"""
# YAML scenarios may carry comments
request:
  principal: {ALICE}
  action: s3:GetObject
  resource: arn:aws:s3:::bucket/key
  resource_account: "111111111111"
  context:
    aws:SecureTransport: true
identity_policies:
  - {json.dumps(ALLOW_GET)}
  - ../policies/deny.json
""")
    result = run("evaluate", "--format", "json", scenario)
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert line["decision"] == "ExplicitDeny"
    assert line["determining"] == [
        {"policy": "identity_policies[1]", "statement": 0, "sid": "NoReads", "effect": "Deny"}]


@pytest.mark.parametrize(("content", "message"), [
    ('{"request": {', "bad.json: invalid JSON at line 1"),
    ('{"request": {}, "request": {}}', 'bad.json: duplicate key "request"'),
    (json.dumps({"request": request(), "identity_polices": []}), "bad.json: identity_polices: unknown key"),
    (json.dumps({"request": request(principal="alice")}),
     'bad.json: request.principal: "alice" is not a principal ARN, account id, service principal or "anonymous"'),
    (json.dumps({"request": request(context={"aws:TagKeys": ["a", {}]})}),
     "bad.json: request.context.aws:TagKeys[1]: expected a string"),
    (json.dumps({"request": request(), "identity_policies": [{"Statement": [{"Effect": "Allow"}]}]}),
     "bad.json: identity_policies[0].Statement[0]"),
])
def test_bad_scenario_exits_2_with_one_line_and_prints_nothing(
    tmp_path: Path, allowed: Path, content: str, message: str
) -> None:
    bad = write(tmp_path / "bad.json", content)
    result = run("evaluate", "--format", "json", allowed, allowed, bad, allowed)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {tmp_path / message}")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def test_error_inside_a_policy_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path / "policy.json", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": 1}]})
    scenario = write(tmp_path / "s.json", {"request": request(), "identity_policies": ["policy.json"]})
    result = run("evaluate", scenario)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'policy.json'}: Statement[0]")


def test_missing_scenario_file_exits_2(tmp_path: Path, allowed: Path) -> None:
    result = run("evaluate", allowed, tmp_path / "nope.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and "nope.json" in result.stderr
    assert "Traceback" not in result.output


def test_missing_policy_file_exits_2(tmp_path: Path) -> None:
    scenario = write(tmp_path / "s.json", {"request": request(), "resource_policy": "bucket.json"})
    result = run("evaluate", scenario)
    assert result.exit_code == 2
    assert result.stderr == f'error: {scenario}: resource_policy: policy file "{tmp_path / "bucket.json"}" not found\n'


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", json.dumps({"request": request(principal="alice")}))
    result = run("--debug", "evaluate", bad)
    assert result.exit_code != 0
    assert result.exception is not None and "alice" in str(result.exception)


@pytest.mark.parametrize("args", [["evaluate"], ["evaluate", "--format", "xml", "x.json"], ["nonsense"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


EXPECTED_EXAMPLE_DECISIONS = {
    "01-same-account-identity-allow.json": "Allow",
    "02-cross-account-bucket-policy-silent.json": "ImplicitDeny",
    "03-scp-deny-outside-eu.json": "ExplicitDeny",
    "04-rcp-blocks-outside-org.yaml": "ExplicitDeny",
    "05-kms-key-policy-without-iam.json": "ImplicitDeny",
    "06-role-trust-cross-account.json": "Allow",
    "07-permissions-boundary-caps.json": "ImplicitDeny",
    "08-same-account-bucket-policy-grants-user.json": "Allow",
}


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.iterdir()) == sorted(EXPECTED_EXAMPLE_DECISIONS)


def test_examples_decide_as_their_descriptions_say() -> None:
    paths = [EXAMPLES / name for name in sorted(EXPECTED_EXAMPLE_DECISIONS)]
    result = run("evaluate", "--format", "json", *paths)
    assert result.exit_code == 0, result.output
    decisions = {Path(line["scenario"]).name: line["decision"]
                 for line in map(json.loads, result.stdout.splitlines())}
    assert decisions == EXPECTED_EXAMPLE_DECISIONS


def test_an_s3_request_without_resource_account_says_it_was_decided_as_same_account(tmp_path: Path) -> None:
    """Issue #11, part 1: S3 ARNs name no account; the output says how it was read."""
    same = request()
    del same["resource_account"]
    scenario = write(tmp_path / "s3.json", {"request": same, "identity_policies": [ALLOW_GET]})
    text = run("evaluate", scenario)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[-1] == (
        "  note: no resource_account and arn:aws:s3:::bucket/key names no account: decided as a same-account request "
        "(the resource taken to be in 111111111111, the caller's account); give request.resource_account for a "
        "cross-account request")
    document = json.loads(run("evaluate", "--format", "json", scenario).stdout)
    assert document["decision"] == "Allow" and len(document["notes"]) == 1
    assert "same-account" in document["notes"][0]
    given = write(tmp_path / "given.json", {"request": request(), "identity_policies": [ALLOW_GET]})
    assert "notes" not in json.loads(run("evaluate", "--format", "json", given).stdout)
