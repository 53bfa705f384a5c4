#!/usr/bin/env bash
# Installs perimeter for the composite action (action.yml, docs/github-action.md):
#   iam-perimeter @ git+REPOSITORY@VERSION
# REPOSITORY: the `repository` input, else the repository the action is used from
# (github.action_repository on this GitHub server); VERSION: the `version` input, else
# the ref the action is used at (github.action_ref). When neither is known (a local
# action, `uses: ./`), the action's own checkout is installed: the same code.
set -euo pipefail

repository="${INPUT_REPOSITORY:-}"
version="${INPUT_VERSION:-}"
if [ -z "$repository" ] && [ -n "${USED_REPOSITORY:-}" ]; then
  repository="${GITHUB_SERVER_URL:-https://github.com}/${USED_REPOSITORY}"
fi
if [ -z "$version" ]; then
  version="${USED_REF:-}"
fi

if [ -n "$repository" ] && [ -n "$version" ]; then
  spec="iam-perimeter @ git+${repository}@${version}"
  echo "perimeter: installing ${spec}"
  python -m pip install --quiet --disable-pip-version-check "$spec"
elif [ -n "$repository$version" ]; then
  echo "::error title=perimeter::give both the repository and the version to install (got repository='${repository}', version='${version}')"
  exit 2
else
  echo "perimeter: installing the action's own checkout (${ACTION_PATH}): it is not used as OWNER/REPO@REF"
  python -m pip install --quiet --disable-pip-version-check "${ACTION_PATH}"
fi
perimeter --version
