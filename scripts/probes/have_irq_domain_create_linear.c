// SPDX-License-Identifier: GPL-2.0-only
/* irq_domain_create_linear() on a fwnode_handle */
#include <linux/irqdomain.h>

static struct irq_domain * __used
amd_ga_probe(struct fwnode_handle *fwnode, const struct irq_domain_ops *ops)
{
	return irq_domain_create_linear(fwnode, 8, ops, NULL);
}
