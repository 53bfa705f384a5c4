"""Writing a snapshot folder all at once: into a temporary folder beside the output,
read back by the snapshot reader, then renamed into place. An interrupted run leaves
the previous snapshot (or none) and a temporary folder the next run removes; two runs
into the same folder are refused (a lock file beside it).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reasoner.collect.context import Contents
from reasoner.collect.manifest import MANIFEST_NAME
from reasoner.collect.organization import POLICY_FOLDER
from reasoner.errors import CollectError, InputError

DELEGATED_NAME = "delegated_administrators.json"


def json_text(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"


def _sibling(output: Path, suffix: str) -> Path:
    return output.parent / f".{output.name}.{suffix}"


def check_output(output: Path) -> None:
    """The output is new, empty, or a snapshot an earlier collection wrote."""
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MANIFEST_NAME).is_file())):
        raise CollectError(f"{output}: exists and is not a snapshot `perimeter collect` wrote (no {MANIFEST_NAME}); "
                           "give a new folder")


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Path]:
    """A fresh temporary folder beside `output`, under a lock; removed on the way out."""
    check_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(_sibling(output, "collect.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CollectError(f"{output}: another `perimeter collect` is writing it") from None
        temporary = _sibling(output, "collect-partial")
        shutil.rmtree(temporary, ignore_errors=True)  # left by an interrupted run
        temporary.mkdir()
        try:
            yield temporary
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
            shutil.rmtree(_sibling(output, "collect-previous"), ignore_errors=True)


def write_contents(folder: Path, contents: Contents) -> None:
    iam = folder / "iam"
    iam.mkdir()
    for account, details in sorted(contents.iam.items()):
        (iam / f"{account}.json").write_text(json_text(details), encoding="utf-8")
    (folder / "resources.json").write_text(json_text(contents.resources), encoding="utf-8")
    if contents.s3_accounts:
        (folder / "s3_accounts.json").write_text(json_text(contents.s3_accounts), encoding="utf-8")
    endpoints = sorted(contents.endpoints, key=lambda e: (str(e.get("account")), str(e["id"])))
    (folder / "vpc_endpoints.json").write_text(json_text(endpoints), encoding="utf-8")
    if contents.organization is not None:
        (folder / "organization.json").write_text(json_text(contents.organization), encoding="utf-8")
        policies = folder / POLICY_FOLDER
        policies.mkdir()
        for name, document in sorted(contents.organization_policies.items()):
            (policies / name).write_text(json_text(document), encoding="utf-8")
    if contents.delegated_administrators is not None:
        (folder / DELEGATED_NAME).write_text(json_text(contents.delegated_administrators), encoding="utf-8")


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST_NAME).write_text(json_text(manifest), encoding="utf-8")


def check_readable(folder: Path) -> None:
    """The snapshot reads back; a collection that wrote what the reader rejects is a bug."""
    from reasoner.inputs.snapshot import load_snapshot

    try:
        load_snapshot(folder)
    except InputError as error:
        raise CollectError(f"the collected snapshot does not read back, nothing was written ({error})") from None


def publish(temporary: Path, output: Path) -> None:
    """Rename the finished folder into place (replacing an earlier collection)."""
    previous = _sibling(output, "collect-previous")
    if output.exists():
        output.rename(previous)
    temporary.rename(output)
    shutil.rmtree(previous, ignore_errors=True)
