// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: per network namespace state.
 */
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "conn.h"
#include "hook.h"
#include "limits.h"
#include "lbnic.h"
#include "offload.h"
#include "service.h"

unsigned int lbnic_net_id __read_mostly;
EXPORT_SYMBOL_NS_GPL(lbnic_net_id, LBNIC_INTERNAL);	/* for bench/kmod */

/* IPVS's defaults, in seconds. */
static const u32 lbnic_default_timeouts[__LBNIC_CONN_S_MAX] = {
	[LBNIC_CONN_S_NONE] = 10,
	[LBNIC_CONN_S_SYN] = 60,
	[LBNIC_CONN_S_ESTABLISHED] = 900,
	[LBNIC_CONN_S_FIN] = 120,
	[LBNIC_CONN_S_CLOSE] = 10,
	[LBNIC_CONN_S_UDP] = 300,
	/* HAProxy's usual "timeout http-request" */
	[LBNIC_CONN_S_HTTP_REQ] = 10,
};

static int __net_init lbnic_net_init(struct net *net)
{
	struct lbnic_net *ln = lbnic_pernet(net);
	int i;

	ln->stats = __netdev_alloc_pcpu_stats(struct lbnic_net_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!ln->stats)
		return -ENOMEM;
	ln->net = net;
	mutex_init(&ln->lock);
	ln->conn_max = lbnic_conn_max_default;
	if (lbnic_net_unpriv(ln))
		ln->conn_max = min(ln->conn_max, READ_ONCE(lbnic_conn_max_unpriv));
	for (i = 0; i < __LBNIC_CONN_S_MAX; i++)
		ln->timeouts.t[i] = lbnic_default_timeouts[i] * HZ;
	for (i = 0; i < ARRAY_SIZE(ln->services); i++) {
		INIT_HLIST_HEAD(&ln->services[i]);
		INIT_HLIST_HEAD(&ln->stateless[i]);
	}
	lbnic_offload_init(ln);
	return 0;
}

static void __net_exit lbnic_net_exit(struct net *net)
{
	struct lbnic_net *ln = lbnic_pernet(net);

	/*
	 * No new packets once the hooks are gone, and none still in them a
	 * grace period later; then take the rest down.
	 */
	if (ln->hooks_registered) {
		lbnic_hooks_unregister(ln);
		synchronize_rcu();
	}
	mutex_lock(&ln->lock);
	lbnic_service_del_all(ln);
	mutex_unlock(&ln->lock);
	lbnic_conn_table_destroy(ln);
	lbnic_offload_exit(ln);
	free_percpu(ln->stats);
	mutex_destroy(&ln->lock);
}

static struct pernet_operations lbnic_net_ops = {
	.init = lbnic_net_init,
	.exit = lbnic_net_exit,
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
