"""Concrete matchers of the reference semantics: globs, ARNs, policy variables,
and the base predicate m(v, p) of every condition operator family (§2, §3, §4).

Plain Python, no solver. Compiled patterns are cached: a policy is matched against
many requests.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from reasoner.policy.model import OperatorFamily
from reasoner.policy.operators import OperatorInfo

# ---------------------------------------------------------------------------
# Pattern tokens: literal text, `*`, `?`, and policy variables (§4)


@dataclass(frozen=True)
class Star:
    pass


@dataclass(frozen=True)
class AnyChar:
    pass


@dataclass(frozen=True)
class Variable:
    key: str  # lower-cased: variable names are case-insensitive (§4)
    default: str | None


Token = str | Star | AnyChar | Variable

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT = re.compile(r"^\s*([^,]+?)\s*,\s*'([^']*)'\s*$")
_FIXED_VARIABLES = {"*": "*", "?": "?", "$": "$"}


@lru_cache(maxsize=65536)
def tokenize(pattern: str, *, variables: bool, wildcards: bool) -> tuple[Token, ...]:
    """Split a policy value into tokens.

    `variables` is False under Version 2008-10-17 or no Version: `${...}` is then
    literal text (§1.2). `wildcards` is False for exact operators (StringEquals),
    where `*` and `?` are ordinary characters (§2.1).
    """
    tokens: list[Token] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            tokens.append("".join(literal))
            literal.clear()

    position = 0
    while position < len(pattern):
        char = pattern[position]
        if variables and char == "$":
            found = _VARIABLE.match(pattern, position)
            if found:
                body = found.group(1)
                position = found.end()
                if body in _FIXED_VARIABLES:
                    literal.append(_FIXED_VARIABLES[body])
                    continue
                flush()
                with_default = _DEFAULT.match(body)
                if with_default:
                    tokens.append(Variable(with_default.group(1).strip().lower(), with_default.group(2)))
                else:
                    tokens.append(Variable(body.strip().lower(), None))
                continue
        if wildcards and char == "*":
            flush()
            tokens.append(Star())
        elif wildcards and char == "?":
            flush()
            tokens.append(AnyChar())
        else:
            literal.append(char)
        position += 1
    flush()
    return tuple(tokens)


Lookup = Callable[[str], str | None]


def resolve(tokens: tuple[Token, ...], lookup: Lookup) -> tuple[Token, ...] | None:
    """Replace variables by their request values; None when one is missing and has
    no default (§4: such an entry matches nothing; the caller decides what that
    means for negated operators)."""
    if not any(isinstance(token, Variable) for token in tokens):
        return tokens
    resolved: list[Token] = []
    for token in tokens:
        if isinstance(token, Variable):
            value = lookup(token.key)
            if value is None:
                value = token.default
            if value is None:
                return None
            resolved.append(value)
        else:
            resolved.append(token)
    return tuple(resolved)


@dataclass(frozen=True)
class _Run:
    """Tokens between two stars as a regex of fixed length: a literal character or
    a `?` is one character, also when case is ignored (`re` folds one to one)."""

    pattern: re.Pattern[str]
    length: int


@dataclass(frozen=True)
class _Glob:
    head: _Run  # before the first star; the whole glob when it has none
    middle: tuple[_Run, ...]  # between stars, the empty ones left out
    tail: _Run | None  # after the last star; None without a star


def _run(tokens: list[Token], flags: int) -> _Run:
    parts: list[str] = []
    length = 0
    for token in tokens:
        if isinstance(token, AnyChar):
            parts.append(".")
            length += 1
        elif isinstance(token, str):
            parts.append(re.escape(token))
            length += len(token)
        else:
            raise ValueError("unresolved variable")
    return _Run(re.compile("".join(parts), flags), length)


@lru_cache(maxsize=65536)
def _glob(tokens: tuple[Token, ...], ignore_case: bool, ascii_only: bool) -> _Glob:
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0) | (re.ASCII if ascii_only else 0)
    runs: list[list[Token]] = [[]]
    for token in tokens:
        if isinstance(token, Star):
            runs.append([])
        else:
            runs[-1].append(token)
    compiled = [_run(run, flags) for run in runs]
    if len(compiled) == 1:
        return _Glob(compiled[0], (), None)
    return _Glob(compiled[0], tuple(run for run in compiled[1:-1] if run.length), compiled[-1])


def _glob_fullmatch(glob: _Glob, text: str) -> bool:
    """The head at the start, the tail at the end, and each middle run at its
    leftmost place after the one before: a later place never helps, since the stars
    around a run match any sequence. Time O(len(text) x len(pattern)), no
    backtracking."""
    head, tail = glob.head, glob.tail
    if tail is None:
        return head.pattern.fullmatch(text) is not None
    tail_start = len(text) - tail.length
    if tail_start < head.length or head.pattern.match(text) is None:
        return False
    position = head.length
    for run in glob.middle:
        found = run.pattern.search(text, position, tail_start)
        if found is None:
            return False
        position = found.end()
    return tail.pattern.fullmatch(text, tail_start) is not None


def tokens_match(tokens: tuple[Token, ...], text: str, *, ignore_case: bool = False, ascii_only: bool = False,
                 colon_free: bool = False) -> bool:
    """Does `text` match the tokens as a whole? `*` matches any sequence, `?` one
    character (§2.1); with `colon_free`, neither matches a colon (an ARN field).

    Matching takes time linear in the text for each run of literal text between
    stars (policies are user input: a regex with `.*` per `*` backtracks
    exponentially on `*?*?*?...`)."""
    if colon_free:
        # only a literal colon matches a colon: cut both there and match piece by piece
        pieces = _cut_at_colons(tokens)
        parts = text.split(":")
        return len(pieces) == len(parts) and all(
            tokens_match(piece, part, ignore_case=ignore_case, ascii_only=ascii_only)
            for piece, part in zip(pieces, parts, strict=True))
    if len(tokens) == 1 and isinstance(tokens[0], str) and not ignore_case:
        return tokens[0] == text
    return _glob_fullmatch(_glob(tokens, ignore_case, ascii_only), text)


def _cut_at_colons(tokens: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    pieces: list[list[Token]] = [[]]
    for token in tokens:
        if isinstance(token, str) and ":" in token:
            first, *rest = token.split(":")
            if first:
                pieces[-1].append(first)
            for piece in rest:
                pieces.append([piece] if piece else [])
        else:
            pieces[-1].append(token)
    return [tuple(piece) for piece in pieces]


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """`*` is any sequence (possibly empty), `?` exactly one character (§2.1)."""
    return tokens_match(tokenize(pattern, variables=False, wildcards=True), text, ignore_case=ignore_case)


# ---------------------------------------------------------------------------
# Actions, resources, ARNs


@lru_cache(maxsize=65536)
def action_matches(pattern: str, action: str) -> bool:
    """Service prefix and action name are case-insensitive (§1.6)."""
    if pattern == "*":
        return True
    # ASCII letters only: names are ASCII, and `re.IGNORECASE` alone would let `ſ`
    # match `s` and the Kelvin sign `k`
    return tokens_match(tokenize(pattern, variables=False, wildcards=True), action, ignore_case=True,
                        ascii_only=True)


ARN_SEGMENTS = 6


def is_resource_pattern(text: str) -> bool:
    """`*`, or an ARN pattern with all six fields (arn:partition:service:region:account:resource)."""
    return text == "*" or (text.startswith("arn:") and len(text.split(":", 5)) == ARN_SEGMENTS)


def split_arn(text: str) -> list[str] | None:
    """The six colon-separated components of an ARN; the sixth is the remainder
    after the fifth colon (§2.3, inferred). None when `text` is not an ARN."""
    parts = text.split(":", ARN_SEGMENTS - 1)
    if len(parts) != ARN_SEGMENTS or parts[0] != "arn":
        return None
    return parts


def _split_tokens(tokens: tuple[Token, ...]) -> list[list[Token]]:
    """Split tokens on `:` into at most six segments, like `split_arn`."""
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if isinstance(token, str) and len(segments) < ARN_SEGMENTS and ":" in token:
            pieces = token.split(":")
            for piece_index, piece in enumerate(pieces):
                if piece_index > 0:
                    if len(segments) < ARN_SEGMENTS:
                        segments.append([])
                    else:
                        segments[-1].append(":")
                if piece:
                    segments[-1].append(piece)
        else:
            segments[-1].append(token)
    return segments


@lru_cache(maxsize=65536)  # the evaluator asks it of every statement it reads, mostly the same pairs
def resource_tokens_match(tokens: tuple[Token, ...], resource: str) -> bool:
    """Resource element matching (§2.2).

    Each of the first five ARN segments (partition, service, region, account) is
    matched on its own and case-insensitively, so a `*` inside a segment does not
    swallow a colon; the sixth segment (the resource part) is a
    plain glob in which `/` and `:` are ordinary characters. A pattern with fewer
    than six segments whose last character is `*` lets that `*` extend past the
    remaining colons (`arn:aws:sqs:*` matches every queue), as §2.2 allows for a
    `*` that ends a segment.
    """
    if tokens == (Star(),):
        return True
    resource_parts = split_arn(resource)
    pattern_parts = _split_tokens(tokens)
    if resource_parts is None:
        return tokens_match(tokens, resource)
    if len(pattern_parts) < ARN_SEGMENTS:
        last = pattern_parts[-1]
        if not last or not isinstance(last[-1], Star):
            return False
        count = len(pattern_parts)
        head = resource_parts[: count - 1]
        tail = ":".join(resource_parts[count - 1:])
        return all(
            tokens_match(tuple(segment), part, ignore_case=True, ascii_only=True, colon_free=True)
            for segment, part in zip(pattern_parts[:-1], head, strict=True)
        ) and tokens_match(tuple(last), tail)
    return all(
        tokens_match(tuple(segment), part, ignore_case=True, ascii_only=True, colon_free=True)
        for segment, part in zip(pattern_parts[:5], resource_parts[:5], strict=True)
    ) and tokens_match(tuple(pattern_parts[5]), resource_parts[5])


# API Gateway reads a Resource `execute-api:/STAGE/METHOD/PATH` in a REST API's
# resource policy as the API's own ARN, `arn:PARTITION:execute-api:REGION:ACCOUNT:
# API-ID/STAGE/METHOD/PATH` ("Resource": "execute-api:/*" in AWS's examples,
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html).
# The API is the request's: the form matches a resource of any execute-api ARN
# whose API id (the text before the first `/`) is followed by the rest.
EXECUTE_API_SHORTHAND = "execute-api:"


def is_execute_api_shorthand(pattern: str) -> bool:
    return pattern.startswith(EXECUTE_API_SHORTHAND)


def execute_api_shorthand_match(rest: tuple[Token, ...], resource: str) -> bool:
    """Does `execute-api:REST` (its tokens after the prefix) match the resource?"""
    parts = split_arn(resource)
    if parts is None or parts[2].lower() != "execute-api":
        return False
    api_id = parts[5].split("/", 1)[0]
    return bool(api_id) and tokens_match(rest, parts[5][len(api_id):])


def arn_like(tokens: tuple[Token, ...], value: str) -> bool:
    """ArnLike / ArnEquals: six components, each its own case-sensitive glob; `*`
    never crosses a colon in the first five (§2.3). A value that is not an ARN
    never matches, and neither does a pattern that is not one (a bare `*`)."""
    value_parts = split_arn(value)
    pattern_parts = _split_tokens(tokens)
    if value_parts is None or len(pattern_parts) != ARN_SEGMENTS:
        return False
    return all(
        tokens_match(tuple(segment), part, colon_free=True)
        for segment, part in zip(pattern_parts[:5], value_parts[:5], strict=True)
    ) and tokens_match(tuple(pattern_parts[5]), value_parts[5])


# ---------------------------------------------------------------------------
# Scalar values


def parse_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_date(text: str) -> Decimal | None:
    """ISO 8601 (W3C profile) or UNIX epoch seconds, as epoch seconds (§3.1)."""
    from reasoner.policy.values import parse_date as parse

    parsed = parse(text)
    return None if parsed is None else Decimal(str(parsed))


@lru_cache(maxsize=16384)
def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


@lru_cache(maxsize=16384)
def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR; a bare address is /32 or /128 (§3.1)."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


_COMPARE: Mapping[str, Callable[[Decimal, Decimal], bool]] = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def base_match(info: OperatorInfo, value: str, policy_value: str, *, variables: bool, lookup: Lookup) -> bool:
    """m(v, p): does one request value match one policy value, before negation (§3.1)?

    A policy value whose variable is missing (no default) matches nothing (§4).
    """
    family = info.family
    if family in (OperatorFamily.STRING, OperatorFamily.ARN, OperatorFamily.BOOL):
        tokens = resolve(tokenize(policy_value, variables=variables, wildcards=info.glob), lookup)
        if tokens is None:
            return False
        if family is OperatorFamily.ARN:
            return arn_like(tokens, value)
        if family is OperatorFamily.BOOL:
            return "".join(t for t in tokens if isinstance(t, str)).lower() == value.strip().lower()
        return tokens_match(tokens, value, ignore_case=info.ignore_case)
    if family is OperatorFamily.NUMERIC:
        left, right = parse_number(value), parse_number(policy_value)
        return left is not None and right is not None and _COMPARE[info.relation](left, right)
    if family is OperatorFamily.DATE:
        left, right = parse_date(value), parse_date(policy_value)
        return left is not None and right is not None and _COMPARE[info.relation](left, right)
    if family is OperatorFamily.IP:
        address, network = parse_ip(value), parse_network(policy_value)
        return address is not None and network is not None and address.version == network.version \
            and address in network
    if family is OperatorFamily.BINARY:
        return value == policy_value
    raise ValueError(f"no base predicate for {info.base}")
