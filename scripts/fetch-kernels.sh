#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch and prepare the kernels amd-ga is built against by "make matrix":
# Debian's linux-source packages from bullseye (5.10), trixie (6.12) and
# sid (7.2), each configured with the .config of Debian's own headers
# package for the flavour and prepared once with modules_prepare (plus
# that package's Module.symvers, so modpost resolves kernel symbols).
# 6.1 is bookworm's installed linux-headers package and needs nothing.
# 6.12 PREEMPT_RT is bookworm's linux-headers-6.12-rt-amd64, extracted:
# Debian's RT flavour carries patches (lazy preemption) that
# linux-source-6.12 does not ship, so a tree prepared from that source
# with the RT .config disagrees with the RT kernel's Module.symvers
# (cond_resched() then needs klp_sched_try_switch_key, which the RT
# kernel, built with PREEMPT_DYNAMIC, does not export).
#
# Downloads go through apt with a private sources list and state under
# the cache; the machine's apt configuration is never read or changed for
# these suites. Every prepared tree is reused until AMD_GA_REFRESH=1 asks
# for the archive's newest version again.
#
# usage: scripts/fetch-kernels.sh [TARGET...]     prepare (default: all)
#        scripts/fetch-kernels.sh --list          the known targets
#        scripts/fetch-kernels.sh --kdir TARGET   print TARGET's KDIR
#        scripts/fetch-kernels.sh --src TARGET    print TARGET's source tree
#        scripts/fetch-kernels.sh --sparse        build a newer sparse, print it
#        scripts/fetch-kernels.sh --kunit-src TARGET
#                 a private copy of TARGET's source for KUnit; print it
#        scripts/fetch-kernels.sh --pristine-src TARGET
#                 an untouched copy of TARGET's source for the backport
#                 series (BACKPORT_KVER of scripts/backport-kernel.sh)
#        scripts/fetch-kernels.sh --debian-headers SERIES [FLAVOUR]
#                 extract bookworm's linux-headers-SERIES-FLAVOUR (e.g. 6.12,
#                 default flavour amd64) without installing it; print KDIR
# targets: 5.10 6.1 6.12 6.12-rt 7.2
# env:     AMD_GA_KERNELS (cache, default $AMD_GA_CACHE/kernels),
#          AMD_GA_REFRESH=1, JOBS (default 2)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KCACHE=${AMD_GA_KERNELS:-$AMD_GA_CACHE/kernels}
APTDIR=$AMD_GA_CACHE/apt
JOBS=${JOBS:-2}
export DEBIAN_KERNEL_NO_CC_VERSION_CHECK=1

# target -> "series flavour kind": a source tree prepared here, a
# bookworm headers package extracted here, or the installed headers.
ALL_TARGETS="5.10 6.1 6.12 6.12-rt 7.2"
target_spec() {
	case $1 in
	5.10) echo "5.10 amd64 source" ;;
	6.1) echo "6.1 amd64 installed" ;;
	6.12) echo "6.12 amd64 source" ;;
	6.12-rt) echo "6.12 rt-amd64 headers" ;;
	7.2) echo "7.2 amd64 source" ;;
	*) return 1 ;;
	esac
}

# target_spec, or die naming the known targets.
spec_of() {
	target_spec "$1" || die "unknown target $1 (known: $ALL_TARGETS)"
}

apt_opts=(
	-o "Dir::Etc::SourceList=$APTDIR/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$APTDIR/lists"
	-o "Dir::Cache=$APTDIR/cache"
	-o "APT::Architectures::=amd64"
	-o "Acquire::Languages=none"
	-o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
	-o "APT::Sandbox::User=root"
)

