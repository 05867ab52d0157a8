/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD IOMMU hardware layouts used by amd-ga: MMIO registers, Control,
 * Status and feature bits, GA log registers and entries, IRTEs, the
 * interrupt part of the device table entry, and commands.
 *
 * Every field is a GENMASK_ULL()/BIT_ULL() mask on a u64 word so that it
 * can be used with FIELD_PREP()/FIELD_GET() and lines up with the bit
 * tables of the specification. This header holds no logic.
 */
#ifndef AMD_GA_HW_H
#define AMD_GA_HW_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/* MMIO register offsets (16 KiB window) */
#define AMD_GA_MMIO_SIZE		0x4000
#define AMD_GA_MMIO_DEVTAB_BASE		0x0000
#define AMD_GA_MMIO_CMD_BASE		0x0008
#define AMD_GA_MMIO_EVT_BASE		0x0010
#define AMD_GA_MMIO_CONTROL		0x0018
#define AMD_GA_MMIO_EXCL_BASE		0x0020
#define AMD_GA_MMIO_EXCL_LIMIT		0x0028
#define AMD_GA_MMIO_EFR			0x0030
#define AMD_GA_MMIO_PPR_BASE		0x0038
#define AMD_GA_MMIO_GALOG_BASE		0x00e0
#define AMD_GA_MMIO_GALOG_TAIL_ADDR	0x00e8
#define AMD_GA_MMIO_MSI_ADDR_LO		0x015c
#define AMD_GA_MMIO_MSI_ADDR_HI		0x0160
#define AMD_GA_MMIO_MSI_DATA		0x0164
#define AMD_GA_MMIO_INTCAPXT_EVT	0x0170
#define AMD_GA_MMIO_INTCAPXT_PPR	0x0178
#define AMD_GA_MMIO_INTCAPXT_GALOG	0x0180
#define AMD_GA_MMIO_EFR2		0x01a0
#define AMD_GA_MMIO_CMD_HEAD		0x2000
#define AMD_GA_MMIO_CMD_TAIL		0x2008
#define AMD_GA_MMIO_EVT_HEAD		0x2010
#define AMD_GA_MMIO_EVT_TAIL		0x2018
#define AMD_GA_MMIO_STATUS		0x2020
#define AMD_GA_MMIO_PPR_HEAD		0x2030
#define AMD_GA_MMIO_PPR_TAIL		0x2038
#define AMD_GA_MMIO_GALOG_HEAD		0x2040
#define AMD_GA_MMIO_GALOG_TAIL		0x2048

/* Device Table Base register */
#define AMD_GA_DEVTAB_BASE_SIZE		GENMASK_ULL(8, 0)	/* (size + 1) * 4 KiB */
#define AMD_GA_DEVTAB_BASE_ADDR		GENMASK_ULL(51, 12)

/* Command Buffer Base register */
#define AMD_GA_CMD_BASE_ADDR		GENMASK_ULL(51, 12)
#define AMD_GA_CMD_BASE_LEN		GENMASK_ULL(59, 56)
#define AMD_GA_CMD_LEN_CODE_512		0x9ULL	/* 512 entries x 16 B = 8 KiB */
#define AMD_GA_CMD_ENTRIES		512
#define AMD_GA_CMD_SIZE			16
#define AMD_GA_CMD_PTR			GENMASK_ULL(18, 4)	/* head/tail byte offset */

