"""Policies named in a scenario or perimeter file: inline objects, or paths (globs,
where the file kind allows them) relative to the file. The one reader of such
references, so both file kinds resolve and reject them alike."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.parse import load_policy_file, parse_policy
from reasoner.policy.quotas import Quota

LineOf = Callable[[str], int | None]  # the line of a JSON path in the file, when known


class PolicyReferences:
    """Resolves policy entries of one file (`source`), relative to `base_dir`."""

    def __init__(self, source: str, base_dir: Path, *, globs: bool, line_of: LineOf | None = None) -> None:
        self.source = source
        self.base_dir = base_dir
        self.globs = globs
        self.line_of = line_of

    @property
    def expected(self) -> str:
        return ("expected a policy file path, a glob, or a policy object" if self.globs
                else "expected a policy object or a policy file path")

    def entry(self, value: Any, path: str, policy_type: PolicyType,
               quota: Quota | None = None) -> tuple[Policy, ...]:
        """An inline policy, or the policies of a file path (or glob); `quota`: the size
        quota of the place it is used (else the largest of its type)."""
        if isinstance(value, dict):
            return (parse_policy(value, policy_type, source=self.source, base_path=path,
                                 line_of=self._lines_within(path), quota=quota),)
        if not isinstance(value, str) or not value:
            raise InputError(self.source, path, self.expected)
        return tuple(load_policy_file(file, policy_type, quota=quota) for file in self.files(value, path))

    def one(self, value: Any, path: str, policy_type: PolicyType) -> Policy:
        found = self.entry(value, path, policy_type)
        if len(found) != 1:
            raise InputError(self.source, path, f"expected one policy file, the glob matched {len(found)}")
        return found[0]

    def files(self, pattern: str, path: str) -> list[Path]:
        """The files a path (or glob) names, sorted."""
        # normpath keeps messages short: "examples/policies/x.json", not "examples/scenarios/../policies/x.json"
        full = os.path.normpath(self.base_dir / pattern)
        if pattern.endswith(("/", os.sep)):  # normpath drops it, and the folder would be read as the file
            raise InputError(self.source, path, f'"{pattern}" ends with "/": that names a folder, not a policy file')
        if self.globs and glob.has_magic(pattern):
            matches = sorted(Path(found) for found in glob.glob(full, recursive=True) if Path(found).is_file())
            if not matches:
                raise InputError(self.source, path, f'no policy file matches "{full}"')
            return matches
        if not Path(full).is_file():
            raise InputError(self.source, path, f'policy file "{full}" not found')
        return [Path(full)]

    def _lines_within(self, path: str) -> LineOf | None:
        line_of = self.line_of
        if line_of is None:
            return None
        return lambda inner: line_of(f"{path}.{inner}")
