// SPDX-License-Identifier: GPL-2.0
/*
 * lbnicd: the offload agent.  It listens to lbnic's "offload" events and
 * exports each ready flow as two TC flower rules (tc.c), polls the rules'
 * counters to tell lbnic when they last saw a packet, and removes them when
 * the flow goes.  Its rules live in priorities of their own on the ingress
 * of the devices lbnic names; nothing else is touched.
 *
 * Dying costs nothing but offload: lbnic still forwards every flow whose
 * rules are missing.  On start it removes what a previous run left and
 * resyncs from lbnic's dump of candidates, as it does whenever events were
 * lost (ENOBUFS on its socket, or LBNIC_CMD_FLOW_RESYNC from lbnic).  A flow
 * lbnic no longer knows (a report answered ENOENT) loses its rules; a flow
 * one of whose rules vanished (tc filter del, a device gone) loses the other
 * and is handed back to lbnic, which forwards it and expires it itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "nl.h"
#include "offload.h"
#include "util.h"

#define FLOW_HASH	4096
#define LAT_RING	4096
#define ERRNO_MAX	256
#define REPORT_BATCH	128
#define DEVS_MAX	256

struct agent {
	struct lbnic_nl nl;		/* requests: dump and reports */
	struct mnl_socket *ev;		/* events */
	char *evbuf;
	uint32_t ctrl_grp;
	struct tc_sock tc;
	struct ofl_policy pol;
	const char *policy_name;
	struct ofl_flow *flows[FLOW_HASH];
	struct ofl_rule *rules[FLOW_HASH];	/* installed, by handle */
	struct ofl_flow *qhead, **qtail;
	uint32_t next_handle;
	unsigned int rate;		/* flows per second */
	double tokens;
	uint64_t t_tokens;
	unsigned int interval_ms;
	int rcvbuf;
	const char *status_path;
	/* counters */
	uint64_t nflows, ninstalled, npending;
	uint64_t rules_installed, rules_removed, flows_refused, flows_returned;
	uint64_t refused[ERRNO_MAX];
	char *refused_msg[ERRNO_MAX];	/* the last words given for each */
	uint64_t ev_ready, ev_gone, ev_lost, ev_resync, resyncs;
	bool resync_due;		/* events were lost since the last resync */
	uint64_t install_us, install_rules;
	/* Milliseconds to both rules in place: from the connection's first
	 * packet (so including the threshold), and from its announcement. */
	uint32_t lat_first[LAT_RING], lat_ready[LAT_RING];
	uint64_t nlat;
};

static volatile sig_atomic_t stop;
static bool verbose;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* With -v: what the agent does, on the monotonic clock's milliseconds. */
#define vlog(fmt, ...) do {						\
	if (verbose)							\
		fprintf(stderr, "lbnicd: %llu " fmt "\n",		\
			(unsigned long long)now_ms(), ##__VA_ARGS__);	\
} while (0)

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}


static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static struct ofl_flow **flow_slot(struct agent *a, uint64_t cookie)
{
	struct ofl_flow **pp = &a->flows[cookie % FLOW_HASH];

	while (*pp && (*pp)->cookie != cookie)
		pp = &(*pp)->next;
	return pp;
}

static void queue_flow(struct agent *a, struct ofl_flow *f)
{
	f->qnext = NULL;
	*a->qtail = f;
	a->qtail = &f->qnext;
	a->npending++;
}

static void unqueue_flow(struct agent *a, struct ofl_flow *f)
{
	struct ofl_flow **pp;

	for (pp = &a->qhead; *pp; pp = &(*pp)->qnext) {
		if (*pp != f)
			continue;
		*pp = f->qnext;
		if (a->qtail == &f->qnext)
			a->qtail = pp;
		a->npending--;
		return;
	}
}

static void hash_rules(struct agent *a, struct ofl_flow *f)
{
	int d;

	for (d = 0; d < f->ndirs; d++) {
		struct ofl_rule **pp = &a->rules[f->dir[d].handle % FLOW_HASH];

		f->dir[d].hnext = *pp;
		*pp = &f->dir[d];
	}
}

static void unhash_rules(struct agent *a, struct ofl_flow *f)
{
	int d;

	for (d = 0; d < f->ndirs; d++) {
		struct ofl_rule **pp = &a->rules[f->dir[d].handle % FLOW_HASH];

		while (*pp && *pp != &f->dir[d])
			pp = &(*pp)->hnext;
		if (*pp)
			*pp = f->dir[d].hnext;
	}
}

