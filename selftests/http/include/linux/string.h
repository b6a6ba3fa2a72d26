/* SPDX-License-Identifier: GPL-2.0 */
/* What kmod/http_parse.c takes from <linux/string.h>, for userspace. */
#ifndef _LBNIC_SHIM_LINUX_STRING_H
#define _LBNIC_SHIM_LINUX_STRING_H

#include <string.h>

#endif
