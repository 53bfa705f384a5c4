"""One check over many policies in one call, the CI shape `prove` has: policy files,
directories and glob patterns expanded to files, every file read before anything is
solved (one bad file is bad input, exit 2, before any answer), then one result per
policy, and one exit code for the run by the rule every command follows: a FAIL wins
over an UNKNOWN, which wins over a PASS.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reasoner.errors import InputError
from reasoner.policy.acls import Acl, PublicAccessBlock
from reasoner.policy.lint import PolicyWarning
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.resource_types import ResourceType
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import ResultCache
from reasoner.solving.query import CheckResult

POLICY_SUFFIXES = (".json", ".yaml", ".yml")
_RANK = {"PASS": 0, "UNKNOWN": 1, "FAIL": 2}
EXIT_CODES = {"PASS": 0, "FAIL": 1, "UNKNOWN": 3}


@dataclass(frozen=True)
class PolicyCheck:
    """One policy through a check: `policy` is the file checked (for no-new-access, the
    new policy), `compared_with` the existing policy it was compared with. A policy
    read from infrastructure code is named by its resource address (or logical id)
    and attribute; `file` and `line` are then where it is written (the template or
    `.tf` file, or the plan), `address` the resource."""

    policy: str
    result: CheckResult
    compared_with: str | None = None
    file: str | None = None
    line: int | None = None
    address: str | None = None
    warnings: tuple[PolicyWarning, ...] = ()  # policy lint (reasoner.policy.lint): the answer stands

    @property
    def location(self) -> str:
        """The file the policy is in."""
        return self.file or self.policy


@dataclass(frozen=True)
class CheckReport:
    check: str
    entries: tuple[PolicyCheck, ...]

    @property
    def result(self) -> str:
        return max((entry.result.result for entry in self.entries), key=_RANK.__getitem__, default="PASS")

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.result]

    def count(self, result: str) -> int:
        return sum(1 for entry in self.entries if entry.result.result == result)


def _has_magic(text: str) -> bool:
    return any(char in text for char in "*?[")


def _looks_like_a_policy(relative: Path) -> bool:
    """A policy file's name under a directory: a policy suffix, no hidden part."""
    return relative.suffix.lower() in POLICY_SUFFIXES and not any(part.startswith(".") for part in relative.parts)


def expand_policy_paths(values: Sequence[str | Path], option: str) -> list[Path]:
    """Files, directories (every .json, .yaml and .yml file under them, in path order,
    hidden ones aside) and glob patterns (`*`, `?`, `[...]`, `**` for any depth; quote
    them so that the shell leaves them to the tool), each file once, in the order given.
    A directory or pattern that names no policy file is bad input: a PASS about nothing
    would prove nothing. A plain path is kept as given (reading it says if it is missing)."""
    found: dict[Path, Path] = {}
    for value in values:
        text = str(value)
        path = Path(text)
        if path.is_dir():
            files = sorted(candidate for candidate in path.rglob("*")
                           if _looks_like_a_policy(candidate.relative_to(path)) and candidate.is_file())
            if not files:
                raise InputError(option, "", f'"{text}" is a directory with no .json, .yaml or .yml file')
        elif not path.exists() and _has_magic(text):
            files = sorted(Path(match) for match in glob.glob(text, recursive=True) if Path(match).is_file())
            if not files:
                raise InputError(option, "", f'"{text}" matches no file')
        else:
            files = [path]
        for file in files:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def read_pairs(path: Path) -> list[tuple[Path, Path]]:
    """A pairs file for no-new-access: a JSON or YAML list of `{existing: FILE, new: FILE}`,
    the paths relative to the pairs file's folder."""
    from reasoner.policy.parse import load_data_file

    document = load_data_file(path)
    if not isinstance(document, list) or not document:
        raise InputError(str(path), "", "expected a non-empty list of {existing: FILE, new: FILE}")
    pairs = []
    for index, item in enumerate(document):
        if not isinstance(item, dict) or set(item) != {"existing", "new"}:
            raise InputError(str(path), f"[{index}]", "expected {existing: FILE, new: FILE}")
        for key in ("existing", "new"):
            if not isinstance(item[key], str) or not item[key]:
                raise InputError(str(path), f"[{index}].{key}", "expected a file path")
        pairs.append((path.parent / item["existing"], path.parent / item["new"]))
    return pairs


