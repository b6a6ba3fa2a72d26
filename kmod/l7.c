// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the L7 (http) engine, the client's side.
 *
 * lbnic answers an http service's handshakes itself, with SYN cookies as
 * seed 000 (section 3.1.2) and netfilter's SYNPROXY do: a SYN costs one
 * SYN-ACK and no state, so a SYN flood grows nothing.  The entry appears
 * on the client's first ACK that carries a valid cookie (the cookie hashes
 * the client's ISN, so only the first segment after the handshake can
 * make one), in state HTTP_REQ, seed 000's FRONT_ESTABLISHED.  lbnic then
 * takes the request header, in order, into a buffer that grows as needed
 * and acknowledges what it took: a segment after a hole is answered with a
 * duplicate ACK, and the client's retransmission fills the hole, so
 * reordered, duplicated and byte-sized segments parse like one.
 *
 * What lbnic says to the client it must deliver itself: an answer (an
 * HTTP error, then FIN) is retransmitted until acknowledged, with an
 * exponential backoff, and the connection reset after LBNIC_L7_TRIES.
 * A header that is not complete when the service's http-req timeout ends
 * is answered 408.  Data after an answer (a body, a pipelined request) is
 * acknowledged and dropped, up to LBNIC_L7_DRAIN bytes, as HAProxy and
 * nginx drain before they close, so that the client reads the answer
 * rather than a reset; beyond that, the connection is reset.
 *
 * lbnic is the client's TCP peer here, so it checks what a TCP stack
 * would: the checksum (nothing before it did), an ACK only of what lbnic
 * sent (RFC 5961 5.2), an RST only at the exact next sequence number,
 * data only where lbnic expects it.  ACKs it sends unasked (duplicate and
 * challenge ACKs) are limited per connection, and RSTs to ACKs without a
 * cookie per namespace, so that a flood is not reflected.
 *
 * The SYN-ACK offers only an MSS (the cookie's): no window scaling, SACK
 * or timestamps, which the cookie cannot carry without the client's
 * timestamps.  A complete header goes to the splice (kmod/l7_splice.c),
 * which chooses the backend and delivers it.
 *
 * Locking: one spinlock per connection, taken in softirq (packets, the
 * timer) and with BHs off when the entry is released.  The timer is only
 * armed under it, and never once the state is dead; the state is freed
 * after an RCU grace period, which a running timer callback holds back.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "compat.h"
#include "fwd.h"
#include "l7.h"
#include "service.h"
#include "tcp_out.h"

/* A first retransmission timeout (Linux's TCP_RTO_MIN), then doubling. */
#define LBNIC_L7_RTO		(HZ / 5)
#define LBNIC_L7_TRIES		6
/* The collector's margin past a timer that answers and retransmits. */
#define LBNIC_L7_SLACK		(30 * HZ)
/* The header buffer's first size; it doubles up to the limit. */
#define LBNIC_L7_BUF_MIN	1024
/* What a client may still send after an answer, dropped, before an RST. */
#define LBNIC_L7_DRAIN		(64 << 10)
/* ACKs no segment asked for: one per connection in this many jiffies. */
#define LBNIC_L7_ACK_GAP	max(HZ / 100, 1)
/* RSTs to ACKs without a valid cookie: this many per jiffy a namespace. */
#define LBNIC_L7_RSTS		8
/* What all request buffers of a namespace may hold together. */
#define LBNIC_L7_BUFFERED_MAX	(64 << 20)

const struct lbnic_http_limits lbnic_l7_limits = {
	.max_header = LBNIC_HTTP_MAX_HEADER,
	.max_fields = LBNIC_HTTP_MAX_FIELDS,
};

/*
 * What the client may send: the rest of the header's limit, and once lbnic
 * answered, what it will still drain.  Never zero: Linux does not send its
 * FIN into a zero window.
 */
static u16 lbnic_l7_window(const struct lbnic_l7 *l7)
{
	u32 room = (l7->flags & LBNIC_L7_F_FIN_OUT) ?
		   LBNIC_L7_DRAIN - min_t(u32, l7->drained, LBNIC_L7_DRAIN) :
		   lbnic_l7_limits.max_header - l7->len;

	return clamp_t(u32, room, 1, U16_MAX);
}

void lbnic_l7_send(struct lbnic_l7 *l7, u8 flags, u32 seq, const void *data,
		   unsigned int len)
{
	const struct lbnic_conn *c = l7->c;
	struct lbnic_seg s = {
		.family = c->family,
		.flags = flags,
		.saddr = &c->vaddr,
		.daddr = &c->caddr,
		.sport = c->vport,
		.dport = c->cport,
		.seq = seq,
		.ack = lbnic_l7_client_ack(l7),
		.win = lbnic_l7_window(l7),
		.data = data,
		.len = len,
	};

	lbnic_seg_send(l7->ln, &s);
}

void lbnic_l7_ack(struct lbnic_l7 *l7)
{
	lbnic_l7_send(l7, TCPHDR_ACK, l7->l_nxt, NULL, 0);
}

/* A duplicate or challenge ACK: at most one each LBNIC_L7_ACK_GAP. */
void lbnic_l7_ack_unasked(struct lbnic_l7 *l7)
{
	if (time_before(jiffies, l7->acked_at + LBNIC_L7_ACK_GAP))
		return;
	l7->acked_at = jiffies;
	lbnic_l7_ack(l7);
}

static const char *lbnic_l7_reason(u16 status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 408:
		return "Request Timeout";
	case 431:
		return "Request Header Fields Too Large";
	case 501:
		return "Not Implemented";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	}
	return "Error";
}

