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
from dataclasses import dataclass
from enum import Enum

import z3

from reasoner.encodings.strings import (
    Case,
    PatternMatch,
    VariableLookup,
    any_char_except,
    any_string,
    chars_ignoring_case,
    concat,
    glob_regex,
    has_variables,
    head_term,
    head_then,
    match_glob,
    split_head,
    string_val,
)
from reasoner.encodings.terms import FALSE, TRUE, all_of, any_of, ite
from reasoner.errors import EncodingError
from reasoner.policy.matching import ARN_SEGMENTS, Star, Token, split_arn, tokens_match

_LAST = ARN_SEGMENTS - 1
_COLON = z3.StringVal(":")


@dataclass(frozen=True)
class ArnParts:
    """A string as `split_arn` sees it: `is_arn`; when it holds, the components
    after `arn` (the first four colon-free, the fifth the remainder), and when it
    does not, `plain`, the whole string. Formulas on the string take the form
    `ite(is_arn, φ(components), ψ(plain))`, so the string itself, tied to both by
    one equation, never meets a regex: z3's sequence solver handles small regexes
    on the components far better than big ones on a concatenation."""

    is_arn: z3.BoolRef
    parts: tuple[z3.SeqRef, ...]  # components 1..5
    plain: z3.SeqRef  # the string when it is no ARN

    @staticmethod
    def fresh(label: str) -> ArnParts:
        return ArnParts(z3.Bool(f"{label}.is_arn"), tuple(z3.String(f"{label}.arn[{i}]") for i in range(1, 6)),
                        z3.String(f"{label}.plain"))

    def component(self, index: int) -> z3.SeqRef:
        """Component `index` (1..5) of the ARN."""
        return self.parts[index - 1]

    def joined_from(self, index: int) -> z3.SeqRef:
        """Components `index`..5 joined by colons (the remainder from `index` on)."""
        pieces: list[z3.SeqRef] = []
        for offset, part in enumerate(self.parts[index - 1:]):
            if offset:
                pieces.append(_COLON)
            pieces.append(part)
        return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)

    def whole(self) -> z3.SeqRef:
        return z3.Concat(z3.StringVal("arn:"), self.joined_from(1))

    def constraints(self, subject: z3.SeqRef) -> list[z3.BoolRef]:
        """`subject` is the ARN of the components, or `plain` and no ARN."""
        colon_free = [z3.InRe(part, z3.Star(any_char_except(":"))) for part in self.parts[:-1]]
        return [subject == z3.If(self.is_arn, self.whole(), self.plain),
                z3.Implies(self.is_arn, z3.And(*colon_free)),
                z3.Implies(z3.Not(self.is_arn), z3.Not(is_arn(self.plain)))]

    def fix_to(self, value: str) -> list[z3.BoolRef]:
        found = split_arn(value)
        if found is None:
            return [z3.Not(self.is_arn), self.plain == string_val(value)]
        return [self.is_arn, *(part == string_val(text) for part, text in zip(self.parts, found[1:], strict=True))]

    def contains(self, text: str) -> z3.BoolRef:
        """`text in subject`, for a `text` that starts with a colon and holds no other."""
        assert text.startswith(":") and text.count(":") == 1
        after = text[1:]
        in_arn = [z3.PrefixOf(string_val(after), part) for part in self.parts]
        in_arn.append(z3.Contains(self.parts[-1], string_val(text)))
        return ite(self.is_arn, any_of(in_arn), z3.Contains(self.plain, string_val(text)))


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
    fixed_case = Case.IGNORE_ASCII if mode is ArnMode.RESOURCE else Case.SENSITIVE
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


def _after_fifth_colon(subject: z3.SeqRef) -> z3.ArithRef:
    """The index just after the subject's fifth colon (meaningful when it is an ARN)."""
    position: z3.ArithRef = z3.IntVal(-1)
    for _ in range(_LAST):
        position = z3.IndexOf(subject, z3.StringVal(":"), position + 1)
    return position + 1


def arn_match(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup, mode: ArnMode) -> PatternMatch:
    """`subject` matches the (unresolved) pattern `tokens` under `mode`."""
    if mode is ArnMode.RESOURCE and tuple(tokens) == (Star(),):
        return PatternMatch(TRUE, TRUE)
    if not has_variables(tokens):
        regex = _tail_regex(tokens, 0, mode)
        arn_case = FALSE if regex is None else all_of([is_arn(subject), z3.InRe(subject, regex)])
        if mode is ArnMode.ARN_LIKE:
            return PatternMatch(arn_case, TRUE)
        plain = z3.InRe(subject, glob_regex(tokens))
        return PatternMatch(ite(is_arn(subject), arn_case, plain), TRUE)
    segments = _segments(tokens, 0)
    if len(segments) == ARN_SEGMENTS and not any(has_variables(segment) for segment in segments[:_LAST]):
        arn = _variables_in_resource_part(subject, segments, lookup, mode)
    elif mode is ArnMode.ARN_LIKE:
        arn = _variables_anywhere(subject, tokens, lookup)
    else:
        raise EncodingError("policy variable in the first five ARN components of a Resource entry")
    if mode is ArnMode.ARN_LIKE:
        return arn
    return PatternMatch(ite(is_arn(subject), arn.matches, _plain_resource(subject, tokens, lookup)), arn.resolved)


