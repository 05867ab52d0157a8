#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run amd-ga's KUnit suites the way the backport ships: overlay the tree
# into Debian's linux-source-6.1, build it with kunit.py for x86_64 with
# the debug options (lockdep, KASAN, UBSAN) and boot it under QEMU on a
# q35 machine with QEMU's AMD IOMMU and the edu device.
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
python3 tools/testing/kunit/kunit.py run \
	--arch=x86_64 \
	--qemu_config=tools/testing/kunit/qemu_configs/amd_ga_x86_64.py \
	--kunitconfig="$AMD_GA_ROOT/kunit/.kunitconfig" \
	--kunitconfig="$AMD_GA_ROOT/kunit/debug.config" \
	--build_dir="$KUNIT_BUILD" \
	--jobs="$(nproc)" \
	--timeout="${KUNIT_TIMEOUT:-900}" \
	--json="$KUNIT_JSON" \
	"$@"
