// SPDX-License-Identifier: GPL-2.0
/*
 * lbnicd: a flow's two TC flower rules over rtnetlink, as iproute2's
 * tc/f_flower.c, m_pedit.c, m_csum.c and m_mirred.c would write them:
 *
 *   flower: ingress device, ethertype, ip_proto, addresses, ports and
 *           tcp_flags with FIN and RST clear (teardown stays with lbnic);
 *   pedit:  set Ethernet addresses, then changed IP addresses and ports;
 *   csum:   IPv4 header and TCP/UDP checksums;
 *   mirred: egress redirect to the egress device.
 *
 * Only these, because they are what mlx5's eSwitch offloads (see
 * Documentation/offload.rst).  Every action carries the connection cookie.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_csum.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_pedit.h>
#include <net/if.h>
#include <netinet/in.h>

#include "mnlu.h"
#include "offload.h"

#define TC_BUFSIZE	(1 << 18)
#define TC_PARENT_INGRESS	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
#define TCP_FLAG_FIN	0x01
#define TCP_FLAG_RST	0x04
#define PEDIT_KEYS_MAX	16

int tc_open(struct tc_sock *tc)
{
	return mnlu_open(&tc->s, NETLINK_ROUTE, TC_BUFSIZE);
}

void tc_close(struct tc_sock *tc)
{
	mnlu_close(&tc->s);
}

static uint16_t ethertype(int family)
{
	return family == AF_INET ? ETH_P_IP : ETH_P_IPV6;
}

static uint16_t prio_of(const struct ofl_policy *pol, int family)
{
	return family == AF_INET ? pol->prio : pol->prio + 1;
}

static struct nlmsghdr *tc_msg(struct tc_sock *tc, size_t off, uint16_t type,
			       uint16_t flags, uint32_t ifindex, uint32_t parent,
			       uint32_t handle, uint32_t info)
{
	struct nlmsghdr *nlh = mnlu_put(&tc->s, off, type, flags);
	struct tcmsg *t;

	t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = parent;
	t->tcm_handle = handle;
	t->tcm_info = info;
	return nlh;
}

static void put_key(struct tc_pedit_sel *sel, uint16_t *htypes, uint16_t htype,
		    uint32_t off, const uint8_t *val)
{
	struct tc_pedit_key *k = &sel->keys[sel->nkeys];

	memset(k, 0, sizeof(*k));
	memcpy(&k->val, val, 4);
	k->mask = 0;		/* set the whole word */
	k->off = off;
	htypes[sel->nkeys++] = htype;
}

/* Keys for each 32-bit word that differs, of an address @len bytes long. */
static void put_addr_keys(struct tc_pedit_sel *sel, uint16_t *htypes,
			  uint16_t htype, uint32_t off, const uint8_t *old,
			  const uint8_t *new, int len)
{
	int i;

	for (i = 0; i < len; i += 4)
		if (memcmp(old + i, new + i, 4))
			put_key(sel, htypes, htype, off + i, new + i);
}

