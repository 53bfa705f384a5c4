"""`perimeter reach`, `who-can`, `graph` and `org-convert` through the CLI: exit codes and outputs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reasoner.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "snapshot"
REACH = ["--from", "outside-org", "--to", "arn:aws:s3:::prod-data", "--action", "s3:GetObject"]
runner = CliRunner()


def test_leaky_example_finds_the_two_hop_path() -> None:
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "leaky"), *REACH, "--format", "json"])
    assert result.exit_code == 1, result.output
    answer = json.loads(result.output)
    assert answer["status"] == "FOUND" and len(answer["path"]) == 2
    assert all(hop["witness"]["decision"] == "Allow" for hop in answer["path"])


def test_fixed_example_proves_no_path() -> None:
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "fixed"), *REACH])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("NO PATH")


def test_bad_snapshot_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "iam").mkdir()
    (tmp_path / "iam" / "x.json").write_text("{")
    result = runner.invoke(app, ["reach", "--snapshot", str(tmp_path), *REACH])
    assert result.exit_code == 2
    result = runner.invoke(app, ["reach", "--snapshot", str(EXAMPLES / "leaky"), "--from", "nobody",
                                 "--to", "arn:aws:s3:::prod-data", "--action", "s3:GetObject"])
    assert result.exit_code == 2


def test_who_can_lists_the_outsider() -> None:
    result = runner.invoke(app, ["who-can", "s3:GetObject", "arn:aws:s3:::prod-data", "--snapshot",
                                 str(EXAMPLES / "leaky"), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {p["principal"]: p for p in json.loads(result.output)["principals"]}
    assert found["external:outside-organization"]["status"] == "can"


def test_graph_exports_and_html(tmp_path: Path) -> None:
    page = tmp_path / "g.html"
    for output_format in ("dot", "graphml", "mermaid", "json"):
        result = runner.invoke(app, ["graph", "--snapshot", str(EXAMPLES / "leaky"), "--format", output_format,
                                     "--html", str(page), *REACH])
        assert result.exit_code == 0, result.output
        assert "partner-integration" in result.output
    text = page.read_text()
    assert "<svg" in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert 'class="edge path"' in text


def test_org_convert_missing_roots_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["org-convert", str(tmp_path)])
    assert result.exit_code == 2
