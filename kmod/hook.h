/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the netfilter hooks, registered per netns with its first service.
 */
#ifndef _LBNIC_HOOK_H
#define _LBNIC_HOOK_H

#include "lbnic.h"

int lbnic_hooks_register(struct lbnic_net *ln);
void lbnic_hooks_unregister(struct lbnic_net *ln);

#endif /* _LBNIC_HOOK_H */
