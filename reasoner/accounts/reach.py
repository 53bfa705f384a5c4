"""`perimeter reach` and `perimeter who-can` over a snapshot's graph (networkx).

Outputs use the one result vocabulary of every command (README, "Results and exit
codes"): a path found is FAIL (exit 1), a proof that none exists PASS (exit 0), an
undecided edge on a would-be path UNKNOWN (exit 3); an edge itself is a fact, shown as
`exists`, `absent` or `unknown` with what it means ("can assume"), never as FAIL.

A path is a sequence of FAIL edges (each with its replayed witness). "No path" is
claimed only when every candidate edge out of the nodes the source could reach was
proven absent (PASS) or excluded because no Allow statement names the caller (or, across
accounts, no Allow statement of its identity policies grants the action); an
UNKNOWN edge on a would-be path makes the answer UNKNOWN.
"""

from __future__ import annotations

import collections
import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import orjson

from reasoner.accounts.alike import ONE_OF, AlikeClass, alike_classes
from reasoner.accounts.answer_store import (
    KeptAnswer,
    PrincipalEntry,
    answer_key,
    principal_key,
    read_answer,
    read_principals,
    record_digest,
    shown_record,
    shows,
    write_answer,
    write_principals,
)
from reasoner.accounts.edges import EDGE_STATES, FAIL, PASS, UNKNOWN, EdgeCache, EdgeResult, decide_all
from reasoner.accounts.graph import (
    ACCESS,
    ANONYMOUS,
    ASSUME,
    OUTSIDE_ORG,
    Caller,
    EdgeTask,
    NodeKind,
    SnapshotGraph,
    Target,
    unknown_resource_policy,
)
from reasoner.accounts.json_text import indented
from reasoner.accounts.symmetry import name_blind
from reasoner.errors import InputError, WitnessError
from reasoner.evaluation.scenario import account_of_arn
from reasoner.inputs.snapshot import IamRole, Snapshot, make_resource
from reasoner.policy.callers import calling_kinds, may_grant
from reasoner.policy.model import Decision, PolicySet, Request, Result
from reasoner.policy.names import NAME_MAX, PATH_MAX
from reasoner.prove.scopes import declared_resource_patterns
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import ResultCache, request_from
from reasoner.solving.witness import replay

FOUND, NO_PATH = "FOUND", "NO_PATH"
Progress = Callable[[int, int], None]

_SYMBOLIC_CLASS = re.compile(r"(?:account:(\d{12}))|(?:roles:(\d{12}):(.+))")
# an IAM path and name with `*` and `?` (reasoner.policy.names)
_ROLE_PATTERN = re.compile(rf"[!-~]{{1,{PATH_MAX + NAME_MAX}}}")
_CLASS_ALIASES = {"outside-org": OUTSIDE_ORG, "external": OUTSIDE_ORG, "outside": OUTSIDE_ORG,
                  "anonymous": ANONYMOUS}


@dataclass(frozen=True)
class ReachAnswer:
    status: str  # FOUND, NO_PATH or UNKNOWN
    source: str
    target: str
    actions: tuple[str, ...]
    path: tuple[EdgeResult, ...] = ()  # FOUND: one FAIL edge per hop
    unknown_edges: tuple[EdgeResult, ...] = ()  # UNKNOWN: the undecided edges on would-be paths
    reachable: tuple[str, ...] = ()  # principals the source reaches through FAIL edges
    proven_absent: int = 0  # edges decided PASS by the solver or the evaluator
    excluded: int = 0  # pairs no Allow statement names, or across accounts no identity policy grants

    @property
    def result(self) -> str:
        """The answer in the vocabulary of every command: a path found is FAIL."""
        return {FOUND: FAIL, NO_PATH: PASS}.get(self.status, UNKNOWN)


@dataclass(frozen=True)
class WhoCanEntry:
    principal: str
    label: str
    kind: str
    status: str  # FAIL: can; UNKNOWN: might
    path: tuple[EdgeResult, ...] = ()
    outside: bool = False  # outside the snapshot's zone of trust (`SnapshotGraph.outside_zone`)
    members: tuple[str, ...] = ()  # a class of callers alike (alike.py): its members, every one of whom can


