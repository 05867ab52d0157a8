#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every Debian bookworm package amd-ga needs (make deps). Quick and
# silent when all of them are there: apt-get update and apt-get install
# run only when something is missing. The machine's apt sources are used
# as they are, never changed.
#
# usage: scripts/deps.sh [--check]    --check: list what is missing, exit 1
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# One package a line, grouped by what needs it; append yours to your group.
packages=(
	# building the external module against Debian's 6.1 headers
	build-essential
	linux-headers-amd64
	kmod
	dwarves
	# KUnit on an overlaid kernel tree (linux-source-6.1, kunit.py)
	linux-source-6.1
	bc
	flex
	bison
	libelf-dev
	libssl-dev
	xz-utils
	rsync
	python3
	# static checks
	sparse
	coccinelle
	perl
	# kernel-doc.sh checks the reStructuredText documentation
	python3-docutils
	# QEMU boot harness and make demo
	qemu-system-x86
	qemu-system-data
	busybox-static
	cpio
	# make dkms
	dkms
	# make backport-boot: its 6.1 kernel builds through a compiler cache
	ccache
	# make matrix: Debian kernel trees fetched with apt from a private
	# sources list (bullseye, trixie, sid) signed with these keys
	debian-archive-keyring
)

# One dpkg-query for all; a package dpkg has never seen is not listed.
installed=" $(dpkg-query -W -f '${Package}:${db:Status-Status} ' "${packages[@]}" 2>/dev/null |
	      sed 's/:installed / /g' || true) "
missing=()
for p in "${packages[@]}"; do
	case $installed in
	*" $p "*) ;;
	*) missing+=("$p") ;;
	esac
done

if [ ${#missing[@]} -eq 0 ]; then
	log "deps: all ${#packages[@]} packages present"
	exit 0
fi
if [ "${1:-}" = --check ]; then
	log "deps: missing: ${missing[*]}"
	exit 1
fi

[ "$(id -u)" = 0 ] || die "deps: missing ${missing[*]}; run 'make deps' as root (or with sudo)"
log "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || die "apt-get update failed"
apt-get install -q -y --no-install-recommends "${missing[@]}" ||
	die "apt-get install failed for: ${missing[*]}"
log "deps: done"
