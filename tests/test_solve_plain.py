"""z3's SMT core alone as a first, short try (`Session.with_z3(plain=True)`): the
same answers as z3's default solver, and an unanswered try leaves nothing behind
that would steer the solves after it."""

from __future__ import annotations

import json

import z3

from reasoner.encodings.queries import no_new_access
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import parse_policy_text
from reasoner.solving.solve import Session, Status


def _easy() -> list[z3.BoolRef]:
    a, b = z3.Ints("a b")
    name = z3.String("name")
    return [a + b == 10, a > b, z3.PrefixOf(z3.StringVal("role/"), name), z3.Length(name) > 8]


def _values(model: z3.ModelRef) -> dict[str, str]:
    return {str(d): str(model[d]) for d in model.decls()}


def test_plain_and_default_solves_agree() -> None:
    a, b = z3.Ints("a b")
    for assertions in (_easy(), [a > b, b > a]):
        plain, default = Session().with_z3(assertions, 1.0, plain=True), Session().with_z3(assertions, 1.0)
        assert plain.status is default.status is not Status.UNKNOWN


def test_after_an_unanswered_plain_try_a_solve_finds_what_a_fresh_session_finds() -> None:
    # a query on which the terms z3's core makes during a cut-short try change the
    # default solver's model when left in the context
    existing = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}), PolicyType.IDENTITY, source="old.json")
    new = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::*"}]}), PolicyType.IDENTITY, source="new.json")
    assertions = list(no_new_access(existing, new, PolicyType.IDENTITY).assertions)
    session = Session()
    tried = session.with_z3(assertions, 0.02, plain=True)
    assert tried.status is Status.UNKNOWN and tried.work > 0
    after = session.with_z3(assertions, 0.1)
    fresh = Session().with_z3(assertions, 0.1)
    assert after.status is fresh.status is Status.SAT
    assert after.model is not None and fresh.model is not None
    assert _values(after.model) == _values(fresh.model)
    assert session.work == tried.work + after.work  # the dropped context's work still counts
