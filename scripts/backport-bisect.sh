#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every prefix of the backport series builds (make check's step
# "backport-bisect"): patches 1..k, for each k, are applied to a
# hard-linked copy of Debian's linux-source-6.1 (or 6.12) and the
# directories the series touches are built with W=1 and sparse (C=1),
# warnings failing (KVM's, arch/x86/kvm/, with the tree's own flags:
# Debian's 6.1 does not build it warning-free with W=1 and sparse, so
# only new warnings of its normal build fail), in the configuration of
# make backport-boot's kernel plus the test support and samples
# (scripts/backport-kernel.sh links the whole series into the kernel
# that boots). Then the whole series once more with amd-ga off. One
# persistent build directory and ccache keep it short.
#
# The files a patch touches are given a fresh mtime in every prefix:
# kbuild decides by mtime, and going from the whole series (the last run)
# back to patch 1 would otherwise keep objects of the later version.
#
# Prints "PASS backport-bisect <k>" or "FAIL backport-bisect <k>", and
# "... backport-bisect amd-ga-off".
# env: BACKPORT_KVER=6.12 Debian's 6.12 and its series instead of 6.1
#      BACKPORT_DIR (default $AMD_GA_CACHE/backport-$BACKPORT_KVER), BACKPORT_JOBS
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KVER=${BACKPORT_KVER:-6.1}
BP=${BACKPORT_DIR:-$AMD_GA_CACHE/backport-$KVER}
OBJ=$BP/bisect-build
jobs=${BACKPORT_JOBS:-$(nproc)}
ccache_env

if [ ! -s "$BP/build/.config" ]; then
	echo "FAIL backport-bisect (no $BP/build/.config: run scripts/backport-kernel.sh first)"
	exit 1
fi
PRISTINE=$(backport_pristine "$KVER") ||
	{ echo "FAIL backport-bisect (no linux-source-$KVER)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$AMD_GA_ROOT/scripts/backport-series.sh" "$PRISTINE" "$work/series" 2> "$work/gen.log" ||
	{ echo "FAIL backport-bisect (series: $(tail -n 1 "$work/gen.log"))"; exit 1; }
mapfile -t patches < "$work/series/series"
n=${#patches[@]}
touched=$(sed -n 's#^+++ b/##p' "$work"/series/*.patch | sort -u)
kvm=
grep -q '^arch/x86/kvm/' <<<"$touched" && kvm=arch/x86/kvm/
mkdir -p "$OBJ"

for ((k = 1; k <= n; k++)); do
	tree=$work/tree
	rm -rf "$tree"
	cp -al "$PRISTINE" "$tree"
	why=
	for ((i = 0; i < k; i++)); do
		patch -p1 -s -d "$tree" < "$work/series/${patches[i]}" ||
			{ why="${patches[i]} does not apply"; break; }
	done
	# Fresh mtimes (and own inodes) for every file the series touches.
	for f in $touched; do
		[ -f "$tree/$f" ] && cp "$tree/$f" "$tree/$f.t" && mv -f "$tree/$f.t" "$tree/$f"
	done
	dirs="drivers/iommu/amd/ drivers/iommu/amd-ga/"
	[ -d "$tree/samples/amd-ga" ] && dirs+=" samples/amd-ga/"
	if [ -z "$why" ]; then
		cp "$BP/build/.config" "$OBJ/.config"
		# The test support and the samples too, so that they build at
		# every prefix (the boot kernel leaves them out).
		"$tree/scripts/config" --file "$OBJ/.config" --module AMD_GA_TEST \
			--enable SAMPLES --module SAMPLE_AMD_GA_DEMO --module SAMPLE_AMD_GA_BENCH
		log="$BP/logs/bisect-$k.log"
		if ! make -C "$tree" O="$OBJ" CC="ccache gcc" -j"$jobs" olddefconfig > "$log" 2>&1 ||
		   ! make -C "$tree" O="$OBJ" CC="ccache gcc" -j"$jobs" W=1 C=1 $dirs >> "$log" 2>&1 ||
		   ! { [ -z "$kvm" ] ||
		       make -C "$tree" O="$OBJ" CC="ccache gcc" -j"$jobs" $kvm >> "$log" 2>&1; }; then
			why="build failed, see $log: $(grep -m 3 -E 'error' "$log")"
		elif w=$(grep -E '(warning|error):' "$log") && [ -n "$w" ]; then
			why="warnings, see $log: $(head -n 3 <<<"$w")"
		fi
	fi
	if [ -z "$why" ]; then
		echo "PASS backport-bisect $k (${patches[k - 1]%.patch})"
	else
		echo "FAIL backport-bisect $k (${patches[k - 1]%.patch})"
		printf '    %s\n' "$why" >&2
		failed=1
	fi
done

# The whole series with amd-ga not built in (CONFIG_AMD_GA=n, its
# default, or =m): the built-in driver and kvm_amd build and reference
# none of amd-ga's symbols, since every call into it sits behind
# CONFIG_AMD_GA_HOST (a distribution may carry the series with amd-ga off).
OFF=$BP/bisect-build-off
log=$BP/logs/bisect-off.log
why=
mkdir -p "$OFF"
cp "$BP/build/.config" "$OFF/.config"
"$tree/scripts/config" --file "$OFF/.config" --disable AMD_GA
if ! make -C "$tree" O="$OFF" CC="ccache gcc" -j"$jobs" olddefconfig > "$log" 2>&1 ||
   ! make -C "$tree" O="$OFF" CC="ccache gcc" -j"$jobs" W=1 drivers/iommu/amd/ >> "$log" 2>&1 ||
   ! { [ -z "$kvm" ] ||
       make -C "$tree" O="$OFF" CC="ccache gcc" -j"$jobs" $kvm >> "$log" 2>&1; }; then
	why="build failed, see $log: $(grep -m 3 -E 'error' "$log")"
elif grep -q '^CONFIG_AMD_GA=' "$OFF/.config"; then
	why="CONFIG_AMD_GA is still set in $OFF/.config"
else
	for o in "$OFF"/drivers/iommu/amd/*.o ${kvm:+"$OFF"/arch/x86/kvm/svm/*.o}; do
		refs=$(nm -u "$o" | grep -o 'amd_ga_[a-z0-9_]*' | sort -u | paste -sd' ')
		[ -z "$refs" ] || why+="${o#"$OFF"/} references $refs; "
	done
fi
if [ -z "$why" ]; then
	echo "PASS backport-bisect amd-ga-off"
else
	echo "FAIL backport-bisect amd-ga-off"
	printf '    %s\n' "$why" >&2
	failed=1
fi
exit "$failed"