def _variables_in_resource_part(subject: z3.SeqRef, segments: list[list[Token]], lookup: VariableLookup,
                                mode: ArnMode) -> PatternMatch:
    """Variables only in the sixth component: the subject's fifth colon splits it into
    the first five components (one regex) and the resource part (a glob with
    variables)."""
    case = Case.IGNORE_ASCII if mode is ArnMode.RESOURCE else Case.SENSITIVE
    colon = z3.Re(z3.StringVal(":"))
    fixed = concat([part for segment in segments[:_LAST]
                    for part in (glob_regex(segment, case=case, star_excludes=":"), colon)])
    cut = _after_fifth_colon(subject)
    rest = match_glob(z3.SubString(subject, cut, z3.Length(subject) - cut), segments[_LAST], lookup)
    matches = all_of([is_arn(subject), z3.InRe(z3.SubString(subject, 0, cut), fixed), rest.matches])
    return PatternMatch(matches, rest.resolved)


def _variables_anywhere(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup) -> PatternMatch:
    """ArnLike with a variable in the first five components: the variable may hold
    colons, so split on how many colons the head holds (0..4, or 5 and more)."""
    head, tail = split_head(tokens)
    if has_variables(tail):
        raise EncodingError("policy variable after a wildcard",
                            "a policy variable after `*` or `?` makes the match position undetermined")
    prefix = head_term(head, lookup)
    cases: list[z3.BoolRef] = []
    for colons in range(ARN_SEGMENTS):
        exact = _colons_at_least(prefix.value, colons)
        if colons < _LAST:
            exact = z3.And(exact, z3.Not(_colons_at_least(prefix.value, colons + 1)))
        regex = _tail_regex(tail, colons, ArnMode.ARN_LIKE)
        if regex is None:
            continue
        cases.append(all_of([exact, head_then(subject, prefix.value, regex)]))
    arn_case = all_of([is_arn(subject), any_of(cases)])
    return PatternMatch(all_of([prefix.resolved, arn_case]), prefix.resolved)


def _plain_resource(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup, *,
                    predicates: bool = False) -> z3.BoolRef:
    """A Resource entry against a subject that is not an ARN: a plain glob. A pattern
    that starts with `arn:` and holds five literal colons matches only ARNs."""
    first = tokens[0] if tokens else None
    colons = sum(t.count(":") for t in tokens if isinstance(t, str))
    if isinstance(first, str) and first.startswith("arn:") and colons >= _LAST:
        return FALSE
    return match_glob(subject, tokens, lookup, predicates=predicates).matches


def resource_match(arn: ArnParts, tokens: Sequence[Token], lookup: VariableLookup, *,
                   predicates: bool = False) -> PatternMatch:
    """A Resource / NotResource entry against the resource with components `arn`
    (the evaluator's `resource_tokens_match`): component by component when the
    resource is an ARN, a plain glob otherwise. `predicates`: the case-sensitive
    globs as `strings.glob_predicates` where their shape allows."""
    if tuple(tokens) == (Star(),):
        return PatternMatch(TRUE, TRUE)
    segments = _segments(tokens, 0)
    if any(has_variables(segment) for segment in segments[:_LAST]):
        raise EncodingError("policy variable in the first five ARN components of a Resource entry")
    count = len(segments)
    if count < ARN_SEGMENTS and (not segments[-1] or not isinstance(segments[-1][-1], Star)):
        arn_case: PatternMatch = PatternMatch(FALSE, TRUE)
    else:
        arn_case = _components_match(arn, segments, lookup, predicates)
    plain = _plain_resource(arn.plain, tokens, lookup, predicates=predicates)
    return PatternMatch(ite(arn.is_arn, arn_case.matches, plain), arn_case.resolved)


def _components_match(arn: ArnParts, segments: list[list[Token]], lookup: VariableLookup,
                      predicates: bool) -> PatternMatch:
    """The ARN case of `resource_tokens_match`: components before the last pattern
    segment compare case-insensitively one by one; the last segment is a
    case-sensitive glob over the resource part (or, for a short pattern ending in
    `*`, over the rest of the subject from its component on)."""
    free_from = min(len(segments), ARN_SEGMENTS) - 1
    terms: list[z3.BoolRef] = []
    for index, segment in enumerate(segments[:free_from]):
        if index == 0:
            matches_arn = tokens_match(tuple(segment), "arn", ignore_case=True, ascii_only=True, colon_free=True)
            terms.append(TRUE if matches_arn else FALSE)
        else:
            terms.append(_component_match(arn.component(index), segment))
    last = segments[free_from]
    tail = arn.whole() if free_from == 0 else arn.joined_from(free_from)
    rest = match_glob(tail, last, lookup, predicates=predicates)
    return PatternMatch(all_of([*terms, rest.matches]), rest.resolved)


def _component_match(component: z3.SeqRef, segment: Sequence[Token]) -> z3.BoolRef:
    """One colon-free component against a variable-free segment, ignoring case."""
    if all(isinstance(token, Star) for token in segment) and segment:
        return TRUE
    if all(isinstance(token, str) for token in segment):
        text = "".join(token for token in segment if isinstance(token, str))
        if all(chars_ignoring_case(char) == (char,) for char in text):
            return component == string_val(text)
    return z3.InRe(component, glob_regex(segment, case=Case.IGNORE_ASCII))
