/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: what a namespace may cost (kmod/limits.c).
 */
#ifndef _LBNIC_LIMITS_H
#define _LBNIC_LIMITS_H

#include <linux/netlink.h>

#include "lbnic.h"

/* Services and backends of a namespace of a non-initial user namespace. */
#define LBNIC_SERVICES_MAX	4096
#define LBNIC_NET_BACKENDS_MAX	65536

extern unsigned int lbnic_conn_max_unpriv;

/* Administered from a user namespace other than the initial one. */
static inline bool lbnic_net_unpriv(const struct lbnic_net *ln)
{
	return ln->net->user_ns != &init_user_ns;
}

int lbnic_limits_check_conn_max(const struct lbnic_net *ln, u32 conn_max,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack);
int lbnic_limits_reserve(const struct lbnic_net *ln, u32 *reserved, u32 conn_max,
			 struct netlink_ext_ack *extack);

#endif /* _LBNIC_LIMITS_H */
