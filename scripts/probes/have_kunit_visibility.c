// SPDX-License-Identifier: GPL-2.0-only
/* <kunit/visibility.h>: VISIBLE_IF_KUNIT, EXPORT_SYMBOL_IF_KUNIT (6.2, 6.1.63) */
#include <kunit/visibility.h>

#ifndef VISIBLE_IF_KUNIT
#error no VISIBLE_IF_KUNIT
#endif
#ifndef EXPORT_SYMBOL_IF_KUNIT
#error no EXPORT_SYMBOL_IF_KUNIT
#endif
