"""Whole edges in the persistent result cache (`--cache DIR`, solving/cache.py).

A warm run reads an edge's answer with one lookup instead of deciding it again
(probe, symmetric follower or query). The key is a digest of the edge's own inputs:
the edge task whole (caller and target, relation, actions, probe principal, role and
resource, and per network its label, every field of its policy set with each
policy's text, and its request space), the budget's work units, how edges are
decided (probe, symmetry), and the versions of the code and solvers
(`cache.versions`). Policies count by their text (`policy.digest`), not their files:
an edge's answer does not depend on where its policies came from, and its witness,
replayed below, names today's files and lines. A follower's answer also depends on
its leader's (symmetry.py): its entry names the leader's key, and `edges.decide_all`
reads it back only behind that same leader.

The value is the edge's status, how it was decided, its place in its group, and for
an edge that exists the network and the witness request. On a hit the request is replayed through the
reference evaluator against the network's policies (which also names today's
deciding statements); an entry that does not hold up is not trusted (the edge is
decided again and the entry rewritten). A proven absence is read back as it is: the
key holds every input of the proof, and the folder is as trusted as the code, as
for the queries' entries. An undecided edge is never stored (it may have been
cut short by the wall-clock guard, or lost on a cluster).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from reasoner.accounts.graph import EdgeTask
from reasoner.evaluation.evaluate import evaluate
from reasoner.policy.model import Decision, Request
from reasoner.solving.cache import ResultCache, request_from, request_record, versions
from reasoner.solving.witness import Witness

FORMAT = 2  # of an edge's key and value; a change makes every older edge entry foreign
STORED_STATES = ("FAIL", "PASS")  # an UNKNOWN edge is decided again next time
# An edge's place in its symmetry group (symmetry.py) when it was decided: in none, its
# leader (decided on its own), or a follower of another edge (its answer renamed)
ALONE, LEADS, FOLLOWS = "alone", "leads", "follows"


@dataclass(frozen=True)
class StoredEdge:
    status: str  # FAIL (the edge exists) or PASS (proven absent)
    method: str
    network: str | None = None
    witness: Witness | None = None  # replayed today
    reason: str | None = None
    role: str = ALONE
    led_by: str | None = None  # FOLLOWS: the key of the edge it followed


@functools.cache
def _versions_text() -> str:
    return json.dumps(versions(), sort_keys=True)


def edge_key(task: EdgeTask, decided_alike: tuple[object, ...], units: float, *, use_probe: bool,
             symmetry: bool) -> str:
    """The digest of the edge's own inputs: `decided_alike` is the task's
    key in a run (`edges.EdgeCache.key`: the probe caller, role and resource, and per
    network the policy set's `policy_set_key` and the request space); the rest of the
    task is added here. (A follower's answer also depends on its leader's: its entry
    names the leader's key, `StoredEdge.led_by`.) Every value in it is a string,
    number, None, enum, or a tuple or frozen dataclass of them, with no sets: their
    `repr` is the same in every process and tells different values apart."""
    if type(decided_alike) is not tuple:
        raise TypeError(f"an edge's key is made of plain values, not a {type(decided_alike).__name__}")
    material = (FORMAT, _versions_text(), float(units), use_probe, symmetry, task.source, task.target, task.relation,
                task.actions, task.source_label, tuple(label for label, _, _ in task.networks), decided_alike)
    return hashlib.sha256(repr(material).encode()).hexdigest()


def read_edge(store: ResultCache, key: str, task: EdgeTask,
              fits: Callable[[str, str | None], bool] | None = None) -> StoredEdge | None:
    """The edge's stored answer, its witness replayed; None when there is none to
    trust, or (`fits`, given its role and leader) when it answered in another place of
    its group than the edge has in this run (counted as a miss; not replayed)."""
    value = store.get(key, store.edges)
    if value is None:
        return None
    try:
        found, request = _parsed(value)
    except (KeyError, TypeError, ValueError):
        store.untrusted(store.edges)
        return None
    if fits is not None and not fits(found.role, found.led_by):
        store.edges.hits -= 1
        store.edges.misses += 1
        return None
    if request is None:
        return found
    arrival = next((policies for label, policies, _ in task.networks if label == found.network), None)
    result = None if arrival is None else evaluate(request, arrival)
    if result is None or result.decision is not Decision.ALLOW:
        store.untrusted(store.edges)
        return None
    return replace(found, witness=Witness(request, result))


def _parsed(value: dict[str, Any]) -> tuple[StoredEdge, Request | None]:
    """The entry's answer and its witness request (FAIL); KeyError, TypeError or
    ValueError when it is not one."""
    status, method, network, reason = value["status"], value["method"], value["network"], value.get("reason")
    role, led_by = value["role"], value.get("led_by")
    if status not in STORED_STATES or not isinstance(method, str) or not isinstance(reason, (str, type(None))) \
            or role not in (ALONE, LEADS, FOLLOWS) or (role == FOLLOWS) != isinstance(led_by, str):
        raise ValueError("not an edge's answer")
    if status == "PASS":
        if network is not None or "request" in value:
            raise ValueError("a proven absence with a witness")
        return StoredEdge(status, method, reason=reason, role=role, led_by=led_by), None
    if not isinstance(network, str):
        raise TypeError("an existing edge without its network")
    return StoredEdge(status, method, network, None, reason, role, led_by), request_from(value["request"])


def write_edge(store: ResultCache, key: str, status: str, method: str, network: str | None,
               witness: Witness | None, reason: str | None = None, role: str = ALONE,
               led_by: str | None = None) -> None:
    """Keep a decided edge (an undecided one is not kept)."""
    if status not in STORED_STATES or (status == "FAIL") != (witness is not None):
        return
    value: dict[str, Any] = {"status": status, "method": method, "network": network, "role": role}
    if led_by is not None:
        value["led_by"] = led_by
    if reason is not None:
        value["reason"] = reason
    if witness is not None:
        value["request"] = request_record(witness.request)
    store.put(key, value)