@dataclass
class Reachability:
    """The graph of one snapshot, its edges decided on demand."""

    snapshot: Snapshot
    budget: Budget = DEFAULT_BUDGET
    jobs: int = 1
    use_probe: bool = True
    progress: Progress | None = None
    cache: EdgeCache = field(default_factory=EdgeCache)
    store: ResultCache | None = None  # a persistent result cache (--cache)
    cluster: str | None = None  # a Dask scheduler's address (--cluster)
    group_alike: bool = False  # callers only their names tell apart as one node (alike.py)
    whole_answers: bool = True  # with a store: who-can answers and the principal side kept whole (answer_store.py)
    # every edge the run shows is shown by `who_can_answer` (who-can's text and JSON): the
    # principal side read from the cache is then replayed edge by edge where an answer
    # shows it, not whole when read (a one-resource who-can shows a few of its edges)
    answers_only: bool = False

    def __post_init__(self) -> None:
        self.nodes = SnapshotGraph(self.snapshot)
        self.graph: nx.DiGraph[str] = nx.DiGraph()
        for caller in self.nodes.callers.values():
            self.graph.add_node(caller.node, kind=caller.kind.value, label=caller.label)
        self.alike: dict[str, AlikeClass] = {}
        self.class_of: dict[str, str] = {}  # member -> its class's node
        if self.group_alike:
            for alike in alike_classes(self.nodes.callers.values()):
                self.alike[alike.node] = alike
                self.class_of.update((member, alike.node) for member in alike.members)
                self.graph.add_node(alike.node, kind=alike.caller.kind.value, label=alike.caller.label,
                                    members=alike.members)
        self._blind: dict[str, bool] = {}  # target node -> no policy on its side observes a caller's name
        self.excluded = 0
        self._gaps: dict[str, tuple[str, ...]] = {}  # target node -> what the collection lacks for it
        self._unread: set[str] = set()  # targets whose policy the collection could not read: never decided
        self._open: dict[str, tuple[str, ...]] = {}  # target node -> unread parts that could allow more
        self._open_tasks: dict[tuple[str, str], EdgeTask] = {}  # (caller, target) -> the task with stand-ins
        self._done: set[tuple[str, str, str]] = set()
        self._assumed: set[str] = set()  # callers whose edges to every role are tasks already
        self._role_targets: dict[str, Target] = {}
        self._targets: dict[str, Target] = {}  # resource node -> its Target, as `target` made it
        self._replayed: dict[tuple[str, ...], set[bytes]] = {}  # `_replays_shown`'s: records that replayed
        self._replayed_refs: set[bytes] = set()  # `_replays_refs`'s: digests of lines that replayed
        # `_shown_parts`'s: an edge between principals, its shown record and that record's digest
        self._records: dict[tuple[str, str, str], tuple[EdgeResult, bytes, bytes]] = {}
        # principal key -> the principal side's entry, as read or written (None: none to trust)
        self._entries: dict[str, PrincipalEntry | None] = {}
        self._members_added = False
        self._unreplayed: set[tuple[str, str, str]] = set()  # principal-side edges read, not yet replayed
        self._principal_entry_failed = False  # an edge of the principal side's entry did not replay
        self._order: tuple[int, list[tuple[Caller, tuple[str, ...]]]] | None = None  # `_listing_order`'s
        self._principal_edges = 0  # edges into principals added so far: a version of the graph between them
        self._beyond: dict[tuple[object, ...], dict[str, EdgeResult | None]] = {}  # `_toward`'s searches
        self._principals_key: tuple[int, str] | None = None  # (callers, answer_store.principal_key)
        self._undecided = 0  # UNKNOWN edges in the graph: a search over it may print another path once decided

    # -- naming ----------------------------------------------------------------

    def source_node(self, text: str) -> str:
        """A principal class (outside-org, anonymous, account:ID, roles:ID:NAME_PATTERN,
        service:NAME, federated:PROVIDER) or a user, role or role-session ARN of the snapshot."""
        name = _CLASS_ALIASES.get(text, text)
        if name in self.nodes.callers:
            return name
        symbolic = _SYMBOLIC_CLASS.fullmatch(text)
        if symbolic is not None:
            whole_account, account, pattern = symbolic.groups()
            if pattern is not None and not _ROLE_PATTERN.fullmatch(pattern):
                raise InputError("--from", "", f'"{pattern}" is not a role name pattern (a path and a name of '
                                               f"printable ASCII, at most {PATH_MAX + NAME_MAX} characters)")
            caller = self.nodes.add_account_class(whole_account) if whole_account else \
                self.nodes.add_role_class(account, pattern)
            self.graph.add_node(caller.node, kind=caller.kind.value, label=caller.label)
            return caller.node
        if ":assumed-role/" in text:
            fields = text.split(":", 5)
            role_name = fields[5].split("/")[1] if len(fields) == 6 else ""
            for role in self.snapshot.roles:
                if role.account == fields[4] and role.name == role_name:
                    return role.arn
        known = ", ".join(["outside-org", "anonymous", *sorted(n for n in self.nodes.callers if ":" in n
                                                               and not n.startswith("arn:"))][:12])
        raise InputError("--from", "", f'"{text}" is not a principal of the snapshot nor a class ({known}, ...)')

    def target(self, arn: str, account: str | None = None) -> Target:
        """A role or a resource of the snapshot, or one its ARN names the account of; or
        what an action is made on inside a bucket or table, as the checks take it: an
        object ARN or pattern (`arn:aws:s3:::prod-data/*` for s3:GetObject), whose
        requests are those to the bucket's objects the pattern matches."""
        role = self.snapshot.role(arn)
        if role is not None:
            return self.nodes.role_target(role)
        whole, inside = _container(arn, self.snapshot)
        resource = self.snapshot.resource(whole)
        if resource is None:
            collection = self.snapshot.collection
            owner = account or account_of_arn(whole) or (collection.owner(whole) if collection is not None else None)
            if owner is None:
                raise InputError("--to", "", f'"{arn}" is not in the snapshot\'s resources and its ARN has no account '
                                             "(give --resource-account, or list it in resources.json)")
            resource = make_resource(whole, None, source="--to", path="", account=owner)
            found = self.nodes.resource_target(resource, listed=False)
        else:
            found = self.nodes.resource_target(resource)
        if inside:
            found = replace(found, node=arn, arn=_probe_arn(arn), patterns=(arn,))
        if found.policy is unknown_resource_policy():
            self._unread.add(found.node)
        self.graph.add_node(found.node, kind=NodeKind.RESOURCE.value, label=found.node)
        self._targets[found.node] = found
        self._gaps[found.node] = found.gaps
        if found.open_gaps:
            self._open[found.node] = found.open_gaps
        return found

    # -- edges -----------------------------------------------------------------

    def _caller(self, node: str) -> Caller:
        alike = self.alike.get(node)
        return alike.caller if alike is not None else self.nodes.callers[node]

    def acting_callers(self) -> list[Caller]:
        """The callers whose edges are decided: every caller but the members of a class
        of callers alike, and the classes (a member's own edges come with its class's)."""
        return [c for c in self.nodes.callers.values() if c.node not in self.class_of] + \
            [alike.caller for alike in self.alike.values()]

    def _role_target(self, role: IamRole) -> Target:
        target = self._role_targets.get(role.arn)
        if target is None:
            target = self._role_targets[role.arn] = self.nodes.role_target(role)
            self._gaps[target.node] = target.gaps
        return target

    def _target_blind(self, target: Target) -> bool:
        """No policy on the target's side (its resource policy, ACLs, grants, RCPs, access
        point, the VPC endpoints' policies) can tell two callers alike apart."""
        known = self._blind.get(target.node)
        if known is None:
            extras = target.extras
            policies = [*target.resource_side(), *(p for level in target.rcps for p in level),
                        *(p for p in (extras.bucket_policy,) if p is not None),
                        *(e.policy for e in self.nodes.perimeter.vpc_endpoints if e.policy is not None)]
            if extras.access_point is not None and extras.access_point.policy is not None:
                policies.append(extras.access_point.policy)
            known = self._blind[target.node] = all(name_blind(policy) for policy in policies)
        return known

    def _per_caller(self, caller: Caller, target: Target, same_account_allows: bool = True) -> list[Caller]:
        """Who decides the caller's edge to the target: itself, or for a class of callers
        alike, the class, or its members one by one where the target observes names
        (only those its Allow statements could name, or, where the identity policies
        alone may allow, `same_account_allows`, every member of the target's account)."""
        if caller.node in self.class_of:  # a member alone: only where its class cannot stand for it
            return [] if self._target_blind(target) else [caller]
        alike = self.alike.get(caller.node)
        if alike is None or self._target_blind(target):
            return [caller]
        if same_account_allows and alike.caller.account == target.account:
            return [self.nodes.callers[m] for m in alike.members]
        named = self.nodes.names_within(target, alike.caller.account)
        members = [self.nodes.callers[m] for m in alike.members
                   if named is None or _principal_name(m) in named]
        return [m for m in members if self.nodes.names(target, m)]

    def _assume_tasks(self, callers: Iterable[Caller]) -> list[EdgeTask]:
        tasks = []
        for acting in callers:
            if acting.node in self._assumed:  # every role seen (who-can asks again per resource)
                continue
            self._assumed.add(acting.node)
            for role in self.snapshot.roles:
                target = self._role_target(role)
                for caller in self._per_caller(acting, target, same_account_allows=False):
                    if role.arn == caller.node or (caller.node, role.arn, ASSUME) in self._done:
                        continue
                    self._done.add((caller.node, role.arn, ASSUME))
                    # STS takes no anonymous AssumeRole call (`calling_kinds`); federated callers are their own
                    # nodes
                    actions = self.nodes.assume_actions(caller, role)
                    if not calling_kinds(caller.space.kinds, actions) or not self.nodes.named_by(
                            role.trust_policy, caller) or self._denied_by_identity(caller, target, actions):
                        self.excluded += 1
                        continue
                    tasks.append(self.nodes.task(caller, target, ASSUME, actions))
        return tasks

    def _access_tasks(self, callers: Iterable[Caller], target: Target, actions: tuple[str, ...]) -> list[EdgeTask]:
        tasks = []
        relation = ACCESS + " " + " ".join(actions)
        for acting in callers:
            for caller in self._per_caller(acting, target):
                key = (caller.node, target.node, relation)
                if key in self._done:
                    continue
                self._done.add(key)
                same_account = caller.account == target.account and caller.kind in (
                    NodeKind.USER, NodeKind.ROLE, NodeKind.ACCOUNT, NodeKind.ROLES)
                # a federated identity signs nothing but AssumeRoleWith* (Federated principals: trust policies,
                # §1.5)
                federated = caller.kind is NodeKind.FEDERATED and target.node not in self.nodes.callers
                # an unread ACL or grant could name any caller: no pair is excluded for want of one
                if federated or not calling_kinds(caller.space.kinds, actions) or (
                        not same_account and not target.open_gaps and not self.nodes.names(target, caller)) or \
                        self._denied_by_identity(caller, target, actions):
                    self.excluded += 1
                    continue
                tasks.append(self.nodes.task(caller, target, ACCESS, actions))
                if target.open_extras is not None:
                    self._open_tasks[(caller.node, target.node)] = self.nodes.task(
                        caller, replace(target, extras=target.open_extras), ACCESS, actions)
        return tasks

    def _denied_by_identity(self, caller: Caller, target: Target, actions: tuple[str, ...]) -> bool:
        """A user's or role's request to another account's resource needs its identity
        policies to allow it (§5.4): no Allow statement of theirs grants any of the
        actions, and no KMS grant (which needs none) can be in play. Never for a caller
        whose policies the collection did not all read (a missing one could grant)."""
        if caller.kind not in (NodeKind.USER, NodeKind.ROLE) or caller.account == target.account or \
                target.extras.kms_grants is not None or target.open_gaps or caller.gaps:
            return False
        return not may_grant(caller.identity_policies, actions)

    def _memberships(self, nodes: Iterable[str]) -> list[EdgeResult]:
        """The `one-of` edge of each member among `nodes` to its class."""
        found = []
        for node in nodes:
            alike = self.class_of.get(node)
            if alike is not None and (node, alike, ONE_OF) not in self._done:
                self._done.add((node, alike, ONE_OF))
                found.append(EdgeResult(node, alike, ONE_OF, FAIL, method="symmetry"))
        return found

    def _run(self, tasks: Sequence[EdgeTask], callers: Iterable[Caller] = ()) -> list[EdgeResult]:
        unread = [task for task in tasks if task.target in self._unread]
        results = [self._with_gaps(result) for result in self._opened(self._decide(
            [task for task in tasks if task.target not in self._unread]))]
        results += [EdgeResult(task.source, task.target, task.relation, UNKNOWN, method="collection",
                               reason=f"not decided: {'; '.join(self._gaps[task.target])}") for task in unread]
        results += self._uncollected_accounts(callers)
        return self._add(results)

    def _add(self, results: list[EdgeResult]) -> list[EdgeResult]:
        for result in results:
            self._undecided += result.status == UNKNOWN
            if self._is_principal(result.target):
                self._principal_edges += 1
            self.graph.add_edge(result.source, result.target, relation=result.relation, status=result.status,
                                result=result)
        return results

    def _decide(self, tasks: Sequence[EdgeTask]) -> list[EdgeResult]:
        return decide_all(tasks, budget=self.budget, jobs=self.jobs, use_probe=self.use_probe, cache=self.cache,
                          progress=self.progress, store=self.store, cluster=self.cluster)

    def _opened(self, results: list[EdgeResult]) -> list[EdgeResult]:
        """An edge not found to a target with unread parts that could allow more (an ACL,
        the objects' ACLs, the grants) is decided again with stand-ins allowing everything
        in their place: absent then, it is absent whatever they hold; otherwise UNKNOWN,
        naming them (never a silent PASS)."""
        pending = [index for index, result in enumerate(results)
                   if result.status != FAIL and result.relation == ACCESS and result.target in self._open]
        variants = [(index, self._open_tasks.get((results[index].source, results[index].target)))
                    for index in pending]
        decided = self._decide([task for _, task in variants if task is not None])
        again = iter(decided)
        found = list(results)
        for index, task in variants:
            result = results[index]
            other = next(again) if task is not None else None
            gaps = "; ".join(self._open[result.target])
            if result.status == PASS and other is not None and other.status == PASS:
                continue
            if result.status == PASS:
                why = ("with a stand-in allowing everything in their place a request is allowed" if other is not None
                       and other.status == FAIL else "not decided with them")
                found[index] = replace(result, status=UNKNOWN, method="collection", reason=(
                    f"no request is allowed by what the collection read, but it did not read {gaps} ({why})"))
            else:
                found[index] = replace(result, reason=f"{result.reason}; and the collection did not read {gaps}")
        return found

    def _with_gaps(self, result: EdgeResult) -> EdgeResult:
        """A found edge that depends on a piece the collection lacks is UNKNOWN, naming it
        (a missing policy never reads as "none", nor a found edge as certain)."""
        if result.status == PASS:
            return result
        alike = self.alike.get(result.source)
        caller = alike.caller if alike is not None else self.nodes.callers.get(result.source)
        gaps = (caller.gaps if caller is not None else ()) + self._gaps.get(result.target, ())
        collection = self.snapshot.collection
        if collection is not None and result.witness is not None:
            declared = {endpoint.id for endpoint in self.snapshot.vpc_endpoints}
            gaps += collection.endpoint_gaps(result.witness.request.context, declared)
        if not gaps:
            return result
        if result.status == UNKNOWN:
            return replace(result, reason=f"{result.reason}; and it depends on what the collection could not read "
                                          f"({'; '.join(dict.fromkeys(gaps))})")
        return replace(result, status=UNKNOWN, reason="depends on what the collection could not read "
                       f"({'; '.join(dict.fromkeys(gaps))}); a request was allowed without it")

    def _uncollected_accounts(self, callers: Iterable[Caller]) -> list[EdgeResult]:
        """An account whose IAM was not collected may hold roles any caller can assume:
        an UNKNOWN edge from each caller to the account's class, naming why."""
        found = []
        for account, why in sorted(self.nodes.uncollected_iam.items()):
            node = f"account:{account}"
            for caller in callers:
                key = (caller.node, node, ASSUME)
                if caller.node == node or caller.node in self.class_of or key in self._done or \
                        not calling_kinds(caller.space.kinds, ("sts:AssumeRole",)):
                    continue
                self._done.add(key)
                found.append(EdgeResult(caller.node, node, ASSUME, UNKNOWN, method="collection", reason=(
                    f"the roles of account {account} and their trust policies were not collected ({why})")))
        return found

    def build(self, targets: Sequence[tuple[Target, tuple[str, ...]]] = ()) -> None:
        """Every candidate edge: between principals, and to each target."""
        callers = self.acting_callers()
        if not self._members_added:  # the principal side, once
            self._members_added = True
            if not self._read_principals(callers):
                added = self._run(self._assume_tasks(callers), callers)
                added += self._add(self._memberships(self.class_of))
                if self.store is not None and self.whole_answers:
                    self._entries[self._principal_key()] = write_principals(self.store, self._principal_key(),
                                                                             added, self.excluded)
        tasks = self._assume_tasks(callers)
        for target, actions in targets:
            tasks += self._access_tasks(callers, target, actions)
        self._run(tasks, callers)

    def _principal_key(self) -> str:
        if self._principals_key is None or self._principals_key[0] != len(self.nodes.callers):
            self._principals_key = (len(self.nodes.callers), principal_key(
                self.nodes, self.budget, use_probe=self.use_probe, group_alike=self.group_alike))
        return self._principals_key[1]

    def _read_principals(self, callers: Sequence[Caller]) -> bool:
        """The principal side from the persistent cache (answer_store.py), as the
        first `build` adds it: False when it has no entry to trust."""
        store = self.store
        found = self._principal_entry()
        if store is None or found is None:
            return False
        try:
            edges = found.edges()
        except (KeyError, TypeError, ValueError):
            store.untrusted(store.principals)
            # no entry read again this run; the answers that name this one's lines still
            # replay each line before it is shown
            self._principal_entry_failed = True
            return False
        excluded = found.excluded
        if self.answers_only:
            self._unreplayed = {(edge.source, edge.target, edge.relation) for edge in edges if edge.witness is not None}
        elif not all(self.replays(edge) for edge in edges):
            store.untrusted(store.principals)  # decided again, and the entry rewritten
            return False
        self._assumed.update(caller.node for caller in callers)
        self._done.update((edge.source, edge.target, edge.relation) for edge in edges)
        self.excluded += excluded
        self._add(edges)
        return True

    def _principal_entry(self) -> PrincipalEntry | None:
        """The principal side's entry for today's principal key, read once per run (by
        `build`, or for the answers that name its lines) unless one did not replay, or
        as this run wrote it; None when there is none to trust."""
        if self.store is None or not self.whole_answers:
            return None
        key = self._principal_key()
        if key not in self._entries:
            self._entries[key] = None if self._principal_entry_failed else read_principals(self.store, key)
        return self._entries[key]

    def explore(self, source: str, target: Target, actions: tuple[str, ...]) -> None:
        """Edges out of every node the source may reach (through FAIL or UNKNOWN edges)."""
        seen = {source}
        frontier = [source]
        while frontier:
            callers = [self._caller(node) for node in frontier]
            results = self._run(self._assume_tasks(callers) + self._access_tasks(callers, target, actions), callers)
            results += self._add(self._memberships(frontier))
            fresh = sorted({r.target for r in results if r.status != PASS and r.relation in (ASSUME, ONE_OF)} - seen)
            seen.update(fresh)
            frontier = fresh

    # -- answers ---------------------------------------------------------------

    def _view(self, statuses: tuple[str, ...]) -> Any:
        return nx.subgraph_view(self.graph, filter_edge=lambda u, v: self.graph[u][v]["status"] in statuses)

    def path(self, source: str, target: str, statuses: tuple[str, ...] = (FAIL,)) -> list[EdgeResult] | None:
        view = self._view(statuses)
        try:
            nodes = nx.shortest_path(view, source, target)
        except nx.NetworkXNoPath:
            return None
        return [self.graph[u][v]["result"] for u, v in itertools.pairwise(nodes)]

    def reach(self, source_text: str, target_arn: str, actions: Sequence[str], *,
              resource_account: str | None = None) -> ReachAnswer:
        source = self.source_node(source_text)
        target = self.target(target_arn, resource_account)
        wanted = tuple(actions)
        self.explore(source, target, wanted)
        reachable = tuple(sorted(nx.descendants(self._view((FAIL,)), source) - {target.node}))
        decided = sum(1 for _, _, data in self.graph.edges(data=True) if data["status"] == PASS)
        found = self.path(source, target.node)
        if found is not None:
            return ReachAnswer(FOUND, source, target.node, wanted, tuple(found), reachable=reachable,
                               proven_absent=decided, excluded=self.excluded)
        unknown = self.unknown_on_paths(source, target.node)
        status = UNKNOWN if unknown else NO_PATH
        return ReachAnswer(status, source, target.node, wanted, unknown_edges=tuple(unknown), reachable=reachable,
                           proven_absent=decided, excluded=self.excluded)

    def unknown_on_paths(self, source: str, target: str) -> list[EdgeResult]:
        view = self._view((FAIL, UNKNOWN))
        if source not in view or target not in view:
            return []
        forward = nx.descendants(view, source) | {source}
        backward = nx.ancestors(view, target) | {target}
        return [data["result"] for u, v, data in self.graph.edges(data=True)
                if data["status"] == UNKNOWN and u in forward and v in backward]

    def who_can_answer(self, action: str, resource_arn: str, *, resource_account: str | None = None) -> KeptAnswer:
        """`who_can`'s answer as printed (JSON document and text); with a store, kept
        whole and read back when nothing it depends on changed (answer_store.py)."""
        key = None
        if self.store is not None and self.whole_answers:
            target = self.target(resource_arn, resource_account)
            key = answer_key(self._principal_key(), action, resource_arn, resource_account, target)
            kept = read_answer(self.store, key)
            if kept is not None and self._replays_shown(kept.shown, (action,)) and self._replays_refs(kept.refs):
                return kept
            if kept is not None:
                self.store.untrusted(self.store.answers)
        entries = self.who_can(action, resource_arn, resource_account=resource_account)
        shown = {(e.source, e.target, e.relation): e for entry in entries for e in entry.path if e.witness is not None}
        if not self._replay_read_edges(shown):
            return self.who_can_answer(action, resource_arn, resource_account=resource_account)
        zone = self.nodes.zone_label
        document = who_can_json(action, resource_arn, entries, zone, _made_once(edge_json))
        answer = KeptAnswer(who_can_result(entries), indented(document),
                            who_can_text(action, resource_arn, entries, zone).encode(),
                            *self._shown_parts(shown.values()))
        if self.store is not None and key is not None and not self._undecided:
            write_answer(self.store, key, answer)
        return answer

    def _replay_read_edges(self, shown: dict[tuple[str, str, str], EdgeResult]) -> bool:
        """Replay the edges about to be shown that came unreplayed from the principal side's
        entry (`answers_only`). When one does not replay, the entry is not trusted: the
        graph starts again without it (the principal side decided again and rewritten;
        every answer shown before had each of its edges replayed) and False is returned."""
        for key, edge in shown.items():
            if key not in self._unreplayed:
                continue
            if not self.replays(edge):
                if self.store is not None:
                    self.store.untrusted(self.store.principals)
                self.__post_init__()
                self._principal_entry_failed = True
                return False
            self._unreplayed.discard(key)
        return True

    def replays(self, edge: EdgeResult, actions: tuple[str, ...] = ()) -> bool:
        """An edge read back from the persistent cache holds today: its witness request,
        replayed through the reference evaluator against the policies of the network it
        arrived by (as this graph makes its task; `actions`: those of an access edge),
        is allowed, by the deciding statements it printed. True for an edge without a
        witness."""
        if edge.witness is None:
            return True
        replayed = self._replayed_result(edge.source, edge.target, edge.relation, edge.network,
                                         edge.witness.request, actions)
        return replayed == edge.witness.result

    def _replayed_result(self, source: str, target: str, relation: str, network: str | None, request: Request,
                         actions: tuple[str, ...]) -> Result | None:
        """The evaluator's Allow of `request` against the policies the graph decides the
        edge's network by today; None when it does not allow it, or the graph has no
        such edge (its caller, role, resource or network is not in it)."""
        arrival = self._arrival(source, target, relation, network, actions)
        if arrival is None:
            return None
        try:
            return replay(request, arrival, Decision.ALLOW).result
        except WitnessError:
            return None

    def _shown_parts(self, edges: Iterable[EdgeResult]) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
        """`KeptAnswer.shown` and `KeptAnswer.refs` of the edges an answer prints: the
        record of each, but an edge between principals that a line of the principal
        side's entry holds as it is, named by that line's digest. An edge to a resource
        is on the paths of that resource's answer alone: its record is not kept for the
        run (a 10,000-role organization's 176,000 would hold 700 MB to its end); one
        between principals, on many answers' paths, is made once."""
        entry = self._entries.get(self._principal_key()) if self.store is not None else None
        lines = {} if entry is None else entry.by_digest
        shown, refs = [], []
        for edge in edges:
            if edge.relation == ACCESS:
                shown.append(shown_record(edge))
                continue
            known = self._records.get((edge.source, edge.target, edge.relation))
            if known is None or known[0] is not edge:
                record = shown_record(edge)
                known = self._records[(edge.source, edge.target, edge.relation)] = (edge, record,
                                                                                    record_digest(record))
            if known[2] in lines:
                refs.append(known[2])
            else:
                shown.append(known[1])
        return tuple(shown), tuple(refs)

    def _replays_shown(self, records: Sequence[bytes], actions: tuple[str, ...]) -> bool:
        """`replays` for every edge a kept answer prints (`answer_store.shown_record`),
        each record once per run: an edge between principals is on many answers' paths
        (a warm organization run reads a million records, of which a sixth differ:
        those not yet replayed are found without a call per record, and replayed in
        the answer's order, which keeps one resource's replays together)."""
        replayed = self._replayed.setdefault(actions, set())
        for record in [record for record in records if record not in replayed]:
            if not self._replays_record(record, actions):
                return False
            replayed.add(record)
        return True

    def _replays_refs(self, refs: Sequence[bytes]) -> bool:
        """`_replays_shown` for the edges a kept answer names by a line of the principal
        side's entry (`KeptAnswer.refs`): False when the entry is not there to trust, or
        has no such line."""
        if not refs:
            return True
        entry = self._principal_entry()
        lines = {} if entry is None else entry.by_digest
        for ref in [ref for ref in refs if ref not in self._replayed_refs]:
            line = lines.get(ref)
            if line is None or not self._replays_record(line, ()):
                return False
            self._replayed_refs.add(ref)
        return True

    def _replays_record(self, record: bytes, actions: tuple[str, ...]) -> bool:
        """`replays` for one shown record, read as it is: its witness request, and the
        result it printed compared in the record's own form."""
        try:
            edge = orjson.loads(record)
            witness = edge["witness"]
            return bool(edge["status"] == FAIL and shows(witness, self._replayed_result(
                edge["source"], edge["target"], edge["relation"], edge["network"],
                request_from(witness["request"]), actions)))
        except (KeyError, TypeError, ValueError):
            return False

    def _arrival(self, source: str, target: str, relation: str, network: str | None,
                 actions: tuple[str, ...]) -> PolicySet | None:
        """The policies the graph decides an edge's network by today; None when the
        graph has no such edge (its caller, role, resource or network is not in it)."""
        caller = self.alike[source].caller if source in self.alike else self.nodes.callers.get(source)
        if caller is None:
            return None
        if relation == ASSUME:
            role = self.snapshot.role(target)
            if role is None:
                return None
            return self.nodes.arrival_policies(caller, self._role_target(role), self.nodes.assume_actions(caller, role),
                                               network)
        found = self._targets.get(target)
        if found is None or relation != ACCESS or not actions:
            return None
        return self.nodes.arrival_policies(caller, found, actions, network)

    def who_can(self, action: str, resource_arn: str, *, resource_account: str | None = None) -> list[WhoCanEntry]:
        target = self.target(resource_arn, resource_account)
        self.build([(target, (action,))])
        if self.group_alike:
            return self._who_can_alike(target.node)
        # who reaches the target at all, once, instead of a search per caller: a caller
        # with no path of found edges has UNKNOWN edges on its paths exactly when it
        # reaches the target through found and undecided edges
        found_view, maybe_view = self._view((FAIL,)), self._view((FAIL, UNKNOWN))
        reaching = nx.ancestors(found_view, target.node) | {target.node} if target.node in found_view else set()
        perhaps = nx.ancestors(maybe_view, target.node) | {target.node} if target.node in maybe_view else set()
        entries = []
        for caller in self.nodes.callers.values():
            if caller.node not in perhaps:
                continue
            outside = self.nodes.outside_zone(caller)
            found = self.path(caller.node, target.node) if caller.node in reaching else None
            if found is not None:
                entries.append(WhoCanEntry(caller.node, caller.label, caller.kind.value, FAIL, tuple(found),
                                           outside))
            elif self.unknown_on_paths(caller.node, target.node):
                maybe = self.path(caller.node, target.node, (FAIL, UNKNOWN)) or []
                entries.append(WhoCanEntry(caller.node, caller.label, caller.kind.value, UNKNOWN, tuple(maybe),
                                           outside))
        return entries

    def _who_can_alike(self, target: str) -> list[WhoCanEntry]:
        """who-can's entries with classes of callers alike as one entry each (its members
        listed), by one search back from the target per view; a member appears on its own
        only where its own edges (to targets that observe names) take it there."""
        found, maybe = self._toward(target, (FAIL,)), self._toward(target, (FAIL, UNKNOWN))
        entries: list[WhoCanEntry] = []
        for caller, members in self._listing_order():
            node = caller.node
            ways = found if node in found else maybe if node in maybe else None
            if ways is None:
                continue
            first = ways[node]
            if first is not None and first.relation == ONE_OF:
                continue  # in its class's entry
            entries.append(WhoCanEntry(node, caller.label, caller.kind.value, FAIL if ways is found else UNKNOWN,
                                       _path_of(ways, node), self.nodes.outside_zone(caller), members))
        return entries

    def _listing_order(self) -> list[tuple[Caller, tuple[str, ...]]]:
        """The callers in the order who-can lists them, each once: each caller, after its
        class (with the class's members) the first time a member comes."""
        if self._order is None or self._order[0] != len(self.nodes.callers):
            order: dict[str, tuple[Caller, tuple[str, ...]]] = {}
            for caller in self.nodes.callers.values():
                alike = self.alike.get(self.class_of.get(caller.node, ""))
                if alike is not None:
                    order.setdefault(alike.caller.node, (alike.caller, alike.members))
                order.setdefault(caller.node, (caller, ()))
            self._order = (len(self.nodes.callers), list(order.values()))
        return self._order[1]

    def _toward(self, target: str, statuses: tuple[str, ...]) -> dict[str, EdgeResult | None]:
        """Each node with a path of edges in `statuses` to the target, and the first edge
        of a shortest one (None for the target itself). Beyond the callers with an edge to
        a resource, the search runs over the edges between principals alone, the same for
        every resource: it is kept for each set of such callers (many resources share one)."""
        if target not in self.graph:
            return {target: None}
        if self._is_principal(target):
            return _search(self.graph, {target: None}, statuses)
        last = {before: data["result"] for before, data in self.graph.pred[target].items()
                if data["status"] in statuses}
        key = (tuple(last), statuses, self._principal_edges)
        beyond = self._beyond.get(key)
        if beyond is None:
            beyond = self._beyond[key] = _search(self.graph, dict.fromkeys(last), statuses)
        return {target: None, **{node: last[node] if edge is None else edge for node, edge in beyond.items()}}

    def _is_principal(self, node: str) -> bool:
        return node in self.nodes.callers or node in self.alike


