#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make backport-nested: a VFIO-assigned NIC in a nested guest. The kernel
# of make backport-boot (Debian's 6.1, or 6.12 with BACKPORT_KVER=6.12,
# with the amd-ga series) boots as L1
# on QEMU q35 under TCG (-cpu EPYC,+svm, QEMU's AMD IOMMU with interrupt
# remapping, two e1000e on one QEMU hub); L1 loads kvm_amd, binds the
# e1000e with MAC 52:54:00:00:00:01 to vfio-pci and starts L2 (QEMU inside
# L1, -accel kvm, -device vfio-pci) while the other e1000e stays L1's.
# Checks ("PASS <name>" / "FAIL <name>", reasons on stderr):
#   nested-l2-e1000e-link  e1000e binds in L2 and the link comes up
#   nested-l2-ping         L2's IPv6 link-local pings to L1's other NIC are
#                          all answered (no IPv4, only the QEMU hub)
#   nested-l1-vfio-msix    L1's vfio-msix interrupts count up during them
#   nested-l1-irtes        amd-ga's debugfs in L1 (amd-ga/host/irtes) has
#                          exactly one enabled IRTE for every vfio-msix IRQ
#                          that fired: the NIC's device ID, mode remapped,
#                          the IRQ's vector (/sys/kernel/debug/irq/irqs/N)
#                          and the destination ID of its effective CPU
#                          (the APIC ID; with 2 CPUs 6.1 uses the "flat"
#                          APIC driver, logical mode: the ID is 1 << cpu;
#                          6.12 "physical flat": the APIC ID) and that
#                          mode, if the debugfs lists it
#   nested-l1-irtes-gone   after L2 exits and the NIC is unbound from
#                          vfio-pci, none of those IRTEs is left enabled
#                          (no remapped/guest line with their IRQ numbers
#                          or their device ID and index)
#   nested-clean-log       no kernel report in L1's log (lib.sh's list and
#                          backport-boot.sh's few more)
# TCG has no AVIC: kvm_amd runs with avic=0 (it is asked for avic=1),
# L2's interrupts are injected by KVM and guest-mode (posted) IRTEs cannot
# be shown here; the log says so next to kvm_amd's avic parameter.
# The guests' /init: scripts/backport/nested-l1-init, nested-l2-init.
#
# env: NESTED_KERNEL=<bzImage>|stock  the L1 (and L2) kernel instead of the
#                     backport kernel; "stock": Debian's own 6.1 image of
#                     the installed headers' ABI (apt-get download, cached)
#      NESTED_MODULES=<dir>  its modules: <dir>/lib/modules/<release>/
#      NESTED_L2_KERNEL=<bzImage> another L2 kernel (default: L1's, with
#                     e1000e.ko from NESTED_MODULES when not built in)
#      BACKPORT_KVER=6.12    Debian's 6.12 and its series instead of 6.1
#                     (scripts/backport-kernel.sh), as make backport-boot
#      BACKPORT_SKIP_BUILD=1 use the backport kernel built last time
#                     (default: scripts/backport-kernel.sh first, as make
#                     backport-boot does)
#      NESTED_TIMEOUT    L1's whole run, default 480 s
#      NESTED_L2_TIMEOUT L2's QEMU inside L1, default 300 s
#      NESTED_L1_APPEND, NESTED_L2_APPEND  more kernel parameters (to
#                        make checks fail on purpose, e.g. amd_ga.host=0
#                        or nested_sysrq=l for L1, pci=nomsi for L2)
#      NESTED_L2_FIRST_APPEND  more L2 kernel parameters for L2's first
#                        start only (to show the retry of an L2 that was
#                        reset before its /init, e.g. "init=/none
#                        rdinit=/none" makes that first boot panic)
#      NESTED_L1_MEM     default 2G
#      NESTED_EVAL_LOG=<serial log>  only the verdicts on an earlier run's
#                        log ($AMD_GA_CACHE/run/.../backport-nested/)
# The L1 initramfs (QEMU, its libraries and firmware, busybox, modules, the
# L2 kernel and initramfs; about 70 MB) is kept under
# $AMD_GA_CACHE/nested/, named by a hash of its inputs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/initramfs/host-lib.sh"

BP=${BACKPORT_DIR:-$AMD_GA_CACHE/backport-${BACKPORT_KVER:-6.1}}
NCACHE=$AMD_GA_CACHE/nested
timeout_s=${NESTED_TIMEOUT:-480}
l2_timeout=${NESTED_L2_TIMEOUT:-300}
t_start=$SECONDS
failed=0

