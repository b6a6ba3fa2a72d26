// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: per network namespace state.
 */
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "lbnic.h"

unsigned int lbnic_net_id __read_mostly;

static int __net_init lbnic_net_init(struct net *net)
{
	struct lbnic_net *ln = lbnic_pernet(net);

	ln->net = net;
	ln->conn_max = lbnic_conn_max_default;
	return 0;
}

static struct pernet_operations lbnic_net_ops = {
	.init = lbnic_net_init,
	.id = &lbnic_net_id,
	.size = sizeof(struct lbnic_net),
};

int lbnic_netns_init(void)
{
	return register_pernet_subsys(&lbnic_net_ops);
}

void lbnic_netns_exit(void)
{
	unregister_pernet_subsys(&lbnic_net_ops);
}
