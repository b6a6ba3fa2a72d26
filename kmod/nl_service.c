// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: netlink commands on services and backends.
 */
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/sock.h>

#include "fwd.h"
#include "l7.h"
#include "netlink.h"
#include "route.h"
#include "sched.h"
#include "service.h"

/* ADDR, PORT and PROTO: what names a service. */
static int lbnic_nl_service_key(struct nlattr **tb, struct nlattr *nest,
				struct lbnic_service_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	int err;

	if (LBNIC_REQUIRE_ATTR(extack, nest, tb, LBNIC_SERVICE_A_ADDR,
			       "missing service address") ||
	    LBNIC_REQUIRE_ATTR(extack, nest, tb, LBNIC_SERVICE_A_PORT,
			       "missing service port") ||
	    LBNIC_REQUIRE_ATTR(extack, nest, tb, LBNIC_SERVICE_A_PROTO,
			       "missing service protocol"))
		return -EINVAL;
	err = lbnic_nl_get_addr(tb[LBNIC_SERVICE_A_ADDR], &cfg->addr,
				&cfg->family, extack);
	if (err)
		return err;
	cfg->port = htons(nla_get_u16(tb[LBNIC_SERVICE_A_PORT]));
	cfg->proto = nla_get_u8(tb[LBNIC_SERVICE_A_PROTO]);
	if (cfg->proto != IPPROTO_TCP && cfg->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LBNIC_SERVICE_A_PROTO],
				    "protocol must be TCP (6) or UDP (17)");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

struct lbnic_service *lbnic_nl_service_lookup(struct lbnic_net *ln,
					      struct nlattr *nest,
					      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LBNIC_SERVICE_A_MAX + 1];
	struct lbnic_service_cfg key;
	struct lbnic_service *svc;
	int err;

	lockdep_assert_held(&ln->lock);
	err = nla_parse_nested(tb, LBNIC_SERVICE_A_MAX, nest,
			       lbnic_service_policy, extack);
	if (!err)
		err = lbnic_nl_service_key(tb, nest, &key, extack);
	if (err)
		return ERR_PTR(err);
	svc = lbnic_service_find(ln, &key.addr, key.port, key.proto, key.family);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "service not found");
		return ERR_PTR(-ENOENT);
	}
	return svc;
}

static bool lbnic_is_prime(u32 n)
{
	u32 d;

	if (n < 2 || !(n % 2))
		return n == 2;
	for (d = 3; d <= n / d; d += 2)
		if (!(n % d))
			return false;
	return true;
}

/*
 * fullnat's source ports.  A reply to one of them is lbnic's, so they must
 * stay out of the range local sockets take their ports from: a health check
 * or any connection this host makes from the SNAT address would lose its
 * replies to lbnic.  By default, the larger part of 1024..65535 left of it.
 */
static int lbnic_nl_snat_ports(struct net *net, struct nlattr **tb,
			       struct lbnic_service_cfg *cfg,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *lo = tb[LBNIC_SERVICE_A_SNAT_PORT_MIN];
	struct nlattr *hi = tb[LBNIC_SERVICE_A_SNAT_PORT_MAX];
	int low, high;

	inet_get_local_port_range(net, &low, &high);
	if (!lo && !hi) {
		if (low - 1024 >= 65535 - high) {
			cfg->snat_port_min = 1024;
			cfg->snat_port_max = low - 1;
		} else {
			cfg->snat_port_min = high + 1;
			cfg->snat_port_max = 65535;
		}
		if (cfg->snat_port_min > cfg->snat_port_max) {
			NL_SET_ERR_MSG(extack,
				       "ip_local_port_range leaves no SNAT ports above 1023: give snat-ports");
			return -EINVAL;
		}
		return 0;
	}
	if (!lo || !hi) {
		NL_SET_ERR_MSG_ATTR(extack, lo ?: hi,
				    "SNAT port range needs both its ends");
		return -EINVAL;
	}
	cfg->snat_port_min = nla_get_u16(lo);
	cfg->snat_port_max = nla_get_u16(hi);
	if (cfg->snat_port_min > cfg->snat_port_max) {
		NL_SET_ERR_MSG_ATTR(extack, lo, "SNAT port range is empty");
		return -EINVAL;
	}
	if (cfg->snat_port_min <= high && cfg->snat_port_max >= low) {
		NL_SET_ERR_MSG_ATTR(extack, lo,
				    "SNAT ports overlap ip_local_port_range: local connections would lose their replies");
		return -EINVAL;
	}
	return 0;
}

