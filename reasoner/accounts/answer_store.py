"""Whole answers in the persistent result cache (`--cache DIR`, solving/cache.py).

A warm `who-can` after a one-policy change should not touch what the change cannot
reach. Two kinds of entries make that so:

- the *principal side*: every edge into a principal (who can assume which role, a
  member's `one-of` edge to its class, an account whose IAM was not collected), as the
  first `build` of a run adds them, under `principal_key`;
- a *who-can answer*: the entries `Reachability.who_can` returns for one action and
  resource, under `answer_key`.

`principal_key` digests everything the principal side depends on: the snapshot
without its resources (every account's IAM, the organization and its SCPs and RCPs,
the VPC endpoints, the collection's manifest, the S3 account settings), every caller
as the graph made it (the callers depend on the resources' policies only through what
a caller holds: the outsiders and role patterns they name, the tag keys they read,
the services they trust), the zone of trust, the budget's work units, how edges are
decided, and the versions of the code and solvers. `answer_key` adds the action, the
resource as asked and its target as the graph made it (its policy, RCPs, ACLs,
grants, tags, access point, gaps). Policies count whole, their files and lines too:
a witness's deciding statements print them. A resource's answer does not depend on
which resources a run asked about before it (edges shared across targets follow
their group's canonical edge, symmetry.canonical_task), so the key needs no order.

An entry is what the run that wrote it printed, with every edge it prints that has a
witness (an edge between principals named by the digest of its line in the principal
side's entry, where it is kept once): read back, each such witness is replayed through
the reference evaluator against the policies the graph gives its edge today
(`Reachability.replays`), and the entry is used only if every one is allowed by the
very deciding statements it prints (a witness is never shown unreplayed); a proven
absence is read back as it is (its key holds every input of the proof). An entry that
does not parse, names another key, fails its checksum or a replay is ignored and
rewritten. An answer or a principal side with an undecided edge is never stored.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import xxhash

from reasoner.accounts.alike import ONE_OF
from reasoner.accounts.edges import FAIL, PASS, UNKNOWN, EdgeResult
from reasoner.accounts.graph import SnapshotGraph
from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.model import Decision, Effect, Policy, Result, StatementRef
from reasoner.solving.budget import Budget
from reasoner.solving.cache import ResultCache, canonical, request_from, request_record, versions
from reasoner.solving.witness import Witness

FORMAT = 3  # of the keys and values below; a change makes every older entry foreign

_LOCATED: IdentityMemo[Policy, str] = IdentityMemo()


def located_digest(policy: Policy) -> str:
    """A digest of every field of the policy, its file and its statements' lines too."""
    return _LOCATED.get(policy, lambda: _digest({f.name: canonical(getattr(policy, f.name))
                                                 for f in dataclasses.fields(policy)}))


def _digest(material: Any) -> str:
    # orjson: the same text in every process, as json.dumps's, in a fifth of the time
    # (a 10,000-role organization's principal key digests 20,000 policies and callers)
    return hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS)).hexdigest()


@functools.cache
def _versions() -> dict[str, str]:
    return versions()


def principal_key(nodes: SnapshotGraph, budget: Budget, *, use_probe: bool, group_alike: bool) -> str:
    return _digest([
        "principals", FORMAT, _versions(), float(budget.units), use_probe, group_alike,
        canonical(dataclasses.replace(nodes.snapshot, resources=()), located_digest),
        canonical(dataclasses.replace(nodes.perimeter, resources=()), located_digest),
        [canonical(caller, located_digest) for caller in nodes.callers.values()],
        sorted(nodes.zone_accounts), nodes.zone_label])


def answer_key(principals: str, action: str, resource: str, resource_account: str | None, target: Any) -> str:
    return _digest(["who-can", FORMAT, principals, action, resource, resource_account,
                    canonical(target, located_digest)])


# -- edges in and out of entries ----------------------------------------------------


def edge_record(edge: EdgeResult) -> dict[str, Any]:
    record: dict[str, Any] = {"source": edge.source, "target": edge.target, "relation": edge.relation,
                              "status": edge.status, "method": edge.method, "network": edge.network,
                              "reason": edge.reason}
    if edge.witness is not None:
        result = edge.witness.result
        record["witness"] = {"request": request_record(edge.witness.request), "decision": result.decision.value,
                             "determining": [_ref_record(ref) for ref in result.determining],
                             "blocked_by": list(result.blocked_by)}
    return record


def _ref_record(ref: StatementRef) -> list[Any]:
    return [ref.policy, ref.statement, ref.sid, ref.effect.value, ref.source, ref.line, ref.synthetic]


def shows(witness: dict[str, Any], result: Result | None) -> bool:
    """The `witness` member of an `edge_record` printed `result`: its decision, its
    deciding statements and what blocked it, as `edge_record` writes them."""
    return result is not None and witness["decision"] == result.decision.value \
        and witness["determining"] == [_ref_record(ref) for ref in result.determining] \
        and witness["blocked_by"] == list(result.blocked_by)