static void put_pedit(struct nlmsghdr *nlh, const struct ofl_flow *f,
		      const struct ofl_rule *r)
{
	char selbuf[sizeof(struct tc_pedit_sel) +
		    PEDIT_KEYS_MAX * sizeof(struct tc_pedit_key)] = { 0 };
	struct tc_pedit_sel *sel = (void *)selbuf;
	uint16_t htypes[PEDIT_KEYS_MAX];
	uint8_t eth[12], ports[4], oports[4];
	struct nlattr *opts, *keys, *key;
	int v4 = r->saddr.family == AF_INET, alen = v4 ? 4 : 16, i;
	uint16_t l4 = f->proto == IPPROTO_TCP ? TCA_PEDIT_KEY_EX_HDR_TYPE_TCP :
					       TCA_PEDIT_KEY_EX_HDR_TYPE_UDP;
	uint16_t l3 = v4 ? TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 : TCA_PEDIT_KEY_EX_HDR_TYPE_IP6;

	memcpy(eth, r->dmac, 6);
	memcpy(eth + 6, r->smac, 6);
	for (i = 0; i < 12; i += 4)
		put_key(sel, htypes, TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, i, eth + i);
	put_addr_keys(sel, htypes, l3, v4 ? 12 : 8, r->saddr.bytes,
		      r->new_saddr.bytes, alen);
	put_addr_keys(sel, htypes, l3, v4 ? 16 : 24, r->daddr.bytes,
		      r->new_daddr.bytes, alen);
	*(uint16_t *)oports = htons(r->saddr.port);
	*(uint16_t *)(oports + 2) = htons(r->daddr.port);
	*(uint16_t *)ports = htons(r->new_saddr.port);
	*(uint16_t *)(ports + 2) = htons(r->new_daddr.port);
	put_addr_keys(sel, htypes, l4, 0, oports, ports, 4);

	sel->action = TC_ACT_PIPE;
	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_PEDIT_PARMS_EX,
		     sizeof(*sel) + sel->nkeys * sizeof(sel->keys[0]), sel);
	keys = mnl_attr_nest_start(nlh, TCA_PEDIT_KEYS_EX);
	for (i = 0; i < sel->nkeys; i++) {
		key = mnl_attr_nest_start(nlh, TCA_PEDIT_KEY_EX);
		mnl_attr_put_u16(nlh, TCA_PEDIT_KEY_EX_HTYPE, htypes[i]);
		mnl_attr_put_u16(nlh, TCA_PEDIT_KEY_EX_CMD, TCA_PEDIT_KEY_EX_CMD_SET);
		mnl_attr_nest_end(nlh, key);
	}
	mnl_attr_nest_end(nlh, keys);
	mnl_attr_nest_end(nlh, opts);
}

static void put_csum(struct nlmsghdr *nlh, const struct ofl_flow *f, int v4)
{
	struct tc_csum p = { .action = TC_ACT_PIPE };
	struct nlattr *opts;

	p.update_flags = (v4 ? TCA_CSUM_UPDATE_FLAG_IPV4HDR : 0) |
			 (f->proto == IPPROTO_TCP ? TCA_CSUM_UPDATE_FLAG_TCP :
						    TCA_CSUM_UPDATE_FLAG_UDP);
	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_CSUM_PARMS, sizeof(p), &p);
	mnl_attr_nest_end(nlh, opts);
}

static void put_mirred(struct nlmsghdr *nlh, const struct ofl_rule *r)
{
	struct tc_mirred p = {
		.action = TC_ACT_STOLEN,
		.eaction = TCA_EGRESS_REDIR,
		.ifindex = r->oif,
	};
	struct nlattr *opts;

	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_MIRRED_PARMS, sizeof(p), &p);
	mnl_attr_nest_end(nlh, opts);
}

static void put_match(struct nlmsghdr *nlh, uint16_t type, uint16_t mask_type,
		      const void *val, int len)
{
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	mnl_attr_put(nlh, type, len, val);
	mnl_attr_put(nlh, mask_type, len, ones);
}

