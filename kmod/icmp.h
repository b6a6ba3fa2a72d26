/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: ICMP errors about balanced flows.
 */
#ifndef _LBNIC_ICMP_H
#define _LBNIC_ICMP_H

#include <linux/skbuff.h>

#include "lbnic.h"

unsigned int lbnic_icmp_error(struct lbnic_net *ln, struct sk_buff *skb,
			      u8 family);

#endif /* _LBNIC_ICMP_H */