/* Control register (0x18) */
#define AMD_GA_CTRL_IOMMU_EN		BIT_ULL(0)
#define AMD_GA_CTRL_HT_TUN_EN		BIT_ULL(1)
#define AMD_GA_CTRL_EVT_LOG_EN		BIT_ULL(2)
#define AMD_GA_CTRL_EVT_INT_EN		BIT_ULL(3)
#define AMD_GA_CTRL_COMWAIT_INT_EN	BIT_ULL(4)
#define AMD_GA_CTRL_INV_TIMEOUT		GENMASK_ULL(7, 5)
#define AMD_GA_CTRL_PASS_PW		BIT_ULL(8)
#define AMD_GA_CTRL_RES_PASS_PW		BIT_ULL(9)
#define AMD_GA_CTRL_COHERENT		BIT_ULL(10)
#define AMD_GA_CTRL_ISOC		BIT_ULL(11)
#define AMD_GA_CTRL_CMD_BUF_EN		BIT_ULL(12)
#define AMD_GA_CTRL_PPR_LOG_EN		BIT_ULL(13)
#define AMD_GA_CTRL_PPR_INT_EN		BIT_ULL(14)
#define AMD_GA_CTRL_PPR_EN		BIT_ULL(15)
#define AMD_GA_CTRL_GT_EN		BIT_ULL(16)
#define AMD_GA_CTRL_GA_EN		BIT_ULL(17)	/* 128-bit IRTEs */
#define AMD_GA_CTRL_GAM_EN		GENMASK_ULL(27, 25)
#define AMD_GA_CTRL_GAM_VAPIC		0x1ULL		/* GAMEn value: vAPIC mode */
#define AMD_GA_CTRL_GALOG_EN		BIT_ULL(28)
#define AMD_GA_CTRL_GAINT_EN		BIT_ULL(29)
#define AMD_GA_CTRL_DUAL_PPR_LOG_EN	GENMASK_ULL(31, 30)
#define AMD_GA_CTRL_DUAL_EVT_LOG_EN	GENMASK_ULL(33, 32)
#define AMD_GA_CTRL_DEVTBL_SEG_EN	GENMASK_ULL(36, 34)
#define AMD_GA_CTRL_NUM_INT_REMAP_MODE	GENMASK_ULL(44, 43)
#define AMD_GA_CTRL_NUM_INT_REMAP_512	0x0ULL	/* NumIntRemapMode: 512 IRTEs */
#define AMD_GA_CTRL_NUM_INT_REMAP_2K	0x1ULL	/* NumIntRemapMode: 2048 IRTEs */
#define AMD_GA_CTRL_EPH_EN		BIT_ULL(45)
#define AMD_GA_CTRL_XT_EN		BIT_ULL(50)
#define AMD_GA_CTRL_INTCAPXT_EN		BIT_ULL(51)
#define AMD_GA_CTRL_GA_UPDATE_DIS	BIT_ULL(54)
#define AMD_GA_CTRL_GCR3TRP_MODE	BIT_ULL(58)
#define AMD_GA_CTRL_IRTCACHE_DIS	BIT_ULL(59)
#define AMD_GA_CTRL_SNPAVIC_EN		BIT_ULL(61)

/* Status register (0x2020); Xen's labels for bits 8-10 are wrong. */
#define AMD_GA_STATUS_EVT_OVERFLOW	BIT_ULL(0)	/* RW1C */
#define AMD_GA_STATUS_EVT_INT		BIT_ULL(1)	/* RW1C */
#define AMD_GA_STATUS_COMWAIT_INT	BIT_ULL(2)	/* RW1C */
#define AMD_GA_STATUS_EVT_RUN		BIT_ULL(3)
#define AMD_GA_STATUS_CMD_BUF_RUN	BIT_ULL(4)
#define AMD_GA_STATUS_PPR_OVERFLOW	BIT_ULL(5)
#define AMD_GA_STATUS_PPR_INT		BIT_ULL(6)
#define AMD_GA_STATUS_PPR_RUN		BIT_ULL(7)
#define AMD_GA_STATUS_GALOG_RUN		BIT_ULL(8)
#define AMD_GA_STATUS_GALOG_OVERFLOW	BIT_ULL(9)	/* RW1C */
#define AMD_GA_STATUS_GALOG_INT		BIT_ULL(10)	/* RW1C */
/* The write-1-to-clear bits of the status register. */
#define AMD_GA_STATUS_W1C		(AMD_GA_STATUS_EVT_OVERFLOW | \
					 AMD_GA_STATUS_EVT_INT | \
					 AMD_GA_STATUS_COMWAIT_INT | \
					 AMD_GA_STATUS_GALOG_OVERFLOW | \
					 AMD_GA_STATUS_GALOG_INT)