/* Removes the flow's rules and forgets it. */
static void drop_flow(struct agent *a, struct ofl_flow **pp)
{
	struct ofl_flow *f = *pp;

	if (f->state == OFL_QUEUED)
		unqueue_flow(a, f);
	if (f->state == OFL_INSTALLED) {
		unhash_rules(a, f);
		tc_flow_del(&a->tc, &a->pol, f);
		a->rules_removed += f->ndirs;
		a->ninstalled--;
	}
	*pp = f->next;
	a->nflows--;
	free(f);
}

static const struct mnlu_policy dir_policy[LBNIC_FLOW_DIR_A_MAX + 1] = {
	[LBNIC_FLOW_DIR_A_IIF] = { MNL_TYPE_U32 },
	[LBNIC_FLOW_DIR_A_SADDR] = { MNLU_ADDR },
	[LBNIC_FLOW_DIR_A_DADDR] = { MNLU_ADDR },
	[LBNIC_FLOW_DIR_A_SPORT] = { MNL_TYPE_U16 },
	[LBNIC_FLOW_DIR_A_DPORT] = { MNL_TYPE_U16 },
	[LBNIC_FLOW_DIR_A_NEW_SADDR] = { MNLU_ADDR },
	[LBNIC_FLOW_DIR_A_NEW_DADDR] = { MNLU_ADDR },
	[LBNIC_FLOW_DIR_A_NEW_SPORT] = { MNL_TYPE_U16 },
	[LBNIC_FLOW_DIR_A_NEW_DPORT] = { MNL_TYPE_U16 },
	[LBNIC_FLOW_DIR_A_SMAC] = { MNL_TYPE_BINARY, 6 },
	[LBNIC_FLOW_DIR_A_DMAC] = { MNL_TYPE_BINARY, 6 },
	[LBNIC_FLOW_DIR_A_OIF] = { MNL_TYPE_U32 },
};

static const struct mnlu_policy flow_policy[LBNIC_FLOW_A_MAX + 1] = {
	[LBNIC_FLOW_A_COOKIE] = { MNL_TYPE_U64 },
	[LBNIC_FLOW_A_PROTO] = { MNL_TYPE_U8 },
	[LBNIC_FLOW_A_CLIENT_ADDR] = { MNLU_ADDR },
	[LBNIC_FLOW_A_CLIENT_PORT] = { MNL_TYPE_U16 },
	[LBNIC_FLOW_A_VIP_ADDR] = { MNLU_ADDR },
	[LBNIC_FLOW_A_VIP_PORT] = { MNL_TYPE_U16 },
	[LBNIC_FLOW_A_AGE] = { MNL_TYPE_U32 },
	[LBNIC_FLOW_A_ORIG] = { MNL_TYPE_NESTED },
	[LBNIC_FLOW_A_REPLY] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy msg_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_FLOW] = { MNL_TYPE_NESTED },
};

/* One direction's rule, whole, or -1: a rule is never built from a part. */
static int parse_dir(const struct nlattr *nest, struct ofl_rule *r)
{
	const struct nlattr *tb[LBNIC_FLOW_DIR_A_MAX + 1];

	if (mnlu_parse_nested(nest, dir_policy, LBNIC_FLOW_DIR_A_MAX, tb) ||
	    !tb[LBNIC_FLOW_DIR_A_IIF] || !tb[LBNIC_FLOW_DIR_A_OIF] ||
	    !tb[LBNIC_FLOW_DIR_A_SMAC] || !tb[LBNIC_FLOW_DIR_A_DMAC] ||
	    lbnic_attr_endpoint(tb, LBNIC_FLOW_DIR_A_SADDR, LBNIC_FLOW_DIR_A_SPORT, &r->saddr) ||
	    lbnic_attr_endpoint(tb, LBNIC_FLOW_DIR_A_DADDR, LBNIC_FLOW_DIR_A_DPORT, &r->daddr) ||
	    lbnic_attr_endpoint(tb, LBNIC_FLOW_DIR_A_NEW_SADDR, LBNIC_FLOW_DIR_A_NEW_SPORT,
			 &r->new_saddr) ||
	    lbnic_attr_endpoint(tb, LBNIC_FLOW_DIR_A_NEW_DADDR, LBNIC_FLOW_DIR_A_NEW_DPORT,
			 &r->new_daddr))
		return -1;
	r->iif = mnl_attr_get_u32(tb[LBNIC_FLOW_DIR_A_IIF]);
	r->oif = mnl_attr_get_u32(tb[LBNIC_FLOW_DIR_A_OIF]);
	memcpy(r->smac, mnl_attr_get_payload(tb[LBNIC_FLOW_DIR_A_SMAC]), 6);
	memcpy(r->dmac, mnl_attr_get_payload(tb[LBNIC_FLOW_DIR_A_DMAC]), 6);
	return 0;
}

