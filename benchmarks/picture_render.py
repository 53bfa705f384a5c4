"""How long the access picture of a synthetic account takes: deciding the graph, the
picture (selection, folding, evidence, Graphviz layout, HTML), and the page in
headless chromium (navigation until the load event and a painted frame).

    .venv/bin/python -m benchmarks.picture_render --roles 300 --screenshot docs/images/graph-300-roles.png

The account is `synthetic_accounts.write_account` (fixed seed) with a bucket its
roles can read. Outside the test suite: tests assert results, not timings.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.synthetic_accounts import ACCOUNT, write_account

BUCKET = "arn:aws:s3:::synthetic-data"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def measure(roles: int, jobs: int, screenshot: Path | None) -> dict[str, Any]:
    from reasoner.accounts.picture_html import to_html
    from reasoner.accounts.picture_view import build_picture
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        reach = Reachability(load_snapshot(write_account(Path(scratch) / "account", roles)), jobs=jobs)
        targets = [(reach.target(BUCKET, ACCOUNT), ("s3:GetObject",))]
        reach.build(targets)
        graph_s = time.perf_counter() - started
        started = time.perf_counter()
        picture = build_picture(reach, targets, title=f"perimeter graph: a synthetic account of {roles} roles")
        page = to_html(picture)
        picture_s = time.perf_counter() - started
        page_file = Path(scratch) / "page.html"
        page_file.write_text(page, encoding="utf-8")
        load_s = _load(page_file, screenshot)
    return {"roles": roles, "graph_nodes": reach.graph.number_of_nodes(), "graph_edges": reach.graph.number_of_edges(),
            "picture_nodes": len(picture.nodes), "picture_edges": len(picture.edges),
            "folded_members": sum(len(n.members) for n in picture.nodes if n.folded),
            "page_kib": round(len(page.encode()) / 1024), "graph_s": round(graph_s, 2),
            "picture_and_layout_s": round(picture_s, 2), "browser_load_s": load_s}


def _load(page_file: Path, screenshot: Path | None) -> float | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        started = time.perf_counter()
        page.goto(page_file.as_uri(), wait_until="load")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        seconds = round(time.perf_counter() - started, 2)
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--screenshot", type=Path)
    options = parser.parse_args(argv)
    sys.stdout.write(json.dumps(measure(options.roles, options.jobs, options.screenshot)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
