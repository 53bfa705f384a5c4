"""CloudFormation templates: every intrinsic function, parameter styles, the
policy-bearing resource types, template lines, and bad input.

Fixtures: `tests/data/iac/*.yaml|json` are hand-written; the corpus files come
from AWS's cfn-policy-validator tests (skipped when the corpus is absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reasoner.errors import InputError
from reasoner.inputs.iac.cfn_template import load_parameter_file, parse_parameter_options
from reasoner.inputs.iac.cloudformation import read_cloudformation
from reasoner.inputs.iac.model import IacPolicy, PolicyKind
from reasoner.inputs.iac.values import Template, Unknown

DATA = Path(__file__).parent / "data" / "iac"
CORPUS = Path(os.environ.get("PERIMETER_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"))
CFN_CORPUS = CORPUS / "iac" / "cfn-policy-validator"
needs_corpus = pytest.mark.skipif(not CFN_CORPUS.is_dir(), reason=f"the IaC corpus is not at {CFN_CORPUS} "
                                                                  "(set PERIMETER_CORPUS)")


def _by_label(policies: tuple[IacPolicy, ...]) -> dict[str, list[IacPolicy]]:
    found: dict[str, list[IacPolicy]] = {}
    for policy in policies:
        found.setdefault(policy.provenance.label, []).append(policy)
    return found


def _write(tmp_path: Path, text: str, name: str = "template.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------
# Intrinsic functions and conditions


def test_intrinsics_with_parameters_given() -> None:
    inventory = read_cloudformation(DATA / "intrinsics.yaml", {"Env": "prod", "Suffix": "x",
                                                               "AWS::AccountId": "111122223333",
                                                               "AWS::Region": "eu-west-1",
                                                               "AWS::StackName": "stack"})
    policies = _by_label(inventory.policies)
    [queue] = policies["QueuePolicy.Properties.PolicyDocument"]
    statements = queue.document["Statement"]
    # Fn::Sub with a parameter's Default, Fn::FindInMap, Fn::Select of Fn::Split
    assert statements[0]["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}
    assert statements[0]["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": "o-prodprodpr",
                                                          "aws:SourceVpce": "vpce-2"}
    # Fn::If on a condition: the statement exists in prod
    assert [s["Sid"] for s in statements] == ["FromPartner", "ProdOnly"]
    assert queue.resource_arn == "arn:aws:sqs:eu-west-1:111122223333:jobs"  # Ref of a queue: its URL, read back
    assert queue.attached_to == ("Queue",)
    [bucket] = policies["BucketPolicy.Properties.PolicyDocument"]
    read, imported = bucket.document["Statement"]
    assert read["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}  # Fn::Join
    # Fn::Sub with a variable map, Fn::GetAtt Arn, Fn::Select of a list parameter
    assert read["Resource"] == "arn:aws:s3:::data-prod/alpha/*"
    assert read["Condition"]["StringEquals"] == {"s3:ExistingObjectTag/suffix": "x",
                                                 "aws:SourceAccount": "111122223333"}
    assert read["Condition"]["StringLike"] == {"aws:Referer": "https://${Literal}/stack"}  # ${!Literal}
    assert read["Condition"]["Bool"] == {"aws:SecureTransport": "true"}  # Fn::If on Fn::Or
    vpc = imported["Condition"]["StringNotEquals"]["aws:SourceVpc"]
    assert isinstance(vpc, Unknown) and vpc.label == "ImportValue network-vpc-id"  # Fn::ImportValue: unknown
    assert bucket.resource_arn == "arn:aws:s3:::data-prod"
    assert bucket.provenance.line == 62 and dict(bucket.statement_lines) == {"Statement[0]": 64, "Statement[1]": 79}


def test_a_condition_on_a_parameter_with_allowed_values_is_read_once_per_value() -> None:
    inventory = read_cloudformation(DATA / "intrinsics.yaml", {"Suffix": "x"})
    queues = _by_label(inventory.policies)["QueuePolicy.Properties.PolicyDocument"]
    assert [policy.case for policy in queues] == [(("Env", "dev"),), (("Env", "prod"),)]
    assert [len(policy.document["Statement"]) for policy in queues] == [1, 2]
    assert [q.document["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalOrgID"] for q in queues] == [
        "o-devdevdevd", "o-prodprodpr"]


def test_a_condition_on_a_parameter_without_allowed_values_splits_on_the_compared_value(tmp_path: Path) -> None:
    template = _write(tmp_path, """