write_sources() {
	local key=/usr/share/keyrings/debian-archive-keyring.gpg
	local mirror=${AMD_GA_DEBIAN_MIRROR:-http://deb.debian.org}
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
	cat > "$APTDIR/sources.list.new" <<-EOF
	# amd-ga's private sources: only for fetching kernel trees; never used
	# to install anything. See scripts/fetch-kernels.sh.
	deb [signed-by=$key] $mirror/debian bullseye main
	deb [signed-by=$key] $mirror/debian-security bullseye-security main
	deb [signed-by=$key] $mirror/debian-security bookworm-security main
	deb [signed-by=$key] $mirror/debian trixie main
	deb [signed-by=$key] $mirror/debian-security trixie-security main
	deb [signed-by=$key] $mirror/debian sid main
	deb-src [signed-by=$key] $mirror/debian sid main
	EOF
	mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	write_sources
	log "apt-get update (private sources list in $APTDIR)"
	apt-get "${apt_opts[@]}" -qq update >&2 || die "apt-get update failed"
	apt_updated=1
}

# The version apt would pick for a package, from the private lists.
candidate() {
	apt-cache "${apt_opts[@]}" policy "$1" 2>/dev/null |
		awk '/Candidate:/ { print $2 }'
}

# The flavour's headers package for one kernel version: the package the
# linux-headers-<flavour> metapackage of that version depends on.
headers_pkg() {
	apt-cache "${apt_opts[@]}" show "linux-headers-$1=$2" 2>/dev/null |
		awk -F'[ ,]+' '/^Depends:/ {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^linux-headers-/) { print $i; exit }
		}'
}

# Download one package version into the deb cache; print the file.
fetch_deb() {
	local pkg=$1 ver=$2 f
	mkdir -p "$KCACHE/debs"
	f=$(ls "$KCACHE/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$f" ]; then
		log "apt-get download $pkg=$ver"
		(cd "$KCACHE/debs" && apt-get "${apt_opts[@]}" -qq download "$pkg=$ver" >&2) ||
			die "cannot download $pkg=$ver"
		f=$(ls "$KCACHE/debs/${pkg}_${ver//:/%3a}_"*.deb | head -n 1)
	fi
	echo "$f"
}

# Extract linux-source-SERIES=VER once; print the tree.
extract_source() {
	local series=$1 ver=$2 deb dir tmp
	dir=$KCACHE/src/linux-source-$ver
	if [ -f "$dir/.amd-ga-extracted" ]; then echo "$dir"; return; fi
	deb=$(fetch_deb "linux-source-$series" "$ver")
	log "extracting linux-source-$series $ver"
	tmp=$KCACHE/src/.tmp-$ver
	rm -rf "$tmp" "$dir"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/linux-source-$series.tar.xz" |
		xz -d -T"$JOBS" | tar -x -C "$tmp"
	mv "$tmp/linux-source-$series" "$dir"
	rmdir "$tmp"
	touch "$dir/.amd-ga-extracted"
	echo "$dir"
}

