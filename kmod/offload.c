// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: flow offload events (seed 000 section 3.3, seed 002).
 *
 * The datapath names a connection a candidate once it is established and
 * past the namespace's packet and age thresholds, so that short flows never
 * cost a rule, and withdraws it on FIN, RST, timeout or flush.  Both happen
 * once per connection (a cmpxchg on c->ofl) and only queue a small record:
 * routes, neighbours and netlink messages are for the work item, in process
 * context.  A full queue loses the event and counts it, and so does a
 * message that cannot be made; either way the listeners are then told
 * (LBNIC_CMD_FLOW_RESYNC) to resync from the LBNIC_CMD_GET_FLOW dump, which
 * lists candidates by their state, not by events: a lost FLOW_GONE must not
 * leave a rule steering a flow that no longer exists.
 */
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include "fwd.h"
#include "netlink.h"
#include "offload.h"

unsigned int lbnic_offload_queue_len = 1024;
module_param_named(offload_queue, lbnic_offload_queue_len, uint, 0444);
MODULE_PARM_DESC(offload_queue,
		 "Offload events a namespace may have queued (a power of two, 16..65536)");

static void lbnic_offload_lost(struct lbnic_offload *o)
{
	atomic64_inc(&o->lost);
	WRITE_ONCE(o->resync, true);
}

static void lbnic_offload_queue(struct lbnic_net *ln,
				const struct lbnic_conn *c, bool gone)
{
	struct lbnic_offload *o = &ln->offload;
	struct lbnic_ofl_event ev;

	lbnic_offload_event_of(c, &ev);
	ev.gone = gone;
	if (!kfifo_in_spinlocked(&o->events, &ev, 1, &o->lock))
		lbnic_offload_lost(o);
	queue_work(system_unbound_wq, &o->work);
}

void lbnic_offload_event_of(const struct lbnic_conn *c,
			    struct lbnic_ofl_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->cookie = READ_ONCE(c->cookie);
	ev->caddr = c->caddr;
	ev->vaddr = c->vaddr;
	ev->cport = c->cport;
	ev->vport = c->vport;
	ev->proto = c->proto;
	ev->family = c->family;
}

void lbnic_offload_consider(struct lbnic_net *ln, struct lbnic_conn *c)
{
	struct lbnic_offload *o = &ln->offload;
	u8 state = READ_ONCE(c->state);
	u32 packets;

	/* Pairs with the release in lbnic_offload_set(): the queue exists. */
	packets = smp_load_acquire(&o->packets);
	if (!packets || (state != LBNIC_CONN_S_ESTABLISHED &&
			 state != LBNIC_CONN_S_UDP))
		return;
	if (atomic64_read(&c->packets[LBNIC_DIR_ORIG]) +
	    atomic64_read(&c->packets[LBNIC_DIR_REPLY]) < packets)
		return;
	if ((u32)jiffies - c->created < READ_ONCE(o->age))
		return;
	/* A rule per direction needs each direction's ingress device. */
	if (lbnic_conn_ops(c)->two_way && !READ_ONCE(c->iif[LBNIC_DIR_REPLY]))
		return;
	if (cmpxchg(&c->ofl, LBNIC_OFL_NONE, LBNIC_OFL_READY) != LBNIC_OFL_NONE)
		return;
	/* Once per connection; the dump skips it until this is visible. */
	WRITE_ONCE(c->cookie, atomic64_inc_return(&o->next_cookie));
	lbnic_stat_inc(ln, LBNIC_NET_STAT_OFFLOAD_READY);
	lbnic_offload_queue(ln, c, false);
}

void lbnic_offload_gone(struct lbnic_net *ln, struct lbnic_conn *c)
{
	if (READ_ONCE(c->ofl) == LBNIC_OFL_READY &&
	    cmpxchg(&c->ofl, LBNIC_OFL_READY, LBNIC_OFL_GONE) == LBNIC_OFL_READY)
		lbnic_offload_queue(ln, c, true);
}

