"""The three checks on infrastructure code (issue 12, item 4): every policy of a
Terraform plan or a CloudFormation template of a fitting kind in one call, one
result per resource located at its `.tf` or template line (or the plan address),
in text, JSON, SARIF and JUnit, one exit code; no-new-access between a plan's two
states or a template and its base; bad input as one line, exit 2.

Fixtures: `tests/data/iac/tf-app` and `tests/data/iac/change` are hand-written;
the corpus plans were made by terraform (skipped when the corpus is absent)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app

DATA = Path(__file__).parent / "data" / "iac"
TF_APP = DATA / "tf-app"
CHANGE = Path(__file__).resolve().parents[1] / "examples" / "iac" / "change"
PLAN = ["--terraform-plan", str(TF_APP / "plan.json"), "--terraform-dir", str(TF_APP)]
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "iac"
TF_CORPUS = CORPUS / "terraform-iam-policy-validator"
needs_corpus = pytest.mark.skipif(not TF_CORPUS.is_dir(), reason=f"the IaC corpus is not at {TF_CORPUS}")


def run(*args: str | Path) -> Any:
    # answers, not timings: a generous guard keeps a loaded machine from turning them UNKNOWN
    return CliRunner().invoke(app, [str(arg) for arg in (*args, "--timeout", "120")])


def results(output: str) -> dict[str, dict[str, Any]]:
    return {entry["policy"]: entry for entry in json.loads(output)["results"]}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------
# Terraform plans


def test_no_public_access_on_a_plan_finds_the_queue_open_to_anyone_at_its_tf_line() -> None:
    result = run("check", "no-public-access", *PLAN, "--format", "json")
    assert result.exit_code == 1, result.output
    found = results(result.stdout)
    queue = found["aws_sqs_queue_policy.jobs.policy"]
    assert queue["result"] == "FAIL" and queue["address"] == "aws_sqs_queue_policy.jobs"
    assert queue["file"].endswith("tf-app/main.tf") and queue["line"] == 90
    assert queue["witness"]["decision"] == "Allow" and queue["witness"]["request"]["action"] == "sqs:SendMessage"
    # every resource-based and trust policy, the Lambda permissions as the function's policy
    assert {name for name, entry in found.items() if entry["result"] == "PASS"} == {
        "aws_iam_role.app.assume_role_policy", "aws_kms_key.logs.policy", "aws_s3_bucket_policy.data.policy",
        "aws_sns_topic.alerts.policy", "aws_lambda_permission.from_sns"}


def test_resource_type_narrows_the_policies_checked() -> None:
    result = run("check", "no-public-access", *PLAN, "--resource-type", "AWS::SQS::Queue", "--format", "json")
    assert result.exit_code == 1 and list(results(result.stdout)) == ["aws_sqs_queue_policy.jobs.policy"]


def test_sarif_points_at_the_statement_line_and_names_the_address(tmp_path: Path) -> None:
    result = run("check", "no-public-access", *PLAN, "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, SCHEMA)
    [finding] = log["runs"][0]["results"]
    [location] = finding["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("tf-app/main.tf")
    assert location["physicalLocation"]["region"]["startLine"] == 90
    assert location["logicalLocations"] == [{"fullyQualifiedName": "aws_sqs_queue_policy.jobs", "kind": "resource"}]


def test_without_sources_a_policy_known_only_after_apply_is_unknown_at_the_plan_address() -> None:
    result = run("check", "no-public-access", "--terraform-plan", TF_APP / "plan.json", "--format", "sarif")
    assert result.exit_code == 3, result.output
    run_log = json.loads(result.stdout)["runs"][0]
    assert run_log["results"] == []
    notes = {note["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: note
             for note in run_log["invocations"][0]["toolExecutionNotifications"]}
    queue = notes["aws_sqs_queue_policy.jobs"]
    assert "is known only after apply" in queue["message"]["text"]
    assert queue["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("tf-app/plan.json")


def test_junit_has_one_case_per_policy() -> None:
    result = run("check", "access-not-granted", *PLAN, "--action", "s3:GetObject", "--format", "junit")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["aws_s3_bucket_policy.data.policy"].find("failure") is not None
    assert cases["aws_iam_role_policy.app.policy"].find("failure") is None
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == "1"


@pytest.mark.slow  # eleven checks, about 20 s on a loaded machine; the cases one by one are below
def test_does_the_plan_grant_new_access_compares_each_changed_policy_with_its_state_before() -> None:
    result = run("check", "no-new-access", *PLAN, "--format", "json")
    assert result.exit_code == 1, result.output
    found = results(result.stdout)
    assert all(entry["compared_with"] == "the state before the plan" for entry in found.values())
    # updated: the trust policy now trusts a second account
    trust = found["aws_iam_role.app.assume_role_policy"]
    assert trust["result"] == "FAIL"
    assert trust["witness"]["request"]["principal"].startswith("arn:aws:iam::999988887777:")
    # created: a new grant is new access; deleted: nothing is granted any more
    assert found["aws_s3_bucket_policy.data.policy"]["result"] == "FAIL"
    assert found["aws_iam_user_policy.legacy.policy"]["result"] == "PASS"
    # an SCP added only restricts; unchanged policies are not listed
    assert found["aws_organizations_policy.deny_leave.content"]["result"] == "PASS"
    assert "aws_iam_role_policy.app.policy" not in found


# ---------------------------------------------------------------------------
# CloudFormation templates


def test_does_the_template_grant_new_access_against_its_base_with_the_value_chosen() -> None:
    result = run("check", "no-new-access", "--cloudformation", CHANGE / "new.yaml", "--base", CHANGE / "base.yaml",
                 "--parameter", "PartnerAccount=444455556666", "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert entry["policy"] == "ReportsPolicy.Properties.PolicyDocument" and entry["result"] == "FAIL"
    assert entry["compared_with"].endswith("base.yaml") and entry["line"] == 14
    # the bucket's generated name is left open: the witness names the value it chose
    assert "With Reports.Name = example (a value the input leaves open)" in entry["reasons"]
    request = entry["witness"]["request"]
    assert request["resource"].startswith("arn:aws:s3:::example/") and "/shared/" not in request["resource"]
    assert entry["witness"]["determining"][0]["sid"] == "PartnerRead"


def test_an_unknown_principal_is_unknown_naming_the_parameter() -> None:
    result = run("check", "no-new-access", "--cloudformation", CHANGE / "new.yaml", "--base", CHANGE / "base.yaml")
    assert result.exit_code == 3, result.output
    assert "Principal" in result.stdout and "PartnerAccount is not given" in result.stdout


def test_the_same_template_as_its_base_grants_nothing_new() -> None:
    result = run("check", "no-new-access", "--cloudformation", CHANGE / "base.yaml", "--base", CHANGE / "base.yaml")
    assert result.exit_code == 0 and "0 policies checked" in result.stdout


def test_a_template_finding_points_at_the_template_line(tmp_path: Path) -> None:
    template = write(tmp_path / "t.yaml", """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Anyone
            Effect: Allow
            Principal: "*"
            Action: sqs:SendMessage
            Resource: !GetAtt Queue.Arn
