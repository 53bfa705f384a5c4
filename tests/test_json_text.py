"""accounts/json_text.py writes what `json.dumps(document, indent=2)` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reasoner.accounts.json_text import indented

_LEAVES = st.none() | st.booleans() | st.integers() | st.text()
DOCUMENTS = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=25)


@settings(max_examples=300)
@given(DOCUMENTS)
def test_the_same_text_as_json_dumps(document: Any) -> None:
    assert indented(document) == json.dumps(document, indent=2).encode()


def test_the_texts_orjson_would_write_otherwise_are_json_dumps() -> None:
    for document in ({"x": "caf\u00e9", "y": "\U0001f600"}, {1: "a", 2: ["b"]}, [2 ** 70], ("a", ("b",)),
                     {"a": [0.5, 100.0, 1e16, -0.0]}):
        assert indented(document) == json.dumps(document, indent=2).encode()


def test_a_float_is_the_same_number() -> None:
    """The documented difference: orjson spells small floats without json.dumps' exponent."""
    document = {"a": [1e-05, 2.5e-07, 0.1]}
    assert json.loads(indented(document)) == document
    assert indented(document) != json.dumps(document, indent=2).encode()


def test_what_json_dumps_refuses_is_refused() -> None:
    for document in ({"a": {1, 2}}, [object()]):
        try:
            json.dumps(document, indent=2)
        except TypeError:
            pass
        else:
            raise AssertionError("json.dumps wrote it")
        try:
            indented(document)
        except TypeError:
            continue
        raise AssertionError("indented wrote what json.dumps refuses")


def test_a_who_can_answer_in_orjson_s_own_text() -> None:
    """Real answers take orjson's way (no fallback), so the equality above is what they get."""
    import orjson

    from reasoner.accounts import json_text

    document = {"action": "s3:GetObject", "principals": [{"principal": "arn:aws:iam::111122223333:role/a",
                                                          "members": [], "path": [{"sid": None, "line": 3}]}]}
    made = orjson.dumps(document, option=json_text._OPTIONS)
    assert made == indented(document) == json.dumps(document, indent=2).encode()