Parameters:
  Stage: {Type: String}
Conditions:
  Live: !Equals [!Ref Stage, live]
Resources:
  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: t}}
  Policy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Topic]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: !If [Live, {AWS: "111122223333"}, "*"]
            Action: sns:Publish
            Resource: "*"
            Condition: {StringEquals: {aws:PrincipalTag/stage: !Ref Stage}}
""")
    cases = read_cloudformation(template).policies
    assert [policy.case for policy in cases] == [(("Stage", "live"),), (("Stage", "none of live"),)]
    assert cases[0].document["Statement"][0]["Principal"] == {"AWS": "111122223333"}
    assert cases[1].document["Statement"][0]["Principal"] == "*"
    other = cases[1].document["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalTag/stage"]
    assert isinstance(other, Unknown) and other.excluded == ("live",)  # any value but "live"


def test_pseudo_parameters_without_values_are_unknown_and_a_region_fixes_the_partition() -> None:
    plain = read_cloudformation(DATA / "resources.json")
    [queue, _] = _by_label(plain.policies)["JobsPolicy.Properties.PolicyDocument"]
    assert isinstance(queue.resource_arn, Template)
    assert [u.label for u in queue.resource_arn.unknowns()] == ["AWS::Partition", "AWS::Region", "AWS::AccountId"]
    given = read_cloudformation(DATA / "resources.json", {"AWS::Region": "cn-north-1",
                                                          "AWS::AccountId": "111122223333"})
    [queue, other] = _by_label(given.policies)["JobsPolicy.Properties.PolicyDocument"]
    assert queue.resource_arn == "arn:aws-cn:sqs:cn-north-1:111122223333:jobs"
    assert other.resource_arn == "arn:aws:sqs:eu-west-1:111122223333:other"  # a queue URL, read as its ARN


def test_generated_names_are_unknown_and_shared_between_ref_and_arn(tmp_path: Path) -> None:
    template = _write(tmp_path, """
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: "111122223333"}, Action: s3:GetObject,
             Resource: !Sub "arn:aws:s3:::${Bucket}/*"}
""")
    [policy] = read_cloudformation(template, {"AWS::Region": "us-east-1"}).policies
    resource = policy.document["Statement"][0]["Resource"]
    assert isinstance(resource, Template)
    assert [u.label for u in resource.unknowns()] == ["Bucket.Name"]
    assert policy.resource_arn == Template.of("arn:aws:s3:::", resource.unknowns()[0])


def test_no_value_removes_a_property_and_a_list_item(tmp_path: Path) -> None:
    template = _write(tmp_path, """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: [ec2.amazonaws.com, !Ref AWS::NoValue]}
            Action: sts:AssumeRole
            Condition: !Ref AWS::NoValue
""")
    [trust] = read_cloudformation(template).policies
    assert trust.document["Statement"][0] == {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]},
                                              "Action": "sts:AssumeRole"}


def test_a_mapping_key_from_a_parameter_splits_on_the_map_keys(tmp_path: Path) -> None:
    template = _write(tmp_path, """
Parameters:
  Tier: {Type: String}
Mappings:
  Orgs: {gold: {Id: o-goldgoldgo}, silver: {Id: o-silversilv}}
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: kms:Decrypt
            Resource: "*"
            Condition: {StringEquals: {aws:PrincipalOrgID: !FindInMap [Orgs, !Ref Tier, Id]}}
