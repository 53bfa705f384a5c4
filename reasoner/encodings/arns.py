"""ARN matching: the Resource element (§2.2) and the ArnLike family (§2.3), as the
evaluator's `resource_tokens_match` and `arn_like` define them.

Both split an ARN into six colon-separated components, the sixth being the
remainder. Matching component by component is the same as matching the whole
string against one regex in which `*` and `?` of the first five pattern components
cannot produce a colon: literal colons then sit exactly at the subject's first five
colons. The Resource element adds three rules: its first five components compare
case-insensitively, a subject that is not an ARN is matched as a plain glob, and
a pattern with fewer than six components whose last
character is `*` lets that `*` run over the remaining colons.

A policy variable in the head of a pattern may itself contain colons and so shift
the components of what follows; the encoding splits on how many colons the head
holds (0..4, or 5 and more), each case with its own tail regex.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import z3

from reasoner.encodings.strings import (
    Case,
    PatternMatch,
    VariableLookup,
    any_char_except,
    any_string,
    concat,
    glob_regex,
    has_variables,
    head_term,
    head_then,
    literal_regex,
    match_glob,
    split_head,
)
from reasoner.encodings.terms import FALSE, TRUE, all_of, any_of, ite
from reasoner.errors import EncodingError
from reasoner.matching import ARN_SEGMENTS, Star, Token, Variable

_LAST = ARN_SEGMENTS - 1


class ArnMode(Enum):
    ARN_LIKE = "ArnLike"  # condition operators: exactly six components
    RESOURCE = "Resource"  # Resource / NotResource entries


def is_arn(subject: z3.SeqRef) -> z3.BoolRef:
    """`split_arn(subject)` is not None: it starts with `arn:` and has five colons."""
    segment = z3.Star(any_char_except(":"))
    colon = z3.Re(z3.StringVal(":"))
    parts = [z3.Re(z3.StringVal("arn:"))] + [segment, colon] * (_LAST - 1) + [any_string()]
    return z3.InRe(subject, concat(parts))


def _segments(tokens: Sequence[Token], start: int) -> list[list[Token]]:
    """Split tokens on `:` like `matching._split_tokens`, continuing the component
    `start` (0-based); returns the components from `start` on."""
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if isinstance(token, str) and start + len(segments) < ARN_SEGMENTS and ":" in token:
            for index, piece in enumerate(token.split(":")):
                if index > 0:
                    if start + len(segments) < ARN_SEGMENTS:
                        segments.append([])
                    else:
                        segments[-1].append(":")
                if piece:
                    segments[-1].append(piece)
        else:
            segments[-1].append(token)
    return segments


def _tail_regex(tokens: Sequence[Token], start: int, mode: ArnMode) -> z3.ReRef | None:
    """The regex of `tokens` read from inside component `start` (0-based); None if
    the pattern can match no ARN. In a Resource entry the first five components
    compare case-insensitively (the evaluator's `resource_tokens_match`)."""
    segments = _segments(tokens, start)
    count = start + len(segments)
    free_from = _LAST
    if count < ARN_SEGMENTS:
        if mode is ArnMode.ARN_LIKE:
            return None
        last = segments[-1]
        if not last or not isinstance(last[-1], Star):
            return None
        free_from = count - 1
    fixed_case = Case.IGNORE if mode is ArnMode.RESOURCE else Case.SENSITIVE
    colon = z3.Re(z3.StringVal(":"))
    parts: list[z3.ReRef] = []
    for offset, segment in enumerate(segments):
        if offset > 0:
            parts.append(colon)
        if start + offset >= free_from:
            parts.append(glob_regex(segment))
        else:
            parts.append(glob_regex(segment, case=fixed_case, star_excludes=":"))
    return concat(parts)


def _colons_at_least(value: z3.SeqRef, count: int) -> z3.BoolRef:
    if count == 0:
        return TRUE
    some = any_string()
    colon = z3.Re(z3.StringVal(":"))
    return z3.InRe(value, concat([some, colon] * count + [some]))


def arn_match(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup, mode: ArnMode) -> PatternMatch:
    """`subject` matches the (unresolved) pattern `tokens` under `mode`."""
    if mode is ArnMode.RESOURCE and tuple(tokens) == (Star(),):
        return PatternMatch(TRUE, TRUE)
    head, tail = split_head(tokens)
    if not has_variables(head):
        regex = _tail_regex(tokens, 0, mode)
        arn_case = FALSE if regex is None else all_of([is_arn(subject), z3.InRe(subject, regex)])
        if mode is ArnMode.ARN_LIKE:
            return PatternMatch(arn_case, TRUE)
        plain = z3.InRe(subject, glob_regex(tokens))
        return PatternMatch(ite(is_arn(subject), arn_case, plain), TRUE)
    prefix = head_term(head, lookup)
    if mode is ArnMode.RESOURCE:
        arn_case = _resource_with_variables(subject, tokens, lookup)
        plain = head_then(subject, prefix.value, glob_regex(tail) if tail else None)
        return PatternMatch(all_of([prefix.resolved, ite(is_arn(subject), arn_case, plain)]), prefix.resolved)
    cases: list[z3.BoolRef] = []
    for colons in range(ARN_SEGMENTS):
        exact = _colons_at_least(prefix.value, colons)
        if colons < _LAST:
            exact = z3.And(exact, z3.Not(_colons_at_least(prefix.value, colons + 1)))
        regex = _tail_regex(tail, colons, mode)
        if regex is None:
            continue
        cases.append(all_of([exact, head_then(subject, prefix.value, regex)]))
    arn_case = all_of([is_arn(subject), any_of(cases)])
    return PatternMatch(all_of([prefix.resolved, arn_case]), prefix.resolved)


def _resource_with_variables(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup) -> z3.BoolRef:
    """An ARN subject against a Resource entry with variables. The first five
    components compare case-insensitively, which a variable's value cannot do
    symbolically; variables are allowed only in the resource part (§1.7), so the
    literal text before the first variable must hold the five colons."""
    first = next(i for i, t in enumerate(tokens) if isinstance(t, Variable))
    literal = "".join(t for t in tokens[:first] if isinstance(t, str))
    pieces = literal.split(":", _LAST)
    if len(pieces) <= _LAST:
        raise EncodingError("policy variable in the first five ARN components of a Resource entry")
    fixed = [literal_regex(piece, Case.IGNORE) for piece in pieces[:_LAST]]
    colon = z3.Re(z3.StringVal(":"))
    prefix_regex = concat([part for piece in fixed for part in (piece, colon)])
    cut = len(literal) - len(pieces[_LAST])
    rest_tokens: tuple[Token, ...] = ((pieces[_LAST],) if pieces[_LAST] else ()) + tuple(tokens[first:])
    rest = z3.SubString(subject, cut, z3.Length(subject) - cut)
    return all_of([
        is_arn(subject),
        z3.InRe(z3.SubString(subject, 0, cut), prefix_regex),
        match_glob(rest, rest_tokens, lookup).matches,
    ])
