"""Each property as assertions that are unsatisfiable iff it holds (style.md §4).

A query is a pure function of the policies: it builds a symbolic request over them,
the well-formedness facts every real request satisfies, and the negation of the
property. Running a solver is `solve.py`'s job; turning a model into a replayed
witness is `witness.py`'s.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import z3

from reasoner.encodings import ips
from reasoner.encodings.chain import encode_chain
from reasoner.encodings.conditions import bool_match
from reasoner.encodings.memo import remembered
from reasoner.encodings.options import DEFAULT as DEFAULT_ENCODING
from reasoner.encodings.options import EncodingOptions
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.statements import actions_match, resource_applies
from reasoner.encodings.strings import MAX_CHAR, Case, any_char, any_string, literal_regex, string_val
from reasoner.encodings.terms import all_of, and_, any_of, implies, not_, or_
from reasoner.encodings.wellformed import (
    PARTITIONS,
    aws_context,
    principal_shape,
    s3_resource_levels,
    typing_fact,
    typing_groups,
    whole_arn,
)
from reasoner.evaluation.action_types import resource_fits_action
from reasoner.evaluation.evaluate import resource_pattern_tokens
from reasoner.policy.action_resources import (
    ResourceRule,
    TypeShape,
    catalogue_arn_templates,
    named_types,
    resource_rule,
)
from reasoner.policy.matching import action_matches, glob_match, resource_tokens_match
from reasoner.policy.model import (
    Decision,
    Effect,
    OperatorFamily,
    Policy,
    PolicySet,
    PolicyType,
    PrincipalKind,
    Request,
    Statement,
)
from reasoner.policy.principals import parse_iam_arn
from reasoner.policy.resource_types import ResourceType, actions_of

ALLOW_ALL = Policy(PolicyType.IDENTITY, (Statement(0, Effect.ALLOW, sid="OutsideAccountAllowsItself",
                                                   actions=("*",), resources=("*",)),),
                   version="2012-10-17", source="<the caller's own account, which allows it everything>",
                   synthetic=True)


@dataclass(frozen=True)
class Replay:
    """A policy set and the decisions the witness must get from the evaluator."""

    policies: PolicySet
    decisions: frozenset[Decision]


@dataclass(frozen=True)
class Query:
    name: str
    sym: SymbolicRequest
    assertions: tuple[z3.BoolRef, ...]  # satisfiable iff the property fails
    replays: tuple[Replay, ...]
    policies: tuple[Policy, ...]
    preferences: tuple[z3.BoolRef, ...] = field(default=())
    resource_types: tuple[TypeShape, ...] = ()  # the types a witness's resource should be of, when known
    resource_hints: tuple[str, ...] = ()  # Resource patterns a witness's resource should match, when known
    owner: str | None = None  # the account a witness's resource is in, when the question fixes it
    # What the witness must be besides its decisions, checked in Python after the
    # replay: (description, predicate) pairs; the query states them for the solver.
    membership: tuple[tuple[str, Callable[[Request], bool]], ...] = ()
    refinement: Refinement | None = None  # facts stated when a witness breaks them
    # The policy sets a decoded witness replays through, when they depend on it: the
    # policies with unknowns of infrastructure code at the values the witness chose
    # (`checks.unknowns.with_symbols`); None: `replays`.
    replays_for: Callable[[Request], tuple[Replay, ...]] | None = None
    # the whole query's first try is z3's SMT core alone (solving.query): twice as fast on
    # public-access checks, a third slower on the edges of `reach` and neutral on comparisons
    plain_first: bool = False

    def replays_of(self, request: Request) -> tuple[Replay, ...]:
        return self.replays if self.replays_for is None else self.replays_for(request)


def _other_account(request: Request) -> bool:
    """The caller has no account, or one other than the resource's owner."""
    owner = request.resource_account
    return owner is not None and (request.principal.account is None or request.principal.account != owner)


