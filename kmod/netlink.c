// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the generic netlink family, the only way in for the control plane:
 * the family and its policies, info and config.  The attribute tree is
 * documented in include/uapi/linux/lbnic.h.
 */
#include <linux/in.h>
#include <net/genetlink.h>

#include "conn.h"
#include "limits.h"
#include "netlink.h"
#include "offload.h"
#include "service.h"

/* Not const: 6.1's nla_policy holds non-const pointers to these. */
static struct netlink_range_validation lbnic_conn_max_range __ro_after_init = {
	.min = LBNIC_CONN_MAX_MIN,
	.max = LBNIC_CONN_MAX_MAX,
};

static struct netlink_range_validation lbnic_timeout_range __ro_after_init = {
	.min = 1,
	.max = LBNIC_TIMEOUT_MAX,
};

static struct netlink_range_validation lbnic_maglev_range __ro_after_init = {
	.min = LBNIC_MAGLEV_SIZE_MIN,
	.max = LBNIC_MAGLEV_SIZE_MAX,
};

static struct netlink_range_validation lbnic_weight_range __ro_after_init = {
	.min = 0,
	.max = LBNIC_WEIGHT_MAX,
};

static struct netlink_range_validation lbnic_offload_packets_range __ro_after_init = {
	.min = 0,
	.max = LBNIC_OFFLOAD_PACKETS_MAX,
};

static struct netlink_range_validation lbnic_offload_age_range __ro_after_init = {
	.min = 0,
	.max = LBNIC_OFFLOAD_AGE_MAX,
};

#define LBNIC_POLICY_READ_ONLY { .type = NLA_REJECT, .reject_message = "attribute is read-only" }
#define LBNIC_POLICY_ADDR { .type = NLA_BINARY, .len = sizeof(struct in6_addr) }

static const struct nla_policy lbnic_config_policy[LBNIC_CONFIG_A_MAX + 1] = {
	[LBNIC_CONFIG_A_CONN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_conn_max_range),
	[LBNIC_CONFIG_A_TIMEOUT_TCP_SYN] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_timeout_range),
	[LBNIC_CONFIG_A_TIMEOUT_TCP_EST] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_timeout_range),
	[LBNIC_CONFIG_A_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_timeout_range),
	[LBNIC_CONFIG_A_TIMEOUT_TCP_CLOSE] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_timeout_range),
	[LBNIC_CONFIG_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_timeout_range),
	[LBNIC_CONFIG_A_TIMEOUT_HTTP_REQ] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_timeout_range),
	[LBNIC_CONFIG_A_CONN_COUNT] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_CONFIG_A_CONN_BUCKETS] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_CONFIG_A_CONN_ENTRY_SIZE] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_CONFIG_A_CONN_REFUSED] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_CONFIG_A_OFFLOAD_PACKETS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_offload_packets_range),
	[LBNIC_CONFIG_A_OFFLOAD_AGE] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_offload_age_range),
	[LBNIC_CONFIG_A_OFFLOAD_LOST] = LBNIC_POLICY_READ_ONLY,
};

