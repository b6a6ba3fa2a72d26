// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: module load and unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <uapi/linux/lbnic.h>

#include "conn.h"
#include "lbnic.h"
#include "limits.h"
#include "offload.h"

unsigned int lbnic_conn_max_default = 1U << 20;
module_param_named(conn_max, lbnic_conn_max_default, uint, 0444);
MODULE_PARM_DESC(conn_max, "Connection table bound of each new network namespace");

atomic_t lbnic_rcu_pending = ATOMIC_INIT(0);

/* Each barrier runs the callbacks queued before it, which queue the next. */
static void lbnic_rcu_drain(void)
{
	do
		rcu_barrier();
	while (atomic_read(&lbnic_rcu_pending));
}

static int __init lbnic_init(void)
{
	int err;

	if (lbnic_conn_max_default < LBNIC_CONN_MAX_MIN ||
	    lbnic_conn_max_default > LBNIC_CONN_MAX_MAX) {
		pr_err("conn_max=%u is outside %u..%u\n", lbnic_conn_max_default,
		       LBNIC_CONN_MAX_MIN, LBNIC_CONN_MAX_MAX);
		return -EINVAL;
	}
	if (lbnic_conn_max_unpriv < LBNIC_CONN_MAX_MIN ||
	    lbnic_conn_max_unpriv > LBNIC_CONN_MAX_MAX) {
		pr_err("conn_max_unpriv=%u is outside %u..%u\n", lbnic_conn_max_unpriv,
		       LBNIC_CONN_MAX_MIN, LBNIC_CONN_MAX_MAX);
		return -EINVAL;
	}
	if (!is_power_of_2(lbnic_offload_queue_len) ||
	    lbnic_offload_queue_len < 16 || lbnic_offload_queue_len > 65536) {
		pr_err("offload_queue=%u is not a power of two in 16..65536\n",
		       lbnic_offload_queue_len);
		return -EINVAL;
	}

	err = lbnic_conn_cache_init();
	if (err)
		goto err_cache;

	err = lbnic_netns_init();
	if (err)
		goto err_netns;

	/* Last: once the family exists, requests may arrive in any netns. */
	err = lbnic_netlink_init();
	if (err)
		goto err_netlink;

	pr_info("version " LBNIC_VERSION " loaded\n");
	return 0;

err_netlink:
	lbnic_netns_exit();
	lbnic_rcu_drain();
err_netns:
	lbnic_conn_cache_exit();
err_cache:
	return err;
}

static void __exit lbnic_exit(void)
{
	lbnic_netlink_exit();
	lbnic_netns_exit();
	lbnic_rcu_drain();
	lbnic_conn_cache_exit();
}

module_init(lbnic_init);
module_exit(lbnic_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel L4/L7 load balancer with SmartNIC flow offload");
MODULE_AUTHOR("The lbnic developers");
MODULE_VERSION(LBNIC_VERSION);
