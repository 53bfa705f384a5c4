"""A perimeter file that reads infrastructure code (issue 12, item 4): `terraform_plan:`
and `cloudformation:` sources whose resources, identities, organization policies and
endpoints join what the file declares, so `prove` runs on the IaC itself; a part not
fully known makes every invariant UNKNOWN naming it, never a silent PASS.

examples/iac/terraform/plan.json was made by terraform 1.11 (offline, from main.tf);
the templates here and in examples/iac/cloudformation are hand-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.errors import InputError
from reasoner.inputs.perimeter_file import load_perimeter
from reasoner.prove.findings import Status
from reasoner.prove.proof import prove_perimeter
from reasoner.solving.budget import Budget

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "iac"
BUDGET = Budget(60, 300)  # answers, not timings: a loaded machine must not turn them UNKNOWN


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_the_cloudformation_example_is_proven_on_the_template_and_its_mistake_found_at_its_line() -> None:
    perimeter = load_perimeter(EXAMPLES / "cloudformation" / "perimeter.yaml")
    assert perimeter.unknowns == ()
    [role, bucket] = sorted(perimeter.resources, key=lambda resource: resource.resource_type)
    assert role.arn == "arn:aws:iam::111122223333:role/reports-reader"
    assert bucket.arn == "arn:aws:s3:::example-corp-reports-prod" and bucket.account == "111122223333"
    [identity] = perimeter.identities
    assert identity.arn == role.arn and len(identity.policies) == 1
    report = prove_perimeter(perimeter, budget=BUDGET, max_findings=1)
    [result] = report.results
    assert result.status is Status.FAIL
    [finding] = result.findings
    [ref] = finding.determining
    assert ref.sid == "OfficeRead" and ref.source.endswith("template.yaml") and ref.line == 33
    assert finding.witness_request.context["aws:sourceip"][0].startswith("198.51.100.")


def test_the_terraform_example_reads_the_plan_with_its_sources() -> None:
    perimeter = load_perimeter(EXAMPLES / "terraform" / "perimeter.yaml")
    assert perimeter.unknowns == ()
    arns = {resource.arn: resource for resource in perimeter.resources}
    bucket = arns["arn:aws:s3:::example-corp-reports"]
    assert bucket.account == "111122223333" and bucket.policy is not None
    assert bucket.policy.statements[0].line == 30 and bucket.policy.source.endswith("main.tf")
    assert [identity.arn for identity in perimeter.identities] == ["arn:aws:iam::111122223333:role/reports-reader"]


@pytest.mark.slow
def test_the_terraform_example_finds_the_wildcard_account() -> None:
    [result] = prove_perimeter(load_perimeter(EXAMPLES / "terraform" / "perimeter.yaml"), budget=BUDGET,
                               max_findings=1).results
    assert result.status is Status.FAIL
    request = result.findings[0].witness_request
    assert request.principal.account != "111122223333" and request.action == "s3:GetObject"


def _copy(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "stack"
    shutil.copytree(EXAMPLES / "cloudformation", folder)
    (folder / "perimeter.yaml").write_text(text)
    return folder / "perimeter.yaml"


def test_a_value_left_open_makes_every_invariant_unknown_naming_it(tmp_path: Path) -> None:
    path = _copy(tmp_path, """\
zone: {trusted_accounts: ["111122223333"]}
cloudformation: {template: template.yaml, parameters_file: parameters.json}
invariants:
  - {id: only-trusted-identities}
  - {id: no-anonymous-access, principals: anonymous, actions: ["s3:*"], expect: deny}
""")
    result = run("prove", path)
    assert result.exit_code == 3, result.output  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert output.count("UNKNOWN") >= 2 and "AWS::AccountId" in output and "ReaderRole" in output


def test_the_file_declaration_wins_and_scps_join_the_organization(tmp_path: Path) -> None:
    folder = tmp_path / "stack"
    folder.mkdir()
    (folder / "template.yaml").write_text("""\
Resources:
  Guard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: deny-leave
      Type: SERVICE_CONTROL_POLICY
      TargetIds: ["111122223333", "r-ab12"]
      Content: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "organizations:LeaveOrganization",
                                                    Resource: "*"}]}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: alerts}
  TopicPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Topic]
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "sns:Publish",
                                                            Resource: "*"}]}
""")
    (folder / "private.json").write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                                         '"Principal": {"AWS": "111122223333"}, "Action": "sns:Publish", '
                                         '"Resource": "*"}]}')
    (folder / "perimeter.yaml").write_text("""\
organization:
  root:
    accounts: [{id: "111122223333", name: app}]
resources:
  - {arn: "arn:aws:sns:eu-west-1:111122223333:alerts", type: "AWS::SNS::Topic", policy: private.json}
cloudformation:
  template: template.yaml
  parameters: {AWS::AccountId: "111122223333", AWS::Region: eu-west-1}