/*
 * A flow-ready event, built from the connection as it is now; NULL if there
 * is nothing to announce, ERR_PTR if the message could not be made.
 */
static struct sk_buff *lbnic_offload_ready_msg(struct lbnic_net *ln,
					       const struct lbnic_ofl_event *ev)
{
	struct lbnic_conn_table *t;
	struct lbnic_tuple k = {
		.saddr = ev->caddr, .daddr = ev->vaddr,
		.sport = ev->cport, .dport = ev->vport,
		.proto = ev->proto, .family = ev->family,
	};
	struct lbnic_conn *c;
	struct sk_buff *msg;
	enum lbnic_dir dir;
	int err = -ENOENT;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	rcu_read_lock();
	t = rcu_dereference(ln->conns);
	c = t ? lbnic_conn_lookup(t, &k, &dir) : NULL;
	if (c && dir == LBNIC_DIR_ORIG && READ_ONCE(c->cookie) == ev->cookie &&
	    READ_ONCE(c->ofl) == LBNIC_OFL_READY) {
		err = lbnic_nl_flow_fill(msg, ln->net, c, 0, 0, 0);
		/* Unresolved next hop: a later packet announces it again. */
		if (err == -EAGAIN)
			cmpxchg(&c->ofl, LBNIC_OFL_READY, LBNIC_OFL_NONE);
	}
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err == -EMSGSIZE ? ERR_PTR(err) : NULL;
	}
	return msg;
}

static void lbnic_offload_work(struct work_struct *work)
{
	struct lbnic_offload *o = container_of(work, struct lbnic_offload, work);
	struct lbnic_net *ln = container_of(o, struct lbnic_net, offload);
	struct lbnic_ofl_event ev;
	struct sk_buff *msg;

	while (kfifo_out_spinlocked(&o->events, &ev, 1, &o->lock)) {
		if (!lbnic_nl_offload_listened(ln->net))
			continue;
		if (ev.gone)
			msg = lbnic_nl_flow_gone_msg(&ev);
		else
			msg = lbnic_offload_ready_msg(ln, &ev);
		if (IS_ERR(msg))
			lbnic_offload_lost(o);
		else if (msg)
			lbnic_nl_offload_notify(ln->net, msg);
		cond_resched();
	}
	/* After the queue: a listener resyncs from what is true by now. */
	if (READ_ONCE(o->resync) && lbnic_nl_offload_listened(ln->net)) {
		WRITE_ONCE(o->resync, false);
		if (lbnic_nl_offload_resync(ln->net))
			WRITE_ONCE(o->resync, true);
	}
}

void lbnic_offload_init(struct lbnic_net *ln)
{
	struct lbnic_offload *o = &ln->offload;

	spin_lock_init(&o->lock);
	INIT_WORK(&o->work, lbnic_offload_work);
}

/* Netns exit: the hooks and the table are gone, nothing queues any more. */
void lbnic_offload_exit(struct lbnic_net *ln)
{
	cancel_work_sync(&ln->offload.work);
	kfifo_free(&ln->offload.events);
}

/* The queue, made with the first setting that enables offload. */
int lbnic_offload_prepare(struct lbnic_net *ln, u32 packets)
{
	struct lbnic_offload *o = &ln->offload;

	lockdep_assert_held(&ln->lock);
	if (!packets || kfifo_initialized(&o->events))
		return 0;
	return kfifo_alloc(&o->events, lbnic_offload_queue_len, GFP_KERNEL_ACCOUNT);
}

/* After lbnic_offload_prepare() of @packets. */
void lbnic_offload_set(struct lbnic_net *ln, u32 packets, u32 age_ms)
{
	struct lbnic_offload *o = &ln->offload;

	lockdep_assert_held(&ln->lock);
	WRITE_ONCE(o->age, msecs_to_jiffies(age_ms));
	/* The queue, then the threshold that lets the datapath use it. */
	smp_store_release(&o->packets, packets);
}