/* Everything a new service is made of, checked as a whole. */
static int lbnic_nl_service_cfg(struct net *net, struct nlattr **tb,
				struct nlattr *nest,
				struct lbnic_service_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	u8 family;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	err = lbnic_nl_service_key(tb, nest, cfg, extack);
	if (err)
		return err;

	cfg->sched = &lbnic_sched_maglev;
	a = tb[LBNIC_SERVICE_A_SCHED];
	if (a) {
		cfg->sched = lbnic_sched_find(nla_data(a));
		if (!cfg->sched) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "unknown scheduler (maglev, wrr, lc, sh)");
			return -ENOENT;
		}
	}
	cfg->mode = tb[LBNIC_SERVICE_A_MODE] ?
		    nla_get_u8(tb[LBNIC_SERVICE_A_MODE]) : LBNIC_MODE_NAT;
	if (tb[LBNIC_SERVICE_A_FLAGS])
		cfg->flags = nla_get_u32(tb[LBNIC_SERVICE_A_FLAGS]);
	if (cfg->mode == LBNIC_MODE_HTTP) {
		if (!IS_ENABLED(CONFIG_SYN_COOKIES)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LBNIC_SERVICE_A_MODE],
					    "http mode needs a kernel with CONFIG_SYN_COOKIES");
			return -EOPNOTSUPP;
		}
		if (cfg->proto != IPPROTO_TCP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LBNIC_SERVICE_A_MODE],
					    "http mode is for TCP services only");
			return -EINVAL;
		}
	}
	a = tb[LBNIC_SERVICE_A_HTTP_FIELD];
	if (a) {
		if (cfg->mode != LBNIC_MODE_HTTP) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "an inserted field is for http services only");
			return -EINVAL;
		}
		cfg->http_field = nla_get_u8(a);
	}
	if (cfg->flags & LBNIC_SERVICE_F_STATELESS) {
		if (cfg->proto != IPPROTO_UDP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LBNIC_SERVICE_A_FLAGS],
					    "stateless is for UDP services only");
			return -EINVAL;
		}
		if (!lbnic_fwd_ops_of(cfg->mode)->xmit_stateless) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LBNIC_SERVICE_A_FLAGS],
					    "stateless works with nat and dsr only");
			return -EINVAL;
		}
	}

	cfg->maglev_size = LBNIC_MAGLEV_SIZE_DEFAULT;
	a = tb[LBNIC_SERVICE_A_MAGLEV_SIZE];
	if (a) {
		cfg->maglev_size = nla_get_u32(a);
		if (!lbnic_is_prime(cfg->maglev_size)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "maglev table size must be a prime");
			return -EINVAL;
		}
	}

	a = tb[LBNIC_SERVICE_A_SNAT_ADDR];
	if (!lbnic_fwd_ops_of(cfg->mode)->snat) {
		a = a ?: tb[LBNIC_SERVICE_A_SNAT_PORT_MIN] ?:
			tb[LBNIC_SERVICE_A_SNAT_PORT_MAX];
		if (a) {
			NL_SET_ERR_MSG_ATTR(extack, a, "SNAT settings need fullnat or http mode");
			return -EINVAL;
		}
		return 0;
	}
	if (LBNIC_REQUIRE_ATTR(extack, nest, tb, LBNIC_SERVICE_A_SNAT_ADDR,
			       "fullnat and http need an SNAT address"))
		return -EINVAL;
	err = lbnic_nl_get_addr(a, &cfg->snat_addr, &family, extack);
	if (err)
		return err;
	if (family != cfg->family) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "SNAT address family differs from the service's");
		return -EAFNOSUPPORT;
	}
	return lbnic_nl_snat_ports(net, tb, cfg, extack);
}