""")
    result = run("check", "no-public-access", "--cloudformation", template, "--parameter",
                 "AWS::AccountId=111122223333", "--parameter", "AWS::Region=eu-west-1", "--format", "sarif")
    assert result.exit_code == 1, result.output
    [finding] = json.loads(result.stdout)["runs"][0]["results"]
    location = finding["locations"][0]
    assert location["physicalLocation"]["region"]["startLine"] == 11  # the statement
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "QueuePolicy"


def test_a_fail_wins_over_an_unknown_in_one_exit_code(tmp_path: Path) -> None:
    template = write(tmp_path / "t.yaml", """\
Parameters:
  Partner: {Type: String}
Resources:
  Open:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [arn:aws:sns:eu-west-1:111122223333:t]
      PolicyDocument:
        Statement: [{Effect: Allow, Principal: "*", Action: "sns:Publish", Resource: "*"}]
  Partner:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [arn:aws:sns:eu-west-1:111122223333:u]
      PolicyDocument:
        Statement: [{Effect: Allow, Principal: {AWS: !Ref Partner}, Action: "sns:Publish", Resource: "*"}]
""")
    result = run("check", "no-public-access", "--cloudformation", template, "--format", "json")
    assert result.exit_code == 1
    found = results(result.stdout)
    assert found["Open.Properties.PolicyDocument"]["result"] == "FAIL"
    assert found["Partner.Properties.PolicyDocument"]["result"] == "UNKNOWN"
    assert "Partner" in found["Partner.Properties.PolicyDocument"]["reason"]
    only_unknown = run("check", "no-public-access", "--cloudformation", template, "--format", "json",
                       "--resource-type", "AWS::SNS::Topic", "--parameter", "Partner=*")
    assert only_unknown.exit_code == 1  # Partner=* is anyone: public too


def test_every_partition_the_input_allows_is_a_case_the_checks_analyse() -> None:
    """With the region open, the partition is any of eight (aws-iso-e, aws-eusc, ...):
    the principal reader knows them all, so each case is proved, none is UNKNOWN.
    The stack's account open too: a symbol in the trust policy's Principal."""
    template = CHANGE.parent / "cloudformation"
    args = ["check", "no-public-access", "--cloudformation", template / "template.yaml", "--parameters-file",
            template / "parameters.json", "--format", "json"]
    assert run(*args, "--parameter", "AWS::AccountId=111122223333").exit_code == 0
    assert run(*args).exit_code == 0


# ---------------------------------------------------------------------------
# --jobs and --cache


def _answers(output: str) -> dict[str, Any]:
    return {name: (entry["result"], entry.get("witness", {}).get("request"), entry["reasons"])
            for name, entry in results(output).items()}


def test_jobs_and_cache_give_the_answers_of_one_process(tmp_path: Path) -> None:
    """Policies checked in worker processes, then answered from the cache (each
    stored witness replayed again): the same answers as one process without a cache."""
    args = ["check", "access-not-granted", *PLAN, "--action", "s3:GetObject", "--action", "sts:AssumeRole",
            "--format", "json"]
    plain = run(*args)
    assert plain.exit_code == 1, plain.output
    cache = ["--cache", str(tmp_path / "cache")]
    parallel = run(*args, "--jobs", "2", *cache)
    again = run(*args, *cache)
    assert parallel.exit_code == again.exit_code == 1
    assert _answers(parallel.stdout) == _answers(again.stdout) == _answers(plain.stdout)
    assert any(path.suffix == ".json" for path in (tmp_path / "cache").rglob("*"))
    template = ["--cloudformation", str(CHANGE.parent / "cloudformation" / "template.yaml"), "--parameters-file",
                str(CHANGE.parent / "cloudformation" / "parameters.json")]
    first = run("check", "no-public-access", *template, *cache, "--format", "json")
    second = run("check", "no-public-access", *template, *cache, "--format", "json")
    assert first.exit_code == second.exit_code == 0 and _answers(first.stdout) == _answers(second.stdout)


# ---------------------------------------------------------------------------
# Bad input and bad usage: one line, exit 2


@pytest.mark.parametrize(("args", "message"), [
    (["no-public-access", "--policy", "x.json", "--terraform-plan", "p.json"], "--policy: give policy files or"),
    (["no-public-access", "--terraform-plan", "p.json", "--cloudformation", "t.yaml"], "not both"),
    (["no-public-access", "--terraform-dir", "."], "--terraform-dir: the .tf sources of a plan"),
    (["no-public-access", "--parameter", "A=b", "--policy", "x.json"], "--parameter: parameter values of a"),
    (["no-new-access", "--terraform-plan", "p.json", "--base", "t.yaml"], "--base: a plan holds its state"),
    (["no-new-access", "--cloudformation", "t.yaml"], "--base: missing"),
    (["no-new-access", "--base", "t.yaml"], "--base: the template as it is"),
    (["access-not-granted", "--action", "s3:GetObject"], "--policy: missing"),
    (["no-public-access", "--cloudformation", "t.yaml", "--account", "111122223333"], "--account: the provider"),
    (["no-public-access", "--terraform-plan", "p.json", "--account", "1111"], "--account: \"1111\" is not a"),
    (["no-public-access", "--terraform-plan", "p.json", "--acl", "x.json"], "--acl: does not apply"),
    (["no-public-access", "--terraform-plan", "nowhere.json"], "nowhere.json"),
])
def test_bad_usage_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "p.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": []}))
    (tmp_path / "t.yaml").write_text("Resources: {}\n")
    (tmp_path / "x.json").write_text(json.dumps({"Statement": []}))
    resolved = [str(tmp_path / arg) if arg in ("p.json", "t.yaml", "x.json", "nowhere.json") else arg
                for arg in args]
    result = run("check", *resolved)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_bad_plan_names_the_file_and_json_path(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format_version": "1.2", "resource_changes": [{"address": 3}]}))
    result = run("check", "no-public-access", "--terraform-plan", plan)
    assert result.exit_code == 2 and "plan.json" in result.output and "resource_changes[0]" in result.output


def test_a_bad_template_names_the_file_and_line(tmp_path: Path) -> None:
    template = write(tmp_path / "t.yaml", "Resources:\n  A:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
                                          "      PolicyDocument: {Statement: [{Effect: Maybe}]}\n")
    result = run("check", "no-public-access", "--cloudformation", template)
    assert result.exit_code == 2, result.output
    assert "t.yaml" in result.output and "line" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------------------
# Terraform plans that terraform made, against IAM Access Analyzer's findings


def _findings(case: Path, kind: str) -> dict[str, list[int]]:
    """The policies AWS found new access in, by the validator's policy name, with the statements."""
    data = json.loads((case / f"{kind}_findings.json").read_text())
    return {finding["policyName"]: [reason["statementIndex"] for reason in finding["details"]["reasons"]]
            for finding in data["BlockingFindings"] if finding["code"] == "policy-analysis-CheckNoNewAccess"}