ALL_CHECKS="nested-l2-e1000e-link nested-l2-ping nested-l1-vfio-msix nested-l1-irtes nested-l1-irtes-gone nested-clean-log"
# Setup went wrong: every check fails with the reason.
fail_all() {
	local c

	for c in $ALL_CHECKS; do
		result "$c" "$1"
	done
	exit 1
}

for t in qemu-system-x86_64 cpio modprobe depmod ldd sha256sum; do
	command -v $t >/dev/null || fail_all "$t not found: run 'make deps'"
done
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || fail_all "$busybox not found: run 'make deps' (busybox-static)"
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	fail_all "$busybox is dynamically linked: install busybox-static ('make deps')"
fi

# --- the checks -------------------------------------------------------------

# Read L1's serial log $LOG (QEMU's status $rc) and print the verdicts.
evaluate() {
	# L1's lines ("AMD_GA_L1 " stripped), L2's ("AMD_GA_L2 " stripped).
	l1() { sed -n 's/^\(AMD_GA\|NESTED\)_L1 //p' "$LOG"; }
	l2() { sed -n 's/^NESTED_L1 L2LOG AMD_GA_L2 //p' "$LOG"; }
	L1=$(l1)
	L2=$(l2)

	# Why L1 may not have said something.
	trouble() {
		grep -q '^AMD_GA_INIT' "$LOG" || { echo "L1 never ran /init (status $rc, log $LOG)"; return; }
		grep '^STEP .* fail' <<<"$L1" | sed 's/^STEP /L1 step /'
		case $rc in
		124) echo "L1 did not finish within $timeout_s s (log $LOG)" ;;
		125|126) echo "L1 or its QEMU stopped early, status $rc (log $LOG)" ;;
		esac
		grep -q '^L2LOG AMD_GA_L2 INIT' <<<"$L1" || {
			echo "L2 never ran its /init; L1's QEMU said:"
			sed -n 's/^L2QEMU /    /p' <<<"$L1" | head -n 10
		}
	}

	# MESSAGE, and what trouble() says if anything.
	with_trouble() {
		local t

		t=$(trouble)
		printf '%s%s' "$1" "${t:+$'\n'$t}"
	}

	avic=$(sed -n 's/^AVIC //p' <<<"$L1")
	if [ -n "$avic" ]; then
		log "backport-nested: kvm_amd in L1: $avic"
		log "backport-nested: TCG's SVM has no AVIC, so kvm_amd runs with avic=0 and KVM injects L2's"
		log "backport-nested: interrupts: the IRTEs stay remapped, guest mode (IOMMU posting) is not reached"
		log "backport-nested: and cannot be shown here (QEMU 7.2's amd-iommu has no GA mode either)"
	fi
	case $(sed -n 's/^APIC routing=//p' <<<"$L1") in
	flat) log "backport-nested: L1's APIC driver is flat (2 CPUs): logical destination mode, an IRTE's destination is the CPU's logical ID 1 << cpu" ;;
	'') ;;
	*) log "backport-nested: L1's APIC driver: $(sed -n 's/^APIC routing=//p' <<<"$L1" | tr _ ' ')" ;;
	esac
	retry=$(sed -n 's/^L2 RETRY: //p' <<<"$L1")
	if [ -n "$retry" ]; then
		log "backport-nested: note: L2 was started twice; the first time $retry"
		sed -n 's/^L2BOOT1 LOG /    /p' <<<"$L1" | grep -v '^ *$' | tail -n 5 >&2
	fi
	step_detail=$(sed -n 's/^STEP \([^ ]*\) ok /\1: /p' <<<"$L1")
	[ -z "$step_detail" ] || printf '%s\n' "$step_detail" | sed 's/^/[amd-ga] backport-nested: L1 /' >&2

	# 1. e1000e binds in L2 and the link comes up.
	why=
	bound=$(sed -n 's/^BOUND //p' <<<"$L2" | head -n 1)
	link=$(sed -n 's/^LINK //p' <<<"$L2" | head -n 1)
	if [ -z "$bound" ]; then
		why=$(with_trouble "L2 reported no e1000e binding")
	else
		set -- $bound
		[ "${3:-}" = e1000e ] || why="L2: no interface bound to e1000e (BOUND $bound)"
		case $link in
		up\ *) log "backport-nested: L2: $1 ($2) bound to e1000e, link up after ${link##* } s" ;;
		'') why=$(with_trouble "${why:+$why$'\n'}L2 did not report its link") ;;
		*) why="${why:+$why$'\n'}L2: link $link (no carrier within 30 s)" ;;
		esac
	fi
	result nested-l2-e1000e-link "$why"

	# 2. IPv6 link-local pings from L2 to L1's other NIC, all answered.
	why=
	ping=$(sed -n 's/^PING //p' <<<"$L2" | head -n 1)
	go=$(sed -n 's/^GO //p' <<<"$L2" | head -n 1)
	[ "$go" = yes ] || log "backport-nested: L2 did not get L1's go (${go:-nothing}): the vfio-msix counts before the pings may include some of them"
	if [ -z "$ping" ]; then
		why=$(with_trouble "L2 did not ping")
	else
		set -- $ping
		case $3 in
		fe80:*) ;;
		*) why="the peer '$3' is not an IPv6 link-local address" ;;
		esac
		if [ "$1" -gt 0 ] 2>/dev/null && [ "$2" = "$1" ]; then
			log "backport-nested: L2: $2 of $1 pings to $3 answered"
		else
			why="${why:+$why$'\n'}L2: $2 of $1 pings to $3 answered:"$'\n'"$(sed -n 's/^PINGOUT /    /p' <<<"$L2")"
		fi
	fi
	result nested-l2-ping "$why"

	# IRQ lines of a phase: "irq count vector cpu apicid destid name".
	irqs_of() { sed -n "s/^IRQ $1 //p" <<<"$L1"; }
	irtes_of() { sed -n "s/^IRTES $1 //p" <<<"$L1"; }
	sum_of() { awk '{ s += $2 } END { print s + 0 }'; }

	# 3. L1's vfio-msix interrupts count up while L2 pings.
	why=
	lk=$(irqs_of linkup) pg=$(irqs_of pinged)
	if ! grep -q '^IRQ pinged\|^STEP l2-run ok' <<<"$L1"; then
		why=$(with_trouble "L1 has no vfio-msix counts from after L2's pings")
	elif [ -z "$pg" ]; then
		why="no vfio-msix line in L1's /proc/interrupts while L2 ran (L2's e1000e without MSI-X?)"
	else
		s0=$(sum_of <<<"$lk") s1=$(sum_of <<<"$pg")
		detail=$(awk '{ printf "%s%s IRQ %s: %s", (NR > 1 ? "; " : ""), $7, $1, $2 }' <<<"$pg")
		if [ "$s1" -gt "$s0" ]; then
			log "backport-nested: L1 vfio-msix: $s0 at L2's link-up, $s1 after its pings ($detail)"
		else
			why="L1's vfio-msix counts did not rise: $s0 at L2's link-up, $s1 after its pings ($detail)"
		fi
	fi
	result nested-l1-vfio-msix "$why"

	# 4. An IRTE of amd-ga for every vfio-msix IRQ that fired.
	why=
	served=
	nic_devid=$(sed -n 's/^NIC assigned [^ ]* [^ ]* \([^ ]*\) .*/\1/p' <<<"$L1")
	if [ -z "$pg" ]; then
		why="no vfio-msix IRQ to look up (see nested-l1-vfio-msix)"
	elif [ "$(irtes_of pinged)" = none ]; then
		why="L1 has no /sys/kernel/debug/amd-ga/host/irtes (a kernel without the amd-ga series?)"
	else
		routing=$(sed -n 's/^APIC routing=//p' <<<"$L1" | tr _ ' ')
		case $routing in
		flat) dm=logical ;;
		*) dm=phys ;;
		esac
		n=0
		while read -r irq count vec cpu apic dest name; do
			[ "$count" -gt 0 ] || continue
			n=$((n + 1))
			# The enabled IRTEs naming this IRQ: they served it, whatever
			# they say (check 5 wants them gone); exactly one must match.
			lines=$(irtes_of pinged | awk -v i="$irq" '$4 == i && ($6 == "remapped" || $6 == "guest")')
			[ -z "$lines" ] || served="$served$(awk '{ print $4, $2, $3 }' <<<"$lines")"$'\n'
			if [ "$vec" = - ] || [ "$cpu" = - ]; then
				why="${why:+$why$'\n'}IRQ $irq ($name): L1 shows no vector ('$vec') or effective CPU ('$cpu'; CONFIG_GENERIC_IRQ_DEBUGFS?)"
				continue
			fi
			if [ "$dest" = - ]; then
				why="${why:+$why$'\n'}IRQ $irq ($name): no destination ID known for CPU $cpu (APIC ID $apic) under APIC routing '${routing:-?}'"
				continue
			fi
			if [ -z "$lines" ]; then
				why="${why:+$why$'\n'}IRQ $irq ($name, $count interrupts): no enabled IRTE in amd-ga/host/irtes"
				continue
			fi
			if [ "$(wc -l <<<"$lines")" -gt 1 ]; then
				why="${why:+$why$'\n'}IRQ $irq ($name): $(wc -l <<<"$lines") enabled IRTEs name it (stale ones left behind?):"$'\n'"$lines"
				continue
			fi
			line=$lines
			set -- $line
			# A ninth field, when the debugfs has it, is the
			# destination mode, which the APIC driver decides.
			if [ "$6" != remapped ] || [ $(($7)) -ne "$vec" ] || [ $(($8)) -ne "$dest" ] ||
			   [ $(($2)) -ne $((${nic_devid:-0})) ] || [ "${9:-$dm}" != "$dm" ]; then
				why="${why:+$why$'\n'}IRQ $irq ($name): IRTE '$line', but L1 has devid ${nic_devid:-?} mode remapped vector $(printf 0x%02x "$vec") dest $(printf 0x%x "$dest") $dm (CPU $cpu, APIC ID $apic, APIC routing '$routing')"
				continue
			fi
			log "backport-nested: IRQ $irq ($name, CPU $cpu): IRTE $line"
		done <<<"$pg"
		[ $n -gt 0 ] || why="no vfio-msix IRQ fired while L2 ran"
	fi
	result nested-l1-irtes "$why"

	# 5. After L2's exit and the unbind, none of the IRTEs that were enabled
	#    for a vfio-msix IRQ that fired is enabled, by IRQ number or by slot.
	why=
	if [ -z "$served" ]; then
		why="no enabled IRTE named L2's vfio-msix IRQs (see nested-l1-irtes): nothing to see go"
	elif ! grep -q '^STEP vfio-unbind ok' <<<"$L1"; then
		why=$(with_trouble "L1 did not unbind the NIC from vfio-pci")
	elif [ "$(irtes_of unbound)" = none ]; then
		why="no amd-ga/host/irtes after the unbind"
	else
		left=
		while read -r line; do
			set -- $line
			case ${6:-} in remapped|guest) ;; *) continue ;; esac
			while read -r sirq sdev sidx; do
				[ -n "$sirq" ] || continue
				if [ "$4" = "$sirq" ] || { [ $(($2)) -eq $((sdev)) ] && [ "$3" = "$sidx" ]; }; then
					left="$left$line"$'\n'
					break
				fi
			done <<<"$served"
		done < <(irtes_of unbound)
		if [ -n "$left" ]; then
			why="still enabled after the unbind (irtes lines):"$'\n'"${left%$'\n'}"
		else
			log "backport-nested: after the unbind none of the IRTEs of IRQ(s) $(awk 'NF { print $1 }' <<<"$served" | sort -un | paste -sd ' ') is enabled"
		fi
	fi
	result nested-l1-irtes-gone "$why"

	# 6. No kernel report in L1's log: its boot messages and its dmesg dump
	#    (L2's console and QEMU's messages, quoted by L1, are not L1's).
	why=
	SPLATS="$KERNEL_SPLATS|Call Trace:|suspicious RCU usage|hung_task|blocked for more than|list_(add|del) corruption|refcount_t:|kernel BUG|Unable to handle|unexpected IRQ trap"
	if ! grep -q '^NESTED_DMESG ' "$LOG"; then
		why="no kernel log dump from L1: $(trouble)"
	fi
	dl=$(sed -n 's/^AMD_GA_DEBUG_LOCKS //p' "$LOG")
	[ -z "$dl" ] || [ "$dl" = 1 ] || why="${why:+$why$'\n'}lockdep was turned off by a report (debug_locks $dl)"
	# The one "WARNING:" that is advice, not a report: the SRSO mitigation's
	# note on a CPU model whose microcode (TCG's) lacks the IBPB extension.
	splats=$(grep -a -v '^NESTED_L1 \(L2LOG\|L2QEMU\|L2BOOT1\) ' "$LOG" | grep -a -E "$SPLATS" |
		grep -a -v 'Speculative Return Stack Overflow: WARNING: See https://' | head -n 20)
	[ -z "$splats" ] || why="${why:+$why$'\n'}kernel reports in L1's log ($LOG):"$'\n'"$splats"
	l2splats=$(grep -a '^NESTED_L1 L2LOG ' "$LOG" | grep -a -E "$SPLATS" |
		grep -a -v 'Speculative Return Stack Overflow: WARNING: See https://' | head -n 5)
	[ -z "$l2splats" ] || log "backport-nested: note: L2's own log has kernel reports (not counted):"$'\n'"$l2splats"
	result nested-clean-log "$why"
}

