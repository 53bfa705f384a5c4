"""Every console example of the documentation runs, with the output and exit code it shows.

The examples are the ```console blocks of README.md, docs/**/*.md and the other Markdown
files of the repository (tests/docs_examples.py finds them; the convention is
docs/CONTRIBUTING-docs.md's). Each block runs with the installed `perimeter` (the one
beside this Python) in a scratch folder that links every top-level entry of the
repository, so paths read as from the repository root and files an example writes stay
out of the checkout.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs_examples import (
    ROOT,
    SKIPPED_FOLDERS,
    Command,
    Example,
    collect,
    examples_in,
    markdown_files,
    matches,
    normalize,
)

BIN = Path(sys.executable).parent
COMMAND_TIMEOUT = 1800  # seconds; a guard against a hang, never reached by a passing example


def _params() -> list[object]:
    return [
        pytest.param(example, id=example.name, marks=[pytest.mark.slow] if example.slow else [])
        for example in collect()
    ]


def _scratch(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name not in SKIPPED_FOLDERS:
            (folder / entry.name).symlink_to(entry)
    return folder


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"FORCE_COLOR", "CLICOLOR_FORCE", "PY_COLORS"}}
    # unbuffered, so stdout and stderr interleave in the order written, as on a terminal
    environment.update(PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", NO_COLOR="1",
                       COLUMNS="100", TERM="dumb", PYTHONUNBUFFERED="1")
    return environment


def _run(command: Command, folder: Path) -> tuple[int, str]:
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command.text], cwd=folder, env=_environment(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=COMMAND_TIMEOUT, check=False)
    return done.returncode, done.stdout


def _mismatch(example: Example, folder: Path) -> str | None:
    """Run the block's commands in order; None when each gives its shown output and exit code."""
    for command in example.commands:
        code, output = _run(command, folder)
        expected = normalize("\n".join(command.expected))
        actual = normalize(output, (folder, ROOT))
        if code != command.exit_code or not matches(expected, actual):
            diff = "\n".join(difflib.unified_diff(expected, actual, "shown", "actual", lineterm=""))
            return (f"{example.path}:{command.line}: $ {command.text}\n"
                    f"exit code {code}, shown {command.exit_code}\n{diff}")
    return None


@pytest.mark.parametrize("example", _params())
def test_console_example(example: Example, tmp_path: Path) -> None:
    assert example.problem is None, f"{example.name}: {example.problem}"
    assert (BIN / "perimeter").exists(), f"no perimeter beside {sys.executable}: pip install -e ."
    mismatch = _mismatch(example, _scratch(tmp_path / "run"))
    if mismatch is not None:
        pytest.fail(mismatch)


# The harness itself: what it finds, what it masks, what it lets through.

DOC = """\
Some text.

<!-- docs-example: slow -->
```console
$ perimeter prove a.yaml --timeout 5 \\
    --format text   # exit 1
FAIL something (2.5 s)
...
done
$ perimeter evaluate s.json
s.json: Allow
```

```sh
$ make demo
```

```console
perimeter evaluate SCENARIO...
```
"""


def test_finds_console_blocks_with_commands_outputs_and_exit_codes() -> None:
    first, second = examples_in(DOC, "doc.md")
    assert first.name == "doc.md:4" and first.slow and first.problem is None
    prove, evaluate = first.commands
    assert prove.line == 5 and prove.exit_code == 1
    assert prove.text == "perimeter prove a.yaml --timeout 5 --format text   # exit 1"
    assert prove.expected == ("FAIL something (2.5 s)", "...", "done")
    assert evaluate.exit_code == 0 and evaluate.expected == ("s.json: Allow",)
    assert not second.slow and second.problem is not None and "```text" in second.problem


def test_rejects_commands_other_than_perimeter() -> None:
    (example,) = examples_in("```console\n$ make demo\n```\n", "doc.md")
    assert example.problem is not None and "```sh" in example.problem


def test_rejects_unknown_options() -> None:
    (example,) = examples_in("<!-- docs-example: fast -->\n```console\n$ perimeter x\n```\n", "doc.md")
    assert example.problem is not None and "'fast'" in example.problem


def test_masks_timings_and_folders_only() -> None:
    folder = Path("/tmp/scratch-folder")
    output = ('  PASS  inv: text (21.9 s)\n  timed out after 10 s, 40 ms\n{"seconds": 1.234}\n'
              "/tmp/scratch-folder/examples/p.json:4 s3:GetObject 5 statements   \n\n")
    assert normalize(output, (folder,)) == [
        "  PASS  inv: text (<seconds>)",
        "  timed out after <seconds>, <seconds>",
        '{"seconds": <seconds>}',
        "examples/p.json:4 s3:GetObject 5 statements",
    ]


def test_ellipsis_matches_lines_and_text_but_nothing_else_differs() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "b"], ["a", "b"])
    assert matches(['"fingerprint": "9c...",'], ['"fingerprint": "9c0e11",'])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["FAIL"], ["PASS"])
    assert not matches(["a"], ["a", "b"])
    assert not matches(['"fingerprint": "9c...",'], ['"fingerprint": "ab0e11",'])


def test_a_drifted_example_fails(tmp_path: Path) -> None:
    (example,) = examples_in("```console\n$ perimeter evaluate examples/scenarios/03-scp-deny-outside-eu.json\n"
                             "examples/scenarios/03-scp-deny-outside-eu.json: Allow\n```\n", "doc.md")
    mismatch = _mismatch(example, _scratch(tmp_path))
    assert mismatch is not None
    assert "+examples/scenarios/03-scp-deny-outside-eu.json: ExplicitDeny" in mismatch


# Links between the pages: a moved or renamed section must not leave a dead link.

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCED.sub("", path.read_text(encoding="utf-8"))
    return {_anchor(line.lstrip("#")) for line in text.splitlines() if re.match(r"#{1,6} ", line)}


@pytest.mark.parametrize("page", [path.relative_to(ROOT).as_posix() for path in markdown_files()])
def test_relative_links_resolve(page: str) -> None:
    source = ROOT / page
    dead = []
    for target in LINK.findall(FENCED.sub("", source.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        resolved = (source.parent / path).resolve() if path else source
        if not resolved.exists():
            dead.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            dead.append(f"{target} (no such heading)")
    assert not dead, f"{page}: dead links: {', '.join(dead)}"


def test_anchors_follow_github() -> None:
    assert _anchor(" Solving: z3, then cvc5") == "solving-z3-then-cvc5"
    assert _anchor(" `perimeter check`: one policy") == "perimeter-check-one-policy"
    assert _anchor(" Ground truth and speed") == "ground-truth-and-speed"