@dataclass(frozen=True)
class Refinement:
    """Facts of a query stated only when a witness breaks them: the resource types
    of many actions (an `Action: "*"` grant) make a large formula that slows every
    solve, while most witnesses break none of them. `solving.query` adds the facts
    a witness breaks and solves again (an answer is then the same as with all of
    them: UNSAT with some is UNSAT with all, and a witness that breaks none holds
    with all); after a few rounds it adds `everything`."""

    sym: SymbolicRequest
    groups: tuple[tuple[ResourceRule, tuple[str, ...]], ...]

    def for_request(self, request: Request) -> list[z3.BoolRef]:
        """The facts of the request's action (of its own rule when no group holds it:
        an action granted by no Allow, as a root user's in its own account)."""
        action = request.action.lower()
        found = [typing_fact(self.sym, rule, names) for rule, names in self.groups if action in names]
        rule = resource_rule(action)
        if not found and rule is not None and self.sym.actions.index_of(action) is not None:
            found.append(typing_fact(self.sym, rule, (action,)))
        return found

    def everything(self) -> list[z3.BoolRef]:
        return [typing_fact(self.sym, rule, names) for rule, names in self.groups]


def _base(sym: SymbolicRequest, name: str, policies: Sequence[Policy], typed: bool,
          within: Sequence[str] | None = None) -> tuple[list[z3.BoolRef], Refinement | None]:
    """What every request a check asks about satisfies; with `typed`, a resource of
    a type the catalogue lists for the action (`evaluation.action_types`), for the
    actions the policies allow (within `within`), as a `Refinement`: stated from
    the start, even a few such facts made z3 spend its whole budget on queries it
    answered at once without them (an S3 bucket policy with `NotAction`)."""
    facts = [*sym.domain_constraints(), *principal_shape(sym, name), *aws_context(sym), *s3_resource_levels(sym),
             whole_arn(sym)]
    groups = tuple(typing_groups(sym, policies, within)) if typed else ()
    return facts, Refinement(sym, groups) if groups else None


def _typing(typed: bool) -> tuple[tuple[str, Callable[[Request], bool]], ...]:
    """The witness's side of `_base`'s typing: checked in Python after the replay."""
    if not typed:
        return ()
    return (("a request on a resource of a type the catalogue lists for its action",
             lambda request: resource_fits_action(request.action, request.resource)),)


def _strings(policies: Iterable[Policy]) -> set[str]:
    found: set[str] = set()
    for policy in policies:
        for statement in policy.statements:
            for spec in (statement.principal, statement.not_principal):
                if spec is not None:
                    found.update(spec.aws + spec.service + spec.federated + spec.canonical_user)
            for condition in statement.conditions:
                found.update(condition.values)
            found.update(statement.resources or ())
            found.update(statement.not_resources or ())
    return found


_ACCOUNT_TEXT = re.compile(r"(?<!\d)\d{12}(?!\d)")
FRESH_ACCOUNTS = ("123456789012", "210987654321", "999988887777")
MAX_CANDIDATE_ACCOUNTS = 3


def candidate_accounts(policies: Iterable[Policy], owner: str | None = None) -> list[tuple[str, str]]:
    """(caller account, resource owner) pairs a witness is likely to have: the
    caller in an account the policies name (a few) or in one they do not, the
    resource in the caller's account or in another; with an `owner` the question
    fixes, each such caller on that owner's resource, then the owner's own."""
    named = sorted({m for text in _strings(policies) for m in _ACCOUNT_TEXT.findall(text)})
    if owner is not None:
        others = [pair for pair in candidate_accounts(policies) if owner not in pair]
        return [*dict.fromkeys((caller, owner) for caller, _ in others), (owner, owner)]
    unnamed = (f"{n:012d}" for n in range(123456789012, 10**12))  # when the policies name the usual ones
    fresh = [account for account in (*FRESH_ACCOUNTS, *itertools.islice(unnamed, len(named) + 2))
             if account not in named]
    callers = [*named[:MAX_CANDIDATE_ACCOUNTS - 1], fresh[0]]
    pairs = []
    for caller in callers:
        other = next(account for account in [*named, *fresh] if account != caller)
        pairs += [(caller, caller), (caller, other)]
    return pairs


_DERIVED_PREFIXES = ("aws:principal", "aws:userid", "aws:username", "aws:sourceidentity", "aws:federatedprovider")


