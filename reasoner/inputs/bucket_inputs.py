"""ACLs, Object Ownership, Block Public Access and KMS grants of a resource, and the
accounts' S3 facts, as snapshots and perimeter files give them (docs/snapshots.md,
docs/perimeter-file.md): each in the shape the AWS API returns it, inline or as a
path to a JSON/YAML file relative to the file that names it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.inputs.model import S3Account
from reasoner.policy.acls import OBJECT_OWNERSHIP, parse_acl, parse_public_access_block
from reasoner.policy.kms_grants import parse_grants
from reasoner.policy.parse import load_data_file

EXTRA_KEYS = ("acl", "object_acls", "object_ownership", "public_access_block", "kms_grants", "bucket", "vpc_id")
_KIND_OF_KEY = {"kms_grants": ("AWS::KMS::Key",), "public_access_block": ("AWS::S3::Bucket", "AWS::S3::AccessPoint"),
                "bucket": ("AWS::S3::AccessPoint",), "vpc_id": ("AWS::S3::AccessPoint",)}
_ACCOUNT_KEYS = ("canonical_id", "email", "public_access_block")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _document(value: Any, source: str, path: str, base_dir: Path) -> tuple[Any, str, str]:
    """(the document, the file it is in, its path there): inline, or a file it names."""
    if isinstance(value, str):
        full = Path(os.path.normpath(base_dir / value))
        if not full.is_file():
            raise InputError(source, path, f'file "{full}" not found')
        return load_data_file(full), str(full), ""
    return value, source, path


def read_resource_extras(entry: Mapping[str, Any], arn: str, kind: str, *, source: str, path: str,
                         base_dir: Path) -> dict[str, Any]:
    """The `Resource` fields of the entry's extra keys (those it has)."""
    found: dict[str, Any] = {}
    for key in EXTRA_KEYS:
        if key in entry and entry[key] is not None:
            wanted = _KIND_OF_KEY.get(key, ("AWS::S3::Bucket",))
            if kind not in wanted:
                raise InputError(source, _join(path, key), f"only an {' or '.join(wanted)} has {key}, not an {kind}")
    if kind == "AWS::S3::AccessPoint":
        bucket = entry.get("bucket")
        if not isinstance(bucket, str) or not bucket or "/" in bucket or ":" in bucket:
            raise InputError(source, _join(path, "bucket"), "an access point needs its bucket's name")
        found["bucket"] = bucket
        vpc = entry.get("vpc_id")
        if vpc is not None:
            if not isinstance(vpc, str) or not vpc.startswith("vpc-"):
                raise InputError(source, _join(path, "vpc_id"), "expected a VPC id (vpc-...)")
            found["vpc_id"] = vpc
    if entry.get("acl") is not None:
        document, where, inner = _document(entry["acl"], source, _join(path, "acl"), base_dir)
        found["acl"] = parse_acl(document, where, inner)
    if entry.get("object_acls") is not None:
        where_all = _join(path, "object_acls")
        if not isinstance(entry["object_acls"], dict):
            raise InputError(source, where_all, "expected a mapping of object keys to ACLs")
        objects = {}
        for key, value in entry["object_acls"].items():
            if not isinstance(key, str) or not key:
                raise InputError(source, where_all, "expected object keys (strings)")
            document, where, inner = _document(value, source, _join(where_all, key), base_dir)
            objects[f"{arn}/{key}"] = parse_acl(document, where, inner)
        found["object_acls"] = objects
    ownership = entry.get("object_ownership")
    if ownership is not None:
        if ownership not in OBJECT_OWNERSHIP:
            raise InputError(source, _join(path, "object_ownership"),
                             f"expected one of {', '.join(OBJECT_OWNERSHIP)}")
        found["object_ownership"] = ownership
    if entry.get("public_access_block") is not None:
        document, where, inner = _document(entry["public_access_block"], source, _join(path, "public_access_block"),
                                           base_dir)
        found["public_access_block"] = parse_public_access_block(document, where, inner)
    if entry.get("kms_grants") is not None:
        document, where, inner = _document(entry["kms_grants"], source, _join(path, "kms_grants"), base_dir)
        grants = parse_grants(document, where, inner)
        listed = _join(inner, "Grants") if isinstance(document, dict) else inner
        for index, grant in enumerate(grants):
            if grant.key_arn != arn:
                raise InputError(where, f"{listed}[{index}].KeyId",
                                 f"a grant of {grant.key_arn}, not of {arn}")
        found["kms_grants"] = grants
        found["grants_source"] = where if where != source else f"{source}: {_join(path, 'kms_grants')}"
    return found


def read_s3_accounts(value: Any, *, source: str, path: str, base_dir: Path) -> dict[str, S3Account]:
    """`{ACCOUNT: {"canonical_id", "email", "public_access_block"}}`."""
    if not isinstance(value, dict):
        raise InputError(source, path, "expected a mapping of 12-digit account ids to S3 facts")
    found = {}
    for account, facts in value.items():
        where = _join(path, str(account))
        if not isinstance(account, str) or len(account) != 12 or not account.isdigit():
            raise InputError(source, where, "expected a 12-digit account id")
        if not isinstance(facts, dict):
            raise InputError(source, where, f"expected an object with {', '.join(_ACCOUNT_KEYS)}")
        for key in facts:
            if key not in _ACCOUNT_KEYS:
                raise InputError(source, _join(where, str(key)),
                                 f"unknown key (expected one of {', '.join(_ACCOUNT_KEYS)})")
        for key in ("canonical_id", "email"):
            if facts.get(key) is not None and (not isinstance(facts[key], str) or not facts[key]):
                raise InputError(source, _join(where, key), "expected a non-empty string")
        block = None
        if facts.get("public_access_block") is not None:
            document, file, inner = _document(facts["public_access_block"], source,
                                              _join(where, "public_access_block"), base_dir)
            block = parse_public_access_block(document, file, inner)
        found[account] = S3Account(facts.get("canonical_id"), facts.get("email"), block)
    return found
