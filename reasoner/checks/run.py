"""The three custom policy checks of IAM Access Analyzer, answered by SMT with a
witness: build the query, then run it (`reasoner.solving.query`).

Three-valued throughout: UNSAT is PASS, SAT is FAIL with a replayed witness, and a
used-up budget, an expired wall-clock guard, a solver `unknown` or a construct the
encoding does not support is UNKNOWN, never PASS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.acls import Acl, PublicAccessBlock
from reasoner.policy.lint import PolicyWarning
from reasoner.policy.model import Policy, PolicyType, StatementRef
from reasoner.policy.resource_types import ResourceType
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import Cached, ResultCache
from reasoner.solving.query import CheckResult, run_query
from reasoner.solving.witness import Witness


def _describe(ref: StatementRef, policy_names: dict[str, str]) -> str:
    label = f"statement {ref.statement}" + (f" ({ref.sid})" if ref.sid else "")
    return f"{label} of {policy_names.get(ref.policy, ref.policy)}"


def _request_words(witness: Witness) -> str:
    request = witness.request
    return f"{request.action} on {request.resource} by {request.principal.text}"


def _granting(witness: Witness, names: dict[str, str]) -> str:
    """The user's statements that grant (a synthetic one is an assumption, not a grant of theirs)."""
    refs = [ref for ref in witness.result.determining if not ref.synthetic]
    return ", ".join(_describe(ref, names) for ref in refs) or "the policy"


def check_no_public_access(policy: Policy, kind: ResourceType, *, budget: Budget = DEFAULT_BUDGET,
                           max_ipv4_prefix_width: int = 8, max_ipv6_prefix_width: int = 32,
                           cache: ResultCache | None = None) -> CheckResult:
    from reasoner.encodings.options import DEFAULT
    from reasoner.encodings.queries import PublicOptions, no_public_access, public_replays

    # a /0 range is every address: a width below 1 would make 0.0.0.0/0 "identify" its callers
    for option, width, bits in (("--max-ipv4-prefix-width", max_ipv4_prefix_width, 32),
                                ("--max-ipv6-prefix-width", max_ipv6_prefix_width, 128)):
        if not 1 <= width <= bits:
            raise InputError(option, "", f"must be from 1 to {bits}, not {width}")
    check_names_the_type(policy, kind)
    options = PublicOptions(max_ipv4_prefix_width, max_ipv6_prefix_width)
    cached = None if cache is None else Cached(cache, (policy, kind, options, DEFAULT), public_replays(policy))
    return run_query(lambda: no_public_access(policy, kind, options), budget, public_explain, "no-public-access",
                     cached)


def check_names_the_type(policy: Policy, kind: ResourceType) -> None:
    """A policy with Allow statements none of which can name a resource of the checked
    type grants nothing on it: a PASS would be about nothing. That is bad input naming
    the statement and the type's ARN formats (seen: a DynamoDB table policy on
    `arn:aws:dynamodb:us-east-1:1234567890:table/t`, an account of 10 digits, which
    DynamoDB refuses and which names no table)."""
    from reasoner.policy.model import Effect
    from reasoner.policy.resource_fit import statements_naming_nothing, template_globs

    allows = [s for s in policy.statements if s.effect is Effect.ALLOW]
    if not allows or policy.policy_type is not PolicyType.RESOURCE:
        return
    misfits = statements_naming_nothing(policy, template_globs(kind.arn_templates), allows_only=True)
    if len(misfits) == len(allows):
        first = misfits[0]
        named = ", ".join(f'"{entry}"' for entry in first.entries)
        accounts = {entry.split(":")[4] for entry in first.entries if entry.count(":") >= 5}
        odd = sorted(a for a in accounts if a.isdigit() and len(a) != 12)
        hint = f" ({', '.join(odd)}: an account id has 12 digits)" if odd else ""
        raise InputError(policy.source, f"Statement[{first.statement.index}].Resource", (
            f"{named} names no {kind.name} ({', '.join(kind.arn_templates)}), nor does any other Allow "
            f"statement: the policy grants nothing on the checked resource type{hint}"))


