// SPDX-License-Identifier: GPL-2.0-only
/* irq_domain_add_linear() on a device_node (the older form) */
#include <linux/irqdomain.h>

static struct irq_domain * __used
amd_ga_probe(struct device_node *node, const struct irq_domain_ops *ops)
{
	return irq_domain_add_linear(node, 8, ops, NULL);
}
