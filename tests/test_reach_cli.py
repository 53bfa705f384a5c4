"""`perimeter reach`, `who-can`, `graph` and `org-convert` through the CLI: exit codes and outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from tests.snapshot_factory import BUCKET, DEV, ORG, READ_BUCKET, doc, role, trust, write_snapshot

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "snapshot"
REACH = ["--from", "outside-org", "--to", "arn:aws:s3:::prod-data", "--action", "s3:GetObject"]
runner = CliRunner()


def test_leaky_example_finds_the_two_hop_path() -> None:
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "leaky"), *REACH, "--format", "json"])
    assert result.exit_code == 1, result.output
    answer = json.loads(result.output)
    assert answer["result"] == "FAIL" and answer["path_found"] is True and len(answer["path"]) == 2
    assert "status" not in answer  # one vocabulary: `result`, as every command's JSON
    assert all(hop["witness"]["decision"] == "Allow" for hop in answer["path"])
    assert [hop["status"] for hop in answer["path"]] == ["exists", "exists"]
    assert [hop["label"] for hop in answer["path"]] == ["can assume", "can access"]


def test_fixed_example_proves_no_path() -> None:
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "fixed"), *REACH])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASS: no path from external:outside-organization to arn:aws:s3:::prod-data")
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "fixed"), *REACH, "--format", "json"])
    answer = json.loads(result.output)
    assert answer["result"] == "PASS" and answer["path_found"] is False


def test_leaky_example_text_names_the_result_and_what_each_hop_means() -> None:
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "leaky"), *REACH])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        "FAIL: a path from external:outside-organization to arn:aws:s3:::prod-data (s3:GetObject)")
    assert "--can assume--> arn:aws:iam::333333333333:role/partner-integration" in result.output
    assert "--can access--> arn:aws:s3:::prod-data" in result.output


def test_bad_snapshot_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "iam").mkdir()
    (tmp_path / "iam" / "x.json").write_text("{")
    result = runner.invoke(app, ["reach", "--snapshot", str(tmp_path), *REACH])
    assert result.exit_code == 2
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "leaky"), "--from", "nobody",
                                 "--to", "arn:aws:s3:::prod-data", "--action", "s3:GetObject"])
    assert result.exit_code == 2


def test_who_can_lists_the_outsider() -> None:
    result = runner.invoke(app, ["who-can", "s3:GetObject", "arn:aws:s3:::prod-data", "--snapshot",
                                 str(EXAMPLES / "leaky"), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = {p["principal"]: p for p in json.loads(result.output)["principals"]}
    assert found["external:outside-organization"]["status"] == "can"


def test_graph_exports_and_html(tmp_path: Path) -> None:
    page = tmp_path / "g.html"
    for output_format in ("dot", "graphml", "mermaid", "json"):
        result = runner.invoke(app, ["graph", "--snapshot", str(EXAMPLES / "leaky"), "--format", output_format,
                                     "--html", str(page), *REACH])
        assert result.exit_code == 0, result.output
        assert "partner-integration" in result.output
    text = page.read_text()
    assert "<svg" in text and not re.findall(r"https?://(?!www\.w3\.org/)", text)
    assert len(re.findall(r'class="edge [^"]*"', text)) >= 2 and len(re.findall(r'class="edge [^"]*\bred"', text)) == 2


def test_graph_edges_are_labelled_by_meaning_never_fail(tmp_path: Path) -> None:
    outputs = {}
    for output_format in ("dot", "graphml", "mermaid", "json"):
        result = runner.invoke(app, ["graph", "--snapshot", str(EXAMPLES / "leaky"), "--format", output_format,
                                     "--with-absent", *REACH])
        assert result.exit_code == 0, result.output
        assert "FAIL" not in result.output and "PASS" not in result.output, output_format
        outputs[output_format] = result.output
    assert 'label="can assume"' in outputs["dot"] and 'label="can access"' in outputs["dot"]
    assert '-->|"can assume"|' in outputs["mermaid"]
    edges = json.loads(outputs["json"])["edges"]
    assert {edge["status"] for edge in edges} <= {"exists", "absent", "unknown"}
    assert {"exists", "absent"} <= {edge["status"] for edge in edges}
    absent = next(edge for edge in edges if edge["status"] == "absent")
    assert absent["label"].endswith("(absent)")
    assert '<data key="d1">exists</data>' in outputs["graphml"] or ">exists<" in outputs["graphml"]


def test_org_convert_missing_roots_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["org-convert", str(tmp_path)])
    assert result.exit_code == 2


# -- who-can: exit 1 when a class outside the zone of trust can, 0 when only inside principals, 3 on unknown


OUTSIDE_ACCOUNT = "444444444444"
# The probe (no MFA key) is denied; the SMT encoding gives up on a policy variable in a Bool condition.
UNDECIDABLE_TRUST = trust({"AWS": "*"}, Condition={"Bool": {"aws:MultiFactorAuthPresent": "${aws:PrincipalTag/x}"}})
GITHUB = "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com"


def who_can(folder: Path) -> tuple[int, dict[str, Any], str]:
    base = ["who-can", "s3:GetObject", BUCKET, "--snapshot", str(folder), "--budget", "5"]
    as_json = runner.invoke(app, [*base, "--format", "json"])
    as_text = runner.invoke(app, base)
    assert as_json.exit_code == as_text.exit_code, (as_json.output, as_text.output)
    return as_json.exit_code, json.loads(as_json.output), as_text.output


def by_principal(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["principal"]: entry for entry in answer["principals"]}


def test_who_can_outsider_through_a_role_is_exit_1_with_the_witness_path() -> None:
    code, answer, text = who_can(EXAMPLES / "leaky")
    assert code == 1 and answer["result"] == "FAIL"
    outsider = by_principal(answer)["external:outside-organization"]
    assert outsider["outside_zone"] and outsider["status"] == "can"
    assert [hop["to"] for hop in outsider["path"]] == ["arn:aws:iam::333333333333:role/partner-integration", BUCKET]
    assert all(hop["witness"]["decision"] == "Allow" for hop in outsider["path"])
    assert not by_principal(answer)["arn:aws:iam::222222222222:role/app"]["outside_zone"]
    assert "FAIL: 1 principal class(es) outside the zone of trust can s3:GetObject" in text
    assert "hop 2: arn:aws:iam::333333333333:role/partner-integration --can access--> arn:aws:s3:::prod-data" in text
    assert "witness (replayed: Allow)" in text


def test_who_can_only_inside_principals_is_exit_0() -> None:
    code, answer, text = who_can(EXAMPLES / "fixed")
    assert code == 0 and answer["result"] == "PASS"
    entries = by_principal(answer)
    assert entries and not any(entry["outside_zone"] for entry in entries.values())
    assert "service:ec2.amazonaws.com" in entries  # a service principal is inside the zone of trust
    assert answer["zone_of_trust"] == "the organization o-exampleorg1 (3 accounts)"
    assert "PASS: no principal outside the zone of trust can" in text


def test_who_can_anonymous_reader_is_exit_1(tmp_path: Path) -> None:
    public = doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": BUCKET + "/*"})
    write_snapshot(tmp_path, {DEV: {"roles": []}}, bucket_policy=public)
    code, answer, _ = who_can(tmp_path)
    assert code == 1
    anonymous = by_principal(answer)["external:anonymous"]
    assert anonymous["outside_zone"] and anonymous["status"] == "can" and len(anonymous["path"]) == 1
    assert anonymous["path"][0]["witness"]["request"]["principal"] == "anonymous"


def test_who_can_role_of_an_exported_account_outside_the_organization_is_exit_1(tmp_path: Path) -> None:
    reader = f"arn:aws:iam::{OUTSIDE_ACCOUNT}:role/reader"
    policy = doc({"Effect": "Allow", "Principal": {"AWS": reader}, "Action": "s3:GetObject",
                  "Resource": BUCKET + "/*"})
    write_snapshot(tmp_path, {DEV: {"roles": []}, OUTSIDE_ACCOUNT: {"roles": [
        role(OUTSIDE_ACCOUNT, "reader", trust({"Service": "ec2.amazonaws.com"}), READ_BUCKET)]}},
        bucket_policy=policy)
    code, answer, _ = who_can(tmp_path)
    assert code == 1
    entries = by_principal(answer)
    assert entries[reader]["outside_zone"] and entries[reader]["status"] == "can"
    # the outside class covers every account outside the organization, exported or not
    assert entries["external:outside-organization"]["status"] == "can"


def test_who_can_federated_identities_are_outside(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [
        role(DEV, "deploy", trust({"Federated": GITHUB}, "sts:AssumeRoleWithWebIdentity"), READ_BUCKET)]}})
    code, answer, _ = who_can(tmp_path)
    assert code == 1
    federated = by_principal(answer)[f"federated:{GITHUB}"]
    assert federated["outside_zone"] and [hop["relation"] for hop in federated["path"]] == ["can-assume",
                                                                                           "can-access"]


def test_who_can_federated_identities_neither_read_directly_nor_carry_an_organization(tmp_path: Path) -> None:
    """The bucket trusts the organization: a web identity signs no S3 request, and a trust
    policy asking for the organization's aws:PrincipalOrgID does not admit it."""
    org_only = trust("*", "sts:AssumeRoleWithWebIdentity", Condition={"StringEquals": {"aws:PrincipalOrgID": ORG}})
    write_snapshot(tmp_path, {DEV: {"roles": [
        role(DEV, "deploy", trust({"Federated": GITHUB}, "sts:AssumeRoleWithWebIdentity")),
        role(DEV, "orgonly", org_only, READ_BUCKET)]}})
    code, answer, text = who_can(tmp_path)
    assert code == 0, text
    assert f"federated:{GITHUB}" not in by_principal(answer)
    assert by_principal(answer)[f"arn:aws:iam::{DEV}:role/orgonly"]["status"] == "can"