/*
 * A flow message into @f: its identity always (-1 if that is malformed),
 * its directions when @dirs; @age gets LBNIC_FLOW_A_AGE.
 */
static int parse_flow(const struct nlmsghdr *nlh, struct ofl_flow *f,
		      bool dirs, uint32_t *age)
{
	const struct nlattr *m[LBNIC_A_MAX + 1], *tb[LBNIC_FLOW_A_MAX + 1];

	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, msg_policy, LBNIC_A_MAX, m);
	if (!m[LBNIC_A_FLOW] ||
	    mnlu_parse_nested(m[LBNIC_A_FLOW], flow_policy, LBNIC_FLOW_A_MAX, tb) ||
	    !tb[LBNIC_FLOW_A_COOKIE] || !tb[LBNIC_FLOW_A_PROTO] ||
	    lbnic_attr_endpoint(tb, LBNIC_FLOW_A_CLIENT_ADDR, LBNIC_FLOW_A_CLIENT_PORT, &f->client) ||
	    lbnic_attr_endpoint(tb, LBNIC_FLOW_A_VIP_ADDR, LBNIC_FLOW_A_VIP_PORT, &f->vip))
		return -1;
	f->cookie = mnl_attr_get_u64(tb[LBNIC_FLOW_A_COOKIE]);
	f->proto = mnl_attr_get_u8(tb[LBNIC_FLOW_A_PROTO]);
	if (age && tb[LBNIC_FLOW_A_AGE])
		*age = mnl_attr_get_u32(tb[LBNIC_FLOW_A_AGE]);
	if (!dirs)
		return 0;
	/* Both directions, or only the original one (dsr). */
	if (!tb[LBNIC_FLOW_A_ORIG] || parse_dir(tb[LBNIC_FLOW_A_ORIG], &f->dir[0]))
		return -1;
	f->ndirs = 1;
	if (tb[LBNIC_FLOW_A_REPLY]) {
		if (parse_dir(tb[LBNIC_FLOW_A_REPLY], &f->dir[1]))
			return -1;
		f->ndirs = 2;
	}
	return 0;
}

/* A READY event or dump entry: a new flow to install, or one we know. */
static int flow_ready(struct agent *a, const struct nlmsghdr *nlh)
{
	struct ofl_flow *f = calloc(1, sizeof(*f));
	struct ofl_flow **pp;
	uint32_t age = 0;

	if (!f)
		return MNL_CB_ERROR;
	if (parse_flow(nlh, f, true, &age) || !f->cookie) {
		vlog("malformed flow announcement ignored");
		free(f);
		return MNL_CB_OK;
	}
	pp = flow_slot(a, f->cookie);
	if (*pp) {
		(*pp)->seen = true;
		free(f);
		return MNL_CB_OK;
	}
	vlog("flow %llu ready (%d directions)", (unsigned long long)f->cookie,
	     f->ndirs);
	f->t_ready_ms = now_ms();
	f->t_first_ms = f->t_ready_ms - age;
	f->seen = true;
	*pp = f;
	a->nflows++;
	queue_flow(a, f);
	return MNL_CB_OK;
}

static int flow_gone(struct agent *a, const struct nlmsghdr *nlh)
{
	struct ofl_flow id = {};
	struct ofl_flow **pp;

	if (parse_flow(nlh, &id, false, NULL))
		return MNL_CB_OK;
	pp = flow_slot(a, id.cookie);
	vlog("flow %llu gone%s", (unsigned long long)id.cookie, *pp ? "" : " (unknown)");
	if (*pp)
		drop_flow(a, pp);
	return MNL_CB_OK;
}

/* Drops the flows marked gone (by a report, a vanished rule): none are in use. */
static void sweep_gone(struct agent *a)
{
	int i;

	for (i = 0; i < FLOW_HASH; i++) {
		struct ofl_flow **pp = &a->flows[i];

		while (*pp) {
			if ((*pp)->gone)
				drop_flow(a, pp);
			else
				pp = &(*pp)->next;
		}
	}
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	return flow_ready(data, nlh);
}

