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
from functools import partial
from typing import Any

from reasoner.encodings.queries import Replay
from reasoner.encodings.unknowns import SymbolDomain, outsider_facts, value_facts
from reasoner.errors import InputError, WitnessError
from reasoner.policy.model import Policy, PolicySet, Request
from reasoner.solving.budget import Budget
from reasoner.solving.cache import Cached, ResultCache
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


def with_symbols(query: Any, symbols: Mapping[str, SymbolDomain], *, outsider: bool = False,
                 policies: Sequence[SymbolicPolicy] = ()) -> Any:
    """A check's query (`encodings.queries.Query`) with the facts that make each
    symbol a fixed value of its domain and, for `no-public-access` (`outsider`),
    a value that identifies callers as a literal does. A witness replays through
    each of `policies` with its symbols at the values the witness chose (the
    evaluator never sees a symbol: a Principal's has no meaning to it)."""
    domains = {key.lower(): domain for key, domain in symbols.items()}
    if not domains:
        return query
    facts = value_facts(query.sym, domains)
    if outsider:
        facts += outsider_facts(query.sym, list(query.policies), domains)
    if policies:
        query = replace(query, replays_for=partial(_instantiated_replays, query.replays, tuple(policies),
                                                   tuple(symbols)))
    return replace(query, assertions=(*query.assertions, *facts))


def _instantiated_replays(replays: tuple[Replay, ...], policies: tuple[SymbolicPolicy, ...], keys: tuple[str, ...],
                          request: Request) -> tuple[Replay, ...]:
    """`replays` with each symbolic policy at the values `request` gives its keys."""
    chosen = {key: values[0] for key in keys if (values := request.get(key))}
    if len(chosen) != len(keys):
        missing = ", ".join(sorted(set(keys) - set(chosen)))
        raise WitnessError(f"the witness gives no value to {missing}")
    try:
        instances = {id(item.policy): item.instantiate(chosen) for item in policies if item.symbols}
    except InputError as error:  # a value the domain allows that the policy reader refuses
        raise WitnessError(f"the witness's values make a policy that cannot be read: {error}") from None

    def instance(policy: Policy) -> Policy:
        return instances.get(id(policy), policy)

    return tuple(replace(item, policies=map_policies(item.policies, instance)) for item in replays)


def map_policies(policies: PolicySet, change: Callable[[Policy], Policy]) -> PolicySet:
    """Every policy of a set through `change`."""

    def one(policy: Policy | None) -> Policy | None:
        return None if policy is None else change(policy)

    return replace(policies,
                   identity_policies=tuple(change(p) for p in policies.identity_policies),
                   permissions_boundary=one(policies.permissions_boundary),
                   session_policy=one(policies.session_policy),
                   scps=tuple(tuple(change(p) for p in level) for level in policies.scps),
                   rcps=tuple(tuple(change(p) for p in level) for level in policies.rcps),
                   resource_policy=one(policies.resource_policy),
                   vpc_endpoint_policy=one(policies.vpc_endpoint_policy),
                   acls=tuple(change(p) for p in policies.acls),
                   kms_grants=one(policies.kms_grants))


@dataclass(frozen=True)
class CacheUse:
    """How the check's answers are kept in a result cache (`--cache`): the store,
    what the check is besides its policies (its name, options; canonical data), and
    the policy sets a witness of the check on given policies replays through."""

    store: ResultCache
    material: Any
    replays: Callable[[list[Policy]], tuple[Replay, ...]]

    def cached(self, stage: str, policies: list[Policy], extra: Any = None,
               replays_for: Callable[[Request], tuple[Replay, ...]] | None = None) -> Cached:
        return Cached(self.store, (stage, self.material, tuple(policies), extra), self.replays(policies),
                      replays_for=replays_for)


def run_with_symbols(make_query: Callable[[list[Policy]], Any], policies: Sequence[SymbolicPolicy],
                     budget: Budget, explain: Callable[[Witness], list[str]], check: str, *,
                     outsider: bool = False, cache: CacheUse | None = None) -> tuple[CheckResult, dict[str, str]]:
    """The check on `policies` (`make_query` takes them in order) and the value each
    symbol takes in the witness, by key. With `cache`, each of the queries below is
    looked up and stored under its own key (a stored witness replayed as a fresh one)."""
    symbols: dict[str, SymbolDomain] = {}
    for item in policies:
        symbols.update(item.symbols)
    plain = [item.policy for item in policies]
    if not symbols:
        return run_query(lambda: make_query(plain), budget, explain, check,
                         None if cache is None else cache.cached("plain", plain)), {}
    samples = {key: sample for key, domain in symbols.items() if (sample := _sample(domain)) is not None}
    left = budget
    if len(samples) == len(symbols):
        concrete = [item.instantiate(samples) for item in policies]
        first = run_query(lambda: make_query(concrete), replace(budget, units=budget.units * SAMPLE_SHARE), explain,
                          check, None if cache is None else cache.cached("sample", concrete))
        if first.result == "FAIL":
            return first, samples
        left = replace(budget, units=max(0.1, budget.units - first.work))
    cached = None
    if cache is not None:
        replays_for = partial(_instantiated_replays, cache.replays(plain), tuple(policies), tuple(symbols))
        domains = sorted((key.lower(), domain) for key, domain in symbols.items())
        cached = cache.cached("symbolic", plain, (domains, outsider), replays_for)
    result = run_query(lambda: with_symbols(make_query(plain), symbols, outsider=outsider, policies=policies), left,
                       explain, check, cached)
    chosen: dict[str, str] = {}
    if result.witness is not None:
        for key in symbols:
            values = result.witness.request.get(key)
            if values:
                chosen[key] = values[0]
    return result, chosen


def _sample(domain: SymbolDomain) -> str | None:
    return next((value for value in SAMPLE_VALUES[domain.domain] if value not in domain.excluded), None)
