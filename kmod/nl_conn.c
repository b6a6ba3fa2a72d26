// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: netlink commands on connections (what "ipvsadm -Lnc" shows).
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "conn.h"
#include "l7.h"
#include "netlink.h"
#include "service.h"

/* Buckets a dump message may walk once it has something to send. */
#define LBNIC_DUMP_BUCKETS	16384

/* The connections of one service, by its key, or all. */
struct lbnic_conn_filter {
	bool on;
	union nf_inet_addr addr;
	__be16 port;
	u8 proto;
	u8 family;
};

struct lbnic_conn_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct lbnic_conn_filter filter;
};

/* Only candidates, and flows their rules handed back, have an offload state. */
static int lbnic_nl_put_conn_offload(struct sk_buff *skb,
				     const struct lbnic_conn *c)
{
	u8 ofl = READ_ONCE(c->ofl), state = READ_ONCE(c->ofl_state);
	u16 err = READ_ONCE(c->ofl_err);

	if (ofl != LBNIC_OFL_READY &&
	    !(ofl == LBNIC_OFL_GONE && state == LBNIC_OFFLOAD_RETURNED))
		return 0;
	if (nla_put_u8(skb, LBNIC_CONN_A_OFFLOAD, state) ||
	    nla_put_u64_64bit(skb, LBNIC_CONN_A_COOKIE, READ_ONCE(c->cookie),
			      LBNIC_CONN_A_PAD) ||
	    (err && nla_put_u32(skb, LBNIC_CONN_A_OFFLOAD_ERROR, err)))
		return -EMSGSIZE;
	return 0;
}

/* Where the entry goes: nothing yet for an http entry still reading its header. */
static int lbnic_nl_put_conn_backend(struct sk_buff *skb,
				     const struct lbnic_conn *c)
{
	if (!READ_ONCE(c->backend))
		return 0;
	if (lbnic_nl_put_addr(skb, LBNIC_CONN_A_LOCAL_ADDR, &c->laddr, c->family) ||
	    nla_put_u16(skb, LBNIC_CONN_A_LOCAL_PORT, ntohs(READ_ONCE(c->lport))) ||
	    lbnic_nl_put_addr(skb, LBNIC_CONN_A_BACKEND_ADDR, &c->daddr, c->family) ||
	    nla_put_u16(skb, LBNIC_CONN_A_BACKEND_PORT, ntohs(READ_ONCE(c->dport))))
		return -EMSGSIZE;
	return 0;
}

/*
 * An http entry's splice, read under its lock for one consistent picture.
 * The dump's RCU read section keeps @c->l7 (freed by RCU) alive.
 */
