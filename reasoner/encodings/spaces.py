"""A `RequestSpace` as constraints on a symbolic request."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import z3

from reasoner.encodings import ips, numbers
from reasoner.encodings.memo import per_request
from reasoner.encodings.request import KeyTerms, SymbolicRequest
from reasoner.encodings.statements import resource_applies
from reasoner.encodings.strings import Case, match_glob, string_val
from reasoner.encodings.terms import FALSE, TRUE, all_of, and_, any_of, implies, not_, or_
from reasoner.errors import EncodingError
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint, RequestSpace
from reasoner.policy.matching import tokenize
from reasoner.policy.model import Effect, PrincipalKind, Statement
from reasoner.policy.principals import parse_iam_arn
from reasoner.policy.values import parse_number


def _no_variables(key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
    raise EncodingError("policy variable in a request-space pattern")


def glob_term(subject: z3.SeqRef, pattern: str) -> z3.BoolRef:
    return match_glob(subject, tokenize(pattern, variables=False, wildcards=True), _no_variables,
                      case=Case.SENSITIVE).matches


def _principal_arn(sym: SymbolicRequest) -> z3.SeqRef:
    """What aws:PrincipalArn reports: the role for a session (§6)."""
    return z3.If(sym.kind_is(PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION), sym.role_arn, sym.principal_arn)


@per_request
def space_constraints(sym: SymbolicRequest, space: RequestSpace) -> list[z3.BoolRef]:
    facts: list[z3.BoolRef] = [sym.kind_is(*space.kinds)]
    if space.accounts:
        facts.append(and_(sym.has_account, any_of(sym.principal_account == string_val(a) for a in space.accounts)))
    for account in space.not_accounts:
        facts.append(implies(sym.has_account, sym.principal_account != string_val(account)))
    if space.principal_arn is not None:
        if ":role/" in space.principal_arn:
            facts.append(and_(sym.kind_is(PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION),
                              _role_named(sym, space.principal_arn)))
        else:
            facts.append(_user_named(sym, space.principal_arn))
    principal_arn = _principal_arn(sym)
    if space.principal_arn_patterns:
        facts.append(and_(sym.has_arn, any_of(glob_term(principal_arn, p) for p in space.principal_arn_patterns)))
    for pattern in space.not_principal_arn_patterns:
        facts.append(implies(sym.has_arn, not_(glob_term(principal_arn, pattern))))
    for service in space.not_services:
        facts.append(implies(sym.kind_is(PrincipalKind.SERVICE), sym.principal_name != string_val(service)))
    if space.actions:
        facts.append(sym.actions.matches_any(sym.action, space.actions))
    if space.not_actions:
        facts.append(not_(sym.actions.matches_any(sym.action, space.not_actions)))
    if space.resources:
        target = Statement(0, Effect.ALLOW, actions=("*",), resources=space.resources)
        facts.append(resource_applies(target, sym, False))
    if space.not_resources:
        target = Statement(0, Effect.ALLOW, actions=("*",), resources=space.not_resources)
        facts.append(not_(resource_applies(target, sym, False)))
    if space.resource_account is not None:
        facts.append(and_(sym.has_resource_account, sym.resource_account == string_val(space.resource_account)))
    if space.not_resource_accounts:
        # owned by a known account other than these
        facts.append(sym.has_resource_account)
    for account in space.not_resource_accounts:
        facts.append(sym.resource_account != string_val(account))
    for constraint in space.context:
        facts.append(context_constraint(sym, constraint))
    if space.session_names:
        facts.append(implies(sym.kind_is(PrincipalKind.ROLE_SESSION),
                             any_of(glob_term(sym.session_name, p) for p in space.session_names)))
    facts.extend(_exact_tags(sym, "aws:resourcetag/", space.resource_tags))
    facts.extend(_exact_tags(sym, "aws:principaltag/", space.principal_tags))
    return facts


def _exact_tags(sym: SymbolicRequest, prefix: str, tags: tuple[tuple[str, str], ...] | None) -> list[z3.BoolRef]:
    """Tag keys the policies read take the declared value, or are absent (§6)."""
    if tags is None:
        return []
    declared = {key.lower(): value for key, value in tags}
    facts = []
    for key in sym.keys:
        if not key.startswith(prefix):
            continue
        value = declared.get(key[len(prefix):])
        if value is None:
            facts.append(not_(sym.keys[key].given))
        else:
            facts.append(context_constraint(sym, ContextConstraint(key, ConstraintOp.EQUALS, (value,))))
    return facts


def _role_named(sym: SymbolicRequest, role_arn: str) -> z3.BoolRef:
    """The caller is the role or one of its sessions (whose role ARN keeps the
    role's path, §6). Compared on the caller's fields (`principal_shape` lays role
    ARNs out as arn:aws:iam::ACCOUNT:role/PATH NAME), not as a word equation."""
    role = parse_iam_arn(role_arn, kind="role")
    if role is None or role.partition != "aws":
        return and_(sym.has_role_arn, sym.role_arn == string_val(role_arn))
    return all_of([sym.has_role_arn, sym.principal_account == string_val(role.account),
                   sym.principal_path == string_val(role.path), sym.principal_name == string_val(role.name)])


def _user_named(sym: SymbolicRequest, user_arn: str) -> z3.BoolRef:
    """The caller's ARN is `user_arn`, on the fields when it is a user's ARN."""
    user = parse_iam_arn(user_arn, kind="user")
    if user is None or user.partition != "aws":
        return and_(sym.has_arn, sym.principal_arn == string_val(user_arn))
    return all_of([sym.kind_is(PrincipalKind.USER), sym.has_arn, sym.principal_account == string_val(user.account),
                   sym.principal_path == string_val(user.path), sym.principal_name == string_val(user.name)])


def context_constraint(sym: SymbolicRequest, constraint: ContextConstraint) -> z3.BoolRef:
    """The constraint on a key the policies read; TRUE for a key they do not (it
    cannot change a decision; the prover adds it to the witness for display)."""
    terms = sym.keys.get(constraint.key.lower())
    if terms is None:
        return TRUE
    op = constraint.op
    if op is ConstraintOp.PRESENT:
        return terms.given
    if op is ConstraintOp.ABSENT:
        return not_(terms.given)
    if op in (ConstraintOp.EQUALS, ConstraintOp.LIKE, ConstraintOp.IP_IN):
        return and_(terms.present, _all_values(terms, lambda i: _matches(terms, i, constraint)))
    return or_(not_(terms.present), _all_values(terms, lambda i: not_(_matches(terms, i, constraint))))


def _all_values(terms: KeyTerms, predicate: object) -> z3.BoolRef:
    assert callable(predicate)
    return all_of(implies(terms.active(i), predicate(i)) for i in range(len(terms.slots)))


def _matches(terms: KeyTerms, index: int, constraint: ContextConstraint) -> z3.BoolRef:
    slot = terms.slots[index]
    op = constraint.op
    if op in (ConstraintOp.IP_IN, ConstraintOp.IP_NOT_IN):
        if slot.ip is None or slot.is_v4 is None or slot.ip_ok is None:
            raise EncodingError(f"context constraint on {constraint.key}",
                                f"{constraint.key} is not compared as an IP address by the policies")
        networks = [ipaddress.ip_network(v, strict=False) for v in constraint.values]
        return and_(slot.ip_ok, any_of(ips.in_network(slot.is_v4, slot.ip, n) for n in networks))
    if slot.text is not None:
        if op in (ConstraintOp.LIKE, ConstraintOp.NOT_LIKE):
            return any_of(glob_term(slot.text, v) for v in constraint.values)
        return any_of(slot.text == string_val(v) for v in constraint.values)
    if slot.real is not None and slot.number_ok is not None:
        values = [parse_number(v) for v in constraint.values]
        if any(v is None for v in values) or op not in (ConstraintOp.EQUALS, ConstraintOp.NOT_EQUALS):
            raise EncodingError(f"context constraint on {constraint.key}")
        return any_of(slot.real == numbers.real_val(v) for v in values if v is not None)
    if slot.ip is not None and slot.ip_ok is not None and slot.is_v4 is not None:
        addresses = [ipaddress.ip_address(v) for v in constraint.values]
        return and_(slot.ip_ok, any_of(and_(slot.is_v4 == (a.version == 4), slot.ip == ips.address_bits(a))
                                       for a in addresses))
    return FALSE


def blocked(terms_sets: Sequence[Sequence[z3.BoolRef]]) -> list[z3.BoolRef]:
    """Each found class is blocked: not all of its indicator terms hold again."""
    return [not_(all_of(terms)) for terms in terms_sets]


def statement_indicators(chain_slots: Sequence[object], refs: Sequence[tuple[str, int]]) -> list[z3.BoolRef]:
    """The `applies` terms of the named statements (slot name, statement index)."""
    from reasoner.encodings.chain import SlotTerms

    wanted = set(refs)
    found = []
    for slot in chain_slots:
        assert isinstance(slot, SlotTerms)
        for terms in slot.statements:
            if (slot.name, terms.statement.index) in wanted:
                found.append(terms.applies)
    return found
