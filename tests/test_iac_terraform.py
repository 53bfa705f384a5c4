"""Terraform plans: the policies of each resource type with their addresses and
`.tf` lines, references between resources, values known only after apply, the
states before and after the plan, and bad input.

`tests/data/iac/tf-app/plan.json` is hand-written (by a script, in the shape
`terraform show -json` gives, format 1.2) beside `.tf` sources it matches; the
corpus plans under `iac/terraform-iam-policy-validator` were made by terraform
1.5.7 itself (skipped when the corpus is absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reasoner.errors import InputError
from reasoner.inputs.iac.model import IacPolicy, PolicyKind
from reasoner.inputs.iac.terraform import read_terraform_plan
from reasoner.inputs.iac.values import Unknown

DATA = Path(__file__).parent / "data" / "iac"
APP = DATA / "tf-app"
CORPUS = Path(os.environ.get("PERIMETER_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"))
TF_CORPUS = CORPUS / "iac" / "terraform-iam-policy-validator"
needs_corpus = pytest.mark.skipif(not TF_CORPUS.is_dir(), reason=f"the IaC corpus is not at {TF_CORPUS} "
                                                                 "(set PERIMETER_CORPUS)")


def _by_label(policies: tuple[IacPolicy, ...]) -> dict[str, IacPolicy]:
    return {policy.provenance.label: policy for policy in policies}


def test_every_policy_of_the_plan_with_its_kind_target_and_line() -> None:
    plan = read_terraform_plan(APP / "plan.json", APP)
    found = {(p.provenance.label, p.kind, p.resource_type, str(p.resource_arn), p.attached_to,
              (Path(p.provenance.file).name if p.provenance.file else None), p.provenance.line)
             for p in plan.after.policies}
    assert found == {
        ("aws_iam_policy.readonly.policy", PolicyKind.MANAGED, None, "None", ("aws_iam_role.app",), "main.tf", 56),
        ("aws_iam_role.app.assume_role_policy", PolicyKind.TRUST, "AWS::IAM::Role",
         "arn:aws:iam::111122223333:role/app", ("aws_iam_role.app",), "main.tf", 35),
        ("aws_iam_role_policy.app.policy", PolicyKind.INLINE, None, "None", ("aws_iam_role.app",), "main.tf", 48),
        ("aws_kms_key.logs.policy", PolicyKind.RESOURCE, "AWS::KMS::Key",
         "arn:aws:kms:eu-west-1:111122223333:key/${aws_kms_key.logs.key_id}", ("aws_kms_key.logs",), "main.tf", 64),
        ("aws_organizations_policy.deny_leave.content", PolicyKind.SCP, None, "None", ("ou-abcd-11111111",),
         "main.tf", 104),
        ("aws_s3_bucket_policy.data.policy", PolicyKind.RESOURCE, "AWS::S3::Bucket", "arn:aws:s3:::example-data",
         ("aws_s3_bucket.data",), "main.tf", 30),
        ("aws_sns_topic.alerts.policy", PolicyKind.RESOURCE, "AWS::SNS::Topic",
         "arn:aws:sns:eu-west-1:111122223333:alerts", ("aws_sns_topic.alerts",), "main.tf", 98),
        ("aws_sqs_queue_policy.jobs.policy", PolicyKind.RESOURCE, "AWS::SQS::Queue",
         "arn:aws:sqs:eu-west-1:111122223333:jobs", ("aws_sqs_queue.jobs",), "main.tf", 90),
        ("module.net.aws_vpc_endpoint.s3.policy", PolicyKind.VPC_ENDPOINT, None, "None",
         ("module.net.aws_vpc_endpoint.s3",), "main.tf", 4),
        ("aws_lambda_permission.from_sns", PolicyKind.RESOURCE, "AWS::Lambda::Function",
         "arn:aws:lambda:eu-west-1:111122223333:function:worker", ("aws_lambda_function.worker",), "main.tf", 76),
    }
    endpoint = _by_label(plan.after.policies)["module.net.aws_vpc_endpoint.s3.policy"]
    assert endpoint.provenance.file is not None and Path(endpoint.provenance.file).parent.name == "net"


def test_without_sources_provenance_is_the_plan_path() -> None:
    plan = read_terraform_plan(APP / "plan.json")
    policy = _by_label(plan.after.policies)["aws_sns_topic.alerts.policy"]
    assert policy.provenance.file is None and policy.provenance.line is None
    assert policy.provenance.path == "resource_changes[13].change.after.policy"
    assert policy.provenance.location == str(APP / "plan.json")


def test_a_policy_known_only_after_apply_is_unknown_naming_resource_and_attribute() -> None:
    plan = read_terraform_plan(APP / "plan.json")
    queue = _by_label(plan.after.policies)["aws_sqs_queue_policy.jobs.policy"]
    assert queue.document is None
    assert queue.unknown is not None and queue.unknown.startswith(
        "aws_sqs_queue_policy.jobs.policy is known only after apply (it depends on aws_sqs_queue.jobs.arn")


def test_a_policy_document_data_source_is_read_with_its_unknown_parts() -> None:
    plan = read_terraform_plan(APP / "plan.json")
    bucket = _by_label(plan.after.policies)["aws_s3_bucket_policy.data.policy"]
    [statement] = bucket.document["Statement"]
    assert statement["Sid"] == "PartnerRead" and statement["Action"] == ["s3:GetObject"]
    assert statement["Principal"] == {"AWS": ["arn:aws:iam::444455556666:root"]}
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}
    [resource] = statement["Resource"]
    assert isinstance(resource, Unknown) and resource.label == "data.aws_iam_policy_document.data.statement[0]." \
                                                                "resources[0]"
    assert any("read from data.aws_iam_policy_document.data" in note for note in plan.after.notes)


def test_computed_policy_attributes_are_not_policies_but_a_key_without_one_has_the_default() -> None:
    plan = read_terraform_plan(APP / "plan.json")
    labels = {p.provenance.label for p in plan.after.policies}
    assert "aws_s3_bucket.data.policy" not in labels  # computed: the bucket policy resource writes it
    assert "aws_sqs_queue.jobs.policy" not in labels
    key = _by_label(plan.after.policies)["aws_kms_key.logs.policy"]
    assert key.document["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}


def test_before_and_after_states() -> None:
    plan = read_terraform_plan(APP / "plan.json")
    before = _by_label(plan.before.policies)
    after = _by_label(plan.after.policies)
    assert set(before) == {"aws_iam_role.app.assume_role_policy", "aws_iam_role_policy.app.policy",
                           "aws_iam_user_policy.legacy.policy"}
    assert before["aws_iam_role.app.assume_role_policy"].document["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::111122223333:root"}
    assert after["aws_iam_role.app.assume_role_policy"].document["Statement"][0]["Principal"]["AWS"][1] == \
        "arn:aws:iam::999988887777:root"
    assert "aws_iam_role.app" in plan.changed and "aws_iam_role_policy.app" not in plan.changed
    assert "aws_iam_user_policy.legacy" in plan.changed  # deleted


def test_lambda_permission_and_organization_attachment() -> None:
    plan = read_terraform_plan(APP / "plan.json")
    function = _by_label(plan.after.policies)["aws_lambda_permission.from_sns"]
    assert function.document["Statement"] == [{
        "Sid": "AllowSNS", "Effect": "Allow", "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:worker",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:alerts"}}}]
    assert plan.after.organization_attachments == (("aws_organizations_policy.deny_leave", "ou-abcd-11111111"),)
    [endpoint] = plan.after.endpoints
    assert endpoint.vpc_id == "vpc-0123456789abcdef0" and endpoint.service == "s3"


@pytest.mark.parametrize(("change", "message"), [
    (lambda plan: plan.update(format_version="2.0"), r"format_version: expected a plan of format 1.x"),
    (lambda plan: plan.pop("resource_changes") and plan.pop("planned_values"), "this is not a plan"),
    (lambda plan: plan["resource_changes"][13]["change"]["after"].update(policy="{not json"),
     r"resource_changes\[13\].change.after.policy: the policy is not JSON"),
    (lambda plan: plan["resource_changes"][13]["change"].update(after=[1]),
     r"resource_changes\[13\].change.after: expected an object"),
    (lambda plan: plan["resource_changes"][2].pop("address"), r"resource_changes\[2\]: expected address"),
])
def test_bad_plans_name_the_file_and_json_path(tmp_path: Path, change: object, message: str) -> None:
    plan = json.loads((APP / "plan.json").read_text())
    change(plan)  # type: ignore[operator]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    with pytest.raises(InputError, match=message) as raised:
        read_terraform_plan(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_invalid_json_and_bad_sources_are_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"format_version": "1.2",')
    with pytest.raises(InputError, match="invalid JSON at line 1"):
        read_terraform_plan(path)
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = \n}\n')
    with pytest.raises(InputError, match=r"main.tf: .*invalid HCL"):
        read_terraform_plan(APP / "plan.json", sources)


def validator_name(policy: IacPolicy) -> str:
    """The name the Terraform policy validator gives a policy in its findings
    (`aws_iam_role.example.inline_policy.0`, `aws_iam_policy.policy`)."""
    attribute = policy.provenance.attribute
    if attribute.startswith("inline_policy["):
        return f"{policy.provenance.address}.inline_policy.{attribute[len('inline_policy['):].split(']')[0]}"
    return policy.provenance.address


# ---------------------------------------------------------------------------
# Plans terraform made (the Terraform policy validator's tests)


@needs_corpus
@pytest.mark.corpus
def test_corpus_identity_policies_plan() -> None:
    folder = TF_CORPUS / "identity_policies"
    plan = read_terraform_plan(folder / "test_plan.json", folder)
    policies = _by_label(plan.after.policies)
    # every policy AWS's findings name is read, under the name the findings give it
    findings = json.loads((folder / "identity_findings.json").read_text())["BlockingFindings"]
    named = {finding["policyName"] for finding in findings}
    assert named <= {validator_name(policy) for policy in policies.values()}
    assert policies["aws_iam_role_policy.test_policy.policy"].attached_to == ("aws_iam_role.test_role",)
    assert policies["aws_iam_group_policy.my_developer_policy.policy"].attached_to == ("aws_iam_group.my_developers",)
    assert policies["aws_iam_user_policy.lb_ro.policy"].attached_to == ("aws_iam_user.lb",)
    inline = policies["aws_iam_role.example.inline_policy[1].policy"]
    assert inline.provenance.line == 74 and inline.document["Statement"][0]["Action"] == "ec2:Apply*"
    assert policies["aws_iam_role.test_role.assume_role_policy"].kind is PolicyKind.TRUST


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("case", ["iam_policy", "identity_policies", "multiple_policies", "role_inline_assume_policy"])
def test_corpus_plans_read_without_unknown_policies(case: str) -> None:
    folder = TF_CORPUS / case
    plan = read_terraform_plan(folder / "test_plan.json", folder)
    assert plan.after.policies
    assert all(policy.document is not None and policy.unknown is None for policy in plan.after.policies)
    assert all(policy.provenance.line is not None for policy in plan.after.policies)


# ---------------------------------------------------------------------------
# Expressions of the sources (--terraform-dir) for what the plan knows only after apply


def test_sources_fill_in_a_policy_the_plan_knows_only_after_apply() -> None:
    plan = read_terraform_plan(APP / "plan.json", APP)
    queue = _by_label(plan.after.policies)["aws_sqs_queue_policy.jobs.policy"]
    assert queue.unknown is None
    # jsonencode({... Resource = aws_sqs_queue.jobs.arn}): the queue's ARN, built from its name
    assert queue.document["Statement"][0]["Resource"] == "arn:aws:sqs:eu-west-1:111122223333:jobs"
    bucket = _by_label(plan.after.policies)["aws_s3_bucket_policy.data.policy"]
    # "${aws_s3_bucket.data.arn}/*" in the data source's statement
    assert bucket.document["Statement"][0]["Resource"] == ["arn:aws:s3:::example-data/*"]
    assert any("read from its expression at" in note for note in plan.after.notes)


def _copy_app(tmp_path: Path, replace_from: str, replace_to: str, plan_change: object = None) -> Path:
    folder = tmp_path / "app"
    (folder / "modules" / "net").mkdir(parents=True)
    text = (APP / "main.tf").read_text()
    assert replace_from in text
    (folder / "main.tf").write_text(text.replace(replace_from, replace_to))
    (folder / "modules" / "net" / "main.tf").write_text((APP / "modules" / "net" / "main.tf").read_text())
    plan = json.loads((APP / "plan.json").read_text())
    if plan_change is not None:
        plan_change(plan)  # type: ignore[operator]
    (folder / "plan.json").write_text(json.dumps(plan))
    return folder


def test_an_unknown_key_id_stays_symbolic_in_the_resource_part(tmp_path: Path) -> None:
    folder = _copy_app(tmp_path, "Resource = aws_sqs_queue.jobs.arn", 'Resource = "${aws_kms_key.logs.arn}/x"')
    queue = _by_label(read_terraform_plan(folder / "plan.json", folder).after.policies)[
        "aws_sqs_queue_policy.jobs.policy"]
    resource = queue.document["Statement"][0]["Resource"]
    assert str(resource) == "arn:aws:kms:eu-west-1:111122223333:key/${aws_kms_key.logs.key_id}/x"


def test_variables_and_locals_are_read(tmp_path: Path) -> None:
    folder = _copy_app(tmp_path, 'Principal = "*"', 'Principal = { AWS = "arn:aws:iam::${var.partner}:root" }',
                       lambda plan: plan.update(variables={"partner": {"value": "444455556666"}}))
    (folder / "locals.tf").write_text('locals {\n  queue = "jobs"\n}\n')
    queue = _by_label(read_terraform_plan(folder / "plan.json", folder).after.policies)[
        "aws_sqs_queue_policy.jobs.policy"]
    assert queue.document["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}


@pytest.mark.parametrize("expression", ['Principal = var.missing ? "*" : "a"',
                                        'Principal = [for p in ["a"] : p]',
                                        'Principal = lookup({}, "a", "*")'])
def test_an_expression_the_reader_does_not_evaluate_leaves_the_policy_unknown(tmp_path: Path,
                                                                                expression: str) -> None:
    folder = _copy_app(tmp_path, 'Principal = "*"', expression)
    queue = _by_label(read_terraform_plan(folder / "plan.json", folder).after.policies)[
        "aws_sqs_queue_policy.jobs.policy"]
    assert queue.unknown is not None and queue.unknown.startswith("aws_sqs_queue_policy.jobs.policy")
    assert "which this reader does not evaluate" in queue.unknown or "module input" in queue.unknown


# ---------------------------------------------------------------------------
# The listed types the fixtures above do not hold, in a plan written here


def _policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


GRANT = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "*", "Resource": "*"}
READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def _plan(tmp_path: Path, resources: list[tuple[str, str, dict[str, object]]]) -> Path:
    changes = [{"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}}}
               for kind, name, values in resources]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "terraform_version": "1.5.7", "resource_changes": changes,
                                "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
                                    "region": {"constant_value": "eu-west-1"}}}}}}))
    return path


def test_the_further_listed_types_are_read_with_their_target(tmp_path: Path) -> None:
    policy_arn = "arn:aws:iam::111122223333:policy/read"
    plan = _plan(tmp_path, [
        ("aws_iam_policy", "read", {"name": "read", "arn": policy_arn, "policy": _policy(READ)}),
        ("aws_iam_user", "ann", {"name": "ann", "arn": "arn:aws:iam::111122223333:user/ann"}),
        ("aws_iam_group", "ops", {"name": "ops", "arn": "arn:aws:iam::111122223333:group/ops"}),
        ("aws_iam_role", "app", {"name": "app", "arn": "arn:aws:iam::111122223333:role/app",
                                 "assume_role_policy": _policy({**GRANT, "Action": "sts:AssumeRole"})}),
        ("aws_iam_user_policy_attachment", "ann", {"user": "ann", "policy_arn": policy_arn}),
        ("aws_iam_group_policy_attachment", "ops", {"group": "ops", "policy_arn": policy_arn}),
        ("aws_iam_policy_attachment", "shared", {"name": "shared", "roles": ["app"], "users": [], "groups": [],
                                                 "policy_arn": policy_arn}),
        ("aws_kms_key_policy", "k", {"key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "policy": _policy(GRANT)}),
        ("aws_sns_topic_policy", "t", {"arn": "arn:aws:sns:eu-west-1:111122223333:alerts", "policy": _policy(GRANT)}),
        ("aws_secretsmanager_secret_policy", "s", {
            "secret_arn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf", "policy": _policy(GRANT)}),
        ("aws_ecr_repository_policy", "r", {"repository": "images", "policy": _policy(GRANT)}),
        ("aws_dynamodb_resource_policy", "d", {"resource_arn": "arn:aws:dynamodb:eu-west-1:111122223333:table/t",
                                               "policy": _policy(GRANT)}),
    ])
    inventory = read_terraform_plan(plan, account="111122223333").after
    by_address = {policy.provenance.address: policy for policy in inventory.policies}
    # one managed policy, attached to a user, a group and (through the shared attachment) a role
    assert set(by_address["aws_iam_policy.read"].attached_to) == {
        "aws_iam_user.ann", "aws_iam_group.ops", "aws_iam_role.app"}
    expected = {
        "aws_kms_key_policy.k": ("AWS::KMS::Key", "arn:aws:kms:eu-west-1:111122223333:key/"
                                                  "1234abcd-12ab-34cd-56ef-1234567890ab"),
        "aws_sns_topic_policy.t": ("AWS::SNS::Topic", "arn:aws:sns:eu-west-1:111122223333:alerts"),
        "aws_secretsmanager_secret_policy.s": ("AWS::SecretsManager::Secret",
                                               "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf"),
        "aws_ecr_repository_policy.r": ("AWS::ECR::Repository", "arn:aws:ecr:eu-west-1:111122223333:repository/images"),
        "aws_dynamodb_resource_policy.d": ("AWS::DynamoDB::Table", "arn:aws:dynamodb:eu-west-1:111122223333:table/t"),
    }
    for address, (resource_type, arn) in expected.items():
        policy = by_address[address]
        assert (policy.kind, policy.resource_type, policy.resource_arn) == (PolicyKind.RESOURCE, resource_type, arn)
        assert policy.document["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}