const struct nla_policy lbnic_service_policy[LBNIC_SERVICE_A_MAX + 1] = {
	[LBNIC_SERVICE_A_ADDR] = LBNIC_POLICY_ADDR,
	[LBNIC_SERVICE_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[LBNIC_SERVICE_A_PROTO] = { .type = NLA_U8 },
	[LBNIC_SERVICE_A_SCHED] = { .type = NLA_NUL_STRING, .len = LBNIC_SCHED_NAME_MAX - 1 },
	[LBNIC_SERVICE_A_MODE] = NLA_POLICY_RANGE(NLA_U8, LBNIC_MODE_NAT, LBNIC_MODE_MAX),
	[LBNIC_SERVICE_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, LBNIC_SERVICE_F_ALL),
	[LBNIC_SERVICE_A_MAGLEV_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_maglev_range),
	[LBNIC_SERVICE_A_SNAT_ADDR] = LBNIC_POLICY_ADDR,
	[LBNIC_SERVICE_A_SNAT_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[LBNIC_SERVICE_A_SNAT_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[LBNIC_SERVICE_A_STATS] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_SERVICE_A_HTTP_FIELD] = NLA_POLICY_MAX(NLA_U8, LBNIC_HTTP_FIELD_MAX),
};

const struct nla_policy lbnic_backend_policy[LBNIC_BACKEND_A_MAX + 1] = {
	[LBNIC_BACKEND_A_ADDR] = LBNIC_POLICY_ADDR,
	[LBNIC_BACKEND_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[LBNIC_BACKEND_A_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_weight_range),
	[LBNIC_BACKEND_A_FLUSH] = { .type = NLA_FLAG },
	[LBNIC_BACKEND_A_STATS] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_BACKEND_A_POOL] = { .type = NLA_NUL_STRING, .len = LBNIC_POOL_NAME_MAX - 1 },
};

const struct nla_policy lbnic_pool_policy[LBNIC_POOL_A_MAX + 1] = {
	[LBNIC_POOL_A_NAME] = { .type = NLA_NUL_STRING, .len = LBNIC_POOL_NAME_MAX - 1 },
	[LBNIC_POOL_A_SCHED] = { .type = NLA_NUL_STRING, .len = LBNIC_SCHED_NAME_MAX - 1 },
	[LBNIC_POOL_A_BACKENDS] = LBNIC_POLICY_READ_ONLY,
};

const struct nla_policy lbnic_route_policy[LBNIC_ROUTE_A_MAX + 1] = {
	[LBNIC_ROUTE_A_HOST] = { .type = NLA_NUL_STRING, .len = LBNIC_ROUTE_HOST_MAX - 1 },
	[LBNIC_ROUTE_A_PATH] = { .type = NLA_NUL_STRING, .len = LBNIC_ROUTE_PATH_MAX - 1 },
	[LBNIC_ROUTE_A_POOL] = { .type = NLA_NUL_STRING, .len = LBNIC_POOL_NAME_MAX - 1 },
};

const struct nla_policy lbnic_flow_policy[LBNIC_FLOW_A_MAX + 1] = {
	[LBNIC_FLOW_A_COOKIE] = { .type = NLA_U64 },
	[LBNIC_FLOW_A_PROTO] = { .type = NLA_U8 },
	[LBNIC_FLOW_A_CLIENT_ADDR] = LBNIC_POLICY_ADDR,
	[LBNIC_FLOW_A_CLIENT_PORT] = { .type = NLA_U16 },
	[LBNIC_FLOW_A_VIP_ADDR] = LBNIC_POLICY_ADDR,
	[LBNIC_FLOW_A_VIP_PORT] = { .type = NLA_U16 },
	[LBNIC_FLOW_A_AGE] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_FLOW_A_ORIG] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_FLOW_A_REPLY] = LBNIC_POLICY_READ_ONLY,
	[LBNIC_FLOW_A_STATE] = NLA_POLICY_MAX(NLA_U8, LBNIC_OFFLOAD_MAX),
	[LBNIC_FLOW_A_ERROR] = NLA_POLICY_MAX(NLA_U32, MAX_ERRNO),
	[LBNIC_FLOW_A_LASTUSED] = { .type = NLA_U32 },
};

static const struct nla_policy lbnic_flow_cmd_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_FLOW] = NLA_POLICY_NESTED(lbnic_flow_policy),
};

static const struct nla_policy lbnic_set_config_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_CONFIG] = NLA_POLICY_NESTED(lbnic_config_policy),
};

static const struct nla_policy lbnic_service_cmd_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_SERVICE] = NLA_POLICY_NESTED(lbnic_service_policy),
};

static const struct nla_policy lbnic_backend_cmd_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_SERVICE] = NLA_POLICY_NESTED(lbnic_service_policy),
	[LBNIC_A_BACKEND] = NLA_POLICY_NESTED(lbnic_backend_policy),
};

static const struct nla_policy lbnic_pool_cmd_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_SERVICE] = NLA_POLICY_NESTED(lbnic_service_policy),
	[LBNIC_A_POOL] = NLA_POLICY_NESTED(lbnic_pool_policy),
};

static const struct nla_policy lbnic_route_cmd_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_SERVICE] = NLA_POLICY_NESTED(lbnic_service_policy),
	[LBNIC_A_ROUTE] = NLA_POLICY_NESTED(lbnic_route_policy),
};

/* Addresses are 4 or 16 bytes; the length gives the family. */
int lbnic_nl_get_addr(const struct nlattr *attr, union nf_inet_addr *addr,
		      u8 *family, struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	switch (nla_len(attr)) {
	case sizeof(struct in_addr):
		*family = AF_INET;
		break;
	case sizeof(struct in6_addr):
		*family = AF_INET6;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EAFNOSUPPORT;
	}
	memcpy(addr, nla_data(attr), nla_len(attr));
	return 0;
}

