// SPDX-License-Identifier: GPL-2.0-only
/* irq_domain_instantiate() and struct irq_domain_info (6.11) */
#include <linux/irqdomain.h>

static struct irq_domain * __used
amd_ga_probe(struct fwnode_handle *fwnode, const struct irq_domain_ops *ops)
{
	struct irq_domain_info info = {
		.fwnode = fwnode,
		.size = 8,
		.ops = ops,
	};

	return irq_domain_instantiate(&info);
}