def _made_once(make: Callable[[EdgeResult], dict[str, Any]]) -> Callable[[EdgeResult], dict[str, Any]]:
    """`make`, once per edge: an answer's paths cross the same edges many times (each
    entry prints its whole path). Kept for one answer only: an organization's edge
    documents would take gigabytes."""
    made: dict[int, dict[str, Any]] = {}

    def once(edge: EdgeResult) -> dict[str, Any]:
        found = made.get(id(edge))
        if found is None:
            found = made[id(edge)] = make(edge)
        return found

    return once


def _principal_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _search(graph: Any, ways: dict[str, EdgeResult | None], statuses: tuple[str, ...]) -> dict[str, EdgeResult | None]:
    """`ways` grown breadth-first backwards along edges in `statuses`: each node reached,
    with its first edge toward the nodes it started with."""
    queue = collections.deque(ways)
    while queue:
        node = queue.popleft()
        for before, data in graph.pred[node].items():
            if before not in ways and data["status"] in statuses:
                ways[before] = data["result"]
                queue.append(before)
    return ways


def _path_of(ways: dict[str, EdgeResult | None], node: str) -> tuple[EdgeResult, ...]:
    hops = []
    edge = ways[node]
    while edge is not None:
        hops.append(edge)
        edge = ways[edge.target]
    return tuple(hops)


