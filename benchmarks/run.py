"""`make bench`: the full benchmark (every encoding, corpus and synthetic
families, cvc5 beside z3 where installed) into benchmarks/results/.

    .venv/bin/python -m benchmarks.run [perimeter dev bench options]
"""

from __future__ import annotations

import sys

from reasoner.cli.app import app


def main() -> None:
    app(["dev", "bench", "--out", "benchmarks/results", *sys.argv[1:]])


if __name__ == "__main__":
    main()