# Only the verdicts on a log of an earlier run (for reading or
# changing the checks without booting anything).
if [ -n "${NESTED_EVAL_LOG:-}" ]; then
	LOG=$NESTED_EVAL_LOG rc=0
	evaluate
	exit $((failed > 0))
fi

# --- the kernel -----------------------------------------------------------

# Debian's own 6.1 image (the installed headers' ABI), kernel and modules,
# unpacked once under the cache: the stock baseline.
fetch_stock() {
	local kdir abi version dir tmp deb pkg

	kdir=$(debian_61_kdir)
	[ -n "$kdir" ] || die "no linux-headers-6.1.*-amd64 installed: run 'make deps'"
	abi=$(basename "$(readlink -f "$kdir")" | sed 's/^linux-headers-//')
	version=$(dpkg-query -W -f '${Version}' "linux-headers-$abi" 2>/dev/null || true)
	dir=$NCACHE/stock/$abi${version:+_$version}
	if [ ! -f "$dir/.complete" ]; then
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/amd-ga-nested-stock.XXXXXX")
		chmod 0755 "$tmp"
		id _apt >/dev/null 2>&1 && chown _apt "$tmp" 2>/dev/null
		for pkg in "linux-image-$abi-unsigned${version:+=$version}" "linux-image-$abi${version:+=$version}"; do
			(cd "$tmp" && apt-get download -q "$pkg") >&2 && break
		done
		deb=$(ls "$tmp"/linux-image-*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || { rm -rf "$tmp"; die "cannot download linux-image-$abi"; }
		log "backport-nested: unpacking $(basename "$deb") (boot/, lib/modules/)"
		rm -rf "$dir"
		mkdir -p "$dir"
		dpkg-deb --fsys-tarfile "$deb" | tar -C "$dir" -x ./boot ./lib/modules ||
			{ rm -rf "$tmp"; die "cannot unpack $deb"; }
		rm -rf "$tmp"
		depmod -b "$dir" "$abi" || die "depmod failed in $dir"
		basename "$deb" > "$dir/.complete"
	fi
	STOCK_KERNEL=$dir/boot/vmlinuz-$abi
	STOCK_MODULES=$dir
}

kernel_desc=
case ${NESTED_KERNEL:-} in
'')
	if [ "${BACKPORT_SKIP_BUILD:-0}" != 1 ]; then
		t=$SECONDS
		"$AMD_GA_ROOT/scripts/backport-kernel.sh" >&2 ||
			fail_all "the backport kernel did not build (scripts/backport-kernel.sh)"
		log "backport-nested: kernel ready in $((SECONDS - t)) s"
	fi
	KERNEL=$BP/build/arch/x86/boot/bzImage
	MODROOT=$BP/modroot
	# A build of that tree must not change the files while we copy them.
	if [ -d "$BP" ]; then
		exec 9> "$BP/lock"
		if ! flock -s -n 9; then
			log "backport-nested: a build of the backport kernel is running; waiting for it"
			flock -s 9
		fi
	fi
	[ -f "$KERNEL" ] && [ -f "$BP/build-info" ] ||
		fail_all "no backport kernel at $KERNEL: run scripts/backport-kernel.sh"
	kernel_desc="backport kernel $(tr '\n' ' ' < "$BP/build-info")"
	;;
