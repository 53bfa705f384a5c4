"""IAM glob patterns and policy variables as z3 string constraints (§2.1, §4).

Patterns are tokenized by the reference tokenizer (`reasoner.policy.matching.tokenize`),
so both sides agree on what is literal text, `*`, `?` and a policy variable
`${key}` / `${key, 'default'}`. A variable's value is literal text: its `*` and `?`
are not wildcards.

A pattern is encoded as a *head* of literal text and variables followed by a
*tail* that starts at the first wildcard: `subject = head ++ rest` with `rest` in
the tail's regular language. The head is a concatenation of terms, so the position
of every variable is determined and the encoding is quantifier-free and exact. A
variable after a wildcard would make the split undetermined: `EncodingError`.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

import z3

from reasoner.encodings.terms import TRUE, all_of
from reasoner.errors import EncodingError
from reasoner.policy.matching import AnyChar, Star, Token, Variable

MAX_CHAR = 0x2FFFF  # z3's largest character (unicode encoding)

_RE_SORT = z3.ReSort(z3.StringSort())


class Case(Enum):
    SENSITIVE = "sensitive"
    IGNORE = "ignore"  # Python's re.IGNORECASE, as the evaluator's IgnoreCase operators
    IGNORE_ASCII = "ignore-ascii"  # re.IGNORECASE | re.ASCII, as ARN fields and action names
    LOWER = "lower"  # equality after str.lower(), as the evaluator's Bool and Service checks


def any_char() -> z3.ReRef:
    return z3.AllChar(_RE_SORT)


def any_char_except(excluded: str) -> z3.ReRef:
    """Any one character but `excluded` (one character), as two ranges: z3's sequence
    solver handles ranges far better than intersections with a complement."""
    code = ord(excluded)
    ranges = []
    if code > 0:
        ranges.append(z3.Range(string_val(chr(0)), string_val(chr(code - 1))))
    if code < MAX_CHAR:
        ranges.append(z3.Range(string_val(chr(code + 1)), string_val(chr(MAX_CHAR))))
    return union(ranges)


def any_string() -> z3.ReRef:
    return z3.Star(any_char())


def concat(parts: Sequence[z3.ReRef]) -> z3.ReRef:
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def union(parts: Sequence[z3.ReRef]) -> z3.ReRef:
    return parts[0] if len(parts) == 1 else z3.Union(*parts)


def string_val(text: str, ctx: z3.Context | None = None) -> z3.SeqRef:
    if any(ord(c) > MAX_CHAR for c in text):
        raise EncodingError("character outside z3's range", f"{text!r} has a character above U+2FFFF")
    # z3 reads `\u{..}` escapes in string literals: a backslash must be escaped itself.
    return z3.StringVal(text.replace("\\", "\\u{5c}"), ctx)


def string_of(value: z3.SeqRef) -> str:
    """The Python text of a z3 string value (e.g. from a model), character by character."""
    context, ast = value.ctx_ref(), value.as_ast()
    length = z3.z3core.Z3_get_string_length(context, ast)
    codes = (ctypes.c_uint * length)()
    z3.z3core.Z3_get_string_contents(context, ast, length, codes)
    return "".join(chr(code) for code in codes)


@functools.cache
def _all_chars() -> str:
    """Every character z3 can hold (surrogates excluded), as one string."""
    return "".join(chr(i) for i in range(MAX_CHAR + 1) if not 0xD800 <= i <= 0xDFFF)


@functools.cache
def whitespace_chars() -> tuple[str, ...]:
    """What `str.strip()` removes."""
    return tuple(c for c in _all_chars() if c.isspace())


@functools.cache
def chars_ignoring_case(char: str, ascii_only: bool = False) -> tuple[str, ...]:
    """Every character that `re.IGNORECASE` (with `re.ASCII`) lets `char` match
    (found by the regex engine itself, scanning all characters)."""
    pattern = re.compile(re.escape(char), re.IGNORECASE | (re.ASCII if ascii_only else 0))
    return tuple(match.group() for match in pattern.finditer(_all_chars()))


@functools.cache
def _changed_by_lower() -> dict[str, tuple[str, ...]]:
    """The characters that `str.lower()` maps to another single character, by
    their image (most characters map to themselves and are left out)."""
    found: dict[str, list[str]] = {}
    for c in _all_chars():
        lowered = c.lower()
        if lowered != c and len(lowered) == 1:
            found.setdefault(lowered, []).append(c)
    return {key: tuple(chars) for key, chars in found.items()}


@functools.cache
def _chars_lowering_to(char: str) -> tuple[str, ...]:
    """Every character whose `str.lower()` is `char`, in code-point order."""
    itself = (char,) if char.lower() == char else ()
    return tuple(sorted(itself + _changed_by_lower().get(char, ())))


def _char_regex(chars: tuple[str, ...]) -> z3.ReRef:
    return union([z3.Re(string_val(c)) for c in chars])


def literal_regex(text: str, case: Case = Case.SENSITIVE) -> z3.ReRef:
    """Strings equal to `text` under `case`. For `Case.LOWER`, `text` must already be
    lower-case; it then denotes the strings whose `str.lower()` is `text`."""
    if case is Case.SENSITIVE:
        return z3.Re(string_val(text))
    if case is Case.LOWER and "\u0307" in text:
        # 'İ'.lower() is two characters; per-character alternatives cannot say that.
        raise EncodingError("U+0307 in a case-insensitive value")
    parts: list[z3.ReRef] = []
    for char in text:
        chars = chars_ignoring_case(char, case is Case.IGNORE_ASCII) if case in (Case.IGNORE, Case.IGNORE_ASCII) \
            else _chars_lowering_to(char)
        if not chars:
            return z3.Empty(_RE_SORT)
        parts.append(_char_regex(chars))
    return concat(parts)


def glob_regex(tokens: Sequence[Token], *, case: Case = Case.SENSITIVE, star_excludes: str | None = None) -> z3.ReRef:
    """The regex of variable-free tokens; `star_excludes=":"` keeps `*` and `?` inside
    one ARN component (§2.3)."""
    one = any_char() if star_excludes is None else any_char_except(star_excludes)
    parts: list[z3.ReRef] = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(literal_regex(token, case))
        elif isinstance(token, Star):
            parts.append(z3.Star(one))
        elif isinstance(token, AnyChar):
            parts.append(one)
        else:
            raise EncodingError("policy variable after a wildcard",
                                "a policy variable after `*` or `?` makes the match position undetermined")
    return concat(parts)


# ---- matching a z3 string against a pattern ------------------------------------

VariableLookup = Callable[[str], tuple[z3.BoolRef, z3.SeqRef]]
"""key (lower-cased) -> (resolvable, value): the key holds exactly one value."""


@dataclass(frozen=True)
class Head:
    """The literal-and-variable prefix of a pattern, as one string term."""

    value: z3.SeqRef
    resolved: z3.BoolRef  # every variable without default has a value (§4)
    has_variables: bool


def split_head(tokens: Sequence[Token]) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """(head, tail): the tail starts at the first wildcard."""
    cut = next((i for i, t in enumerate(tokens) if isinstance(t, Star | AnyChar)), len(tokens))
    return tuple(tokens[:cut]), tuple(tokens[cut:])


def head_term(head: Sequence[Token], lookup: VariableLookup) -> Head:
    pieces: list[z3.SeqRef] = []
    resolved: list[z3.BoolRef] = []
    for token in head:
        if isinstance(token, str):
            pieces.append(string_val(token))
        elif isinstance(token, Variable):
            present, value = lookup(token.key)
            if token.default is None:
                resolved.append(present)
            else:
                value = z3.If(present, value, string_val(token.default))
            pieces.append(value)
    value = z3.StringVal("") if not pieces else pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)
    return Head(z3.simplify(value), all_of(resolved), any(isinstance(t, Variable) for t in head))


def has_variables(tokens: Sequence[Token]) -> bool:
    return any(isinstance(t, Variable) for t in tokens)


@dataclass(frozen=True)
class PatternMatch:
    """`matches` implies `resolved`; `resolved` is false when a variable without
    default refers to a key without a single value (§4)."""

    matches: z3.BoolRef
    resolved: z3.BoolRef


def head_then(subject: z3.SeqRef, head: z3.SeqRef, tail: z3.ReRef | None) -> z3.BoolRef:
    """`subject = head ++ rest` with `rest` in `tail` (`None`: empty rest)."""
    if tail is None:
        return subject == head
    if z3.is_string_value(head) and head.as_string() == "":
        return z3.InRe(subject, tail)
    if z3.is_string_value(head):
        return z3.InRe(subject, z3.Concat(z3.Re(head), tail))
    rest = z3.SubString(subject, z3.Length(head), z3.Length(subject) - z3.Length(head))
    return z3.And(z3.PrefixOf(head, subject), z3.InRe(rest, tail))


def glob_predicates(subject: z3.SeqRef, tokens: Sequence[Token]) -> z3.BoolRef | None:
    """`subject` matches the case-sensitive, variable-free glob `tokens` (`*` crossing
    every character), as string predicates instead of a regex: `lit` is equality,
    `lit*` PrefixOf, `*lit` SuffixOf, `*lit*` Contains, `a*b` PrefixOf(a) and
    SuffixOf(b) with len >= len(a) + len(b) (so the two do not overlap). A run of
    stars is one star. None for any other shape (`?`, a variable, more stars)."""
    pieces = [""]  # the literal text between runs of stars
    after_star = False
    for token in tokens:
        if isinstance(token, str):
            pieces[-1] += token
            after_star = after_star and not token
        elif isinstance(token, Star):
            if not after_star:
                pieces.append("")
            after_star = True
        else:
            return None
    if len(pieces) == 1:
        return subject == string_val(pieces[0])
    if len(pieces) == 2:
        first, last = pieces
        terms = [z3.PrefixOf(string_val(first), subject)] if first else []
        if last:
            terms.append(z3.SuffixOf(string_val(last), subject))
        if first and last:
            terms.append(z3.Length(subject) >= len(first) + len(last))
        return all_of(terms)
    if len(pieces) == 3 and not pieces[0] and not pieces[2]:
        return z3.Contains(subject, string_val(pieces[1]))
    return None


def match_glob(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup, *,
               case: Case = Case.SENSITIVE, predicates: bool = False) -> PatternMatch:
    """`subject` matches the pattern as the evaluator's `tokens_match` on the resolved
    tokens: a whole-string glob, `*` crossing every character. `predicates`: a
    case-sensitive variable-free glob of a simple shape as `glob_predicates`."""
    head, tail = split_head(tokens)
    if has_variables(tokens) and case is not Case.SENSITIVE:
        raise EncodingError("IgnoreCase with a policy variable")
    if not has_variables(head) and not has_variables(tail):
        if not tail and case is Case.SENSITIVE:
            return PatternMatch(subject == string_val("".join(t for t in head if isinstance(t, str))), TRUE)
        found = glob_predicates(subject, tokens) if predicates and case is Case.SENSITIVE else None
        if found is not None:
            return PatternMatch(found, TRUE)
        return PatternMatch(z3.InRe(subject, glob_regex(tokens, case=case)), TRUE)
    if has_variables(tail):
        return _match_with_split_points(subject, tokens, lookup)
    prefix = head_term(head, lookup)
    matches = head_then(subject, prefix.value, glob_regex(tail) if tail else None)
    return PatternMatch(all_of([prefix.resolved, matches]), prefix.resolved)


def _match_with_split_points(subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup) -> PatternMatch:
    """A variable after a wildcard: where its value starts in `subject` is not fixed by
    the pattern, so each such start is an existentially quantified position. Exact,
    but the quantifier may make the solver answer UNKNOWN (never a wrong answer)."""
    pieces: list[list[Token]] = [[]]
    variables: list[Variable] = []
    for token in tokens:
        if isinstance(token, Variable):
            variables.append(token)
            pieces.append([])
        else:
            pieces[-1].append(token)
    length = z3.Length(subject)
    starts = [z3.Int(f"split!{i}") for i in range(len(variables))]
    constraints: list[z3.BoolRef] = []
    resolved: list[z3.BoolRef] = []
    end: z3.ArithRef = z3.IntVal(0)
    for piece, variable, start in zip(pieces, variables, starts, strict=False):
        present, value = lookup(variable.key)
        if variable.default is None:
            resolved.append(present)
        else:
            value = z3.If(present, value, string_val(variable.default))
        constraints += [start >= end, start <= length,
                        z3.InRe(z3.SubString(subject, end, start - end), glob_regex(piece)),
                        z3.SubString(subject, start, z3.Length(value)) == value]
        end = start + z3.Length(value)
    constraints += [end <= length, z3.InRe(z3.SubString(subject, end, length - end), glob_regex(pieces[-1]))]
    matches = z3.Exists(starts, z3.And(*constraints))
    return PatternMatch(all_of([*resolved, matches]), all_of(resolved))