def _validator_name(label: str) -> str:
    """Our policy label as the Terraform policy validator names it: `aws_iam_role.r.inline_policy[0].policy`
    is `aws_iam_role.r.inline_policy.0`, a trust policy or a policy attribute is the resource's address."""
    if ".inline_policy[" in label:
        return re.sub(r"\.inline_policy\[(\d+)\]\.policy$", r".inline_policy.\1", label)
    for suffix in (".assume_role_policy", ".policy"):
        if label.endswith(suffix):
            return label.removesuffix(suffix)
    return label


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize(("case", "kind"), [
    ("identity_policies", "identity"), ("multiple_policies", "identity"), ("multiple_policies", "resource"),
    ("role_inline_assume_policy", "identity"), ("role_inline_assume_policy", "resource")])
def test_corpus_plans_agree_with_access_analyzer_on_new_access(case: str, kind: str) -> None:
    folder = TF_CORPUS / case
    result = run("check", "no-new-access", "--terraform-plan", folder / "test_plan.json", "--existing",
                 folder / f"{kind}_reference_policy.json", "--policy-type", kind, "--format", "json")
    found = {_validator_name(label): entry for label, entry in results(result.stdout).items()}
    expected = _findings(folder, kind)
    assert {name for name, entry in found.items() if entry["result"] == "FAIL"} == set(expected)
    assert all(entry["result"] == "PASS" for name, entry in found.items() if name not in expected)
    for name, statements in expected.items():
        deciding = [ref["statement"] for ref in found[name]["witness"]["determining"]
                    if ref.get("sid") != "OutsideAccountAllowsItself"]
        assert deciding[0] in statements