/* Extended Feature Register (0x30) */
#define AMD_GA_EFR_PREF_SUP		BIT_ULL(0)
#define AMD_GA_EFR_PPR_SUP		BIT_ULL(1)
#define AMD_GA_EFR_XT_SUP		BIT_ULL(2)
#define AMD_GA_EFR_NX_SUP		BIT_ULL(3)
#define AMD_GA_EFR_GT_SUP		BIT_ULL(4)
#define AMD_GA_EFR_GAPPI_SUP		BIT_ULL(5)
#define AMD_GA_EFR_IA_SUP		BIT_ULL(6)
#define AMD_GA_EFR_GA_SUP		BIT_ULL(7)
#define AMD_GA_EFR_HE_SUP		BIT_ULL(8)
#define AMD_GA_EFR_PC_SUP		BIT_ULL(9)
#define AMD_GA_EFR_HATS			GENMASK_ULL(11, 10)
#define AMD_GA_EFR_GATS			GENMASK_ULL(13, 12)
#define AMD_GA_EFR_GLX_SUP		GENMASK_ULL(15, 14)
#define AMD_GA_EFR_SMIF_SUP		GENMASK_ULL(17, 16)
#define AMD_GA_EFR_SMIF_RC		GENMASK_ULL(20, 18)
#define AMD_GA_EFR_GAM_SUP		GENMASK_ULL(23, 21)
#define AMD_GA_EFR_GAM_SUP_VAPIC	0x1ULL	/* GAMSup value: vAPIC mode */
#define AMD_GA_EFR_DUAL_PPR_LOG_SUP	GENMASK_ULL(25, 24)
#define AMD_GA_EFR_DUAL_EVT_LOG_SUP	GENMASK_ULL(29, 28)
#define AMD_GA_EFR_PAS_MAX		GENMASK_ULL(36, 32)
#define AMD_GA_EFR_US_SUP		BIT_ULL(37)
#define AMD_GA_EFR_DEVTBL_SEG_SUP	GENMASK_ULL(39, 38)
#define AMD_GA_EFR_MSI_CAP_MMIO_SUP	BIT_ULL(46)
#define AMD_GA_EFR_GIO_SUP		BIT_ULL(48)
#define AMD_GA_EFR_HA_SUP		BIT_ULL(49)
#define AMD_GA_EFR_EPH_SUP		BIT_ULL(50)
#define AMD_GA_EFR_HD_SUP		BIT_ULL(52)
#define AMD_GA_EFR_SNP_SUP		BIT_ULL(63)

/* Extended Feature Register 2 (0x1a0) */
#define AMD_GA_EFR2_SEVSNPIO_SUP	BIT_ULL(1)
#define AMD_GA_EFR2_GCR3TRP_MODE	BIT_ULL(3)
#define AMD_GA_EFR2_GAPPI_DIS_SUP	BIT_ULL(4)
#define AMD_GA_EFR2_SNPAVIC_SUP		GENMASK_ULL(7, 5)
#define AMD_GA_EFR2_NUM_INT_REMAP_SUP	GENMASK_ULL(9, 8)
#define AMD_GA_EFR2_NUM_INT_REMAP_2K	0x1ULL	/* NumIntRemapSup: 2048 IRTEs */
#define AMD_GA_EFR2_HT_RANGE_IGNORE	BIT_ULL(11)

/* GA Log Base (0xe0) and GA Log Tail Address (0xe8) registers */
#define AMD_GA_GALOG_BASE_ADDR		GENMASK_ULL(51, 12)
#define AMD_GA_GALOG_BASE_LEN		GENMASK_ULL(59, 56)
#define AMD_GA_GALOG_LEN_CODE_512	0x8ULL	/* 512 entries x 8 B = 4 KiB */
#define AMD_GA_GALOG_ENTRIES		512
#define AMD_GA_GALOG_ENTRY_SIZE		8
#define AMD_GA_GALOG_TAIL_ADDR		GENMASK_ULL(51, 3)
/* GA log head/tail registers hold a byte offset, a multiple of 8. */
#define AMD_GA_GALOG_PTR		GENMASK_ULL(18, 3)