def test_who_can_undecided_edge_is_exit_3_never_pass(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", UNDECIDABLE_TRUST, READ_BUCKET)]}})
    code, answer, text = who_can(tmp_path)
    assert code == 3 and answer["result"] == "UNKNOWN"
    entries = by_principal(answer)
    assert entries["external:outside-organization"]["status"] == "unknown"
    assert entries[f"arn:aws:iam::{DEV}:role/partner"]["status"] == "can"  # inside: no finding by itself
    assert "PASS" not in text and "UNKNOWN: an undecided edge" in text
    assert "reason: " in text  # the undecided edge says why


def test_who_can_definite_outside_finding_wins_over_an_undecided_edge(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [
        role(DEV, "partner", UNDECIDABLE_TRUST, READ_BUCKET),
        role(DEV, "deploy", trust({"Federated": GITHUB}, "sts:AssumeRoleWithWebIdentity"), READ_BUCKET)]}})
    code, answer, _ = who_can(tmp_path)
    assert code == 1 and answer["result"] == "FAIL"
    entries = by_principal(answer)
    assert entries["external:outside-organization"]["status"] == "unknown"
    assert entries[f"federated:{GITHUB}"]["status"] == "can"


def test_who_can_without_an_organization_trusts_the_snapshot_accounts(tmp_path: Path) -> None:
    policy = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"}, "Action": "s3:GetObject",
                  "Resource": BUCKET + "/*"})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "reader", trust({"Service": "ec2.amazonaws.com"}),
                                                   READ_BUCKET)]}}, bucket_policy=policy)
    (tmp_path / "organization.json").unlink()
    code, answer, _ = who_can(tmp_path)
    assert code == 0 and answer["zone_of_trust"] == f"the snapshot's accounts ({DEV})"
    assert by_principal(answer)[f"arn:aws:iam::{DEV}:role/reader"]["status"] == "can"


