#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch Debian's kernel image that matches the installed 6.1 headers, so
# the modules built against those headers load in the QEMU guest. The
# package is downloaded with apt-get (never installed), its boot/ files
# are unpacked into the cache, and the result is reused on later runs.
#
# usage: scripts/fetch-debian-kernel.sh [ABI]    (default: the installed 6.1 headers)
# env:   KDIR (headers tree whose ABI to match), AMD_GA_CACHE
# prints the path of the vmlinuz on stdout; progress goes to stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The ABI (release-amd64) of the headers the modules are built against.
headers_abi() {
	local d=${KDIR:-}

	[ -n "$d" ] || d=$(debian_61_kdir)
	[ -n "$d" ] || die "no linux-headers-6.1.*-amd64 installed: run 'make deps'"
	d=$(readlink -f "$d")
	basename "$d" | sed 's/^linux-headers-//'
}

abi=${1:-$(headers_abi)}
case $abi in
*-amd64) ;;
*) die "unexpected kernel ABI '$abi' (want <release>-amd64, as the installed headers name it)" ;;
esac

# Same version as the headers package when it is known: the modules'
# symbol CRCs are those of that exact build.
version=$(dpkg-query -W -f '${Version}' "linux-headers-$abi" 2>/dev/null || true)
dir=$AMD_GA_CACHE/images/linux-image-$abi${version:+_$version}
vmlinuz=$dir/boot/vmlinuz-$abi

if [ -f "$dir/.complete" ] && [ -f "$vmlinuz" ]; then
	log "kernel image: cached $vmlinuz"
	echo "$vmlinuz"
	exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: Debian is required"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/amd-ga-kimage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt-get download runs as _apt when it can write the directory.
chmod 0755 "$tmp"
if id _apt >/dev/null 2>&1; then chown _apt "$tmp" 2>/dev/null || true; fi

# Try the exact version first, then whatever the archive has for this
# ABI; the unsigned image is the same kernel without the EFI signature.
download() {
	local pkg

	for pkg in "linux-image-$abi-unsigned" "linux-image-$abi"; do
		if [ -n "$version" ] &&
		   (cd "$tmp" && apt-get download -q "$pkg=$version") >&2; then
			return 0
		fi
		if (cd "$tmp" && apt-get download -q "$pkg") >&2; then
			return 0
		fi
	done
	return 1
}

log "kernel image: downloading linux-image-$abi ${version:+($version) }with apt-get download"
if ! download; then
	log "kernel image: not in the package lists, running apt-get update once"
	apt-get update -q >&2 || die "apt-get update failed"
	download || die "cannot download linux-image-$abi: is it still in the archive?"
fi

deb=$(ls "$tmp"/linux-image-*.deb | head -n 1)
log "kernel image: unpacking boot/ of $(basename "$deb")"
rm -rf "$dir"
mkdir -p "$dir"
# Only boot/ is needed (vmlinuz, config, System.map): the guest loads no
# module but ours, so the 400 MB of /lib/modules stay in the package.
dpkg-deb --fsys-tarfile "$deb" | tar -C "$dir" -x ./boot
[ -f "$vmlinuz" ] || die "$(basename "$deb") holds no boot/vmlinuz-$abi"
basename "$deb" > "$dir/.complete"
log "kernel image: $vmlinuz"
echo "$vmlinuz"
