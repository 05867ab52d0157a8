// SPDX-License-Identifier: GPL-2.0-only
/* KUNIT_ARRAY_PARAM_DESC() (6.8) */
#include <kunit/test.h>

#ifndef KUNIT_ARRAY_PARAM_DESC
#error no KUNIT_ARRAY_PARAM_DESC
#endif