/* IntCapXT interrupt control registers (0x170/0x178/0x180) */
#define AMD_GA_INTCAPXT_DM		BIT_ULL(2)
#define AMD_GA_INTCAPXT_DEST_LO		GENMASK_ULL(31, 8)
#define AMD_GA_INTCAPXT_VECTOR		GENMASK_ULL(39, 32)
#define AMD_GA_INTCAPXT_DLVRY_MODE	BIT_ULL(40)
#define AMD_GA_INTCAPXT_DEST_HI		GENMASK_ULL(63, 56)

/* GA log entry (8 bytes) */
#define AMD_GA_GALOG_ENT_GATAG		GENMASK_ULL(31, 0)
#define AMD_GA_GALOG_ENT_DEVID		GENMASK_ULL(47, 32)
#define AMD_GA_GALOG_ENT_RSVD		GENMASK_ULL(59, 48)
#define AMD_GA_GALOG_ENT_CODE		GENMASK_ULL(63, 60)
#define AMD_GA_GALOG_CODE_GUEST_NR	0x1	/* guest interrupt, vCPU not running */

/* Legacy 32-bit IRTE (GAEn = 0) */
#define AMD_GA_IRTE32_REMAP_EN		BIT(0)
#define AMD_GA_IRTE32_SUP_IOPF		BIT(1)
#define AMD_GA_IRTE32_INT_TYPE		GENMASK(4, 2)
#define AMD_GA_IRTE32_RQ_EOI		BIT(5)
#define AMD_GA_IRTE32_DM		BIT(6)
#define AMD_GA_IRTE32_GUEST_MODE	BIT(7)
#define AMD_GA_IRTE32_DEST		GENMASK(15, 8)
#define AMD_GA_IRTE32_VECTOR		GENMASK(23, 16)
#define AMD_GA_IRTE32_RSVD		GENMASK(31, 24)

/* 128-bit IRTE, low qword, fields common to both modes */
#define AMD_GA_IRTE_LO_REMAP_EN		BIT_ULL(0)
#define AMD_GA_IRTE_LO_SUP_IOPF		BIT_ULL(1)
#define AMD_GA_IRTE_LO_GUEST_MODE	BIT_ULL(7)
#define AMD_GA_IRTE_LO_DEST_LO		GENMASK_ULL(31, 8)	/* Destination[23:0] */
/* 128-bit IRTE, low qword, remapped mode (GuestMode = 0) */
#define AMD_GA_IRTE_LO_INT_TYPE		GENMASK_ULL(4, 2)
#define AMD_GA_IRTE_LO_RQ_EOI		BIT_ULL(5)
#define AMD_GA_IRTE_LO_DM		BIT_ULL(6)
#define AMD_GA_IRTE_LO_REMAP_RSVD	GENMASK_ULL(63, 32)
/* 128-bit IRTE, low qword, guest mode (GuestMode = 1) */
#define AMD_GA_IRTE_LO_GALOG_INTR	BIT_ULL(2)
#define AMD_GA_IRTE_LO_GUEST_RSVD	GENMASK_ULL(5, 3)
#define AMD_GA_IRTE_LO_IS_RUN		BIT_ULL(6)
#define AMD_GA_IRTE_LO_GATAG		GENMASK_ULL(63, 32)
/* 128-bit IRTE, high qword */
#define AMD_GA_IRTE_HI_VECTOR		GENMASK_ULL(7, 0)
#define AMD_GA_IRTE_HI_RSVD0		GENMASK_ULL(11, 8)
#define AMD_GA_IRTE_HI_GA_ROOT		GENMASK_ULL(51, 12)	/* PA[51:12] */
#define AMD_GA_IRTE_HI_RSVD1		GENMASK_ULL(55, 52)
#define AMD_GA_IRTE_HI_DEST_HI		GENMASK_ULL(63, 56)	/* Destination[31:24] */

#define AMD_GA_IRTE_DEST_LO_BITS	24
#define AMD_GA_IRTE_INT_TYPE_FIXED	0x0
#define AMD_GA_IRTE_INT_TYPE_ARB	0x1

