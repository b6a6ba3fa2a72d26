// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: netlink for flow offload: the events of the "offload" group, the
 * candidates' dump and the agent's reports (Documentation/offload.rst).
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/jiffies.h>
#include <net/dst.h>
#include <net/genetlink.h>
#include <net/neighbour.h>
#include <net/sock.h>

#include "fwd.h"
#include "netlink.h"
#include "offload.h"

static int lbnic_nl_put_flow_id(struct sk_buff *msg,
				const struct lbnic_ofl_event *ev)
{
	if (nla_put_u64_64bit(msg, LBNIC_FLOW_A_COOKIE, ev->cookie, LBNIC_FLOW_A_PAD) ||
	    nla_put_u8(msg, LBNIC_FLOW_A_PROTO, ev->proto) ||
	    lbnic_nl_put_addr(msg, LBNIC_FLOW_A_CLIENT_ADDR, &ev->caddr, ev->family) ||
	    nla_put_u16(msg, LBNIC_FLOW_A_CLIENT_PORT, ntohs(ev->cport)) ||
	    lbnic_nl_put_addr(msg, LBNIC_FLOW_A_VIP_ADDR, &ev->vaddr, ev->family) ||
	    nla_put_u16(msg, LBNIC_FLOW_A_VIP_PORT, ntohs(ev->vport)))
		return -EMSGSIZE;
	return 0;
}

static int lbnic_nl_put_flow_dir(struct sk_buff *msg, int type, struct net *net,
				 const struct lbnic_conn *c, enum lbnic_dir dir)
{
	u8 fam = c->family, dmac[ETH_ALEN];
	struct lbnic_flow_dir f;
	struct net_device *dev;
	struct dst_entry *dst;
	struct nlattr *nest;
	struct neighbour *n;
	int err;

	lbnic_conn_ops(c)->flow_dir(c, dir, &f);
	dst = lbnic_route(net, fam, f.hop, 0);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	dev = dst->dev;
	/* The rule rewrites Ethernet addresses: nothing else is offloadable. */
	err = -EOPNOTSUPP;
	if (dev->type != ARPHRD_ETHER)
		goto err_dst;
	err = -EAGAIN;
	n = dst_neigh_lookup(dst, f.hop);
	if (!n)
		goto err_dst;
	if (!(READ_ONCE(n->nud_state) & NUD_VALID)) {
		neigh_event_send(n, NULL);
		goto err_neigh;
	}
	neigh_ha_snapshot(dmac, n, dev);

	err = -EMSGSIZE;
	nest = nla_nest_start(msg, type);
	if (!nest ||
	    nla_put_u32(msg, LBNIC_FLOW_DIR_A_IIF, READ_ONCE(c->iif[dir])) ||
	    lbnic_nl_put_addr(msg, LBNIC_FLOW_DIR_A_SADDR, f.saddr, fam) ||
	    lbnic_nl_put_addr(msg, LBNIC_FLOW_DIR_A_DADDR, f.daddr, fam) ||
	    nla_put_u16(msg, LBNIC_FLOW_DIR_A_SPORT, ntohs(f.sport)) ||
	    nla_put_u16(msg, LBNIC_FLOW_DIR_A_DPORT, ntohs(f.dport)) ||
	    lbnic_nl_put_addr(msg, LBNIC_FLOW_DIR_A_NEW_SADDR, f.new_saddr, fam) ||
	    lbnic_nl_put_addr(msg, LBNIC_FLOW_DIR_A_NEW_DADDR, f.new_daddr, fam) ||
	    nla_put_u16(msg, LBNIC_FLOW_DIR_A_NEW_SPORT, ntohs(f.new_sport)) ||
	    nla_put_u16(msg, LBNIC_FLOW_DIR_A_NEW_DPORT, ntohs(f.new_dport)) ||
	    nla_put(msg, LBNIC_FLOW_DIR_A_SMAC, ETH_ALEN, dev->dev_addr) ||
	    nla_put(msg, LBNIC_FLOW_DIR_A_DMAC, ETH_ALEN, dmac) ||
	    nla_put_u32(msg, LBNIC_FLOW_DIR_A_OIF, dev->ifindex))
		goto err_neigh;
	nla_nest_end(msg, nest);
	err = 0;

err_neigh:
	neigh_release(n);
err_dst:
	dst_release(dst);
	return err;
}