static int lbnic_nl_service_attrs(struct genl_info *info, struct nlattr **tb)
{
	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_SERVICE,
			       "missing service attribute"))
		return -EINVAL;
	return nla_parse_nested(tb, LBNIC_SERVICE_A_MAX,
				info->attrs[LBNIC_A_SERVICE],
				lbnic_service_policy, info->extack);
}

int lbnic_nl_new_service(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_SERVICE_A_MAX + 1];
	struct lbnic_service_cfg cfg;
	int err;

	err = lbnic_nl_service_attrs(info, tb);
	if (err)
		return err;
	err = lbnic_nl_service_cfg(genl_info_net(info), tb,
				   info->attrs[LBNIC_A_SERVICE], &cfg, info->extack);
	if (err)
		return err;
	mutex_lock(&ln->lock);
	err = lbnic_service_add(ln, &cfg, info->extack);
	mutex_unlock(&ln->lock);
	return err;
}

int lbnic_nl_del_service(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct lbnic_service *svc;

	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_SERVICE,
			       "missing service attribute"))
		return -EINVAL;
	mutex_lock(&ln->lock);
	svc = lbnic_nl_service_lookup(ln, info->attrs[LBNIC_A_SERVICE],
				      info->extack);
	if (!IS_ERR(svc))
		lbnic_service_del(ln, svc);
	mutex_unlock(&ln->lock);
	return PTR_ERR_OR_ZERO(svc);
}

static int lbnic_nl_fill_service(struct sk_buff *skb, struct lbnic_service *svc,
				 struct netlink_callback *cb)
{
	struct lbnic_stats st;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lbnic_genl_family, NLM_F_MULTI, LBNIC_CMD_GET_SERVICE);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LBNIC_A_SERVICE);
	if (!nest)
		goto err_cancel;
	lbnic_stats_read(svc->stats, &svc->active, &svc->inactive, &st);
	if (lbnic_nl_put_addr(skb, LBNIC_SERVICE_A_ADDR, &svc->addr, svc->family) ||
	    nla_put_u16(skb, LBNIC_SERVICE_A_PORT, ntohs(svc->port)) ||
	    nla_put_u8(skb, LBNIC_SERVICE_A_PROTO, svc->proto) ||
	    nla_put_string(skb, LBNIC_SERVICE_A_SCHED, svc->pool.sched->name) ||
	    nla_put_u8(skb, LBNIC_SERVICE_A_MODE, svc->mode) ||
	    nla_put_u32(skb, LBNIC_SERVICE_A_FLAGS, svc->flags) ||
	    nla_put_u32(skb, LBNIC_SERVICE_A_MAGLEV_SIZE, svc->maglev_size) ||
	    lbnic_nl_put_stats(skb, LBNIC_SERVICE_A_STATS, &st))
		goto err_cancel;
	if (lbnic_fwd_ops_of(svc->mode)->snat &&
	    (lbnic_nl_put_addr(skb, LBNIC_SERVICE_A_SNAT_ADDR, &svc->snat_addr,
			       svc->family) ||
	     nla_put_u16(skb, LBNIC_SERVICE_A_SNAT_PORT_MIN, svc->snat_port_min) ||
	     nla_put_u16(skb, LBNIC_SERVICE_A_SNAT_PORT_MAX, svc->snat_port_max)))
		goto err_cancel;
	if (svc->mode == LBNIC_MODE_HTTP &&
	    nla_put_u8(skb, LBNIC_SERVICE_A_HTTP_FIELD, svc->http_field))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int lbnic_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lbnic_net *ln = lbnic_pernet(sock_net(skb->sk));
	unsigned long bucket = cb->args[0], skip = cb->args[1], i;
	struct lbnic_service *svc;
	int err = 0;

	mutex_lock(&ln->lock);
	for (; bucket < ARRAY_SIZE(ln->services); bucket++, skip = 0) {
		i = 0;
		hlist_for_each_entry(svc, &ln->services[bucket], hnode) {
			if (i++ < skip)
				continue;
			err = lbnic_nl_fill_service(skb, svc, cb);
			if (err) {
				skip = i - 1;
				goto out;
			}
		}
	}