""")
    policies = read_cloudformation(template).policies
    assert [p.case for p in policies] == [(("Tier", "gold"),), (("Tier", "silver"),)]  # no third: a missing key fails


# ---------------------------------------------------------------------------
# Resource types


def test_every_policy_bearing_type_is_read_with_its_kind_resource_and_line() -> None:
    inventory = read_cloudformation(DATA / "resources.json", {"AWS::Region": "eu-west-1",
                                                              "AWS::AccountId": "111122223333"})
    found = {(p.provenance.label, p.kind, p.resource_type, str(p.resource_arn), p.attached_to)
             for p in inventory.policies}
    arn = "arn:aws:{}:eu-west-1:111122223333:{}"
    assert found == {
        ("AppRole.Properties.AssumeRolePolicyDocument", PolicyKind.TRUST, "AWS::IAM::Role",
         "arn:aws:iam::111122223333:role/service/app", ("AppRole",)),
        ("AppRole.Properties.Policies[0].PolicyDocument", PolicyKind.INLINE, None, "None", ("AppRole",)),
        ("Managed.Properties.PolicyDocument", PolicyKind.MANAGED, None, "None", ("AppRole",)),
        ("Boundary.Properties.PolicyDocument", PolicyKind.MANAGED, None, "None", ()),
        ("Separate.Properties.PolicyDocument", PolicyKind.INLINE, None, "None", ("AppRole", "existing-role")),
        ("Ops.Properties.Policies[0].PolicyDocument", PolicyKind.INLINE, None, "None", ("Ops",)),
        ("Admins.Properties.Policies[0].PolicyDocument", PolicyKind.INLINE, None, "None", ("Admins",)),
        ("Key.Properties.KeyPolicy", PolicyKind.RESOURCE, "AWS::KMS::Key", arn.format("kms", "key/${Key.KeyId}"),
         ("Key",)),
        ("DefaultKey.Properties.KeyPolicy", PolicyKind.RESOURCE, "AWS::KMS::Key",
         arn.format("kms", "key/${DefaultKey.KeyId}"), ("DefaultKey",)),
        ("JobsPolicy.Properties.PolicyDocument", PolicyKind.RESOURCE, "AWS::SQS::Queue", arn.format("sqs", "jobs"),
         ("Jobs",)),
        ("JobsPolicy.Properties.PolicyDocument", PolicyKind.RESOURCE, "AWS::SQS::Queue", arn.format("sqs", "other"),
         ("JobsPolicy.Queues[1]",)),
        ("TopicPolicy.Properties.PolicyDocument", PolicyKind.RESOURCE, "AWS::SNS::Topic",
         arn.format("sns", "events"), ("Topic",)),
        ("InvokeFromTopic.Properties", PolicyKind.RESOURCE, "AWS::Lambda::Function",
         arn.format("lambda", "function:worker"), ("InvokeFromTopic", "InvokeFromPartner")),
        ("SecretPolicy.Properties.ResourcePolicy", PolicyKind.RESOURCE, "AWS::SecretsManager::Secret",
         arn.format("secretsmanager", "secret:db-${Secret.ArnSuffix}"), ("Secret",)),
        ("Repo.Properties.RepositoryPolicyText", PolicyKind.RESOURCE, "AWS::ECR::Repository",
         arn.format("ecr", "repository/images"), ("Repo",)),
        ("Table.Properties.ResourcePolicy.PolicyDocument", PolicyKind.RESOURCE, "AWS::DynamoDB::Table",
         arn.format("dynamodb", "table/orders"), ("Table",)),
        ("Table.Properties.StreamSpecification.ResourcePolicy.PolicyDocument", PolicyKind.RESOURCE,
         "AWS::DynamoDB::Table", arn.format("dynamodb", "table/orders/stream/${Table.StreamLabel}"), ("Table",)),
        ("Endpoint.Properties.PolicyDocument", PolicyKind.VPC_ENDPOINT, None, "None", ("Endpoint",)),
        ("Scp.Properties.Content", PolicyKind.SCP, None, "None", ("ou-abcd-11111111",)),
        ("Rcp.Properties.Content", PolicyKind.RCP, None, "None", ("r-abcd",)),
        ("Vault.Properties.AccessPolicy", PolicyKind.RESOURCE, "AWS::Backup::BackupVault",
         arn.format("backup", "backup-vault:vault"), ("Vault",)),
    }
    lines = {p.provenance.label: p.provenance.line for p in inventory.policies}
    assert lines["Key.Properties.KeyPolicy"] == 50 and lines["Rcp.Properties.Content"] == 114
    role = next(p for p in inventory.principals if p.address == "AppRole")
    assert role.managed_policy_arns == ("arn:aws:iam::111122223333:policy/managed",
                                        "arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert role.boundary_arn == "arn:aws:iam::111122223333:policy/boundary" and role.tags == {"team": "data"}
    user = next(p for p in inventory.principals if p.address == "Ops")
    assert user.groups == ("Admins",)
    [endpoint] = inventory.endpoints
    assert endpoint.vpc_id == "vpc-0123456789abcdef0" and endpoint.service == "s3"
    assert isinstance(endpoint.endpoint_id, Unknown)


def test_a_key_without_a_key_policy_gets_the_default_policy() -> None:
    inventory = read_cloudformation(DATA / "resources.json", {"AWS::Region": "eu-west-1",
                                                              "AWS::AccountId": "111122223333"})
    [default] = [p for p in inventory.policies if p.provenance.address == "DefaultKey"]
    assert default.document["Statement"] == [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                                              "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                                              "Action": "kms:*", "Resource": "*"}]


def test_lambda_permissions_become_the_function_policy() -> None:
    inventory = read_cloudformation(DATA / "resources.json", {"AWS::Region": "eu-west-1",
                                                              "AWS::AccountId": "111122223333"})
    [function] = [p for p in inventory.policies if p.resource_type == "AWS::Lambda::Function"]
    arn = "arn:aws:lambda:eu-west-1:111122223333:function:worker"
    assert function.document == {"Version": "2012-10-17", "Statement": [
        {"Sid": "InvokeFromTopic", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": arn,
         "Principal": {"Service": "sns.amazonaws.com"},
         "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:events"}}},
        {"Sid": "InvokeFromPartner", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": arn,
         "Principal": {"AWS": "444455556666"}}]}
    assert dict(function.statement_lines) == {"Statement[0]": 72, "Statement[1]": 77}


# ---------------------------------------------------------------------------
# Parameters


def test_parameter_options_and_both_file_styles(tmp_path: Path) -> None:
    assert parse_parameter_options(["A=1", "B=x=y"]) == {"A": "1", "B": "x=y"}
    cfn_style = _write(tmp_path, json.dumps([{"ParameterKey": "A", "ParameterValue": "1"}]), "cfn.json")
    key_value = _write(tmp_path, json.dumps(["A=1", "B=2"]), "kv.json")
    configuration = _write(tmp_path, json.dumps({"Parameters": {"A": "1"}, "Tags": {}}), "config.json")
    assert load_parameter_file(cfn_style) == {"A": "1"}
    assert load_parameter_file(key_value) == {"A": "1", "B": "2"}
    assert load_parameter_file(configuration) == {"A": "1"}


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("name", ["parameters_cfn_style.json", "parameters_key_value_strings.json",
                                  "template_configuration_file.json"])
def test_corpus_parameter_files(name: str) -> None:
    assert load_parameter_file(CFN_CORPUS / name) == {"CodestarConnectionArn": "fakearn", "EnvironmentName": "test"}


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize(("name", "message"), [
    ("parameters_cfn_style_invalid.json", r"\[0\]: ParameterValue: missing"),
    ("parameters_key_value_strings_invalid.json", r'\[0\]: "CodestarConnectionArnNoEquals" is not Key=Value'),
    ("template_configuration_invalid_parameters.json", r"Parameters: expected a mapping"),
    ("template_configuration_invalid_json.json", r"invalid JSON"),
])
def test_corpus_invalid_parameter_files(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as raised:
        load_parameter_file(CFN_CORPUS / name)
    assert str(raised.value).startswith(str(CFN_CORPUS / name))


def test_a_value_for_an_undeclared_parameter_is_bad_input() -> None:
    with pytest.raises(InputError, match='"Nope", which the template does not declare'):
        read_cloudformation(DATA / "intrinsics.yaml", {"Nope": "1"})


# ---------------------------------------------------------------------------
# Bad input: one line naming the file and the line


@pytest.mark.parametrize(("text", "message"), [
    ("Resources:\n  A: {Type: AWS::SNS::Topic}\n  A: {Type: AWS::SNS::Topic}\n",
     r"line \d: invalid template: Duplicate"),
    ("Resources: [1, 2]\n", "Resources: expected a mapping"),
    ("Resources:\n  P:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!Ref Missing]\n"
     "      PolicyDocument: {}\n", r'line 5 \(Resources.P.Properties.Queues\[0\].Ref\): Ref: "Missing" is neither'),
    ("Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n"
     "        Statement: [{Effect: Allow, Action: !Join [x], Resource: '*'}]\n",
     r"line 6 .*Fn::Join: expected \[delimiter, \[values\]\]"),
    ("Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryPolicyText: '{not json'\n",
     r"line 5 \(Resources.R.Properties.RepositoryPolicyText\): the policy text is not JSON"),
    ("Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n"
     "        Statement: [{Effect: Allow, Action: !Sub '${Nowhere}', Resource: '*'}]\n",
     r'Ref: "Nowhere" is neither a parameter nor a resource'),
])
def test_bad_templates_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=message) as raised:
        read_cloudformation(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_a_missing_template_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        read_cloudformation(tmp_path / "absent.yaml")


# ---------------------------------------------------------------------------
# The cfn-policy-validator corpus (real templates, not written here)


@needs_corpus
@pytest.mark.corpus
def test_corpus_test_file_2_in_yaml_and_json_read_the_same() -> None:
    parameters = {"EnvironmentName": "prod", "CodestarConnectionArn": "arn:aws:codestar-connections:us-east-1:"
                  "111122223333:connection/abc", "AWS::Region": "us-east-1", "AWS::AccountId": "111122223333"}
    from_yaml = read_cloudformation(CFN_CORPUS / "test_file_2.yml", parameters)
    from_json = read_cloudformation(CFN_CORPUS / "test_file_2.json", parameters)

    def shape(policies: tuple[IacPolicy, ...]) -> list[tuple[str, str, str]]:
        return sorted((p.provenance.label, p.kind.value, json.dumps(p.document, default=str, sort_keys=True))
                      for p in policies)

    assert shape(from_yaml.policies) == shape(from_json.policies)
    labels = {p.provenance.label for p in from_yaml.policies}
    assert {"MyQueuePolicy.Properties.PolicyDocument", "ArtifactBucketPolicy.Properties.PolicyDocument",
            "CodePipelineServiceRole.Properties.AssumeRolePolicyDocument", "MyManagedPolicy.Properties.PolicyDocument",
            "MySecretResourcePolicy.Properties.ResourcePolicy", "MyIAMGroup.Properties.Policies[0].PolicyDocument"} \
        <= labels
    [bucket] = [p for p in from_yaml.policies if p.provenance.address == "ArtifactBucketPolicy"]
    assert bucket.document["Statement"][0]["Resource"] == "arn:aws:s3:::prod-app-artifacts/*"
    assert bucket.resource_arn == "arn:aws:s3:::prod-app-artifacts"
    [managed] = [p for p in from_yaml.policies if p.provenance.address == "MyManagedPolicy"]
    assert set(managed.attached_to) == {"MyIAMUser", "MyIAMGroup"}  # through their ManagedPolicyArns


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("name", ["kms_resource.yml", "public_access_test.yml", "check_access_not_granted_test.yaml",
                                  "bad_template.json"])
def test_corpus_templates_read(name: str) -> None:
    inventory = read_cloudformation(CFN_CORPUS / name)
    assert inventory.policies
    assert all(policy.provenance.line is not None for policy in inventory.policies)


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize(("name", "message"), [("invalid_file.yaml", r"line 2: invalid template"),
                                               ("invalid_file.json", r"line 3: invalid template")])
def test_corpus_invalid_templates(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_cloudformation(CFN_CORPUS / name)


def test_the_url_suffix_follows_the_region_and_the_stack_id_is_unknown(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("""\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: !Sub "ec2.${AWS::URLSuffix}"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:SourceArn: !Ref AWS::StackId}}
""")
    [trust] = read_cloudformation(template, {"AWS::Region": "cn-north-1"}).policies
    statement = trust.document["Statement"][0]
    assert statement["Principal"] == {"Service": "ec2.amazonaws.com.cn"}
    stack_id = statement["Condition"]["StringEquals"]["aws:SourceArn"]
    assert isinstance(stack_id, Unknown) and stack_id.label == "AWS::StackId"
    # without a region, the suffix is one of the partitions' suffixes: a case each when checked
    from reasoner.inputs.iac.symbolic import lower

    [open_trust] = read_cloudformation(template).policies
    cases = lower(open_trust)
    services = {service for case in cases if case.policy is not None and case.policy.statements[0].principal
                for service in case.policy.statements[0].principal.service}
    assert {"ec2.amazonaws.com", "ec2.amazonaws.com.cn"} <= services