/*
 * A flow-ready message for @c; -EAGAIN while a next hop is unresolved,
 * -EOPNOTSUPP for a non-Ethernet egress.  Under rcu_read_lock().
 */
int lbnic_nl_flow_fill(struct sk_buff *msg, struct net *net,
		       const struct lbnic_conn *c, u32 portid, u32 seq, int flags)
{
	struct lbnic_ofl_event id;
	struct nlattr *nest;
	void *hdr;
	int err;

	hdr = genlmsg_put(msg, portid, seq, &lbnic_genl_family, flags,
			  LBNIC_CMD_FLOW_READY);
	if (!hdr)
		return -EMSGSIZE;
	lbnic_offload_event_of(c, &id);
	err = -EMSGSIZE;
	nest = nla_nest_start(msg, LBNIC_A_FLOW);
	if (!nest || lbnic_nl_put_flow_id(msg, &id) ||
	    nla_put_u32(msg, LBNIC_FLOW_A_AGE,
			jiffies_to_msecs((u32)jiffies - c->created)))
		goto err_cancel;
	err = lbnic_nl_put_flow_dir(msg, LBNIC_FLOW_A_ORIG, net, c, LBNIC_DIR_ORIG);
	if (!err && lbnic_conn_ops(c)->two_way)
		err = lbnic_nl_put_flow_dir(msg, LBNIC_FLOW_A_REPLY, net, c,
					    LBNIC_DIR_REPLY);
	if (err)
		goto err_cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return err;
}

struct sk_buff *lbnic_nl_flow_gone_msg(const struct lbnic_ofl_event *ev)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	hdr = genlmsg_put(msg, 0, 0, &lbnic_genl_family, 0, LBNIC_CMD_FLOW_GONE);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, LBNIC_A_FLOW);
	if (!nest || lbnic_nl_put_flow_id(msg, ev))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return msg;

err_free:
	nlmsg_free(msg);
	return ERR_PTR(-EMSGSIZE);
}

/* Tells the listeners that events were lost; -ENOMEM if it could not. */
int lbnic_nl_offload_resync(struct net *net)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(0, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &lbnic_genl_family, 0, LBNIC_CMD_FLOW_RESYNC);
	if (!hdr) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	genlmsg_end(msg, hdr);
	lbnic_nl_offload_notify(net, msg);
	return 0;
}

bool lbnic_nl_offload_listened(struct net *net)
{
	return genl_has_listeners(&lbnic_genl_family, net, LBNIC_NLGRP_OFFLOAD);
}

void lbnic_nl_offload_notify(struct net *net, struct sk_buff *msg)
{
	genlmsg_multicast_netns(&lbnic_genl_family, net, msg, 0,
				LBNIC_NLGRP_OFFLOAD, GFP_KERNEL);
}

struct lbnic_flow_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int lbnic_nl_dump_flow(const struct lbnic_conn *c, void *arg)
{
	struct lbnic_flow_dump *d = arg;
	int err;

