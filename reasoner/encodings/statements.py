"""Statements and policies, mirroring the evaluator's `statement_grant` /
`statement_applies` (§1.5–§1.8, §5.2).

`statement_terms` gives the parts of one statement (action, resource, principal
grant levels, conditions); `statement_applies` their conjunction; `policy_allows`
and `policy_denies` the disjunction over a policy's statements of one effect,
with one indicator term per statement so a caller can say which fired.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import z3

from reasoner.encodings.arns import ArnMode, arn_match, resource_match
from reasoner.encodings.conditions import condition_holds
from reasoner.encodings.memo import remembered
from reasoner.encodings.options import ActionMatching, ResourceMatching
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.strings import (
    Case,
    PatternMatch,
    any_char_except,
    any_string,
    concat,
    glob_regex,
    has_variables,
    literal_regex,
    string_val,
)
from reasoner.encodings.terms import FALSE, TRUE, all_of, and_, any_of, bool_val, not_, or_
from reasoner.errors import EncodingError
from reasoner.evaluation.evaluate import account_entry as _account_entry
from reasoner.evaluation.evaluate import resource_pattern_tokens
from reasoner.evaluation.evaluate import role_name as _role_name
from reasoner.policy.matching import EXECUTE_API_SHORTHAND, is_execute_api_shorthand, tokenize
from reasoner.policy.model import Effect, Policy, PolicyType, PrincipalKind, PrincipalSpec, Statement
from reasoner.policy.principals import ACCOUNT_SYMBOL, PARTITION, parse_iam_arn, parse_session_arn

# Callers that no `"AWS"` entry but `"*"` names (evaluate.aws_entry_grant).
_NOT_AWS = (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE, PrincipalKind.WEB_IDENTITY,
            PrincipalKind.CANONICAL_USER)


@dataclass(frozen=True)
class PrincipalMatch:
    """How a Principal element names the caller (the evaluator's `Grant`): each term
    says that some entry gives that level; the grant is the strongest true one."""

    direct: z3.BoolRef
    role: z3.BoolRef
    account: z3.BoolRef

    @property
    def any(self) -> z3.BoolRef:
        return or_(self.direct, self.role, self.account)


def _segment() -> z3.ReRef:
    return z3.Star(any_char_except(":"))


def _lit(text: str) -> z3.ReRef:
    return literal_regex(text)


def role_name_is(term: z3.SeqRef, named: tuple[str, str]) -> z3.BoolRef:
    """`_role_name(term) == named`: `?:?:iam:?:ACCOUNT:role/...` ending in `/NAME`."""
    account, name = named
    shape = concat([_segment(), _lit(":"), _segment(), _lit(":iam:"), _segment(), _lit(":"), _lit(account),
                    _lit(":role/"), any_string()])
    ending = concat([any_string(), _lit("/" + name)])
    return z3.InRe(term, z3.Intersect(shape, ending))


def account_entry_is(term: z3.SeqRef, account: str) -> z3.BoolRef:
    """`_account_entry(term) == account`."""
    root = concat([_lit("arn:"), _segment(), _lit(":iam:"), _segment(), _lit(":"), _lit(account), _lit(":root")])
    by_arn = z3.InRe(term, root)
    if len(account) == 12 and account.isdigit():
        return z3.Or(term == string_val(account), by_arn)
    return by_arn


def _aws_entry(entry: str, sym: SymbolicRequest, account_means_root: bool) -> PrincipalMatch:
    if entry == "*":
        return PrincipalMatch(TRUE, FALSE, FALSE)
    signed = not_(sym.kind_is(*_NOT_AWS))
    account = _account_entry(entry)
    if account is None and _SYMBOL.fullmatch(entry):
        account = entry
    if account is not None:
        same = all_of([signed, sym.has_account, _field_is(sym, sym.principal_account, account)])
        root = sym.kind_is(PrincipalKind.ACCOUNT_ROOT)
        delegated = FALSE if account_means_root else and_(same, not_(root))
        return PrincipalMatch(and_(same, root), FALSE, delegated)
    direct = _arn_named(entry, sym)
    named = _role_name(entry)
    role = FALSE if named is None else all_of([sym.kind_is(PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION),
                                               sym.has_role_arn, _field_is(sym, sym.principal_account, named[0]),
                                               _field_is(sym, sym.principal_name, named[1])])
    federated = _federating_user_is(entry, sym)
    return PrincipalMatch(direct, or_(role, federated), FALSE)


# The caller ARNs `scenario.parse_principal` reads, by kind (iam-semantics.md §1.5).
_PARTITION = PARTITION
_FEDERATED_USER_ARN = re.compile(rf"arn:({_PARTITION}):sts::(\d{{12}}|{ACCOUNT_SYMBOL}):federated-user/([^/]+)")
_FEDERATING_USER = re.compile(rf"arn:aws:iam::(\d{{12}}|{ACCOUNT_SYMBOL}):user/(.*)", re.DOTALL)
_SYMBOL = re.compile(ACCOUNT_SYMBOL)


def _field_is(sym: SymbolicRequest, term: z3.SeqRef, value: str) -> z3.BoolRef:
    """`term == value`; an account kept symbolic (`principals.ACCOUNT_SYMBOL`, only
    in a Principal of infrastructure code) is the value of its synthetic key."""
    if _SYMBOL.fullmatch(value):
        return term == sym.lookup(value[2:-1])[1]
    return term == string_val(value)


def _arn_named(entry: str, sym: SymbolicRequest) -> z3.BoolRef:
    """`principal.arn == entry and kind is not ROLE`, compared field by field: a
    caller's ARN is its fields joined in one layout per kind, and the entry splits
    into that layout in at most one way. (Root ARNs are account entries.)"""
    fields: tuple[tuple[z3.SeqRef, str], ...]
    if (user := parse_iam_arn(entry, kind="user")) is not None:
        kind, partition, account = PrincipalKind.USER, user.partition, user.account
        fields = ((sym.principal_path, user.path), (sym.principal_name, user.name))
    elif (session := parse_session_arn(entry)) is not None:
        kind, partition, account = PrincipalKind.ROLE_SESSION, session.partition, session.account
        fields = ((sym.principal_name, session.role_name), (sym.session_name, session.session_name))
    elif m := _FEDERATED_USER_ARN.fullmatch(entry):
        kind, partition, account = PrincipalKind.FEDERATED_USER, m[1], m[2]
        fields = ((sym.principal_name, m[3]),)
    else:
        return FALSE
    return all_of([sym.kind_is(kind), sym.has_arn, _field_is(sym, sym.principal_partition, partition),
                   sym.has_account, _field_is(sym, sym.principal_account, account),
                   *(_field_is(sym, term, value) for term, value in fields)])


def _federating_user_is(entry: str, sym: SymbolicRequest) -> z3.BoolRef:
    """A federated-user session is granted through the IAM user that federated it,
    `arn:aws:iam::ACCOUNT:user/NAME`, capped like a role's sessions
    (evaluate._federating_user, §5.2 table). Accounts are twelve digits."""
    m = _FEDERATING_USER.fullmatch(entry)
    if m is None:
        return FALSE
    return all_of([sym.kind_is(PrincipalKind.FEDERATED_USER), sym.has_account, sym.has_name,
                   _field_is(sym, sym.principal_account, m[1]), _field_is(sym, sym.principal_name, m[2])])


def _service_named(spec: PrincipalSpec, sym: SymbolicRequest) -> z3.BoolRef:
    """A `Service` entry equal to the caller's name, ignoring case (str.lower)."""
    matches = [z3.InRe(sym.principal_name, literal_regex(entry.lower(), Case.LOWER)) for entry in spec.service]
    return all_of([sym.kind_is(PrincipalKind.SERVICE), sym.has_name, z3.Length(sym.principal_name) > 0,
                   any_of(matches)])


def _text_named(entries: Sequence[str], kind: PrincipalKind, sym: SymbolicRequest) -> z3.BoolRef:
    if kind is PrincipalKind.WEB_IDENTITY and "*" in entries:
        return sym.kind_is(kind)  # `"Federated": "*"` (evaluate.principal_grant)
    return and_(sym.kind_is(kind), any_of(sym.principal_text == string_val(e) for e in entries))


def principal_match(spec: PrincipalSpec, sym: SymbolicRequest, *, account_means_root: bool = False) -> PrincipalMatch:
    """`evaluate.principal_grant`: entries are OR-ed (§1.5). `account_means_root`:
    a VPC endpoint policy naming an account grants only its root user (§5.4)."""
    if spec.wildcard:
        return PrincipalMatch(TRUE, FALSE, FALSE)
    entries = [_aws_entry(entry, sym, account_means_root) for entry in spec.aws]
    other = or_(_service_named(spec, sym),
                _text_named(spec.federated, PrincipalKind.WEB_IDENTITY, sym),
                _text_named(spec.canonical_user, PrincipalKind.CANONICAL_USER, sym))
    return PrincipalMatch(
        direct=or_(any_of(m.direct for m in entries), other),
        role=any_of(m.role for m in entries),
        account=any_of(m.account for m in entries),
    )


def _same_entry(listed: str, entry: z3.SeqRef) -> z3.BoolRef:
    """`evaluate._same_entry(listed, entry)` for a symbolic `entry`."""
    account = _account_entry(listed)
    if account is not None:
        return account_entry_is(entry, account)
    named = _role_name(listed)
    return or_(entry == string_val(listed), FALSE if named is None else role_name_is(entry, named))


def not_principal_excludes(spec: PrincipalSpec, sym: SymbolicRequest,
                           has_boundary: bool | z3.BoolRef = False) -> z3.BoolRef:
    """`evaluate.not_principal_excludes`: a Deny + NotPrincipal statement exempts the
    caller only if every level (account, role, session) is listed, and never a
    caller with a permissions boundary (§1.5)."""
    if spec.is_everyone:
        return TRUE
    if any(_SYMBOL.search(entry) for entry in spec.aws):  # `inputs.iac.symbolic` keeps these UNKNOWN
        raise EncodingError("NotPrincipal", "an account kept symbolic in a NotPrincipal is not supported")
    boundary = bool_val(has_boundary) if isinstance(has_boundary, bool) else has_boundary
    account_text = z3.If(sym.has_account, sym.principal_account, z3.StringVal("None"))
    root_entry = z3.Concat(z3.StringVal("arn:aws:iam::"), account_text, z3.StringVal(":root"))
    root_level = any_of(_same_entry(listed, root_entry) for listed in spec.aws)
    role_level = or_(not_(sym.has_role_arn), any_of(_same_entry(listed, sym.role_arn) for listed in spec.aws))
    arn_level_exists = all_of([sym.has_arn, not_(sym.kind_is(PrincipalKind.ACCOUNT_ROOT)),
                               not_(and_(sym.has_role_arn, sym.principal_arn == sym.role_arn))])
    arn_level = or_(not_(arn_level_exists), any_of(_same_entry(listed, sym.principal_arn) for listed in spec.aws))
    # a role-ARN caller stands for a session of the role, which no entry can name
    iam_caller = all_of([not_(sym.kind_is(PrincipalKind.ROLE)), root_level, role_level, arn_level])
    by_kind = or_(
        and_(sym.kind_is(PrincipalKind.SERVICE), _service_named(spec, sym)),
        _text_named(spec.federated, PrincipalKind.WEB_IDENTITY, sym),
        _text_named(spec.canonical_user, PrincipalKind.CANONICAL_USER, sym),
        and_(not_(sym.kind_is(*_NOT_AWS)), iam_caller),
    )
    return and_(not_(boundary), by_kind)


# ---- statements -------------------------------------------------------------------


def actions_match(sym: SymbolicRequest, globs: Sequence[str]) -> z3.BoolRef:
    """The request's action matches one of `globs`, as the encoding variant says
    (built once per request signature, memo.py)."""
    return remembered(("actions_match", sym.signature, tuple(globs)), lambda: sym.actions.matches_any(
        sym.action, globs, intervals=sym.options.actions is ActionMatching.INTERVALS))


def action_applies(statement: Statement, sym: SymbolicRequest) -> z3.BoolRef:
    if statement.actions is not None:
        return actions_match(sym, statement.actions)
    assert statement.not_actions is not None
    return not_(actions_match(sym, statement.not_actions))


def resource_applies(statement: Statement, sym: SymbolicRequest, variables_enabled: bool) -> z3.BoolRef:
    """`evaluate.resource_applies`: variables count only after the fifth colon; an
    entry with a missing variable matches nothing in `Resource` and voids the
    statement in `NotResource` (§4). Built once per request signature (memo.py)."""
    key = ("resource_applies", sym.signature, statement.resources, statement.not_resources, variables_enabled)
    return remembered(key, lambda: _resource_applies(statement, sym, variables_enabled))


def _resource_applies(statement: Statement, sym: SymbolicRequest, variables_enabled: bool) -> z3.BoolRef:
    def entry(pattern: str) -> PatternMatch:
        if is_execute_api_shorthand(pattern):
            return _execute_api_shorthand(sym, pattern, variables_enabled)
        tokens = resource_pattern_tokens(pattern, variables_enabled)
        if sym.options.resources is ResourceMatching.WHOLE:
            return arn_match(sym.resource, tokens, sym.lookup, ArnMode.RESOURCE)
        return resource_match(sym.resource_arn, tokens, sym.lookup, predicates=sym.options.glob_predicates)

    if statement.resources is not None:
        return any_of(entry(p).matches for p in statement.resources)
    assert statement.not_resources is not None
    entries = [entry(p) for p in statement.not_resources]
    return and_(all_of(e.resolved for e in entries), not_(any_of(e.matches for e in entries)))


def _execute_api_shorthand(sym: SymbolicRequest, pattern: str, variables_enabled: bool) -> PatternMatch:
    """`matching.execute_api_shorthand_match`: an execute-api ARN whose resource
    part is an API id (no `/`) followed by the rest of the pattern."""
    rest = tokenize(pattern[len(EXECUTE_API_SHORTHAND):], variables=variables_enabled, wildcards=True)
    if has_variables(rest):
        raise EncodingError("policy variable in an execute-api:/ Resource",
                            "the API Gateway shorthand is encoded without policy variables")
    arn = sym.resource_arn
    api_id = z3.Plus(any_char_except("/"))
    matches = and_(arn.is_arn, z3.InRe(arn.component(2), literal_regex("execute-api", Case.IGNORE_ASCII)),
                   z3.InRe(arn.component(5), z3.Concat(api_id, glob_regex(rest))))
    return PatternMatch(matches, TRUE)


@dataclass(frozen=True)
class StatementTerms:
    statement: Statement
    action: z3.BoolRef
    resource: z3.BoolRef
    principal: PrincipalMatch  # DIRECT only when the statement has no Principal
    not_principal_exempts: z3.BoolRef
    conditions: z3.BoolRef

    @functools.cached_property
    def applies(self) -> z3.BoolRef:
        return all_of([self.action, self.resource, self.principal.any, not_(self.not_principal_exempts),
                       self.conditions])

    def grants(self, level: str) -> z3.BoolRef:
        """The statement applies and its grant is exactly `level` ("direct", "role",
        "account"), as `evaluate.statement_grant` would return."""
        p = self.principal
        exact = {"direct": p.direct, "role": and_(p.role, not_(p.direct)),
                 "account": all_of([p.account, not_(p.role), not_(p.direct)])}[level]
        return and_(self.applies, exact)


def statement_terms(statement: Statement, policy: Policy, sym: SymbolicRequest, *,
                    has_boundary: bool | z3.BoolRef = False) -> StatementTerms:
    """The statement's parts as terms, built once within a run for each request
    signature (memo.py): what they depend on of the policy is its type and version. A
    construct the encoding does not support is an EncodingError naming the policy and
    statement (an UNKNOWN says where)."""
    try:
        if not isinstance(has_boundary, bool):
            return _statement_terms(statement, policy, sym, has_boundary)
        key = ("statement_terms", sym.signature, statement, policy.policy_type, policy.variables_enabled,
               has_boundary)
        terms = remembered(key, lambda: _statement_terms(statement, policy, sym, has_boundary))
    except EncodingError as error:
        line = f", line {statement.line}" if statement.line is not None else ""
        raise error.located(f"{policy.source}: Statement[{statement.index}]{line}", statement.line) from None
    return terms if terms.statement is statement else dataclasses.replace(terms, statement=statement)


def _statement_terms(statement: Statement, policy: Policy, sym: SymbolicRequest,
                     has_boundary: bool | z3.BoolRef) -> StatementTerms:
    variables_enabled = policy.variables_enabled
    principal = PrincipalMatch(TRUE, FALSE, FALSE)
    exempts = FALSE
    if statement.principal is not None:
        principal = principal_match(statement.principal, sym,
                                    account_means_root=policy.policy_type is PolicyType.VPC_ENDPOINT)
    elif statement.not_principal is not None:
        exempts = not_principal_excludes(statement.not_principal, sym, has_boundary)
    return StatementTerms(
        statement=statement,
        action=action_applies(statement, sym),
        resource=resource_applies(statement, sym, variables_enabled),
        principal=principal,
        not_principal_exempts=exempts,
        conditions=all_of(condition_holds(c, sym, variables_enabled) for c in statement.conditions),
    )


def statement_applies(statement: Statement, policy: Policy, sym: SymbolicRequest, *,
                      has_boundary: bool | z3.BoolRef = False) -> z3.BoolRef:
    """Principal, action, resource and every condition match (`evaluate.statement_applies`)."""
    return statement_terms(statement, policy, sym, has_boundary=has_boundary).applies


@dataclass(frozen=True)
class PolicyTerms:
    """`fires`: some statement of the effect applies; `statements`: one
    (statement, applies) pair per statement of that effect, in policy order."""

    fires: z3.BoolRef
    statements: tuple[tuple[Statement, z3.BoolRef], ...]


def _policy_effect(policy: Policy, sym: SymbolicRequest, effect: Effect,
                   has_boundary: bool | z3.BoolRef) -> PolicyTerms:
    pairs = tuple((s, statement_applies(s, policy, sym, has_boundary=has_boundary))
                  for s in policy.statements if s.effect is effect)
    return PolicyTerms(any_of(term for _, term in pairs), pairs)


def policy_allows(policy: Policy, sym: SymbolicRequest, *, has_boundary: bool | z3.BoolRef = False) -> PolicyTerms:
    return _policy_effect(policy, sym, Effect.ALLOW, has_boundary)


def policy_denies(policy: Policy, sym: SymbolicRequest, *, has_boundary: bool | z3.BoolRef = False) -> PolicyTerms:
    return _policy_effect(policy, sym, Effect.DENY, has_boundary)