def _container(arn: str, snapshot: Snapshot) -> tuple[str, bool]:
    """(the resource `arn` is made on, whether `arn` names something inside it): a
    bucket's objects (`arn:aws:s3:::BUCKET/KEY`, wildcards allowed in the key) and a
    listed table's indexes and streams (`.../table/NAME/index/*`) are inside it."""
    # the listed resources whose ARN and a slash begin `arn`, the first listed first
    within = [found for at, char in enumerate(arn) if char == "/"
              if (found := snapshot.resource(arn[:at])) is not None and len(declared_resource_patterns(found)) > 1]
    if within:
        first = min(within, key=snapshot.resources.index)
        return first.arn, True
    fields = arn.split(":", 5)
    if len(fields) == 6 and fields[0] == "arn" and fields[2] == "s3" and "/" in fields[5] and not fields[4]:
        bucket = fields[5].split("/", 1)[0]
        if bucket and "*" not in bucket and "?" not in bucket:
            return ":".join([*fields[:5], bucket]), True
    return arn, False


def _probe_arn(pattern: str) -> str:
    """A request's resource that `pattern` matches, for the evaluator's probe (the
    solver decides the whole pattern)."""
    return pattern.replace("*", "reach-probe").replace("?", "x")


def who_can_result(entries: Sequence[WhoCanEntry]) -> str:
    """FAIL when a principal outside the zone of trust can (a definite finding wins over
    an undecided edge elsewhere); UNKNOWN when some principal might; else PASS."""
    if any(entry.outside and entry.status == FAIL for entry in entries):
        return FAIL
    if any(entry.status == UNKNOWN for entry in entries):
        return UNKNOWN
    return PASS


