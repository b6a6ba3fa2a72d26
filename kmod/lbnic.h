/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: state shared by the files of the module.
 */
#ifndef _LBNIC_H
#define _LBNIC_H

#include <linux/types.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"

#define LBNIC_VERSION "0.1.0"

/*
 * Per network namespace state.  Configuration writers are serialised by the
 * generic netlink mutex (the family has no parallel_ops); readers on other
 * paths use READ_ONCE().
 */
struct lbnic_net {
	struct net *net;
	u32 conn_max;
};

extern unsigned int lbnic_net_id;
extern unsigned int lbnic_conn_max_default;

static inline struct lbnic_net *lbnic_pernet(const struct net *net)
{
	return net_generic(net, lbnic_net_id);
}

int lbnic_netns_init(void);
void lbnic_netns_exit(void);

int lbnic_netlink_init(void);
void lbnic_netlink_exit(void);

#endif /* _LBNIC_H */
