"""Deciding one edge of the reachability graph, and many in a process pool.

An edge is decided per network (`EdgeTask.networks`): it exists when some network
lets a request through. First a concrete probe: the class's representative caller
with the pinned context keys, through the reference evaluator; an Allow is a
witness by itself. Otherwise `space_query` over the whole chain, whose witness
`run_query` replays. Results are cached per (policy-set fingerprint, space).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace

from reasoner.accounts.edge_store import ALONE, FOLLOWS, LEADS, edge_key, read_edge, write_edge
from reasoner.accounts.graph import EdgeTask
from reasoner.accounts.guided import guided_probe
from reasoner.accounts.symmetry import canonical_task, probe_caller, renamed_witness, symmetry_key
from reasoner.checks.access_points import through_access_point
from reasoner.evaluation.evaluate import derived_context, evaluate, policy_slots
from reasoner.evaluation.membership import outside_space
from reasoner.evaluation.scenario import parse_principal
from reasoner.evaluation.spaces import ConstraintOp, RequestSpace
from reasoner.policy.digest import policy_set_key
from reasoner.policy.model import Decision, PolicySet, Request
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import Cached, ResultCache
from reasoner.solving.witness import Witness, read_keys, with_network_keys, with_space_keys

PASS, FAIL, UNKNOWN = "PASS", "FAIL", "UNKNOWN"
# An edge is a fact, not a check's verdict: outputs say whether it exists, never FAIL/PASS
EDGE_STATES = {FAIL: "exists", PASS: "absent", UNKNOWN: "unknown"}
GroupKey = tuple[object, ...]  # symmetry.symmetry_key
Progress = Callable[[int, int], None]
Counts = tuple[int, int, int]  # a result cache's hits, misses and rejected entries


@dataclass(frozen=True)
class EdgeResult:
    source: str
    target: str
    relation: str
    status: str  # FAIL: the edge exists; PASS: proven absent; UNKNOWN (outputs: EDGE_STATES)
    witness: Witness | None = None
    network: str | None = None  # where the witness arrives
    # "probe" (evaluator), "smt", "symmetry" (decided with an edge that differs only in
    # the caller's name, symmetry.py), or "principal" (no Allow statement names the caller);
    # an edge decided with one that only the target's name tells apart carries that one's
    method: str = "smt"
    reason: str | None = None
    seconds: float = 0.0

    @functools.cached_property
    def kind(self) -> str | None:
        """What besides policies opened the edge, from its witness's deciding
        statements: `acl` (an S3 ACL grant), `grant` (a KMS grant), `access-point`
        (an access point policy); None for policies alone."""
        if self.witness is None:
            return None
        slots = {ref.policy for ref in self.witness.result.determining}
        for kind, names in (("acl", {"bucket_acl", "object_acl"}), ("grant", {"kms_grants"}),
                            ("access-point", {"access_point_policy"})):
            if slots & names:
                return kind
        return None

    @property
    def label(self) -> str:
        """What the edge means, in words ("can assume", "can access (acl)"), "(undecided)" when UNKNOWN."""
        words = self.relation.replace("-", " ")
        if self.kind is not None:
            words += f" ({self.kind})"
        return words if self.status == FAIL else f"{words} ({'undecided' if self.status == UNKNOWN else 'absent'})"


def probe(task: EdgeTask, policies: PolicySet, space: RequestSpace) -> Witness | None:
    """The representative request of the edge, when the evaluator allows it."""
    principal = probe_caller(task)
    if principal is None:
        return None
    context = {key: (value,) for key, value in derived_context(principal).items()}
    for constraint in space.context:
        if constraint.op is ConstraintOp.EQUALS and constraint.values:
            context[constraint.key.lower()] = (constraint.values[0],)
    read = read_keys([slot.policy for slot in policy_slots(policies)])
    for action in task.actions:
        if "*" in action or "?" in action:
            continue
        request = Request(principal, action, task.probe_resource, space.resource_account, context)
        if outside_space(space, request, read) is not None:
            continue  # e.g. a key the space requires that the probe cannot fill in: the query decides
        result = evaluate(request, policies)
        if result.decision is Decision.ALLOW:
            return with_network(Witness(request, result), space, policies)
    return None


def with_network(witness: Witness, space: RequestSpace, policies: PolicySet) -> Witness:
    """The witness with the network keys AWS sends that neither the policies nor
    the space read (`evaluation.network.completions`)."""
    policies_read = read_keys([slot.policy for slot in policy_slots(policies)])
    read = policies_read | {c.key.lower() for c in space.context}

    def accept(request: Request) -> bool:
        added = set(request.context) - set(witness.request.context)
        return evaluate(request, policies).decision is witness.result.decision and \
            outside_space(space, request, policies_read | added) is None

    request = with_network_keys(witness.request, read, accept)
    return witness if request is witness.request else Witness(request, evaluate(request, policies))


def decide(task: EdgeTask, budget: Budget, *, use_probe: bool = True, store: ResultCache | None = None) -> EdgeResult:
    """The edge decided network by network: the probe, else the query (its answer
    from `store` when it holds it)."""
    import time

    from reasoner.encodings.invariants import space_query, space_replays
    from reasoner.encodings.options import DEFAULT
    from reasoner.policy.model import PrincipalKind
    from reasoner.solving.query import run_query

    started = time.perf_counter()
    unknown: list[str] = []
    for label, policies, space in task.networks:
        if use_probe:
            witness = probe(task, policies, space)
            if witness is None:
                guided = guided_probe(task, policies, space)
                witness = None if guided is None else with_network(guided, space, policies)
            if witness is not None:
                return EdgeResult(task.source, task.target, task.relation, FAIL, witness, label, "probe",
                                  seconds=time.perf_counter() - started)

        if policies.access_point is not None:
            # decided by the access point's side and the bucket's grants (checks/access_points.py)
            status, witness, why = through_access_point(policies, space, budget, store, task.relation)
            if status == UNKNOWN:
                unknown.append(f"{label}: {why}")
            if status != FAIL or witness is None:
                continue
        else:
            def build(policies: PolicySet = policies, space: RequestSpace = space) -> object:
                return space_query(policies, space, want_allowed=True)

            cached = None if store is None else Cached(store, (policies, space, True, DEFAULT),
                                                       space_replays(policies, want_allowed=True))
            result = run_query(build, budget, lambda witness: [], task.relation, cached)
            if result.result == UNKNOWN:
                unknown.append(f"{label}: {result.unknown_reason}")
            if result.result != FAIL or result.witness is None:
                continue
            witness = result.witness
        named = task.probe_principal
        kind = witness.request.principal.kind
        if kind in (PrincipalKind.SERVICE, PrincipalKind.WEB_IDENTITY) and witness.request.principal.text != named:
            # the space cannot pin a service or provider name: re-ask for the named one
            renamed = replace(witness.request, principal=parse_principal(named, source="probe"))
            replayed = evaluate(renamed, policies)
            if replayed.decision is not Decision.ALLOW:
                unknown.append(f"{label}: the witness is {witness.request.principal.text}, not {named}")
                continue
            witness = Witness(renamed, replayed)
        witness = with_network(with_space_keys(witness, space, policies), space, policies)
        return EdgeResult(task.source, task.target, task.relation, FAIL, witness,
                          label, "smt", seconds=time.perf_counter() - started)
    status = UNKNOWN if unknown else PASS
    return EdgeResult(task.source, task.target, task.relation, status, reason="; ".join(unknown) or None,
                      seconds=time.perf_counter() - started)




class EdgeKey:
    """A task's key in a run (`EdgeCache.key`): equal for edges decided alike. Its
    hash is computed once: a request space's hash walks every field, and a run looks
    each key up several times."""

    __slots__ = ("_hash", "parts")

    def __init__(self, parts: tuple[object, ...]) -> None:
        self.parts = parts
        self._hash = hash(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EdgeKey) and self._hash == other._hash and self.parts == other.parts

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[EdgeKey], tuple[tuple[object, ...]]]:
        return EdgeKey, (self.parts,)  # hashed again in the process that reads it


class EdgeCache:
    """Decided edges by fingerprint of their (policies, space) per network."""

    def __init__(self) -> None:
        self.results: dict[EdgeKey, EdgeResult] = {}
        self.hits = 0
        # the first edge decided of each symmetry group (symmetry.py), for the groups'
        # later edges, in this call of `decide_all` or a later one
        self.leaders: dict[GroupKey, EdgeKey] = {}
        self.stored: dict[EdgeKey, str] = {}  # the edges' keys in the persistent cache (edge_store.py)
        self.led: dict[str, EdgeKey] = {}  # the persistent keys of the edges leading a group in this run
        self.canonical: dict[EdgeKey, EdgeKey] = {}  # a group's leader -> its canonical edge, which all follow

    @staticmethod
    def key(task: EdgeTask) -> EdgeKey:
        return EdgeKey((task.probe_principal, task.probe_role_arn, task.probe_resource,
                        tuple((policy_set_key(policies), space) for _, policies, space in task.networks)))


def _decide_one(arguments: tuple[EdgeTask, Budget, bool, ResultCache | None]) -> tuple[EdgeResult, Counts]:
    task, budget, use_probe, store = arguments
    result = decide(task, budget, use_probe=use_probe, store=store)
    return result, store.counts() if store is not None else (0, 0, 0)


def _decide_batch(items: list[tuple[EdgeKey, EdgeTask]], budget: Budget, use_probe: bool,
                  store: ResultCache | None) -> list[tuple[EdgeResult, Counts]]:
    """A batch of edges decided on a cluster worker, each with what the cache did for it."""
    answers = []
    for _, task in items:
        before = store.counts() if store is not None else (0, 0, 0)
        result = decide(task, budget, use_probe=use_probe, store=store)
        after = store.counts() if store is not None else (0, 0, 0)
        answers.append((result, (after[0] - before[0], after[1] - before[1], after[2] - before[2])))
    return answers


def decide_all(tasks: Sequence[EdgeTask], *, budget: Budget = DEFAULT_BUDGET, jobs: int = 1, use_probe: bool = True,
               cache: EdgeCache | None = None, progress: Progress | None = None,
               symmetry: bool = True, store: ResultCache | None = None,
               cluster: str | None = None) -> list[EdgeResult]:
    """Every task decided, in order; `jobs` > 1 runs them in a process pool, a
    `cluster` address on a Dask cluster (`cluster.py`); `symmetry`: edges that only
    the caller's name tells apart share one query; `store`: a persistent result
    cache, of whole edges (`edge_store.py`) and of the queries of those it does not
    hold."""
    cache = cache if cache is not None else EdgeCache()
    keys = [EdgeCache.key(task) for task in tasks]
    results: dict[int, EdgeResult] = {}
    pending: dict[EdgeKey, list[int]] = {}
    for index, key in enumerate(keys):
        if key in cache.results:
            cached = cache.results[key]
            results[index] = _as(cached, tasks[index])
            cache.hits += 1
        else:
            pending.setdefault(key, []).append(index)
    total, done = len(tasks), len(results)
    if progress is not None:
        progress(done, total)
    keep: dict[EdgeKey, str] = {}  # the persistent keys of the edges to keep once decided
    plan: list[tuple[EdgeKey, EdgeTask, EdgeKey | None]] = []  # an edge to decide, its leader (None: it leads)

    def record(key: EdgeKey, result: EdgeResult) -> None:
        nonlocal done
        cache.results[key] = result
        if key not in pending:  # a group's canonical edge (symmetry.canonical_task): no task of the call
            return
        for index in pending[key]:
            results[index] = _as(result, tasks[index])
        done += len(pending[key])
        if progress is not None:
            progress(done, total)
        if store is not None and key in keep:
            leader = leaders_of.get(key, key)
            role = ALONE if leader is None else LEADS if leader is key else FOLLOWS
            led_by = cache.stored.get(leader) if role == FOLLOWS and leader is not None else None
            if role != FOLLOWS or led_by is not None:
                write_edge(store, keep[key], result.status, result.method, result.network, result.witness,
                           result.reason, role, led_by)

    # One query per group of edges that only the caller's name (or the target's)
    # tells apart (symmetry.py): the first edge of a group to be asked, in this call
    # or an earlier one, leads it; the others follow from its answer. An edge read back
    # answers as it did when decided, so it is read back only in the same place in its
    # group: alone, or leading a group nobody leads yet, or following the very edge it
    # followed (which leads here too: alike before, alike now, as their inputs are the
    # same). Only those leading and those not read back need their group worked out.
    leaders_of: dict[EdgeKey, EdgeKey | None] = {}
    deciding: dict[EdgeKey, EdgeTask] = {}  # the groups' canonical edges to decide in this call
    for key, indices in pending.items():
        task = tasks[indices[0]]
        group: GroupKey | None = None
        if store is not None:
            cache.stored[key] = edge_key(task, key.parts, budget.units, use_probe=use_probe, symmetry=symmetry)

            def fits(role: str, led_by: str | None, task: EdgeTask = task) -> bool:
                nonlocal group
                if role == LEADS:
                    group = symmetry_key(task) if symmetry else None
                    return group is not None and group not in cache.leaders
                return role == ALONE or led_by in cache.led

            found = read_edge(store, cache.stored[key], task, fits)
            if found is not None:
                if found.role == LEADS and group is not None:
                    cache.leaders[group] = key
                    cache.led[cache.stored[key]] = key
                record(key, EdgeResult(task.source, task.target, task.relation, found.status, found.witness,
                                       found.network, found.method, found.reason))
                continue
            keep[key] = cache.stored[key]
        if group is None and symmetry:
            group = symmetry_key(task)
        leader = None if group is None else cache.leaders.setdefault(group, key)
        leaders_of[key] = leader
        if leader is key and store is not None:
            cache.led[cache.stored[key]] = key
        if leader is key:
            canonical = canonical_task(task)
            if canonical is not None:  # the group's edges, this one too, follow one decision of its canonical edge
                cache.canonical[key] = EdgeCache.key(canonical)
                if cache.canonical[key] not in cache.results and cache.canonical[key] not in deciding:
                    deciding[cache.canonical[key]] = canonical
                leader = cache.canonical[key]
        plan.append((key, task, None if leader is None or leader is key else cache.canonical.get(leader, leader)))
    work = [*deciding.items(), *((key, task) for key, task, leader in plan if leader is None)]
    followers = [(key, task, leader) for key, task, leader in plan if leader is not None]
    if cluster is not None and work:
        from functools import partial

        from reasoner.accounts.cluster import run_batches

        def lost(item: tuple[EdgeKey, EdgeTask], why: str) -> tuple[EdgeResult, Counts]:
            task = item[1]
            return EdgeResult(task.source, task.target, task.relation, UNKNOWN, method="cluster", reason=why), (0, 0, 0)

        def answered(item: tuple[EdgeKey, EdgeTask], answer: tuple[EdgeResult, Counts]) -> None:
            if store is not None:
                store.absorb(answer[1])
            record(item[0], answer[0])

        run_batches(cluster, work, partial(_decide_batch, budget=budget, use_probe=use_probe, store=store), lost,
                    answered)
    elif jobs <= 1 or len(work) <= 1:
        for key, task in work:
            record(key, decide(task, budget, use_probe=use_probe, store=store))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, os.cpu_count() or jobs)) as pool:
            futures = {pool.submit(_decide_one, (task, budget, use_probe, store)): key for key, task in work}
            for future in as_completed(futures):
                result, counts = future.result()
                if store is not None:
                    store.absorb(counts)
                record(futures[future], result)
    for key, task, leader in followers:
        record(key, _follow(task, cache.results[leader], budget, use_probe, store))
    return [results[index] for index in range(total)]


def _as(result: EdgeResult, task: EdgeTask) -> EdgeResult:
    """The result of an edge decided alike, as the task's own."""
    if result.source == task.source and result.target == task.target:
        return result
    return replace(result, source=task.source, target=task.target)