def edge_json(edge: EdgeResult) -> dict[str, Any]:
    document: dict[str, Any] = {"from": edge.source, "to": edge.target, "relation": edge.relation,
                                "label": edge.label, "status": EDGE_STATES[edge.status], "method": edge.method}
    if edge.kind is not None:
        document["kind"] = edge.kind
    if edge.network is not None:
        document["network"] = edge.network
    if edge.witness is not None:
        document["witness"] = edge.witness.to_json()
    if edge.reason is not None:
        document["reason"] = edge.reason
    return document


def answer_json(answer: ReachAnswer) -> dict[str, Any]:
    return {"result": answer.result, "path_found": {FOUND: True, NO_PATH: False}.get(answer.status),
            "from": answer.source, "to": answer.target, "actions": list(answer.actions),
            "path": [edge_json(e) for e in answer.path],
            "unknown_edges": [edge_json(e) for e in answer.unknown_edges],
            "reachable_principals": list(answer.reachable),
            "edges_proven_absent": answer.proven_absent, "pairs_excluded_by_principal": answer.excluded}


def _hop_text(index: int, edge: EdgeResult) -> list[str]:

    lines = [f"  hop {index}: {edge.source} --{edge.label}--> {edge.target}"
             + (f"  [{edge.network}; {edge.method}]" if edge.network else "")]
    if edge.witness is not None:
        lines.append(f"    witness (replayed: {edge.witness.result.decision.value}):")
        lines += ["      " + line for line in json.dumps(edge.witness.request_json(), indent=2).splitlines()]
        lines += [f"    {ref.text()}" for ref in edge.witness.result.determining]
    if edge.reason:
        lines.append(f"    reason: {edge.reason}")
    return lines


