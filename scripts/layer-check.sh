#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check's "layers" step: build amd_ga.ko as a production kernel has
# it (AMD_GA_TEST=n, in a copy under the cache) and run
# scripts/layer-check.py on the sources, on that build's objects and on
# its Module.symvers. Prints the checker's PASS/FAIL lines and the size
# of the module, text and exports.
#
# env: KDIR (kernel headers; the default of lib.sh otherwise)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KDIR=${KDIR:-$(default_kdir)}
[ -d "$KDIR" ] || die "no kernel headers: run 'make deps' or set KDIR"
W=$AMD_GA_CACHE/layers
mkdir -p "$W"
# A fresh copy each time: a Module.symvers or an object left by another
# build (the work tree's own, with the test support) must not leak in.
rm -rf "$W/src"
rsync -a --exclude .git --exclude .compat --exclude '*.o' --exclude '*.ko' \
	--exclude '*.cmd' --exclude '*.mod' --exclude '*.mod.c' \
	--exclude modules.order --exclude Module.symvers "$AMD_GA_ROOT/" "$W/src/"
if ! DEBIAN_KERNEL_NO_CC_VERSION_CHECK=1 make -C "$KDIR" M="$W/src" \
	AMD_GA_TEST=n modules >"$W/build.log" 2>&1; then
	tail -n 30 "$W/build.log"
	echo "FAIL layers: the production build (AMD_GA_TEST=n) failed, see $W/build.log"
	exit 1
fi
ko=$W/src/drivers/iommu/amd-ga/amd_ga.ko
others=$(find "$W/src" -name '*.ko' ! -path "$ko")
if [ -n "$others" ]; then
	echo "FAIL layers: AMD_GA_TEST=n built more than amd_ga.ko: $others"
fi
python3 "$AMD_GA_ROOT/scripts/layer-check.py" \
	--objdir "$W/src/drivers/iommu/amd-ga" --symvers "$W/src/Module.symvers" \
	"$AMD_GA_ROOT"
rc=$?
read -r text data bss _ < <(size "$ko" | tail -n 1)
log "amd_ga.ko (AMD_GA_TEST=n): text $text, data $data, bss $bss;" \
	"$(grep -c 'amd_ga' "$W/src/Module.symvers") exports"
exit "$rc"
