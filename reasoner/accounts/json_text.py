"""`json.dumps(document, indent=2)`, the same text, made by orjson.

An organization's who-can answers are gigabytes of indented JSON, and Python's json
module writes indented JSON in pure Python (its C encoder serves `indent=None` only):
it was half of a cold run of the synthetic organization (benchmarks/synthetic_org.py).
orjson writes the same text in C for what answers are made of (strings, integers,
booleans, None, lists, tuples, dicts with string keys). json.dumps still writes:

- a text with a non-ASCII character (json.dumps escapes it as `\\uXXXX`, orjson
  writes UTF-8; `bytes.isascii` tells at C speed);
- what orjson refuses or would write otherwise (dict keys that are not strings,
  integers beyond 64 bits, dataclasses, dates, subclasses of str, int, list or dict).

Where the two differ and nothing here tells: a float is written as orjson writes it,
the same number in another spelling where json.dumps uses an exponent below 1e-4
(`0.00001`, `2.5e-7` for `1e-05`, `2.5e-07`); a NaN or an infinity is `null` (valid
JSON) where json.dumps writes `NaN` (not JSON); an enum or a UUID is written where
json.dumps refuses it. Answers hold none of them (finding a float in a 200 KB text
costs more than writing it).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_SUBCLASS)


def _refuse(value: object) -> None:
    raise TypeError(f"{type(value).__name__} is left to json.dumps")


def indented(document: Any) -> bytes:
    """The text of `json.dumps(document, indent=2)` (floats aside: above), in bytes
    (ASCII: json.dumps escapes every other character)."""
    try:
        text = orjson.dumps(document, default=_refuse, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is one, and carries what `_refuse` raises
        return json.dumps(document, indent=2).encode()
    if not text.isascii():
        return json.dumps(document, indent=2).encode()
    return text