stock)
	fetch_stock
	KERNEL=$STOCK_KERNEL
	MODROOT=${NESTED_MODULES:-$STOCK_MODULES}
	kernel_desc="Debian's stock $(basename "$KERNEL") (no amd-ga: its debugfs checks fail)"
	;;
*)
	KERNEL=$NESTED_KERNEL
	MODROOT=${NESTED_MODULES:-}
	[ -f "$KERNEL" ] || fail_all "NESTED_KERNEL=$KERNEL: no such file"
	[ -n "$MODROOT" ] || fail_all "NESTED_KERNEL needs NESTED_MODULES=<dir with lib/modules/<release>>"
	kernel_desc="$KERNEL"
	;;
esac
release=$(ls "$MODROOT/lib/modules" 2>/dev/null | head -n 2)
[ -n "$release" ] && [ "$(echo "$release" | wc -l)" = 1 ] ||
	fail_all "want exactly one release under $MODROOT/lib/modules, found: ${release:-none}"
[ -f "$MODROOT/lib/modules/$release/modules.dep" ] ||
	fail_all "no modules.dep under $MODROOT/lib/modules/$release (run depmod -b $MODROOT $release)"
L2_KERNEL=${NESTED_L2_KERNEL:-$KERNEL}
log "backport-nested: L1 kernel: $kernel_desc"
log "backport-nested: modules $MODROOT/lib/modules/$release"

