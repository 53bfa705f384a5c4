"""The composite GitHub Action (action.yml, issue 11 part 4): its two scripts run as
its steps run them, with GitHub's environment files, and its wiring read from the
YAML. GitHub itself does not run here; pip is a recording stand-in for the install."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
REFERER = "examples/checks/bucket-referer.json"


def step(name: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("name") == name)


# -- install -------------------------------------------------------------------


def install(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "pip.log"
    (bin_dir / "python").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n')
    (bin_dir / "perimeter").write_text("#!/bin/sh\necho perimeter 9.9.9\n")
    for tool in ("python", "perimeter"):
        (bin_dir / tool).chmod(0o755)
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "ACTION_PATH": str(ROOT), **env}
    result = subprocess.run(["bash", str(ROOT / ".github" / "action" / "install.sh")], env=environment,
                            capture_output=True, text=True, check=False)
    return result, log.read_text().splitlines() if log.exists() else []


def test_installs_the_tag_the_action_is_used_at(tmp_path: Path) -> None:
    result, pip = install(tmp_path, USED_REPOSITORY="acme/perimeter", USED_REF="v1.2.3",
                          GITHUB_SERVER_URL="https://github.com")
    assert result.returncode == 0, result.stderr
    assert pip[-1] == "iam-perimeter @ git+https://github.com/acme/perimeter@v1.2.3"
    assert pip[:3] == ["-m", "pip", "install"]
    assert "perimeter 9.9.9" in result.stdout


def test_inputs_override_the_repository_and_the_version(tmp_path: Path) -> None:
    result, pip = install(tmp_path, USED_REPOSITORY="acme/perimeter", USED_REF="main",
                          INPUT_REPOSITORY="https://git.example.org/mirror/perimeter", INPUT_VERSION="v2.0.0")
    assert result.returncode == 0, result.stderr
    assert pip[-1] == "iam-perimeter @ git+https://git.example.org/mirror/perimeter@v2.0.0"


def test_a_local_action_installs_its_own_checkout(tmp_path: Path) -> None:
    result, pip = install(tmp_path)
    assert result.returncode == 0, result.stderr
    assert pip[-1] == str(ROOT)


def test_half_a_source_is_an_error_not_a_guess(tmp_path: Path) -> None:
    result, pip = install(tmp_path, INPUT_VERSION="v1.0.0")
    assert result.returncode == 2 and pip == []
    assert "give both the repository and the version" in result.stdout


# -- run ---------------------------------------------------------------------------


def run_action(tmp_path: Path, command: str, sarif: str | None = "perimeter.sarif", cache: str = "") -> dict[str, Any]:
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    sarif_path = "" if sarif is None else str(tmp_path / sarif)
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
                   "INPUT_COMMAND": command, "INPUT_SARIF_FILE": sarif_path, "INPUT_CACHE": cache,
                   "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), "NO_COLOR": "1"}
    result = subprocess.run(["bash", str(ROOT / ".github" / "action" / "run.sh")], env=environment, cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr  # the step succeeds, so that the uploads run
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return {"log": result.stdout, "outputs": outputs, "summary": summary.read_text(), "sarif": sarif_path}


def test_a_finding_goes_to_the_log_the_summary_and_the_sarif_report(tmp_path: Path) -> None:
    ran = run_action(tmp_path, f"check no-public-access --policy {REFERER} --resource-type AWS::S3::Bucket "
                               "--timeout 60")
    assert ran["outputs"] == {"exit-code": "1", "sarif-file": ran["sarif"]}
    assert ran["log"].startswith("FAIL: no-public-access\n")
    assert "witness request (replayed through the reference evaluator: Allow)" in ran["log"]
    summary = ran["summary"]
    assert summary.startswith(f"### perimeter check no-public-access --policy {REFERER}")
    assert "**FAIL: a check or invariant fails" in summary and "(exit 1)" in summary
    assert "```text\nFAIL: no-public-access\n" in summary
    log = json.loads(Path(ran["sarif"]).read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    (finding,) = log["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": REFERER},
                                                           "region": {"startLine": 4}}


def test_patterns_reach_perimeter_unexpanded(tmp_path: Path) -> None:
    ran = run_action(tmp_path, "check no-public-access --policy examples/checks/bucket-*.json "
                               "--resource-type AWS::S3::Bucket --timeout 60")
    assert ran["outputs"]["exit-code"] == "1"
    assert "2 policies checked: 1 FAIL, 0 UNKNOWN, 1 PASS" in ran["summary"]


def test_bad_input_still_leaves_a_valid_sarif_report_to_upload(tmp_path: Path) -> None:
    ran = run_action(tmp_path, "prove nowhere/perimeter.yaml")
    assert ran["outputs"] == {"exit-code": "2", "sarif-file": ran["sarif"]}
    assert ran["log"].startswith("error: nowhere/perimeter.yaml")
    assert "**bad input or usage (exit 2)**" in ran["summary"]
    log = json.loads(Path(ran["sarif"]).read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []


def test_no_sarif_file_means_no_upload(tmp_path: Path) -> None:
    ran = run_action(tmp_path, f"check no-public-access --policy {REFERER} --resource-type AWS::S3::Bucket "
                               "--timeout 60", sarif=None)
    assert ran["outputs"] == {"exit-code": "1", "sarif-file": ""}
    assert "```text\nFAIL: no-public-access\n" in ran["summary"]


def test_the_result_cache_is_on_and_a_second_run_reads_it_back(tmp_path: Path) -> None:
    command = f"check no-public-access --policy {REFERER} --resource-type AWS::S3::Bucket --timeout 60"
    cache = tmp_path / "cache"
    first = run_action(tmp_path, command, cache=str(cache))
    assert any(cache.rglob("*.json")), "the first run fills the cache"
    second = run_action(tmp_path, command, cache=str(cache))
    assert second["outputs"]["exit-code"] == first["outputs"]["exit-code"] == "1"
    assert "answered from the cache, 0 solved" in second["log"]
    (tmp_path / "off").mkdir()
    without = run_action(tmp_path / "off", command)
    assert "answered from the cache" not in without["log"]


# -- wiring ------------------------------------------------------------------------


def test_the_action_wires_the_scripts_uploads_only_a_written_report_and_fails_last() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for name in ("Install perimeter", "Run perimeter"):
        run_step = step(name)
        assert "${{" not in run_step["run"]  # inputs reach the scripts as environment variables only
    assert step("Install perimeter")["env"]["USED_REF"] == "${{ github.action_ref }}"
    assert step("Install perimeter")["env"]["USED_REPOSITORY"] == "${{ github.action_repository }}"
    assert not ACTION["inputs"]["repository"]["default"] and not ACTION["inputs"]["version"]["default"]
    upload = step("Upload the SARIF report to code scanning")
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert "steps.run.outputs.sarif-file != ''" in upload["if"] and "inputs.upload-sarif == 'true'" in upload["if"]
    artifact = step("Keep the SARIF report as an artifact")
    assert artifact["uses"].startswith("actions/upload-artifact@")
    assert "inputs.sarif-artifact == 'true'" in artifact["if"]
    kept = step("Restore the result cache")
    assert kept["uses"].startswith("actions/cache@") and kept["if"] == "inputs.cache != ''"
    assert kept["with"]["path"] == "${{ inputs.cache }}" and ACTION["inputs"]["cache"]["default"]
    assert STEPS.index(kept) < STEPS.index(step("Run perimeter"))
    assert step("Run perimeter")["env"]["INPUT_CACHE"] == "${{ inputs.cache }}"
    assert STEPS[-1]["name"] == "Fail the job unless everything holds" and "always()" in STEPS[-1]["if"]
    assert STEPS.index(upload) < len(STEPS) - 1


def test_the_example_workflow_uses_the_action_with_the_permissions_upload_needs() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "perimeter.yml").read_text())
    assert workflow["permissions"]["actions"] == "read"
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["prove"]["steps"]
    (used,) = [s for s in steps if s.get("uses") == "./"]
    assert used["with"]["command"].startswith("prove ")
    assert not any("pip install" in s.get("run", "") for s in steps)


@pytest.mark.parametrize("path", ["action.yml", ".github/workflows/perimeter.yml", "docs/github-action.md"])
def test_no_made_up_repository_address(path: str) -> None:
    text = (ROOT / path).read_text()
    assert "iam-perimeter/perimeter" not in text and "github.com/iam-perimeter" not in text


@pytest.mark.parametrize(("path", "schema"), [("action.yml", "github-action-schema.json"),
                                              (".github/workflows/perimeter.yml", "github-workflow-schema.json")])
def test_the_action_and_the_workflow_are_valid_for_github(path: str, schema: str) -> None:
    document = yaml.safe_load((ROOT / path).read_text())
    if True in document:  # YAML 1.1 reads the workflow key `on` as true
        document["on"] = document.pop(True)
    validator = jsonschema.Draft7Validator(json.loads((Path(__file__).parent / "data" / schema).read_text()))
    assert not list(validator.iter_errors(document))
    broken = {**document, "runs": {"using": "composite"}} if path == "action.yml" else {**document, "jobs": 3}
    assert list(validator.iter_errors(broken))  # the schema does check