def literal_values(sym: SymbolicRequest, policies: Iterable[Policy]) -> z3.BoolRef | None:
    """Each text key that a string condition tests, holding the first value the
    policies test it against (`literal_choices`; a multivalued key that one value):
    a likely sub-case for a witness. z3 can take seconds to choose such a string
    (e.g. an `aws:Referer` glob) that it checks in milliseconds once chosen."""
    chosen = literal_choices(policies)
    facts = []
    for key, value in chosen.items():
        terms = sym.keys.get(key)
        if terms is None or not terms.slots or terms.slots[0].text is None:
            continue
        if terms.count is not None:  # a multivalued key: that one value
            facts.append(and_(terms.given, terms.present, terms.count == 1, terms.slots[0].text == string_val(value)))
        elif len(terms.slots) == 1:
            facts.append(and_(terms.given, terms.slots[0].text == string_val(value)))
    facts += _caller_fields(sym, chosen.get("aws:principalarn"))
    return all_of(facts) if facts else None


def literal_choices(policies: Iterable[Policy]) -> dict[str, str]:
    """Each text key (lower-cased) that a string condition tests, and the first
    value the policies test it against (a glob's `*` read as nothing, `?` as `a`);
    an identifying key tested by a glob, a value its glob matches that no policy
    names. Keys derived from the caller (but its tags) are left to the caller's
    shape."""
    chosen: dict[str, str] = {}
    for policy in policies:
        for statement in policy.statements:
            for condition in statement.conditions:
                key = condition.key_lower
                derived = key.startswith(_DERIVED_PREFIXES) and not key.startswith("aws:principaltag/")
                if key in IDENTIFYING_KEYS and "Like" in condition.base and key not in chosen:
                    sample = _fresh_sample(key, condition.values)
                    if sample is not None:
                        chosen[key] = sample
                    continue
                if (condition.family is not OperatorFamily.STRING or key in chosen or key in IDENTIFYING_KEYS
                        or derived or not condition.values):
                    continue
                value = condition.values[0]
                if "${" not in value:
                    chosen[key] = value.replace("*", "").replace("?", "a") if "Like" in condition.base else value
    return chosen


def _caller_fields(sym: SymbolicRequest, arn: str | None) -> list[z3.BoolRef]:
    """The caller's account, path and name that give `aws:PrincipalArn` the value
    `arn`: z3 is slow to split a fixed ARN into them itself."""
    iam = parse_iam_arn(arn or "")
    if iam is None or iam.partition != "aws":
        return []
    return [sym.has_account, sym.principal_account == string_val(iam.account),
            sym.principal_path == string_val(iam.path), sym.principal_name == string_val(iam.name)]


SAMPLE_ACCOUNT = FRESH_ACCOUNTS[0]  # with a likely owner among the candidate pairs


def _fresh_sample(key: str, patterns: Sequence[str]) -> str | None:
    """A value of an identifying key that its first glob matches and no policy
    names (a glob such as `o-*` lets an outsider in), when it has the key's form."""
    pattern = patterns[0] if patterns else ""
    if "${" in pattern or not any(c in pattern for c in "*?"):
        return None
    fields = pattern.split(":", 5)
    if len(fields) == 6 and fields[0] == "arn" and fields[4] and not fields[4].strip("*?"):
        fields[4] = SAMPLE_ACCOUNT  # a wildcard account: an account id
        pattern = ":".join(fields)
    sample = pattern.replace("*", "x0x0x0x0x0").replace("?", "x")
    return sample if _may_be_value_of(key, sample) and sample not in patterns else None


_ORG_TEXT = re.compile(r"o-[a-z0-9]{10,32}")
# The S3 meaning of public also counts as fixed an access point (through which
# access is delegated to its own policy) and a KMS key required for encryption;
# a KMS key policy may fix the calling account with kms:CallerAccount.
IDENTIFYING_KEYS = ("aws:principalorgid", "aws:principalorgpaths", "aws:sourcevpce", "aws:sourcevpc",
                    "aws:sourceaccount", "aws:sourceowner", "aws:userid", "aws:sourcearn", "aws:sourceorgid",
                    "aws:sourceorgpaths", "aws:principalarn", "aws:principalaccount", "s3:dataaccesspointarn",
                    "s3:dataaccesspointaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id",
                    "kms:calleraccount")


@dataclass(frozen=True)
class PublicOptions:
    """How narrow an `aws:SourceIp` range must be to identify the caller (interface.md)."""

    max_ipv4_prefix_width: int = 8
    max_ipv6_prefix_width: int = 32


# The forms the encoding gives these keys' values (`wellformed`): a literal of
# another form cannot be their value, and a string disequality the solver need not
# see is one less that slows it down.
_VALUE_FORMS = {
    "aws:principalorgid": re.compile(r"o-[a-z0-9]{10,32}"),
    "aws:principalaccount": re.compile(r"[0-9]{12}"),
    "aws:sourcevpc": re.compile(r"vpc-[0-9a-f]+"),
    "aws:sourcevpce": re.compile(r"vpce-[0-9a-f]+"),
}