def answer_text(answer: ReachAnswer) -> str:
    head = {FOUND: "FAIL: a path", NO_PATH: "PASS: no path", UNKNOWN: "UNKNOWN: maybe a path"}[answer.status]
    lines = [f"{head} from {answer.source} to {answer.target} ({', '.join(answer.actions)})"]
    for index, edge in enumerate(answer.path, 1):
        lines += _hop_text(index, edge)
    if answer.status == UNKNOWN:
        lines.append("  undecided edges on would-be paths:")
        for index, edge in enumerate(answer.unknown_edges, 1):
            lines += _hop_text(index, edge)
    if answer.status == NO_PATH:
        lines.append(f"  proof: every edge out of the {len(answer.reachable) + 1} principal(s) the source reaches "
                     f"was proven absent ({answer.proven_absent} by query) or excluded ({answer.excluded} pairs "
                     "no Allow statement names or grants)")
    return "\n".join(lines)


def who_can_json(action: str, resource: str, entries: Sequence[WhoCanEntry], zone: str,
                 edge_document: Callable[[EdgeResult], dict[str, Any]] = edge_json) -> dict[str, Any]:
    return {"action": action, "resource": resource, "result": who_can_result(entries), "zone_of_trust": zone,
            "principals": [{"principal": e.principal, "label": e.label, "kind": e.kind,
                            "status": "can" if e.status == FAIL else "unknown", "outside_zone": e.outside,
                            **({"members": list(e.members)} if e.members else {}),
                            "path": [edge_document(edge) for edge in e.path]} for e in entries]}


