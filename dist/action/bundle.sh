#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bundle.sh: action.yml's first step. Unpacks the release bundle INPUT_BUNDLE (a .tar.gz, or a directory holding one;
# when empty, builds one from the action's own checkout with './uds-interop dist') into the runner's temp directory.
# Output: launcher=PATH of the unpacked bin/uds-interop.
set -euo pipefail
dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/uds-interop-bundle
tarball=${INPUT_BUNDLE:-}
if [ -z "$tarball" ]; then
  "$GITHUB_ACTION_PATH/uds-interop" dist >&2
  tarball=$(ls "$GITHUB_ACTION_PATH"/target/dist/uds-interop-*-linux-amd64.tar.gz | head -1)
fi
case "$tarball" in /*) ;; *) tarball=${GITHUB_WORKSPACE:-$PWD}/$tarball ;; esac
# A directory (e.g. where actions/download-artifact put it): the one bundle in it.
if [ -d "$tarball" ]; then
  tarball=$(ls "$tarball"/uds-interop-*-linux-amd64.tar.gz 2>/dev/null | head -1 || true)
fi
if [ ! -f "$tarball" ]; then
  echo "::error::uds-interop: bundle $tarball: no such file"
  exit 2
fi
if [ -f "$tarball.sha256" ]; then
  (cd "$(dirname "$tarball")" && sha256sum --quiet -c "$(basename "$tarball").sha256") \
    || { echo "::error::uds-interop: $tarball does not match $tarball.sha256"; exit 2; }
fi
rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$tarball" -C "$dir"
launcher=$(ls "$dir"/uds-interop-*/bin/uds-interop | head -1)
"$launcher" --version
echo "launcher=$launcher" >> "$GITHUB_OUTPUT"