static void put_rule(struct nlmsghdr *nlh, const struct ofl_policy *pol,
		     const struct ofl_flow *f, const struct ofl_rule *r)
{
	static const char *const kinds[] = { "pedit", "csum", "mirred" };
	int v4 = r->saddr.family == AF_INET, alen = v4 ? 4 : 16, i;
	int tcp = f->proto == IPPROTO_TCP;
	uint16_t sport = htons(r->saddr.port), dport = htons(r->daddr.port);
	uint64_t cookie = htobe64(f->cookie);
	struct nlattr *opts, *acts, *act;

	mnl_attr_put_strz(nlh, TCA_KIND, "flower");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put_u32(nlh, TCA_FLOWER_FLAGS, pol->flags);
	mnl_attr_put_u16(nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(ethertype(r->saddr.family)));
	mnl_attr_put_u8(nlh, TCA_FLOWER_KEY_IP_PROTO, f->proto);
	put_match(nlh, v4 ? TCA_FLOWER_KEY_IPV4_SRC : TCA_FLOWER_KEY_IPV6_SRC,
		  v4 ? TCA_FLOWER_KEY_IPV4_SRC_MASK : TCA_FLOWER_KEY_IPV6_SRC_MASK,
		  r->saddr.bytes, alen);
	put_match(nlh, v4 ? TCA_FLOWER_KEY_IPV4_DST : TCA_FLOWER_KEY_IPV6_DST,
		  v4 ? TCA_FLOWER_KEY_IPV4_DST_MASK : TCA_FLOWER_KEY_IPV6_DST_MASK,
		  r->daddr.bytes, alen);
	put_match(nlh, tcp ? TCA_FLOWER_KEY_TCP_SRC : TCA_FLOWER_KEY_UDP_SRC,
		  tcp ? TCA_FLOWER_KEY_TCP_SRC_MASK : TCA_FLOWER_KEY_UDP_SRC_MASK,
		  &sport, 2);
	put_match(nlh, tcp ? TCA_FLOWER_KEY_TCP_DST : TCA_FLOWER_KEY_UDP_DST,
		  tcp ? TCA_FLOWER_KEY_TCP_DST_MASK : TCA_FLOWER_KEY_UDP_DST_MASK,
		  &dport, 2);
	if (tcp) {
		/* As nf_flow_table: FIN and RST are lbnic's to see. */
		mnl_attr_put_u16(nlh, TCA_FLOWER_KEY_TCP_FLAGS, 0);
		mnl_attr_put_u16(nlh, TCA_FLOWER_KEY_TCP_FLAGS_MASK,
				 htons(TCP_FLAG_FIN | TCP_FLAG_RST));
	}
	acts = mnl_attr_nest_start(nlh, TCA_FLOWER_ACT);
	for (i = 0; i < 3; i++) {
		act = mnl_attr_nest_start(nlh, i + 1);
		mnl_attr_put_strz(nlh, TCA_ACT_KIND, kinds[i]);
		mnl_attr_put(nlh, TCA_ACT_COOKIE, sizeof(cookie), &cookie);
		if (i == 0)
			put_pedit(nlh, f, r);
		else if (i == 1)
			put_csum(nlh, f, v4);
		else
			put_mirred(nlh, r);
		mnl_attr_nest_end(nlh, act);
	}
	mnl_attr_nest_end(nlh, acts);
	mnl_attr_nest_end(nlh, opts);
}

static size_t put_clsact(struct tc_sock *tc, size_t len, uint32_t ifindex)
{
	struct nlmsghdr *nlh;

	nlh = tc_msg(tc, len, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex,
		     TC_H_CLSACT, TC_H_MAKE(TC_H_CLSACT, 0), 0);
	mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
	return len + NLMSG_ALIGN(nlh->nlmsg_len);
}

static size_t put_del(struct tc_sock *tc, size_t len,
		      const struct ofl_policy *pol, const struct ofl_rule *r)
{
	struct nlmsghdr *nlh;
	int fam = r->saddr.family;

	nlh = tc_msg(tc, len, RTM_DELTFILTER, 0, r->iif, TC_PARENT_INGRESS,
		     r->handle,
		     TC_H_MAKE((uint32_t)prio_of(pol, fam) << 16, htons(ethertype(fam))));
	mnl_attr_put_strz(nlh, TCA_KIND, "flower");
	return len + NLMSG_ALIGN(nlh->nlmsg_len);
}

int tc_flow_add(struct tc_sock *tc, const struct ofl_policy *pol,
		struct ofl_flow *f, uint32_t *next_handle, struct mnlu_ack *why)
{
	struct mnlu_ack acks[2 * 2];
	struct nlmsghdr *nlh;
	size_t len = 0;
	int i, err;

