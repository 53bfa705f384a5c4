"""Unknown values of infrastructure code kept symbolic (`reasoner.inputs.iac.symbolic`).

An unknown (the stack's account, a generated queue name) is written in a policy as
the variable of a synthetic request key (`${iac.AWS__AccountId}`); a request holds
one value per key, so a query over every request covers every value the unknown
may take. Two facts make the variable mean "a fixed value of its domain":

- the key is in every request, single-valued, with a value of the unknown's
  domain (twelve digits for an account, ...) and none of its excluded values
  (`value_facts`);
- for `no-public-access`, a value the policy names through an unknown identifies
  a caller exactly as a literal does (`outsider_facts`, mirroring
  `queries.outsider`): the caller's identifying values differ from it, and an
  account-valued unknown is not the caller's account nor inside an identifying
  value.

Synthetic keys have no colon, so the well-formedness rules for service keys
(`wellformed._service_keys`: `s3:prefix` only on S3 actions) never apply to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import z3

from reasoner.encodings.queries import IDENTIFYING_KEYS
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.strings import any_string, string_val
from reasoner.encodings.terms import implies, not_
from reasoner.policy.matching import Variable, tokenize
from reasoner.policy.model import Policy

PARTITION_NAMES = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")


@dataclass(frozen=True)
class SymbolDomain:
    """What one synthetic key may hold: `domain` is account, region, partition,
    name or text; `excluded` values it is known not to take."""

    domain: str
    excluded: tuple[str, ...] = ()


def _domain_regex(domain: str) -> z3.ReRef:
    digit = z3.Range("0", "9")
    lower = z3.Range("a", "z")
    if domain == "account":
        return z3.Loop(digit, 12, 12)
    if domain == "region":
        word = z3.Plus(lower)
        return z3.Concat(lower, lower, z3.Plus(z3.Concat(z3.Re("-"), word)), z3.Re("-"), z3.Plus(digit))
    if domain == "partition":
        return z3.Union(*(z3.Re(name) for name in PARTITION_NAMES))
    if domain == "name":
        slash_or_colon = z3.Union(z3.Re("/"), z3.Re(":"))
        return z3.Intersect(z3.Plus(z3.AllChar(z3.ReSort(z3.StringSort()))),
                            z3.Complement(z3.Concat(any_string(), slash_or_colon, any_string())))
    return z3.Plus(z3.AllChar(z3.ReSort(z3.StringSort())))


def value_facts(sym: SymbolicRequest, symbols: Mapping[str, SymbolDomain]) -> list[z3.BoolRef]:
    """Each synthetic key the query uses holds one value of its domain."""
    facts: list[z3.BoolRef] = []
    for key, domain in symbols.items():
        terms = sym.keys.get(key.lower())
        if terms is None or terms.multi or not terms.slots or terms.slots[0].text is None:
            continue
        text = terms.slots[0].text
        facts += [terms.given, terms.present, z3.InRe(text, _domain_regex(domain.domain))]
        facts += [text != string_val(value) for value in domain.excluded]
    return facts


def _term(sym: SymbolicRequest, text: str, symbols: Mapping[str, SymbolDomain]) -> z3.SeqRef | None:
    """The value of a policy string whose variables are synthetic keys, or None
    when it holds no synthetic key (a literal: `queries.outsider` covers it)."""
    tokens = tokenize(text, variables=True, wildcards=False)
    if not any(isinstance(t, Variable) and t.key in symbols for t in tokens):
        return None
    pieces: list[z3.SeqRef] = []
    for token in tokens:
        if isinstance(token, Variable):
            if token.key not in symbols:
                return None  # a request's own variable: its value is no fixed value
            _, value = sym.lookup(token.key)
            pieces.append(value)
        else:
            pieces.append(string_val(str(token)))
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)


def _named_strings(policies: Iterable[Policy]) -> list[str]:
    found: list[str] = []
    for policy in policies:
        if not policy.variables_enabled:
            continue
        for statement in policy.statements:
            for condition in statement.conditions:
                found.extend(condition.values)
            found.extend(statement.resources or ())
            found.extend(statement.not_resources or ())
    return found


def outsider_facts(sym: SymbolicRequest, policies: Sequence[Policy],
                   symbols: Mapping[str, SymbolDomain]) -> list[z3.BoolRef]:
    """The caller is identified by no value the policies name through an unknown."""
    lowered = {key.lower(): domain for key, domain in symbols.items()}
    named = [term for text in _named_strings(policies) if (term := _term(sym, text, lowered)) is not None]
    accounts = []
    for key, domain in lowered.items():
        terms = sym.keys.get(key)
        if domain.domain == "account" and terms is not None and terms.slots and terms.slots[0].text is not None:
            accounts.append(terms.slots[0].text)
    facts: list[z3.BoolRef] = [implies(sym.has_account, sym.principal_account != account) for account in accounts]
    for key in IDENTIFYING_KEYS:
        terms = sym.keys.get(key)
        if terms is None:
            continue
        for index, slot in enumerate(terms.slots):
            if slot.text is None:
                continue
            fresh = [slot.text != term for term in named]
            fresh += [not_(z3.Contains(slot.text, account)) for account in accounts]
            facts += [implies(terms.active(index), fact) for fact in fresh]
    return facts