CFN_CORPUS = CORPUS / "cfn-policy-validator"
STACK = ["--parameter", "AWS::AccountId=111122223333", "--parameter", "AWS::Region=us-east-1"]


@pytest.mark.skipif(not CFN_CORPUS.is_dir(), reason=f"the IaC corpus is not at {CFN_CORPUS}")
@pytest.mark.corpus
def test_corpus_templates_checked_with_known_answers() -> None:
    """The CloudFormation validator's test templates carry no findings; these answers
    follow from the policies: a grant to `*` on a queue is public; the second bucket
    policy names s3:PutObject but only on the bucket's ARN, which no object request
    is on, so it grants no s3:PutObject."""
    queue = run("check", "no-public-access", "--cloudformation", CFN_CORPUS / "bad_template.json", *STACK,
                "--format", "json")
    assert queue.exit_code == 1, queue.output
    found = results(queue.stdout)
    assert found["MyQueuePolicy.Properties.PolicyDocument"]["result"] == "FAIL"
    assert found["MyRole.Properties.AssumeRolePolicyDocument"]["result"] == "PASS"
    put = run("check", "access-not-granted", "--cloudformation", CFN_CORPUS / "check_access_not_granted_test.yaml",
              "--action", "s3:PutObject", "--format", "json")
    assert put.exit_code == 0, put.output
    assert {name: entry["result"] for name, entry in results(put.stdout).items()} == {
        "MyBucketPolicy.Properties.PolicyDocument": "PASS", "MyOtherBucketPolicy.Properties.PolicyDocument": "PASS"}
    get = run("check", "access-not-granted", "--cloudformation", CFN_CORPUS / "check_access_not_granted_test.yaml",
              "--action", "s3:ListBucket", "--format", "json")
    assert {name: entry["result"] for name, entry in results(get.stdout).items()} == {
        "MyBucketPolicy.Properties.PolicyDocument": "FAIL", "MyOtherBucketPolicy.Properties.PolicyDocument": "PASS"}
    key = run("check", "no-public-access", "--cloudformation", CFN_CORPUS / "kms_resource.yml", *STACK)
    assert key.exit_code == 0, key.output


