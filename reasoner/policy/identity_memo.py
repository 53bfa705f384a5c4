"""Values worked out from a policy, kept while the policy lives.

A policy's hash walks every statement, so what is worked out from one (its digests,
whether it tells callers apart) is kept by the policy's identity instead. Each entry
holds a weak reference to its policy and goes when the policy is collected: a process
that reads policy after policy (a library user, a long-lived server) keeps nothing of
the ones it dropped, and an identity reused by a later object never finds an entry of
the dead one.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Owner = TypeVar("Owner")
Value = TypeVar("Value")


class IdentityMemo(Generic[Owner, Value]):
    """A value per owner (and a hashable detail of the question, such as a target's
    name), by the owner's identity."""

    def __init__(self) -> None:
        self._entries: dict[tuple[int, Hashable], tuple[weakref.ref[Owner], Value]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def keep(self, owner: Owner, value: Value, detail: Hashable = None) -> Value:
        key = (id(owner), detail)
        entries = self._entries

        def gone(reference: weakref.ref[Owner]) -> None:
            entry = entries.get(key)
            if entry is not None and entry[0] is reference:
                del entries[key]

        entries[key] = (weakref.ref(owner, gone), value)
        return value

    def find(self, owner: Owner, detail: Hashable = None) -> Value | None:
        """The value kept for the owner, else None (`get` without making one: no
        closure to build where a lookup is all a hot loop can afford)."""
        entry = self._entries.get((id(owner), detail))
        return entry[1] if entry is not None and entry[0]() is owner else None

    def get(self, owner: Owner, make: Callable[[], Value], detail: Hashable = None) -> Value:
        """The value kept for the owner, else `make()`'s, kept."""
        entry = self._entries.get((id(owner), detail))
        if entry is not None and entry[0]() is owner:
            return entry[1]
        return self.keep(owner, make(), detail)
