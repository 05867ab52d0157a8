#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the initramfs of amd-ga's QEMU guest: busybox-static, the /init and
# the insmod of scripts/initramfs/, and the given modules under
# /lib/modules/amd-ga. The guest kernel needs nothing else: Debian's 6.1
# has the 8250 console, devtmpfs, proc, sysfs, debugfs and initramfs
# support built in.
#
# usage: scripts/mkinitramfs.sh OUTPUT.cpio MODULE.ko...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:?usage: mkinitramfs.sh OUTPUT.cpio MODULE.ko...}
shift
[ $# -gt 0 ] || die "mkinitramfs.sh: no module given"

busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "$busybox not found: run 'make deps' (busybox-static)"
# A dynamically linked busybox (package "busybox") cannot run in the guest.
phdrs=$(LC_ALL=C readelf -l "$busybox" 2>/dev/null || true)
if grep -q 'program interpreter' <<<"$phdrs"; then
	die "$busybox is dynamically linked: install busybox-static ('make deps')"
fi
command -v cpio >/dev/null || die "cpio not found: run 'make deps'"

stage=$(mktemp -d "${TMPDIR:-/tmp}/amd-ga-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,dev,proc,sys,tmp,lib/modules/amd-ga}
cp "$busybox" "$stage/bin/busybox"
# One finit_module() per insmod, as kmod does (see the helper's comment).
${CC:-gcc} -static -Os -Wall -o "$stage/bin/ga-insmod" \
	"$AMD_GA_ROOT/scripts/initramfs/insmod.c" ||
	die "cannot build the guest's insmod: gcc and libc6-dev are needed ('make deps')"
install -m 0755 "$AMD_GA_ROOT/scripts/initramfs/init" "$stage/init"
for ko in "$@"; do
	[ -f "$ko" ] || die "module $ko not found"
	cp "$ko" "$stage/lib/modules/amd-ga/"
done
# The kernel opens /dev/console for /init before anything is mounted;
# without root the node cannot be made and /init reopens devtmpfs's.
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$stage/dev/console" c 5 1
fi

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
log "initramfs: $out ($(du -k "$out" | cut -f1) KiB: busybox, /init, insmod, $(cd "$stage/lib/modules/amd-ga" && echo *.ko))"