@pytest.mark.skipif(not CFN_CORPUS.is_dir(), reason=f"the IaC corpus is not at {CFN_CORPUS}")
@pytest.mark.corpus
def test_a_corpus_template_with_a_malformed_action_is_bad_input_at_its_line() -> None:
    """public_access_test.yml writes `backup:UpdateRecoveryPointLifecycle,` (a comma in the action name)."""
    result = run("check", "no-public-access", "--cloudformation", CFN_CORPUS / "public_access_test.yml", *STACK)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "public_access_test.yml: line 219: Resources.NewBackupVault.Properties.AccessPolicy" in result.output


def test_a_policy_document_data_source_points_each_statement_at_its_block() -> None:
    result = run("check", "access-not-granted", *PLAN, "--action", "s3:GetObject", "--format", "sarif")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["runs"][0]["results"]
    location = finding["locations"][0]
    # tf-app/main.tf: `statement {` of data.aws_iam_policy_document.data, not the bucket policy's `policy =`
    assert location["physicalLocation"]["region"]["startLine"] == 12
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "aws_s3_bucket_policy.data"


# ---------------------------------------------------------------------------
# A role given more without any policy document changing


def _change(tmp_path: Path, resources: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]]) -> Path:
    """A plan written here: (type, name, before, after) per resource."""
    changes = []
    for kind, name, before, after in resources:
        actions = ["no-op"] if before == after else ["create"] if before is None else \
            ["delete"] if after is None else ["update"]
        changes.append({"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
                        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}})
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "resource_changes": changes}))
    return path


ROLE = {"name": "app", "arn": "arn:aws:iam::111122223333:role/app", "assume_role_policy": json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]})}
READ_ONLY = {"name": "read", "arn": "arn:aws:iam::111122223333:policy/read", "policy": json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})}
BOUNDARY = {"name": "boundary", "arn": "arn:aws:iam::111122223333:policy/boundary", "policy": json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})}


