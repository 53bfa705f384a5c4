"""Benchmark queries: one `BenchCase` builds the same query under any encoding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reasoner.encodings.options import EncodingOptions
    from reasoner.encodings.queries import Query

CHECKS = ("no-public-access", "no-new-access", "access-not-granted", "invariant")


@dataclass(frozen=True)
class BenchCase:
    family: str  # "corpus" or the synthetic family
    check: str  # one of CHECKS
    label: str  # what the query is about (a corpus path, or the family and size)
    size: int  # the scaled dimension (0 for the corpus)
    build: Callable[[EncodingOptions], Query]

    @property
    def key(self) -> str:
        """A stable identifier, usable as a file name."""
        safe = "".join(c if c.isalnum() or c in "-." else "_" for c in self.label)
        return f"{self.family}.{self.check}.{safe}"[:150]