def who_can_text(action: str, resource: str, entries: Sequence[WhoCanEntry], zone: str) -> str:
    lines = [f"who can {action} on {resource} (zone of trust: {zone}):"]
    if not entries:
        lines.append("  nobody")
    for entry in entries:
        mark = ("CAN" if entry.status == FAIL else "UNKNOWN") + (" (outside)" if entry.outside else "")
        hops = " -> ".join([entry.principal, *(edge.target for edge in entry.path)])
        how = "directly" if len(entry.path) == 1 else f"via {hops}"
        lines.append(f"  {mark}: {entry.label} [{entry.principal}] {how}")
        if entry.members:
            lines.append(f"    members: {', '.join(member.rsplit('/', 1)[-1] for member in entry.members)}")
    result = who_can_result(entries)
    if result == FAIL:
        found = [entry for entry in entries if entry.outside and entry.status == FAIL]
        lines.append(f"FAIL: {len(found)} principal class(es) outside the zone of trust can {action}")
        for entry in found:
            lines.append(f"  {entry.label} [{entry.principal}]:")
            for index, edge in enumerate(entry.path, 1):
                lines += ["  " + line for line in _hop_text(index, edge)]
    elif result == UNKNOWN:
        lines.append("UNKNOWN: an undecided edge lies on a would-be path; whether a principal outside the zone "
                     "of trust can is not known")
        undecided = {(e.source, e.target): e for entry in entries for e in entry.path if e.status == UNKNOWN}
        for index, edge in enumerate(undecided.values(), 1):
            lines += _hop_text(index, edge)
    else:
        lines.append("PASS: no principal outside the zone of trust can (every edge from outside was proven "
                     "absent or excluded)")
    return "\n".join(lines)