int lbnic_nl_put_addr(struct sk_buff *skb, int type,
		      const union nf_inet_addr *addr, u8 family)
{
	return nla_put(skb, type, family == AF_INET ? sizeof(struct in_addr) :
		       sizeof(struct in6_addr), addr);
}

int lbnic_nl_put_stats(struct sk_buff *skb, int type,
		       const struct lbnic_stats *st)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, LBNIC_STATS_A_CONNS, st->c.conns, LBNIC_STATS_A_PAD) ||
	    nla_put_u32(skb, LBNIC_STATS_A_ACTIVE, st->active) ||
	    nla_put_u32(skb, LBNIC_STATS_A_INACTIVE, st->inactive) ||
	    nla_put_u64_64bit(skb, LBNIC_STATS_A_PKTS_IN, st->c.pkts_in, LBNIC_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LBNIC_STATS_A_PKTS_OUT, st->c.pkts_out, LBNIC_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LBNIC_STATS_A_BYTES_IN, st->c.bytes_in, LBNIC_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LBNIC_STATS_A_BYTES_OUT, st->c.bytes_out, LBNIC_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LBNIC_STATS_A_NO_BACKEND, st->c.no_backend,
			      LBNIC_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static const struct {
	int attr;
	u8 state;
} lbnic_timeout_attrs[] = {
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_SYN, LBNIC_CONN_S_SYN },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_EST, LBNIC_CONN_S_ESTABLISHED },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_FIN, LBNIC_CONN_S_FIN },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_CLOSE, LBNIC_CONN_S_CLOSE },
	{ LBNIC_CONFIG_A_TIMEOUT_UDP, LBNIC_CONN_S_UDP },
	{ LBNIC_CONFIG_A_TIMEOUT_HTTP_REQ, LBNIC_CONN_S_HTTP_REQ },
};

static int lbnic_fill_config(struct sk_buff *skb, struct lbnic_net *ln)
{
	struct lbnic_offload *o = &ln->offload;
	struct lbnic_conn_table *t;
	struct nlattr *nest;
	u32 count = 0, buckets = 0;
	u64 refused = 0;
	int i;

	lockdep_assert_held(&ln->lock);
	t = rcu_dereference_protected(ln->conns, lockdep_is_held(&ln->lock));
	if (t) {
		count = atomic_read(&t->count);
		buckets = t->mask + 1;
		refused = atomic64_read(&t->refused);
	}

	nest = nla_nest_start(skb, LBNIC_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LBNIC_CONFIG_A_CONN_MAX, ln->conn_max) ||
	    nla_put_u32(skb, LBNIC_CONFIG_A_CONN_COUNT, count) ||
	    nla_put_u32(skb, LBNIC_CONFIG_A_CONN_BUCKETS, buckets) ||
	    nla_put_u32(skb, LBNIC_CONFIG_A_CONN_ENTRY_SIZE, lbnic_conn_entry_size()) ||
	    nla_put_u64_64bit(skb, LBNIC_CONFIG_A_CONN_REFUSED, refused,
			      LBNIC_CONFIG_A_PAD) ||
	    nla_put_u32(skb, LBNIC_CONFIG_A_OFFLOAD_PACKETS, o->packets) ||
	    nla_put_u32(skb, LBNIC_CONFIG_A_OFFLOAD_AGE, jiffies_to_msecs(o->age)) ||
	    nla_put_u64_64bit(skb, LBNIC_CONFIG_A_OFFLOAD_LOST,
			      atomic64_read(&o->lost), LBNIC_CONFIG_A_PAD))
		goto err_cancel;
	for (i = 0; i < ARRAY_SIZE(lbnic_timeout_attrs); i++)
		if (nla_put_u32(skb, lbnic_timeout_attrs[i].attr,
				ln->timeouts.t[lbnic_timeout_attrs[i].state] / HZ))
			goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static const int lbnic_net_stat_attrs[__LBNIC_NET_STAT_MAX] = {
	[LBNIC_NET_STAT_EARLY_DROP] = LBNIC_NET_STATS_A_EARLY_DROP,
	[LBNIC_NET_STAT_MARTIAN] = LBNIC_NET_STATS_A_MARTIAN,
	[LBNIC_NET_STAT_MALFORMED] = LBNIC_NET_STATS_A_MALFORMED,
	[LBNIC_NET_STAT_TCP_IGNORED] = LBNIC_NET_STATS_A_TCP_IGNORED,
	[LBNIC_NET_STAT_OFFLOAD_READY] = LBNIC_NET_STATS_A_OFFLOAD_READY,
	[LBNIC_NET_STAT_NO_ROUTE] = LBNIC_NET_STATS_A_NO_ROUTE,
	[LBNIC_NET_STAT_HTTP_COOKIES] = LBNIC_NET_STATS_A_HTTP_COOKIES,
	[LBNIC_NET_STAT_HTTP_COOKIE_BAD] = LBNIC_NET_STATS_A_HTTP_COOKIE_BAD,
	[LBNIC_NET_STAT_HTTP_ANSWERED] = LBNIC_NET_STATS_A_HTTP_ANSWERED,
	[LBNIC_NET_STAT_HTTP_SPLICED] = LBNIC_NET_STATS_A_HTTP_SPLICED,
	[LBNIC_NET_STAT_HTTP_RESENT] = LBNIC_NET_STATS_A_HTTP_RESENT,
	[LBNIC_NET_STAT_HTTP_TIME_WAIT] = LBNIC_NET_STATS_A_HTTP_TIME_WAIT,
};

