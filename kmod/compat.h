/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the one place where differences between the kernel lines we build
 * for (Debian's 6.1 and 6.12) are absorbed.  Code elsewhere is written
 * against the newest API and this header supplies it on older kernels, so
 * no other file tests LINUX_VERSION_CODE.  Each shim names the release that
 * brought the real interface, so it can be dropped with that release.
 *
 * Nothing the module uses today differs between 6.1 and 6.12.
 */
#ifndef _LBNIC_COMPAT_H
#define _LBNIC_COMPAT_H

#include <linux/version.h>

#endif /* _LBNIC_COMPAT_H */
