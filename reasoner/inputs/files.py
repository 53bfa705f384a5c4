"""The files and folders a snapshot names by their place (`iam/`, `organization.json`,
...): absent is fine, but a folder where a file belongs, a file where a folder
belongs, or a link to nothing is bad input. Skipping it would read the snapshot as
having no organization, no endpoints, ... and change the answer."""

from __future__ import annotations

import os
from pathlib import Path

from reasoner.errors import InputError


def optional_file(path: Path) -> Path | None:
    """`path` if it is a file, None if nothing is there; anything else is an error."""
    if not os.path.lexists(path):
        return None
    if path.is_file():
        return path
    raise InputError(str(path), "", f"expected a file, found {_what(path)}")


def optional_folder(path: Path) -> Path | None:
    """`path` if it is a folder, None if nothing is there; anything else is an error."""
    if not os.path.lexists(path):
        return None
    if path.is_dir():
        return path
    raise InputError(str(path), "", f"expected a folder, found {_what(path)}")


def _what(path: Path) -> str:
    if path.is_dir():
        return "a folder"
    if path.is_symlink() and not path.exists():
        return "a link to nothing"
    if path.exists() and not path.is_file():
        return "something that is neither a file nor a folder"
    return "a file"
