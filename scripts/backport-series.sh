#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make backport-series KSRC=<tree> OUT=<dir>: write the in-tree backport
# as numbered patches in git format-patch form plus a quilt "series" file.
# They apply in order with "patch -p1" (or "quilt push -a", or "git am").
#
# The series is generated, never stored whole: the patches that add amd-ga
# (the engine with its test support and KUnit suites, the samples) are made from this
# repository's sources; the glue in the kernel's own files comes from the
# diffs in scripts/backport/<kernel>/, which hold only the changed lines
# and the context they need. scripts/backport/<kernel>/series.in gives the
# order and scripts/backport/msg/ the changelogs.
#
# Supported trees: Debian's linux-source-6.1 (what "make deps" installs)
# and linux-source-6.12 (trixie's; so far the IRTE glue only), one
# directory scripts/backport/<version>/ each. Any other tree is refused
# with a message naming what is supported.
#
# usage: scripts/backport-series.sh KSRC OUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=${1:?usage: backport-series.sh KSRC OUT}
out=${2:?usage: backport-series.sh KSRC OUT}
BP=$AMD_GA_ROOT/scripts/backport

[ -f "$ksrc/Makefile" ] && [ -f "$ksrc/drivers/iommu/amd/iommu.c" ] ||
	die "$ksrc is not a kernel source tree with drivers/iommu/amd"
[ ! -e "$ksrc/drivers/iommu/amd-ga" ] ||
	die "$ksrc already carries amd-ga (an overlay or an applied series): give the tree as Debian ships it"
kver=$(awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 }
	    END { print v "." p }' "$ksrc/Makefile")
supported=$(find "$BP" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' -printf '%f\n' |
	    sort -V | tr '\n' ' ')
[ -f "$BP/$kver/series.in" ] ||
	die "$ksrc is Linux $kver; the backport series exists for Debian's linux-source of: ${supported:-none}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/tree

# The kernel files the series touches, as the tree has them.
base_files="drivers/iommu/Kconfig drivers/iommu/Makefile samples/Kconfig
samples/Makefile MAINTAINERS"
diffs=$(awk '$1 == "diff" { print $2 }' "$BP/$kver/series.in")
for d in $diffs; do
	base_files+=" $(sed -n 's|^+++ b/||p' "$BP/$kver/$d.diff")"
done
for f in $base_files; do
	[ -f "$ksrc/$f" ] || die "$ksrc has no $f: not Debian's linux-source-$kver"
	mkdir -p "$tree/$(dirname "$f")"
	cp "$ksrc/$f" "$tree/$f"
done

export GIT_AUTHOR_NAME="amd-ga maintainers" GIT_AUTHOR_EMAIL="amd-ga@lists.linux.dev"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
# Reproducible output: the date of this checkout's last commit.
date=$(git -C "$AMD_GA_ROOT" log -1 --format=%aD 2>/dev/null || date -R)
export GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date
g() { git -C "$tree" -c init.defaultBranch=main -c core.autocrlf=false "$@"; }
g init -q
g add -A
g commit -q -m base

# copy_glob SRC_DIR DST_DIR PATTERN...: the matching files, no subdirectories.
copy_glob() {
	local src=$1 dst=$2 p f
	shift 2
	mkdir -p "$tree/$dst"
	for p in "$@"; do
		for f in "$AMD_GA_ROOT/$src"/$p; do
			# Build products (name.mod.c) are not sources.
			case $f in *.mod.c) continue ;; esac
			[ -f "$f" ] && cp "$f" "$tree/$dst/"
		done
	done
	return 0
}

step_engine() {
	copy_glob drivers/iommu/amd-ga drivers/iommu/amd-ga '*.c' '*.h' Kconfig Makefile
	copy_glob drivers/iommu/amd-ga/test drivers/iommu/amd-ga/test '*.c' '*.h' Makefile
	copy_glob kunit drivers/iommu/amd-ga/kunit '*.c' '*.h' Makefile
	mkdir -p "$tree/include/linux"
	cp "$AMD_GA_ROOT"/include/linux/amd-ga*.h "$tree/include/linux/"
	python3 "$BP/edit.py" engine "$AMD_GA_ROOT" "$tree"
}

step_samples() {
	copy_glob samples/amd-ga samples/amd-ga '*.c' '*.h' Makefile Kconfig
	python3 "$BP/edit.py" samples "$AMD_GA_ROOT" "$tree"
}

while read -r kind name; do
	case $kind in ''|'#'*) continue ;; esac
	msg=$BP/$kver/$name.msg
	[ -f "$msg" ] || msg=$BP/msg/$name.msg
	[ -f "$msg" ] || die "no changelog $msg"
	case $kind in
	engine) step_engine ;;
	samples) step_samples ;;
	diff)
		g apply --whitespace=nowarn "$BP/$kver/$name.diff" ||
			die "$BP/$kver/$name.diff does not apply to $ksrc: not Debian's linux-source-$kver, or a newer one the glue must be refreshed for"
		;;
	*) die "series.in: unknown kind $kind" ;;
	esac
	g add -A
	g commit -q -s -F "$msg"
done < "$BP/$kver/series.in"

mkdir -p "$out"
rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch "$out/series"
g format-patch -q --no-signature --zero-commit -o "$out" main~"$(($(g rev-list --count main) - 1))"..main
(cd "$out" && ls [0-9][0-9][0-9][0-9]-*.patch) > "$out/series"
log "wrote $(wc -l < "$out/series") patches for Linux $kver to $out (series: $out/series)"