/* The whole answer for @status, which always fits one segment. */
static unsigned int lbnic_l7_answer_text(u16 status, char *buf, size_t size)
{
	const char *reason = lbnic_l7_reason(status);

	return scnprintf(buf, size,
			 "HTTP/1.1 %u %s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
			 status, reason, strlen(reason) + 1, reason);
}

/* (Re)sends what lbnic said: the answer if any, and its FIN. */
static void lbnic_l7_send_answer(struct lbnic_l7 *l7)
{
	char text[160];
	unsigned int len = 0;

	if (l7->answer)
		len = lbnic_l7_answer_text(l7->answer, text, sizeof(text));
	lbnic_l7_send(l7, TCPHDR_ACK | TCPHDR_FIN | (len ? TCPHDR_PSH : 0),
		      l7->l_nxt - len - 1, text, len);
}

/* Ends lbnic's side: @status answered (0: none, a bare FIN), then FIN. */
void lbnic_l7_close(struct lbnic_l7 *l7, u16 status)
{
	char text[160];

	lockdep_assert_held(&l7->lock);
	l7->answer = status;
	l7->flags |= LBNIC_L7_F_FIN_OUT;
	l7->l_nxt += 1 + (status ? lbnic_l7_answer_text(status, text, sizeof(text)) : 0);
	lbnic_l7_send_answer(l7);
	lbnic_conn_set_state(l7->c, LBNIC_CONN_S_FIN, &l7->ln->timeouts);
	if (status)
		lbnic_stat_inc(l7->ln, LBNIC_NET_STAT_HTTP_ANSWERED);
	l7->tries = 0;
	mod_timer(&l7->timer, jiffies + LBNIC_L7_RTO);
}

/*
 * Resets the client's connection; the caller then expires the entry.  The
 * client's next expected byte is lbnic's oldest unacknowledged one, or, if
 * the acknowledgment is on its way, the next: a reset at each.
 */
void lbnic_l7_reset(struct lbnic_l7 *l7)
{
	lbnic_l7_send(l7, TCPHDR_RST | TCPHDR_ACK, l7->l_una, NULL, 0);
	if (l7->l_nxt != l7->l_una)
		lbnic_l7_send(l7, TCPHDR_RST | TCPHDR_ACK, l7->l_nxt, NULL, 0);
}

void lbnic_l7_kill(struct lbnic_l7 *l7)
{
	struct lbnic_conn_table *t;

	rcu_read_lock();
	t = rcu_dereference(l7->ln->conns);
	if (t)
		lbnic_conn_expire(t, l7->c);
	rcu_read_unlock();
}

