#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Overlay amd-ga into a kernel source tree as an in-tree backport:
# drivers/iommu/amd-ga/ (test support under test/, the KUnit suites under
# kunit/), samples/amd-ga/, the public header, and the Kconfig "source" and
# Makefile "obj-" hooks.
#
# usage: scripts/overlay.sh KERNEL_TREE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=${1:?usage: overlay.sh KERNEL_TREE}
[ -f "$tree/drivers/iommu/Kconfig" ] || die "$tree is not a kernel source tree"

dst=$tree/drivers/iommu/amd-ga
mkdir -p "$dst"
# Compare contents and give changed files a fresh mtime (no -t): a copy that
# kept an older mtime than an object built meanwhile would not be rebuilt.
rsync -r --checksum --delete --exclude 'kunit/' --exclude '*.o' --exclude '*.ko' \
	--exclude '*.cmd' --exclude '*.mod*' --exclude 'modules.order' \
	"$AMD_GA_ROOT/drivers/iommu/amd-ga/" "$dst/"
rsync -r --checksum --delete --include '*.c' --include '*.h' --include 'Makefile' \
	--exclude '*' "$AMD_GA_ROOT/kunit/" "$dst/kunit/"
mkdir -p "$tree/samples/amd-ga"
rsync -r --checksum --delete --include '*.c' --include 'Makefile' --include 'Kconfig' \
	--exclude '*' "$AMD_GA_ROOT/samples/amd-ga/" "$tree/samples/amd-ga/"
cp "$AMD_GA_ROOT"/include/linux/amd-ga*.h "$tree/include/linux/" 2>/dev/null || true

grep -q 'drivers/iommu/amd-ga/Kconfig' "$tree/drivers/iommu/Kconfig" ||
	printf '\nsource "drivers/iommu/amd-ga/Kconfig"\n' >> "$tree/drivers/iommu/Kconfig"
grep -q 'amd-ga/' "$tree/drivers/iommu/Makefile" ||
	printf 'obj-$(CONFIG_AMD_GA) += amd-ga/\n' >> "$tree/drivers/iommu/Makefile"
grep -q 'samples/amd-ga/Kconfig' "$tree/samples/Kconfig" ||
	printf '\nsource "samples/amd-ga/Kconfig"\n' >> "$tree/samples/Kconfig"
grep -q 'amd-ga/' "$tree/samples/Makefile" ||
	printf 'obj-y += amd-ga/\n' >> "$tree/samples/Makefile"
log "overlaid amd-ga into $tree"
