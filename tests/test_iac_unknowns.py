"""Unknown values of infrastructure code in all three treatments: a finite case
split, a symbol the proof covers for every value (with a witness naming the value
it chose, replayed by the evaluator), and UNKNOWN naming the resource, the
attribute and the unknown."""

from __future__ import annotations

from typing import Any

import pytest

from reasoner.checks.unknowns import run_with_symbols, with_symbols
from reasoner.encodings.queries import access_not_granted, no_new_access, no_public_access
from reasoner.inputs.iac.model import IacPolicy, PolicyKind, Provenance
from reasoner.inputs.iac.symbolic import Lowered, lower
from reasoner.inputs.iac.values import Domain, Template, Unknown
from reasoner.policy.model import PolicyType
from reasoner.policy.resource_types import resource_type
from reasoner.solving.budget import Budget
from reasoner.solving.query import run_query

ACCOUNT = Unknown("AWS::AccountId", Domain.ACCOUNT, "the stack's account")
BUCKET = Unknown("Data.Name", Domain.NAME, "a generated name")
STAGE = Unknown("Stage", Domain.TEXT, "a parameter", excluded=("live",))
REGION = Unknown("AWS::Region", Domain.REGION, "the stack's region")
ENV = Unknown("Env", Domain.TEXT, "a parameter", choices=("dev", "prod"))


def _iac(document: dict[str, Any], kind: PolicyKind = PolicyKind.RESOURCE) -> IacPolicy:
    provenance = Provenance("template.yaml", "Data", "Properties.PolicyDocument",
                            "Resources.Data.Properties.PolicyDocument", "template.yaml", 12)
    return IacPolicy(kind, provenance, document, statement_lines=(("Statement[0]", 14),))


def _statement(**elements: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **elements}]}


def _one(iac: IacPolicy) -> Lowered:
    [lowered] = lower(iac)
    return lowered


# ---------------------------------------------------------------------------
# Lowering


def test_unknowns_in_condition_values_and_resource_parts_become_symbols() -> None:
    iac = _iac(_statement(Principal="*", Action="s3:GetObject", Resource=Template.of("arn:aws:s3:::", BUCKET, "/*"),
                          Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}}))
    lowered = _one(iac)
    assert lowered.unknown is None and lowered.policy is not None
    [statement] = lowered.policy.statements
    assert statement.resources == ("arn:aws:s3:::${iac.Data.Name}/*",)
    assert statement.conditions[0].values == ("${iac.AWS__AccountId}",)
    assert statement.line == 14 and lowered.policy.source == "template.yaml"
    assert {symbol.unknown.label for symbol in lowered.symbols} == {"Data.Name", "AWS::AccountId"}


def test_a_policy_without_version_gets_one_and_its_literal_variables_stay_literal() -> None:
    document = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                               "Resource": Template.of("arn:aws:s3:::", BUCKET, "/${aws:username}")}]}
    lowered = _one(_iac(document))
    assert lowered.policy is not None and lowered.policy.version == "2012-10-17"
    # under no Version the `${aws:username}` was text: escaped so that it stays text
    assert lowered.policy.statements[0].resources == ("arn:aws:s3:::${iac.Data.Name}/${$}{aws:username}",)


def test_finite_unknowns_are_one_case_per_value() -> None:
    iac = _iac(_statement(Principal="*", Action="s3:GetObject", Resource=Template.of("arn:aws:s3:::data-", ENV, "/*")))
    cases = lower(iac)
    assert [case.case for case in cases] == [(("Env", "dev"),), (("Env", "prod"),)]
    assert [case.policy.statements[0].resources for case in cases if case.policy] == [
        ("arn:aws:s3:::data-dev/*",), ("arn:aws:s3:::data-prod/*",)]