static void lbnic_l7_timer(struct timer_list *timer)
{
	struct lbnic_l7 *l7 = from_timer(l7, timer, timer);
	bool kill = false;

	spin_lock(&l7->lock);
	if ((l7->flags & LBNIC_L7_F_DEAD) || !l7->c)
		goto out;
	if (l7->c->backend && !(l7->flags & LBNIC_L7_F_FIN_OUT)) {
		kill = lbnic_l7_splice_timer(l7);
		goto out;
	}
	/* The header's deadline passed (slowloris): 408. */
	if (!(l7->flags & LBNIC_L7_F_FIN_OUT)) {
		lbnic_l7_close(l7, 408);
		goto out;
	}
	if (l7->l_una == l7->l_nxt)
		goto out;
	if (++l7->tries > LBNIC_L7_TRIES) {
		lbnic_l7_reset(l7);
		kill = true;
		goto out;
	}
	lbnic_l7_send_answer(l7);
	mod_timer(&l7->timer, jiffies + (LBNIC_L7_RTO << l7->tries));
out:
	kill |= !!(l7->flags & LBNIC_L7_F_RESET);
	spin_unlock(&l7->lock);
	if (kill)
		lbnic_l7_kill(l7);
}

/* What a buffer of @size costs: kmalloc's size class. */
u32 lbnic_l7_cost(u32 size)
{
	return size ? roundup_pow_of_two(size) : 0;
}

/*
 * Room for @need bytes in *@buf (of *@size, doubling up to @cap), within
 * the namespace's budget, charged to the memory cgroup the table is (as
 * its entries are: limits.c).
 */
int lbnic_l7_alloc(struct lbnic_l7 *l7, char **buf, u32 *size, u32 need, u32 cap)
{
	u32 new = max_t(u32, *size, LBNIC_L7_BUF_MIN), more;
	struct mem_cgroup *old;
	char *p;

	if (need <= *size)
		return 0;
	while (new < need)
		new *= 2;
	new = min(new, cap);
	more = lbnic_l7_cost(new) - lbnic_l7_cost(*size);
	if (atomic_add_return(more, &l7->ln->http_buffered) > LBNIC_L7_BUFFERED_MAX)
		goto err_budget;
	old = set_active_memcg(l7->memcg);
	p = krealloc(*buf, new, GFP_ATOMIC | (l7->memcg ? __GFP_ACCOUNT : 0));
	set_active_memcg(old);
	if (!p)
		goto err_budget;
	*buf = p;
	*size = new;
	return 0;

err_budget:
	atomic_sub(more, &l7->ln->http_buffered);
	return -ENOMEM;
}

/*
 * The header in @buf, scanned again with what came since.  A complete
 * first one is routed; a later one is sent once nothing of lbnic's is in
 * flight.  A broken later one cannot be answered (a response may be on
 * its way): both legs are reset.
 */
void lbnic_l7_parse(struct lbnic_l7 *l7)
{
	u16 status;

	switch (lbnic_http_parse(&l7->scan, l7->buf, l7->len, &lbnic_l7_limits,
				 &l7->req, &status)) {
	case LBNIC_HTTP_MORE:
		break;
	case LBNIC_HTTP_ERROR:
		goto err_answer;
	case LBNIC_HTTP_DONE:
		/* A forged X-Real-IP would reach the backend before lbnic's. */
		if ((l7->req.flags & LBNIC_HTTP_F_REAL_IP) &&
		    l7->svc->http_field == LBNIC_HTTP_FIELD_REAL_IP) {
			status = 400;
			goto err_answer;
		}
		l7->phase = LBNIC_L7_P_HELD;
		if (!l7->c->backend)
			lbnic_l7_connect(l7);
		else
			lbnic_l7_held(l7);
		break;
	}
	return;

err_answer:
	/* After the splice began, a response may be on its way. */
	if (l7->flags & LBNIC_L7_F_SPLICED)
		lbnic_l7_abort(l7);
	else
		lbnic_l7_close(l7, status);
}