out:
	mutex_unlock(&ln->lock);
	cb->args[0] = bucket;
	cb->args[1] = skip;
	return err && !skb->len ? err : skb->len;
}

/* LBNIC_A_SERVICE names the service; LBNIC_A_BACKEND's ADDR, PORT and POOL. */
static int lbnic_nl_backend_args(struct lbnic_net *ln, struct genl_info *info,
				 struct lbnic_pool **poolp, struct nlattr **tb,
				 union nf_inet_addr *addr, __be16 *port)
{
	struct lbnic_pool *pool;
	struct nlattr *nest = info->attrs[LBNIC_A_BACKEND];
	struct lbnic_service *svc;
	u8 family;
	int err;

	lockdep_assert_held(&ln->lock);
	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_SERVICE,
			       "missing service attribute") ||
	    LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_BACKEND,
			       "missing backend attribute"))
		return -EINVAL;
	err = nla_parse_nested(tb, LBNIC_BACKEND_A_MAX, nest,
			       lbnic_backend_policy, info->extack);
	if (err)
		return err;
	if (LBNIC_REQUIRE_ATTR(info->extack, nest, tb, LBNIC_BACKEND_A_ADDR,
			       "missing backend address") ||
	    LBNIC_REQUIRE_ATTR(info->extack, nest, tb, LBNIC_BACKEND_A_PORT,
			       "missing backend port"))
		return -EINVAL;
	svc = lbnic_nl_service_lookup(ln, info->attrs[LBNIC_A_SERVICE],
				      info->extack);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	err = lbnic_nl_get_addr(tb[LBNIC_BACKEND_A_ADDR], addr, &family,
				info->extack);
	if (err)
		return err;
	if (family != svc->family) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LBNIC_BACKEND_A_ADDR],
				    "backend address family differs from the service's");
		return -EAFNOSUPPORT;
	}
	pool = lbnic_nl_pool_lookup(svc, tb[LBNIC_BACKEND_A_POOL], info->extack);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	*port = htons(nla_get_u16(tb[LBNIC_BACKEND_A_PORT]));
	*poolp = pool;
	return 0;
}

int lbnic_nl_new_backend(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_BACKEND_A_MAX + 1];
	struct lbnic_pool *pool;
	union nf_inet_addr addr;
	u32 weight = 1;
	__be16 port;
	int err;

	mutex_lock(&ln->lock);
	err = lbnic_nl_backend_args(ln, info, &pool, tb, &addr, &port);
	if (err)
		goto out;
	if (tb[LBNIC_BACKEND_A_WEIGHT])
		weight = nla_get_u32(tb[LBNIC_BACKEND_A_WEIGHT]);
	if (!weight) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LBNIC_BACKEND_A_WEIGHT],
				    "a new backend needs a weight of 1 or more (0 drains: use set)");
		err = -EINVAL;
		goto out;
	}
	if (!lbnic_fwd_ops_of(pool->svc->mode)->rewrites && port != pool->svc->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LBNIC_BACKEND_A_PORT],
				    "dsr cannot change ports: the backend port must be the service's");
		err = -EINVAL;
		goto out;
	}
	err = lbnic_backend_add(pool, &addr, port, weight, info->extack);
out:
	mutex_unlock(&ln->lock);
	return err;
}

/* The existing backend a SET or DEL names.  Under ln->lock. */
static struct lbnic_backend *lbnic_nl_backend_get(struct lbnic_net *ln,
						  struct genl_info *info,
						  struct nlattr **tb)
{
	struct lbnic_backend *be;
	struct lbnic_pool *pool;
	union nf_inet_addr addr;
	__be16 port;
	int err;

