"""Benchmark cases from the policy corpus (placeholders substituted), spread
evenly and deterministically over its files.

- no-public-access: resource-based policies, round-robin over resource types;
- access-not-granted: identity policies (Access Analyzer samples and AWS managed
  policies) against `iam:PassRole` or `s3:GetObject`;
- no-new-access: the Access Analyzer samples' reference / candidate pairs.
"""

from __future__ import annotations

import functools
import json
import os
import statistics
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasoner.benchmark.cases import BenchCase
from reasoner.benchmark.placeholders import substitute
from reasoner.encodings.options import EncodingOptions
from reasoner.encodings.queries import Query
from reasoner.errors import InputError
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.resource_types import ResourceType, resource_type
from reasoner.solving.budget import Budget

if TYPE_CHECKING:
    from reasoner.benchmark.runner import Measurement

RESOURCE_TYPE_BY_KIND = {
    "resource-based policy (S3 bucket)": "AWS::S3::Bucket",
    "resource-based policy (has Principal/NotPrincipal)": "AWS::S3::Bucket",
    "resource-based policy (KMS key)": "AWS::KMS::Key",
    "role trust policy": "AWS::IAM::Role",
    "resource-based policy (SQS queue)": "AWS::SQS::Queue",
    "resource-based policy (SNS topic)": "AWS::SNS::Topic",
    "resource-based policy (Secrets Manager secret)": "AWS::SecretsManager::Secret",
    "resource-based policy (API Gateway)": "AWS::ApiGateway::RestApi",
}
ACTIONS = ("iam:PassRole", "s3:GetObject")
AA = "iam-access-analyzer-custom-policy-check-samples"


def corpus_root() -> Path:
    """env PERIMETER_CORPUS, else ../shared/corpus beside the repository."""
    configured = os.environ.get("PERIMETER_CORPUS")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def corpus_present(root: Path) -> bool:
    return (root / "catalog.json").is_file()


class _Loader:
    def __init__(self, root: Path, scratch: Path) -> None:
        self.root, self.scratch, self.count = root, scratch, 0

    def load(self, relative: str, policy_type: str | None, default: PolicyType | None = None) -> Policy | None:
        from reasoner.checks.run import load_check_policy

        self.count += 1
        copy = self.scratch / f"{self.count}.json"
        copy.write_text(substitute((self.root / relative).read_text(encoding="utf-8")), encoding="utf-8")
        try:
            return load_check_policy(copy, policy_type, default=default)
        except InputError:
            return None


def _spread(items: list[str], count: int) -> list[str]:
    items = sorted(items)
    if len(items) <= count or count <= 0:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def corpus_cases(root: Path, per_check: int) -> list[BenchCase]:
    """Up to `per_check` cases for each check (policies that do not parse are skipped)."""
    with tempfile.TemporaryDirectory() as scratch:
        loader = _Loader(root, Path(scratch))
        return [*_public(root, loader, per_check), *_access(root, loader, per_check),
                *_new_access(root, loader, per_check)]


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _public(root: Path, loader: _Loader, per_check: int) -> Iterator[BenchCase]:
    by_type: dict[str, list[str]] = {}
    for entry in _read(root / "catalog.json")["files"]:
        type_name = RESOURCE_TYPE_BY_KIND.get(entry["kind"])
        if type_name is not None and entry["valid_json"] and "/mutations/" not in entry["path"]:
            by_type.setdefault(type_name, []).append(entry["path"])
    spread = {kind: _spread(paths, per_check) for kind, paths in sorted(by_type.items())}
    chosen = [(kind, paths[i]) for i in range(per_check) for kind, paths in spread.items() if i < len(paths)]
    for kind_name, path in chosen[:per_check]:
        kind = resource_type(kind_name)
        policy = loader.load(path, None, kind.policy_type)
        if policy is not None and policy.policy_type is not PolicyType.IDENTITY:
            yield BenchCase("corpus", "no-public-access", path, 0, functools.partial(_public_query, policy, kind))


