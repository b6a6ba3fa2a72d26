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
#include <time.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_csum.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_pedit.h>
#include <netinet/in.h>

#include "nl.h"
#include "offload.h"

#define TC_BUFSIZE	(1 << 18)
#define TC_PARENT_INGRESS	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
#define TCP_FLAG_FIN	0x01
#define TCP_FLAG_RST	0x04
#define PEDIT_KEYS_MAX	16

int tc_open(struct tc_sock *tc)
{
	int one = 1;

	memset(tc, 0, sizeof(*tc));
	tc->buf = malloc(TC_BUFSIZE);
	tc->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!tc->buf || !tc->sock || mnl_socket_bind(tc->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		tc_close(tc);
		return -errno ? -errno : -ENOMEM;
	}
	mnl_socket_setsockopt(tc->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(tc->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	tc->portid = mnl_socket_get_portid(tc->sock);
	tc->seq = time(NULL);
	return 0;
}

void tc_close(struct tc_sock *tc)
{
	if (tc->sock)
		mnl_socket_close(tc->sock);
	free(tc->buf);
	memset(tc, 0, sizeof(*tc));
}

static uint16_t ethertype(int family)
{
	return family == AF_INET ? ETH_P_IP : ETH_P_IPV6;
}

static uint16_t prio_of(const struct ofl_policy *pol, int family)
{
	return family == AF_INET ? pol->prio : pol->prio + 1;
}

static struct nlmsghdr *tc_msg(char *buf, uint16_t type, uint16_t flags,
			       uint32_t seq, uint32_t ifindex, uint32_t parent,
			       uint32_t handle, uint32_t info)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *t;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = parent;
	t->tcm_handle = handle;
	t->tcm_info = info;
	return nlh;
}

static int tc_batch(struct tc_sock *tc, size_t len, uint32_t seq0, int n,
		    int *errs)
{
	return lbnic_nl_batch(tc->sock, tc->buf, TC_BUFSIZE, len, seq0, n, errs);
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

	nlh = tc_msg(tc->buf + len, RTM_NEWQDISC,
		     NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, ++tc->seq, ifindex,
		     TC_H_CLSACT, TC_H_MAKE(TC_H_CLSACT, 0), 0);
	mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
	return len + NLMSG_ALIGN(nlh->nlmsg_len);
}

static size_t put_del(struct tc_sock *tc, size_t len,
		      const struct ofl_policy *pol, const struct ofl_rule *r)
{
	struct nlmsghdr *nlh;
	int fam = r->saddr.family;

	nlh = tc_msg(tc->buf + len, RTM_DELTFILTER, NLM_F_ACK, ++tc->seq,
		     r->iif, TC_PARENT_INGRESS, r->handle,
		     TC_H_MAKE((uint32_t)prio_of(pol, fam) << 16, htons(ethertype(fam))));
	mnl_attr_put_strz(nlh, TCA_KIND, "flower");
	return len + NLMSG_ALIGN(nlh->nlmsg_len);
}

int tc_flow_add(struct tc_sock *tc, const struct ofl_policy *pol,
		struct ofl_flow *f, uint32_t *next_handle)
{
	int errs[2 * 2 + 1], n = 0, i, err = 0;
	uint32_t seq0 = tc->seq + 1;
	struct nlmsghdr *nlh;
	size_t len = 0;

	/* The clsact qdiscs (EEXIST once they are there), then the rules. */
	for (i = 0; i < f->ndirs; i++, n++)
		len = put_clsact(tc, len, f->dir[i].iif);
	for (i = 0; i < f->ndirs; i++, n++) {
		struct ofl_rule *r = &f->dir[i];
		int fam = r->saddr.family;

		r->handle = (*next_handle)++;
		if (!*next_handle)
			*next_handle = 1;
		nlh = tc_msg(tc->buf + len, RTM_NEWTFILTER,
			     NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, ++tc->seq,
			     r->iif, TC_PARENT_INGRESS, r->handle,
			     TC_H_MAKE((uint32_t)prio_of(pol, fam) << 16,
				       htons(ethertype(fam))));
		put_rule(nlh, pol, f, r);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	err = tc_batch(tc, len, seq0, n, errs);
	if (err)
		return err;
	for (i = 0; i < f->ndirs; i++) {
		int e = errs[f->ndirs + i];

		if (e)
			err = e;
		else
			continue;
		f->dir[i].handle = 0;
	}
	if (err)		/* both directions or neither */
		tc_flow_del(tc, pol, f);
	return err;
}

void tc_flow_del(struct tc_sock *tc, const struct ofl_policy *pol,
		 struct ofl_flow *f)
{
	uint32_t seq0 = tc->seq + 1;
	int errs[2], n = 0, i;
	size_t len = 0;

	for (i = 0; i < f->ndirs; i++) {
		if (!f->dir[i].handle)
			continue;
		len = put_del(tc, len, pol, &f->dir[i]);
		f->dir[i].handle = 0;
		n++;
	}
	if (n)
		tc_batch(tc, len, seq0, n, errs);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	uint32_t **p = data;

	if (nlh->nlmsg_type == RTM_NEWLINK && (*p)[0] < (*p)[1])
		(*p)[2 + (*p)[0]++] = ifi->ifi_index;
	return MNL_CB_OK;
}

static int tc_dump(struct tc_sock *tc, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t r;
	int ret;

	if (mnl_socket_sendto(tc->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		r = mnl_socket_recvfrom(tc->sock, tc->buf, TC_BUFSIZE);
		if (r < 0)
			return -errno;
		ret = mnl_cb_run(tc->buf, r, seq, tc->portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

int tc_flush_all(struct tc_sock *tc, const struct ofl_policy *pol)
{
	enum { MAXLINKS = 4096 };
	uint32_t *links = calloc(MAXLINKS + 2, sizeof(*links)), seq0, i;
	int *errs = NULL, n = 0, err, fam;
	struct nlmsghdr *nlh;
	size_t len = 0;

	if (!links)
		return -ENOMEM;
	links[1] = MAXLINKS;
	nlh = mnl_nlmsg_put_header(tc->buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++tc->seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	err = tc_dump(tc, nlh, link_cb, &links);
	if (err)
		goto out;
	errs = calloc(2 * links[0] + 1, sizeof(*errs));
	if (!errs) {
		err = -ENOMEM;
		goto out;
	}
	/* Whole priorities: every rule in them is ours. */
	seq0 = tc->seq + 1;
	for (i = 0; i < links[0]; i++) {
		for (fam = 0; fam < 2; fam++, n++) {
			nlh = tc_msg(tc->buf + len, RTM_DELTFILTER, NLM_F_ACK,
				     ++tc->seq, links[2 + i], TC_PARENT_INGRESS, 0,
				     TC_H_MAKE((uint32_t)(pol->prio + fam) << 16, 0));
			len += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (len > TC_BUFSIZE / 2 || i + 1 == links[0]) {
			err = tc_batch(tc, len, seq0, n, errs);
			if (err)
				goto out;
			seq0 = tc->seq + 1;
			len = 0;
			n = 0;
		}
	}
out:
	free(errs);
	free(links);
	return err;
}

struct stats_ctx {
	struct tc_rule_stats st;
	void (*fn)(const struct tc_rule_stats *st, void *arg);
	void *arg;
};

static void parse_action(const struct nlattr *act, struct tc_rule_stats *st)
{
	const struct nlattr *a, *b;
	const char *kind = NULL;

	mnl_attr_for_each_nested(a, act)
		if (mnl_attr_get_type(a) == TCA_ACT_KIND)
			kind = mnl_attr_get_str(a);
	if (!kind || strcmp(kind, "mirred"))
		return;
	mnl_attr_for_each_nested(a, act) {
		if (mnl_attr_get_type(a) != TCA_ACT_OPTIONS)
			continue;
		mnl_attr_for_each_nested(b, a) {
			const struct tcf_t *tm = mnl_attr_get_payload(b);

			if (mnl_attr_get_type(b) == TCA_MIRRED_TM &&
			    mnl_attr_get_payload_len(b) >= sizeof(*tm))
				/* clock_t, in USER_HZ (100) */
				st->lastuse_ms = tm->lastuse * 10;
		}
	}
}

static int filter_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct tcmsg *t = mnl_nlmsg_get_payload(nlh);
	struct stats_ctx *ctx = data;
	const struct nlattr *a, *o, *act;

	if (nlh->nlmsg_type != RTM_NEWTFILTER || !t->tcm_handle)
		return MNL_CB_OK;
	memset(&ctx->st, 0, sizeof(ctx->st));
	ctx->st.handle = t->tcm_handle;
	mnl_attr_for_each(a, nlh, sizeof(*t)) {
		if (mnl_attr_get_type(a) != TCA_OPTIONS)
			continue;
		mnl_attr_for_each_nested(o, a) {
			if (mnl_attr_get_type(o) == TCA_FLOWER_FLAGS)
				ctx->st.in_hw = mnl_attr_get_u32(o) & TCA_CLS_FLAGS_IN_HW;
			else if (mnl_attr_get_type(o) == TCA_FLOWER_ACT)
				mnl_attr_for_each_nested(act, o)
					parse_action(act, &ctx->st);
		}
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

	nlh = tc_msg(tc->buf, RTM_GETTFILTER, NLM_F_DUMP, ++tc->seq, ifindex,
		     TC_PARENT_INGRESS, 0,
		     TC_H_MAKE((uint32_t)prio_of(pol, family) << 16, 0));
	return tc_dump(tc, nlh, filter_cb, &ctx);
}
