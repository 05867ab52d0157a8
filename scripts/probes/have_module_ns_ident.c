// SPDX-License-Identifier: GPL-2.0-only
/* MODULE_IMPORT_NS()/EXPORT_SYMBOL_NS*() take a bare identifier (until 6.12) */
#include <linux/module.h>

MODULE_IMPORT_NS(AMD_GA_PROBE_NS);
