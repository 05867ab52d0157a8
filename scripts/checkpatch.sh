#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch.pl --strict on every C source and header of the project, with
# the script taken from the cached Debian kernel tree (the headers packages
# do not ship it). Prints PASS/FAIL checkpatch and exits non-zero on any
# error, warning or check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_ksrc_61
cd "$AMD_GA_ROOT"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | sort)
[ ${#files[@]} -gt 0 ] || die "no source files found"

out=$(perl "$KSRC_61/scripts/checkpatch.pl" --no-tree --strict --terse \
	--show-types -f "${files[@]}" 2>&1 || true)
problems=$(printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' || true)
if [ -n "$problems" ]; then
	printf '%s\n' "$problems"
	echo "FAIL checkpatch ($(printf '%s\n' "$problems" | wc -l) findings in ${#files[@]} files)"
	exit 1
fi
echo "PASS checkpatch (${#files[@]} files, --strict, 0 errors/warnings/checks)"
