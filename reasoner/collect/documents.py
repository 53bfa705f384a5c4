"""Policy documents as AWS returns them (JSON text, sometimes URL-encoded), checked to
parse before they are written: a document the tool cannot read is a missing piece of
the snapshot, not a reason to lose the rest of it."""

from __future__ import annotations

import urllib.parse
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import load_json_text, parse_policy


class UnreadablePolicy(Exception):
    """A policy the tool cannot parse; the message says why."""


def policy_document(text: Any, policy_type: PolicyType, where: str) -> Any:
    """The policy as a JSON object, checked by the tool's parser."""
    document = text
    if isinstance(text, str):
        raw = urllib.parse.unquote(text) if text.lstrip().startswith("%") else text
        try:
            document = load_json_text(raw, where)
        except InputError as error:
            raise UnreadablePolicy(f"{where}: not JSON ({error.message})") from None
    try:
        parse_policy(document, policy_type, source=where)
    except InputError as error:
        raise UnreadablePolicy(f"{where}: {error.path + ': ' if error.path else ''}{error.message}") from None
    return document


def tag_map(tags: Any, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """[{Key, Value}, ...] (or a plain mapping) as {key: value}."""
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(item[key]): str(item.get(value, "")) for item in tags or [] if isinstance(item, dict) and key in item}


def fits(document: Any, arn: str, account: str) -> None:
    """The policy is one the snapshot reader takes for the resource (within its quota,
    each Allow statement able to name it): otherwise the resource is a missing piece,
    not a snapshot that fails to read back."""
    from reasoner.inputs.snapshot import make_resource

    try:
        make_resource(arn, document, source=arn, path="", account=account)
    except InputError as error:
        raise UnreadablePolicy(f"{arn}: {error.path + ': ' if error.path else ''}{error.message}") from None