@pytest.mark.parametrize(("elements", "place"), [
    ({"Principal": {"AWS": Template.of("arn:aws:iam::111122223333:role/", BUCKET)}, "Action": "s3:*",
      "Resource": "*"}, "Statement[0].Principal.AWS holds arn:aws:iam::111122223333:role/${Data.Name} (in a "
     "Principal, where only an unknown account can be kept symbolic"),
    ({"Principal": {"AWS": Template.of("arn:aws:iam::", STAGE, ":root")}, "Action": "s3:*", "Resource": "*"},
     "(in a Principal, where only an unknown account can be kept symbolic (${Stage} is a text)"),
    ({"Principal": {"Service": Template.of("lambda.", STAGE)}, "Action": "s3:*", "Resource": "*"},
     "Statement[0].Principal.Service holds lambda.${Stage} (in a Principal, where AWS allows no policy variable"),
    ({"Effect": "Deny", "NotPrincipal": {"AWS": Template.of("arn:aws:iam::", ACCOUNT, ":root")}, "Action": "s3:*",
      "Resource": "*"}, "Statement[0].NotPrincipal.AWS holds arn:aws:iam::${AWS::AccountId}:root (in a Principal"),
    ({"Principal": "*", "Action": "sqs:*", "Resource": Template.of("arn:aws:sqs:", REGION, ":111122223333:q")},
     "Statement[0].Resource holds arn:aws:sqs:${AWS::Region}:111122223333:q (in the partition, service, region or "
     "account"),
    ({"Principal": "*", "Action": Template.of("s3:", BUCKET), "Resource": "*"}, "Statement[0].Action holds"),
    ({"Principal": "*", "Action": "s3:*", "Resource": "*",
      "Condition": {"StringEqualsIgnoreCase": {"aws:SourceAccount": ACCOUNT}}}, "compares ignoring case"),
    ({"Principal": "*", "Action": "s3:*", "Resource": "*",
      "Condition": {"NumericLessThan": {"s3:max-keys": ACCOUNT}}}, "in a value of NumericLessThan"),
])
def test_unknowns_elsewhere_make_the_policy_unknown(elements: dict[str, Any], place: str) -> None:
    lowered = _one(_iac(_statement(**elements)))
    assert lowered.policy is None and lowered.unknown is not None
    assert lowered.unknown.startswith("Data.Properties.PolicyDocument: ") and place in lowered.unknown
    assert "is not given (give it with --parameter" in lowered.unknown


def test_an_unknown_policy_stays_unknown() -> None:
    iac = IacPolicy(PolicyKind.RESOURCE, Provenance("plan.json", "aws_sqs_queue_policy.q", "policy", "x"),
                    unknown="aws_sqs_queue_policy.q.policy is known only after apply")
    [lowered] = lower(iac)
    assert lowered.policy is None and lowered.unknown == "aws_sqs_queue_policy.q.policy is known only after apply"


# ---------------------------------------------------------------------------
# Symbols in proofs: every value covered, witnesses name theirs


def _run(build: Any, check: str) -> Any:
    return run_query(build, Budget(), lambda witness: [], check)


def _symbols(*lowered: Lowered) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in lowered:
        found.update(item.symbolic().symbols)
    return found


def chosen_values(context: dict[str, Any], lowered: list[Lowered]) -> dict[str, str]:
    """The witness's value of each symbol, by the unknown's label."""
    found: dict[str, str] = {}
    for item in lowered:
        found.update(item.labels({key: value for key, value in context.items() if isinstance(value, str)}))
    return found


def test_a_symbolic_resource_is_found_with_the_value_the_witness_chose() -> None:
    lowered = _one(_iac(_statement(Action="s3:GetObject", Resource=Template.of("arn:aws:s3:::", BUCKET, "/*")),
                        PolicyKind.INLINE))
    assert lowered.policy is not None
    query = with_symbols(access_not_granted(lowered.policy, ["s3:GetObject"], [], PolicyType.IDENTITY),
                         _symbols(lowered))
    result = _run(lambda: query, "access-not-granted")
    assert result.result == "FAIL"
    request = result.witness.request_json()
    chosen = chosen_values(request["context"], [lowered])
    name = chosen["Data.Name"]
    assert name and "/" not in name and ":" not in name  # a value of the NAME domain
    assert request["resource"].startswith(f"arn:aws:s3:::{name}/")


def test_a_symbolic_account_takes_twelve_digits_and_excluded_values_are_never_chosen() -> None:
    document = _statement(Action="s3:GetObject", Resource="*",
                          Condition={"StringEquals": {"aws:PrincipalTag/stage": STAGE,
                                                      "aws:ResourceAccount": ACCOUNT}})
    lowered = _one(_iac(document, PolicyKind.INLINE))
    assert lowered.policy is not None
    query = with_symbols(access_not_granted(lowered.policy, ["s3:GetObject"], [], PolicyType.IDENTITY),
                         _symbols(lowered))
    result = _run(lambda: query, "access-not-granted")
    assert result.result == "FAIL"
    chosen = chosen_values(result.witness.request_json()["context"], [lowered])
    assert chosen["AWS::AccountId"].isdigit() and len(chosen["AWS::AccountId"]) == 12
    assert chosen["Stage"] != "live"