def edge_from(record: dict[str, Any]) -> EdgeResult:
    """The edge of a record; KeyError, TypeError or ValueError when it is not one."""
    text = (str, type(None))
    if not all(isinstance(record[name], str) for name in ("source", "target", "relation", "status", "method")) \
            or not isinstance(record["network"], text) or not isinstance(record["reason"], text):
        raise TypeError("not an edge")
    witness = None
    if "witness" in record:
        found = record["witness"]
        refs = tuple(StatementRef(str(policy), int(statement), sid if sid is None else str(sid), Effect(effect),
                                  str(source), line if line is None else int(line), bool(synthetic))
                     for policy, statement, sid, effect, source, line, synthetic in found["determining"])
        witness = Witness(request_from(found["request"]),
                          Result(Decision(found["decision"]), refs, tuple(map(str, found["blocked_by"]))))
    if record["status"] not in (FAIL, PASS) or \
            (record["status"] == FAIL and record["relation"] != ONE_OF) != (witness is not None):
        raise ValueError("an undecided edge, an existing one without its witness, or an absent one with one")
    return EdgeResult(record["source"], record["target"], record["relation"], record["status"], witness,
                      record["network"], record["method"], record["reason"])


# -- the principal side -------------------------------------------------------------


def write_principals(store: ResultCache, key: str, edges: Sequence[EdgeResult],
                     excluded: int) -> PrincipalEntry | None:
    """Keep the principal side, one `shown_record` per line (an answer refers to the
    lines it prints by `record_digest`); the entry as kept, or None when it is not (an
    edge is undecided)."""
    if not all(edge.status in (FAIL, PASS) for edge in edges):
        return None
    entry = PrincipalEntry([shown_record(edge) for edge in edges], excluded)
    store.put_texts(key, {"excluded": excluded}, [b"\n".join(entry.lines)])
    return entry


@dataclass(frozen=True)
class PrincipalEntry:
    """The principal side as kept: its lines (`shown_record`s) and how many callers
    it excluded. Its edges are parsed only for a run that builds the graph."""

    lines: list[bytes]
    excluded: int

    def edges(self) -> list[EdgeResult]:
        """ValueError, KeyError or TypeError when a line is not an edge."""
        return [edge_from(orjson.loads(line)) for line in self.lines]

    @functools.cached_property
    def by_digest(self) -> dict[bytes, bytes]:
        """Each line by its `record_digest`: how answers name them."""
        return {record_digest(line): line for line in self.lines}


def read_principals(store: ResultCache, key: str) -> PrincipalEntry | None:
    found = store.get_texts(key, store.principals)
    if found is None:
        return None
    fields, texts = found
    try:
        (text,) = texts
        excluded = int(fields["excluded"])
    except (KeyError, TypeError, ValueError):
        store.untrusted(store.principals)
        return None
    return PrincipalEntry(text.split(b"\n") if text else [], excluded)


def record_digest(record: bytes) -> bytes:
    """How an answer names a line of the principal side's entry it prints (XXH3-128 of
    the line, in hex): the edges between principals are on the paths of most answers,
    and were a gigabyte of a 10,000-role organization's answers, repeated."""
    return xxhash.xxh3_128_hexdigest(record).encode()


# -- who-can answers ----------------------------------------------------------------


@dataclass(frozen=True)
class KeptAnswer:
    """A who-can answer as the command prints it: its JSON document (`reach.who_can_json`
    without warnings, as `json.dumps(..., indent=2)` prints it) and its text
    (`reach.who_can_text`), both UTF-8. Read back, neither is parsed or decoded: the
    command prints them."""

    result: str  # FAIL, PASS or UNKNOWN
    json_bytes: bytes
    text_bytes: bytes
    # every edge with a witness the answer prints, one `shown_record` each (the same
    # bytes for the same edge in every answer), replayed when read back: those of
    # `shown` as they are, those of `refs` by the `record_digest` of the line of the
    # principal side's entry that holds them
    shown: tuple[bytes, ...] = dataclasses.field(default=(), compare=False)
    refs: tuple[bytes, ...] = dataclasses.field(default=(), compare=False)

    @property
    def json_text(self) -> str:
        return self.json_bytes.decode()

    @property
    def text(self) -> str:
        return self.text_bytes.decode()

    @functools.cached_property
    def document(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.json_bytes)
        return found

    def json_with(self, warnings: list[dict[str, Any]]) -> bytes:
        """The JSON text with a `warnings` member last, as `json.dumps(..., indent=2)` of
        the document with that member added prints it."""
        if not warnings:
            return self.json_bytes
        member = json.dumps({"warnings": warnings}, indent=2)[2:-2]  # `  "warnings": [...]`
        return self.json_bytes[:-2] + b",\n" + member.encode() + b"\n}"


def write_answer(store: ResultCache, key: str, answer: KeptAnswer) -> None:
    store.put_texts(key, {"result": answer.result},
                    [answer.json_bytes, answer.text_bytes, b"\n".join(answer.shown), b"\n".join(answer.refs)])


def shown_record(edge: EdgeResult) -> bytes:
    """An edge an answer prints, as `KeptAnswer.shown` keeps it: its `edge_record`, keys sorted."""
    return orjson.dumps(edge_record(edge), option=orjson.OPT_SORT_KEYS)


def read_answer(store: ResultCache, key: str) -> KeptAnswer | None:
    found = store.get_texts(key, store.answers)
    if found is None:
        return None
    fields, texts = found
    result = fields.get("result")
    if result not in (FAIL, PASS, UNKNOWN) or len(texts) != 4 or not texts[0].startswith(b"{\n") \
            or not texts[0].endswith(b"\n}") or not (texts[1].isascii() or _utf8(texts[1])):
        store.untrusted(store.answers)
        return None
    return KeptAnswer(result, texts[0], texts[1], tuple(texts[2].split(b"\n")) if texts[2] else (),
                      tuple(texts[3].split(b"\n")) if texts[3] else ())


def _utf8(text: bytes) -> bool:
    try:
        text.decode()
    except UnicodeDecodeError:
        return False
    return True