def type_misfit_warnings(policy: Policy, kind: ResourceType) -> list[PolicyWarning]:
    """Allow statements that name no resource of the checked type, when others do: they
    never apply to it."""
    from reasoner.policy.resource_fit import statements_naming_nothing, template_globs

    if policy.policy_type is not PolicyType.RESOURCE:
        return []
    return [PolicyWarning(policy.source, f"Statement[{misfit.statement.index}].Resource",
                          f"{', '.join(misfit.entries)} names no {kind.name} ({', '.join(kind.arn_templates)}): "
                          "the statement never applies to the checked resource", misfit.statement.line)
            for misfit in statements_naming_nothing(policy, template_globs(kind.arn_templates), allows_only=True)]


def public_explain(witness: Witness) -> list[str]:
    """Why a no-public-access witness breaks the check, for people."""
    names = {"resource_policy": "the resource policy"}
    return [f"{_granting(witness, names)} allows {_request_words(witness)}, a caller that no account, "
            "organization, principal, endpoint, VPC or network range in the policy identifies"]


def check_no_new_access(existing: Policy, new: Policy, policy_type: PolicyType, *,
                        budget: Budget = DEFAULT_BUDGET, cache: ResultCache | None = None) -> CheckResult:
    from reasoner.encodings.options import DEFAULT
    from reasoner.encodings.queries import new_access_replays, no_new_access

    cached = None if cache is None else Cached(cache, (existing, new, policy_type, DEFAULT),
                                               new_access_replays(existing, new, policy_type))
    return run_query(lambda: no_new_access(existing, new, policy_type), budget, new_access_explain(policy_type),
                     "no-new-access", cached)


def new_access_explain(policy_type: PolicyType,
                       existing: str = "the existing policy") -> Callable[[Witness], list[str]]:
    """Why a no-new-access witness breaks the check, for people (`existing` names the
    policy compared with)."""
    names = {"identity_policies[0]": "the new policy", "resource_policy": "the new policy"}

    def explain(witness: Witness) -> list[str]:
        return [f"{_granting(witness, names)} allows {_request_words(witness)}, which {existing} does not allow"]

    return explain


def check_access_not_granted(policy: Policy, actions: Sequence[str], resources: Sequence[str],
                             policy_type: PolicyType, *, budget: Budget = DEFAULT_BUDGET,
                             cache: ResultCache | None = None) -> CheckResult:
    from reasoner.encodings.options import DEFAULT
    from reasoner.encodings.queries import access_not_granted, access_replays

    check_access_arguments(actions, resources)
    cached = None if cache is None else Cached(cache, (policy, tuple(actions), tuple(resources), policy_type, DEFAULT),
                                               access_replays(policy, policy_type))
    return run_query(lambda: access_not_granted(policy, actions, resources, policy_type), budget,
                     access_explain(policy_type), "access-not-granted", cached)


def access_explain(policy_type: PolicyType) -> Callable[[Witness], list[str]]:
    """Why an access-not-granted witness breaks the check, for people."""
    names = {"identity_policies[0]": "the policy", "resource_policy": "the policy"}

    def explain(witness: Witness) -> list[str]:
        return [f"{_granting(witness, names)} allows {_request_words(witness)}, one of the actions that must "
                "not be granted"]

    return explain


def check_access_arguments(actions: Sequence[str], resources: Sequence[str]) -> None:
    """Each action names a catalogued action and each resource is `*` or an ARN
    pattern: a typo would otherwise be a PASS about nothing."""
    from reasoner.policy.catalogue import check_actions
    from reasoner.policy.matching import is_resource_pattern

    check_actions(actions, "--action")
    for resource in resources:
        if not is_resource_pattern(resource):
            raise InputError("--resource", "", f'"{resource}" is not "*" or an ARN pattern (arn:partition:service:'
                                               'region:account:resource)')


