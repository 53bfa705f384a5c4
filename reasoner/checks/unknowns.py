"""Checks on policies that hold unknown values as symbols
(`reasoner.encodings.unknowns`): variables of synthetic request keys, each a
fixed value of its domain.

A query covering every value of the symbols is the only one that can PASS. z3 is
slow on resource patterns that hold a variable, so a witness is first looked for
with every symbol at a sample value of its domain written into the policies (a
witness there is a witness: the unknown may take that value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reasoner.encodings.unknowns import SymbolDomain, outsider_facts, value_facts
from reasoner.policy.model import Policy
from reasoner.solving.budget import Budget
from reasoner.solving.query import CheckResult, run_query
from reasoner.solving.witness import Witness

SAMPLE_VALUES = {"account": ("123456789012", "210987654321", "999988887777"),
                 "region": ("us-east-1", "eu-west-1", "ap-southeast-2"),
                 "partition": ("aws", "aws-cn", "aws-us-gov"),
                 "name": ("example", "example1", "example2"),
                 "text": ("example", "example1", "example2")}
SAMPLE_SHARE = 0.3  # of the budget's work, for the try with every symbol at a sample value


@dataclass(frozen=True)
class SymbolicPolicy:
    """A policy whose variables over synthetic keys (`symbols`: key -> domain)
    stand for unknown values; `instantiate` gives the policy with chosen values."""

    policy: Policy
    symbols: Mapping[str, SymbolDomain]
    instantiate: Callable[[Mapping[str, str]], Policy]


def with_symbols(query: Any, symbols: Mapping[str, SymbolDomain], *, outsider: bool = False) -> Any:
    """A check's query (`encodings.queries.Query`) with the facts that make each
    symbol a fixed value of its domain and, for `no-public-access` (`outsider`),
    a value that identifies callers as a literal does."""
    domains = {key.lower(): domain for key, domain in symbols.items()}
    if not domains:
        return query
    facts = value_facts(query.sym, domains)
    if outsider:
        facts += outsider_facts(query.sym, list(query.policies), domains)
    return replace(query, assertions=(*query.assertions, *facts))


def run_with_symbols(make_query: Callable[[list[Policy]], Any], policies: Sequence[SymbolicPolicy],
                     budget: Budget, explain: Callable[[Witness], list[str]], check: str, *,
                     outsider: bool = False) -> tuple[CheckResult, dict[str, str]]:
    """The check on `policies` (`make_query` takes them in order) and the value each
    symbol takes in the witness, by key."""
    symbols: dict[str, SymbolDomain] = {}
    for item in policies:
        symbols.update(item.symbols)
    plain = [item.policy for item in policies]
    if not symbols:
        return run_query(lambda: make_query(plain), budget, explain, check), {}
    samples = {key: sample for key, domain in symbols.items() if (sample := _sample(domain)) is not None}
    left = budget
    if len(samples) == len(symbols):
        concrete = [item.instantiate(samples) for item in policies]
        first = run_query(lambda: make_query(concrete), replace(budget, units=budget.units * SAMPLE_SHARE), explain,
                          check)
        if first.result == "FAIL":
            return first, samples
        left = replace(budget, units=max(0.1, budget.units - first.work))
    result = run_query(lambda: with_symbols(make_query(plain), symbols, outsider=outsider), left, explain, check)
    chosen: dict[str, str] = {}
    if result.witness is not None:
        for key in symbols:
            values = result.witness.request.get(key)
            if values:
                chosen[key] = values[0]
    return result, chosen


def _sample(domain: SymbolDomain) -> str | None:
    return next((value for value in SAMPLE_VALUES[domain.domain] if value not in domain.excluded), None)
