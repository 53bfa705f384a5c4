"""Perimeter files: the example loads into the model the prover reads, every key's
errors name the file and the path, TOML and globs work."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from reasoner.errors import InputError
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint
from reasoner.inputs.model import (
    FULL_AWS_ACCESS,
    RESOURCE_TYPES,
    Expect,
    Invariant,
    Perimeter,
    PrincipalClass,
    PrincipalClassKind,
)
from reasoner.inputs.perimeter_file import load_perimeter
from reasoner.policy.model import PolicyType

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

ALLOW_ALL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
BUCKET = ('{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Principal": "*",'
          ' "Action": "s3:GetObject", "Resource": "*"}]}')


def write(tmp_path: Path, text: str, name: str = "perimeter.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    (tmp_path / "allow.json").write_text(ALLOW_ALL)
    (tmp_path / "bucket.json").write_text(BUCKET)
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_perimeter(path)
    return str(caught.value).replace(str(tmp_path), "DIR")


def test_the_example_perimeter_loads_into_levels_resources_identities_and_invariants() -> None:
    perimeter = load_perimeter(EXAMPLES / "perimeter" / "perimeter.yaml")
    assert perimeter.zone.organization_ids == ("o-a1b2c3d4e5",)
    assert perimeter.management_account == "999988887777"
    scps = perimeter.scp_levels("111122223333")
    assert [[policy.name or Path(policy.source).name for policy in level] for level in scps] == [
        [FULL_AWS_ACCESS, "resource_perimeter_scp.json"], [FULL_AWS_ACCESS], [FULL_AWS_ACCESS]]
    rcps = perimeter.rcp_levels("222233334444")
    assert [[Path(policy.source).name for policy in level] for level in rcps] == [
        ["identity_perimeter_rcp.json", "network_perimeter_vpceorgid_rcp.json"], [], []]
    assert all(policy.policy_type is PolicyType.RCP for policy in rcps[0])
    assert perimeter.scp_levels("000000000000") == ()  # not in the organization: no SCPs apply
    bucket, topic = perimeter.resources
    assert (bucket.arn, bucket.account, bucket.resource_type) == (
        "arn:aws:s3:::example-corp-analytics", "111122223333", "AWS::S3::Bucket")
    assert topic.account == "111122223333"  # taken from the ARN
    assert topic.policy is not None and topic.policy.policy_type is PolicyType.RESOURCE
    (endpoint,) = perimeter.vpc_endpoints
    assert endpoint.policy is not None and endpoint.policy.policy_type is PolicyType.VPC_ENDPOINT
    (identity,) = perimeter.identities
    assert (identity.account, dict(identity.tags)) == ("222233334444", {"team": "analytics"})
    assert [(i.id, i.check, i.expect, i.line) for i in perimeter.invariants] == [
        ("only-trusted-identities", "only-trusted-identities", Expect.DENY, 50),
        ("only-trusted-resources", "only-trusted-resources", Expect.DENY, 53),
        ("only-expected-networks", "only-expected-networks", Expect.DENY, 57),
        ("no-anonymous-access", "custom", Expect.DENY, 69),
        ("analytics-app-keeps-reading", "custom", Expect.ALLOW, 74),
    ]
    networks = perimeter.invariants[2]
    assert dict(networks.principal_tags) == {"dp:include:network": "true"}
    assert networks.exceptions.service_principals and networks.exceptions.via_aws_service
    assert networks.exceptions.accounts == ("127311923021", "555566667777")
    keeps_reading = perimeter.invariants[4]
    assert keeps_reading.principals == PrincipalClass(PrincipalClassKind.ARN,
                                                      "arn:aws:iam::222233334444:role/analytics-app")
    assert keeps_reading.context[0] == ContextConstraint("aws:PrincipalOrgID", ConstraintOp.EQUALS,
                                                         ("o-a1b2c3d4e5",))


def test_the_broken_example_differs_only_in_the_topic_policy() -> None:
    good = load_perimeter(EXAMPLES / "perimeter" / "perimeter.yaml")
    broken = load_perimeter(EXAMPLES / "perimeter-broken" / "perimeter.yaml")
    def unplaced(perimeter: Perimeter) -> list[Invariant]:
        return [replace(invariant, line=None) for invariant in perimeter.invariants]

    assert unplaced(broken) == unplaced(good)
    assert broken.resources[0] == good.resources[0]
    assert broken.resources[1].policy != good.resources[1].policy
    assert broken.scp_levels("111122223333") == good.scp_levels("111122223333")


def test_toml_perimeter(tmp_path: Path) -> None:
    path = write(tmp_path, """
        invariants = ["only-trusted-identities"]
        [zone]
        organization_ids = ["o-aaaaaaaaaa"]
        [[resources]]
        arn = "arn:aws:s3:::b"
        type = "AWS::S3::Bucket"
        account = "111111111111"
        policy = "bucket.json"
    """, name="perimeter.toml")
    perimeter = load_perimeter(path)
    assert perimeter.resources[0].policy is not None
    assert perimeter.invariants[0].line is None


def test_resource_glob_makes_one_resource_per_file_named_by_its_stem(tmp_path: Path) -> None:
    (tmp_path / "buckets").mkdir()
    for name in ("logs", "data"):
        (tmp_path / "buckets" / f"{name}.json").write_text(BUCKET)
    path = write(tmp_path, """
        resources:
          - {arn: "arn:aws:s3:::{name}", type: "AWS::S3::Bucket", account: "111111111111",
             policies: "buckets/*.json", tags: {env: prod}}
        invariants: [only-trusted-identities]
    """)
    resources = load_perimeter(path).resources
    assert [(r.arn, Path(r.policy.source).name if r.policy else None) for r in resources] == [
        ("arn:aws:s3:::data", "data.json"), ("arn:aws:s3:::logs", "logs.json")]


def test_role_trust_policy_and_inline_policies(tmp_path: Path) -> None:
    path = write(tmp_path, """
        organization:
          root:
            scps: [{Version: "2012-10-17", Statement: [{Effect: Deny, Action: "s3:*", Resource: "*"}]}]
            accounts: ["111111111111"]
        resources:
          - arn: arn:aws:iam::111111111111:role/deploy
            type: AWS::IAM::Role
            policy: bucket.json
        invariants: [only-trusted-identities]
    """)
    perimeter = load_perimeter(path)
    assert perimeter.resources[0].policy is not None
    assert perimeter.resources[0].policy.policy_type is PolicyType.TRUST
    root_level, account_level = perimeter.scp_levels("111111111111")
    assert root_level[0].source.endswith("perimeter.yaml: organization.root.scps[0]")
    assert account_level[0].name == FULL_AWS_ACCESS  # an account without `scps` gets FullAWSAccess


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zone: {}\n", "DIR/perimeter.yaml: invariants: missing"),
        ("invariants: []\n", "DIR/perimeter.yaml: invariants: expected at least one invariant"),
        ("colour: blue\ninvariants: [only-trusted-identities]\n",
         "DIR/perimeter.yaml: colour: unknown key (expected one of description, zone, organization, resources, "
         "vpc_endpoints, identities, snapshot, terraform_plan, cloudformation, invariants, s3_accounts)"),
        ("invariants: [only-trusted-everything]\n",
         'DIR/perimeter.yaml: invariants[0]: "only-trusted-everything" is not a built-in invariant (expected one of '
         "only-trusted-identities, only-trusted-resources, only-expected-networks, or a mapping for a custom one)"),
        ("invariants:\n  - only-trusted-identities\n  - {id: a, principals: any, actions: ['*']}\n"
         "  - {id: b, principals: any, actions: ['*'], expect: permit}\n",
         'DIR/perimeter.yaml: invariants[2].expect: expected "deny" or "allow"'),
        ("invariants: [{id: a, actions: ['s3:*']}]\n", "DIR/perimeter.yaml: invariants[0].principals: missing"),
        ("invariants: [{id: a, principals: any}]\n", "DIR/perimeter.yaml: invariants[0].actions: missing"),
        ("invariants: [{id: a, principals: everyone, actions: ['*']}]\n",
         'DIR/perimeter.yaml: invariants[0].principals: "everyone" is not a principal class (expected one of any, '
         "anonymous, outside-org, outside-accounts, or a mapping {class: ...}, {account: ID} or {arn: PATTERN})"),
        ("invariants: [{id: a, principals: {account: 1234}, actions: ['*']}]\n",
         "DIR/perimeter.yaml: invariants[0].principals.account: expected a 12-digit account id as a string "
         "(quote it: leading zeros matter)"),
        ("invariants: [{id: a, principals: any, actions: [s3GetObject]}]\n",
         'DIR/perimeter.yaml: invariants[0].actions[0]: "s3GetObject" is not an action pattern '
         '("service:Action", wildcards allowed)'),
        ("invariants: [{id: a, principals: any, actions: ['*'], context: {aws:SourceIp: {ip_in: nowhere}}}]\n",
         'DIR/perimeter.yaml: invariants[0].context.aws:SourceIp.ip_in: "nowhere" is not an IP address or CIDR '
         "block"),
        ("invariants: [{id: a, principals: any, actions: ['*'], context: {aws:SourceIp: {near: x}}}]\n",
         "DIR/perimeter.yaml: invariants[0].context.aws:SourceIp.near: unknown operator (expected one of equals, "
         "not_equals, like, not_like, ip_in, ip_not_in, present, absent)"),
        ("invariants: [only-trusted-identities, {id: only-trusted-identities}]\n",
         'DIR/perimeter.yaml: invariants[1].id: "only-trusted-identities" is used by an earlier invariant'),
        ("invariants: [{id: only-trusted-resources, expect: allow}]\n",
         "DIR/perimeter.yaml: invariants[0].expect: unknown key (expected one of id, check, description, actions, "
         "resources, principal_tags, exceptions)"),
        ("invariants: [{id: x, check: only-trusted-resources, exceptions: {service_principals: yes-please}}]\n",
         "DIR/perimeter.yaml: invariants[0].exceptions.service_principals: expected true or false"),
        ("zone: {organization_ids: [my-org]}\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: zone.organization_ids[0]: "my-org" is not an organization id (o-...)'),
        ("zone: {cidrs: [10.0.0.0/33]}\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: zone.cidrs[0]: "10.0.0.0/33" is not an IP address or CIDR block'),
        ("zone: {trusted_accounts: [\"12345\"]}\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: zone.trusted_accounts[0]: "12345" is not a 12-digit account id'),
        ("resources: [{arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket'}]\ninvariants: [only-trusted-identities]\n",
         "DIR/perimeter.yaml: resources[0].account: missing (the ARN has no account id; S3 ARNs never do)"),
        ("resources: [{arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bukket', account: '111111111111'}]\n"
         "invariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: resources[0].type: "AWS::S3::Bukket" is not a supported resource type (expected one '
         f"of {', '.join(RESOURCE_TYPES)})"),
        ("resources: [{arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket', account: '111111111111', "
         "policy: missing.json}]\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: resources[0].policy: policy file "DIR/missing.json" not found'),
        ("resources: [{arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket', account: '111111111111', "
         "policies: '*.txt'}]\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: resources[0].arn: with "policies", the ARN must contain "{name}"'),
        ("resources: [{arn: 'arn:aws:s3:::{name}', type: 'AWS::S3::Bucket', account: '111111111111', "
         "policies: 'nothing/*.json'}]\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: resources[0].policies: no policy file matches "DIR/nothing/*.json"'),
        ("resources:\n  - {arn: 'arn:aws:sqs:us-east-1:111111111111:q', type: 'AWS::SQS::Queue'}\n"
         "  - {arn: 'arn:aws:sqs:us-east-1:111111111111:q', type: 'AWS::SQS::Queue'}\n"
         "invariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: resources: resource "arn:aws:sqs:us-east-1:111111111111:q" is declared twice'),
        ("organization: {root: {ous: [{scps: []}]}}\ninvariants: [only-trusted-identities]\n",
         "DIR/perimeter.yaml: organization.root.ous[0].name: missing"),
        ("organization: {root: {accounts: ['111111111111'], ous: [{name: a, accounts: ['111111111111']}]}}\n"
         "invariants: [only-trusted-identities]\n",
         "DIR/perimeter.yaml: organization.root: account 111111111111 appears twice in the tree"),
        ("organization: {root: {scps: [FullAWSAccess], rcps: [FullAWSAccess]}}\n"
         "invariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: organization.root.rcps[0]: policy file "DIR/FullAWSAccess" not found'),
        ("identities: [{arn: 'arn:aws:sts::111111111111:assumed-role/a/b'}]\ninvariants: [only-trusted-identities]\n",
         'DIR/perimeter.yaml: identities[0].arn: "arn:aws:sts::111111111111:assumed-role/a/b" is not an IAM role '
         "or user ARN"),
        ("vpc_endpoints: [{id: vpce-1, vpc: vpc-1, policy: ['allow.json', 'bucket.json']}]\n"
         "invariants: [only-trusted-identities]\n",
         "DIR/perimeter.yaml: vpc_endpoints[0].policy: expected a policy file path, a glob, or a policy object"),
        ("invariants: [only-trusted-identities]\nzone: [o-aaaaaaaaaa]\n",
         "DIR/perimeter.yaml: zone: expected a mapping"),
    ],
)
def test_errors_name_the_file_and_the_path(tmp_path: Path, text: str, message: str) -> None:
    assert load_error(tmp_path, text) == message


def test_a_bad_policy_file_is_reported_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe"}]}')
    message = load_error(tmp_path, """
        organization: {root: {scps: [bad.json]}}
        invariants: [only-trusted-identities]
    """)
    assert message.startswith("DIR/bad.json: Statement[0].Effect: ")


def test_invalid_yaml_and_toml_are_input_errors(tmp_path: Path) -> None:
    assert load_error(tmp_path, "invariants: [\n").startswith("DIR/perimeter.yaml: invalid YAML at line")
    path = write(tmp_path, "invariants = [\n", name="p.toml")
    with pytest.raises(InputError, match=r"p\.toml: invalid TOML: "):
        load_perimeter(path)


def test_json_perimeter_records_invariant_lines(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "invariants": [\n    "only-trusted-identities",\n    {"id": "a", "principals": "any",'
                 ' "actions": ["*"]}\n  ]\n}\n', name="perimeter.json")
    assert [invariant.line for invariant in load_perimeter(path).invariants] == [None, 4]