def test_attaching_an_existing_policy_is_new_access_for_the_role(tmp_path: Path) -> None:
    attachment = {"role": "app", "policy_arn": READ_ONLY["arn"]}
    plan = _change(tmp_path, [("aws_iam_role", "app", ROLE, ROLE), ("aws_iam_policy", "read", READ_ONLY, READ_ONLY),
                              ("aws_iam_role_policy_attachment", "read", None, attachment)])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert entry["policy"] == "aws_iam_role.app (policies attached)" and entry["result"] == "FAIL"
    assert entry["witness"]["request"]["action"] == "s3:GetObject"
    assert "which the policies it had before the change does not allow" in entry["reasons"][0]


def test_attaching_an_aws_managed_policy_is_unknown_naming_it(tmp_path: Path) -> None:
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    plan = _change(tmp_path, [("aws_iam_role", "app", ROLE, ROLE),
                              ("aws_iam_role_policy_attachment", "admin", None, {"role": "app", "policy_arn": admin})])
    result = run("check", "no-new-access", "--terraform-plan", plan)
    assert result.exit_code == 3, result.output
    assert f"is given {admin}, which the input does not define" in result.stdout


def test_removing_a_permissions_boundary_is_new_access(tmp_path: Path) -> None:
    bounded = {**ROLE, "permissions_boundary": BOUNDARY["arn"]}
    boundary = ("aws_iam_policy", "boundary", BOUNDARY, BOUNDARY)
    plan = _change(tmp_path, [("aws_iam_role", "app", bounded, ROLE), boundary])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert entry["policy"] == "aws_iam_role.app (permissions boundary)"
    assert not entry["witness"]["request"]["action"].startswith("s3:")  # the boundary allowed all of s3
    # adding it back only restricts
    plan = _change(tmp_path, [("aws_iam_role", "app", ROLE, bounded), boundary])
    assert run("check", "no-new-access", "--terraform-plan", plan).exit_code == 0


def test_a_user_put_in_a_group_gains_its_policies(tmp_path: Path) -> None:
    user = {"name": "ann", "arn": "arn:aws:iam::111122223333:user/ann"}
    group = {"name": "readers", "arn": "arn:aws:iam::111122223333:group/readers"}
    plan = _change(tmp_path, [
        ("aws_iam_user", "ann", user, user), ("aws_iam_group", "readers", group, group),
        ("aws_iam_policy", "read", READ_ONLY, READ_ONLY),
        ("aws_iam_group_policy_attachment", "read", *[{"group": "readers", "policy_arn": READ_ONLY["arn"]}] * 2),
        ("aws_iam_user_group_membership", "ann", None, {"user": "ann", "groups": ["readers"]})])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert entry["policy"] == "aws_iam_user.ann (policies attached)"
    assert entry["witness"]["request"]["action"] == "s3:GetObject"  # what the group's policy grants


def test_an_scp_detached_from_an_account_is_new_access_there(tmp_path: Path) -> None:
    scp = {"name": "deny-leave", "id": "p-12345678", "type": "SERVICE_CONTROL_POLICY", "content": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization",
                                                "Resource": "*"}]})}
    attachment = {"policy_id": "p-12345678", "target_id": "111122223333"}
    plan = _change(tmp_path, [("aws_organizations_policy", "guard", scp, scp),
                              ("aws_organizations_policy_attachment", "app", attachment, None)])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert entry["policy"] == "aws_organizations_policy.guard.content (detached from 111122223333)"
    assert entry["witness"]["request"]["action"] == "organizations:LeaveOrganization"
    # attached to one more account: only restricts
    plan = _change(tmp_path, [("aws_organizations_policy", "guard", scp, scp),
                              ("aws_organizations_policy_attachment", "app", None, attachment)])
    assert run("check", "no-new-access", "--terraform-plan", plan).exit_code == 0
    # removed altogether: what it denied is new access (beside FullAWSAccess), nothing else
    plan = _change(tmp_path, [("aws_organizations_policy", "guard", scp, None),
                              ("aws_organizations_policy_attachment", "app", attachment, None)])
    removed = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert removed.exit_code == 1
    [entry] = json.loads(removed.stdout)["results"]
    assert entry["witness"]["request"]["action"] == "organizations:LeaveOrganization"


