/* SPDX-License-Identifier: GPL-2.0 */
/* What kmod/http_parse.c takes from <linux/types.h>, for userspace. */
#ifndef _LBNIC_SHIM_LINUX_TYPES_H
#define _LBNIC_SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define fallthrough __attribute__((__fallthrough__))

#endif
