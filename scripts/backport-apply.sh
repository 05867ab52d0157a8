#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make backport KSRC=<tree>: apply the in-tree backport series to a kernel
# tree as Debian ships it (scripts/backport-series.sh says which). Patches
# that applied are taken back if a later one does not, so the tree is left
# either fully patched or as it was.
#
# usage: scripts/backport-apply.sh KSRC
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=${1:?usage: backport-apply.sh KSRC}
series=$(mktemp -d)
trap 'rm -rf "$series"' EXIT
"$AMD_GA_ROOT/scripts/backport-series.sh" "$ksrc" "$series"

applied=()
while read -r p; do
	if ! patch -p1 -s --forward -d "$ksrc" < "$series/$p"; then
		log "$p does not apply; taking back the ${#applied[@]} applied before it"
		for ((i = ${#applied[@]} - 1; i >= 0; i--)); do
			patch -p1 -s -R -d "$ksrc" < "$series/${applied[i]}"
		done
		die "$ksrc is left as it was"
	fi
	applied+=("$p")
done < "$series/series"
log "applied ${#applied[@]} patches to $ksrc; build with CONFIG_AMD_GA=y (CONFIG_AMD_GA_HOST=y follows)"
