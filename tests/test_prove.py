"""`perimeter prove` on constructed perimeters with a known number of leaks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasoner.evaluation.evaluate import evaluate
from reasoner.inputs.perimeter_file import load_perimeter
from reasoner.policy.model import Decision
from reasoner.prove.findings import Status
from reasoner.prove.proof import prove_perimeter
from reasoner.prove.scopes import scopes

ORG = "o-a1b2c3d4e5"
DATA, APPS, OUTSIDE = "111122223333", "222233334444", "999999999999"
BUCKET = "arn:aws:s3:::corp-data"


def write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))
    return name


def bucket_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def perimeter_file(tmp_path: Path, *, bucket: dict[str, Any], invariants: list[Any],
                   identity: dict[str, Any] | None = None, scps: list[str] | None = None,
                   rcps: list[str] | None = None) -> Path:
    write(tmp_path, "bucket.json", bucket)
    lines = [
        "zone:",
        f"  organization_ids: [{ORG}]",
        "  vpc_endpoint_ids: [vpce-0a1b2c3d4e5f60718]",
        "  vpc_ids: [vpc-0123456789abcdef0]",
        "  cidrs: [203.0.113.0/24]",
        "organization:",
        '  management_account: "999988887777"',
        "  root:",
        f"    scps: {json.dumps(scps or ['FullAWSAccess'])}",
        f"    rcps: {json.dumps(rcps or [])}",
        "    accounts:",
        f'      - "{DATA}"',
        f'      - "{APPS}"',
        "resources:",
        f"  - arn: {BUCKET}",
        "    type: AWS::S3::Bucket",
        f'    account: "{DATA}"',
        "    policy: bucket.json",
    ]
    if identity is not None:
        write(tmp_path, "app.json", identity)
        lines += ["identities:", f"  - arn: arn:aws:iam::{APPS}:role/app", "    policies: [app.json]"]
    lines.append("invariants:")
    for invariant in invariants:
        if isinstance(invariant, str):
            lines.append(f"  - {invariant}")
        else:
            lines.append(f"  - {json.dumps(invariant)}")
    path = tmp_path / "perimeter.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def prove(path: Path, max_findings: int = 20) -> Any:
    perimeter = load_perimeter(path)
    return perimeter, prove_perimeter(perimeter, max_findings=max_findings)


ORG_READ = {"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"{BUCKET}/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}
PUBLIC_READ = {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": f"{BUCKET}/public/*"}
PARTNER_WRITE = {"Sid": "PartnerWrite", "Effect": "Allow", "Principal": {"AWS": OUTSIDE},
                 "Action": "s3:PutObject", "Resource": f"{BUCKET}/inbox/*"}


def test_each_leaking_statement_is_one_finding_with_a_replayed_witness(tmp_path: Path) -> None:
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ, PUBLIC_READ, PARTNER_WRITE),
                          invariants=["only-trusted-identities"])
    _, report = prove(path)
    (result,) = report.results
    assert result.status is Status.FAIL
    sids = sorted({ref.sid for finding in result.findings for ref in finding.determining})
    assert sids == ["PartnerWrite", "PublicRead"]
    assert len(result.findings) == 2
    for finding in result.findings:
        assert finding.decision is Decision.ALLOW
        assert all(ref.line is not None and ref.source.endswith("bucket.json") for ref in finding.determining)
        assert finding.witness_request.principal.account != DATA


def test_max_findings_caps_the_enumeration(tmp_path: Path) -> None:
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ, PUBLIC_READ, PARTNER_WRITE),
                          invariants=["only-trusted-identities"])
    _, report = prove(path, max_findings=1)
    assert len(report.results[0].findings) == 1


def test_the_fixed_policy_is_proven(tmp_path: Path) -> None:
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), invariants=["only-trusted-identities"])
    _, report = prove(path)
    assert report.results[0].status is Status.PASS


def test_findings_replay_through_the_scope_policies(tmp_path: Path) -> None:
    path = perimeter_file(tmp_path, bucket=bucket_policy(PUBLIC_READ), invariants=["only-trusted-identities"])
    perimeter, report = prove(path)
    finding = report.results[0].findings[0]
    replayed = [evaluate(finding.witness_request, scope.policies).decision
                for scope in scopes(perimeter, perimeter.invariants[0])]
    assert Decision.ALLOW in replayed


def test_only_trusted_resources(tmp_path: Path) -> None:
    loose = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), identity=loose,
                          invariants=[{"id": "only-trusted-resources", "actions": ["s3:GetObject"]}])
    _, report = prove(path)
    result = report.results[0]
    assert result.status is Status.FAIL
    assert result.findings[0].witness_request.resource_account not in (DATA, APPS)
    pinned = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                                      "Condition": {"StringEquals": {"aws:ResourceOrgID": ORG}}}]}
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), identity=pinned,
                          invariants=[{"id": "only-trusted-resources", "actions": ["s3:GetObject"]}])
    _, report = prove(path)
    assert report.results[0].status is Status.PASS


NETWORK_RCP = {"Version": "2012-10-17", "Statement": [{
    "Sid": "EnforceNetworkPerimeter", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
    "Condition": {"NotIpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"},
                  "StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-0123456789abcdef0"},
                  "BoolIfExists": {"aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false"}}}]}


def test_only_expected_networks(tmp_path: Path) -> None:
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ),
                          invariants=[{"id": "only-expected-networks", "actions": ["s3:GetObject"]}])
    _, report = prove(path)
    assert report.results[0].status is Status.FAIL
    write(tmp_path, "network-rcp.json", NETWORK_RCP)
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), rcps=["network-rcp.json"],
                          invariants=[{"id": "only-expected-networks", "actions": ["s3:GetObject"],
                                       "exceptions": {"service_principals": True, "via_aws_service": True}}])
    _, report = prove(path)
    # RCPs do not bind service-linked roles (§5.4): without an exception for them
    # the network perimeter has a real gap.
    (result,) = report.results
    assert result.status is Status.FAIL
    assert all(":role/aws-service-role/" in (f.witness_request.principal.role_arn or "") for f in result.findings)
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), rcps=["network-rcp.json"],
                          invariants=[{"id": "only-expected-networks", "actions": ["s3:GetObject"],
                                       "exceptions": {"service_principals": True, "via_aws_service": True,
                                                      "principal_arns": ["arn:aws:iam::*:role/aws-service-role/*"]}}])
    _, report = prove(path)
    assert report.results[0].status is Status.PASS, report.results[0]


def test_must_keep_working_invariant_finds_a_lockout(tmp_path: Path) -> None:
    reader = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                      "Resource": f"{BUCKET}/*"}]}
    keeps = {"id": "app-reads", "principals": {"arn": f"arn:aws:iam::{APPS}:role/app"},
             "actions": ["s3:GetObject"], "resources": [f"{BUCKET}/*"],
             "context": {"aws:PrincipalOrgID": ORG, "aws:SourceIp": "203.0.113.7"}, "expect": "allow"}
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), identity=reader, invariants=[keeps])
    _, report = prove(path)
    assert report.results[0].status is Status.PASS, report.results[0]
    write(tmp_path, "deny-s3.json", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]})
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ), identity=reader, invariants=[keeps],
                          scps=["FullAWSAccess", "deny-s3.json"])
    _, report = prove(path)
    result = report.results[0]
    assert result.status is Status.FAIL
    assert result.findings[0].decision is Decision.EXPLICIT_DENY


def test_anonymous_custom_invariant(tmp_path: Path) -> None:
    invariant = {"id": "no-anonymous", "principals": "anonymous", "actions": ["s3:GetObject"]}
    path = perimeter_file(tmp_path, bucket=bucket_policy(ORG_READ, PUBLIC_READ), invariants=[invariant])
    _, report = prove(path)
    result = report.results[0]
    assert result.status is Status.FAIL
    assert result.findings[0].witness_request.principal.text == "anonymous"


def test_an_unsupported_construct_is_unknown_never_pass(tmp_path: Path) -> None:
    odd = {"Sid": "Odd", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*",
           "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "${aws:username}"}}}
    path = perimeter_file(tmp_path, bucket=bucket_policy(odd), invariants=["only-trusted-identities"])
    _, report = prove(path)
    assert report.results[0].status is Status.UNKNOWN
    assert "IgnoreCase" in (report.results[0].reason or "")


@pytest.mark.parametrize("example", ["perimeter", "perimeter-broken"])
def test_examples_prove_as_documented(example: str) -> None:
    path = Path(__file__).parent.parent / "examples" / example / "perimeter.yaml"
    _, report = prove(path, max_findings=3)
    statuses = {result.invariant_id: result.status for result in report.results}
    assert Status.UNKNOWN not in statuses.values(), report
    if example == "perimeter":
        assert set(statuses.values()) == {Status.PASS}
    else:
        assert Status.FAIL in statuses.values()


def test_a_class_naming_a_declared_identity_uses_its_own_policies(tmp_path: Path) -> None:
    # an outside acceptance test: the class also stood for the same role with any policy
    reader = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    role = f"arn:aws:iam::{APPS}:role/app"
    for principals, expected in (({"arn": role}, Status.PASS), ({"arn": f"arn:aws:iam::{APPS}:role/*"}, Status.FAIL)):
        org_write = {**ORG_READ, "Sid": "OrgWrite", "Action": "s3:PutObject"}
        path = perimeter_file(tmp_path, bucket=bucket_policy(org_write), identity=reader, invariants=[
            {"id": "cannot-write", "principals": principals, "actions": ["s3:PutObject"], "expect": "deny"}])
        _, report = prove(path)
        assert report.results[0].status is expected, report.results[0]


def test_a_witness_carries_the_invariants_context_no_policy_reads(tmp_path: Path) -> None:
    # the endpoint the invariant is about, though the bucket policy never reads it
    path = perimeter_file(tmp_path, bucket=bucket_policy(PUBLIC_READ), invariants=[
        {"id": "public-via-endpoint", "principals": "anonymous", "actions": ["s3:GetObject"],
         "context": {"aws:SourceVpce": "vpce-0123456789abcdef0"}, "expect": "deny"}])
    _, report = prove(path)
    (result,) = report.results
    assert result.status is Status.FAIL
    assert result.findings[0].witness_request.context["aws:sourcevpce"] == ("vpce-0123456789abcdef0",)


def test_an_anonymous_caller_assumes_no_role(tmp_path: Path) -> None:
    # STS takes no unsigned AssumeRole (reasoner.policy.callers); an outsider signs and gets in
    write(tmp_path, "trust.json", bucket_policy({"Effect": "Allow", "Principal": {"AWS": "*"},
                                                  "Action": "sts:AssumeRole"}))
    (tmp_path / "perimeter.yaml").write_text("\n".join([
        f"zone: {{organization_ids: [{ORG}]}}",
        f'organization: {{root: {{accounts: ["{DATA}"]}}}}',
        f'resources: [{{arn: "arn:aws:iam::{DATA}:role/open", type: "AWS::IAM::Role", account: "{DATA}", '
        'policy: trust.json}]',
        "invariants:",
        '  - {id: anonymous, principals: anonymous, actions: ["sts:AssumeRole"]}',
        '  - {id: outside, principals: outside-org, actions: ["sts:AssumeRole"]}']) + "\n")
    _, report = prove(tmp_path / "perimeter.yaml")
    assert [result.status for result in report.results] == [Status.PASS, Status.FAIL]


def _endpoints_perimeter(tmp_path: Path, endpoints: list[dict[str, Any]], bucket: dict[str, Any]) -> Path:
    write(tmp_path, "open.json", bucket_policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}))
    write(tmp_path, "tight.json", bucket_policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
                                                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}))
    write(tmp_path, "bucket.json", bucket)
    path = tmp_path / "perimeter.yaml"
    path.write_text("\n".join([
        f"zone: {{organization_ids: [{ORG}]}}",
        f'organization: {{root: {{accounts: ["{DATA}"]}}}}',
        f'resources: [{{arn: "{BUCKET}", type: "AWS::S3::Bucket", account: "{DATA}", policy: bucket.json}}]',
        f"vpc_endpoints: {json.dumps(endpoints)}",
        "invariants: [only-trusted-identities]"]) + "\n")
    return path


def _endpoint(number: int, vpc: int, policy: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"id": f"vpce-{number:017x}", "vpc": f"vpc-{vpc:08x}", "account": DATA}
    if policy is not None:
        found["policy"] = policy
    return found


def test_endpoints_sharing_a_policy_are_asked_once_with_the_answer_of_each_alone(tmp_path: Path) -> None:
    # issue #17: prove asked one query per VPC endpoint; a group of endpoints with one
    # policy is one network, its witness paired back to a real endpoint and VPC (the
    # bucket reads aws:SourceVpc, so a witness mixing one endpoint with another's VPC
    # must be asked again endpoint by endpoint)
    endpoints = [_endpoint(1, 1, "open.json"), _endpoint(2, 2, "open.json"), _endpoint(3, 3, "open.json"),
                 _endpoint(4, 1, "tight.json"), _endpoint(5, 2, "tight.json"), _endpoint(6, 4, None)]
    bucket = bucket_policy(
        {"Sid": "FromVpc1", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*",
         "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-00000001"}}},
        {"Sid": "FromEndpoint3", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"{BUCKET}/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-00000000000000003"}}})
    perimeter = load_perimeter(_endpoints_perimeter(tmp_path, endpoints, bucket))
    invariant = perimeter.invariants[0]
    assert len(scopes(perimeter, invariant)) < len(scopes(perimeter, invariant, group_endpoints=False))
    grouped = prove_perimeter(perimeter).results[0]
    alone = prove_perimeter(perimeter, group_endpoints=False).results[0]
    assert grouped.status is alone.status is Status.FAIL
    assert sorted(f.fingerprint for f in grouped.findings) == sorted(f.fingerprint for f in alone.findings)
    assert {f.condition.rsplit("via ", 1)[1] for f in grouped.findings} == {
        "VPC endpoint vpce-00000000000000001", "VPC endpoint vpce-00000000000000003"}
    for finding in grouped.findings:
        request = finding.witness_request
        endpoint = next(e for e in endpoints if (e["id"],) == request.context["aws:sourcevpce"])
        assert request.context["aws:sourcevpc"] == (endpoint["vpc"],)
        policies = next(s.policies for s in scopes(perimeter, invariant, group_endpoints=False)
                        if s.network == f"VPC endpoint {endpoint['id']}")
        assert evaluate(request, policies).decision is Decision.ALLOW


def test_endpoints_sharing_a_policy_prove_a_perimeter_as_each_alone(tmp_path: Path) -> None:
    endpoints = [_endpoint(n, n, "tight.json") for n in range(1, 5)] + [_endpoint(9, 9, None)]
    bucket = bucket_policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*",
                            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-00000000000000002"}}})
    perimeter = load_perimeter(_endpoints_perimeter(tmp_path, endpoints, bucket))
    assert prove_perimeter(perimeter).results[0].status is Status.PASS
    assert prove_perimeter(perimeter, group_endpoints=False).results[0].status is Status.PASS