def _access(root: Path, loader: _Loader, per_check: int) -> Iterator[BenchCase]:
    manifest = _read(root / AA / "manifest.json")
    identity = [check for check in manifest["checks"] if check["policy_type"] == "IDENTITY_POLICY"]
    samples = sorted({f"{AA}/{check['reference']}" for check in identity}
                     | {f"{AA}/{c['file']}" for check in identity for c in check["candidates"]})
    managed_dir = root / "iam-dataset-aws-managed-policies" / "policies"
    managed = [str(p.relative_to(root)) for p in managed_dir.glob("*.json")]
    half = per_check // 2
    for index, path in enumerate(_spread(samples, half) + _spread(managed, per_check - half)):
        policy = loader.load(path, "identity")
        if policy is not None:
            action = ACTIONS[index % len(ACTIONS)]
            yield BenchCase("corpus", "access-not-granted", f"{action} {path}", 0,
                            functools.partial(_access_query, policy, action))


def _new_access(root: Path, loader: _Loader, per_check: int) -> Iterator[BenchCase]:
    manifest = _read(root / AA / "manifest.json")
    pairs = [f"{check['policy_type']}|{check['reference']}|{c['file']}" for check in manifest["checks"]
             for c in check["candidates"]]
    for item in _spread(pairs, per_check):
        policy_type, reference, candidate = item.split("|")
        kind = "identity" if policy_type == "IDENTITY_POLICY" else "resource"
        old, new = loader.load(f"{AA}/{reference}", kind), loader.load(f"{AA}/{candidate}", kind)
        if old is not None and new is not None:
            chosen = old.policy_type if old.policy_type is new.policy_type else new.policy_type
            yield BenchCase("corpus", "no-new-access", f"{AA}/{candidate}", 0,
                            functools.partial(_new_access_query, old, new, chosen))


def _public_query(policy: Policy, kind: ResourceType, encoding: EncodingOptions) -> Query:
    from reasoner.encodings.queries import no_public_access

    return no_public_access(policy, kind, encoding=encoding)


def _access_query(policy: Policy, action: str, encoding: EncodingOptions) -> Query:
    from reasoner.encodings.queries import access_not_granted

    return access_not_granted(policy, [action], [], PolicyType.IDENTITY, encoding=encoding)


def _new_access_query(old: Policy, new: Policy, policy_type: PolicyType, encoding: EncodingOptions) -> Query:
    from reasoner.encodings.queries import no_new_access

    return no_new_access(old, new, policy_type, encoding=encoding)


CHECKS = ("no-public-access", "access-not-granted", "no-new-access")


@dataclass(frozen=True)
class Latency:
    """One check's latency over the corpus sample: each query timed as a check
    (query build, solve, witness decode and replay), z3 alone, default encoding."""

    check: str
    outcomes: dict[str, int]
    seconds: tuple[float, ...]

    def line(self) -> str:
        from reasoner.benchmark.report import percentile

        counts = " ".join(f"{name}={self.outcomes.get(name, 0)}" for name in ("PASS", "FAIL", "UNKNOWN"))
        return (f"{self.check}: n={len(self.seconds)} {counts} median={statistics.median(self.seconds) * 1000:.1f} ms "
                f"p99={percentile(self.seconds, 0.99) * 1000:.1f} ms max={max(self.seconds) * 1000:.1f} ms")


def corpus_latency(root: Path, per_check: int, budget: Budget, checks: Sequence[str] = CHECKS,
                   progress: Callable[[Measurement], None] | None = None) -> list[Latency]:
    """Per check, the latency of `per_check` corpus queries under the default encoding."""
    from reasoner.benchmark.runner import run_case
    from reasoner.encodings.options import DEFAULT

    cases = corpus_cases(root, per_check)
    found: list[Latency] = []
    for check in checks:
        outcomes: dict[str, int] = {}
        seconds: list[float] = []
        for case in (c for c in cases if c.check == check):
            measured = run_case(case, DEFAULT, budget)
            seconds.append(measured.seconds)
            outcomes[measured.result] = outcomes.get(measured.result, 0) + 1
            if progress is not None:
                progress(measured)
        if seconds:
            found.append(Latency(check, outcomes, tuple(seconds)))
    return found