def load_bucket_facts(kind: ResourceType, acl: Path | None,
                      block: Path | None) -> tuple[Acl | None, PublicAccessBlock | None]:
    """`--acl` and `--public-access-block` of no-public-access, read and checked
    against the resource type: an ACL belongs to a bucket, Block Public Access to a
    bucket or an access point."""
    from reasoner.policy.acls import parse_acl, parse_public_access_block
    from reasoner.policy.parse import load_data_file

    if acl is not None and kind.name != "AWS::S3::Bucket":
        raise InputError("--acl", "", f"an ACL belongs to an AWS::S3::Bucket, not to an {kind.name}")
    if block is not None and kind.name not in ("AWS::S3::Bucket", "AWS::S3::AccessPoint"):
        raise InputError("--public-access-block", "",
                         f"Block Public Access applies to AWS::S3::Bucket and AWS::S3::AccessPoint, not {kind.name}")
    return (None if acl is None else parse_acl(load_data_file(acl), str(acl)),
            None if block is None else parse_public_access_block(load_data_file(block), str(block)))


def load_check_policy(path: Path, policy_type: str | None, *, default: PolicyType | None = None,
                      resource_type: str | None = None) -> Policy:
    """A policy file for a check. `policy_type` is "identity" or "resource"; when
    absent, a policy whose statements name a Principal is resource-based. A
    resource-based policy whose actions are all `sts:` is read as a role trust
    policy (it has no Resource element). A policy over AWS's size quota of its type
    (`resource_type`'s, when given) is bad input."""
    from reasoner.policy.parse import load_data_file, load_policy_file
    from reasoner.policy.quotas import resource_quota

    source = str(path)
    document = load_data_file(path, source)
    if policy_type is not None:
        chosen = PolicyType.IDENTITY if policy_type == "identity" else PolicyType.RESOURCE
    elif default is not None:
        chosen = default
    else:
        chosen = PolicyType.RESOURCE if _names_principal(document) else PolicyType.IDENTITY
    if chosen is PolicyType.RESOURCE and _only_sts(document):
        chosen = PolicyType.TRUST
    quota = resource_quota(resource_type) if resource_type is not None and chosen is not PolicyType.IDENTITY else None
    return load_policy_file(path, chosen, source=source, quota=quota)


def _statements(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        return []
    found: Any = next((value for key, value in document.items() if str(key).lower() == "statement"), [])
    return found if isinstance(found, list) else [found]


def _names_principal(document: Any) -> bool:
    return any(isinstance(s, dict) and any(str(k).lower() in ("principal", "notprincipal") for k in s)
               for s in _statements(document))


def _only_sts(document: Any) -> bool:
    actions: list[str] = []
    for statement in _statements(document):
        if not isinstance(statement, dict):
            return False
        value = next((v for k, v in statement.items() if str(k).lower() == "action"), None)
        if value is None:
            return False
        actions.extend(value if isinstance(value, list) else [value])
    return bool(actions) and all(isinstance(a, str) and a.lower().startswith("sts:") for a in actions)


def result_text(result: CheckResult, *, colour: bool) -> str:
    """A check result for people."""
    import json

    styles = {"PASS": "\033[32m", "FAIL": "\033[31m", "UNKNOWN": "\033[33m"}
    head = f"{result.result}: {result.check}"
    if colour:
        head = f"{styles[result.result]}{head}\033[0m"
    lines = [head]
    if result.unknown_reason:
        lines.append(f"  reason: {result.unknown_reason}")
    for reason in result.reasons:
        lines.append(f"  {reason}")
    if result.decided_by:
        lines.append(f"  decided by: {', '.join(result.decided_by)}")
    if result.witness is not None:
        lines.append("  witness request (replayed through the reference evaluator: "
                     f"{result.witness.result.decision.value}):")
        lines.extend("    " + line for line in json.dumps(result.witness.request_json(), indent=2).splitlines())
        lines += [f"  {ref.text()}" for ref in result.witness.result.determining]
    return "\n".join(lines)


EXIT_CODES = {"PASS": 0, "FAIL": 1, "UNKNOWN": 3}
