# SPDX-License-Identifier: GPL-2.0-only
# Common settings for amd-ga's scripts. Source it; do not run it.

AMD_GA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AMD_GA_CACHE=${AMD_GA_CACHE:-/var/cache/amd-ga}
KSRC_61=${KSRC_61:-$AMD_GA_CACHE/linux-source-6.1}
# The same source as Debian ships it: KUnit overlays amd-ga into KSRC_61,
# the backport series applies to this one, which nothing writes.
KSRC_61_PRISTINE=${KSRC_61_PRISTINE:-$AMD_GA_CACHE/pristine/linux-source-6.1}

# What a lockdep, KASAN, UBSAN, WARN, BUG or stall report starts with.
KERNEL_SPLATS=${KERNEL_SPLATS:-'BUG:|WARNING:|KASAN:|UBSAN:|possible circular locking|inconsistent lock state|possible recursive locking|sleeping function called from invalid context|Invalid wait context|Kernel panic|general protection fault|Oops:|RCU detected stall|rcu_preempt detected stall|soft lockup'}

log() { printf '[amd-ga] %s\n' "$*" >&2; }
die() { printf '[amd-ga] error: %s\n' "$*" >&2; exit 1; }

# The newest Debian amd64 headers tree installed, or the running kernel's.
default_kdir() {
	local d
	d=/lib/modules/$(uname -r)/build
	if [ -d "$d" ]; then echo "$d"; return; fi
	ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1
}

# The newest installed Debian 6.1 amd64 headers tree (empty if none). Its
# ABI moves with every security update: never name one in a script.
debian_61_kdir() {
	ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1
}

# Extract linux-source-6.1 once into the cache.
ensure_ksrc_61() {
	[ -f "$KSRC_61/Makefile" ] && return 0
	local tarball
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || die "linux-source-6.1 is not installed: run 'make deps'"
	log "extracting $tarball into $AMD_GA_CACHE (once)"
	mkdir -p "$AMD_GA_CACHE"
	tar -C "$AMD_GA_CACHE" -xf "$tarball"
}

# Extract linux-source-6.1 once more, untouched, for the backport series.
ensure_ksrc_61_pristine() {
	[ -f "$KSRC_61_PRISTINE/Makefile" ] && return 0
	local tarball dir
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || die "linux-source-6.1 is not installed: run 'make deps'"
	dir=$(dirname "$KSRC_61_PRISTINE")
	log "extracting $tarball into $dir (once, never modified)"
	mkdir -p "$dir"
	tar -C "$dir" -xf "$tarball"
}

# backport_pristine KVER: print the untouched Debian linux-source tree of
# a kernel the backport series supports: 6.1 from make deps, any other
# fetched from the archive into the cache (scripts/fetch-kernels.sh).
backport_pristine() {
	if [ "$1" = 6.1 ]; then
		(ensure_ksrc_61_pristine) >&2 || return 1
		echo "$KSRC_61_PRISTINE"
	else
		"$AMD_GA_ROOT/scripts/fetch-kernels.sh" --pristine-src "$1"
	fi
}

# result NAME [WHY]: print "PASS NAME", or "FAIL NAME" and WHY indented on
# stderr; a failure adds one to $failed (the caller's exit status).
failed=${failed:-0}
result() {
	local name=$1 why=${2:-}

	if [ -z "$why" ]; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		printf '%s\n' "$why" | sed 's/^/    /' >&2
		failed=$((failed + 1))
	fi
}

# The compiler cache of the backport kernels, under the cache directory.
# Depend mode: a miss compiles once instead of preprocessing first (kbuild
# passes -Wp,-MMD, which ccache takes as its dependency file).
ccache_env() {
	export CCACHE_DIR=${CCACHE_DIR:-$AMD_GA_CACHE/ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
	export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
}
