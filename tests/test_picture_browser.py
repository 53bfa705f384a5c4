"""The HTML picture as a person sees it: Debian's chromium, headless, driven by
Playwright's Python package (its own browser downloads are never used). Skipped,
with the reason, where chromium or playwright is absent; .ci/run installs both.

Screenshots go to $PERIMETER_ARTIFACTS (default: test-artifacts/ at the top of the
repository) as test artifacts.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reasoner.accounts.picture_html import to_html
from reasoner.accounts.picture_view import Picture, build_picture
from reasoner.accounts.reach import Reachability
from reasoner.inputs.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parent.parent

EXAMPLES = ROOT / "examples" / "snapshot"
BUCKET = "arn:aws:s3:::prod-data"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def artifacts() -> Path:
    folder = Path(os.environ.get("PERIMETER_ARTIFACTS", ROOT / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield launched
        launched.close()


def _picture(name: str) -> Picture:
    reach = Reachability(load_snapshot(EXAMPLES / name))
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    return build_picture(reach, targets, title=f"perimeter graph: {name}")


def _open(browser: Any, page_file: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri(), wait_until="load")
    return page, errors, requests


def test_leaky_page_shows_the_path_and_the_legend(browser: Any, tmp_path: Path) -> None:
    picture = _picture("leaky")
    page_file = tmp_path / "leaky.html"
    page_file.write_text(to_html(picture), encoding="utf-8")
    page, errors, requests = _open(browser, page_file)
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    assert page.locator("#legend").is_visible()
    assert page.locator("#legend li").count() >= 5
    red_nodes = [node for node in picture.nodes if node.red]
    assert len(red_nodes) == 3  # the outside class, partner-integration, the bucket
    viewport = page.locator("#viewport").bounding_box()
    for node in red_nodes:
        box = page.locator(f"g#{node.id}").bounding_box()
        assert box is not None and box["width"] > 20, node.label
        # fitted: the whole node is inside the visible canvas, without scrolling
        assert viewport["x"] <= box["x"] and box["x"] + box["width"] <= viewport["x"] + viewport["width"]
        assert viewport["y"] <= box["y"] and box["y"] + box["height"] <= viewport["y"] + viewport["height"]
    assert page.locator("g.edge.red").count() == 2
    assert "outside the organization" in page.locator("g.group-outside").text_content()
    page.screenshot(path=str(artifacts() / "picture-leaky.png"), full_page=True)

    page.locator("g.edge.red").first.click()
    details = page.locator("#details")
    assert "Witness request" in details.inner_text()
    scenario = json.loads(page.locator("#details pre.scenario").first.inner_text())
    assert scenario["request"]["action"] in ("sts:AssumeRole", "s3:GetObject")
    assert page.locator("#details button.copy").count() >= 2
    page.screenshot(path=str(artifacts() / "picture-leaky-evidence.png"), full_page=True)

    def opacity(selector: str) -> float:
        return float(page.locator(selector).first.evaluate("node => getComputedStyle(node).opacity"))

    page.locator("#only-red").check()
    assert opacity("g.edge:not(.red)") < 0.5 and opacity("g.edge.red") == 1.0
    assert errors == []
    page.close()


def test_fixed_page_has_no_red(browser: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "fixed.html"
    page_file.write_text(to_html(_picture("fixed")), encoding="utf-8")
    page, errors, _ = _open(browser, page_file)
    assert errors == []
    assert page.locator("g.edge.red").count() == 0
    assert "PASS" in page.locator(".verdict").inner_text()
    assert page.locator("#legend").is_visible()
    page.screenshot(path=str(artifacts() / "picture-fixed.png"), full_page=True)
    page.close()


def test_a_folded_node_lists_its_members(browser: Any, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic_accounts import write_account
    finally:
        sys.path.pop(0)
    reach = Reachability(load_snapshot(write_account(tmp_path / "account", 30)))
    targets = [(reach.target("arn:aws:s3:::synthetic-data", "123456789012"), ("s3:GetObject",))]
    reach.build(targets)
    picture = build_picture(reach, targets, title="30 roles")
    folded = next(node for node in picture.nodes if node.folded)
    page_file = tmp_path / "folded.html"
    page_file.write_text(to_html(picture), encoding="utf-8")
    page, errors, _ = _open(browser, page_file)
    page.locator(f"g#{folded.id}").click()
    listed = page.locator("#details details li").all_inner_texts()
    assert listed == list(folded.members)
    assert errors == []
    page.close()
