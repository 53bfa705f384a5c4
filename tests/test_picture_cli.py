"""The picture and the Markdown summaries through the CLI: `graph --html`, `--all`,
`--no-fold`, `--format markdown` on `graph`, `who-can` and `prove`."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from reasoner.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "snapshot"
TO = ["--to", "arn:aws:s3:::prod-data", "--action", "s3:GetObject"]
TIMEOUT = ["--timeout", "60"]  # per edge, generous: the answers must not depend on the machine's load
runner = CliRunner()


def _graph(*arguments: str) -> tuple[int, str]:
    result = runner.invoke(app, ["graph", *TIMEOUT, "--snapshot", str(EXAMPLES / "leaky"), *arguments])
    return result.exit_code, result.output


def test_html_is_the_picture_and_self_contained(tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    code, _ = _graph(*TO, "--html", str(page))
    assert code == 0
    text = page.read_text()
    assert not re.search(r"<script[^>]+src=|<link|@import|https?://(?!www\.w3\.org/)", text)
    assert "outside the organization" in text and "organization o-exampleorg1" in text
    assert ">can assume<" in text and ">can read<" in text
    assert "(FAIL)" not in text  # edges say what they mean
    assert 'id="legend"' in text and "Paths from outside" in text


def test_all_and_no_fold_change_what_is_drawn(tmp_path: Path) -> None:
    default, everything = tmp_path / "default.html", tmp_path / "all.html"
    assert _graph(*TO, "--html", str(default))[0] == 0
    assert _graph(*TO, "--html", str(everything), "--all", "--no-fold")[0] == 0
    assert "anonymous callers" not in default.read_text() and "anonymous callers" in everything.read_text()


def test_from_draws_only_its_paths_red(tmp_path: Path) -> None:
    page = tmp_path / "alice.html"
    code, _ = _graph("--from", "arn:aws:iam::111111111111:user/alice", *TO, "--html", str(page))
    assert code == 0
    text = page.read_text()
    # alice -> ops -> partner-integration -> bucket: three red edges, the outsider's edge not red
    assert len(re.findall(r'class="edge [^"]*\bred"', text)) == 3


def test_graph_markdown() -> None:
    code, output = _graph(*TO, "--format", "markdown")
    assert code == 0
    assert output.startswith("### perimeter graph: access to `arn:aws:s3:::prod-data`")
    assert "**FAIL**" in output and "```mermaid" in output
    code, output = _graph("--format", "markdown")
    assert code == 2 and "give --to and --action" in " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def test_who_can_markdown_keeps_the_exit_code() -> None:
    for example, expected in (("leaky", 1), ("fixed", 0)):
        result = runner.invoke(app, ["who-can", "s3:GetObject", "arn:aws:s3:::prod-data", *TIMEOUT, "--snapshot",
                                     str(EXAMPLES / example), "--format", "markdown"])
        assert result.exit_code == expected, result.output
        assert result.output.startswith("### perimeter who-can s3:GetObject")
        assert ("**FAIL**" in result.output) == (expected == 1)


PUBLIC_BUCKET = """zone: {organization_ids: [o-aaaaaaaaaa]}
resources:
  - arn: arn:aws:s3:::b
    type: AWS::S3::Bucket
    account: "111122223333"
    policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
             "Principal": "*", "Resource": "arn:aws:s3:::b/*"}]}
invariants: [only-trusted-identities]
"""


def test_prove_markdown(tmp_path: Path) -> None:
    perimeter, summary = tmp_path / "perimeter.yaml", tmp_path / "summary.md"
    perimeter.write_text(PUBLIC_BUCKET)
    result = runner.invoke(app, ["prove", str(perimeter), "--format", "markdown", "--output", str(summary),
                                 "--max-findings", "1", *TIMEOUT])
    assert result.exit_code == 1, result.output
    text = summary.read_text()
    assert text.startswith("### perimeter prove") and "**FAIL**" in text and "```mermaid" in text
    assert "| only-trusted-identities: " in text and "| FAIL | 1 (1 new) |" in text