invariants: [{id: only-trusted-identities}]
""")
    perimeter = load_perimeter(folder / "perimeter.yaml")
    assert perimeter.unknowns == ()
    [topic] = perimeter.resources
    assert topic.policy is not None and topic.policy.source.endswith("private.json")  # the file's, not the template's
    assert perimeter.organization is not None
    root = perimeter.organization.root
    assert [policy.statements[0].actions for policy in root.scps[-1:]] == [("organizations:LeaveOrganization",)]
    [account] = root.children
    assert len(account.scps) == 2  # FullAWSAccess, then the template's


@pytest.mark.parametrize(("text", "message"), [
    ("cloudformation: {template: missing.yaml}\n", "missing.yaml: cannot read file"),
    ("cloudformation: {template: template.yaml, stack: x}\n", "cloudformation.stack: unknown key"),
    ("terraform_plan: {plan: template.yaml, terraform_dir: nowhere}\n", "terraform_plan.terraform_dir: nowhere"),
    ("cloudformation: {template: template.yaml, parameters: [a]}\n", "cloudformation.parameters: expected a"),
    ("cloudformation: {template: template.yaml, account: 12}\n", "cloudformation.account: expected a 12-digit"),
])
def test_bad_sources_are_bad_input_naming_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = _copy(tmp_path, text + "invariants: [{id: only-trusted-identities}]\n")
    with pytest.raises(InputError) as raised:
        load_perimeter(path)
    assert message in str(raised.value)
    result = run("prove", path)
    assert result.exit_code == 2 and "Traceback" not in result.output  # type: ignore[attr-defined]


def test_an_aws_managed_policy_attached_in_the_plan_is_not_left_out(tmp_path: Path) -> None:
    import json

    role = {"name": "app", "arn": "arn:aws:iam::111122223333:role/app", "assume_role_policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]})}
    attachment = {"role": "app", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}
    changes = [{"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}}}
               for kind, name, values in (("aws_iam_role", "app", role),
                                          ("aws_iam_role_policy_attachment", "admin", attachment))]
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": changes}))
    (tmp_path / "perimeter.yaml").write_text("terraform_plan: plan.json\n"
                                             "invariants: [{id: only-trusted-resources}]\n")
    perimeter = load_perimeter(tmp_path / "perimeter.yaml")
    assert any("AdministratorAccess" in unknown for unknown in perimeter.unknowns)


def test_scps_are_attached_to_ous_by_id_and_to_an_ou_the_template_creates_by_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "stack"
    folder.mkdir()
    deny = '{Version: "2012-10-17", Statement: [{Effect: Deny, Action: "%s", Resource: "*"}]}'
    (folder / "template.yaml").write_text(f"""\
Resources:
  Workloads:
    Type: AWS::Organizations::OrganizationalUnit
    Properties: {{Name: Workloads, ParentId: r-ab12}}
  ByName:
    Type: AWS::Organizations::Policy
    Properties:
      Name: no-leaving
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [!Ref Workloads]
      Content: {deny % "organizations:LeaveOrganization"}
  ById:
    Type: AWS::Organizations::Policy
    Properties:
      Name: no-iam-users
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [ou-ab12-sandbox1]
      Content: {deny % "iam:CreateUser"}
""")
    organization = """\
organization:
  root:
    ous:
      - {name: Workloads, accounts: ["111122223333"]}
      - {name: ou-ab12-sandbox1, accounts: ["222233334444"]}   # a name that looks like the id: not it
      - {name: Sandbox, id: ou-ab12-sandbox1, accounts: ["333344445555"]}
"""
    (folder / "perimeter.yaml").write_text(organization + "cloudformation: {template: template.yaml}\n"
                                           "invariants: [{id: only-trusted-identities}]\n")
    perimeter = load_perimeter(folder / "perimeter.yaml")
    assert perimeter.unknowns == ()
    assert perimeter.organization is not None
    workloads, lookalike, sandbox = perimeter.organization.root.children
    assert [p.statements[0].actions for p in workloads.scps[1:]] == [("organizations:LeaveOrganization",)]
    assert lookalike.scps[1:] == ()
    assert [p.statements[0].actions for p in sandbox.scps[1:]] == [("iam:CreateUser",)]
    # an id the file's organization does not hold is not dropped: the proof is UNKNOWN naming it
    other = organization.replace("id: ou-ab12-sandbox1", "id: ou-ab12-other123").replace("name: ou-ab12-sandbox1",
                                                                                        "name: Lookalike")
    (folder / "perimeter.yaml").write_text(other + "cloudformation: {template: template.yaml}\n"
                                           "invariants: [{id: only-trusted-identities}]\n")
    [unknown] = load_perimeter(folder / "perimeter.yaml").unknowns
    assert "ById" in unknown and "ou-ab12-sandbox1" in unknown and "no such node" in unknown


def test_an_ou_id_in_the_perimeter_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "perimeter.yaml"
    path.write_text("organization: {root: {ous: [{name: A, id: ou-x}]}}\ninvariants: [{id: only-trusted-identities}]\n")
    with pytest.raises(InputError) as raised:
        load_perimeter(path)
    assert "organization.root.ous[0].id" in str(raised.value) and "is not an OU id" in str(raised.value)


def test_an_ou_the_plan_creates_is_found_by_its_name(tmp_path: Path) -> None:
    """Its id is known only after apply: the attachment refers to it, and the OU of
    that name in the file gets the SCP (the documented fallback)."""
    import json

    scp = {"name": "no-leaving", "type": "SERVICE_CONTROL_POLICY", "content": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization",
                                                "Resource": "*"}]})}
    resources = [("aws_organizations_organizational_unit", "workloads", {"name": "Workloads", "parent_id": "r-ab12"},
                  {"id": True}),
                 ("aws_organizations_policy", "guard", scp, {"id": True}),
                 ("aws_organizations_policy_attachment", "w", {}, {"policy_id": True, "target_id": True})]
    changes = [{"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": unknown}}
               for kind, name, values, unknown in resources]
    expressions = {"policy_id": {"references": ["aws_organizations_policy.guard.id", "aws_organizations_policy.guard"]},
                   "target_id": {"references": ["aws_organizations_organizational_unit.workloads.id",
                                                "aws_organizations_organizational_unit.workloads"]}}
    configuration = {"root_module": {"resources": [{"address": "aws_organizations_policy_attachment.w",
                                                    "expressions": expressions}]}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": changes,
                                                    "configuration": configuration}))
    (tmp_path / "perimeter.yaml").write_text("""\
