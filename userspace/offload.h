/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnicd: a flow as the agent tracks it, and the TC rules it becomes.
 */
#ifndef LBNIC_OFFLOAD_H
#define LBNIC_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "mnlu.h"
#include "util.h"

/* One direction's rule: match, rewrite, egress (LBNIC_FLOW_DIR_A_*). */
struct ofl_rule {
	uint32_t iif, oif;
	struct lbnic_addr saddr, daddr, new_saddr, new_daddr;	/* with ports */
	uint8_t smac[6], dmac[6];
	uint32_t handle;		/* 0: not installed */
	struct ofl_rule *hnext;		/* agent's by-handle hash chain */
	bool in_hw;
	bool seen;			/* in the last stats dump of its device */
	uint32_t lastuse_ms;		/* since a packet matched; from stats */
};

enum ofl_state {
	OFL_QUEUED,			/* waiting for the rate limit */
	OFL_INSTALLED,
	OFL_REFUSED,
	OFL_RETURNED,			/* a rule vanished: lbnic's again */
};

struct ofl_flow {
	struct ofl_flow *next;		/* hash chain */
	struct ofl_flow *qnext;		/* install queue */
	uint64_t cookie;
	uint8_t proto;
	struct lbnic_addr client, vip;	/* with ports: names it to the kernel */
	int ndirs;
	struct ofl_rule dir[2];
	enum ofl_state state;
	int err;			/* errno of a refusal */
	uint64_t t_first_ms;		/* its first packet, on our clock */
	uint64_t t_ready_ms;		/* announced to us */
	bool seen;			/* in the last resync dump */
	bool gone;			/* lbnic has it no more: to be dropped */
};

/* What the agent is told to do with its rules (OVS's tc-policy). */
struct ofl_policy {
	uint32_t flags;			/* TCA_CLS_FLAGS_SKIP_HW / _SKIP_SW */
	uint16_t prio;			/* its own; prio + 1 for IPv6 */
};

/* The rules' side: rtnetlink, TC flower. */
struct tc_sock {
	struct mnlu_sock s;
};

int tc_open(struct tc_sock *tc);
void tc_close(struct tc_sock *tc);
/*
 * Installs both directions' rules, or none; returns 0 or a negative errno,
 * with the kernel's (the driver's) explanation in @why.
 */
int tc_flow_add(struct tc_sock *tc, const struct ofl_policy *pol,
		struct ofl_flow *f, uint32_t *next_handle, struct mnlu_ack *why);
void tc_flow_del(struct tc_sock *tc, const struct ofl_policy *pol,
		 struct ofl_flow *f);
/* Has the kernel load what rules need, so that no flow waits for it. */
void tc_warm_up(struct tc_sock *tc, const struct ofl_policy *pol,
		uint32_t *next_handle);
/* Deletes every rule of the agent's priorities on every device. */
int tc_flush_all(struct tc_sock *tc, const struct ofl_policy *pol);

/* Per installed rule found on @ifindex, calls @fn with its handle. */
struct tc_rule_stats {
	uint32_t handle;
	bool in_hw;
	uint32_t lastuse_ms;
};
int tc_dump_stats(struct tc_sock *tc, const struct ofl_policy *pol,
		  uint32_t ifindex, int family,
		  void (*fn)(const struct tc_rule_stats *st, void *arg),
		  void *arg);

#endif