/* After lost events: what lbnic lists is what should be installed. */
static int resync(struct agent *a)
{
	struct nlmsghdr *nlh;
	int i, ret;

	for (i = 0; i < FLOW_HASH; i++) {
		struct ofl_flow *f;

		for (f = a->flows[i]; f; f = f->next)
			f->seen = false;
	}
	nlh = lbnic_nl_msg(&a->nl, LBNIC_CMD_GET_FLOW, NLM_F_DUMP);
	ret = lbnic_nl_talk(&a->nl, nlh, dump_cb, a);
	vlog("resync: %d", ret);
	if (ret)
		return ret;
	for (i = 0; i < FLOW_HASH; i++) {
		struct ofl_flow **pp = &a->flows[i];

		while (*pp) {
			if (!(*pp)->seen)
				drop_flow(a, pp);
			else
				pp = &(*pp)->next;
		}
	}
	a->resyncs++;
	return 0;
}

static void put_flow_id(struct nlmsghdr *nlh, const struct ofl_flow *f)
{
	mnl_attr_put_u64(nlh, LBNIC_FLOW_A_COOKIE, f->cookie);
	mnl_attr_put_u8(nlh, LBNIC_FLOW_A_PROTO, f->proto);
	lbnic_put_addr(nlh, LBNIC_FLOW_A_CLIENT_ADDR, &f->client);
	mnl_attr_put_u16(nlh, LBNIC_FLOW_A_CLIENT_PORT, f->client.port);
	lbnic_put_addr(nlh, LBNIC_FLOW_A_VIP_ADDR, &f->vip);
	mnl_attr_put_u16(nlh, LBNIC_FLOW_A_VIP_PORT, f->vip.port);
}

/*
 * Tells lbnic where each flow stands and when its rules last matched, in
 * batches.  A flow lbnic answers ENOENT for has ended (its GONE event may
 * have been lost): its rules go.
 */
static void report(struct agent *a, struct ofl_flow **fs, int n)
{
	struct mnlu_ack acks[REPORT_BATCH];
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		const struct ofl_flow *f = fs[i];
		struct nlmsghdr *nlh;
		struct nlattr *nest;
		uint32_t used = UINT32_MAX;
		int d, hw = f->ndirs > 0;

		nlh = lbnic_nl_msg_at(&a->nl, len, LBNIC_CMD_SET_FLOW, 0);
		nest = mnl_attr_nest_start(nlh, LBNIC_A_FLOW);
		put_flow_id(nlh, f);
		for (d = 0; d < f->ndirs; d++) {
			if (f->dir[d].lastuse_ms < used)
				used = f->dir[d].lastuse_ms;
			hw &= f->dir[d].in_hw;
		}
		if (f->state == OFL_REFUSED) {
			mnl_attr_put_u8(nlh, LBNIC_FLOW_A_STATE, LBNIC_OFFLOAD_REFUSED);
			mnl_attr_put_u32(nlh, LBNIC_FLOW_A_ERROR, f->err);
		} else if (f->state == OFL_RETURNED) {
			mnl_attr_put_u8(nlh, LBNIC_FLOW_A_STATE, LBNIC_OFFLOAD_RETURNED);
		} else {
			mnl_attr_put_u8(nlh, LBNIC_FLOW_A_STATE,
					hw ? LBNIC_OFFLOAD_HW : LBNIC_OFFLOAD_SW);
			mnl_attr_put_u32(nlh, LBNIC_FLOW_A_LASTUSED, used);
		}
		mnl_attr_nest_end(nlh, nest);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (!n || mnlu_exchange(&a->nl.s, len, NULL, NULL, acks))
		return;
	for (i = 0; i < n; i++) {
		if (acks[i].err == -ENOENT || fs[i]->state == OFL_RETURNED) {
			vlog("flow %llu: %s", (unsigned long long)fs[i]->cookie,
			     fs[i]->state == OFL_RETURNED ? "handed back" : "lbnic has it no more");
			fs[i]->gone = true;
		}
	}
}

static void record_latency(struct agent *a, const struct ofl_flow *f)
{
	uint64_t t = now_ms();

	a->lat_first[a->nlat % LAT_RING] = t - f->t_first_ms;
	a->lat_ready[a->nlat++ % LAT_RING] = t - f->t_ready_ms;
}

/*
 * Counts a refusal by its errno and keeps the driver's words with it: on
 * mlx5 the extended ACK is all that tells why.  Each new explanation is
 * logged once.
 */