static int lbnic_nl_put_conn_http(struct sk_buff *skb, const struct lbnic_conn *c)
{
	struct lbnic_l7 *l7 = c->l7;
	u32 seq_off, ack_off, ins, ins_len, reqs;
	bool spliced, unacked;
	struct nlattr *nest;
	u8 phase;

	if (lbnic_conn_mode(c) != LBNIC_MODE_HTTP)
		return 0;
	spin_lock_bh(&l7->lock);
	phase = l7->phase;
	reqs = l7->requests;
	seq_off = l7->d;
	ack_off = l7->r_off;
	ins = l7->ins_c - l7->c_isn;
	ins_len = l7->ins_len;
	spliced = l7->flags & LBNIC_L7_F_SPLICED;
	unacked = l7->o_blen;
	spin_unlock_bh(&l7->lock);

	nest = nla_nest_start(skb, LBNIC_CONN_A_HTTP);
	if (!nest ||
	    nla_put_u8(skb, LBNIC_CONN_HTTP_A_PHASE, phase) ||
	    nla_put_u32(skb, LBNIC_CONN_HTTP_A_REQUESTS, reqs) ||
	    nla_put_u32(skb, LBNIC_CONN_HTTP_A_SEQ_OFFSET, seq_off) ||
	    (spliced && nla_put_u32(skb, LBNIC_CONN_HTTP_A_ACK_OFFSET, ack_off)) ||
	    (reqs && (nla_put_u32(skb, LBNIC_CONN_HTTP_A_INSERT_SEQ, ins) ||
		      nla_put_u32(skb, LBNIC_CONN_HTTP_A_INSERT_LEN, ins_len))) ||
	    (unacked && nla_put_flag(skb, LBNIC_CONN_HTTP_A_UNACKED)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int lbnic_nl_fill_conn(const struct lbnic_conn *c, void *arg)
{
	struct lbnic_conn_dump *d = arg;
	struct sk_buff *skb = d->skb;
	s32 left = (s32)(READ_ONCE(c->expires) - (u32)jiffies);
	struct nlattr *nest;
	void *hdr;

	if (d->filter.on &&
	    (c->vport != d->filter.port || c->proto != d->filter.proto ||
	     c->family != d->filter.family ||
	     !lbnic_addr_eq(&c->vaddr, &d->filter.addr)))
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &lbnic_genl_family,
			  NLM_F_MULTI, LBNIC_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LBNIC_A_CONN);
	if (!nest ||
	    nla_put_u8(skb, LBNIC_CONN_A_PROTO, c->proto) ||
	    lbnic_nl_put_addr(skb, LBNIC_CONN_A_CLIENT_ADDR, &c->caddr, c->family) ||
	    nla_put_u16(skb, LBNIC_CONN_A_CLIENT_PORT, ntohs(c->cport)) ||
	    lbnic_nl_put_addr(skb, LBNIC_CONN_A_VIP_ADDR, &c->vaddr, c->family) ||
	    nla_put_u16(skb, LBNIC_CONN_A_VIP_PORT, ntohs(c->vport)) ||
	    lbnic_nl_put_conn_backend(skb, c) ||
	    nla_put_u8(skb, LBNIC_CONN_A_STATE, READ_ONCE(c->state)) ||
	    nla_put_u8(skb, LBNIC_CONN_A_MODE, lbnic_conn_mode(c)) ||
	    nla_put_u32(skb, LBNIC_CONN_A_EXPIRES,
			left > 0 ? jiffies_to_msecs(left) : 0) ||
	    nla_put_u64_64bit(skb, LBNIC_CONN_A_PACKETS_ORIG,
			      atomic64_read(&c->packets[LBNIC_DIR_ORIG]), LBNIC_CONN_A_PAD) ||
	    nla_put_u64_64bit(skb, LBNIC_CONN_A_PACKETS_REPLY,
			      atomic64_read(&c->packets[LBNIC_DIR_REPLY]), LBNIC_CONN_A_PAD) ||
	    lbnic_nl_put_conn_offload(skb, c) ||
	    lbnic_nl_put_conn_http(skb, c)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* The optional service filter; ERR_PTR if it names no service. */
static struct lbnic_service *lbnic_nl_conn_filter(struct lbnic_net *ln,
						  struct nlattr **attrs,
						  struct netlink_ext_ack *extack)
{
	if (!attrs || !attrs[LBNIC_A_SERVICE])
		return NULL;
	return lbnic_nl_service_lookup(ln, attrs[LBNIC_A_SERVICE], extack);
}

/*
 * One dump message's worth of @fn over the connection table.  No lock is
 * held (an RCU read section spans at most 256 buckets), and a message
 * stops after LBNIC_DUMP_BUCKETS of them once it holds something: a huge,
 * sparse table costs the dumping process time, not everyone else a lock.
 */
int lbnic_nl_dump_table(struct sk_buff *skb, struct netlink_callback *cb,
			int (*fn)(const struct lbnic_conn *c, void *arg),
			void *arg)
{
	struct lbnic_net *ln = lbnic_pernet(sock_net(skb->sk));
	struct lbnic_conn_pos *pos = (struct lbnic_conn_pos *)cb->args;
	struct lbnic_conn_table *t;
	int err;

	BUILD_BUG_ON(sizeof(*pos) > sizeof(cb->args));
	/*
	 * Made with the first service, freed only at netns exit, which the
	 * dumping socket's reference on its namespace holds off.
	 */
	rcu_read_lock();
	t = rcu_dereference(ln->conns);
	rcu_read_unlock();
	if (!t)
		return 0;
	/* A message still empty must not end the dump: walk on. */
	do
		err = lbnic_conn_walk(t, pos, fn, arg, LBNIC_DUMP_BUCKETS);
	while (err == 1 && !skb->len);
	if (err == 1)
		err = 0;
	return err && !skb->len ? err : skb->len;
}

int lbnic_nl_dump_conns(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lbnic_net *ln = lbnic_pernet(sock_net(skb->sk));
	struct lbnic_conn_dump d = { .skb = skb, .cb = cb };
	struct lbnic_service *svc;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_conn_filter(ln, lbnic_dump_attrs(cb), cb->extack);
	if (!IS_ERR_OR_NULL(svc)) {
		d.filter = (struct lbnic_conn_filter) {
			.on = true, .addr = svc->addr, .port = svc->port,
			.proto = svc->proto, .family = svc->family,
		};
	}
	mutex_unlock(&ln->lock);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	return lbnic_nl_dump_table(skb, cb, lbnic_nl_fill_conn, &d);
}

int lbnic_nl_flush_conns(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct lbnic_service *svc;
	struct lbnic_conn_table *t;
	int err = 0;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_conn_filter(ln, info->attrs, info->extack);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	t = rcu_dereference_protected(ln->conns, lockdep_is_held(&ln->lock));
	if (t)
		lbnic_conn_flush(t, svc ? lbnic_conn_of_service : NULL, svc);
out:
	mutex_unlock(&ln->lock);
	return err;
}
