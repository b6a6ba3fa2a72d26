// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: what a namespace may cost.
 *
 * Anyone may create a user namespace and, in it, a network namespace that
 * they administer: CAP_NET_ADMIN there is all GENL_UNS_ADMIN_PERM asks.
 * Without limits such a user could pin the host's memory through lbnic, a
 * connection table of 2^26 entries (12 GiB of entries, 512 MiB of buckets)
 * per namespace.  So, for namespaces owned by any user namespace but the
 * initial one:
 *
 *   conn-max is at most conn_max_unpriv (module parameter), and that is
 *   also their default;
 *   all their tables together may hold at most conn_unpriv_total entries,
 *   reserved when a table is made or its bound raised (module parameter);
 *   their entries and tables are charged to the memory cgroup of whoever
 *   made the table (conn.c), as the rest of their configuration is.
 *
 *   they have at most LBNIC_SERVICES_MAX services and
 *   LBNIC_NET_BACKENDS_MAX backends (service.c).
 *
 * The reserve is shared: one such user can spend all of it (for the others
 * then -ENOSPC).  Size conn_unpriv_total for the containers a host runs.
 */
#include <linux/atomic.h>
#include <linux/moduleparam.h>

#include "limits.h"

unsigned int lbnic_conn_max_unpriv = 1U << 16;
module_param_named(conn_max_unpriv, lbnic_conn_max_unpriv, uint, 0444);
MODULE_PARM_DESC(conn_max_unpriv,
		 "Highest conn-max of a namespace owned by a non-initial user namespace");

static unsigned int lbnic_conn_unpriv_total = 1U << 20;
module_param_named(conn_unpriv_total, lbnic_conn_unpriv_total, uint, 0444);
MODULE_PARM_DESC(conn_unpriv_total,
		 "Entries all tables of such namespaces together may hold");

static atomic_long_t lbnic_unpriv_reserved = ATOMIC_LONG_INIT(0);

int lbnic_limits_check_conn_max(const struct lbnic_net *ln, u32 conn_max,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	if (!lbnic_net_unpriv(ln) || conn_max <= READ_ONCE(lbnic_conn_max_unpriv))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "conn-max is above conn_max_unpriv, the bound of namespaces of non-initial user namespaces");
	return -EPERM;
}

/*
 * Moves @ln's reservation from *@reserved to @conn_max entries; in a
 * namespace of the initial user namespace there is nothing to reserve.
 */
int lbnic_limits_reserve(const struct lbnic_net *ln, u32 *reserved, u32 conn_max,
			 struct netlink_ext_ack *extack)
{
	long delta = (long)conn_max - *reserved;

	if (!lbnic_net_unpriv(ln))
		return 0;
	if (delta > 0 &&
	    atomic_long_add_return(delta, &lbnic_unpriv_reserved) >
	    READ_ONCE(lbnic_conn_unpriv_total)) {
		atomic_long_sub(delta, &lbnic_unpriv_reserved);
		NL_SET_ERR_MSG(extack,
			       "the connection entries of namespaces of non-initial user namespaces are all reserved (conn_unpriv_total)");
		return -ENOSPC;
	}
	if (delta < 0)
		atomic_long_add(delta, &lbnic_unpriv_reserved);
	*reserved = conn_max;
	return 0;
}
