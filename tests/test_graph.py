"""Reachability over constructed snapshots with known paths; edges against brute force."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reasoner.accounts.edges import FAIL, PASS, UNKNOWN
from reasoner.accounts.reach import FOUND, NO_PATH, Reachability
from reasoner.evaluation.evaluate import evaluate
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import Decision, PolicySet
from reasoner.solving.budget import DEFAULT_UNITS, Budget
from tests.snapshot_factory import (
    BUCKET,
    DEV,
    MGMT,
    ORG,
    ORG_BUCKET,
    PROD,
    READ_BUCKET,
    allow,
    doc,
    managed,
    role,
    trust,
    user,
    write_snapshot,
)

OPEN_TRUST = trust({"AWS": "*"})
PARTNER = f"arn:aws:iam::{DEV}:role/partner"


def leak(folder: Path, **options: object) -> Path:
    roles = [role(DEV, "partner", OPEN_TRUST, READ_BUCKET, **options)]  # type: ignore[arg-type]
    return write_snapshot(folder, {DEV: {"roles": roles}})


def reach(folder: Path, source: str = "outside-org", *, probe: bool = True, units: float = DEFAULT_UNITS) -> object:
    graph = Reachability(load_snapshot(folder), budget=Budget(units), use_probe=probe)
    return graph.reach(source, BUCKET, ["s3:GetObject"])


def replays(graph: Reachability, answer: object) -> None:
    for edge in answer.path:  # type: ignore[attr-defined]
        assert edge.status == FAIL and edge.witness is not None
        assert edge.witness.result.decision is Decision.ALLOW


def test_two_hop_leak_external_to_loose_role_to_org_bucket(tmp_path: Path) -> None:
    graph = Reachability(load_snapshot(leak(tmp_path)))
    answer = graph.reach("outside-org", BUCKET, ["s3:GetObject"])
    assert answer.status == FOUND
    assert [(e.source, e.target) for e in answer.path] == [("external:outside-organization", PARTNER),
                                                          (PARTNER, BUCKET)]
    second = answer.path[1].witness.request
    assert second.principal.role_arn == PARTNER
    assert second.get("aws:PrincipalOrgID") == (ORG,)  # the session carries the role's organization
    replays(graph, answer)


@pytest.mark.parametrize("probe", [True, False])
def test_fixed_trust_proves_no_path(tmp_path: Path, probe: bool) -> None:
    fixed = trust({"AWS": "*"}, Condition={"StringEquals": {"aws:PrincipalOrgID": ORG}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", fixed, READ_BUCKET)]}})
    answer = reach(tmp_path, probe=probe)
    assert answer.status == NO_PATH  # type: ignore[attr-defined]


def test_three_hop_chain_and_role_chaining(tmp_path: Path) -> None:
    roles = [role(MGMT, "entry", OPEN_TRUST, doc(allow("sts:AssumeRole"))),
             role(DEV, "middle", trust({"AWS": f"arn:aws:iam::{MGMT}:role/entry"}), doc(allow("sts:AssumeRole"))),
             role(PROD, "reader", trust({"AWS": f"arn:aws:iam::{DEV}:role/middle"}), READ_BUCKET)]
    write_snapshot(tmp_path, {MGMT: {"roles": roles[:1]}, DEV: {"roles": roles[1:2]}, PROD: {"roles": roles[2:]}})
    graph = Reachability(load_snapshot(tmp_path))
    answer = graph.reach("outside-org", BUCKET, ["s3:GetObject"])
    assert answer.status == FOUND
    assert [e.target for e in answer.path] == [f"arn:aws:iam::{MGMT}:role/entry", f"arn:aws:iam::{DEV}:role/middle",
                                               f"arn:aws:iam::{PROD}:role/reader", BUCKET]
    # each hop's caller is a session of the previous hop's role
    for before, after in itertools.pairwise(answer.path):
        assert after.witness.request.principal.role_arn == before.target
    replays(graph, answer)


def test_cut_by_scp(tmp_path: Path) -> None:
    deny = doc({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", OPEN_TRUST, READ_BUCKET)]}},
                   account_scps={DEV: [deny]})
    assert reach(tmp_path).status == NO_PATH  # type: ignore[attr-defined]


def test_cut_by_boundary(tmp_path: Path) -> None:
    boundary = f"arn:aws:iam::{DEV}:policy/only-sts"
    partner = role(DEV, "partner", OPEN_TRUST, READ_BUCKET, boundary=boundary)
    write_snapshot(tmp_path, {DEV: {"roles": [partner], "policies": [managed(DEV, "only-sts", doc(allow("sts:*")))]}})
    assert reach(tmp_path).status == NO_PATH  # type: ignore[attr-defined]


def test_cut_by_rcp(tmp_path: Path) -> None:
    rcp = doc({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
               "Condition": {"StringNotEquals": {"aws:PrincipalAccount": PROD}}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", OPEN_TRUST, READ_BUCKET)]}},
                   account_rcps={PROD: [rcp]})
    assert reach(tmp_path).status == NO_PATH  # type: ignore[attr-defined]


def test_cut_by_session_policy(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", OPEN_TRUST, READ_BUCKET)]}},
                   session_policies={PARTNER: doc(allow("sqs:*"))})
    assert reach(tmp_path).status == NO_PATH  # type: ignore[attr-defined]


def test_cycles_terminate(tmp_path: Path) -> None:
    a, b = f"arn:aws:iam::{DEV}:role/a", f"arn:aws:iam::{DEV}:role/b"
    roles = [role(DEV, "a", trust({"AWS": [b, "*"]}), doc(allow("sts:AssumeRole"))),
             role(DEV, "b", trust({"AWS": a}), doc(allow("sts:AssumeRole")), READ_BUCKET)]
    write_snapshot(tmp_path, {DEV: {"roles": roles}})
    graph = Reachability(load_snapshot(tmp_path))
    answer = graph.reach("outside-org", BUCKET, ["s3:GetObject"])
    assert answer.status == FOUND and [e.target for e in answer.path] == [a, b, BUCKET]
    assert graph.graph[b][a]["status"] == FAIL  # the cycle is in the graph


def test_undecided_edge_makes_the_answer_unknown(tmp_path: Path) -> None:
    hard = trust({"AWS": "*"}, Condition={"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*-x-*-y-*"},
                                          "StringEquals": {"sts:ExternalId": "abc"}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", hard, READ_BUCKET)]}})
    answer = reach(tmp_path, probe=False, units=0.1)
    assert answer.status in (UNKNOWN, FOUND)  # type: ignore[attr-defined]
    if answer.status == UNKNOWN:  # type: ignore[attr-defined]
        assert answer.unknown_edges  # type: ignore[attr-defined]


def test_who_can_lists_symbolic_classes_with_paths(tmp_path: Path) -> None:
    graph = Reachability(load_snapshot(leak(tmp_path)))
    entries = {e.principal: e for e in graph.who_can("s3:GetObject", BUCKET)}
    assert entries["external:outside-organization"].status == FAIL
    assert len(entries["external:outside-organization"].path) == 2
    assert "external:anonymous" not in entries  # STS takes no anonymous AssumeRole
    assert entries[PARTNER].status == FAIL and len(entries[PARTNER].path) == 1


@pytest.mark.slow
def test_edges_match_brute_force_enumeration(tmp_path: Path) -> None:
    """Every concrete caller x role, decided by the evaluator on concrete requests
    (several session names and tag values), equals the graph's SMT-only edges."""
    roles = [role(DEV, "open", OPEN_TRUST, doc(allow("sts:AssumeRole", f"arn:aws:iam::{DEV}:role/*"))),
             role(DEV, "team", trust({"AWS": f"arn:aws:iam::{DEV}:root"},
                                     Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}})),
             role(DEV, "named", trust({"AWS": f"arn:aws:iam::{DEV}:role/open"}), tags={"team": "blue"}),
             role(DEV, "svc", trust({"Service": "lambda.amazonaws.com"}), tags={"team": "blue"})]
    users = [user(DEV, "dev", doc(allow("sts:AssumeRole")))]
    write_snapshot(tmp_path, {DEV: {"roles": roles, "users": users}})
    snapshot = load_snapshot(tmp_path)
    graph = Reachability(snapshot, use_probe=False)
    graph.build()
    sources = [*snapshot.users, *snapshot.roles]
    for source, target in itertools.product(sources, snapshot.roles):
        if source.arn == target.arn:
            continue
        caller = graph.nodes.callers[source.arn]
        brute = any(evaluate(request, PolicySet(identity_policies=caller.identity_policies,
                                                resource_policy=target.trust_policy)).decision is Decision.ALLOW
                    for request in _concrete_requests(source, target.arn))
        edge = graph.graph.get_edge_data(source.arn, target.arn)
        status = edge["status"] if edge else PASS
        assert status != UNKNOWN
        assert (status == FAIL) == brute, (source.arn, target.arn)