# modules NAME[=ARGS]...: the .ko files that load NAMEs, in order, one
# "path args" line each (nothing for a built-in one); this machine's
# modprobe.d is not read.
modules() {
	local spec name args out line seen=" "

	for spec in "$@"; do
		name=${spec%%=*} args=
		[ "$name" = "$spec" ] || args=${spec#*=}
		out=$(modprobe -C /dev/null -d "$MODROOT" -S "$release" --show-depends "$name" 2>&1) ||
			{ echo "ERROR $name: $out"; continue; }
		while read -r line; do
			case $line in
			insmod\ *)
				line=${line#insmod }
				line=${line%% *}
				case $seen in *" $line "*) continue ;; esac
				seen="$seen$line "
				if [ "$(basename "$line" .ko)" = "$(basename "$line")" ]; then
					echo "ERROR $line: compressed modules are not supported"
				elif [ "$(basename "$line" .ko | tr - _)" = "$name" ]; then
					echo "$line $args"
				else
					echo "$line"
				fi ;;
			builtin\ *) ;;
			esac
		done <<<"$out"
	done
}
l1_mods=$(modules e1000e irqbypass kvm kvm_amd=avic=1 vfio vfio_iommu_type1 vfio_pci)
l2_mods=$(modules e1000e)
if grep -q '^ERROR' <<<"$l1_mods"$'\n'"$l2_mods"; then
	fail_all "modules missing in $MODROOT/lib/modules/$release:"$'\n'"$(grep '^ERROR' <<<"$l1_mods"$'\n'"$l2_mods")"