/* Device table entry: 32 bytes; interrupt fields live in data[2]. */
#define AMD_GA_DTE_SIZE			32
#define AMD_GA_DTE_QWORDS		4
#define AMD_GA_DTE_IRQ_QWORD		2
#define AMD_GA_DTE2_IV			BIT_ULL(0)
#define AMD_GA_DTE2_INT_TAB_LEN		GENMASK_ULL(4, 1)
#define AMD_GA_DTE2_IG			BIT_ULL(5)
#define AMD_GA_DTE2_INT_TAB_ROOT	GENMASK_ULL(51, 6)	/* PA[51:6] */
#define AMD_GA_DTE2_INIT_PASS		BIT_ULL(56)
#define AMD_GA_DTE2_EINT_PASS		BIT_ULL(57)
#define AMD_GA_DTE2_NMI_PASS		BIT_ULL(58)
#define AMD_GA_DTE2_INT_CTL		GENMASK_ULL(61, 60)
#define AMD_GA_DTE2_LINT0_PASS		BIT_ULL(62)
#define AMD_GA_DTE2_LINT1_PASS		BIT_ULL(63)
#define AMD_GA_DTE_INT_CTL_ABORT	0x0ULL
#define AMD_GA_DTE_INT_CTL_FORWARD	0x1ULL
#define AMD_GA_DTE_INT_CTL_REMAP	0x2ULL
#define AMD_GA_DTE_INT_TAB_LEN_512	0x9ULL	/* 2^9 entries */
#define AMD_GA_DTE_INT_TAB_LEN_2K	0xbULL	/* 2^11 entries */
#define AMD_GA_DTE_INTTAB_ALIGN		128

/*
 * The IRTE index the IOMMU takes from a device's MSI data: bits 8:0 while
 * Control NumIntRemapMode is 512, bits 10:0 with NumIntRemapMode = 2K.
 */
#define AMD_GA_MSI_DATA_IRTE_INDEX_512	GENMASK(8, 0)
#define AMD_GA_MSI_DATA_IRTE_INDEX_2K	GENMASK(10, 0)

/* Commands: 16 bytes, opcode in bits 63:60 of the first qword. */
#define AMD_GA_CMD_OPCODE		GENMASK_ULL(63, 60)
#define AMD_GA_CMD_COMPLETION_WAIT	0x1ULL
#define AMD_GA_CMD_INV_DEVTAB_ENTRY	0x2ULL
#define AMD_GA_CMD_INV_IOMMU_PAGES	0x3ULL
#define AMD_GA_CMD_INV_IOTLB_PAGES	0x4ULL
#define AMD_GA_CMD_INV_IRT		0x5ULL
#define AMD_GA_CMD_COMPLETE_PPR		0x7ULL
#define AMD_GA_CMD_INV_ALL		0x8ULL
/* COMPLETION_WAIT: qword0 = S, I, F, StoreAddr[51:3]; qword1 = data */
#define AMD_GA_CMD_CW_STORE		BIT_ULL(0)
#define AMD_GA_CMD_CW_INT		BIT_ULL(1)
#define AMD_GA_CMD_CW_FLUSH		BIT_ULL(2)
#define AMD_GA_CMD_CW_ADDR		GENMASK_ULL(51, 3)
/* INVALIDATE_DEVTAB_ENTRY and INVALIDATE_INTERRUPT_TABLE: DeviceID */
#define AMD_GA_CMD_DEVID		GENMASK_ULL(15, 0)

/* PCI identity of an AMD IOMMU function and its capability block. */
#define AMD_GA_PCI_CLASS_IOMMU		0x080600	/* class 0x0806, prog-if 0 */
#define AMD_GA_PCI_CAP_ID_IOMMU		0x0f
#define AMD_GA_CAP_HDR			0x00
#define AMD_GA_CAP_BAR_LO		0x04
#define AMD_GA_CAP_BAR_HI		0x08
#define AMD_GA_CAP_RANGE		0x0c
#define AMD_GA_CAP_MISC0		0x10
#define AMD_GA_CAP_HDR_EFR_SUP		BIT(27)
#define AMD_GA_CAP_BAR_LO_ENABLE	BIT(0)
#define AMD_GA_CAP_BAR_LO_ADDR		GENMASK(31, 14)