static void refused(struct agent *a, const struct ofl_flow *f,
		    const struct mnlu_ack *why)
{
	int e = -why->err < ERRNO_MAX ? -why->err : 0;
	const char *msg = why->msg[0] ? why->msg : strerror(-why->err);

	a->flows_refused++;
	a->refused[e]++;
	if (a->refused_msg[e] && !strcmp(a->refused_msg[e], msg))
		return;
	free(a->refused_msg[e]);
	a->refused_msg[e] = strdup(msg);
	fprintf(stderr, "lbnicd: flow %016llx refused: %s (%s)\n",
		(unsigned long long)f->cookie, msg, strerror(-why->err));
}

/* Installs queued flows as the rate allows, a report batch at a time. */
static void install_queued(struct agent *a)
{
	struct ofl_flow *done[REPORT_BATCH];
	struct mnlu_ack why;
	uint64_t t = now_ms();
	int n = 0;

	a->tokens += (t - a->t_tokens) * a->rate / 1000.0;
	if (a->tokens > a->rate)
		a->tokens = a->rate;
	a->t_tokens = t;
	while (a->qhead && a->tokens >= 1 && n < REPORT_BATCH) {
		struct ofl_flow *f = a->qhead;
		uint64_t t0 = now_us();
		int err;

		a->qhead = f->qnext;
		if (!a->qhead)
			a->qtail = &a->qhead;
		a->npending--;
		a->tokens--;
		err = tc_flow_add(&a->tc, &a->pol, f, &a->next_handle, &why);
		vlog("flow %llu install: %s", (unsigned long long)f->cookie,
		     err ? strerror(-err) : "ok");
		if (err) {
			f->state = OFL_REFUSED;
			f->err = -err;
			refused(a, f, &why);
		} else {
			f->state = OFL_INSTALLED;
			hash_rules(a, f);
			a->ninstalled++;
			a->rules_installed += f->ndirs;
			a->install_us += now_us() - t0;
			a->install_rules += f->ndirs;
			record_latency(a, f);
		}
		done[n++] = f;
	}
	report(a, done, n);
	sweep_gone(a);
}

struct stats_arg {
	struct agent *a;
	uint32_t ifindex;
};

static void rule_stats(const struct tc_rule_stats *st, void *arg)
{
	struct stats_arg *sa = arg;
	struct ofl_rule *r;

	/* Handles are the agent's own and unique. */
	for (r = sa->a->rules[st->handle % FLOW_HASH]; r; r = r->hnext) {
		if (r->handle != st->handle || r->iif != sa->ifindex)
			continue;
		r->in_hw = st->in_hw;
		r->lastuse_ms = st->lastuse_ms;
		r->seen = true;
		return;
	}
}

/* The devices (and families) the installed rules are on. */
struct devs {
	uint32_t ifindex[DEVS_MAX];
	int family[DEVS_MAX];
	bool dumped[DEVS_MAX];	/* its dump says what rules it has */
	int n;
};

static int dev_index(struct devs *dv, const struct ofl_rule *r)
{
	int j;

	for (j = 0; j < dv->n; j++)
		if (dv->ifindex[j] == r->iif && dv->family[j] == r->saddr.family)
			return j;
	if (dv->n == DEVS_MAX)
		return -1;
	dv->ifindex[dv->n] = r->iif;
	dv->family[dv->n] = r->saddr.family;
	dv->dumped[dv->n] = false;
	return dv->n++;
}

/*
 * A rule its device's dump did not list was deleted behind our back (or
 * went with its device): the flow goes back to lbnic, whose own timers then
 * judge it.  Reporting the rule's last use from before would keep the
 * entry alive for ever.
 */
static bool vanished(struct agent *a, struct devs *dv, struct ofl_flow *f)
{
	int d, j;

	for (d = 0; d < f->ndirs; d++) {
		j = dev_index(dv, &f->dir[d]);
		if (j >= 0 && dv->dumped[j] && !f->dir[d].seen)
			break;
	}
	if (d == f->ndirs)
		return false;
	vlog("flow %llu: its rule on device %u vanished",
	     (unsigned long long)f->cookie, f->dir[d].iif);
	unhash_rules(a, f);
	tc_flow_del(&a->tc, &a->pol, f);
	a->rules_removed += f->ndirs;
	a->ninstalled--;
	a->flows_returned++;
	f->state = OFL_RETURNED;
	return true;
}