	/* The clsact qdiscs (EEXIST once they are there), then the rules. */
	for (i = 0; i < f->ndirs; i++)
		len = put_clsact(tc, len, f->dir[i].iif);
	for (i = 0; i < f->ndirs; i++) {
		struct ofl_rule *r = &f->dir[i];
		int fam = r->saddr.family;

		r->handle = (*next_handle)++;
		if (!*next_handle)
			*next_handle = 1;
		nlh = tc_msg(tc, len, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL,
			     r->iif, TC_PARENT_INGRESS, r->handle,
			     TC_H_MAKE((uint32_t)prio_of(pol, fam) << 16,
				       htons(ethertype(fam))));
		put_rule(nlh, pol, f, r);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	memset(why, 0, sizeof(*why));
	err = mnlu_exchange(&tc->s, len, NULL, NULL, acks);
	if (err) {
		why->err = err;
		snprintf(why->msg, sizeof(why->msg), "rtnetlink: %s", strerror(-err));
	}
	for (i = 0; i < f->ndirs && !err; i++) {
		if (!acks[f->ndirs + i].err)
			continue;
		/* The driver's own words are often all there is to go on. */
		if (!why->err)
			*why = acks[f->ndirs + i];
		f->dir[i].handle = 0;
	}
	if (why->err)		/* both directions or neither */
		tc_flow_del(tc, pol, f);
	return why->err;
}

void tc_flow_del(struct tc_sock *tc, const struct ofl_policy *pol,
		 struct ofl_flow *f)
{
	size_t len = 0;
	int i;

	for (i = 0; i < f->ndirs; i++) {
		if (!f->dir[i].handle)
			continue;
		len = put_del(tc, len, pol, &f->dir[i]);
		f->dir[i].handle = 0;
	}
	if (len)
		mnlu_exchange(&tc->s, len, NULL, NULL, NULL);
}

/*
 * Makes the kernel load what the rules need (sch_ingress, cls_flower and the
 * three actions are modules, loaded on their first use): a rule on lo,
 * removed at once.  Under QEMU the loading took 0.9 s, which the first
 * exported flow would otherwise wait.  Best effort; lo keeps a clsact.
 */
void tc_warm_up(struct tc_sock *tc, const struct ofl_policy *pol,
		uint32_t *next_handle)
{
	struct ofl_flow f = { .proto = IPPROTO_UDP, .ndirs = 1 };
	struct ofl_rule *r = &f.dir[0];
	struct mnlu_ack why;

	r->iif = r->oif = if_nametoindex("lo");
	if (!r->iif)
		return;
	r->saddr.family = r->daddr.family = AF_INET;
	r->new_saddr.family = r->new_daddr.family = AF_INET;
	r->new_saddr.port = 1;
	if (!tc_flow_add(tc, pol, &f, next_handle, &why))
		tc_flow_del(tc, pol, &f);
}

struct link_list {
	uint32_t *ifindex;
	size_t n, cap;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_list *l = data;
	uint32_t *p;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		p = realloc(l->ifindex, l->cap * sizeof(*p));
		if (!p)
			return MNL_CB_ERROR;
		l->ifindex = p;
	}
	l->ifindex[l->n++] = ifi->ifi_index;
	return MNL_CB_OK;
}