def _may_be_value_of(key: str, text: str) -> bool:
    form = _VALUE_FORMS.get(key)
    return form is None or form.fullmatch(text) is not None


def outsider(sym: SymbolicRequest, policies: Sequence[Policy], options: PublicOptions,
             true_keys: Sequence[str] = ()) -> list[z3.BoolRef]:
    """The caller and its network are identified by nothing the policies name.

    Every identifying element takes a value no policy mentions: an account, org,
    endpoint, VPC, source or user id that no literal names, and an address outside
    every narrow enough CIDR. A grant that still reaches such a caller is public;
    one pinned by a fixed value cannot reach it (interface.md, "Public").
    """
    literals = _strings(policies)
    facts: list[z3.BoolRef] = []
    for key in true_keys:  # a boolean key whose `true` identifies (the type's meaning of public)
        terms = sym.keys.get(key.lower())
        for index, slot in enumerate(terms.slots if terms is not None else ()):
            if terms is not None and slot.text is not None:
                facts.append(implies(terms.active(index), not_(bool_match(slot.text, ("true",)))))
    accounts = sorted({m for text in literals for m in _ACCOUNT_TEXT.findall(text)})
    orgs = sorted({m for text in literals for m in _ORG_TEXT.findall(text)})
    for account in accounts:
        facts.append(implies(sym.has_account, sym.principal_account != string_val(account)))
    facts.append(implies(and_(sym.has_account, sym.has_resource_account),
                         sym.principal_account != sym.resource_account))
    services = sorted({e for p in policies for s in p.statements for spec in (s.principal, s.not_principal)
                       if spec for e in spec.service})
    # the very regex `statements._service_named` matches with: a service the
    # policy names in any spelling is identified, and the solver sees `p and not p`
    facts += [implies(sym.kind_is(PrincipalKind.SERVICE),
                      not_(z3.InRe(sym.principal_name, literal_regex(entry.lower(), Case.LOWER))))
              for entry in services]
    for kind, entries in ((PrincipalKind.WEB_IDENTITY, {e for p in policies for s in p.statements
                                                        for spec in (s.principal, s.not_principal) if spec
                                                        for e in spec.federated}),
                          (PrincipalKind.CANONICAL_USER, {e for p in policies for s in p.statements
                                                          for spec in (s.principal, s.not_principal) if spec
                                                          for e in spec.canonical_user})):
        for entry in sorted(entries):
            facts.append(implies(sym.kind_is(kind), z3.And(sym.principal_text != string_val(entry),
                                                           sym.principal_text != string_val(entry.lower()))))
    for key in IDENTIFYING_KEYS:
        terms = sym.keys.get(key)
        if terms is None:
            continue
        for index, slot in enumerate(terms.slots):
            if slot.text is None:
                continue
            fresh = [slot.text != string_val(text) for text in sorted(literals) if _may_be_value_of(key, text)]
            # "does not contain" as a regex: z3 handles a negated `Contains` far worse
            fresh += [not_(z3.InRe(slot.text, _containing(text))) for text in [*accounts, *orgs]]
            facts.append(implies(terms.active(index), all_of(fresh)))
    narrow = []
    for text in sorted(literals):
        try:
            network = ipaddress.ip_network(text.strip(), strict=False)
        except ValueError:
            continue
        limit = options.max_ipv4_prefix_width if network.version == 4 else options.max_ipv6_prefix_width
        if network.prefixlen >= limit:
            narrow.append(network)
    for key, terms in sym.keys.items():
        for index, slot in enumerate(terms.slots):
            if slot.ip is None or slot.is_v4 is None or slot.ip_ok is None:
                continue
            # only the public source address: any account's VPC may use any private
            # range, so aws:VpcSourceIp identifies no one
            if key == "aws:sourceip":
                facts.append(implies(terms.active(index), all_of(
                    not_(ips.in_network(slot.is_v4, slot.ip, network)) for network in narrow)))
    return facts


def _containing(text: str) -> z3.ReRef:
    return z3.Concat(any_string(), z3.Re(string_val(text)), any_string())




