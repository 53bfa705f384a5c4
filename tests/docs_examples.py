"""Find the console examples of the documentation and compare a run's output with the shown one.

The convention (docs/CONTRIBUTING-docs.md): a fenced block tagged `console` is an example.
Each line starting with `$ ` is a `perimeter` command (a line ending in `\\` continues on
the next); the lines up to the next `$ ` line are its output, stdout and stderr together.
A command exits 0 unless its line ends with a comment `# exit N`. An HTML comment
`<!-- docs-example: slow -->` just before the fence puts the block in the slow suite.
Output is compared after `normalize`; a line `...` stands for any lines, and `...` inside
a line for any text on that line.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Markdown files whose console blocks are examples: everything but generated reports.
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "build", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
GENERATED = ("benchmarks/results/",)

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
MARKER = re.compile(r"^\s*<!--\s*docs-example:\s*(?P<options>.*?)\s*-->\s*$")
EXIT_COMMENT = re.compile(r"(?:^|\s)#\s*exit\s+(?P<code>\d+)\b")
OPTIONS = {"slow"}

# Timings vary from run to run: "(21.9 s)", "in 0.4 s", "40 ms", and the JSON report's
# "seconds": 1.5. The solver's budget ("timed out after 10 s") is caught too, harmlessly.
TIMING = re.compile(r"(?<![\w.])\d+(?:\.\d+)? ?(?:ms|s)\b")
JSON_SECONDS = re.compile(r'("seconds":\s*)\d+(?:\.\d+)?')
ELLIPSIS = "..."


@dataclass(frozen=True)
class Command:
    line: int  # 1-based line of the `$` in its file
    text: str  # as given to bash, continuation lines joined
    exit_code: int
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    path: str  # relative to the repository root
    line: int  # 1-based line of the opening fence
    slow: bool
    commands: tuple[Command, ...]
    problem: str | None = None  # why the block is not a valid example

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}"


def markdown_files(root: Path = ROOT) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        if SKIPPED_FOLDERS.intersection(relative.parts[:-1]):
            continue
        if relative.as_posix().startswith(GENERATED):
            continue
        found.append(path)
    return found


def examples_in(text: str, path: str) -> Iterator[Example]:
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            line = lines[end]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            end += 1
        if opening["info"] == "console":
            yield _example(path, index + 1, _marker_options(lines, index), body)
        index = end + 1


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def _marker_options(lines: list[str], fence_index: int) -> list[str]:
    before = fence_index - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    marker = MARKER.match(lines[before]) if before >= 0 else None
    return marker["options"].replace(",", " ").split() if marker else []


def _example(path: str, fence_line: int, options: list[str], body: list[str]) -> Example:
    def invalid(problem: str) -> Example:
        return Example(path, fence_line, "slow" in options, (), problem)

    unknown = [option for option in options if option not in OPTIONS]
    if unknown:
        return invalid(f"unknown docs-example option {unknown[0]!r} (known: {', '.join(sorted(OPTIONS))})")
    commands: list[Command] = []
    position = 0
    while position < len(body):
        line = body[position]
        if not line.startswith("$ "):
            if not commands:
                return invalid("a ```console block starts with a `$ perimeter ...` line; "
                               "use ```text for a synopsis or ```sh for commands that are not examples")
            position += 1
            continue
        command_line = fence_line + 1 + position
        text = line[2:]
        while text.endswith("\\") and position + 1 < len(body):
            position += 1
            text = text[:-1].rstrip() + " " + body[position].strip()
        position += 1
        try:
            words = shlex.split(text, comments=True)
        except ValueError as error:
            return invalid(f"line {command_line}: cannot split the command: {error}")
        if not words or words[0] != "perimeter":
            return invalid(f"line {command_line}: only `perimeter` commands run in a ```console block; "
                           "show other commands (make, pip) in a ```sh block")
        output_start = position
        while position < len(body) and not body[position].startswith("$ "):
            position += 1
        code = EXIT_COMMENT.search(text)
        commands.append(Command(command_line, text, int(code["code"]) if code else 0,
                                tuple(body[output_start:position])))
    if not commands:
        return invalid("an empty ```console block")
    return Example(path, fence_line, "slow" in options, tuple(commands))


def collect(root: Path = ROOT) -> list[Example]:
    found: list[Example] = []
    for path in markdown_files(root):
        found.extend(examples_in(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix()))
    return found


def normalize(output: str, folders: tuple[Path, ...] = ()) -> list[str]:
    """Timings masked, the given folders made relative, trailing spaces and outer blank lines dropped."""
    for folder in folders:
        for spelling in {str(folder), str(folder.resolve())}:
            output = output.replace(spelling + "/", "")
    output = JSON_SECONDS.sub(r"\1<seconds>", output)
    output = TIMING.sub("<seconds>", output)
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; an expected line `...` matches any lines, `...` within a line any text."""
    memo: dict[tuple[int, int], bool] = {}

    def match_from(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[i, j]
        if i == len(expected):
            result = j == len(actual)
        elif expected[i].strip() == ELLIPSIS:
            result = match_from(i + 1, j) or (j < len(actual) and match_from(i, j + 1))
        else:
            result = j < len(actual) and _line_matches(expected[i], actual[j]) and match_from(i + 1, j + 1)
        memo[i, j] = result
        return result

    return match_from(0, 0)


def _line_matches(expected: str, actual: str) -> bool:
    if ELLIPSIS not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split(ELLIPSIS))
    return re.fullmatch(pattern, actual) is not None