fi

# --- the L1 initramfs -------------------------------------------------------

# Every file the L1 initramfs holds, "destination source" per line; the
# L2 initramfs inside it is built from the "l2:" ones.
manifest() {
	local lib f

	echo "bin/busybox $busybox"
	echo "init $AMD_GA_ROOT/scripts/backport/nested-l1-init"
	f=$(command -v qemu-system-x86_64)
	echo "usr/bin/qemu-system-x86_64 $f"
	ldd "$f" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | while read -r lib; do
		echo "${lib#/} $lib"
	done
	for f in $(find /usr/share/qemu /usr/share/seabios \( -type f -o -type l \) | LC_ALL=C sort); do
		[ -e "$f" ] && echo "${f#/} $f"
	done
	while read -r f _; do
		[ -n "$f" ] && echo "nested/l1-modules/$(basename "$f") $f"
	done <<<"$l1_mods"
	echo "nested/l2/bzImage $L2_KERNEL"
	echo "l2:bin/busybox $busybox"
	echo "l2:init $AMD_GA_ROOT/scripts/backport/nested-l2-init"
	while read -r f _; do
		[ -n "$f" ] && echo "l2:modules/$(basename "$f") $f"
	done <<<"$l2_mods"
}
# The order files, as written into the archives.
order_of() {
	local f args

	while read -r f args; do
		[ -n "$f" ] && echo "$(basename "$f")${args:+ $args}"
	done <<<"$1"
}

# pack_tree DIR OUT: DIR as a newc archive.
pack_tree() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$2"
}

