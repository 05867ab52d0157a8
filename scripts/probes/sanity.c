// SPDX-License-Identifier: GPL-2.0-only
/* always compiles: tells a failing probe from a broken probe build */
#include <linux/module.h>

static int __used amd_ga_probe(int x)
{
	return x + 1;
}