def _template_regex(template: str) -> z3.ReRef:
    """One ARN field of a resource template as a regex (`{name}`, `{path}`,
    `{region}`; the partition and account fields are compared in `arn_shape`)."""
    lower = z3.Range("a", "z")
    # any character but `/` (0x2F) and `:` (0x3A)
    name = z3.Plus(z3.Union(z3.Range(string_val(chr(0)), string_val(".")), z3.Range("0", "9"),
                            z3.Range(string_val(";"), string_val(chr(MAX_CHAR)))))
    region = z3.Concat(lower, lower, z3.Plus(z3.Concat(z3.Re("-"), z3.Plus(lower))), z3.Re("-"),
                       z3.Plus(z3.Range("0", "9")))
    pieces: list[z3.ReRef] = []
    for token in re.split(r"(\{[a-z]+\})", template):
        if token == "{name}":
            pieces.append(name)
        elif token == "{path}":
            pieces.append(z3.Plus(any_char()))
        elif token == "{region}":
            pieces.append(region)
        elif token:
            pieces.append(z3.Re(token))
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)


def of_resource_type(sym: SymbolicRequest, kind: ResourceType,
                     partitions: Sequence[str] = ("aws",)) -> list[z3.BoolRef]:
    """The request is an action of the type on a resource of the type's format in
    one of the partitions, stated on the resource's ARN components; the account
    component is the owner's account."""
    return [actions_match(sym, actions_of(kind)), arn_shape(sym, kind.arn_templates, partitions)]


def policy_partitions(policies: Iterable[Policy]) -> tuple[str, ...]:
    """The partitions a resource-based policy's resource can be in: those its
    Resource and NotResource ARNs name (every one for a wildcard there), `aws` when
    they name none. A policy only governs a resource of its own partition, and
    names that partition when it names any ARN."""
    found: set[str] = set()
    for policy in policies:
        for statement in policy.statements:
            for pattern in (*(statement.resources or ()), *(statement.not_resources or ())):
                fields = pattern.split(":", 2)
                if len(fields) < 3 or fields[0] != "arn":
                    continue
                found.update(p for p in PARTITIONS if glob_match(fields[1], p))
    return tuple(sorted(found)) or ("aws",)


def arn_shape(sym: SymbolicRequest, templates: Iterable[str], partitions: Sequence[str] = PARTITIONS) -> z3.BoolRef:
    """The resource is an ARN of one of the templates (`{partition}` one of
    `partitions`, `{account}` the owner's account, `{region}` a region, `{name}` a
    name, `{path}` free text). Built once per request signature (memo.py)."""
    templates = tuple(templates)
    return remembered(("arn_shape", sym.signature, templates, tuple(partitions)),
                      lambda: _arn_shape(sym, templates, partitions))


def _arn_shape(sym: SymbolicRequest, templates: Iterable[str], partitions: Sequence[str]) -> z3.BoolRef:
    arn = sym.resource_arn
    shapes = []
    for template in templates:
        fields = template.split(":", 5)
        terms: list[z3.BoolRef] = [arn.is_arn]
        for index, field_template in enumerate(fields[1:], start=1):
            component = arn.component(index)
            if field_template == "{account}":
                terms += [sym.has_resource_account, component == sym.resource_account]
            elif field_template == "{partition}":
                terms.append(any_of(component == string_val(name) for name in partitions))
            elif "{" not in field_template:
                terms.append(component == string_val(field_template))
            else:
                terms.append(z3.InRe(component, _template_regex(field_template)))
        shapes.append(all_of(terms))
    return any_of(shapes)



def action_resource_shape(sym: SymbolicRequest, action: str) -> list[z3.BoolRef]:
    """The request is `action` on a resource of a type the catalogue lists for it
    (its ARN format), or on `*` when it lists none: what a real request for the
    action looks like. A preference for witnesses: policies may grant odd
    resources too."""
    index = sym.actions.index_of(action)
    if index is None:
        return []
    templates = catalogue_arn_templates(action)
    if templates is None:
        return []
    chosen = [sym.action == index]
    if not templates:
        return [*chosen, not_(sym.resource_arn.is_arn), sym.resource_arn.plain == string_val("*")]
    return [*chosen, arn_shape(sym, templates)]


