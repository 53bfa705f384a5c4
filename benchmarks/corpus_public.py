"""The corpus no-public-access run: every resource policy of the corpus through
`check no-public-access`, one JSON line each (the policy's corpus path, then what
`perimeter check no-public-access --format json` prints for it).

    .venv/bin/python -m benchmarks.corpus_public [--every N] [--reverse] [--budget UNITS]

The output depends only on the corpus, the options and the versions: not on the
machine, its load, the order the policies are run in, or the process's hash seed
(`tests/test_determinism.py` compares runs byte for byte).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from reasoner.benchmark.corpus import RESOURCE_TYPE_BY_KIND, corpus_present, corpus_root
from reasoner.benchmark.placeholders import substitute
from reasoner.errors import InputError
from reasoner.solving.budget import DEFAULT_GUARD_S, DEFAULT_UNITS, Budget


def resource_policies(root: Path) -> list[tuple[str, str]]:
    """(corpus path, CloudFormation resource type) of every valid resource policy, sorted."""
    entries = json.loads((root / "catalog.json").read_text(encoding="utf-8"))["files"]
    return sorted((entry["path"], RESOURCE_TYPE_BY_KIND[entry["kind"]]) for entry in entries
                  if entry["kind"] in RESOURCE_TYPE_BY_KIND and entry.get("valid_json", True))


def run(root: Path, chosen: list[tuple[str, str]], budget: Budget) -> Iterator[str]:
    from reasoner.checks.run import check_no_public_access
    from reasoner.policy.parse import parse_policy_text
    from reasoner.policy.resource_types import resource_type

    for path, type_name in chosen:
        kind = resource_type(type_name)
        try:
            policy = parse_policy_text(substitute((root / path).read_text(encoding="utf-8")), kind.policy_type,
                                       source=path)
        except InputError as error:
            yield json.dumps({"policy": path, "rejected": str(error)})
            continue
        yield json.dumps({"policy": path, **check_no_public_access(policy, kind, budget=budget).to_json()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="every Nth policy of the sorted list")
    parser.add_argument("--reverse", action="store_true", help="run them in the reverse order (output sorted)")
    parser.add_argument("--budget", type=float, default=DEFAULT_UNITS, help="work units per check")
    parser.add_argument("--timeout", type=float, default=DEFAULT_GUARD_S, help="wall-clock guard per check")
    options = parser.parse_args(argv)
    root = corpus_root()
    if not corpus_present(root):
        print(f"corpus not found at {root} (set PERIMETER_CORPUS)", file=sys.stderr)
        return 2
    chosen = resource_policies(root)[::options.every]
    order = list(reversed(chosen)) if options.reverse else chosen
    lines = list(run(root, order, Budget(options.budget, options.timeout)))
    for line in sorted(lines, key=lambda text: str(json.loads(text)["policy"])):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
