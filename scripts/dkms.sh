#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make dkms: install amd-ga's source into /usr/src/amd-ga-<version>,
# register it with Debian's dkms and build it through dkms for
#  - every kernel whose headers are installed (/lib/modules/*/build), and
#  - a second header version that is not installed: bookworm's
#    linux-headers-6.12-amd64, extracted by scripts/fetch-kernels.sh
#    (installing it would pull in its kernel image).
# Each build is checked with modinfo (version, vermagic, description) and
# reported as "PASS dkms-<kernel release>" or "FAIL ...".
#
# usage: scripts/dkms.sh
# env:   DKMS_INSTALL=1 also installs the module for the installed kernels
#        (/lib/modules/<release>/updates/dkms), DKMS_EXTRA=<series> the
#        second header version (default 6.12; "none" skips it)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "make dkms writes /usr/src and /var/lib/dkms: run it as root"
command -v dkms > /dev/null || die "dkms is not installed: run 'make deps'"

name=amd-ga
ver=$(cat "$AMD_GA_ROOT/VERSION")
conf_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$AMD_GA_ROOT/dkms.conf")
[ "$conf_ver" = "$ver" ] ||
	die "dkms.conf says PACKAGE_VERSION=$conf_ver but VERSION says $ver"
dst=/usr/src/$name-$ver
failed=0

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# A previous "make dkms" of the same version: replace it.
if [ -n "$(dkms status -m "$name" -v "$ver" 2>/dev/null)" ]; then
	dkms remove "$name/$ver" --all > /dev/null 2>&1 || true
fi

# The source a module build needs: kbuild files, sources, the probes.
log "installing the source into $dst"
rm -rf "$dst"
mkdir -p "$dst/scripts"
cp "$AMD_GA_ROOT"/{dkms.conf,VERSION,Kbuild,Makefile,LICENSE} "$dst/"
rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='modules.order' \
	"$AMD_GA_ROOT/drivers" "$AMD_GA_ROOT/include" "$dst/"
cp -r "$AMD_GA_ROOT"/scripts/{lib.sh,compat-probe.sh,probes} "$dst/scripts/"
dkms add "$name/$ver" || die "dkms add $name/$ver failed"

# release -> kernel tree, installed headers first.
declare -A kdirs
for b in /lib/modules/*/build; do
	[ -f "$b/.config" ] || continue
	r=${b%/build}
	kdirs[${r##*/}]=
done
extra=${DKMS_EXTRA:-6.12}
if [ "$extra" != none ]; then
	kdir=$("$AMD_GA_ROOT/scripts/fetch-kernels.sh" --debian-headers "$extra") ||
		die "cannot fetch bookworm's linux-headers-$extra-amd64"
	krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$kdir/include/generated/utsrelease.h")
	kdirs[$krel]=$kdir
fi
[ ${#kdirs[@]} -gt 0 ] || die "no kernel headers installed: run 'make deps'"

for krel in $(printf '%s\n' "${!kdirs[@]}" | sort -V); do
	kdir=${kdirs[$krel]}
	log "dkms build $name/$ver for $krel${kdir:+ (headers in $kdir)}"
	if ! dkms build "$name/$ver" -k "$krel" ${kdir:+--kernelsourcedir "$kdir"} >&2; then
		tail -n 30 "/var/lib/dkms/$name/$ver/build/make.log" 2>/dev/null
		fail "dkms-$krel (dkms build failed)"
		continue
	fi
	ko=$(ls "/var/lib/dkms/$name/$ver/$krel/x86_64/module/amd_ga.ko"* 2>/dev/null | head -n 1)
	if [ -z "$ko" ]; then
		fail "dkms-$krel (no amd_ga.ko in dkms's tree)"
		continue
	fi
	mver=$(modinfo -F version "$ko")
	magic=$(modinfo -F vermagic "$ko")
	desc=$(modinfo -F description "$ko")
	log "$ko: version $mver, vermagic $magic"
	if [ "$mver" != "$ver" ]; then
		fail "dkms-$krel (module version '$mver', expected $ver)"
	elif [ "${magic%% *}" != "$krel" ]; then
		fail "dkms-$krel (vermagic '$magic')"
	elif [ -z "$desc" ]; then
		fail "dkms-$krel (no description)"
	else
		pass "dkms-$krel"
	fi
	if [ -z "$kdir" ] && [ -n "${DKMS_INSTALL:-}" ]; then
		dkms install "$name/$ver" -k "$krel" >&2 || fail "dkms-install-$krel"
	fi
done

dkms status -m "$name" -v "$ver"
[ $failed -eq 0 ]