# Prepare TARGET's build directory (kbuild O=); a stamp records what it is.
prepare() {
	local target=$1 series flavour kind ver hpkg hdeb hdir src out krel suffix
	read -r series flavour kind <<< "$(target_spec "$target")"
	[ "$kind" = source ] || die "$target is not prepared from a source tree"
	out=$KCACHE/build/$target
	if [ -f "$out/.amd-ga-prepared" ] && [ -z "${AMD_GA_REFRESH:-}" ]; then
		return 0
	fi
	apt_update
	ver=$(candidate "linux-source-$series")
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		die "linux-source-$series not found in the private sources"
	hpkg=$(headers_pkg "$flavour" "$ver")
	[ -n "$hpkg" ] || die "no linux-headers-$flavour=$ver in the private sources"
	if [ -f "$out/.amd-ga-prepared" ] &&
	   grep -qx "version=$ver" "$out/.amd-ga-prepared"; then
		return 0
	fi

	src=$(extract_source "$series" "$ver")
	hdeb=$(fetch_deb "$hpkg" "$ver")
	hdir=$KCACHE/headers/${hpkg}_$ver
	if [ ! -d "$hdir" ]; then
		rm -rf "$hdir.tmp"
		mkdir -p "$hdir.tmp"
		dpkg-deb -x "$hdeb" "$hdir.tmp"
		mv "$hdir.tmp" "$hdir"
	fi
	hdir=$hdir/usr/src/$hpkg
	[ -f "$hdir/.config" ] && [ -f "$hdir/Module.symvers" ] ||
		die "$hpkg has no .config or Module.symvers"

	log "preparing $target: linux-source-$series $ver, config of $hpkg"
	rm -rf "$out"
	mkdir -p "$out"
	cp "$hdir/.config" "$out/.config"
	# Debian's kernel release, where the source version allows it, so the
	# probe cache and vermagic say which kernel a module is for.
	krel=${hpkg#linux-headers-}
	suffix=-$flavour
	[ "${krel#"${ver%%-*}"}" != "$krel" ] && suffix=${krel#"${ver%%-*}"}
	# Debian signs with keys its source package does not ship, and the
	# module BTF needs a vmlinux that a prepared tree does not have.
	"$src/scripts/config" --file "$out/.config" \
		--set-str MODULE_SIG_KEY "" \
		--set-str SYSTEM_TRUSTED_KEYS "" \
		--set-str SYSTEM_REVOCATION_KEYS "" \
		--set-str LOCALVERSION "$suffix" \
		--disable LOCALVERSION_AUTO \
		--disable DEBUG_INFO_BTF
	make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >&2
	make -s -C "$src" O="$out" ARCH=x86_64 -j"$JOBS" modules_prepare >&2
	cp "$hdir/Module.symvers" "$out/Module.symvers"
	cat > "$out/.amd-ga-prepared" <<-EOF
	target=$target
	version=$ver
	headers=$hpkg
	source=$src
	release=$(cat "$out/include/config/kernel.release")
	EOF
	log "prepared $target in $out ($(cat "$out/include/config/kernel.release"))"
}

# Another copy of TARGET's source (6.12's for 6.12-rt), under
# $KCACHE/WHERE: "kunit-src" for KUnit (the overlay edits the tree it
# runs in, and the matrix must build against an unmodified one: the
# overlay's include/linux/amd-ga.h would shadow the project's), or
# "pristine-src" for the backport series, which must never be written.
# Print the tree.
extract_src() {
	local target=${1%-rt} where=$2 series ver deb dir tmp
	prepare "$target"
	series=$target
	ver=$(sed -n 's/^version=//p' "$KCACHE/build/$target/.amd-ga-prepared")
	dir=$KCACHE/$where/linux-source-$series
	if [ -f "$dir/.amd-ga-extracted" ] &&
	   grep -qx "version=$ver" "$dir/.amd-ga-extracted"; then
		echo "$dir"
		return
	fi
	deb=$(fetch_deb "linux-source-$series" "$ver")
	log "extracting linux-source-$series $ver into $where"
	tmp=$KCACHE/$where/.tmp-$series
	rm -rf "$tmp" "$dir"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/linux-source-$series.tar.xz" |
		xz -d -T"$JOBS" | tar -x -C "$tmp"
	mv "$tmp/linux-source-$series" "$dir"
	rmdir "$tmp"
	echo "version=$ver" > "$dir/.amd-ga-extracted"
	echo "$dir"
}

# A Debian headers package as apt would install it, but only extracted
# (installing linux-headers-6.12.*+deb12-amd64 on bookworm pulls in its
# kernel image): the flavour package, its -common package and its
# linux-kbuild, unpacked into one root whose relative links then resolve;
# the one absolute include in its Makefile is pointed into that root.
# SERIES FLAVOUR is e.g. 6.12 rt-amd64 (bookworm's metapackage
# linux-headers-6.12-rt-amd64); print KDIR.
debian_headers() {
	local series=$1 flavour=${2:-amd64} meta ver hpkg root deps p deb resolved
	meta=linux-headers-$series-$flavour
	resolved=$KCACHE/headers-root/.resolved-$series-$flavour
	if [ -f "$resolved" ] && [ -z "${AMD_GA_REFRESH:-}" ]; then
		hpkg=$(cat "$resolved")
		root=$KCACHE/headers-root/$hpkg
		if [ -f "$root/.amd-ga-extracted" ]; then
			echo "$root/usr/src/$hpkg"
			return
		fi
	fi
	apt_update
	ver=$(candidate "$meta")
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no $meta in the private sources"
	hpkg=$(headers_pkg "$series-$flavour" "$ver")
	[ -n "$hpkg" ] || die "$meta=$ver names no headers package"
	root=$KCACHE/headers-root/$hpkg
	if [ ! -f "$root/.amd-ga-extracted" ]; then
		deps=$(apt-cache "${apt_opts[@]}" show "$hpkg=$ver" |
			awk -F'[ ,]+' '/^Depends:/ {
				for (i = 2; i <= NF; i++)
					if ($i ~ /^linux-(headers-.*-common|kbuild-)/) print $i
			}')
		rm -rf "$root"
		mkdir -p "$root"
		for p in "$hpkg" $deps; do
			deb=$(fetch_deb "$p" "$ver")
			dpkg-deb -x "$deb" "$root"
		done
		sed -i "s|^include /usr/src/|include $root/usr/src/|" \
			"$root/usr/src/$hpkg/Makefile"
		touch "$root/.amd-ga-extracted"
		log "extracted $hpkg $ver into $root"
	fi
	echo "$hpkg" > "$resolved"
	echo "$root/usr/src/$hpkg"
}

# Kernels from 6.15 on reject a sparse that does not know
# __typeof_unqual__ (scripts/checker-valid.sh), and bookworm's 0.6.4 does
# not. Build sid's sparse from its source package once; print its path.
ensure_sparse() {
	local ver dir tmp
	dir=$(ls -d "$KCACHE"/tools/sparse-*/ 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$dir" ] && [ -x "$dir/sparse" ] && [ -z "${AMD_GA_REFRESH:-}" ]; then
		echo "${dir%/}/sparse"
		return
	fi
	apt_update
	ver=$(apt-cache "${apt_opts[@]}" showsrc sparse |
		awk '/^Version:/ { print $2 }' | sort -V | tail -n 1)
	[ -n "$ver" ] || die "no sparse source package in the private sources"
	dir=$KCACHE/tools/sparse-$ver
	if [ ! -x "$dir/sparse" ]; then
		log "building sparse $ver from Debian's source package"
		tmp=$KCACHE/tools/.tmp-sparse
		rm -rf "$tmp" "$dir"
		mkdir -p "$tmp"
		(cd "$tmp" && apt-get "${apt_opts[@]}" -qq --download-only source "sparse=$ver" >&2) ||
			die "cannot download the sparse source package"
		tar -C "$tmp" -xf "$tmp"/sparse_*.orig.tar.*
		make -s -C "$tmp"/sparse-*/ -j"$JOBS" sparse >&2
		mkdir -p "$dir"
		cp "$tmp"/sparse-*/sparse "$dir/sparse"
		rm -rf "$tmp"
	fi
	echo "$dir/sparse"
}

# The installed bookworm 6.1 headers (make deps installs them).
kdir_61() {
	ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1 || true
}

kdir_of() {
	local series flavour kind d spec
	spec=$(spec_of "$1") || exit 1
	read -r series flavour kind <<< "$spec"
	case $kind in
	installed)
		d=$(kdir_61)
		[ -n "$d" ] || die "linux-headers-6.1 (amd64) is not installed: run 'make deps'"
		echo "$d"
		;;
	headers)
		debian_headers "$series" "$flavour"
		;;
	source)
		echo "$KCACHE/build/$1"
		;;
	esac
}