/*
 * The in-order part of @p's payload (@plen bytes) joins the header (or,
 * while a complete one waits, what follows it).
 */
void lbnic_l7_take(struct lbnic_l7 *l7, const struct sk_buff *skb,
		   const struct lbnic_pkt *p, u32 plen)
{
	u32 off = l7->c_nxt - p->tcp_seq, n = plen - off;

	n = min(n, lbnic_l7_limits.max_header - l7->len);
	if (!n) {
		lbnic_l7_ack(l7);
		return;
	}
	if (lbnic_l7_alloc(l7, &l7->buf, &l7->size, l7->len + n,
			   lbnic_l7_limits.max_header)) {
		/* After the splice began, a response may be on its way. */
		if (l7->flags & LBNIC_L7_F_SPLICED)
			lbnic_l7_abort(l7);
		else
			lbnic_l7_close(l7, 503);
		return;
	}
	if (skb_copy_bits(skb, p->l4off + p->tcp_doff + off, l7->buf + l7->len, n))
		return;
	if (!l7->len)
		l7->hdr_at = jiffies;
	l7->len += n;
	l7->c_nxt += n;
	if (l7->phase == LBNIC_L7_P_HEADER)
		lbnic_l7_parse(l7);
	lbnic_l7_header_deadline(l7);
	if (!(l7->flags & LBNIC_L7_F_FIN_OUT))
		lbnic_l7_ack(l7);
}

/* RFC 9293 3.10.7.4: within what lbnic's window allows. */
static bool lbnic_l7_in_window(const struct lbnic_l7 *l7, u32 seq)
{
	return !before(seq, l7->c_nxt) &&
	       before(seq, l7->c_nxt + lbnic_l7_window(l7));
}

/*
 * A segment of the client's before the splice or after lbnic answered,
 * under l7->lock; true: expire the entry.
 */
static bool lbnic_l7_client(struct lbnic_l7 *l7, const struct sk_buff *skb,
			    const struct lbnic_pkt *p)
{
	u8 flags = p->tcp_flags;
	u32 plen = p->tcp_end - p->tcp_seq - !!(flags & TCPHDR_SYN) -
		   !!(flags & TCPHDR_FIN);

	if (flags & TCPHDR_RST) {
		/* RFC 5961 3.2: the next sequence number resets; else challenge. */
		if (p->tcp_seq == l7->c_nxt)
			return true;
		if (lbnic_l7_in_window(l7, p->tcp_seq))
			lbnic_l7_ack_unasked(l7);
		return false;
	}
	/* The handshake is over: a SYN now is stale, or a port reused too early. */
	if (flags & TCPHDR_SYN) {
		lbnic_l7_ack_unasked(l7);	/* RFC 5961 4.2 */
		return false;
	}
	if (!(flags & TCPHDR_ACK))
		return false;
	/* RFC 5961 5.2: only an ACK of something lbnic sent. */
	if (before(p->tcp_ack, l7->l_iss + 1) || after(p->tcp_ack, l7->l_nxt)) {
		lbnic_l7_ack_unasked(l7);
		return false;
	}
	if (after(p->tcp_ack, l7->l_una))
		l7->l_una = p->tcp_ack;

	if (l7->flags & LBNIC_L7_F_FIN_OUT) {
		/* lbnic has said all it will: drain what follows, then reset. */
		if (plen && after(p->tcp_seq + plen, l7->c_nxt)) {
			if (!lbnic_l7_in_window(l7, p->tcp_seq) &&
			    !before(p->tcp_seq, l7->c_nxt))
				return false;
			l7->drained += p->tcp_seq + plen - l7->c_nxt;
			if (l7->drained > LBNIC_L7_DRAIN) {
				lbnic_l7_reset(l7);
				return true;
			}
			l7->c_nxt = p->tcp_seq + plen;
			lbnic_l7_ack(l7);
		}
	} else if (plen) {
		if (after(p->tcp_seq, l7->c_nxt)) {
			lbnic_l7_ack_unasked(l7);	/* a hole: ask for it again */
			return false;
		}
		if (after(p->tcp_seq + plen, l7->c_nxt))
			lbnic_l7_take(l7, skb, p, plen);
		else
			lbnic_l7_ack_unasked(l7);	/* a retransmission */
	}

	/*
	 * A complete header waits for its backend: its FIN, not taken,
	 * comes again and follows it (kmod/l7_splice.c).
	 */
	if ((flags & TCPHDR_FIN) && !(l7->flags & LBNIC_L7_F_FIN_IN) &&
	    p->tcp_seq + plen == l7->c_nxt &&
	    (l7->phase != LBNIC_L7_P_HELD || (l7->flags & LBNIC_L7_F_FIN_OUT))) {
		l7->c_nxt++;
		l7->flags |= LBNIC_L7_F_FIN_IN;
		/* Gone before its header was complete: close without a word. */
		if (!(l7->flags & LBNIC_L7_F_FIN_OUT))
			lbnic_l7_close(l7, 0);
		else
			lbnic_l7_ack(l7);
	}
	if ((l7->flags & LBNIC_L7_F_FIN_OUT) && l7->l_una == l7->l_nxt) {
		/* Both sides closed: done.  Only lbnic's: wait for the client's. */
		if (l7->flags & LBNIC_L7_F_FIN_IN)
			return true;
		lbnic_conn_set_state(l7->c, LBNIC_CONN_S_CLOSE, &l7->ln->timeouts);
	}
	return false;
}