def _concrete_requests(source: object, role_arn: str) -> list[object]:
    from reasoner.evaluation.scenario import parse_principal
    from reasoner.policy.model import Request

    arn: str = source.arn  # type: ignore[attr-defined]
    tags: dict[str, str] = dict(source.tags)  # type: ignore[attr-defined]
    texts = [arn] if ":user/" in arn else [arn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")
                                           + f"/{s}" for s in ("s1", "other")]
    requests = []
    for text in texts:
        principal = parse_principal(text)
        context = {f"aws:principaltag/{k}".lower(): (v,) for k, v in tags.items()}
        context["aws:principalorgid"] = (ORG,)
        requests.append(Request(principal, "sts:AssumeRole", role_arn, DEV, context))
    return requests


@pytest.mark.slow
def test_synthetic_account_benchmark_runs(tmp_path: Path) -> None:
    from benchmarks.synthetic_accounts import measure

    row = measure(10, jobs=1)
    assert row["roles"] == 10 and row["edges"].get("UNKNOWN", 0) == 0


PARTNER_ACCOUNT = "444455556666"
DEPLOY_ONLY = trust({"AWS": f"arn:aws:iam::{PARTNER_ACCOUNT}:root"},
                    Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{PARTNER_ACCOUNT}:role/deploy-*"}})


@pytest.mark.parametrize("probe", [True, False])
def test_symbolic_role_class_from_a_principal_arn_pattern(tmp_path: Path, probe: bool) -> None:
    """"Any role in account X whose name matches deploy-*" is a class of its own (from the
    trust policy's aws:PrincipalArn), as is the named outside account; both are outside."""
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", DEPLOY_ONLY, READ_BUCKET)]}})
    graph = Reachability(load_snapshot(tmp_path), use_probe=probe)
    entries = {e.principal: e for e in graph.who_can("s3:GetObject", BUCKET)}
    deploy = entries[f"roles:{PARTNER_ACCOUNT}:deploy-*"]
    assert deploy.status == FAIL and deploy.outside and [e.target for e in deploy.path] == [PARTNER, BUCKET]
    witness = deploy.path[0].witness
    assert witness is not None and witness.request.principal.account == PARTNER_ACCOUNT
    assert (witness.request.principal.role_arn or "").startswith(f"arn:aws:iam::{PARTNER_ACCOUNT}:role/deploy-")
    assert entries[f"account:{PARTNER_ACCOUNT}"].status == FAIL and entries[f"account:{PARTNER_ACCOUNT}"].outside
    assert entries["external:outside-organization"].status == FAIL  # the catch-all class still covers them
    replays(graph, deploy)


@pytest.mark.parametrize("probe", [True, False])
def test_symbolic_role_class_named_on_the_command_line_proves_no_path(tmp_path: Path, probe: bool) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", DEPLOY_ONLY, READ_BUCKET)]}})
    assert reach(tmp_path, f"roles:{PARTNER_ACCOUNT}:build-*", probe=probe).status == NO_PATH  # type: ignore[attr-defined]
    assert reach(tmp_path, f"roles:{PARTNER_ACCOUNT}:deploy-prod", probe=probe).status == FOUND  # type: ignore[attr-defined]
    assert reach(tmp_path, "account:555555555555", probe=probe).status == NO_PATH  # type: ignore[attr-defined]


def test_symbolic_role_class_inside_the_organization_is_cut_by_its_scp(tmp_path: Path) -> None:
    ci = trust({"AWS": f"arn:aws:iam::{PROD}:root"},
               Condition={"StringLike": {"aws:PrincipalArn": f"arn:aws:iam::{PROD}:role/ci-*"}})
    deny = doc({"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*",
                "Condition": {"StringLike": {"aws:PrincipalArn": f"arn:aws:iam::{PROD}:role/ci-*"}}})
    node = f"roles:{PROD}:ci-*"
    for folder, scps, status in ((tmp_path / "open", None, FAIL), (tmp_path / "cut", {PROD: [deny]}, PASS)):
        write_snapshot(folder, {DEV: {"roles": [role(DEV, "partner", ci)]}, PROD: {"roles": []}}, account_scps=scps)
        graph = Reachability(load_snapshot(folder))
        graph.build()
        assert not graph.nodes.outside_zone(graph.nodes.callers[node])
        assert graph.graph[node][PARTNER]["status"] == status


def test_a_service_linked_role_is_not_cut_by_an_scp(tmp_path: Path) -> None:
    """SCPs do not bind service-linked roles (§5.4); a session's ARN loses the role's
    path, so the graph builds the role's hops without SCPs and RCPs (found in review)."""
    slr = role(PROD, "AWSServiceRoleForX", trust({"Service": "elasticmapreduce.amazonaws.com"}), READ_BUCKET)
    slr["Path"] = "/aws-service-role/elasticmapreduce.amazonaws.com/"
    slr["Arn"] = f"arn:aws:iam::{PROD}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForX"
    deny_s3 = doc({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})
    folder = write_snapshot(tmp_path, {PROD: {"roles": [slr]}}, account_scps={PROD: [deny_s3]})
    answer = Reachability(load_snapshot(folder)).reach(slr["Arn"], BUCKET, ["s3:GetObject"])
    assert answer.status == FOUND


ROOTS_ONLY = {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}


@pytest.mark.parametrize("probe", [True, False])
def test_an_outside_root_user_reaches_a_bucket_that_trusts_root_users(tmp_path: Path, probe: bool) -> None:
    # The outside class includes root users: they sign requests like any IAM caller.
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                      "Resource": BUCKET + "/*", "Condition": ROOTS_ONLY}]}
    write_snapshot(tmp_path, {DEV: {"roles": []}}, bucket_policy=policy)
    answer = reach(tmp_path, probe=probe)
    assert answer.status == FOUND  # type: ignore[attr-defined]
    assert answer.path[0].witness.request.principal.arn.endswith(":root")  # type: ignore[attr-defined]


