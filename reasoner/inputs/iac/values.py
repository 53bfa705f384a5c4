"""Values an infrastructure input does not fix, and strings made partly of them.

A CloudFormation parameter without a value, a pseudo-parameter such as
`AWS::AccountId` when no account is given, an `Fn::ImportValue`, a Terraform
attribute "known after apply": each is an `Unknown` with a label that names where
it comes from. A string built from literals and unknowns (`!Sub
arn:aws:s3:::${Bucket}/*`) is a `Template`. `Opaque` stands for a value whose
shape is unknown (a list from an import, a condition on an unknown): a policy
holding one cannot be analysed and is reported UNKNOWN, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Domain(Enum):
    """What values an unknown may take (its regex in `DOMAIN_PATTERNS`)."""

    ACCOUNT = "account"  # a 12-digit account id
    REGION = "region"  # a region name such as eu-west-1
    PARTITION = "partition"  # aws, aws-cn, ...
    NAME = "name"  # a resource name: no "/" or ":"
    TEXT = "text"  # any non-empty text


PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
URL_SUFFIXES = {"aws-cn": "amazonaws.com.cn", "aws-iso": "c2s.ic.gov", "aws-iso-b": "sc2s.sgov.gov",
                "aws-iso-e": "cloud.adc-e.uk", "aws-iso-f": "csp.hci.ic.gov"}

DOMAIN_PATTERNS = {
    Domain.ACCOUNT: re.compile(r"\d{12}"),
    Domain.REGION: re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+"),
    Domain.PARTITION: re.compile("|".join(PARTITIONS)),
    Domain.NAME: re.compile(r"[^/:]+"),
    Domain.TEXT: re.compile(r".+", re.DOTALL),
}


def partition_of(region: str) -> str:
    """The partition a region belongs to (AWS's region naming)."""
    for prefix, partition in (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"),
                              ("us-iso-", "aws-iso"), ("eu-isoe-", "aws-iso-e"), ("us-isof-", "aws-iso-f"),
                              ("eusc-", "aws-eusc")):
        if region.startswith(prefix):
            return partition
    return "aws"


@dataclass(frozen=True)
class Unknown:
    """A fixed value the input does not give. `label` names it for people and is
    its identity: two occurrences of one label are the same value. `choices`, when
    set, are all the values it may take (CloudFormation `AllowedValues`, the
    partitions); `excluded` are values it is known not to take."""

    label: str
    domain: Domain = Domain.TEXT
    reason: str = "not given"
    choices: tuple[str, ...] | None = None
    excluded: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "${" + self.label + "}"


@dataclass(frozen=True)
class Template:
    """A string of literal parts and unknowns, in order."""

    parts: tuple[str | Unknown, ...]

    @staticmethod
    def of(*pieces: Any) -> str | Template:
        """Concatenate strings, unknowns and templates; a plain string when nothing is unknown."""
        parts: list[str | Unknown] = []
        for piece in pieces:
            items = piece.parts if isinstance(piece, Template) else (piece,)
            for item in items:
                if isinstance(item, str):
                    if parts and isinstance(parts[-1], str):
                        parts[-1] += item
                    elif item:
                        parts.append(item)
                else:
                    parts.append(item)
        if all(isinstance(part, str) for part in parts):
            return "".join(part for part in parts if isinstance(part, str))
        return Template(tuple(parts))

    def unknowns(self) -> tuple[Unknown, ...]:
        return tuple(part for part in self.parts if isinstance(part, Unknown))

    def __str__(self) -> str:
        return "".join(str(part) for part in self.parts)


@dataclass(frozen=True)
class Opaque:
    """A value whose very shape is unknown; `reason` says which and why."""

    reason: str

    def __str__(self) -> str:
        return f"<{self.reason}>"


def unknowns_in(value: Any) -> Iterator[Unknown]:
    """Every unknown in a document, in document order."""
    if isinstance(value, Unknown):
        yield value
    elif isinstance(value, Template):
        yield from value.unknowns()
    elif isinstance(value, dict):
        for item in value.values():
            yield from unknowns_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from unknowns_in(item)


def opaque_in(value: Any) -> Opaque | None:
    """The first opaque value in a document, if any."""
    if isinstance(value, Opaque):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            found = opaque_in(item)
            if found is not None:
                return found
    return None


def substitute(value: Any, chosen: dict[str, str]) -> Any:
    """The document with each unknown whose label is in `chosen` replaced by its value."""
    if isinstance(value, Unknown):
        return chosen.get(value.label, value)
    if isinstance(value, Template):
        return Template.of(*(chosen.get(part.label, part) if isinstance(part, Unknown) else part
                             for part in value.parts))
    if isinstance(value, dict):
        return {key: substitute(item, chosen) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, chosen) for item in value]
    return value


_PLACEHOLDER = "@@iac-unknown-{}@@"


def json_document(value: str | Template) -> Any:
    """A policy given as JSON text whose unknown parts stay unknown in its strings;
    raises ValueError when the text is not JSON."""
    import json

    parts = value.parts if isinstance(value, Template) else (value,)
    unknowns: list[Unknown] = []
    text = ""
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            text += _PLACEHOLDER.format(len(unknowns))
            unknowns.append(part)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"line {error.lineno} column {error.colno}: {error.msg}") from None
    return _restore(document, unknowns)


def _restore(value: Any, unknowns: list[Unknown]) -> Any:
    if isinstance(value, str) and "@@iac-unknown-" in value:
        pieces = re.split(r"@@iac-unknown-(\d+)@@", value)
        return Template.of(*(unknowns[int(piece)] if index % 2 else piece for index, piece in enumerate(pieces)))
    if isinstance(value, dict):
        return {key: _restore(item, unknowns) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore(item, unknowns) for item in value]
    return value
