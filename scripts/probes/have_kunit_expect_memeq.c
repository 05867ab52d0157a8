// SPDX-License-Identifier: GPL-2.0-only
/* KUNIT_EXPECT_MEMEQ() (6.2) */
#include <kunit/test.h>

#ifndef KUNIT_EXPECT_MEMEQ
#error no KUNIT_EXPECT_MEMEQ
#endif