/*
 * lbnic ends these segments: nothing checked their checksum before it (the
 * hook runs before TCP and conntrack) and nothing will after.
 */
static bool lbnic_l7_csum_bad(struct sk_buff *skb, const struct lbnic_pkt *p)
{
	return nf_checksum(skb, NF_INET_PRE_ROUTING, p->l4off, IPPROTO_TCP,
			   p->k.family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6);
}

/* A segment whose checksum was checked; consumes @skb. */
static unsigned int lbnic_l7_segment(struct sk_buff *skb,
				     const struct lbnic_pkt *p,
				     struct lbnic_conn *c, enum lbnic_dir dir)
{
	struct lbnic_l7 *l7 = c->l7;
	int verdict = LBNIC_L7_DONE;
	bool kill = false;

	spin_lock(&l7->lock);
	if (l7->flags & LBNIC_L7_F_DEAD)
		goto out;
	if (dir == LBNIC_DIR_REPLY ||
	    (l7->flags & (LBNIC_L7_F_SPLICED | LBNIC_L7_F_FIN_OUT)) == LBNIC_L7_F_SPLICED)
		verdict = lbnic_l7_splice_rcv(l7, skb, p, dir);
	else
		kill = lbnic_l7_client(l7, skb, p);
	kill |= !!(l7->flags & (LBNIC_L7_F_RESET | LBNIC_L7_F_OVER));
out:
	spin_unlock(&l7->lock);
	if (verdict == LBNIC_L7_FORWARD && !(l7->flags & LBNIC_L7_F_RESET)) {
		verdict = lbnic_l7_forward(l7->ln, skb, p, c, dir);
		skb = NULL;
	}
	if (kill)
		lbnic_l7_kill(l7);
	if (!skb)
		return verdict;
	consume_skb(skb);
	return NF_STOLEN;
}

unsigned int lbnic_l7_rcv(struct lbnic_net *ln, struct sk_buff *skb,
			  const struct lbnic_pkt *p, struct lbnic_conn *c,
			  enum lbnic_dir dir)
{
	if (lbnic_l7_csum_bad(skb, p)) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_MALFORMED);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	return lbnic_l7_segment(skb, p, c, dir);
}

/* A segment lbnic sends in answer to @p, which no connection explains. */
static void lbnic_l7_seg_reply(struct lbnic_seg *s, const struct lbnic_pkt *p,
			       u8 flags)
{
	*s = (struct lbnic_seg) {
		.family = p->k.family,
		.flags = flags,
		.saddr = &p->k.daddr,
		.daddr = &p->k.saddr,
		.sport = p->k.dport,
		.dport = p->k.sport,
	};
}