def test_a_policy_given_another_bucket_grants_there_what_it_grants(tmp_path: Path) -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject",
        "Resource": "*"}]})
    plan = _change(tmp_path, [("aws_s3_bucket_policy", "p", {"bucket": "public-site", "policy": document},
                               {"bucket": "payroll", "policy": document})])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert "Before the change there is no such policy: it grants nothing" in entry["reasons"]


# ---------------------------------------------------------------------------
# The same policy read from a file, a template and a plan: the same answer


BUCKET_POLICIES = ["bucket-org-read.json", "bucket-referer.json", "bucket/policy.json", "bucket/partner-policy.json"]


@pytest.mark.parametrize("name", BUCKET_POLICIES)
def test_a_policy_gets_the_same_answer_from_a_file_a_template_and_a_plan(tmp_path: Path, name: str) -> None:
    path = Path(__file__).resolve().parents[1] / "examples" / "checks" / name
    document = json.loads(path.read_text())
    template = tmp_path / "template.json"
    template.write_text(json.dumps({"Resources": {"Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
        "Bucket": "example-corp-assets", "PolicyDocument": document}}}}))
    plan = _change(tmp_path, [("aws_s3_bucket_policy", "assets", None,
                               {"bucket": "example-corp-assets", "policy": json.dumps(document)})])
    plain = run("check", "no-public-access", "--policy", path, "--resource-type", "AWS::S3::Bucket",
                "--format", "json")
    expected = json.loads(plain.stdout)["result"]
    for args in (["--cloudformation", template], ["--terraform-plan", plan]):
        result = run("check", "no-public-access", *args, "--format", "json")
        [entry] = json.loads(result.stdout)["results"]
        assert (entry["result"], result.exit_code) == (expected, plain.exit_code), (args, result.output)
        if expected == "FAIL":
            assert entry["witness"]["decision"] == "Allow"
            assert [ref["statement"] for ref in entry["witness"]["determining"] if ref["policy"] == "resource_policy"]


def test_a_policy_updated_wider_fails_and_one_deleted_grants_nothing_new(tmp_path: Path) -> None:
    def queue_policy(*actions: str) -> dict[str, Any]:
        return {"queue_url": "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", "policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"},
                                                    "Action": list(actions), "Resource": "*"}]})}

    plan = _change(tmp_path, [("aws_sqs_queue_policy", "jobs", queue_policy("sqs:SendMessage"),
                               queue_policy("sqs:SendMessage", "sqs:DeleteMessage")),
                              ("aws_sqs_queue_policy", "old", queue_policy("sqs:SendMessage"), None)])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    found = results(result.stdout)
    wider = found["aws_sqs_queue_policy.jobs.policy"]
    assert wider["result"] == "FAIL" and wider["witness"]["request"]["action"] == "sqs:DeleteMessage"
    assert found["aws_sqs_queue_policy.old.policy"] == {**found["aws_sqs_queue_policy.old.policy"], "result": "PASS",
                                                        "reasons": ["removed: it grants nothing now"]}


def test_an_scp_at_its_size_quota_removed_is_read_beside_full_access(tmp_path: Path) -> None:
    """AWS's size quota (5,120 characters for an SCP) bounds the policy as written, not the
    tool's reading of it beside FullAWSAccess."""
    from reasoner.policy.quotas import document_size

    regions = [f"xx-{'a' * 20}-{index}" for index in range(400)]
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances",
                                                        "Resource": "*", "Condition": {"StringEquals": {
                                                            "aws:RequestedRegion": regions}}}]}
    while document_size(document) > 5120 - 10:
        regions.pop()
    assert document_size(document) + 60 > 5120  # beside FullAWSAccess it would be over
    scp = {"name": "regions", "id": "p-12345678", "type": "SERVICE_CONTROL_POLICY", "content": json.dumps(document)}
    plan = _change(tmp_path, [("aws_organizations_policy", "regions", scp, None)])
    result = run("check", "no-new-access", "--terraform-plan", plan, "--format", "json")
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.stdout)["results"]
    assert entry["witness"]["request"]["action"] == "ec2:RunInstances"