case ${1:-} in
--list)
	echo "$ALL_TARGETS"
	exit 0
	;;
--kdir)
	kdir_of "${2:?--kdir TARGET}"
	exit 0
	;;
--kunit-src | --pristine-src)
	t=${2:?$1 TARGET}
	# 6.1 is bookworm's installed linux-source: kunit.sh and lib.sh's
	# ensure_ksrc_61_pristine extract it themselves.
	[ "$t" = 6.1 ] && die "$1 6.1: the installed linux-source-6.1 serves"
	target_spec "$t" > /dev/null || die "unknown target $t"
	extract_src "$t" "${1#--}"
	exit 0
	;;
--debian-headers)
	debian_headers "${2:?--debian-headers SERIES [FLAVOUR]}" "${3:-amd64}"
	exit 0
	;;
--sparse)
	ensure_sparse
	exit 0
	;;
--src)
	t=${2:?--src TARGET}
	spec=$(spec_of "$t") || exit 1
	read -r _ _ kind <<< "$spec"
	[ "$kind" = source ] || die "$t is a headers package, not a source tree"
	sed -n 's/^source=//p' "$KCACHE/build/$t/.amd-ga-prepared"
	exit 0
	;;
esac

targets=${*:-$ALL_TARGETS}
for t in $targets; do
	spec=$(spec_of "$t") || exit 1
	read -r _ _ kind <<< "$spec"
	if [ "$kind" = source ]; then
		prepare "$t"
	else
		kdir_of "$t" > /dev/null
	fi
done
