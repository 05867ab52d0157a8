#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The backport series as a maintainer receives it (make check's step
# "backport-series"; BACKPORT_KVER=6.12 checks trixie's 6.12 instead,
# its check names ending in "-6.12"):
#  - it is generated for Debian's linux-source-<version> as shipped;
#  - every patch passes the tree's checkpatch.pl --strict, and has the
#    subsystem prefix, a changelog and a Signed-off-by;
#  - the patches apply in order with patch -p1, leaving the tree they
#    were applied to untouched (a hard-linked copy);
#  - make backport applies them and refuses a second application, and
#    backport-series.sh refuses a tree it does not support, saying which
#    trees it supports.
# That every prefix of the series builds is backport-kernel.sh's check.
#
# Prints "PASS <name>" or "FAIL <name>"; exits non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

failed=0

KVER=${BACKPORT_KVER:-6.1}
sfx=
[ "$KVER" = 6.1 ] || sfx=-$KVER
PRISTINE=$(backport_pristine "$KVER") ||
	{ result "backport-series-generate$sfx" "no linux-source-$KVER"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/series

why=$("$AMD_GA_ROOT/scripts/backport-series.sh" "$PRISTINE" "$out" 2>&1) ||
	{ result "backport-series-generate$sfx" "$why"; exit 1; }
n=$(wc -l < "$out/series")
[ "$n" -ge 3 ] && result "backport-series-generate$sfx" "" ||
	result "backport-series-generate$sfx" "only $n patches in $out/series"

# checkpatch and changelog of each patch
while read -r p; do
	f=$out/$p
	why=$(cd "$PRISTINE" && perl scripts/checkpatch.pl --strict -q "$f" 2>&1)
	result "backport-checkpatch$sfx ${p%%-*}" "$why"
	subj=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$f")
	why=
	case $subj in
	iommu/amd-ga:*|iommu/amd:*|samples:*|KVM:*|Documentation:*) ;;
	*) why="subject without a subsystem prefix: $subj" ;;
	esac
	grep -q '^Signed-off-by: ' "$f" || why+=" no Signed-off-by"
	body=$(awk '/^Subject:/ { s = 1; next } s && /^---$/ { exit } s' "$f" | grep -vc '^\(Signed-off-by:.*\|\)$')
	[ "$body" -ge 3 ] || why+=" changelog body of $body lines"
	result "backport-changelog$sfx ${p%%-*}" "$why"
done < "$out/series"

# patch -p1 in order, on a hard-linked copy; the pristine tree stays
tree=$work/tree
sum() { (cd "$PRISTINE" && md5sum drivers/iommu/amd/iommu.c drivers/iommu/amd/init.c drivers/iommu/Kconfig MAINTAINERS); }
before=$(sum)
cp -al "$PRISTINE" "$tree"
why=
while read -r p; do
	patch -p1 -s --dry-run -d "$tree" < "$out/$p" > /dev/null 2>&1 ||
		{ why="$p does not apply after the ones before it"; break; }
	patch -p1 -s -d "$tree" < "$out/$p" > /dev/null 2>&1 || { why="$p failed"; break; }
done < "$out/series"
[ -z "$why" ] && [ "$(sum)" != "$before" ] && why="the pristine tree changed through a hard link"
result "backport-series-applies$sfx" "$why"

# make backport on a copy, then again (refused, tree kept)
tree2=$work/tree2
cp -al "$PRISTINE" "$tree2"
why=
if ! make -s -C "$AMD_GA_ROOT" backport KSRC="$tree2" > "$work/apply.log" 2>&1; then
	why="make backport failed: $(tail -n 3 "$work/apply.log")"
elif ! cmp -s "$tree/drivers/iommu/amd/iommu.c" "$tree2/drivers/iommu/amd/iommu.c"; then
	why="make backport gave another iommu.c than the series"
elif make -s -C "$AMD_GA_ROOT" backport KSRC="$tree2" > "$work/again.log" 2>&1; then
	why="a second make backport on the patched tree did not fail"
elif ! grep -q 'already carries amd-ga' "$work/again.log"; then
	why="the second make backport did not say why: $(tail -n 2 "$work/again.log")"
fi
result "backport-apply$sfx" "$why"

# an unsupported tree is refused, naming the supported ones (once)
[ "$KVER" = 6.1 ] || exit "$failed"
fake=$work/fake
mkdir -p "$fake/drivers/iommu/amd"
printf 'VERSION = 5\nPATCHLEVEL = 10\n' > "$fake/Makefile"
touch "$fake/drivers/iommu/amd/iommu.c"
msg=$("$AMD_GA_ROOT/scripts/backport-series.sh" "$fake" "$work/none" 2>&1) && rc=0 || rc=$?
why=
[ "$rc" -ne 0 ] || why="a 5.10 tree was not refused"
grep -q 'is Linux 5.10; the backport series exists for .*6\.1 .*6\.12' <<<"$msg" ||
	why+=" message: $msg"
result backport-unsupported-tree "$why"

exit "$failed"