static int lbnic_fill_net_stats(struct sk_buff *skb, struct lbnic_net *ln)
{
	u64 sum[__LBNIC_NET_STAT_MAX] = {};
	const struct lbnic_net_pcpu_stats *s;
	u64 v[__LBNIC_NET_STAT_MAX];
	struct nlattr *nest;
	unsigned int start;
	int cpu, i;

	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(ln->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			memcpy(v, s->c, sizeof(v));
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __LBNIC_NET_STAT_MAX; i++)
			sum[i] += v[i];
	}
	nest = nla_nest_start(skb, LBNIC_A_NET_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __LBNIC_NET_STAT_MAX; i++) {
		if (nla_put_u64_64bit(skb, lbnic_net_stat_attrs[i], sum[i],
				      LBNIC_NET_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static u64 lbnic_features(void)
{
	u64 features = 0;

	if (IS_ENABLED(CONFIG_IPV6))
		features |= LBNIC_FEATURE_IPV6;
	return features;
}

static int lbnic_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &lbnic_genl_family, 0,
				LBNIC_CMD_GET_INFO);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}

	err = -EMSGSIZE;
	if (nla_put_string(msg, LBNIC_A_VERSION, LBNIC_VERSION) ||
	    nla_put_u64_64bit(msg, LBNIC_A_FEATURES, lbnic_features(),
			      LBNIC_A_PAD))
		goto err_free;
	mutex_lock(&ln->lock);
	err = lbnic_fill_config(msg, ln);
	mutex_unlock(&ln->lock);
	if (!err)
		err = lbnic_fill_net_stats(msg, ln);
	if (err)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/*
 * Only what is given changes, and all of it or none: what can fail is done
 * first (the offload queue, which nothing uses until its threshold is set;
 * conn-max's bound and reservation), then everything is applied.  The
 * table's buckets stay as they were made.
 */
static int lbnic_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_CONFIG_A_MAX + 1], *a, *nest, *pkts, *age;
	struct lbnic_conn_table *t;
	u32 packets, age_ms;
	bool changed = false;
	int i, err;

	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_CONFIG,
			       "missing config attribute"))
		return -EINVAL;
	nest = info->attrs[LBNIC_A_CONFIG];
	err = nla_parse_nested(tb, LBNIC_CONFIG_A_MAX, nest, lbnic_config_policy,
			       info->extack);
	if (err)
		return err;
	pkts = tb[LBNIC_CONFIG_A_OFFLOAD_PACKETS];
	age = tb[LBNIC_CONFIG_A_OFFLOAD_AGE];
	a = tb[LBNIC_CONFIG_A_CONN_MAX];

	mutex_lock(&ln->lock);
	packets = pkts ? nla_get_u32(pkts) : ln->offload.packets;
	age_ms = age ? nla_get_u32(age) : jiffies_to_msecs(ln->offload.age);
	err = lbnic_offload_prepare(ln, packets);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "no memory for the offload event queue");
		goto out_unlock;
	}
	t = rcu_dereference_protected(ln->conns, lockdep_is_held(&ln->lock));
	if (a) {
		err = lbnic_limits_check_conn_max(ln, nla_get_u32(a), a, info->extack);
		if (!err && t)
			err = lbnic_limits_reserve(ln, &t->reserved, nla_get_u32(a),
						   info->extack);
		if (err)
			goto out_unlock;
		WRITE_ONCE(ln->conn_max, nla_get_u32(a));
		changed = true;
	}
	for (i = 0; i < ARRAY_SIZE(lbnic_timeout_attrs); i++) {
		a = tb[lbnic_timeout_attrs[i].attr];
		if (!a)
			continue;
		WRITE_ONCE(ln->timeouts.t[lbnic_timeout_attrs[i].state],
			   nla_get_u32(a) * HZ);
		changed = true;
	}
	if (pkts || age) {
		lbnic_offload_set(ln, packets, age_ms);
		changed = true;
	}
	if (!changed) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "config attribute holds no setting");
		err = -EINVAL;
	}
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