@dataclass(frozen=True)
class CheckJob:
    """One policy through one check, with everything the check needs (picklable, so that
    jobs can run in worker processes)."""

    check: str  # no-public-access, no-new-access or access-not-granted
    policy: Policy  # for no-new-access, the new policy
    budget: Budget = DEFAULT_BUDGET
    cache: ResultCache | None = None  # a persistent result cache (--cache)
    existing: Policy | None = None  # no-new-access
    resource_type: ResourceType | None = None  # no-public-access
    max_ipv4_prefix_width: int = 8
    max_ipv6_prefix_width: int = 32
    actions: tuple[str, ...] = ()  # access-not-granted
    resources: tuple[str, ...] = ()
    acl: Acl | None = None  # no-public-access of a bucket: its ACL (--acl)
    public_access_block: PublicAccessBlock | None = None  # --public-access-block


def run_job(job: CheckJob) -> PolicyCheck:
    from dataclasses import replace

    from reasoner.policy.lint import policy_warnings

    checked = _run_check(job)
    warnings = policy_warnings([job.existing, job.policy])
    if job.check == "no-public-access" and job.resource_type is not None:
        from reasoner.checks.run import type_misfit_warnings

        warnings += type_misfit_warnings(job.policy, job.resource_type)
    return replace(checked, warnings=tuple(warnings))


def _run_check(job: CheckJob) -> PolicyCheck:
    from reasoner.checks.run import check_access_not_granted, check_no_new_access, check_no_public_access

    if job.check == "no-public-access" and (job.acl is not None or job.public_access_block is not None):
        from reasoner.checks.bucket_public import check_public_with_bucket_facts

        assert job.resource_type is not None
        result = check_public_with_bucket_facts(job.policy, job.resource_type, acl=job.acl,
                                                block=job.public_access_block, budget=job.budget, cache=job.cache,
                                                max_ipv4_prefix_width=job.max_ipv4_prefix_width,
                                                max_ipv6_prefix_width=job.max_ipv6_prefix_width)
        return PolicyCheck(job.policy.source, result)
    if job.check == "no-public-access":
        assert job.resource_type is not None
        result = check_no_public_access(job.policy, job.resource_type, budget=job.budget, cache=job.cache,
                                        max_ipv4_prefix_width=job.max_ipv4_prefix_width,
                                        max_ipv6_prefix_width=job.max_ipv6_prefix_width)
        return PolicyCheck(job.policy.source, result)
    if job.check == "no-new-access":
        assert job.existing is not None
        old, new = job.existing, job.policy
        chosen: PolicyType = old.policy_type if old.policy_type is new.policy_type else new.policy_type
        result = check_no_new_access(old, new, chosen, budget=job.budget, cache=job.cache)
        return PolicyCheck(new.source, result, old.source)
    result = check_access_not_granted(job.policy, job.actions, job.resources, job.policy.policy_type,
                                      budget=job.budget, cache=job.cache)
    return PolicyCheck(job.policy.source, result)


def run_jobs(name: str, jobs: Sequence[CheckJob], workers: int = 1) -> CheckReport:
    """Every job, results in the order given: in this process (the per-policy cost is the
    solve, not a process start), or in `workers` processes."""
    if workers <= 1 or len(jobs) <= 1:
        return CheckReport(name, tuple(run_job(job) for job in jobs))
    with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or workers, len(jobs))) as pool:
        return CheckReport(name, tuple(pool.map(run_job, jobs)))
