"""Named encodings of the same semantics, for benchmarking (`perimeter bench --encoding`).

Every encoding decides exactly what the reference evaluator decides; they differ
only in how a request's action, resource and string globs are matched and in how
the solver is driven:

- `optimized` (the default): actions as an index into the sorted catalogue, a
  glob as a few merged intervals of indices; Resource entries matched on the
  ARN's components; a per-principal-kind case split when the whole query is not
  decided at once.
- `plain`: a glob as a disjunction of one equality per matching action; Resource
  entries matched as regexes on the whole resource string; one solver call.
- `no-split`: `optimized` without the case split (measures what the split buys).
- `predicates`: `optimized`, except that a case-sensitive, variable-free glob
  without `?` and with at most one inner run of `*` (the resource part of a
  Resource entry, a StringLike value) is a string predicate (`=`, PrefixOf,
  SuffixOf, Contains, PrefixOf and SuffixOf with a length bound) instead of
  regex membership (`strings.glob_predicates`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reasoner.errors import InputError


class ActionMatching(Enum):
    INTERVALS = "intervals"  # merged runs of consecutive indices
    EQUALITIES = "equalities"  # one `action == i` per matching action


class GlobMatching(Enum):
    REGEX = "regex"  # membership in the glob's regular expression
    PREDICATES = "predicates"  # string predicates where the glob's shape allows (`strings.glob_predicates`)


class ResourceMatching(Enum):
    FIELDS = "fields"  # component by component on `ArnParts`
    WHOLE = "whole"  # one regex on the whole string (`arns.arn_match`)


@dataclass(frozen=True)
class EncodingOptions:
    name: str
    actions: ActionMatching = ActionMatching.INTERVALS
    resources: ResourceMatching = ResourceMatching.FIELDS
    kind_split: bool = True  # solve per principal kind when the whole query is slow
    globs: GlobMatching = GlobMatching.REGEX
    description: str = ""

    @property
    def glob_predicates(self) -> bool:
        return self.globs is GlobMatching.PREDICATES


OPTIMIZED = EncodingOptions("optimized", description="finite action domain with merged intervals, resources by "
                            "ARN component, per-principal-kind case split")
PLAIN = EncodingOptions("plain", ActionMatching.EQUALITIES, ResourceMatching.WHOLE, kind_split=False,
                        description="one equality per matching action, resources as whole-string regexes, "
                        "no case split")
NO_SPLIT = EncodingOptions("no-split", kind_split=False, description="optimized without the case split")
PREDICATES = EncodingOptions("predicates", globs=GlobMatching.PREDICATES,
                             description="optimized, with simple case-sensitive globs as string predicates "
                             "(prefix, suffix, contains) instead of regexes")

ENCODINGS: dict[str, EncodingOptions] = {e.name: e for e in (OPTIMIZED, PLAIN, NO_SPLIT, PREDICATES)}
DEFAULT = OPTIMIZED


def encoding(name: str) -> EncodingOptions:
    """The encoding registered under `name`."""
    found = ENCODINGS.get(name)
    if found is None:
        raise InputError("--encoding", "", f"unknown encoding {name!r} (known: {', '.join(ENCODINGS)})")
    return found