	err = lbnic_nl_backend_args(ln, info, &pool, tb, &addr, &port);
	if (err)
		return ERR_PTR(err);
	be = lbnic_backend_find(pool, &addr, port);
	if (!be) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LBNIC_BACKEND_A_ADDR],
				    "backend not found");
		return ERR_PTR(-ENOENT);
	}
	return be;
}

int lbnic_nl_set_backend(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_BACKEND_A_MAX + 1];
	struct lbnic_backend *be;
	int err;

	mutex_lock(&ln->lock);
	be = lbnic_nl_backend_get(ln, info, tb);
	if (IS_ERR(be))
		err = PTR_ERR(be);
	else if (LBNIC_REQUIRE_ATTR(info->extack, info->attrs[LBNIC_A_BACKEND], tb,
				    LBNIC_BACKEND_A_WEIGHT, "missing backend weight"))
		err = -EINVAL;
	else
		err = lbnic_backend_set_weight(be, nla_get_u32(tb[LBNIC_BACKEND_A_WEIGHT]),
					       info->extack);
	mutex_unlock(&ln->lock);
	return err;
}

int lbnic_nl_del_backend(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_BACKEND_A_MAX + 1];
	struct lbnic_backend *be;

	mutex_lock(&ln->lock);
	be = lbnic_nl_backend_get(ln, info, tb);
	if (!IS_ERR(be))
		lbnic_backend_del(be, nla_get_flag(tb[LBNIC_BACKEND_A_FLUSH]));
	mutex_unlock(&ln->lock);
	return PTR_ERR_OR_ZERO(be);
}

static int lbnic_nl_fill_backend(struct sk_buff *skb, struct lbnic_backend *be,
				 struct netlink_callback *cb)
{
	struct lbnic_stats st;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lbnic_genl_family, NLM_F_MULTI, LBNIC_CMD_GET_BACKEND);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LBNIC_A_BACKEND);
	if (!nest)
		goto err_cancel;
	lbnic_stats_read(be->stats, &be->active, &be->inactive, &st);
	if (lbnic_nl_put_addr(skb, LBNIC_BACKEND_A_ADDR, &be->addr, be->svc->family) ||
	    nla_put_u16(skb, LBNIC_BACKEND_A_PORT, ntohs(be->port)) ||
	    nla_put_u32(skb, LBNIC_BACKEND_A_WEIGHT, be->weight) ||
	    (be->pool->name[0] &&
	     nla_put_string(skb, LBNIC_BACKEND_A_POOL, be->pool->name)) ||
	    lbnic_nl_put_stats(skb, LBNIC_BACKEND_A_STATS, &st))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The default pool's backends, then each named pool's, in their order. */
int lbnic_nl_dump_backends(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lbnic_net *ln = lbnic_pernet(sock_net(skb->sk));
	struct nlattr **attrs = lbnic_dump_attrs(cb);
	unsigned long p = cb->args[0], skip = cb->args[1], i;
	struct lbnic_service *svc;
	struct lbnic_backend *be;
	struct lbnic_pool *pool;
	int err = 0;

	if (LBNIC_REQUIRE_ATTR(cb->extack, NULL, attrs, LBNIC_A_SERVICE,
			       "missing service attribute"))
		return -EINVAL;
	mutex_lock(&ln->lock);
	svc = lbnic_nl_service_lookup(ln, attrs[LBNIC_A_SERVICE], cb->extack);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	for (; (pool = lbnic_pool_nth(svc, p)); p++, skip = 0) {
		i = 0;
		list_for_each_entry(be, &pool->backends, list) {
			if (i++ < skip)
				continue;
			err = lbnic_nl_fill_backend(skb, be, cb);
			if (err) {
				skip = i - 1;
				goto out_pos;
			}
		}
	}
out_pos:
	cb->args[0] = p;
	cb->args[1] = skip;
out:
	mutex_unlock(&ln->lock);
	return err && !skb->len ? err : skb->len;
}
