#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every check of the in-tree backport for one kernel version, in make
# check's order: the series (backport-check.sh), the booted kernel
# (backport-boot.sh), every prefix built (backport-bisect.sh) and the
# nested VFIO guest on the kernel just booted (backport-nested.sh).
# make check runs 6.1's as steps of their own and this for 6.12
# (make backport-6.12).
#
# usage: backport-all.sh KVER
# Prints each step's "PASS <name>" / "FAIL <name>" lines as
# "PASS [KVER] <name>", a step that fails without saying what as
# "FAIL [KVER] <step>"; exits non-zero if anything failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KVER=${1:?usage: backport-all.sh KVER}
export BACKPORT_KVER=$KVER
logs=$AMD_GA_CACHE/backport-$KVER/logs
mkdir -p "$logs"
rc=0

for step in backport-check backport-boot backport-bisect backport-nested; do
	log "backport $KVER: $step"
	skip=0
	[ "$step" = backport-nested ] && skip=1
	BACKPORT_SKIP_BUILD=$skip "$AMD_GA_ROOT/scripts/$step.sh" > "$logs/$step.out" 2>&1
	r=$?
	sed "s/^\(PASS\|FAIL\|SKIP\) /\1 [$KVER] /" "$logs/$step.out"
	if [ "$r" -ne 0 ]; then
		rc=1
		grep -q '^FAIL ' "$logs/$step.out" ||
			echo "FAIL [$KVER] $step (exit $r, see $logs/$step.out)"
	fi
done
exit "$rc"
