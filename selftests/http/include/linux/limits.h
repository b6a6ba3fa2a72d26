/* SPDX-License-Identifier: GPL-2.0 */
/* What kmod/http_parse.c takes from <linux/limits.h>, for userspace. */
#ifndef _LBNIC_SHIM_LINUX_LIMITS_H
#define _LBNIC_SHIM_LINUX_LIMITS_H

#include <stdint.h>

#define U64_MAX UINT64_MAX

#endif
