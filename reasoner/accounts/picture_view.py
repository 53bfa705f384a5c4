"""What the access picture shows, before any drawing: which nodes and edges, in which
boxes (organization → OU → account; classes outside the zone of trust in a box of
their own), which edges are red, which roles fold into one node, and the evidence
behind every edge.

- By default only the nodes on some path (edges that exist or are undecided) to the
  queried resource are shown; `show_all` shows every node.
- Red: an edge that exists and lies on a path of existing edges from a class
  outside the zone of trust (or from `--from`) to the queried resource. Nothing
  else is red.
- Folding: users and roles of one account fold into one node when each has edges
  of the same kinds, results and colours into the same (folded) nodes: the coarsest
  such partition. An edge from a folded node means every member has such an edge
  (to some member of the next node), so every path of the folded picture exists
  from every member of its first node; edges into a folded node are those of some
  member. Roles with the same account, policies and tags that no policy names (the
  symmetry classes of `symmetry.py`) have the same edges, so they always fold.
- Callers alike (`--group-alike`, alike.py): a class is one node ("12 roles alike:
  role-3, role-7, ..."), in its account's box, never folded with another. A member
  whose only edge out is its `one-of` edge is drawn inside its class's node (edges
  into it go into the class's node: into some member, as for a folded node); a member
  with edges of its own stays a node of its own, joined to its class by its `one-of`
  edge. `fold=False` draws every member on its own.
- Evidence: each edge's witness request, the statements that decided it (file and
  line), and a `perimeter evaluate` scenario holding the very policies of the edge,
  checked to replay to the same decision before it is shown. A class's edge holds
  the policies of its caller, its first member (`AlikeClass.caller`), whose request
  the witness is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from reasoner.accounts.alike import ONE_OF, AlikeClass
from reasoner.accounts.edges import FAIL, PASS, UNKNOWN, EdgeResult
from reasoner.accounts.graph import ACCESS, ASSUME, Caller, NodeKind, Target
from reasoner.accounts.picture_style import UNKNOWN_SUFFIX, edge_label
from reasoner.accounts.reach import Reachability
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_scenario
from reasoner.policy.document import policy_document
from reasoner.policy.model import PolicySet
from reasoner.solving.witness import Witness

FOLDABLE = (NodeKind.USER.value, NodeKind.ROLE.value)
# Past this many edges with evidence, only red edges carry a replay scenario (the rest keep
# their witness and deciding statements): the page stays small enough to open.
MAX_SCENARIOS = 300
EVIDENCE_PER_EDGE = 6  # a folded edge shows the evidence of its first few edges (they are alike)
ALIKE_NAMES = 3  # the members a class's node names before "..."


@dataclass(frozen=True)
class Evidence:
    source: str
    target: str
    relation: str
    status: str
    method: str
    network: str | None
    request: dict[str, Any] | None
    deciding: tuple[dict[str, Any], ...]
    scenario: str | None  # a `perimeter evaluate` scenario (JSON), replayed before it is shown
    note: str | None  # why there is no scenario, or why the edge is undecided

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "relation": self.relation, "status": self.status,
                "method": self.method, "network": self.network, "request": self.request,
                "deciding": list(self.deciding), "scenario": self.scenario, "note": self.note}


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    kind: str  # organization, ou, account, outside, services
    parent: str | None


@dataclass(frozen=True)
class PictureNode:
    id: str
    kind: str
    label: str
    members: tuple[str, ...]  # the graph's nodes (ARNs, class names); more than one when folded
    member_labels: tuple[str, ...]
    group: str | None
    outside: bool
    red: bool
    alike: tuple[str, ...] = ()  # a class of callers alike: every member (some may be nodes of their own)

    @property
    def folded(self) -> bool:
        return len(self.members) > 1 and not self.alike


@dataclass(frozen=True)
class PictureEdge:
    id: str
    source: str
    target: str
    relation: str
    status: str
    label: str
    red: bool
    evidence: tuple[Evidence, ...]  # at most EVIDENCE_PER_EDGE of the `count` edges it stands for
    count: int


@dataclass(frozen=True)
class Finding:
    """A path of existing edges from a class outside the zone (or `--from`) to the resource."""

    source: str
    source_label: str
    hops: tuple[EdgeResult, ...]


@dataclass(frozen=True)
class Picture:
    title: str
    target: str | None
    actions: tuple[str, ...]
    zone: str
    result: str | None  # FAIL: a path from outside; UNKNOWN: an undecided edge on one; PASS; None: no --to
    nodes: tuple[PictureNode, ...]
    edges: tuple[PictureEdge, ...]
    groups: tuple[Group, ...]
    findings: tuple[Finding, ...]
    undecided: tuple[EdgeResult, ...]  # UNKNOWN edges on would-be paths from outside
    hidden: int  # nodes left out (on no path to the resource)
    labels: dict[str, str]  # shown graph node -> its label

    def node_of(self, member: str) -> PictureNode | None:
        return next((node for node in self.nodes if member in node.members), None)


def _wrap(text: str, width: int = 30) -> str:
    """Lines of at most about `width` characters, broken after separators."""
    lines: list[str] = []
    current = ""
    for piece in re.findall(r"[^ /:]*[ /:]?", text):
        if current and len(current) + len(piece) > width:
            lines.append(current.rstrip())
            current = ""
        current += piece
    if current.strip():
        lines.append(current.rstrip())
    return "\n".join(lines)


def alike_label(alike: AlikeClass) -> str:
    """"12 roles alike: role-3, role-7, role-9, ..." (the first few members' names)."""
    names = [member.rsplit("/", 1)[-1] for member in alike.members]
    kind = "users" if alike.caller.kind is NodeKind.USER else "roles"
    more = ", ..." if len(names) > ALIKE_NAMES else ""
    return f"{len(names)} {kind} alike: {', '.join(names[:ALIKE_NAMES])}{more}"


def _short_label(reach: Reachability, node: str, data: dict[str, Any]) -> str:
    alike = reach.alike.get(node)
    if alike is not None:
        return alike_label(alike)
    caller = reach.nodes.callers.get(node)
    kind = data.get("kind")
    if caller is not None and kind in ("user", "role"):
        return f"{kind} {node.rsplit('/', 1)[-1]}"
    if kind == "account":
        return "any principal of the account"
    if kind == "roles":
        return f"any role named {node.split(':', 2)[2]}"
    return str(data.get("label") or node)


class _Builder:
    def __init__(self, reach: Reachability, targets: Sequence[tuple[Target, tuple[str, ...]]],
                 source: str | None, show_all: bool, fold: bool, with_absent: bool) -> None:
        self.reach = reach
        self.graph: nx.DiGraph[str] = reach.graph
        self.targets = {target.node: (target, actions) for target, actions in targets}
        self.target = targets[0][0].node if targets else None
        self.actions = targets[0][1] if targets else ()
        self.source = source
        self.show_all = show_all
        self.fold = fold
        self.with_absent = with_absent
        self.roles = {role.arn: role for role in reach.snapshot.roles}
        self.existing = self._only((FAIL,))
        self.live = self._only((FAIL, UNKNOWN))

    # -- what is shown ---------------------------------------------------------

    def _only(self, statuses: tuple[str, ...]) -> nx.DiGraph[str]:
        """The graph's edges of these statuses, as a graph of its own (faster than a view)."""
        only: nx.DiGraph[str] = nx.DiGraph()
        only.add_nodes_from(self.graph.nodes)
        only.add_edges_from((u, v) for u, v, status in self.graph.edges(data="status") if status in statuses)
        return only

    def caller(self, node: str) -> Caller | None:
        """The node's caller; a class of callers alike's is its first member's, renamed."""
        alike = self.reach.alike.get(node)
        return alike.caller if alike is not None else self.reach.nodes.callers.get(node)

    def outside(self, node: str) -> bool:
        caller = self.caller(node)
        return caller is not None and self.reach.nodes.outside_zone(caller)

    def origins(self) -> list[str]:
        if self.source is not None:
            return [self.source]
        return [node for node in self.graph.nodes if self.outside(node)]

    def shown_nodes(self) -> set[str]:
        if self.target is None or self.show_all:
            return set(self.graph.nodes)
        ancestors: set[str] = nx.ancestors(self.live, self.target)
        return ancestors | {self.target}

    def red_edges(self) -> set[tuple[str, str]]:
        if self.target is None:
            return set()
        origins = self.origins()
        forward = set(origins).union(*(nx.descendants(self.existing, o) for o in origins)) if origins else set()
        backward = nx.ancestors(self.existing, self.target) | {self.target}
        return {(u, v) for u, v, data in self.graph.edges(data=True)
                if data["status"] == FAIL and u in forward and v in backward}

    def findings(self) -> tuple[list[Finding], list[EdgeResult]]:
        if self.target is None:
            return [], []
        found: list[Finding] = []
        undecided: dict[tuple[str, str], EdgeResult] = {}
        for origin in self.origins():
            path = self.reach.path(origin, self.target)
            if path is not None:
                found.append(Finding(origin, self._label(origin), tuple(path)))
                continue
            for edge in self.reach.unknown_on_paths(origin, self.target):
                undecided[(edge.source, edge.target)] = edge
        return found, list(undecided.values())

    def _label(self, node: str) -> str:
        alike = self.reach.alike.get(node)
        if alike is not None:
            return alike_label(alike)
        return str(self.graph.nodes[node].get("label") or node)

    def drawn_in_class(self, shown: set[str], edges: list[tuple[str, str, dict[str, Any]]]) -> dict[str, str]:
        """Each member drawn inside its class's node: one whose only edge out is its
        `one-of` edge (its class's edges are its own: the node stands for it)."""
        if not self.fold:
            return {}
        out: dict[str, list[tuple[str, str]]] = {}
        for u, v, data in edges:
            out.setdefault(u, []).append((v, data["relation"]))
        return {member: node for member, node in self.reach.class_of.items()
                if member in shown and node in shown and out.get(member) == [(node, ONE_OF)]}

    # -- folding ---------------------------------------------------------------

    def blocks(self, nodes: set[str], edges: list[tuple[str, str, dict[str, Any], bool]]) -> dict[str, str]:
        """Each node's block: the coarsest partition of users and roles (by kind and
        account) in which every member has edges of the same kinds, results and
        colours (the edges' last item: red) to and from the same blocks. A class of
        callers alike is a block of its own."""
        block: dict[str, str] = {}
        for node in nodes:
            data = self.graph.nodes[node]
            caller = self.reach.nodes.callers.get(node)
            if self.fold and data.get("kind") in FOLDABLE and caller is not None:
                block[node] = f"{data.get('kind')}|{caller.account}|{self.outside(node)}"
            else:
                block[node] = node
        outgoing: dict[str, list[tuple[str, str, str, bool]]] = {node: [] for node in nodes}
        for u, v, data, is_red in edges:
            outgoing[u].append((v, data["relation"], data["status"], is_red))
        count = len(set(block.values()))
        while True:
            signature = {
                node: repr((block[node], sorted({(block[v], r, s, c) for v, r, s, c in outgoing[node]})))
                for node in nodes}
            names = {text: f"~{index}" for index, text in enumerate(sorted(set(signature.values())))}
            block = {node: names[signature[node]] if block[node] != node else node for node in nodes}
            refined = len(set(block.values()))
            if refined == count:
                return block
            count = refined

    # -- evidence --------------------------------------------------------------

    def policies(self, edge: EdgeResult) -> PolicySet | None:
        caller = self.caller(edge.source)
        if caller is None:
            return None
        if edge.relation == ASSUME and edge.target in self.roles:
            role = self.roles[edge.target]
            target = self.reach.nodes.role_target(role)
            actions = self.reach.nodes.assume_actions(caller, role)
        elif edge.relation == ACCESS and edge.target in self.targets:
            target, actions = self.targets[edge.target]
        else:
            return None
        task = self.reach.nodes.task(caller, target, edge.relation, actions)
        return next((policies for label, policies, _ in task.networks if label == edge.network), None)

    def evidence(self, edge: EdgeResult, *, with_scenario: bool) -> Evidence:
        witness = edge.witness
        deciding: tuple[dict[str, Any], ...] = ()
        request = None
        scenario = None
        note = edge.reason
        if edge.relation == ONE_OF:
            note = ("a member of the class: the class's edges, decided for its first member, hold for every member "
                    "renamed (callers alike, --group-alike)")
        elif witness is not None:
            request = witness.request_json()
            deciding = tuple({**ref.to_json(), "file": ref.source, "line": ref.line}
                             for ref in witness.result.determining)
            if with_scenario:
                policies = self.policies(edge)
                if edge.kind in ("acl", "grant"):
                    # a scenario would need the ACL or grants in the S3/KMS API's shape,
                    # which the edge's policy set no longer holds
                    note = f"no replay scenario for an edge a{'n' if edge.kind == 'acl' else ''} {edge.kind} " \
                           "opens yet (the witness above replayed through the evaluator)"
                elif policies is None:
                    note = f"no replay scenario for a {edge.relation} edge yet (the witness above replayed)"
                else:
                    scenario = replay_scenario(witness, policies, self.describe(edge))
                    if scenario is None:
                        note = "the replay scenario did not replay to the same decision, so it is left out"
            else:
                note = "replay scenario left out to keep the page small (it is given for every red edge)"
        elif edge.status == UNKNOWN:
            note = f"undecided: {edge.reason}" if edge.reason else "undecided"
        return Evidence(edge.source, edge.target, edge.relation, edge.status, edge.method, edge.network, request,
                        deciding, scenario, note)

    def describe(self, edge: EdgeResult) -> str:
        alike = self.reach.alike.get(edge.source)
        if alike is None:
            return f"{edge.source} {edge.relation} {edge.target} (replay of the graph's witness)"
        return (f"{alike.representative} {edge.relation} {edge.target}: the edge of its class of {len(alike.members)} "
                "callers alike, decided for it and holding for every member renamed (replay of the graph's witness)")

    # -- groups ----------------------------------------------------------------

    def groups_of(self, nodes: Iterable[str]) -> tuple[dict[str, str | None], list[Group]]:
        snapshot = self.reach.snapshot
        organization = snapshot.organization
        zone = self.reach.nodes.zone_accounts
        groups: dict[str, Group] = {}
        names: dict[str, str] = {}

        def add(group: Group) -> str:
            groups.setdefault(group.id, group)
            return group.id

        def org_box() -> str:
            org = snapshot.organization_id
            return add(Group("g-org", f"organization {org}" if org else "organization", "organization", None))

        def outside_box() -> str:
            label = "outside the organization" if self.reach.nodes.org_accounts else "outside the snapshot's accounts"
            return add(Group("g-outside", label, "outside", None))

        def account_box(account: str) -> str:
            if account not in zone:
                return add(Group(f"g-acct-{account}", f"account {account}", "account", outside_box()))
            parent: str | None = None
            name = ""
            path = organization.path_to(account) if organization is not None else None
            if path is not None:
                parent = org_box()
                for org_node in path[1:-1]:
                    parent = add(Group(f"{parent}/{org_node.name}", f"OU {org_node.name}", "ou", parent))
                name = path[-1].name if path[-1].name and path[-1].name != account else ""
            elif organization is not None and organization.is_member(account):  # the management account
                parent, name = org_box(), "management"
            label = f"account {account}" + (f" ({name})" if name else "")
            names[account] = label
            return add(Group(f"g-acct-{account}", label, "account", parent))

        placed: dict[str, str | None] = {}
        for node in sorted(nodes):  # sorted: the boxes' order is the output's, the same on every run
            kind = self.graph.nodes[node].get("kind")
            caller = self.caller(node)
            if kind == NodeKind.RESOURCE.value:
                account = self.targets[node][0].account if node in self.targets else None
                placed[node] = account_box(account) if account else None
            elif kind == NodeKind.SERVICE.value:
                placed[node] = add(Group("g-services", "AWS service principals", "services", None))
            elif caller is not None and caller.account is not None:
                placed[node] = account_box(caller.account)
            elif caller is not None and self.reach.nodes.outside_zone(caller):
                placed[node] = outside_box()
            else:
                placed[node] = None
        return placed, list(groups.values())

    # -- the picture -----------------------------------------------------------

    def build(self, title: str) -> Picture:
        shown = self.shown_nodes()
        red = self.red_edges()
        edges = [(u, v, data) for u, v, data in self.graph.edges(data=True)
                 if u in shown and v in shown and (self.with_absent or data["status"] != PASS)]
        inside = self.drawn_in_class(shown, edges)
        drawn = shown - inside.keys()
        # edges between the nodes drawn: a member drawn inside its class's node is that node
        drawn_edges = [(inside.get(u, u), inside.get(v, v), data, (u, v) in red) for u, v, data in edges
                       if u not in inside or data["relation"] != ONE_OF]
        block = self.blocks(drawn, drawn_edges)
        members: dict[str, list[str]] = {}
        for node in sorted(drawn, key=lambda n: (self._label(n), n)):
            members.setdefault(block[node], []).append(node)
        within: dict[str, list[str]] = {}
        for member, node in sorted(inside.items()):
            within.setdefault(node, []).append(member)
        placed, groups = self.groups_of(drawn)
        red_nodes = {u for u, _ in red} | {v for _, v in red}
        view_of: dict[str, str] = {}
        nodes: list[PictureNode] = []
        for index, (_, group_members) in enumerate(sorted(members.items(), key=lambda item: item[1][0])):
            first = group_members[0]
            data = self.graph.nodes[first]
            kind = str(data.get("kind"))
            alike = self.reach.alike.get(first)
            if len(group_members) > 1:
                label = f"{len(group_members)} {kind}s\n(equivalent: click to list)"
            else:
                label = _wrap(_short_label(self.reach, first, data))
            view_id = f"n{index}"
            every = [*group_members, *within.get(first, ())]
            for member in every:
                view_of[member] = view_id
            nodes.append(PictureNode(view_id, kind, label, tuple(every), tuple(self._label(m) for m in every),
                                     placed.get(first), self.outside(first), any(m in red_nodes for m in every),
                                     alike.members if alike is not None else ()))
        merged: dict[tuple[str, str, str, str, bool], list[EdgeResult]] = {}
        for u, v, data, is_red in drawn_edges:
            merged.setdefault((view_of[u], view_of[v], data["relation"], data["status"], is_red), []).append(
                data["result"])
        with_scenarios = sum(len(results) for results in merged.values()) <= MAX_SCENARIOS
        picture_edges: list[PictureEdge] = []
        for index, ((u, v, relation, status, is_red), results) in enumerate(sorted(merged.items())):
            actions = self.targets[results[0].target][1] if relation != ASSUME and results[0].target in self.targets \
                else ()
            label = edge_label(relation, actions)
            if status == UNKNOWN:
                label += UNKNOWN_SUFFIX
            elif status == PASS:
                label = "proven absent: " + label
            if len(results) > 1:
                label += f" ×{len(results)}"
            evidence = tuple(self.evidence(r, with_scenario=with_scenarios or is_red)
                             for r in results[:EVIDENCE_PER_EDGE])
            picture_edges.append(PictureEdge(f"e{index}", u, v, relation, status, label, is_red, evidence,
                                             len(results)))
        found, undecided = self.findings()
        result = None if self.target is None else FAIL if found else UNKNOWN if undecided else PASS
        return Picture(title, self.target, self.actions, self.reach.nodes.zone_label, result, tuple(nodes),
                       tuple(picture_edges), tuple(groups), tuple(found), tuple(undecided),
                       len(self.graph.nodes) - len(shown), {n: self._label(n) for n in sorted(shown)})


def replay_scenario(witness: Witness, policies: PolicySet, description: str) -> str | None:
    """A `perimeter evaluate` scenario (JSON) of the witness with the edge's own
    policies inline; None unless it replays to the witness's decision."""

    def level(policies_of_level: Iterable[Any]) -> list[dict[str, Any]]:
        return [policy_document(policy) for policy in policies_of_level]

    document: dict[str, Any] = {"description": description, "request": witness.request_json(),
                                "identity_policies": level(policies.identity_policies)}
    for key, policy in (("permissions_boundary", policies.permissions_boundary),
                        ("session_policy", policies.session_policy)):
        if policy is not None:
            document[key] = policy_document(policy)
    if policies.scps:
        document["scps"] = [level(scps) for scps in policies.scps]
    if policies.rcps:
        document["rcps"] = [level(rcps) for rcps in policies.rcps]
    for key, policy in (("resource_policy", policies.resource_policy),
                        ("vpc_endpoint_policy", policies.vpc_endpoint_policy)):
        if policy is not None:
            document[key] = policy_document(policy)
    if policies.management_account is not None:
        document["management_account"] = policies.management_account
    try:
        scenario = parse_scenario(json.loads(json.dumps(document)), source="replay", base_dir=Path("."))
    except InputError:
        return None
    if evaluate(scenario.request, scenario.policies).decision is not witness.result.decision:
        return None
    return json.dumps(document, indent=2)


def build_picture(reach: Reachability, targets: Sequence[tuple[Target, tuple[str, ...]]] = (), *,
                  source: str | None = None, show_all: bool = False, fold: bool = True,
                  with_absent: bool = False, title: str = "access graph") -> Picture:
    """The picture of the reachability graph built for `targets` (the first is the
    queried resource)."""
    return _Builder(reach, targets, source, show_all, fold, with_absent).build(title)
