"""`perimeter prove`: exit codes, bad input, output formats and baselines, end to end on
the example perimeters (the good one proves; the broken one fails with a witness that
replays through the reference evaluator)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = EXAMPLES / "perimeter" / "perimeter.yaml"
BROKEN = EXAMPLES / "perimeter-broken" / "perimeter.yaml"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_bad_perimeter_is_exit_2_with_file_and_path(tmp_path: Path) -> None:
    path = tmp_path / "perimeter.yaml"
    path.write_text("invariants:\n  - {id: a, principals: any, actions: ['*'], expect: permit}\n")
    result = run("prove", path)
    assert result.exit_code == 2
    assert result.stderr == f'error: {path}: invariants[0].expect: expected "deny" or "allow"\n'
    assert result.stdout == ""


def test_bad_baseline_is_exit_2(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[]")
    result = run("prove", GOOD, "--baseline", baseline)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {baseline}: expected a baseline written by --write-baseline")


def test_missing_perimeter_file_is_exit_2(tmp_path: Path) -> None:
    result = run("prove", tmp_path / "nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


@pytest.mark.parametrize("max_findings", ["0", "-1"])
def test_max_findings_must_be_positive(max_findings: str) -> None:
    assert run("prove", GOOD, "--max-findings", max_findings).exit_code == 2


PRIVATE_BUCKET = """
resources:
  - arn: arn:aws:s3:::b
    type: AWS::S3::Bucket
    account: "111122223333"
    policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Resource": "arn:aws:s3:::b/*"}]}
"""


PROVEN = ("zone: {organization_ids: [o-aaaaaaaaaa], trusted_accounts: ['111122223333']}\n" + PRIVATE_BUCKET
          + "invariants: [only-trusted-identities]\n")


def test_an_invariant_that_covers_no_request_is_bad_input_not_a_pass(tmp_path: Path) -> None:
    nothing = tmp_path / "nothing.yaml"
    nothing.write_text("zone: {organization_ids: [o-aaaaaaaaaa]}\ninvariants: [only-trusted-identities]\n")
    result = run("prove", nothing)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {nothing}: invariants[0]: invariant 'only-trusted-identities'")
    assert "no resource is declared" in result.stderr
    wrong_actions = tmp_path / "wrong.yaml"
    wrong_actions.write_text(PRIVATE_BUCKET + "invariants:\n  - {id: keys, principals: anonymous, "
                             "actions: ['kms:Decrypt'], expect: deny}\n")
    result = run("prove", wrong_actions)
    assert result.exit_code == 2
    assert "none of its actions (kms:Decrypt) applies to the resources it covers (arn:aws:s3:::b)" in result.stderr


def test_a_private_bucket_proves_and_writes_every_format(tmp_path: Path) -> None:
    path = tmp_path / "perimeter.yaml"
    path.write_text("zone: {organization_ids: [o-aaaaaaaaaa], trusted_accounts: ['111122223333']}\n" + PRIVATE_BUCKET
                    + "invariants: [only-trusted-identities]\n")
    text = run("prove", path)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[1].startswith("  PASS     only-trusted-identities: ")
    output = tmp_path / "out.sarif"
    sarif = run("prove", path, "--format", "sarif", "--output", output)
    assert sarif.exit_code == 0  # the text report stays on stdout
    assert sarif.stdout.splitlines()[1].startswith("  PASS     only-trusted-identities: ")
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(output.read_text()))
    junit = ET.fromstring(run("prove", path, "--format", "junit").stdout)
    assert junit.get("tests") == "1" and junit.get("failures") == "0"
    baseline = tmp_path / "baseline.json"
    assert run("prove", path, "--write-baseline", baseline).exit_code == 0
    assert json.loads(baseline.read_text())["findings"] == []
    assert run("prove", path, "--baseline", baseline).exit_code == 0


def test_a_must_keep_working_invariant_nobody_can_meet_is_unknown_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "perimeter.yaml"
    path.write_text("invariants:\n  - {id: ci, principals: {arn: 'arn:aws:iam::111111111111:role/ci'},"
                    " actions: ['s3:GetObject'], expect: allow}\n")
    result = run("prove", path, "--format", "json")
    assert result.exit_code == 3
    (invariant,) = json.loads(result.stdout)["invariants"]
    assert invariant["result"] == "UNKNOWN" and invariant["reason"]


@pytest.mark.parametrize(("invariant", "message"), [
    ("{id: typo, principals: anonymous, actions: ['s3:GetObjekt'], expect: deny}",
     'invariants[0].actions[0]: "s3:GetObjekt" names no action of the AWS catalogue (did you mean s3:GetObject'),
    ("{id: typo, principals: anonymous, actions: ['s3:GetObject', 's3:Get*Objekt'], expect: deny}",
     'invariants[0].actions[1]: "s3:Get*Objekt" names no action of the AWS catalogue'),
    ("{id: typo, principals: {arn: 'arn:aws:iam::11112222333:role/app'}, actions: ['s3:GetObject'], expect: deny}",
     'invariants[0].principals.arn: "arn:aws:iam::11112222333:role/app" is not a principal ARN pattern'),
    # a group is no principal; nor is a typo'd entity type (outside acceptance test)
    ("{id: typo, principals: {arn: 'arn:aws:iam::111122223333:group/admins'}, actions: ['s3:GetObject'], "
     "expect: deny}", 'invariants[0].principals.arn: "arn:aws:iam::111122223333:group/admins" names no principal'),
    ("{id: typo, principals: {arn: 'arn:aws:iam::111122223333:rol/x'}, actions: ['s3:GetObject'], expect: deny}",
     'invariants[0].principals.arn: "arn:aws:iam::111122223333:rol/x" names no principal'),
    ("{id: typo, principals: anonymous, actions: ['s3:GetObject'], resources: ['not-an-arn'], expect: deny}",
     'invariants[0].resources[0]: "not-an-arn" is not "*" or an ARN pattern'),
])
def test_an_invariant_no_request_can_meet_is_bad_input(tmp_path: Path, invariant: str, message: str) -> None:
    """Such an invariant would be proven without a single request to check (found in review)."""
    path = tmp_path / "perimeter.yaml"
    path.write_text(PRIVATE_BUCKET + f"invariants:\n  - {invariant}\n")
    result = run("prove", path)
    assert result.exit_code == 2
    assert message in result.stderr


# -- CI shape (issue 11, part 4) ------------------------------------------------


def test_sarif_to_a_file_keeps_the_text_report_on_stdout(tmp_path: Path) -> None:
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(PROVEN)
    sarif = tmp_path / "perimeter.sarif"
    result = run("prove", perimeter, "--format", "sarif", "--output", sarif)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{perimeter}\n  PASS ")
    assert result.stdout.rstrip().endswith("proven, 0 failed (0 new findings), 0 unknown")
    log = json.loads(sarif.read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert not list(tmp_path.glob(".*.partial"))


def test_bad_input_with_sarif_output_writes_an_empty_valid_log_naming_the_error(tmp_path: Path) -> None:
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text("invariants:\n  - {id: a, principals: any, actions: ['*'], expect: permit}\n")
    sarif = tmp_path / "perimeter.sarif"
    sarif.write_text("stale report of an earlier run")
    result = run("prove", perimeter, "--format", "sarif", "--output", sarif)
    assert result.exit_code == 2
    assert result.stderr == f'error: {perimeter}: invariants[0].expect: expected "deny" or "allow"\n'
    log = json.loads(sarif.read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    (sarif_run,) = log["runs"]
    assert sarif_run["results"] == []
    (invocation,) = sarif_run["invocations"]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == result.stderr.strip()
    # other formats write nothing on bad input
    other = tmp_path / "perimeter.json"
    assert run("prove", perimeter, "--format", "json", "--output", other).exit_code == 2
    assert not other.exists()


def test_sarif_names_the_tool_version_and_no_made_up_address(tmp_path: Path) -> None:
    from reasoner import project_url, tool_version

    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(PROVEN)
    result = run("prove", perimeter, "--format", "sarif")
    driver = json.loads(result.stdout)["runs"][0]["tool"]["driver"]
    assert driver["version"] == tool_version() and driver["semanticVersion"] == tool_version()
    assert driver.get("informationUri") == project_url()
    assert "iam-perimeter/perimeter" not in result.stdout