/* Reads every device's rule counters in one dump each, then reports. */
static void poll_stats(struct agent *a)
{
	struct ofl_flow *batch[REPORT_BATCH];
	struct devs dv = { .n = 0 };
	int i, j, d, n = 0, err;

	for (i = 0; i < FLOW_HASH; i++) {
		struct ofl_flow *f;

		for (f = a->flows[i]; f; f = f->next) {
			if (f->state != OFL_INSTALLED)
				continue;
			for (d = 0; d < f->ndirs; d++) {
				f->dir[d].seen = false;
				dev_index(&dv, &f->dir[d]);
			}
		}
	}
	for (j = 0; j < dv.n; j++) {
		struct stats_arg sa = { a, dv.ifindex[j] };

		err = tc_dump_stats(&a->tc, &a->pol, dv.ifindex[j], dv.family[j],
				    rule_stats, &sa);
		/* A device that is gone took its rules with it. */
		dv.dumped[j] = !err || err == -ENODEV || err == -EINVAL;
	}
	for (i = 0; i < FLOW_HASH; i++) {
		struct ofl_flow *f;

		for (f = a->flows[i]; f; f = f->next) {
			if (f->state == OFL_INSTALLED)
				vanished(a, &dv, f);
			if (f->state != OFL_INSTALLED && f->state != OFL_RETURNED)
				continue;
			batch[n++] = f;
			if (n == REPORT_BATCH) {
				report(a, batch, n);
				n = 0;
			}
		}
	}
	report(a, batch, n);
	sweep_gone(a);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

static void print_percentiles(FILE *fp, const char *name, const uint32_t *lat,
			      uint32_t *sorted, uint64_t n)
{
	memcpy(sorted, lat, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	fprintf(fp, "%s_p50_ms %u\n", name, sorted[(n - 1) / 2]);
	fprintf(fp, "%s_p99_ms %u\n", name, sorted[(n - 1) * 99 / 100]);
}

static void write_status(struct agent *a)
{
	uint64_t n = a->nlat < LAT_RING ? a->nlat : LAT_RING;
	uint32_t *sorted = NULL;
	char tmp[4096];
	FILE *fp;
	int i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", a->status_path);
	fp = fopen(tmp, "w");
	if (!fp)
		return;
	fprintf(fp, "policy %s\n", a->policy_name);
	fprintf(fp, "flows %llu\n", (unsigned long long)a->nflows);
	fprintf(fp, "installed %llu\n", (unsigned long long)a->ninstalled);
	fprintf(fp, "pending %llu\n", (unsigned long long)a->npending);
	fprintf(fp, "refused %llu\n", (unsigned long long)a->flows_refused);
	for (i = 0; i < ERRNO_MAX; i++)
		if (a->refused[i])
			fprintf(fp, "refused_%s %llu %s\n",
				i ? strerrorname_np(i) : "other",
				(unsigned long long)a->refused[i],
				a->refused_msg[i] ? a->refused_msg[i] : "");
	fprintf(fp, "returned %llu\n", (unsigned long long)a->flows_returned);
	fprintf(fp, "rules_installed %llu\n", (unsigned long long)a->rules_installed);
	fprintf(fp, "rules_removed %llu\n", (unsigned long long)a->rules_removed);
	fprintf(fp, "events_ready %llu\n", (unsigned long long)a->ev_ready);
	fprintf(fp, "events_gone %llu\n", (unsigned long long)a->ev_gone);
	fprintf(fp, "events_lost %llu\n", (unsigned long long)a->ev_lost);
	fprintf(fp, "events_resync %llu\n", (unsigned long long)a->ev_resync);
	fprintf(fp, "resyncs %llu\n", (unsigned long long)a->resyncs);
	if (a->install_us)
		fprintf(fp, "rules_per_second %.0f\n",
			a->install_rules * 1e6 / a->install_us);
	if (n && (sorted = malloc(n * sizeof(*sorted)))) {
		print_percentiles(fp, "latency", a->lat_first, sorted, n);
		print_percentiles(fp, "ready_latency", a->lat_ready, sorted, n);
		free(sorted);
	}
	fclose(fp);
	rename(tmp, a->status_path);
}

static int ctrl_cb(struct agent *a, const struct nlmsghdr *nlh);

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct agent *a = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return MNL_CB_OK;
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return ctrl_cb(a, nlh);
	if (nlh->nlmsg_type != a->nl.family)
		return MNL_CB_OK;
	if (g->cmd == LBNIC_CMD_FLOW_READY) {
		a->ev_ready++;
		return flow_ready(a, nlh);
	}
	if (g->cmd == LBNIC_CMD_FLOW_GONE) {
		a->ev_gone++;
		return flow_gone(a, nlh);
	}
	if (g->cmd == LBNIC_CMD_FLOW_RESYNC) {
		/* lbnic lost events of its own: its dump says what is true. */
		a->ev_resync++;
		a->resync_due = true;
		vlog("lbnic lost events: resync");
	}
	return MNL_CB_OK;
}

static int subscribe(struct agent *a)
{
	uint32_t grp;
	int ret;

	if (a->nl.s.sock)
		lbnic_nl_close(&a->nl);
	ret = lbnic_nl_open(&a->nl);
	if (ret)
		return ret;
	ret = lbnic_nl_group(&a->nl, LBNIC_GENL_NAME, LBNIC_MCGRP_OFFLOAD, &grp);
	if (ret)
		return ret;
	if (mnl_socket_setsockopt(a->ev, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
		return -errno;
	return resync(a);
}

static void forget_all(struct agent *a)
{
	int i;

	for (i = 0; i < FLOW_HASH; i++)
		while (a->flows[i])
			drop_flow(a, &a->flows[i]);
}

static const struct mnlu_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_NAME] = { MNL_TYPE_NUL_STRING },
};

/* lbnic unloaded: its flows are gone, so are our rules; back when it is. */
static int ctrl_cb(struct agent *a, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, ctrl_policy, CTRL_ATTR_MAX, tb);
	if (!tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), LBNIC_GENL_NAME))
		return MNL_CB_OK;
	if (g->cmd == CTRL_CMD_DELFAMILY) {
		forget_all(a);
		lbnic_nl_close(&a->nl);
		fprintf(stderr, "lbnicd: lbnic unloaded, rules removed\n");
	} else if (g->cmd == CTRL_CMD_NEWFAMILY) {
		if (subscribe(a))
			fprintf(stderr, "lbnicd: cannot follow the reloaded lbnic\n");
	}
	return MNL_CB_OK;
}