/* Answers a SYN from its cookie: no state is kept. */
static void lbnic_l7_synack(struct lbnic_net *ln, const struct sk_buff *skb,
			    const struct lbnic_pkt *p)
{
	u16 mss = p->tcp_mss;
	struct tcphdr _th;
	const struct tcphdr *th;
	struct lbnic_seg s;

	th = skb_header_pointer(skb, p->l4off, sizeof(_th), &_th);
	if (!th)
		return;
	lbnic_l7_seg_reply(&s, p, TCPHDR_SYN | TCPHDR_ACK);
	s.ack = p->tcp_seq + 1;
	s.win = min_t(u32, lbnic_l7_limits.max_header, U16_MAX);
	/* The cookie encodes the largest MSS of its table the client allows. */
	if (p->k.family == AF_INET)
		s.seq = __cookie_v4_init_sequence(ip_hdr(skb), th, &mss);
	else
		s.seq = __cookie_v6_init_sequence(ipv6_hdr(skb), th, &mss);
	s.mss = mss;
	if (!lbnic_seg_send(ln, &s))
		lbnic_stat_inc(ln, LBNIC_NET_STAT_HTTP_COOKIES);
}

/*
 * An ACK that no connection and no cookie explains: as a TCP stack with no
 * socket does (RFC 9293 3.10.7.1), an RST at its acknowledgment number,
 * so that a client whose entry is gone (expired, flushed) learns it.  A
 * flood of them is not reflected beyond LBNIC_L7_RSTS a jiffy.
 */
static void lbnic_l7_refuse(struct lbnic_net *ln, const struct lbnic_pkt *p)
{
	unsigned long now = jiffies;
	struct lbnic_seg s;

	if (READ_ONCE(ln->http_rst_at) != now) {
		WRITE_ONCE(ln->http_rst_at, now);
		WRITE_ONCE(ln->http_rsts, 0);
	}
	if (READ_ONCE(ln->http_rsts) >= LBNIC_L7_RSTS)
		return;
	WRITE_ONCE(ln->http_rsts, READ_ONCE(ln->http_rsts) + 1);
	lbnic_l7_seg_reply(&s, p, TCPHDR_RST);
	s.seq = p->tcp_ack;
	lbnic_seg_send(ln, &s);
}

/* The MSS the cookie of @skb's ACK encodes, or 0 if it has none. */
static u16 lbnic_l7_cookie(const struct sk_buff *skb, const struct lbnic_pkt *p)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, p->l4off, sizeof(_th), &_th);
	if (!th)
		return 0;
	if (p->k.family == AF_INET)
		return lbnic_cookie_v4_check(ip_hdr(skb), th);
	return lbnic_cookie_v6_check(ipv6_hdr(skb), th);
}

static void lbnic_l7_free_rcu(struct rcu_head *head)
{
	struct lbnic_l7 *l7 = container_of(head, struct lbnic_l7, rcu);

	kfree(l7->buf);
	kfree(l7->out);
	kfree(l7);
}

/* Stops the timer for good; frees @l7 once no reader or callback holds it. */
static void lbnic_l7_destroy(struct lbnic_l7 *l7)
{
	spin_lock_bh(&l7->lock);
	l7->flags |= LBNIC_L7_F_DEAD;
	spin_unlock_bh(&l7->lock);
	timer_delete(&l7->timer);
	atomic_sub(lbnic_l7_cost(l7->size) + lbnic_l7_cost(l7->out_size),
		   &l7->ln->http_buffered);
	lbnic_service_put(l7->svc);
	call_rcu(&l7->rcu, lbnic_l7_free_rcu);
}

void lbnic_l7_release(struct lbnic_conn *c)
{
	lbnic_l7_destroy(c->l7);
}

const struct lbnic_service *lbnic_l7_service(const struct lbnic_conn *c)
{
	return c->l7->svc;
}

