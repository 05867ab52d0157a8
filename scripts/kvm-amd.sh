#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make kvm-amd: build Debian 6.1's kvm-amd.ko with its AVIC posted-interrupt
# code on amd-ga, out of tree, against the distro headers, and link it
# against amd_ga.ko's Module.symvers.
#
#  1. amd_ga.ko is built from a copy of this tree (its Module.symvers is
#     what kvm-amd links against).
#  2. arch/x86/kvm/{*.h,svm/,mmu/*.h,vmx/*.h,kvm-asm-offsets.c} are copied
#     from the extracted linux-source-6.1 (read only) into the work
#     directory; no kernel source is kept in this repository.
#  3. The semantic patches in scripts/kvm-amd/ rewrite svm/avic.c,
#     svm/svm.c and svm/svm.h (see the comments there for what and why);
#     the resulting diff is saved next to the build.
#  4. kvm-amd.ko is built with KBUILD_EXTRA_SYMBOLS and checked: no modpost
#     warning, no undefined symbol, none of the amd_iommu_* GA entry points
#     (nor irq_set_vcpu_affinity) left, every amd_ga_* one used, amd_ga in
#     its dependencies, the vermagic of the headers.
#
# Prints PASS/FAIL lines (make check counts them) and exits non-zero on
# any failure.
#
# The result is a build proof: it links and loads against Debian's kernel
# and amd_ga.ko. On that kernel kvm.ko still offers IRQ bypass (the VFIO
# producer/consumer link that calls avic_pi_update_irte()) only when the
# built-in IOMMU driver reports IRQ_POSTING_CAP, so end-to-end posting of
# VFIO interrupts through amd-ga needs the in-tree backport.
#
# env: KVM_AMD_KDIR (headers, default Debian 6.1's), KVM_AMD_WORK (work
#      directory), KSRC_61 (the extracted linux-source-6.1)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KDIR=${KVM_AMD_KDIR:-$(debian_61_kdir)}
WORK=${KVM_AMD_WORK:-$AMD_GA_CACHE/kvm-amd}
COCCI=$AMD_GA_ROOT/scripts/kvm-amd
JOBS=${JOBS:-2}
export DEBIAN_KERNEL_NO_CC_VERSION_CHECK=1

failed=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=1; }
finish() { exit "$failed"; }

# The GA entry points of the built-in driver that kvm-amd must no longer use.
OLD_SYMS="amd_iommu_update_ga amd_iommu_activate_guest_mode
amd_iommu_deactivate_guest_mode amd_iommu_register_ga_log_notifier
irq_set_vcpu_affinity irq_remapping_cap"
# What it must use instead.
NEW_SYMS="amd_ga_update_ga amd_ga_activate_guest_mode
amd_ga_deactivate_guest_mode amd_ga_register_ga_log_notifier
amd_ga_irq_set_vcpu_affinity amd_ga_irq_posting_available"

if [ -z "$KDIR" ] || [ ! -f "$KDIR/Module.symvers" ]; then
	fail "kvm-amd-build (no Debian 6.1 headers${KDIR:+ at $KDIR}: run 'make deps')"
	finish
fi
if ! command -v spatch > /dev/null; then
	fail "kvm-amd-transform (spatch not installed: run 'make deps')"
	finish
fi
ensure_ksrc_61
mkdir -p "$WORK"

# 1. amd_ga.ko and its Module.symvers.
ga=$WORK/amd-ga
rm -rf "$ga"
mkdir -p "$ga"
cp "$AMD_GA_ROOT/Kbuild" "$ga/"
cp -r "$AMD_GA_ROOT/drivers" "$AMD_GA_ROOT/include" "$ga/"
find "$ga" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' \
	-o -name 'modules.order' -o -name 'Module.symvers' \) -delete
log "kvm-amd: building amd_ga.ko in $ga"
if make -C "$KDIR" M="$ga" -j"$JOBS" AMD_GA_TEST=n modules > "$WORK/amd-ga.log" 2>&1 &&
   [ -s "$ga/Module.symvers" ]; then
	pass "kvm-amd-amd-ga-symvers ($(wc -l < "$ga/Module.symvers") exports)"