static int open_events(struct agent *a)
{
	struct lbnic_nl ctrl;
	int ret;

	a->evbuf = malloc(MNL_SOCKET_BUFFER_SIZE * 16);
	a->ev = mnl_socket_open(NETLINK_GENERIC);
	if (!a->evbuf || !a->ev || mnl_socket_bind(a->ev, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "Error: cannot open the event socket: %s.\n",
			strerror(errno));
		return -1;
	}
	if (a->rcvbuf)
		setsockopt(mnl_socket_get_fd(a->ev), SOL_SOCKET, SO_RCVBUFFORCE,
			   &a->rcvbuf, sizeof(a->rcvbuf));
	ret = lbnic_nl_open(&ctrl);
	if (ret)
		return ret;
	ret = lbnic_nl_group(&ctrl, "nlctrl", "notify", &a->ctrl_grp);
	lbnic_nl_close(&ctrl);
	if (ret)
		return ret;
	if (mnl_socket_setsockopt(a->ev, NETLINK_ADD_MEMBERSHIP, &a->ctrl_grp,
				  sizeof(a->ctrl_grp)) < 0)
		return -errno;
	return subscribe(a);
}

/*
 * The events that have come, then at most one resync however many times
 * events were lost meanwhile: the dump says what is true now.
 */
static void read_events(struct agent *a)
{
	ssize_t r;
	int n;

	/* A bounded number, so that a stream of events starves nothing. */
	for (n = 0; n < 256; n++) {
		r = recv(mnl_socket_get_fd(a->ev), a->evbuf,
			 MNL_SOCKET_BUFFER_SIZE * 16, MSG_DONTWAIT);
		if (r < 0 && errno == ENOBUFS) {
			a->ev_lost++;
			a->resync_due = true;
			vlog("events lost");
			continue;
		}
		if (r < 0)
			break;
		mnl_cb_run(a->evbuf, r, 0, 0, event_cb, a);
	}
	if (a->resync_due && a->nl.s.sock)
		resync(a);
	a->resync_due = false;
}