# stage DIR PREFIX: copy the manifest entries with PREFIX ("" or "l2:").
stage() {
	local dir=$1 prefix=$2 dest src

	while read -r dest src; do
		case $prefix in
		'') case $dest in l2:*) continue ;; esac ;;
		*) case $dest in "$prefix"*) dest=${dest#"$prefix"} ;; *) continue ;; esac ;;
		esac
		mkdir -p "$dir/$(dirname "$dest")"
		# Libraries are links to their versioned files: copy the file.
		cp -L "$src" "$dir/$dest" || return 1
	done <<<"$MANIFEST"
	mkdir -p "$dir"/{dev,proc,sys,tmp,run}
	[ "$(id -u)" = 0 ] && mknod -m 600 "$dir/dev/console" c 5 1
	return 0
}

build_initrd() {
	local out=$1 stage_dir

	stage_dir=$(mktemp -d "${TMPDIR:-/tmp}/amd-ga-nested.XXXXXX") || return 1
	(
		set -e
		stage "$stage_dir/l1" ""
		stage "$stage_dir/l2" "l2:"
		mkdir -p "$stage_dir/l2/modules"
		order_of "$l2_mods" > "$stage_dir/l2/modules/order"
		mkdir -p "$stage_dir/l1/nested/l1-modules"
		order_of "$l1_mods" > "$stage_dir/l1/nested/l1-modules/order"
		chmod 0755 "$stage_dir/l1/init" "$stage_dir/l2/init"
		pack_tree "$stage_dir/l2" "$stage_dir/l1/nested/l2/initrd.cpio"
		pack_tree "$stage_dir/l1" "$out.tmp"
		mv "$out.tmp" "$out"
	)
	local rc=$?
	rm -rf "$stage_dir"
	return $rc
}

MANIFEST=$(manifest)
# The key: every destination with its source's content,
# and the module order files with their parameters.
key=$(
	paste -d ' ' <(cut -d ' ' -f 1 <<<"$MANIFEST") \
		<(cut -d ' ' -f 2- <<<"$MANIFEST" | xargs -d '\n' sha256sum -- | cut -c1-64)
	order_of "$l1_mods"
	order_of "$l2_mods"
	echo format 1
)
key=$(sha256sum <<<"$key" | cut -c1-16)
mkdir -p "$NCACHE"
initrd=$NCACHE/l1-$key.cpio
if [ -s "$initrd" ]; then
	log "backport-nested: L1 initramfs: cached $initrd"
	touch "$initrd"
else
	t=$SECONDS
	build_initrd "$initrd" || fail_all "cannot build the L1 initramfs"
	log "backport-nested: L1 initramfs: $initrd ($(du -m "$initrd" | cut -f1) MB, built in $((SECONDS - t)) s)"
	# Keep this one and the one before.
	ls -t "$NCACHE"/l1-*.cpio 2>/dev/null | tail -n +3 | xargs -r rm -f
fi
if [ -z "${NESTED_KERNEL:-}" ]; then
	exec 9>&-
fi

# --- the run ------------------------------------------------------------------

run=$(guest_run_dir backport-nested)
mkdir -p "$run"
LOG=$run/serial.log
QEMU_EXTRA="-cpu EPYC,+svm -m ${NESTED_L1_MEM:-2G}
	-netdev hubport,hubid=0,id=n1 -device e1000e,netdev=n1,mac=52:54:00:00:00:01
	-netdev hubport,hubid=0,id=n2 -device e1000e,netdev=n2,mac=52:54:00:00:00:02"
export QEMU_EXTRA
l2_append=$(echo "${NESTED_L2_APPEND:-}" | tr ' ' +)
l2_first=$(echo "${NESTED_L2_FIRST_APPEND:-}" | tr ' ' +)
cmdline="console=ttyS0 no_timer_check panic=-1 nested_l2_timeout=$l2_timeout${l2_append:+ nested_l2_append=$l2_append}${l2_first:+ nested_l2_first_append=$l2_first}${NESTED_L1_APPEND:+ $NESTED_L1_APPEND}"
log "backport-nested: booting L1 (at most $timeout_s s; log $LOG)"
t=$SECONDS
rc=0
"$AMD_GA_ROOT/scripts/qemu-run.sh" --timeout "$timeout_s" --progress --cmdline "$cmdline" \
	"$KERNEL" "$initrd" "$LOG" >&2 || rc=$?
log "backport-nested: L1 ended after $((SECONDS - t)) s (status $rc)"

evaluate
log "backport-nested: $failed check(s) failed in $((SECONDS - t_start)) s (log $LOG)"
[ $failed = 0 ]