else
	tail -n 20 "$WORK/amd-ga.log"
	fail "kvm-amd-amd-ga-symvers (amd_ga.ko did not build, see $WORK/amd-ga.log)"
	finish
fi

# 2. The kvm-amd sources, fresh from the read-only tree.
src=$KSRC_61/arch/x86/kvm
kvm=$WORK/kvm
rm -rf "$kvm"
mkdir -p "$kvm/svm" "$kvm/mmu" "$kvm/vmx"
cp "$src"/*.h "$src/kvm-asm-offsets.c" "$kvm/"
cp "$src"/svm/* "$kvm/svm/"
cp "$src"/mmu/*.h "$kvm/mmu/"
cp "$src"/vmx/*.h "$kvm/vmx/"
cp -r "$kvm/svm" "$WORK/svm.orig"
trap 'rm -rf "$WORK/svm.orig"' EXIT

# 3. The transformation.
ok=1
for f in avic.c:avic.cocci svm.c:svm.cocci svm.h:svm.cocci; do
	file=${f%%:*}
	sp=${f##*:}
	if ! spatch --very-quiet --no-includes --in-place --sp-file "$COCCI/$sp" \
		"$kvm/svm/$file" > "$WORK/spatch-$file.log" 2>&1; then
		cat "$WORK/spatch-$file.log"
		ok=0
	fi
done
# amd_ga.ko exports its API in symbol namespace AMD_GA; kvm-amd imports it
# next to its module license (a declaration, which the semantic patch
# cannot anchor on).
sed -i 's/^MODULE_LICENSE("GPL");$/&\nMODULE_IMPORT_NS(AMD_GA);/' "$kvm/svm/svm.c"
(cd "$WORK" && diff -u -r svm.orig kvm/svm > kvm-amd.diff)
# Every rewrite the semantic patches promise, each found in the result.
expect() {
	local file=$1 pattern=$2 want=$3 n
	n=$(grep -cE -- "$pattern" "$kvm/svm/$file")
	if [ "$n" -ne "$want" ]; then
		echo "  $file: '$pattern' found $n times, expected $want"
		ok=0
	fi
}
expect avic.c '#include <linux/amd-ga.h>' 1
expect avic.c 'define AVIC_VCPU_ID_MASK[[:space:]]+GENMASK\(11, 0\)' 1
expect avic.c 'amd_ga_register_ga_log_notifier\(&avic_ga_log_notifier\)' 1
expect avic.c 'amd_ga_activate_guest_mode\(data' 2
expect avic.c 'amd_ga_deactivate_guest_mode\(ir->data\)' 1
expect avic.c 'amd_ga_update_ga\(ir->data, cpu, ga_log_intr\)' 1
expect avic.c 'amd_ga_update_ga\(pi->ir_data,' 1
expect avic.c 'avic_update_iommu_vcpu_affinity\(vcpu, h_physical_id, false\)' 1
expect avic.c 'avic_update_iommu_vcpu_affinity\(vcpu, -1, is_blocking\)' 1
expect avic.c '__avic_vcpu_put\(vcpu, true\)' 1
expect avic.c '__avic_vcpu_put\(vcpu, false\)' 1
expect avic.c 'amd_ga_irq_set_vcpu_affinity\(host_irq, &pi\)' 2
expect avic.c '!amd_ga_irq_posting_available\(\)' 1
expect avic.c 'struct amd_ga_pi_data' 4
expect avic.c 'raw_spin_(lock|unlock)_irqsave|raw_spin_unlock_irqrestore|raw_spin_lock_init' 11
expect avic.c '[^_]spin_(lock|unlock)[a-z_]*\(&[a-z>-]*ir_list_lock' 0
expect avic.c '(amd_iommu_[a-z_]+|[^_]irq_set_vcpu_affinity|irq_remapping_cap)\(' 0
expect svm.c 'amd_ga_register_ga_log_notifier\(NULL\)' 1
expect svm.c '^MODULE_IMPORT_NS\(AMD_GA\);' 1
expect svm.h 'raw_spinlock_t ir_list_lock' 1
if [ "$ok" = 1 ]; then
	pass "kvm-amd-transform ($(grep -c '^[-+][^-+]' "$WORK/kvm-amd.diff") changed lines, $WORK/kvm-amd.diff)"
else
	fail "kvm-amd-transform (see above and $WORK/spatch-*.log)"
	finish
fi

# 4. The module, linked against amd_ga.ko's symbols.
cat > "$kvm/Kbuild" <<'EOF'
# Generated by amd-ga's scripts/kvm-amd.sh: kvm-amd as arch/x86/kvm builds it.
ccflags-y += -I$(src) -I$(AMD_GA_INCLUDE)
obj-m += kvm-amd.o
kvm-amd-y += svm/svm.o svm/vmenter.o svm/pmu.o svm/nested.o svm/avic.o \
	     svm/sev.o svm/svm_onhyperv.o
AFLAGS_svm/vmenter.o := -iquote $(obj)
$(obj)/svm/vmenter.o: $(obj)/kvm-asm-offsets.h
$(obj)/kvm-asm-offsets.h: $(obj)/kvm-asm-offsets.s FORCE
	$(call filechk,offsets,__KVM_ASM_OFFSETS_H__)
targets += kvm-asm-offsets.s
clean-files += kvm-asm-offsets.h
EOF
log "kvm-amd: building kvm-amd.ko in $kvm"
make -C "$KDIR" M="$kvm" -j"$JOBS" AMD_GA_INCLUDE="$ga/include" \
	KBUILD_EXTRA_SYMBOLS="$ga/Module.symvers" modules > "$WORK/kvm-amd.log" 2>&1
rc=$?
ko=$kvm/kvm-amd.ko
problems=$(grep -E 'warning:|error:|WARNING: modpost|ERROR: modpost|undefined!' \
	"$WORK/kvm-amd.log" | grep -v 'Skipping BTF')
if [ "$rc" -eq 0 ] && [ -f "$ko" ] && [ -z "$problems" ]; then
	pass "kvm-amd-build ($(stat -c %s "$ko") bytes)"
else
	printf '%s\n' "$problems" | head -n 20
	tail -n 20 "$WORK/kvm-amd.log"
	fail "kvm-amd-build (exit $rc, see $WORK/kvm-amd.log)"
	finish
fi

# 5. Every undefined symbol is exported by vmlinux, a Debian module or
#    amd_ga.ko, and none of the built-in driver's GA entry points is left.
undef=$(nm -u "$ko" | awk '{ print $2 }' | sort -u)
exported=$(awk '{ print $2 }' "$KDIR/Module.symvers" "$ga/Module.symvers" | sort -u)
missing=$(comm -23 <(printf '%s\n' "$undef") <(printf '%s\n' "$exported") |
	grep -v '^__fentry__$\|^_GLOBAL_OFFSET_TABLE_$' || true)
old=$(printf '%s\n' "$undef" | grep -xF "$(printf '%s\n' $OLD_SYMS)" || true)
if [ -z "$missing" ] && [ -z "$old" ]; then
	pass "kvm-amd-no-undefined ($(printf '%s\n' "$undef" | wc -l) imports resolved, no amd_iommu_* GA call)"
else
	[ -n "$missing" ] && echo "  not exported by anyone: $(echo $missing)"
	[ -n "$old" ] && echo "  still uses: $(echo $old)"
	fail "kvm-amd-no-undefined"
fi

# 6. It really runs on amd-ga: every amd_ga_* entry point imported, and the
#    module loader will load amd_ga first.
absent=$(comm -13 <(printf '%s\n' "$undef") <(printf '%s\n' $NEW_SYMS | sort))
depends=$(modinfo -F depends "$ko")
if [ -z "$absent" ] && [[ ",$depends," == *,amd_ga,* ]]; then
	pass "kvm-amd-uses-amd-ga (depends: $depends)"
else
	[ -n "$absent" ] && echo "  not imported: $(echo $absent)"
	echo "  depends: $depends"
	fail "kvm-amd-uses-amd-ga"
fi

# 7. Built for the headers' kernel.
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$KDIR/include/generated/utsrelease.h" 2>/dev/null)
vermagic=$(modinfo -F vermagic "$ko")
if [ -n "$release" ] && [[ "$vermagic" == "$release "* ]]; then
	pass "kvm-amd-vermagic ($release)"
else
	fail "kvm-amd-vermagic ('$vermagic' vs '$release')"
fi
finish
