#!/usr/bin/env bash
# Runs perimeter for the composite action (action.yml, docs/github-action.md): the text
# report goes to the job log and to the job summary (GITHUB_STEP_SUMMARY), the SARIF
# report to INPUT_SARIF_FILE; the exit code and the SARIF file actually written are step
# outputs. This step itself always succeeds, so that the upload steps run; the action's
# last step fails the job with perimeter's exit code.
set -uo pipefail
set -f  # glob patterns in the command go to perimeter as written

read -r -a args <<< "${INPUT_COMMAND}"
if [ -n "${INPUT_CACHE:-}" ]; then
  export PERIMETER_CACHE="${INPUT_CACHE}"  # --cache for every command that takes it (docs/prove.md)
fi
sarif="${INPUT_SARIF_FILE:-}"
report="$(mktemp)"

if [ -n "$sarif" ]; then
  rm -f -- "$sarif"
  perimeter "${args[@]}" --format sarif --output "$sarif" 2>&1 | tee "$report"
  code=${PIPESTATUS[0]}
else
  perimeter "${args[@]}" 2>&1 | tee "$report"
  code=${PIPESTATUS[0]}
fi

written=""
if [ -n "$sarif" ] && [ -s "$sarif" ]; then
  written="$sarif"
fi
{
  echo "exit-code=${code}"
  echo "sarif-file=${written}"
} >> "${GITHUB_OUTPUT}"

case "$code" in
  0) verdict="PASS: everything holds" ;;
  1) verdict="FAIL: a check or invariant fails; each finding has a witness request" ;;
  3) verdict="UNKNOWN: something could not be decided (never a pass)" ;;
  *) verdict="bad input or usage (exit ${code})" ;;
esac
{
  echo "### perimeter ${INPUT_COMMAND}"
  echo
  echo "**${verdict}** (exit ${code})"
  echo
  echo '```text'
  head -c 900000 "$report"  # the summary takes at most 1 MiB per step
  echo '```'
} >> "${GITHUB_STEP_SUMMARY}"
rm -f -- "$report"
exit 0
