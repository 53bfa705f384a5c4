"""IAM glob patterns and policy variables as z3 string constraints (§2.1, §4).

A pattern is parsed into tokens: literal text, `*` (any string), `?` (one
character) and policy variables `${key}` / `${key, 'default'}`. Under Version
2012-10-17 `${*}`, `${?}` and `${$}` are the literal characters; under 2008-10-17
or without a Version, `${...}` is plain text (§1.2, §4).

Matching is case-sensitive; the IgnoreCase operators use per-letter alternatives.
A pattern whose variables are each preceded only by fixed-length tokens (literals,
`?`, other variables) is encoded without quantifiers: the position of every
variable is a term. A variable after a `*` makes the split undetermined and raises
`EncodingError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import z3

from reasoner.encodings.terms import TRUE, all_of, and_
from reasoner.errors import EncodingError


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Star:
    pass


@dataclass(frozen=True)
class AnyChar:
    pass


@dataclass(frozen=True)
class Variable:
    key: str  # lower-cased (§4: variable names are case-insensitive)
    default: str | None = None


Token = Literal | Star | AnyChar | Variable

_SPECIAL_VARIABLES = {"*": "*", "?": "?", "$": "$"}
_DEFAULT_RE = re.compile(r"^\s*([^,]+?)\s*,\s*'([^']*)'\s*$")


def parse_pattern(text: str, *, variables_enabled: bool, wildcards: bool = True) -> tuple[Token, ...]:
    """Tokens of a policy value; `wildcards=False` for exact operators (StringEquals)."""
    tokens: list[Token] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            tokens.append(Literal("".join(literal)))
            literal.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if variables_enabled and text.startswith("${", i) and (end := text.find("}", i + 2)) != -1:
            body = text[i + 2 : end]
            i = end + 1
            if body in _SPECIAL_VARIABLES:
                literal.append(_SPECIAL_VARIABLES[body])
                continue
            flush()
            tokens.append(_variable(body))
            continue
        i += 1
        if wildcards and char == "*":
            flush()
            tokens.append(Star())
        elif wildcards and char == "?":
            flush()
            tokens.append(AnyChar())
        else:
            literal.append(char)
    flush()
    return tuple(tokens)


def _variable(body: str) -> Variable:
    match = _DEFAULT_RE.match(body)
    if match:
        return Variable(match.group(1).strip().lower(), match.group(2))
    return Variable(body.strip().lower())


def has_variables(tokens: Sequence[Token]) -> bool:
    return any(isinstance(t, Variable) for t in tokens)


def has_wildcards(tokens: Sequence[Token]) -> bool:
    return any(isinstance(t, Star | AnyChar) for t in tokens)


# ---- regular expressions -------------------------------------------------------

_RE_SORT = z3.ReSort(z3.StringSort())


def any_char() -> z3.ReRef:
    return z3.AllChar(_RE_SORT)


def any_char_except(excluded: str) -> z3.ReRef:
    return z3.Intersect(any_char(), z3.Complement(z3.Re(z3.StringVal(excluded))))


def literal_regex(text: str, *, ignore_case: bool = False) -> z3.ReRef:
    if not ignore_case:
        return z3.Re(z3.StringVal(text))
    parts = [_char_regex_ignore_case(c) for c in text]
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def _char_regex_ignore_case(char: str) -> z3.ReRef:
    variants = sorted(case_variants(char))
    if len(variants) == 1:
        return z3.Re(z3.StringVal(variants[0]))
    return z3.Union(*[z3.Re(z3.StringVal(v)) for v in variants])


def case_variants(char: str) -> set[str]:
    """Characters equal to `char` under `str.lower` (one-character forms only)."""
    variants = {char}
    for candidate in (char.lower(), char.upper()):
        if len(candidate) == 1 and candidate.lower() == char.lower():
            variants.add(candidate)
    return variants


def tokens_regex(
    tokens: Sequence[Token], *, ignore_case: bool = False, star_excludes: str | None = None
) -> z3.ReRef:
    """The regex of variable-free tokens; `star_excludes=":"` keeps `*`/`?` inside an ARN
    component (§2.3)."""
    one = any_char() if star_excludes is None else any_char_except(star_excludes)
    parts: list[z3.ReRef] = []
    for token in tokens:
        if isinstance(token, Literal):
            parts.append(literal_regex(token.text, ignore_case=ignore_case))
        elif isinstance(token, Star):
            parts.append(z3.Star(one))
        elif isinstance(token, AnyChar):
            parts.append(one)
        else:
            raise EncodingError("policy variable", "variables cannot be compiled into a regex")
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def tokens_python_regex(tokens: Sequence[Token], *, star_excludes: str | None = None) -> re.Pattern[str]:
    """The same language as a Python regex (for finite domains and for tests)."""
    one = "." if star_excludes is None else f"[^{re.escape(star_excludes)}]"
    parts: list[str] = []
    for token in tokens:
        if isinstance(token, Literal):
            parts.append(re.escape(token.text))
        elif isinstance(token, Star):
            parts.append(f"{one}*")
        elif isinstance(token, AnyChar):
            parts.append(one)
        else:
            raise EncodingError("policy variable", "variables cannot be compiled into a regex")
    return re.compile("".join(parts), re.DOTALL)


# ---- matching a z3 string against a pattern ------------------------------------

VariableLookup = Callable[[str], tuple[z3.BoolRef, z3.SeqRef]]
"""key (lower-cased) -> (present, value) of a single-valued string key."""


@dataclass(frozen=True)
class PatternMatch:
    """`matches` is meaningful only where `resolved` holds: `resolved` is false when
    a variable without default refers to a missing key (§4)."""

    matches: z3.BoolRef
    resolved: z3.BoolRef


def match_tokens(
    subject: z3.SeqRef,
    tokens: Sequence[Token],
    lookup: VariableLookup,
    *,
    ignore_case: bool = False,
    star_excludes: str | None = None,
) -> PatternMatch:
    """`subject` matches the pattern (exactly, quantifier-free)."""
    if not has_variables(tokens):
        if not has_wildcards(tokens) and not ignore_case:
            text = "".join(t.text for t in tokens if isinstance(t, Literal))
            return PatternMatch(subject == z3.StringVal(text), TRUE)
        regex = tokens_regex(tokens, ignore_case=ignore_case, star_excludes=star_excludes)
        return PatternMatch(z3.InRe(subject, regex), TRUE)
    if ignore_case:
        raise EncodingError("IgnoreCase with a policy variable")
    return _match_with_variables(subject, tokens, lookup, star_excludes)


def _match_with_variables(
    subject: z3.SeqRef, tokens: Sequence[Token], lookup: VariableLookup, star_excludes: str | None
) -> PatternMatch:
    head_end = next((i for i, t in enumerate(tokens) if isinstance(t, Star)), len(tokens))
    head, tail = tokens[:head_end], tokens[head_end:]
    if has_variables(tail):
        raise EncodingError(
            "policy variable after a wildcard",
            "a policy variable after `*` makes the match position undetermined",
        )
    offset: z3.ArithRef = z3.IntVal(0)
    length = z3.Length(subject)
    constraints: list[z3.BoolRef] = []
    resolved: list[z3.BoolRef] = []
    for token in head:
        if isinstance(token, Literal):
            constraints.append(z3.SubString(subject, offset, len(token.text)) == z3.StringVal(token.text))
            offset = offset + len(token.text)
        elif isinstance(token, AnyChar):
            piece = z3.SubString(subject, offset, 1)
            constraints.append(z3.Length(piece) == 1)
            if star_excludes is not None:
                constraints.append(z3.InRe(piece, any_char_except(star_excludes)))
            offset = offset + 1
        elif isinstance(token, Variable):
            present, value = lookup(token.key)
            if token.default is None:
                resolved.append(present)
            else:
                value = z3.If(present, value, z3.StringVal(token.default))
            constraints.append(z3.SubString(subject, offset, z3.Length(value)) == value)
            if star_excludes is not None:
                constraints.append(z3.Not(z3.Contains(value, z3.StringVal(star_excludes))))
            offset = offset + z3.Length(value)
    constraints.append(length >= offset)
    if tail:
        rest = z3.SubString(subject, offset, length - offset)
        constraints.append(z3.InRe(rest, tokens_regex(tail, star_excludes=star_excludes)))
    else:
        constraints.append(length == offset)
    return PatternMatch(all_of(constraints), and_(*resolved))