def resource_case(sym: SymbolicRequest, patterns: Iterable[str]) -> z3.BoolRef | None:
    """The request on the first ARN pattern of `patterns` with its wildcards filled
    in (`*` as `example`, `?` as `x`): a likely sub-case for a witness, fixed
    component by component (z3 can take seconds to choose a resource name that a
    glob constrains)."""
    for pattern in patterns:
        fields = pattern.replace("*", "example").replace("?", "x").split(":", 5)
        if len(fields) == 6 and fields[0] == "arn" and "${" not in pattern:
            arn = sym.resource_arn
            return all_of([arn.is_arn, *(arn.component(i) == string_val(fields[i]) for i in range(1, 6))])
    return None


def fixed_resource(sym: SymbolicRequest, resource: str) -> list[z3.BoolRef]:
    """The request is on `resource`; an ARN fixed component by component (z3
    splits a whole fixed string into the components far more slowly)."""
    fields = resource.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return [sym.resource == string_val(resource)]
    arn = sym.resource_arn
    return [arn.is_arn, *(arn.component(index) == string_val(fields[index]) for index in range(1, 6))]


def typed_resource(sym: SymbolicRequest, shape: TypeShape, resource: str) -> list[z3.BoolRef]:
    """The request is on `resource`, of type `shape`, with an action that takes it.
    An ARN is fixed component by component: z3 splits a whole fixed string into
    the components far more slowly."""
    fields = resource.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return [actions_match(sym, shape.actions), sym.resource == string_val(resource)]
    arn = sym.resource_arn
    return [actions_match(sym, shape.actions), arn.is_arn,
            *(arn.component(index) == string_val(fields[index]) for index in range(1, 6))]


def _one_of(actions: Iterable[str]) -> Callable[[Request], bool]:
    """The request's action is one of `actions` (case-insensitive, §1.6)."""
    lowered = frozenset(action.lower() for action in actions)
    return lambda request: request.action.lower() in lowered


def _unnamed_account(policies: Sequence[Policy]) -> Callable[[Request], bool]:
    """The caller has no account or one no policy names (`outsider`'s first fact)."""
    named = frozenset(m for text in _strings(policies) for m in _ACCOUNT_TEXT.findall(text))
    return lambda request: request.principal.account not in named


def no_public_access(policy: Policy, kind: ResourceType, options: PublicOptions = PublicOptions(), *,
                     encoding: EncodingOptions = DEFAULT_ENCODING, typed: bool = True) -> Query:
    """Unsat iff no caller identified by nothing the policy names is allowed by it.

    The caller's own account is taken to allow it everything (it is the
    outsider's account), so what decides is the resource-based policy, as in IAM
    Access Analyzer's CheckNoPublicAccess.
    """
    replays = public_replays(policy)
    sym = SymbolicRequest.for_policies([policy], name="public", options=encoding)
    chain = encode_chain(replays[0].policies, sym)
    base, refinement = _base(sym, "public", [policy], typed, actions_of(kind))
    assertions = [*base, *_cross_account(sym),
                  *outsider(sym, [policy], options, kind.identifying_true_keys),
                  *of_resource_type(sym, kind, policy_partitions([policy])), chain.allow]
    return Query("no-public-access", sym, tuple(assertions), replays,
                 (policy,), resource_types=named_types(kind.service, kind.catalogue_types),
                 membership=(("a caller from another account than the resource's", _other_account),
                             ("a caller in an account the policy does not name", _unnamed_account([policy])),
                             (f"an action of {kind.name}", _one_of(actions_of(kind))),
                             ("a caller no key of the type's meaning of public identifies",
                              lambda request: not _true_in(request, kind.identifying_true_keys)),
                             *_typing(typed)), refinement=refinement, plain_first=True)


def _true_in(request: Request, keys: Iterable[str]) -> bool:
    return any(value.strip().lower() == "true" for key in keys for value in request.context.get(key.lower(), ()))


_NOT_ALLOWED = frozenset({Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY})


