#!/usr/bin/env bash
# Writes the build.properties the programs print with --version: build-info.sh VERSION OUTFILE.
# The commit is "unknown" outside a git checkout (e.g. a source tarball).
set -eu
version=$1 out=$2
commit=$(git -C "$(dirname "$0")" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git -C "$(dirname "$0")" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi
mkdir -p "$(dirname "$out")"
printf 'version=%s\ncommit=%s\ndate=%s\n' "$version" "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$out"
