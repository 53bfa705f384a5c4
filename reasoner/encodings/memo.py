"""Encoding work kept within a run (issue #15): a policy shared by a thousand
edges is encoded once.

The encodings build every term in z3's main context, over the constants of a
`SymbolicRequest`; a query's solves then translate its assertions into a private
context (`solving.solve.Session`). Two symbolic requests of the same
`SymbolicRequest.signature` (the name its constants carry, the encoding, the
action domain, and each context key's kind and number of value slots) are made of
the very same z3 constants, so a term built over one is the term built over the
other: z3 shares equal terms of a context. A statement's terms, the
well-formedness facts and a request space's constraints are therefore kept here
under that signature and what else they are a function of, and a query that
finds them takes them as they are. What a query asserts is the same term either
way, so its translation into the private context, and with it the answer and the
witness, are the same (tests/test_encoding_memo.py).

The memory is bounded: past `MAX_ENTRIES` entries it starts again empty.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

MAX_ENTRIES = 100_000

_entries: dict[Hashable, Any] = {}
_counts = {"hits": 0, "misses": 0}
_enabled = [True]

Result = TypeVar("Result")
Parameters = ParamSpec("Parameters")


class Signed(Protocol):
    @property
    def signature(self) -> Hashable: ...


def remembered(key: Hashable, build: Callable[[], Result]) -> Result:
    """What `build` returns, built once for `key` within the run."""
    if not _enabled[0]:
        return build()
    try:
        found: Result = _entries[key]
    except KeyError:
        _counts["misses"] += 1
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        found = _entries[key] = build()
        return found
    _counts["hits"] += 1
    return found


def per_request(function: Callable[Concatenate[Any, Parameters], Result]) \
        -> Callable[Concatenate[Any, Parameters], Result]:
    """`function(sym, ...)` kept by `sym.signature` and its other (hashable)
    arguments. A list it returns is copied for each caller."""

    @functools.wraps(function)
    def kept(sym: Signed, /, *args: Parameters.args, **kwargs: Parameters.kwargs) -> Result:
        key = (function.__module__, function.__qualname__, sym.signature, args, tuple(sorted(kwargs.items())))
        found = remembered(key, lambda: function(sym, *args, **kwargs))
        return list(found) if isinstance(found, list) else found  # type: ignore[return-value]

    return kept


def counts() -> tuple[int, int]:
    """(hits, misses) since the process started or `clear`."""
    return _counts["hits"], _counts["misses"]


def clear() -> None:
    _entries.clear()
    _counts.update(hits=0, misses=0)


def enable(on: bool) -> bool:
    """Turn the memory on or off (tests compare the two); returns the previous setting."""
    previous = _enabled[0]
    _enabled[0] = on
    return previous