def test_reach_from_a_symbolic_role_class(tmp_path: Path) -> None:
    partner = "444455556666"
    deploy_only = trust({"AWS": f"arn:aws:iam::{partner}:root"},
                        Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{partner}:role/deploy-*"}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", deploy_only, READ_BUCKET)]}})
    base = ["reach", "--snapshot", str(tmp_path), "--to", BUCKET, "--action", "s3:GetObject", "--from"]
    found = runner.invoke(app, [*base, f"roles:{partner}:deploy-*"])
    assert found.exit_code == 1 and found.output.startswith(f"FAIL: a path from roles:{partner}:deploy-*"), \
        found.output
    assert runner.invoke(app, [*base, f"roles:{partner}:build-*"]).exit_code == 0
    assert runner.invoke(app, [*base, "roles:4444:deploy-*"]).exit_code == 2  # not a 12-digit account
    code, answer, _ = who_can(tmp_path)
    assert code == 1 and by_principal(answer)[f"roles:{partner}:deploy-*"]["kind"] == "roles"


@pytest.mark.parametrize("action", ["s3:GetObjekt", "", "nosuchservice:Foo", "s3:Get*Objekt"])
@pytest.mark.parametrize("command", ["reach", "who-can", "graph"])
def test_an_action_that_names_nothing_is_bad_input_not_a_proof(command: str, action: str) -> None:
    # `reach --action s3:GetObjekt` answered "NO PATH ... proven absent", exit 0
    leaky = str(EXAMPLES / "leaky")
    args = {"reach": ["reach", "--snapshot", leaky, *REACH[:-1], action],
            "who-can": ["who-can", action, "arn:aws:s3:::prod-data", "--snapshot", leaky],
            "graph": ["graph", "--snapshot", leaky, "--to", "arn:aws:s3:::prod-data", "--action", action]}[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert f'"{action}"' in line and ("names no action of the AWS catalogue" in line or "is not an action" in line)


def test_a_typo_in_an_action_gets_a_suggestion() -> None:
    result = runner.invoke(app, ["who-can", "s3:GetObjekt", "arn:aws:s3:::prod-data", "--snapshot",
                                 str(EXAMPLES / "leaky")])
    assert result.exit_code == 2
    assert "(did you mean s3:GetObject," in result.output