organization:
  root:
    ous: [{name: Workloads, accounts: ["111122223333"]}, {name: Other, accounts: ["222233334444"]}]
terraform_plan: {plan: plan.json, account: "111122223333"}
invariants: [{id: only-trusted-identities}]
""")
    perimeter = load_perimeter(tmp_path / "perimeter.yaml")
    assert perimeter.unknowns == () and perimeter.organization is not None
    workloads, other = perimeter.organization.root.children
    assert [p.statements[0].actions for p in workloads.scps[1:]] == [("organizations:LeaveOrganization",)]
    assert other.scps[1:] == ()


def _endpoint_plan(tmp_path: Path, name: str, bucket_statement: dict[str, object], vpc: object) -> Path:
    """A plan creating a bucket with its policy and an S3 endpoint whose id is known only after apply."""
    import json

    policy = json.dumps({"Version": "2012-10-17", "Statement": [bucket_statement]})
    endpoint_policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]})
    resources = [("aws_s3_bucket", "data", {"bucket": "data-bucket", "arn": "arn:aws:s3:::data-bucket"}, {}),
                 ("aws_s3_bucket_policy", "data", {"bucket": "data-bucket", "policy": policy}, {}),
                 ("aws_vpc_endpoint", "s3", {"vpc_id": vpc, "service_name": "com.amazonaws.eu-west-1.s3",
                                             "policy": endpoint_policy}, {"id": True, "vpc_id": vpc is None})]
    changes = [{"address": f"{kind}.{label}", "mode": "managed", "type": kind, "name": label,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": unknown}}
               for kind, label, values, unknown in resources]
    (tmp_path / f"{name}.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": changes}))
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"""\
zone:
  trusted_accounts: ["111122223333"]
  vpc_endpoint_ids: [vpce-0123456789abcdef0]
vpc_endpoints:
  - {{id: vpce-0123456789abcdef0, vpc: vpc-0bbbbbbbbbbbbbbbb, account: "111122223333"}}
terraform_plan: {{plan: {name}.json, account: "111122223333"}}
invariants: [{{id: only-trusted-identities}}]
""")
    return path


def test_an_endpoint_the_plan_creates_has_an_id_no_other_endpoint_has_and_prove_covers_them_all(
        tmp_path: Path) -> None:
    trusted = {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::data-bucket/*"}
    perimeter = load_perimeter(_endpoint_plan(tmp_path, "trusted", trusted, "vpc-0aaaaaaaaaaaaaaaa"))
    assert perimeter.unknowns == ()
    [fresh] = perimeter.fresh_vpc_endpoints
    assert fresh.vpc_id == "vpc-0aaaaaaaaaaaaaaaa" and "aws_vpc_endpoint.s3.id" in fresh.id
    [result] = prove_perimeter(perimeter, budget=BUDGET).results
    assert result.status is Status.PASS
    # open to anyone from the new endpoint's VPC: found through it, at an id the solver chose
    by_vpc = {**trusted, "Principal": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-0aaaaaaaaaaaaaaaa"}}}
    [result] = prove_perimeter(load_perimeter(_endpoint_plan(tmp_path, "open", by_vpc, "vpc-0aaaaaaaaaaaaaaaa")),
                               budget=BUDGET, max_findings=1).results
    assert result.status is Status.FAIL
    [finding] = result.findings
    context = finding.witness_request.context
    assert context["aws:sourcevpc"] == ("vpc-0aaaaaaaaaaaaaaaa",)
    assert context["aws:sourcevpce"][0] != "vpce-0123456789abcdef0"
    # its VPC unknown too: UNKNOWN, naming the resource and the attribute
    unknowns = load_perimeter(_endpoint_plan(tmp_path, "novpc", trusted, None)).unknowns
    assert [text.split(" (")[0] for text in unknowns] == ["the VPC of aws_vpc_endpoint.s3",
                                                          "the id of aws_vpc_endpoint.s3"]