def test_without_domain_facts_an_unknown_could_be_missing_so_they_are_needed() -> None:
    """Only a present key resolves the variable; the facts make every request carry it."""
    document = _statement(Action="s3:GetObject", Resource="*",
                          Condition={"StringNotEquals": {"aws:PrincipalTag/team": Unknown("Team", Domain.TEXT)}})
    lowered = _one(_iac(document, PolicyKind.INLINE))
    assert lowered.policy is not None
    query = with_symbols(access_not_granted(lowered.policy, ["s3:GetObject"], [], PolicyType.IDENTITY),
                         _symbols(lowered))
    result = _run(lambda: query, "access-not-granted")
    assert result.result == "FAIL"
    context = result.witness.request_json()["context"]
    assert chosen_values(context, [lowered])["Team"] != context.get("aws:PrincipalTag/team")


def test_a_grant_pinned_to_the_unknown_account_is_not_public_and_a_free_one_is() -> None:
    pinned = _one(_iac(_statement(Principal="*", Action="s3:GetObject", Resource="*",
                                  Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})))
    assert pinned.policy is not None
    bucket = resource_type("AWS::S3::Bucket")
    query = with_symbols(no_public_access(pinned.policy, bucket), _symbols(pinned), outsider=True)
    assert _run(lambda: query, "no-public-access").result == "PASS"
    free = _one(_iac(_statement(Principal="*", Action="s3:GetObject", Resource=Template.of("arn:aws:s3:::", BUCKET,
                                                                                           "/*"))))
    result, chosen = run_with_symbols(lambda policies: no_public_access(policies[0], bucket), [free.symbolic()],
                                      Budget(), lambda witness: [], "no-public-access", outsider=True)
    assert result.result == "FAIL" and free.labels(chosen) == {"Data.Name": "example"}
    assert result.witness.request_json()["resource"].startswith("arn:aws:s3:::example/")


def test_old_and_new_policy_share_one_value() -> None:
    """The same unknown in the policy before and after a change is one value."""
    def bucket_policy(*actions: str) -> Lowered:
        return _one(_iac(_statement(Principal={"AWS": "111122223333"}, Action=list(actions),
                                    Resource=Template.of("arn:aws:s3:::", BUCKET, "/*"))))

    old, same, wider = bucket_policy("s3:GetObject"), bucket_policy("s3:GetObject"), bucket_policy(
        "s3:GetObject", "s3:PutObject")
    unchanged, _ = run_with_symbols(lambda policies: no_new_access(*policies, PolicyType.RESOURCE),
                                    [old.symbolic(), same.symbolic()], Budget(), lambda witness: [], "no-new-access")
    assert unchanged.result == "PASS"
    found, chosen = run_with_symbols(lambda policies: no_new_access(*policies, PolicyType.RESOURCE),
                                     [old.symbolic(), wider.symbolic()], Budget(), lambda witness: [], "no-new-access")
    assert found.result == "FAIL" and wider.labels(chosen) == {"Data.Name": "example"}
    request = found.witness.request_json()
    assert request["action"] == "s3:PutObject" and request["resource"].startswith("arn:aws:s3:::example/")


def test_an_unknown_provider_account_in_a_plan_says_to_give_it_with_account() -> None:
    account = Unknown("account", Domain.ACCOUNT, "the provider's account")
    iac = IacPolicy(PolicyKind.RESOURCE, Provenance("plan.json", "aws_sqs_queue_policy.q", "policy",
                                                    "resource_changes[0].change.after.policy"),
                    _statement(Principal={"AWS": "111122223333"}, Action="sqs:SendMessage",
                               Resource=Template.of("arn:aws:sqs:us-east-1:", account, ":q")))
    [lowered] = lower(iac)
    assert lowered.unknown is not None and "give it with --account ID" in lowered.unknown


# ---------------------------------------------------------------------------
# An unknown account in a Principal: one fixed account, whichever it is


ROOT = Template.of("arn:", Unknown("AWS::Partition", Domain.PARTITION, "the stack's partition",
                                   choices=("aws", "aws-cn")), ":iam::", ACCOUNT, ":root")


@pytest.mark.parametrize("entry", [ACCOUNT, ROOT, Template.of("arn:aws:iam::", ACCOUNT, ":role/deploy"),
                                   Template.of("arn:aws:sts::", ACCOUNT, ":assumed-role/deploy/ci")])
def test_an_unknown_account_in_a_principal_is_a_symbol(entry: Any) -> None:
    lowered = lower(_iac(_statement(Principal={"AWS": entry}, Action="s3:GetObject", Resource="*")))
    assert lowered and all(item.policy is not None for item in lowered)
    for item in lowered:
        assert item.policy is not None
        [aws] = item.policy.statements[0].principal.aws  # type: ignore[union-attr]
        assert "${iac.AWS__AccountId}" in aws and [s.unknown.label for s in item.symbols] == ["AWS::AccountId"]
        assert "${" not in item.instantiate({"iac.AWS__AccountId": "444455556666"}).statements[0].principal.aws[0]  # type: ignore[union-attr]


