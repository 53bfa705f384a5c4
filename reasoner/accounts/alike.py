"""Callers alike: users or roles that only their names tell apart, as one node.

An organization of ten thousand roles holds few different kinds of caller: the
roles of one account made from one template carry the same identity policies,
boundary, session policy, tags and path, and their account's SCPs. When none of
those policies can observe a caller's name (symmetry.py: a Principal naming one
user or role, a name-derived key, a policy variable), a request of one is decided
as the same request of another with the caller renamed, against any target whose
policies cannot observe it either. Such callers form a class (`alike:ACCOUNT:
role/NAME`, after its first member): its edges to those targets are decided once,
for its first member, and each member has a `one-of` edge to the class (it can do
whatever the class can). An edge to a target that observes names (a trust policy
naming one role, an `aws:PrincipalArn` condition) stays a member's own.

This keeps the graph and its decisions at the size of the kinds of callers, not of
the callers (`Reachability(group_alike=True)`, `--group-alike`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from reasoner.accounts.graph import Caller, NodeKind
from reasoner.accounts.symmetry import name_blind, observes_names
from reasoner.policy.digest import policy_digest

ONE_OF = "one-of"  # the relation of a member to its class
PREFIX = "alike:"


@dataclass(frozen=True)
class AlikeClass:
    node: str
    members: tuple[str, ...]  # the members' nodes, sorted
    caller: Caller  # the first member's, as the class's caller

    @property
    def representative(self) -> str:
        return self.members[0]


def _key(caller: Caller) -> tuple[object, ...] | None:
    """Equal for callers only their names tell apart; None for a caller whose own
    policies observe its name (it stays alone)."""
    if caller.kind not in (NodeKind.USER, NodeKind.ROLE):
        return None
    own = [*caller.identity_policies, *(p for p in (caller.boundary, caller.session_policy) if p is not None),
           *(p for level in caller.scps for p in level)]
    if not all(name_blind(policy) for policy in own):
        return None
    path = tuple(caller.node.split(":", 5)[-1].split("/")[1:-1])
    context = tuple(c for c in caller.context if not observes_names(c.key.lower()))
    return (caller.kind, caller.account, path, tuple(policy_digest(p) for p in caller.identity_policies),
            policy_digest(caller.boundary), policy_digest(caller.session_policy),
            tuple(tuple(policy_digest(p) for p in level) for level in caller.scps),
            replace(caller.space, principal_arn=None), context, caller.service_linked, caller.gaps, caller.carried)


def alike_classes(callers: Iterable[Caller]) -> list[AlikeClass]:
    """The classes of two or more callers alike, in the order of their first members."""
    groups: dict[tuple[object, ...], list[Caller]] = {}
    for caller in callers:
        key = _key(caller)
        if key is not None:
            groups.setdefault(key, []).append(caller)
    classes = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda c: c.node)
        first = members[0]
        resource = first.node.split(":", 5)[-1]
        node = f"{PREFIX}{first.account}:{resource}"
        kind = "users" if first.kind is NodeKind.USER else "roles"
        label = (f"{len(members)} {kind} alike in {first.account} (the policies, path and tags of "
                 f"{resource.rsplit('/', 1)[-1]})")
        classes.append(AlikeClass(node, tuple(m.node for m in members), replace(first, node=node, label=label)))
    classes.sort(key=lambda c: c.node)
    return classes