def _follow(task: EdgeTask, leader: EdgeResult, budget: Budget, use_probe: bool,
            store: ResultCache | None) -> EdgeResult:
    """An edge decided by the answer of its group's leader: a PASS holds for every
    caller of the group; otherwise the probe, or the leader's witness renamed and
    replayed. Anything else, and any witness that does not replay, is decided on
    its own."""
    renamed = leader.target != task.target  # another target: renaming first, as a probe costs as much
    if leader.status == PASS:
        return replace(leader, source=task.source, target=task.target, method=_shared_method(task, leader))
    if renamed and leader.status == FAIL and leader.witness is not None:
        found = _renamed(task, leader)
        if found is not None:
            return found
    if use_probe:
        for label, policies, space in task.networks:
            witness = probe(task, policies, space)
            if witness is not None:
                return EdgeResult(task.source, task.target, task.relation, FAIL, witness, label, "probe")
    if not renamed and leader.status == FAIL and leader.witness is not None:
        found = _renamed(task, leader)
        if found is not None:
            return found
    return decide(task, budget, use_probe=False, store=store)


def _renamed(task: EdgeTask, leader: EdgeResult) -> EdgeResult | None:
    """The leader's witness renamed to the edge's caller and target, when it replays."""
    arrival = next((p for label, p, _ in task.networks if label == leader.network), None)
    if arrival is None or leader.witness is None:
        return None
    witness = renamed_witness(leader.witness, task, arrival, leader.target, same_caller=task.source == leader.source)
    if witness is None:
        return None
    return replace(leader, source=task.source, target=task.target, witness=witness,
                   method=_shared_method(task, leader))


def _shared_method(task: EdgeTask, leader: EdgeResult) -> str:
    """"symmetry" for an edge of another caller than its leader's; for one only the
    target's name tells from it (the group's canonical edge, `symmetry.canonical_task`),
    the leader's own (the renamed probe is the edge's own probe)."""
    return "symmetry" if leader.source != task.source else leader.method