def _check(lowered: list[Lowered], make_query: Any, check: str, *, outsider: bool = False) -> Any:
    return run_with_symbols(make_query, [item.symbolic() for item in lowered], Budget(), lambda witness: [], check,
                            outsider=outsider)


def test_a_grant_to_the_unknown_account_is_found_at_a_value_the_samples_miss() -> None:
    """The samples are denied, so the witness comes from the query over every value;
    it is replayed with the symbol at the value the solver chose."""
    samples = ["123456789012", "210987654321", "999988887777"]
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": samples}}}]}
    [lowered, _] = lower(_iac(document))
    result, chosen = _check([lowered], lambda ps: access_not_granted(ps[0], ["s3:GetObject"], [], PolicyType.RESOURCE),
                            "access-not-granted")
    assert result.result == "FAIL"
    account = lowered.labels(chosen)["AWS::AccountId"]
    assert account not in samples and len(account) == 12 and account.isdigit()
    request = result.witness.request_json()
    assert request["principal"].split(":")[4] == account and request["action"] == "s3:GetObject"


def test_a_proof_over_a_principal_symbol_covers_every_value() -> None:
    """Allowed to the stack's account, denied to the stack's account: nothing is
    granted, whichever account it is (PASS only from the query over every value)."""
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}}]}
    lowered = lower(_iac(document))
    result, _ = _check(lowered, lambda ps: access_not_granted(ps[0], ["s3:GetObject"], [], PolicyType.RESOURCE),
                       "access-not-granted")
    assert result.result == "PASS"
    only_samples = {**document, "Statement": [document["Statement"][0], {
        **document["Statement"][1], "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}]}
    result, _ = _check(lower(_iac(only_samples)),
                       lambda ps: access_not_granted(ps[0], ["s3:GetObject"], [], PolicyType.RESOURCE),
                       "access-not-granted")
    assert result.result == "FAIL"


def test_a_grant_to_the_unknown_account_is_not_public() -> None:
    bucket = resource_type("AWS::S3::Bucket")
    for entry in (ACCOUNT, Template.of("arn:aws:iam::", ACCOUNT, ":role/reader")):
        lowered = lower(_iac(_statement(Principal={"AWS": entry}, Action="s3:GetObject", Resource="*")))
        result, _ = _check(lowered, lambda ps: no_public_access(ps[0], bucket), "no-public-access", outsider=True)
        assert result.result == "PASS"


def test_a_principal_changed_to_the_unknown_account_is_new_access_unless_it_is_that_account() -> None:
    def policy(entry: Any) -> Lowered:
        return _one(_iac(_statement(Principal={"AWS": entry}, Action="s3:GetObject", Resource="*")))

    same, _ = _check([policy(ACCOUNT), policy(Template.of("arn:aws:iam::", ACCOUNT, ":root"))],
                     lambda ps: no_new_access(*ps, PolicyType.RESOURCE), "no-new-access")
    assert same.result == "PASS"
    new = policy(ACCOUNT)
    found, chosen = _check([policy("111122223333"), new], lambda ps: no_new_access(*ps, PolicyType.RESOURCE),
                           "no-new-access")
    assert found.result == "FAIL"
    account = new.labels(chosen)["AWS::AccountId"]
    assert account != "111122223333" and found.witness.request_json()["principal"].split(":")[4] == account


def test_a_witness_of_the_query_over_every_value_is_kept_in_the_cache_and_replayed(tmp_path: Any) -> None:
    """The stored request holds the value the solver chose; on a hit it is replayed
    through the policy written out at that value, as a fresh witness is."""
    from reasoner.checks.unknowns import CacheUse
    from reasoner.encodings.queries import access_replays
    from reasoner.solving.cache import ResultCache

    samples = ["123456789012", "210987654321", "999988887777"]
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": samples}}}]}
    lowered = _one(_iac(document))
    store = ResultCache(tmp_path)
    cache = CacheUse(store, ("test",), lambda ps: access_replays(ps[0], PolicyType.RESOURCE))
    answers = [run_with_symbols(lambda ps: access_not_granted(ps[0], ["s3:GetObject"], [], PolicyType.RESOURCE),
                                [lowered.symbolic()], Budget(), lambda witness: [], "access-not-granted",
                                cache=cache) for _ in range(2)]
    (first, chosen), (second, again) = answers
    assert first.result == second.result == "FAIL" and not first.reused and second.reused
    assert chosen == again and chosen["iac.AWS__AccountId"] not in samples
    assert second.witness.request_json() == first.witness.request_json()