/*
 * Layout checks: fields of one word must not overlap, and the 128-bit
 * IRTE fields of each mode must cover exactly the bits the spec defines.
 */
static_assert((AMD_GA_IRTE_LO_GATAG & AMD_GA_IRTE_LO_DEST_LO) == 0);
static_assert((AMD_GA_IRTE_LO_REMAP_EN | AMD_GA_IRTE_LO_SUP_IOPF |
	       AMD_GA_IRTE_LO_GALOG_INTR | AMD_GA_IRTE_LO_GUEST_RSVD |
	       AMD_GA_IRTE_LO_IS_RUN | AMD_GA_IRTE_LO_GUEST_MODE |
	       AMD_GA_IRTE_LO_DEST_LO | AMD_GA_IRTE_LO_GATAG) == ~0ULL);
static_assert((AMD_GA_IRTE_LO_REMAP_EN | AMD_GA_IRTE_LO_SUP_IOPF |
	       AMD_GA_IRTE_LO_INT_TYPE | AMD_GA_IRTE_LO_RQ_EOI |
	       AMD_GA_IRTE_LO_DM | AMD_GA_IRTE_LO_GUEST_MODE |
	       AMD_GA_IRTE_LO_DEST_LO | AMD_GA_IRTE_LO_REMAP_RSVD) == ~0ULL);
static_assert((AMD_GA_IRTE_HI_VECTOR | AMD_GA_IRTE_HI_RSVD0 |
	       AMD_GA_IRTE_HI_GA_ROOT | AMD_GA_IRTE_HI_RSVD1 |
	       AMD_GA_IRTE_HI_DEST_HI) == ~0ULL);
static_assert((AMD_GA_IRTE32_REMAP_EN | AMD_GA_IRTE32_SUP_IOPF |
	       AMD_GA_IRTE32_INT_TYPE | AMD_GA_IRTE32_RQ_EOI |
	       AMD_GA_IRTE32_DM | AMD_GA_IRTE32_GUEST_MODE |
	       AMD_GA_IRTE32_DEST | AMD_GA_IRTE32_VECTOR |
	       AMD_GA_IRTE32_RSVD) == ~0U);
static_assert((AMD_GA_GALOG_ENT_GATAG | AMD_GA_GALOG_ENT_DEVID |
	       AMD_GA_GALOG_ENT_RSVD | AMD_GA_GALOG_ENT_CODE) == ~0ULL);
static_assert((AMD_GA_DTE2_IV | AMD_GA_DTE2_INT_TAB_LEN | AMD_GA_DTE2_IG |
	       AMD_GA_DTE2_INT_TAB_ROOT) == GENMASK_ULL(51, 0));
/*
 * Each table size: IntTabLen (2^n entries) fits its DTE field and matches
 * the MSI data bits that index the table in that mode.
 */
static_assert(AMD_GA_DTE_INT_TAB_LEN_2K <= (AMD_GA_DTE2_INT_TAB_LEN >> 1));
static_assert(BIT_ULL(AMD_GA_DTE_INT_TAB_LEN_512) ==
	      AMD_GA_MSI_DATA_IRTE_INDEX_512 + 1ULL);
static_assert(BIT_ULL(AMD_GA_DTE_INT_TAB_LEN_2K) ==
	      AMD_GA_MSI_DATA_IRTE_INDEX_2K + 1ULL);
static_assert(AMD_GA_GALOG_ENTRIES * AMD_GA_GALOG_ENTRY_SIZE == 4096);
static_assert(AMD_GA_CMD_ENTRIES * AMD_GA_CMD_SIZE == 8192);
static_assert(AMD_GA_MMIO_GALOG_TAIL < AMD_GA_MMIO_SIZE);

#endif /* AMD_GA_HW_H */