int tc_flush_all(struct tc_sock *tc, const struct ofl_policy *pol)
{
	struct link_list l = {};
	struct nlmsghdr *nlh;
	size_t i, len = 0;
	int err, fam;

	nlh = mnlu_put(&tc->s, 0, RTM_GETLINK, NLM_F_DUMP);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	err = mnlu_request(&tc->s, nlh, link_cb, &l, NULL);
	/* Whole priorities: every rule in them is ours.  Most have none. */
	for (i = 0; !err && i < l.n; i++) {
		for (fam = 0; fam < 2; fam++) {
			nlh = tc_msg(tc, len, RTM_DELTFILTER, 0, l.ifindex[i],
				     TC_PARENT_INGRESS, 0,
				     TC_H_MAKE((uint32_t)(pol->prio + fam) << 16, 0));
			len += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (len > TC_BUFSIZE / 2 || i + 1 == l.n) {
			err = mnlu_exchange(&tc->s, len, NULL, NULL, NULL);
			len = 0;
		}
	}
	free(l.ifindex);
	return err;
}

struct stats_ctx {
	struct tc_rule_stats st;
	void (*fn)(const struct tc_rule_stats *st, void *arg);
	void *arg;
};

static const struct mnlu_policy filter_policy[TCA_MAX + 1] = {
	[TCA_OPTIONS] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy flower_policy[TCA_FLOWER_MAX + 1] = {
	[TCA_FLOWER_FLAGS] = { MNL_TYPE_U32 },
	[TCA_FLOWER_ACT] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy act_policy[TCA_ACT_MAX + 1] = {
	[TCA_ACT_KIND] = { MNL_TYPE_NUL_STRING },
	[TCA_ACT_OPTIONS] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy mirred_policy[TCA_MIRRED_MAX + 1] = {
	[TCA_MIRRED_TM] = { MNL_TYPE_BINARY, sizeof(struct tcf_t) },
};

/* The mirred action's last use: when a packet last took the rule. */
static void parse_action(const struct nlattr *act, struct tc_rule_stats *st)
{
	const struct nlattr *tb[TCA_ACT_MAX + 1], *m[TCA_MIRRED_MAX + 1];
	const struct tcf_t *tm;

	mnlu_parse_nested(act, act_policy, TCA_ACT_MAX, tb);
	if (!tb[TCA_ACT_KIND] || strcmp(mnl_attr_get_str(tb[TCA_ACT_KIND]), "mirred") ||
	    !tb[TCA_ACT_OPTIONS])
		return;
	mnlu_parse_nested(tb[TCA_ACT_OPTIONS], mirred_policy, TCA_MIRRED_MAX, m);
	if (!m[TCA_MIRRED_TM])
		return;
	tm = mnl_attr_get_payload(m[TCA_MIRRED_TM]);
	/* clock_t, in USER_HZ (100) */
	st->lastuse_ms = tm->lastuse * 10;
}

static int filter_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCA_MAX + 1], *fl[TCA_FLOWER_MAX + 1];
	const struct tcmsg *t = mnl_nlmsg_get_payload(nlh);
	struct stats_ctx *ctx = data;
	const struct nlattr *act;

	if (nlh->nlmsg_type != RTM_NEWTFILTER ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*t)) || !t->tcm_handle)
		return MNL_CB_OK;
	memset(&ctx->st, 0, sizeof(ctx->st));
	ctx->st.handle = t->tcm_handle;
	mnlu_parse(nlh, sizeof(*t), filter_policy, TCA_MAX, tb);
	if (tb[TCA_OPTIONS]) {
		mnlu_parse_nested(tb[TCA_OPTIONS], flower_policy, TCA_FLOWER_MAX, fl);
		if (fl[TCA_FLOWER_FLAGS])
			ctx->st.in_hw = mnl_attr_get_u32(fl[TCA_FLOWER_FLAGS]) &
					TCA_CLS_FLAGS_IN_HW;
		if (fl[TCA_FLOWER_ACT])
			mnl_attr_for_each_nested(act, fl[TCA_FLOWER_ACT])
				parse_action(act, &ctx->st);
	}
	ctx->fn(&ctx->st, ctx->arg);
	return MNL_CB_OK;
}

int tc_dump_stats(struct tc_sock *tc, const struct ofl_policy *pol,
		  uint32_t ifindex, int family,
		  void (*fn)(const struct tc_rule_stats *st, void *arg),
		  void *arg)
{
	struct stats_ctx ctx = { .fn = fn, .arg = arg };
	struct nlmsghdr *nlh;

	nlh = tc_msg(tc, 0, RTM_GETTFILTER, NLM_F_DUMP, ifindex,
		     TC_PARENT_INGRESS, 0,
		     TC_H_MAKE((uint32_t)prio_of(pol, family) << 16, 0));
	return mnlu_request(&tc->s, nlh, filter_cb, &ctx, NULL);
}
