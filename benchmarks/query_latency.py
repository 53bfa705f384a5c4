"""Latency of the three custom policy checks over a sample of corpus policies.

    .venv/bin/python benchmarks/query_latency.py [--per-check N] [--timeout S] [--only CHECK] [--verbose]

Corpus: env PERIMETER_CORPUS, else ../shared/corpus from the repo root. Placeholders
are substituted first (`placeholders.substitute`). Prints, per check, the number of
queries, PASS/FAIL/UNKNOWN counts, and the median, p99 and maximum seconds per
check (query build, solve, witness decode and replay).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placeholders import substitute

from reasoner.checks import (
    CheckResult,
    check_access_not_granted,
    check_no_new_access,
    check_no_public_access,
    load_check_policy,
)
from reasoner.errors import InputError
from reasoner.model import Policy, PolicyType
from reasoner.resource_types import ResourceType, resource_type

RESOURCE_TYPE_BY_KIND = {
    "resource-based policy (S3 bucket)": "AWS::S3::Bucket",
    "resource-based policy (has Principal/NotPrincipal)": "AWS::S3::Bucket",
    "resource-based policy (KMS key)": "AWS::KMS::Key",
    "role trust policy": "AWS::IAM::Role",
    "resource-based policy (SQS queue)": "AWS::SQS::Queue",
    "resource-based policy (SNS topic)": "AWS::SNS::Topic",
    "resource-based policy (Secrets Manager secret)": "AWS::SecretsManager::Secret",
}
ACTIONS = ("iam:PassRole", "s3:GetObject")
AA = "iam-access-analyzer-custom-policy-check-samples"


def corpus_root() -> Path:
    configured = os.environ.get("PERIMETER_CORPUS")
    return Path(configured) if configured else Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@dataclass(frozen=True)
class Case:
    check: str
    label: str
    run: Callable[[float], CheckResult]


class Loader:
    """Policies with placeholders substituted, read through the CLI's loader."""

    def __init__(self, root: Path, scratch: Path) -> None:
        self.root, self.scratch, self.count = root, scratch, 0

    def load(self, relative: str, policy_type: str | None, default: PolicyType | None = None) -> Policy | None:
        text = substitute((self.root / relative).read_text(encoding="utf-8"))
        self.count += 1
        copy = self.scratch / f"{self.count}.json"
        copy.write_text(text, encoding="utf-8")
        try:
            return load_check_policy(copy, policy_type, default=default)
        except InputError:
            return None


def _spread(items: list[str], count: int) -> list[str]:
    """`count` items spread evenly over the sorted list (deterministic)."""
    items = sorted(items)
    if len(items) <= count or count <= 0:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def public_cases(root: Path, loader: Loader, per_check: int) -> Iterator[Case]:
    catalog = json.loads((root / "catalog.json").read_text(encoding="utf-8"))["files"]
    by_type: dict[str, list[str]] = {}
    for entry in catalog:
        type_name = RESOURCE_TYPE_BY_KIND.get(entry["kind"])
        if type_name is not None and entry["valid_json"] and "/mutations/" not in entry["path"]:
            by_type.setdefault(type_name, []).append(entry["path"])
    # round-robin over the resource types, each type's files spread evenly
    spread = {kind: _spread(paths, per_check) for kind, paths in sorted(by_type.items())}
    chosen: list[tuple[str, str]] = []
    for index in range(per_check):
        chosen.extend((kind, paths[index]) for kind, paths in spread.items() if index < len(paths))
    chosen = chosen[:per_check]
    for kind_name, path in chosen:
        kind = resource_type(kind_name)
        policy = loader.load(path, None, kind.policy_type)
        if policy is None or policy.policy_type is PolicyType.IDENTITY:
            continue
        yield Case("no-public-access", f"{kind_name} {path}",
                   functools.partial(_public, policy, kind))


def access_cases(root: Path, loader: Loader, per_check: int) -> Iterator[Case]:
    manifest = json.loads((root / AA / "manifest.json").read_text(encoding="utf-8"))
    samples = sorted({f"{AA}/{check['reference']}" for check in manifest["checks"]
                      if check["policy_type"] == "IDENTITY_POLICY"}
                     | {f"{AA}/{c['file']}" for check in manifest["checks"]
                        if check["policy_type"] == "IDENTITY_POLICY" for c in check["candidates"]})
    managed_dir = root / "iam-dataset-aws-managed-policies" / "policies"
    managed = [str(p.relative_to(root)) for p in managed_dir.glob("*.json")]
    half = per_check // 2
    paths = _spread(samples, half) + _spread(managed, per_check - half)
    for index, path in enumerate(paths):
        policy = loader.load(path, "identity")
        if policy is None:
            continue
        action = ACTIONS[index % len(ACTIONS)]
        yield Case("access-not-granted", f"{action} {path}", functools.partial(_access, policy, action))


def new_access_cases(root: Path, loader: Loader, per_check: int) -> Iterator[Case]:
    manifest = json.loads((root / AA / "manifest.json").read_text(encoding="utf-8"))
    pairs = [f"{check['policy_type']}|{check['reference']}|{c['file']}" for check in manifest["checks"]
             for c in check["candidates"]]
    for item in _spread(pairs, per_check):
        policy_type, reference, candidate = item.split("|")
        kind = "identity" if policy_type == "IDENTITY_POLICY" else "resource"
        old = loader.load(f"{AA}/{reference}", kind)
        new = loader.load(f"{AA}/{candidate}", kind)
        if old is None or new is None:
            continue
        chosen = old.policy_type if old.policy_type is new.policy_type else new.policy_type
        yield Case("no-new-access", candidate, functools.partial(_new_access, old, new, chosen))


def _public(policy: Policy, kind: ResourceType, timeout: float) -> CheckResult:
    return check_no_public_access(policy, kind, timeout_s=timeout)


def _access(policy: Policy, action: str, timeout: float) -> CheckResult:
    return check_access_not_granted(policy, [action], [], PolicyType.IDENTITY, timeout_s=timeout)


def _new_access(old: Policy, new: Policy, policy_type: PolicyType, timeout: float) -> CheckResult:
    return check_no_new_access(old, new, policy_type, timeout_s=timeout)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-check", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--only", choices=("no-public-access", "access-not-granted", "no-new-access"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    root = corpus_root()
    if not (root / "catalog.json").exists():
        print(f"corpus not found at {root} (set PERIMETER_CORPUS)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        loader = Loader(root, Path(scratch))
        groups = {"no-public-access": public_cases, "access-not-granted": access_cases,
                  "no-new-access": new_access_cases}
        for name, cases in groups.items():
            if args.only and args.only != name:
                continue
            seconds: list[float] = []
            outcomes: dict[str, int] = {"PASS": 0, "FAIL": 0, "UNKNOWN": 0}
            for case in cases(root, loader, args.per_check):
                started = time.perf_counter()
                result = case.run(args.timeout)
                elapsed = time.perf_counter() - started
                seconds.append(elapsed)
                outcomes[result.result] += 1
                if args.verbose or result.result == "UNKNOWN":
                    reason = f" ({result.unknown_reason})" if result.unknown_reason else ""
                    print(f"  {elapsed * 1000:8.1f} ms {result.result:7} {case.label}{reason}", flush=True)
            if not seconds:
                continue
            print(f"{name}: n={len(seconds)} PASS={outcomes['PASS']} FAIL={outcomes['FAIL']} "
                  f"UNKNOWN={outcomes['UNKNOWN']} median={statistics.median(seconds) * 1000:.1f} ms "
                  f"p99={_percentile(seconds, 0.99) * 1000:.1f} ms max={max(seconds) * 1000:.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
