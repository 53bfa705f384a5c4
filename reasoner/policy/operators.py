"""The condition operator table (iam-semantics.md §3.1) and the parsing of an
operator name into base operator, set qualifier and `IfExists`."""

from __future__ import annotations

from dataclasses import dataclass

from reasoner.policy.model import OperatorFamily, Qualifier


@dataclass(frozen=True)
class OperatorInfo:
    base: str
    family: OperatorFamily
    negated: bool
    ignore_case: bool = False
    glob: bool = False
    # relation for Numeric / Date: "eq", "lt", "le", "gt", "ge"
    relation: str = "eq"


def _info(name: str, family: OperatorFamily, **kw: object) -> tuple[str, OperatorInfo]:
    return name.lower(), OperatorInfo(name, family, **kw)  # type: ignore[arg-type]


_S, _N, _D = OperatorFamily.STRING, OperatorFamily.NUMERIC, OperatorFamily.DATE

BASE_OPERATORS: dict[str, OperatorInfo] = dict(
    [
        _info("StringEquals", _S, negated=False),
        _info("StringNotEquals", _S, negated=True),
        _info("StringEqualsIgnoreCase", _S, negated=False, ignore_case=True),
        _info("StringNotEqualsIgnoreCase", _S, negated=True, ignore_case=True),
        _info("StringLike", _S, negated=False, glob=True),
        _info("StringNotLike", _S, negated=True, glob=True),
        _info("NumericEquals", _N, negated=False),
        _info("NumericNotEquals", _N, negated=True),
        _info("NumericLessThan", _N, negated=False, relation="lt"),
        _info("NumericLessThanEquals", _N, negated=False, relation="le"),
        _info("NumericGreaterThan", _N, negated=False, relation="gt"),
        _info("NumericGreaterThanEquals", _N, negated=False, relation="ge"),
        _info("DateEquals", _D, negated=False),
        _info("DateNotEquals", _D, negated=True),
        _info("DateLessThan", _D, negated=False, relation="lt"),
        _info("DateLessThanEquals", _D, negated=False, relation="le"),
        _info("DateGreaterThan", _D, negated=False, relation="gt"),
        _info("DateGreaterThanEquals", _D, negated=False, relation="ge"),
        _info("Bool", OperatorFamily.BOOL, negated=False),
        _info("BinaryEquals", OperatorFamily.BINARY, negated=False),
        _info("IpAddress", OperatorFamily.IP, negated=False),
        _info("NotIpAddress", OperatorFamily.IP, negated=True),
        # ArnEquals is ArnLike and ArnNotEquals is ArnNotLike (§2.3)
        _info("ArnEquals", OperatorFamily.ARN, negated=False, glob=True),
        _info("ArnLike", OperatorFamily.ARN, negated=False, glob=True),
        _info("ArnNotEquals", OperatorFamily.ARN, negated=True, glob=True),
        _info("ArnNotLike", OperatorFamily.ARN, negated=True, glob=True),
        _info("Null", OperatorFamily.NULL, negated=False),
    ]
)

_IF_EXISTS = "ifexists"


@dataclass(frozen=True)
class ParsedOperator:
    text: str
    info: OperatorInfo
    qualifier: Qualifier | None
    if_exists: bool

    @property
    def canonical(self) -> str:
        prefix = f"{self.qualifier.value}:" if self.qualifier else ""
        return prefix + self.info.base + ("IfExists" if self.if_exists else "")


def parse_operator(text: str) -> ParsedOperator | None:
    """Split `ForAnyValue:StringLikeIfExists` into its parts; None if unknown.

    Operator names are matched case-insensitively: AWS's own RCP examples spell
    `ForAnyValue:Stringlike`. `IfExists` is allowed on every operator but `Null`
    (§3.2).
    """
    rest = text
    qualifier: Qualifier | None = None
    if ":" in rest:
        prefix, rest = rest.split(":", 1)
        matches = [q for q in Qualifier if q.value.lower() == prefix.lower()]
        if not matches:
            return None
        qualifier = matches[0]
    lowered = rest.lower()
    if_exists = False
    info = BASE_OPERATORS.get(lowered)
    if info is None and lowered.endswith(_IF_EXISTS):
        info = BASE_OPERATORS.get(lowered[: -len(_IF_EXISTS)])
        if_exists = True
        if info is not None and info.family is OperatorFamily.NULL:
            return None
    if info is None:
        return None
    return ParsedOperator(text, info, qualifier, if_exists)