static int print_status(const char *path)
{
	char line[256];
	FILE *fp = fopen(path, "r");

	if (!fp) {
		fprintf(stderr, "Error: no status at %s: is lbnicd running?\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), fp))
		fputs(line, stdout);
	fclose(fp);
	return 0;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: lbnicd [ -f ] [ -p { skip_hw | skip_sw | none } ] [ -P PRIO ]\n"
		"              [ -r FLOWS_PER_SEC ] [ -i POLL_MS ] [ -S STATUS_FILE ]\n"
		"              [ -b RCVBUF ] [ -v ]\n"
		"       lbnicd -s [ -S STATUS_FILE ]\n"
		"       lbnicd -h\n");
}

static int parse_policy(struct agent *a, const char *arg)
{
	if (!strcmp(arg, "skip_hw"))
		a->pol.flags = TCA_CLS_FLAGS_SKIP_HW;
	else if (!strcmp(arg, "skip_sw"))
		a->pol.flags = TCA_CLS_FLAGS_SKIP_SW;
	else if (!strcmp(arg, "none"))
		a->pol.flags = 0;
	else
		return -1;
	a->policy_name = arg;
	return 0;
}

/* A number in @min..@max, or "Error: ..." and -1. */
static int get_range(unsigned int *val, const char *arg, const char *what,
		     unsigned int min, unsigned int max)
{
	uint32_t v;

	if (lbnic_get_u32(&v, arg, what))
		return -1;
	if (v < min || v > max) {
		fprintf(stderr, "Error: %s %u is not in %u..%u.\n", what, v, min, max);
		return -1;
	}
	*val = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct agent *a = calloc(1, sizeof(*a));
	unsigned int prio = 0xc000, rcvbuf = 0;
	bool foreground = false, status = false;
	uint64_t next_poll;
	int opt, ret, err;

	if (!a)
		return 1;
	a->pol.flags = TCA_CLS_FLAGS_SKIP_HW;
	a->policy_name = "skip_hw";
	a->rate = 20000;
	a->interval_ms = 1000;
	a->status_path = "/run/lbnicd.status";
	a->next_handle = 1;
	a->qtail = &a->qhead;
	while ((opt = getopt(argc, argv, "fp:P:r:i:S:b:svh")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'f':
			foreground = true;
			break;
		case 'p':
			if (parse_policy(a, optarg)) {
				fprintf(stderr, "Error: policy \"%s\" is not skip_hw, skip_sw or none.\n", optarg);
				return 2;
			}
			break;
		case 'P':
			if (get_range(&prio, optarg, "priority", 1, 0xfffe))
				return 2;
			break;
		case 'r':
			if (get_range(&a->rate, optarg, "rate", 1, 10000000))
				return 2;
			break;
		case 'i':
			if (get_range(&a->interval_ms, optarg, "interval", 10, 3600000))
				return 2;
			break;
		case 'S':
			a->status_path = optarg;
			break;
		case 'b':
			if (get_range(&rcvbuf, optarg, "receive buffer", 1, 1U << 30))
				return 2;
			a->rcvbuf = rcvbuf;
			break;
		case 's':
			status = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument \"%s\".\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (status)
		return print_status(a->status_path);
	a->pol.prio = prio;

	if (tc_open(&a->tc)) {
		fprintf(stderr, "Error: cannot open rtnetlink: %s.\n", strerror(errno));
		return 1;
	}
	/*
	 * Whatever a previous run left is stale: its flows may be gone, and a
	 * rule left in place would carry their ports to the old backend.
	 */
	err = tc_flush_all(&a->tc, &a->pol);
	if (err) {
		fprintf(stderr, "Error: cannot remove old rules: %s.\n", strerror(-err));
		return 1;
	}
	tc_warm_up(&a->tc, &a->pol, &a->next_handle);
	if (open_events(a))
		return 1;
	if (!foreground && daemon(0, 0)) {
		perror("lbnicd: daemon");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	a->t_tokens = now_ms();
	next_poll = now_ms() + a->interval_ms;
	while (!stop) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(a->ev), .events = POLLIN };
		uint64_t t = now_ms();
		int timeout = next_poll > t ? next_poll - t : 0;

		if (a->qhead && timeout > 10)
			timeout = 10;
		ret = poll(&pfd, 1, timeout);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0)
			read_events(a);
		install_queued(a);
		if (now_ms() >= next_poll) {
			poll_stats(a);
			write_status(a);
			next_poll = now_ms() + a->interval_ms;
		}
	}
	/* A clean stop hands every flow back to lbnic. */
	forget_all(a);
	write_status(a);
	tc_close(&a->tc);
	lbnic_nl_close(&a->nl);
	mnl_socket_close(a->ev);
	free(a->evbuf);
	free(a);
	return 0;
}