static const struct genl_ops lbnic_genl_ops[] = {
	{
		.cmd = LBNIC_CMD_GET_INFO,
		.doit = lbnic_nl_get_info,
		/* No policy: the core then refuses any attribute. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_SET_CONFIG,
		.doit = lbnic_nl_set_config,
		.policy = lbnic_set_config_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_NEW_SERVICE,
		.doit = lbnic_nl_new_service,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_DEL_SERVICE,
		.doit = lbnic_nl_del_service,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_GET_SERVICE,
		.dumpit = lbnic_nl_dump_services,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_NEW_BACKEND,
		.doit = lbnic_nl_new_backend,
		.policy = lbnic_backend_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_SET_BACKEND,
		.doit = lbnic_nl_set_backend,
		.policy = lbnic_backend_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_DEL_BACKEND,
		.doit = lbnic_nl_del_backend,
		.policy = lbnic_backend_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_GET_BACKEND,
		.dumpit = lbnic_nl_dump_backends,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_GET_CONN,
		.dumpit = lbnic_nl_dump_conns,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_FLUSH_CONN,
		.doit = lbnic_nl_flush_conns,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_GET_FLOW,
		.dumpit = lbnic_nl_dump_flows,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_SET_FLOW,
		.doit = lbnic_nl_set_flow,
		.policy = lbnic_flow_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_NEW_POOL,
		.doit = lbnic_nl_new_pool,
		.policy = lbnic_pool_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_DEL_POOL,
		.doit = lbnic_nl_del_pool,
		.policy = lbnic_pool_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_GET_POOL,
		.dumpit = lbnic_nl_dump_pools,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_NEW_ROUTE,
		.doit = lbnic_nl_new_route,
		.policy = lbnic_route_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_DEL_ROUTE,
		.doit = lbnic_nl_del_route,
		.policy = lbnic_route_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = LBNIC_CMD_GET_ROUTE,
		.dumpit = lbnic_nl_dump_routes,
		.policy = lbnic_service_cmd_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* Its events name clients and backends: for the namespace's admin only. */
static const struct genl_multicast_group lbnic_mcgrps[] = {
	[LBNIC_NLGRP_OFFLOAD] = {
		.name = LBNIC_MCGRP_OFFLOAD,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family lbnic_genl_family __ro_after_init = {
	.name = LBNIC_GENL_NAME,
	.version = LBNIC_GENL_VERSION,
	.netnsok = true,
	/*
	 * Not under genl_mutex, which every genetlink family shares: each
	 * command takes its namespace's ln->lock, or only RCU (dumps of the
	 * connection table, agent reports).
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = lbnic_genl_ops,
	.n_ops = ARRAY_SIZE(lbnic_genl_ops),
	.mcgrps = lbnic_mcgrps,
	.n_mcgrps = ARRAY_SIZE(lbnic_mcgrps),
	/* Zero: every command gets strict validation of header and attributes. */
	.resv_start_op = 0,
};

int lbnic_netlink_init(void)
{
	return genl_register_family(&lbnic_genl_family);
}

void lbnic_netlink_exit(void)
{
	genl_unregister_family(&lbnic_genl_family);
}

/* Lets "lbnic" (or any genetlink user) load the module on first request. */
MODULE_ALIAS_GENL_FAMILY(LBNIC_GENL_NAME);