	if (READ_ONCE(c->ofl) != LBNIC_OFL_READY || !READ_ONCE(c->cookie))
		return 0;
	err = lbnic_nl_flow_fill(d->skb, sock_net(d->skb->sk), c,
				 NETLINK_CB(d->cb->skb).portid,
				 d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
	/* Only a full message stops the walk; the rest is left out. */
	return err == -EMSGSIZE ? err : 0;
}

int lbnic_nl_dump_flows(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lbnic_flow_dump d = { .skb = skb, .cb = cb };

	return lbnic_nl_dump_table(skb, cb, lbnic_nl_dump_flow, &d);
}

/* The agent's word on @c; written only when it changes, as it rarely does. */
static void lbnic_offload_report(struct lbnic_conn *c, u8 state, u32 err)
{
	if (READ_ONCE(c->ofl_state) != state)
		WRITE_ONCE(c->ofl_state, state);
	if (READ_ONCE(c->ofl_err) != err)
		WRITE_ONCE(c->ofl_err, err);
}

/* Hardware saw the flow @ms ago: its timeout restarts from then. */
static void lbnic_offload_used(struct lbnic_net *ln, struct lbnic_conn *c,
			       u32 ms)
{
	u32 used = (u32)jiffies - msecs_to_jiffies(ms);
	u32 expires = used + lbnic_conn_timeout(c, &ln->timeouts);

	if ((s32)(expires - READ_ONCE(c->expires)) > 0)
		WRITE_ONCE(c->expires, expires);
}

static int lbnic_nl_flow_tuple(struct nlattr **tb, struct nlattr *nest,
			       struct lbnic_tuple *k,
			       struct netlink_ext_ack *extack)
{
	static const int required[] = {
		LBNIC_FLOW_A_COOKIE, LBNIC_FLOW_A_PROTO,
		LBNIC_FLOW_A_CLIENT_ADDR, LBNIC_FLOW_A_CLIENT_PORT,
		LBNIC_FLOW_A_VIP_ADDR, LBNIC_FLOW_A_VIP_PORT,
		LBNIC_FLOW_A_STATE,
	};
	u8 vfam;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (LBNIC_REQUIRE_ATTR(extack, nest, tb, required[i],
				       "flow lacks cookie, tuple or state"))
			return -EINVAL;
	err = lbnic_nl_get_addr(tb[LBNIC_FLOW_A_CLIENT_ADDR], &k->saddr,
				&k->family, extack);
	if (err)
		return err;
	err = lbnic_nl_get_addr(tb[LBNIC_FLOW_A_VIP_ADDR], &k->daddr, &vfam,
				extack);
	if (err)
		return err;
	if (vfam != k->family) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LBNIC_FLOW_A_VIP_ADDR],
				    "client and VIP addresses differ in family");
		return -EINVAL;
	}
	k->sport = htons(nla_get_u16(tb[LBNIC_FLOW_A_CLIENT_PORT]));
	k->dport = htons(nla_get_u16(tb[LBNIC_FLOW_A_VIP_PORT]));
	k->proto = nla_get_u8(tb[LBNIC_FLOW_A_PROTO]);
	return 0;
}

int lbnic_nl_set_flow(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_FLOW_A_MAX + 1];
	struct lbnic_tuple k = {};
	struct lbnic_conn_table *t;
	struct lbnic_conn *c;
	enum lbnic_dir dir;
	struct nlattr *nest;
	u8 state;
	int err;

	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_FLOW,
			       "missing flow attribute"))
		return -EINVAL;
	nest = info->attrs[LBNIC_A_FLOW];
	err = nla_parse_nested(tb, LBNIC_FLOW_A_MAX, nest, lbnic_flow_policy,
			       info->extack);
	if (err)
		return err;
	err = lbnic_nl_flow_tuple(tb, nest, &k, info->extack);
	if (err)
		return err;

	rcu_read_lock();
	t = rcu_dereference(ln->conns);
	c = t ? lbnic_conn_lookup(t, &k, &dir) : NULL;
	if (!c || dir != LBNIC_DIR_ORIG || READ_ONCE(c->ofl) != LBNIC_OFL_READY ||
	    READ_ONCE(c->cookie) != nla_get_u64(tb[LBNIC_FLOW_A_COOKIE])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LBNIC_FLOW_A_COOKIE],
				    "no offload candidate with this tuple and cookie");
		err = -ENOENT;
		goto out;
	}
	state = nla_get_u8(tb[LBNIC_FLOW_A_STATE]);
	lbnic_offload_report(c, state, tb[LBNIC_FLOW_A_ERROR] ?
			     nla_get_u32(tb[LBNIC_FLOW_A_ERROR]) : 0);
	/* Its rules are gone: lbnic's for good, never announced again. */
	if (state == LBNIC_OFFLOAD_RETURNED)
		cmpxchg(&c->ofl, LBNIC_OFL_READY, LBNIC_OFL_GONE);
	else if (tb[LBNIC_FLOW_A_LASTUSED])
		lbnic_offload_used(ln, c, nla_get_u32(tb[LBNIC_FLOW_A_LASTUSED]));
out:
	rcu_read_unlock();
	return err;
}