/* The entry of a client whose ACK carried a valid cookie (@mss). */
static struct lbnic_conn *lbnic_l7_front(struct lbnic_net *ln,
					 const struct lbnic_pkt *p,
					 struct lbnic_service *svc, u16 mss)
{
	struct lbnic_conn_table *t = rcu_dereference(ln->conns);
	u32 timeout = READ_ONCE(ln->timeouts.t[LBNIC_CONN_S_HTTP_REQ]);
	struct mem_cgroup *old;
	struct lbnic_l7 *l7;
	struct lbnic_conn *c;
	enum lbnic_dir dir;

	if (!t)
		return NULL;
	old = set_active_memcg(t->memcg);
	l7 = kzalloc(sizeof(*l7), GFP_ATOMIC | (t->memcg ? __GFP_ACCOUNT : 0));
	set_active_memcg(old);
	if (!l7)
		return NULL;
	if (!refcount_inc_not_zero(&svc->refcnt)) {
		kfree(l7);
		return NULL;
	}
	spin_lock_init(&l7->lock);
	timer_setup(&l7->timer, lbnic_l7_timer, 0);
	l7->ln = ln;
	l7->svc = svc;
	l7->mss = mss;
	l7->memcg = t->memcg;
	l7->c_isn = p->tcp_seq - 1;
	l7->c_nxt = p->tcp_seq;
	l7->c_acked = p->tcp_seq;
	l7->c_ack = p->tcp_ack;
	l7->c_ack_fwd = p->tcp_ack;
	l7->c_win = p->tcp_win;
	l7->take_c = p->tcp_seq;
	l7->o_c = p->tcp_seq;		/* the map: one piece, from the start */
	l7->l_iss = p->tcp_ack - 1;
	l7->l_nxt = p->tcp_ack;
	l7->l_una = p->tcp_ack;
	l7->acked_at = jiffies - LBNIC_L7_ACK_GAP;
	lbnic_http_scan_init(&l7->scan);
	/* Armed before the entry is seen, so that no one else arms it first. */
	mod_timer(&l7->timer, jiffies + timeout);

	c = lbnic_conn_create_front(t, svc, &p->k, LBNIC_CONN_S_HTTP_REQ, l7);
	if (IS_ERR(c)) {
		lbnic_l7_destroy(l7);
		if (PTR_ERR(c) != -EEXIST)
			return NULL;
		/*
		 * Another CPU made it, for this flow's next segment; unless
		 * the tuple is another entry's reply (a fullnat source port
		 * that is this VIP's), which is no concern of this one.
		 */
		c = lbnic_conn_lookup(t, &p->k, &dir);
		return c && dir == LBNIC_DIR_ORIG &&
		       lbnic_conn_ops(c)->rcv == lbnic_l7_rcv ? c : NULL;
	}
	/* The cookie proved the handshake: a real flow, never evicted early. */
	lbnic_conn_see(c, LBNIC_SEEN_ASSURED);
	WRITE_ONCE(c->expires, c->created + timeout + LBNIC_L7_SLACK);
	return c;
}

unsigned int lbnic_l7_new_flow(struct lbnic_net *ln, struct sk_buff *skb,
			       const struct lbnic_pkt *p,
			       struct lbnic_service *svc)
{
	u8 flags = p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST);
	struct lbnic_conn *c;
	u16 mss;

	if (flags != TCPHDR_SYN && flags != TCPHDR_ACK)
		goto drop;
	if (lbnic_l7_csum_bad(skb, p)) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_MALFORMED);
		goto drop;
	}
	if (flags == TCPHDR_SYN) {
		lbnic_l7_synack(ln, skb, p);
		consume_skb(skb);
		return NF_STOLEN;
	}
	mss = lbnic_l7_cookie(skb, p);
	if (!mss) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_HTTP_COOKIE_BAD);
		lbnic_l7_refuse(ln, p);
		goto drop;
	}
	c = lbnic_l7_front(ln, p, svc, mss);
	if (c)
		return lbnic_l7_segment(skb, p, c, LBNIC_DIR_ORIG);
drop:
	kfree_skb(skb);
	return NF_STOLEN;
}
