// SPDX-License-Identifier: GPL-2.0-only
/* <kunit/static_stub.h>: KUNIT_STATIC_STUB_REDIRECT() (6.3) */
#include <kunit/static_stub.h>

#ifndef KUNIT_STATIC_STUB_REDIRECT
#error no KUNIT_STATIC_STUB_REDIRECT
#endif