def _identity_caller(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """A caller whose identity policy is the one under check: an IAM user or role
    session in the resource's account (root users have no identity policies)."""
    return [sym.kind_is(PrincipalKind.USER, PrincipalKind.ROLE_SESSION, PrincipalKind.ROLE,
                        PrincipalKind.FEDERATED_USER),
            or_(not_(sym.has_resource_account), sym.resource_account == sym.principal_account)]


def _cross_account(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """A caller in another account than the resource (or one with no account), so
    that only the resource-based policy can grant."""
    return [sym.has_resource_account, not_(and_(sym.has_account, sym.principal_account == sym.resource_account))]


def public_replays(policy: Policy) -> tuple[Replay, ...]:
    """What a no-public-access witness must be: allowed by the resource policy, the
    caller's own account allowing it everything."""
    return (Replay(PolicySet(identity_policies=(ALLOW_ALL,), resource_policy=policy), frozenset({Decision.ALLOW})),)


def checked_policies(policy: Policy, policy_type: PolicyType) -> PolicySet:
    """The policy as a single-policy check reads it (Access Analyzer): an identity
    policy's own grants, or a resource policy with the caller's account allowing."""
    if policy_type is PolicyType.IDENTITY:
        return PolicySet(identity_policies=(policy,), standalone=True)
    return PolicySet(identity_policies=(ALLOW_ALL,), resource_policy=policy)


def new_access_replays(existing: Policy, new: Policy, policy_type: PolicyType) -> tuple[Replay, ...]:
    """What a no-new-access witness must be: allowed by the new policy, not by the existing one."""
    return (Replay(checked_policies(new, policy_type), frozenset({Decision.ALLOW})),
            Replay(checked_policies(existing, policy_type), _NOT_ALLOWED))


def access_replays(policy: Policy, policy_type: PolicyType) -> tuple[Replay, ...]:
    """What an access-not-granted witness must be: allowed by the policy."""
    return (Replay(checked_policies(policy, policy_type), frozenset({Decision.ALLOW})),)


def _allowed_by(policy: Policy, sym: SymbolicRequest, policy_type: PolicyType) -> z3.BoolRef:
    return encode_chain(checked_policies(policy, policy_type), sym).allow


def no_new_access(existing: Policy, new: Policy, policy_type: PolicyType, *,
                  encoding: EncodingOptions = DEFAULT_ENCODING, typed: bool = True) -> Query:
    """Unsat iff every request the new policy allows, the existing one allows."""
    sym = SymbolicRequest.for_policies([existing, new], name="new", options=encoding)
    new_allows = _allowed_by(new, sym, policy_type)
    old_allows = _allowed_by(existing, sym, policy_type)
    caller = _identity_caller(sym) if policy_type is PolicyType.IDENTITY else _cross_account(sym)
    # the typing need only hold where the new policy allows (the witness's request)
    base, refinement = _base(sym, "new", [new], typed)
    assertions = [*base, *caller, new_allows, not_(old_allows)]
    return Query("no-new-access", sym, tuple(assertions), new_access_replays(existing, new, policy_type),
                 (existing, new), membership=_typing(typed), refinement=refinement)


def access_not_granted(policy: Policy, actions: Sequence[str], resources: Sequence[str],
                       policy_type: PolicyType, *, encoding: EncodingOptions = DEFAULT_ENCODING,
                       typed: bool = True) -> Query:
    """Unsat iff the policy allows none of the actions (on the resources, if given)."""
    sym = SymbolicRequest.for_policies([policy], name="access", options=encoding)
    allows = _allowed_by(policy, sym, policy_type)
    caller = _identity_caller(sym) if policy_type is PolicyType.IDENTITY else _cross_account(sym)
    base, refinement = _base(sym, "access", [policy], typed, actions)
    facts = [*base, *caller, actions_match(sym, actions), allows]
    if resources:
        target = Statement(0, Effect.ALLOW, actions=("*",), resources=tuple(resources))
        facts.append(resource_applies(target, sym, False))
    def listed(request: Request) -> bool:
        on_listed = not resources or any(resource_tokens_match(resource_pattern_tokens(p, False), request.resource)
                                         for p in resources)
        return on_listed and any(action_matches(a, request.action) for a in actions)

    return Query("access-not-granted", sym, tuple(facts), access_replays(policy, policy_type),
                 (policy,), resource_hints=tuple(resources),
                 membership=(("one of the listed actions on a listed resource", listed), *_typing(typed)),
                 refinement=refinement)


__all__ = [
    "ALLOW_ALL",
    "IDENTIFYING_KEYS",
    "PublicOptions",
    "Query",
    "Replay",
    "access_not_granted",
    "access_replays",
    "action_resource_shape",
    "arn_shape",
    "candidate_accounts",
    "checked_policies",
    "literal_values",
    "new_access_replays",
    "no_new_access",
    "no_public_access",
    "of_resource_type",
    "outsider",
    "policy_partitions",
    "public_replays",
    "typed_resource",
]
