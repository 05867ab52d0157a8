#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run amd-ga's KUnit suites the way the backport ships: overlay the tree
# into Debian's linux-source-6.1, build it with kunit.py for x86_64 with
# the debug options (lockdep, KASAN, UBSAN) and boot it under QEMU on a
# q35 machine with QEMU's AMD IOMMU and the edu device.
#
# Exits non-zero when kunit.py fails or the console holds a kernel splat
# (lockdep, KASAN, UBSAN, WARN, BUG), whose first lines it prints.
#
# usage: scripts/kunit.sh [kunit.py options, e.g. a filter glob]
# env:   KSRC (kernel tree), KUNIT_BUILD (build dir), KUNIT_JSON (results)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_ksrc_61
KSRC=${KSRC:-$KSRC_61}
name=$(basename "$KSRC")
KUNIT_BUILD=${KUNIT_BUILD:-$AMD_GA_CACHE/build-kunit-${name#linux-source-}}
KUNIT_JSON=${KUNIT_JSON:-$KUNIT_BUILD/results.json}

"$AMD_GA_ROOT/scripts/overlay.sh" "$KSRC"
cp "$AMD_GA_ROOT/kunit/qemu_x86_64_amd_iommu.py" \
	"$KSRC/tools/testing/kunit/qemu_configs/amd_ga_x86_64.py"

mkdir -p "$KUNIT_BUILD"
log "kunit.py run on $KSRC (build dir $KUNIT_BUILD)"
cd "$KSRC"
rc=0
python3 tools/testing/kunit/kunit.py run \
	--arch=x86_64 \
	--qemu_config=tools/testing/kunit/qemu_configs/amd_ga_x86_64.py \
	--kunitconfig="$AMD_GA_ROOT/kunit/.kunitconfig" \
	--kunitconfig="$AMD_GA_ROOT/kunit/debug.config" \
	--build_dir="$KUNIT_BUILD" \
	--jobs="$(nproc)" \
	--timeout="${KUNIT_TIMEOUT:-900}" \
	--json="$KUNIT_JSON" \
	"$@" || rc=$?

# A lockdep, KASAN, UBSAN or WARN report fails no KUnit case by itself on
# 6.1: a run whose console has one fails here (make check and
# kunit-matrix.sh count it as a check of their own instead).
console=$KUNIT_BUILD/test.log
if [ -z "${KUNIT_SPLATS_COUNTED:-}" ] && [ -s "$console" ]; then
	splats=$(grep -nE "$KERNEL_SPLATS" "$console" || true)
	if [ -n "$splats" ]; then
		log "kernel splat in the KUnit console ($console), first lines:"
		sed -n 1,20p <<<"$splats" >&2
		grep -m1 -nE "$KERNEL_SPLATS" "$console" | cut -d: -f1 |
			while read -r n; do sed -n "${n},$((n + 25))p" "$console"; done >&2
		[ "$rc" -ne 0 ] || rc=1
	fi
fi
exit "$rc"
