"""`perimeter check` in CI shape (issue 11, part 4): several policy files, directories
and glob patterns in one call, one result per policy, SARIF located at the deciding
statement, JUnit, and one exit code (a FAIL wins over an UNKNOWN)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from reasoner.checks.batch import CheckReport, PolicyCheck, expand_policy_paths
from reasoner.cli.app import app
from reasoner.errors import InputError
from reasoner.solving.query import CheckResult

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
S3 = ["--resource-type", "AWS::S3::Bucket"]
PUBLIC = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::b/*"}]}
PRIVATE = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::b/*"}]}
READER = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
WIDER = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::report*/*"}]}


def run(*args: str | Path) -> Any:
    # answers, not timings: a generous budget keeps a loaded machine from turning them UNKNOWN (issue 15)
    budget = [] if "--timeout" in args else ["--timeout", "60"]
    return CliRunner().invoke(app, [str(arg) for arg in (*args, *budget)])


def write(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))
    return path


@pytest.fixture
def buckets(tmp_path: Path) -> Path:
    write(tmp_path / "policies" / "public.json", PUBLIC)
    write(tmp_path / "policies" / "private.json", PRIVATE)
    write(tmp_path / "policies" / "team" / "also-private.json", PRIVATE)
    (tmp_path / "policies" / "README.md").write_text("not a policy")
    return tmp_path / "policies"


def test_every_policy_given_is_checked_and_named(buckets: Path) -> None:
    # issue 11, part 1: a second --policy must not hide the first one
    result = run("check", "no-public-access", "--policy", buckets / "public.json", "--policy",
                 buckets / "private.json", *S3)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"FAIL: no-public-access {buckets / 'public.json'}"
    assert f"PASS: no-public-access {buckets / 'private.json'}" in lines
    assert lines[-1] == "2 policies checked: 1 FAIL, 0 UNKNOWN, 1 PASS"


def test_directories_and_patterns_expand_to_policy_files(buckets: Path) -> None:
    result = run("check", "no-public-access", "--policy", buckets, *S3, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [entry["policy"] for entry in report["results"]] == [
        str(buckets / name) for name in ("private.json", "public.json", "team/also-private.json")]
    pattern = run("check", "no-public-access", "--policy", f"{buckets}/**/*private.json", *S3)
    assert pattern.exit_code == 0, pattern.output
    assert pattern.stdout.splitlines()[-1] == "2 policies checked: 0 FAIL, 0 UNKNOWN, 2 PASS"


def test_a_directory_or_pattern_naming_no_policy_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", "no-public-access", "--policy", tmp_path / "empty", *S3)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f'error: --policy: "{tmp_path / "empty"}" is a directory with no .json, .yaml or '
                             '.yml file\n')
    result = run("check", "no-public-access", "--policy", f"{tmp_path}/*.json", *S3)
    assert result.exit_code == 2
    assert "matches no file" in result.stderr


def test_expansion_keeps_each_file_once_in_the_order_given(buckets: Path) -> None:
    files = expand_policy_paths([buckets / "public.json", buckets, f"{buckets}/*.json"], "--policy")
    assert files == [buckets / "public.json", buckets / "private.json", buckets / "team" / "also-private.json"]
    with pytest.raises(InputError):
        expand_policy_paths([f"{buckets}/nothing-*.json"], "--policy")


def test_one_bad_file_among_many_is_bad_input_before_any_answer(buckets: Path, tmp_path: Path) -> None:
    (buckets / "broken.json").write_text("{")
    sarif = tmp_path / "out.sarif"
    result = run("check", "no-public-access", "--policy", buckets, *S3, "--format", "sarif", "--output", sarif)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {buckets / 'broken.json'}")
    log = json.loads(sarif.read_text())  # an empty, valid log naming the error, for the upload step
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == \
        result.stderr.strip()


def test_one_policy_file_keeps_the_interface_shape(buckets: Path) -> None:
    result = run("check", "no-public-access", "--policy", buckets / "public.json", *S3, "--format", "json")
    document = json.loads(result.stdout)
    assert document["check"] == "no-public-access" and document["result"] == "FAIL" and "results" not in document
    assert document["witness"]["decision"] == "Allow"


def test_report_json_entries_are_single_check_objects_with_their_policy(buckets: Path) -> None:
    result = run("check", "no-public-access", "--policy", buckets / "public.json", "--policy",
                 buckets / "private.json", *S3, "--format", "json")
    report = json.loads(result.stdout)
    assert (report["check"], report["result"], report["exit_code"]) == ("no-public-access", "FAIL", 1)
    public, private = report["results"]
    assert public["policy"] == public["file"] == str(buckets / "public.json")
    assert (public["check"], public["result"]) == ("no-public-access", "FAIL")
    assert public["witness"]["determining"][0]["sid"] == "Everyone"
    assert (private["result"], private.get("witness")) == ("PASS", None)


def test_sarif_locates_each_failure_at_its_deciding_statement(buckets: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(buckets.parent)
    sarif = tmp_path / "check.sarif"
    result = run("check", "no-public-access", "--policy", "policies", *S3, "--format", "sarif", "--output", sarif)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "3 policies checked: 1 FAIL, 0 UNKNOWN, 2 PASS"  # text on stdout
    log = json.loads(sarif.read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    (sarif_run,) = log["runs"]
    assert sarif_run["tool"]["driver"]["rules"][0]["id"] == "no-public-access"
    (finding,) = sarif_run["results"]
    assert finding["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "policies/public.json"},
                                                           "region": {"startLine": 4}}
    assert finding["locations"][0]["message"]["text"] == 'statement 0 "Everyone"'
    assert set(finding["partialFingerprints"]) == {"perimeterCheck/v1"}
    assert finding["properties"]["witness"]["decision"] == "Allow"
    again = run("check", "no-public-access", "--policy", "policies", *S3, "--format", "sarif")
    assert json.loads(again.stdout)["runs"][0]["results"][0]["partialFingerprints"] == \
        finding["partialFingerprints"]  # stable across runs, whatever witness the solver picks


def test_unknown_policies_are_exit_3_and_sarif_notifications(buckets: Path) -> None:
    result = run("check", "no-public-access", "--policy", buckets / "private.json", "--policy",
                 buckets / "team", *S3, "--budget", "0.001", "--format", "sarif")
    assert result.exit_code == 3, result.output
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".json")
            for n in notifications] == [True, True]
    assert all("is UNKNOWN for" in n["message"]["text"] for n in notifications)
    assert log["runs"][0]["results"] == []


def test_junit_one_case_per_policy(buckets: Path) -> None:
    result = run("check", "no-public-access", "--policy", buckets, *S3, "--format", "junit")
    assert result.exit_code == 1
    suites = ET.fromstring(result.stdout)
    (suite,) = suites.findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "0")
    failed = [case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None]
    assert failed == [str(buckets / "public.json")]


def _result(result: str) -> CheckResult:
    return CheckResult("no-public-access", result)


@pytest.mark.parametrize(("results", "code"), [
    (("PASS", "PASS"), 0), (("PASS", "UNKNOWN"), 3), (("UNKNOWN", "FAIL", "PASS"), 1), (("FAIL",), 1), ((), 0)])
def test_a_fail_wins_over_an_unknown(results: tuple[str, ...], code: int) -> None:
    report = CheckReport("no-public-access", tuple(PolicyCheck(f"p{i}.json", _result(r))
                                                    for i, r in enumerate(results)))
    assert report.exit_code == code


def test_no_new_access_compares_many_new_policies_with_one_existing(tmp_path: Path) -> None:
    reader = write(tmp_path / "reader.json", READER)
    same = write(tmp_path / "new" / "same.json", READER)
    wider = write(tmp_path / "new" / "wider.json", WIDER)
    result = run("check", "no-new-access", "--existing", reader, "--new", tmp_path / "new", "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(e["policy"], e["compared_with"], e["result"]) for e in report["results"]] == [
        (str(same), str(reader), "PASS"), (str(wider), str(reader), "FAIL")]


def test_no_new_access_pairs_file_gives_each_new_policy_its_own_existing_one(tmp_path: Path) -> None:
    write(tmp_path / "a" / "existing.json", READER)
    write(tmp_path / "a" / "new.json", WIDER)
    write(tmp_path / "b" / "existing.json", WIDER)
    write(tmp_path / "b" / "new.json", READER)
    pairs = tmp_path / "pairs.yaml"
    pairs.write_text("- {existing: a/existing.json, new: a/new.json}\n- {existing: b/existing.json, new: b/new.json}\n")
    result = run("check", "no-new-access", "--pairs", pairs)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == f"FAIL: no-new-access {tmp_path / 'a' / 'new.json'}"
    assert f"  compared with {tmp_path / 'a' / 'existing.json'}" in result.stdout
    assert f"PASS: no-new-access {tmp_path / 'b' / 'new.json'}" in result.stdout
    pairs.write_text("- {existing: a/existing.json}\n")
    bad = run("check", "no-new-access", "--pairs", pairs)
    assert bad.exit_code == 2 and bad.stderr == f"error: {pairs}: [0]: expected {{existing: FILE, new: FILE}}\n"


def test_access_not_granted_over_several_policies(tmp_path: Path) -> None:
    write(tmp_path / "reader.json", READER)
    write(tmp_path / "writer.json", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]})
    result = run("check", "access-not-granted", "--policy", f"{tmp_path}/*.json", "--action", "s3:PutObject")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == f"PASS: access-not-granted {tmp_path / 'reader.json'}"
    assert f"FAIL: access-not-granted {tmp_path / 'writer.json'}" in result.stdout


def test_jobs_run_policies_in_parallel_processes_with_the_same_report(buckets: Path) -> None:
    alone = run("check", "no-public-access", "--policy", buckets, *S3, "--format", "json")
    parallel = run("check", "no-public-access", "--policy", buckets, *S3, "--format", "json", "--jobs", "2")
    assert parallel.exit_code == alone.exit_code == 1, parallel.output
    assert [(e["policy"], e["result"]) for e in json.loads(parallel.stdout)["results"]] == [
        (e["policy"], e["result"]) for e in json.loads(alone.stdout)["results"]]
    witness = next(e for e in json.loads(parallel.stdout)["results"] if e["result"] == "FAIL")["witness"]
    assert witness["decision"] == "Allow"  # replayed in the worker, carried back whole