def test_a_root_user_assumes_no_role(tmp_path: Path) -> None:
    # STS: "Roles may not be assumed by root accounts"
    roots = trust({"AWS": "*"}, Condition=ROOTS_ONLY)
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", roots, READ_BUCKET)]}}, bucket_policy=ORG_BUCKET)
    assert reach(tmp_path, probe=False).status == NO_PATH  # type: ignore[attr-defined]


def test_outside_org_covers_an_exported_account_outside_the_organization(tmp_path: Path) -> None:
    # Its administrators can create any principal: exporting its IAM does not make it
    # part of the zone of trust (found by an outside acceptance test).
    partner = "444400004444"
    cross = trust({"AWS": f"arn:aws:iam::{partner}:root"})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", cross, READ_BUCKET)]}, partner: {"users": []}},
                   bucket_policy=ORG_BUCKET)
    answer = reach(tmp_path)
    assert answer.status == FOUND  # type: ignore[attr-defined]
    assert answer.path[0].witness.request.principal.account == partner  # type: ignore[attr-defined]


def test_a_session_carries_its_roles_path_in_aws_principal_arn(tmp_path: Path) -> None:
    # aws:PrincipalArn of a session is its role's ARN, path included (§6); the session
    # ARN drops the path (found by an outside acceptance test).
    vendor = f"arn:aws:iam::{DEV}:role/team/vendor"
    vendor_role = {**role(DEV, "vendor", OPEN_TRUST, READ_BUCKET), "Path": "/team/", "Arn": vendor}

    def bucket(arn: str) -> dict[str, object]:
        return doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": BUCKET + "/*",
                    "Condition": {"ArnEquals": {"aws:PrincipalArn": arn}}})

    for probe in (True, False):
        write_snapshot(tmp_path / "leak", {DEV: {"roles": [vendor_role]}}, bucket_policy=bucket(vendor))
        answer = reach(tmp_path / "leak", probe=probe)
        assert answer.status == FOUND  # type: ignore[attr-defined]
        assert answer.path[1].witness.request.get("aws:PrincipalArn") == (vendor,)  # type: ignore[attr-defined]
        write_snapshot(tmp_path / "fixed", {DEV: {"roles": [vendor_role]}},
                       bucket_policy=bucket(f"arn:aws:iam::{DEV}:role/vendor"))
        assert reach(tmp_path / "fixed", probe=probe).status == NO_PATH  # type: ignore[attr-defined]


def test_a_saml_provider_assumes_a_role_whose_trust_reads_saml_keys(tmp_path: Path) -> None:
    # SAML:aud is set by STS on AssumeRoleWithSAML from the assertion (found by an
    # outside acceptance test: the key was taken for a service's own key, never set)
    provider = f"arn:aws:iam::{DEV}:saml-provider/Okta"
    saml = trust({"Federated": provider}, action="sts:AssumeRoleWithSAML",
                 Condition={"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "sso", saml, READ_BUCKET)]}}, bucket_policy=ORG_BUCKET)
    for probe in (True, False):
        answer = reach(tmp_path, f"federated:{provider}", probe=probe)
        assert answer.status == FOUND  # type: ignore[attr-defined]


def test_an_smt_witness_carries_the_organization_no_policy_reads(tmp_path: Path) -> None:
    # what AWS would send: the session's organization, although no policy tests it
    account_bucket = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"},
                          "Action": "s3:GetObject", "Resource": BUCKET + "/*"})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", OPEN_TRUST, READ_BUCKET)]}},
                   bucket_policy=account_bucket)
    answer = reach(tmp_path, probe=False)
    assert answer.status == FOUND  # type: ignore[attr-defined]
    second = answer.path[1].witness.request  # type: ignore[attr-defined]
    assert second.get("aws:PrincipalOrgID") == (ORG,)


ORG_IDENTITIES_RCP = doc({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*",
                          "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG},
                                        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}})


def test_an_rcp_that_keeps_outsiders_from_assuming_roles_is_proven(tmp_path: Path) -> None:
    # RCPs do not bind service-linked roles, but no outsider controls one: the
    # symbolic classes exclude them (found by an outside acceptance test)
    vendor = trust({"AWS": "arn:aws:iam::999988887777:root"})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "vendor", vendor, READ_BUCKET)]}},
                   bucket_policy=ORG_BUCKET, account_rcps={DEV: [ORG_IDENTITIES_RCP]})
    for probe in (True, False):
        assert reach(tmp_path, probe=probe).status == NO_PATH  # type: ignore[attr-defined]


def test_organization_paths_start_with_the_organization(tmp_path: Path) -> None:
    ou_only = doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": BUCKET + "/*",
                   "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": f"{ORG}/*"}}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "reader", trust({"Service": "ec2.amazonaws.com"}),
                                                   READ_BUCKET)]}}, bucket_policy=ou_only)
    for probe in (True, False):
        assert reach(tmp_path, probe=probe).status == NO_PATH  # type: ignore[attr-defined]
        inside = reach(tmp_path, f"arn:aws:iam::{DEV}:role/reader", probe=probe)
        assert inside.status == FOUND  # type: ignore[attr-defined]


def test_a_federated_user_assumes_no_role(tmp_path: Path) -> None:
    # GetFederationToken credentials call no STS operation but GetCallerIdentity
    federated = trust({"AWS": "arn:aws:sts::999988887777:federated-user/bob"})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", federated, READ_BUCKET)]}},
                   bucket_policy=ORG_BUCKET)
    assert reach(tmp_path, probe=False).status == NO_PATH  # type: ignore[attr-defined]


def test_who_can_lists_service_principals_a_resource_policy_names(tmp_path: Path) -> None:
    topic = doc({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "s3:GetObject",
                 "Resource": BUCKET + "/*"})
    write_snapshot(tmp_path, {DEV: {"roles": []}}, bucket_policy=topic)
    graph = Reachability(load_snapshot(tmp_path))
    entries = {e.principal: e for e in graph.who_can("s3:GetObject", BUCKET)}
    assert entries["service:sns.amazonaws.com"].status == FAIL


def test_a_principal_of_an_exported_account_outside_the_organization_is_not_in_it(tmp_path: Path) -> None:
    partner = "700000000007"
    org_only = trust({"AWS": f"arn:aws:iam::{partner}:root"},
                     Condition={"StringEquals": {"aws:PrincipalOrgID": ORG}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "vendor", org_only, READ_BUCKET)]},
                              partner: {"users": [user(partner, "sync", doc(allow("sts:AssumeRole")))]}},
                   bucket_policy=ORG_BUCKET)
    for probe in (True, False):
        answer = reach(tmp_path, f"arn:aws:iam::{partner}:user/sync", probe=probe)
        assert answer.status == NO_PATH  # type: ignore[attr-defined]


def _bridge_to_prod_reader(folder: Path, bridge: dict[str, object], reader_trust: dict[str, object]) -> None:
    """Anyone assumes DEV's bridge; PROD's reader, trusting as given, reads the
    bucket, which grants the PROD account."""
    reader = role(PROD, "reader", reader_trust, READ_BUCKET)
    write_snapshot(folder, {DEV: {"roles": [bridge]}, PROD: {"roles": [reader]}},
                   bucket_policy=doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD}:root"},
                                      "Action": "s3:GetObject", "Resource": BUCKET + "/*"}))


def test_a_sessions_userid_starts_with_its_roles_unique_id(tmp_path: Path) -> None:
    bridge = {**role(DEV, "bridge", OPEN_TRUST, doc(allow("sts:AssumeRole"))), "RoleId": "AROA0000000000000072"}
    only_internal = trust({"AWS": f"arn:aws:iam::{DEV}:root"},
                          Condition={"StringLike": {"aws:userid": "AROA0000000000000073:*"}})
    _bridge_to_prod_reader(tmp_path, bridge, only_internal)
    for probe in (True, False):
        assert reach(tmp_path, probe=probe).status == NO_PATH  # type: ignore[attr-defined]


def test_no_source_identity_without_set_source_identity(tmp_path: Path) -> None:
    from_bridge = trust({"AWS": f"arn:aws:iam::{DEV}:role/bridge"},
                        Condition={"StringLike": {"sts:SourceIdentity": "*@example.com"}})
    _bridge_to_prod_reader(tmp_path, role(DEV, "bridge", OPEN_TRUST, doc(allow("sts:AssumeRole"))), from_bridge)
    for probe in (True, False):
        assert reach(tmp_path, probe=probe).status == NO_PATH  # type: ignore[attr-defined]


def test_a_session_name_the_trust_policy_requires_is_the_next_hops(tmp_path: Path) -> None:
    nightly = trust({"AWS": f"arn:aws:iam::{DEV}:role/bridge"},
                    Condition={"StringEquals": {"sts:RoleSessionName": "etl-nightly"}})
    bridge = role(DEV, "bridge", OPEN_TRUST, doc(allow("sts:AssumeRole")))
    reader = role(PROD, "reader", nightly, doc(allow("ec2:Describe*")))  # the bucket policy must grant
    write_snapshot(tmp_path / "named", {DEV: {"roles": [bridge]}, PROD: {"roles": [reader]}},
                   bucket_policy=doc({"Effect": "Allow", "Principal": {
                       "AWS": f"arn:aws:sts::{PROD}:assumed-role/reader/etl-nightly"},
                       "Action": "s3:GetObject", "Resource": BUCKET + "/*"}))
    write_snapshot(tmp_path / "other", {DEV: {"roles": [bridge]}, PROD: {"roles": [reader]}},
                   bucket_policy=doc({"Effect": "Allow", "Principal": {
                       "AWS": f"arn:aws:sts::{PROD}:assumed-role/reader/adhoc-export"},
                       "Action": "s3:GetObject", "Resource": BUCKET + "/*"}))
    for probe in (True, False):
        found = reach(tmp_path / "named", probe=probe)
        assert found.status == FOUND  # type: ignore[attr-defined]
        assert found.path[-1].witness.request.principal.session_name == "etl-nightly"  # type: ignore[attr-defined]
        assert reach(tmp_path / "other", probe=probe).status == NO_PATH  # type: ignore[attr-defined]


@pytest.mark.parametrize("probe", [True, False])
def test_who_can_assume_an_open_role_lists_no_anonymous_caller(tmp_path: Path, probe: bool) -> None:
    # STS takes no unsigned AssumeRole (reasoner.policy.callers): the rule of the can-assume hops
    write_snapshot(tmp_path, {PROD: {"roles": [role(PROD, "open", OPEN_TRUST)]}})
    graph = Reachability(load_snapshot(tmp_path), use_probe=probe)
    entries = {e.principal: e for e in graph.who_can("sts:AssumeRole", f"arn:aws:iam::{PROD}:role/open")}
    assert entries["external:outside-organization"].status == FAIL
    assert "external:anonymous" not in entries


PUBLIC_PREFIX = doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": BUCKET + "/public/*"})


def test_who_can_and_reach_take_the_objects_an_action_is_made_on(tmp_path: Path) -> None:
    # a user types arn:aws:s3:::prod-data/* for s3:GetObject, as the checks take it
    write_snapshot(tmp_path, {PROD: {}}, bucket_policy=PUBLIC_PREFIX)
    graph = Reachability(load_snapshot(tmp_path))
    public = {e.principal for e in graph.who_can("s3:GetObject", BUCKET + "/public/*")}
    assert {"external:outside-organization", "external:anonymous"} <= public
    assert public == {e.principal for e in graph.who_can("s3:GetObject", BUCKET)}
    private = {e.principal for e in graph.who_can("s3:GetObject", BUCKET + "/private/*")}
    assert "external:outside-organization" not in private and "external:anonymous" not in private
    answer = graph.reach("anonymous", BUCKET + "/public/report.csv", ["s3:GetObject"])
    assert answer.status == FOUND and answer.path[-1].witness.request.resource == BUCKET + "/public/report.csv"
    assert graph.reach("outside-org", BUCKET + "/private/a?c", ["s3:GetObject"]).status == NO_PATH
