// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the L7 (http) engine, the backend's leg and the splice.
 *
 * Once a request header is complete (kmod/l7.c), lbnic picks a backend,
 * opens a TCP connection to it from the service's SNAT address, and sends
 * it the header with a field of its own (the service's, X-Forwarded-For
 * by default) before the blank line.  From then on the two connections
 * are one, spliced as seed 000 (section 3.1) describes: segments are
 * relayed with their sequence and acknowledgment numbers translated,
 * and the end hosts keep reliability and congestion control for every
 * byte but lbnic's own.
 *
 * lbnic's own bytes are the request headers: it took them from the client
 * and acknowledged them itself, so it must deliver them.  It keeps the one
 * in flight (@out) until the backend acknowledges all of it, sends it
 * within the backend's window, and sends it again on a third duplicate ACK
 * and on a timer that backs off (seed 000, 3.1.3).  The ACK rules follow
 * from what lbnic may claim: an ACK the backend sends for bytes of a
 * header reaches the client as the acknowledgment of that whole header (it
 * is lbnic's to finish), an ACK that only repeats that is not relayed at
 * all (its duplicates are lbnic's business, not the client's), and an ACK
 * elsewhere is translated by the offset where it points.  A header taken
 * after relayed bytes is acknowledged to the client only once the backend
 * acknowledged those bytes: lbnic never claims what it did not see arrive.
 *
 * The choice of ISN toward the backend makes the request offset 0 until
 * the first insertion; responses are moved by one constant, the cookie's
 * ISN less the backend's.  Neither leg scales its window, uses SACK or
 * timestamps (lbnic offers none in its SYN-ACK and asks for none in its
 * SYN), so windows pass unchanged and nothing else needs translating; the
 * backend's SYN carries the client's MSS (Documentation/l7.rst).
 *
 * Requests on one connection go to its one backend: each one's header is
 * taken and gets its own field; its body is relayed, skipped by the
 * parser's body skipper to find where the next request begins.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sizes.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "compat.h"
#include "fwd.h"
#include "l7.h"
#include "route.h"
#include "sched.h"
#include "service.h"
#include "tcp_out.h"

/* The backend's SYN: Linux's first timeout (TCP_TIMEOUT_INIT), 3 more tries. */
#define LBNIC_L7_SYN_RTO	HZ
#define LBNIC_L7_SYN_TRIES	3
/*
 * How far behind the client's next byte the map may start.  Neither leg
 * scales its window, so no byte further back is unacknowledged; keeping
 * the map close keeps its 32-bit comparisons true on bodies and tunnels of
 * any length.
 */
#define LBNIC_L7_MAP_SPAN	SZ_1M
/* lbnic's own bytes: Linux's TCP_RTO_MIN, doubled on each try. */
#define LBNIC_L7_DATA_RTO	(HZ / 5)
#define LBNIC_L7_DATA_TRIES	8

/* Toward the backend, from the SNAT address, acknowledging what the client did. */
static void lbnic_l7_send_b(struct lbnic_l7 *l7, u8 flags, u32 seq,
			    const void *data, unsigned int len)
{
	const struct lbnic_conn *c = l7->c;
	struct lbnic_seg s = {
		.family = c->family,
		.flags = flags,
		.saddr = &c->laddr,
		.daddr = &c->daddr,
		.sport = c->lport,
		.dport = c->dport,
		.seq = seq,
		.ack = (flags & TCPHDR_ACK) ? l7->c_ack - l7->r_off : 0,
		.win = l7->c_win,
		.mss = (flags & TCPHDR_SYN) ? l7->mss : 0,
		.data = data,
		.len = len,
	};
	u32 end = seq + len + !!(flags & (TCPHDR_SYN | TCPHDR_FIN));

	lbnic_seg_send(l7->ln, &s);
	if (!(flags & TCPHDR_RST) && after(end, l7->b_nxt))
		l7->b_nxt = end;
}

/* Both legs reset: a protocol error after the splice began, or a dead peer. */
void lbnic_l7_abort(struct lbnic_l7 *l7)
{
	lbnic_l7_reset(l7);
	/* The backend expects a byte between the last it acknowledged and b_nxt. */
	if (l7->flags & LBNIC_L7_F_SPLICED) {
		lbnic_l7_send_b(l7, TCPHDR_RST | TCPHDR_ACK, l7->b_nxt, NULL, 0);
		if (l7->b_una != l7->b_nxt)
			lbnic_l7_send_b(l7, TCPHDR_RST | TCPHDR_ACK, l7->b_una, NULL, 0);
	}
	l7->flags |= LBNIC_L7_F_FIN_OUT | LBNIC_L7_F_RESET;
}

/* The ACK lbnic may give the client now: see the file's comment. */
u32 lbnic_l7_client_ack(struct lbnic_l7 *l7)
{
	u32 a = l7->b_una, x;

	if (!(l7->flags & LBNIC_L7_F_SPLICED) || (l7->flags & LBNIC_L7_F_FIN_OUT)) {
		x = l7->c_nxt;
	} else {
		if (l7->o_blen && !before(a, l7->o_b))
			x = before(a, l7->o_b + l7->o_blen) ?
			    l7->o_c + l7->o_clen : a - l7->d;
		else
			x = a - (l7->o_blen ? l7->d_prev : l7->d);
		if (l7->phase != LBNIC_L7_P_BODY && !before(x, l7->take_c))
			x = l7->c_nxt;
	}
	if (after(x, l7->c_acked))
		l7->c_acked = x;
	return l7->c_acked;
}

/* Sends what the backend's window allows of the header in flight. */
static void lbnic_l7_push(struct lbnic_l7 *l7, bool force)
{
	u32 end = l7->o_b + l7->o_blen, room, n;

	if (!l7->o_blen)
		return;
	if (before(l7->b_snd, l7->b_una))
		l7->b_snd = l7->b_una;
	while (before(l7->b_snd, end)) {
		room = before(l7->b_snd, l7->b_una + l7->b_win) ?
		       l7->b_una + l7->b_win - l7->b_snd : 0;
		/* A timeout probes a closed window, as TCP's persist timer does. */
		if (force)
			room = max_t(u32, room, 1);
		n = min3(end - l7->b_snd, (u32)l7->b_mss, room);
		if (!n)
			break;
		lbnic_l7_send_b(l7, TCPHDR_ACK | (l7->b_snd + n == end ? TCPHDR_PSH : 0),
				l7->b_snd, l7->out + (l7->b_snd - l7->o_b), n);
		l7->b_snd += n;
		force = false;
	}
	if (!timer_pending(&l7->timer))
		mod_timer(&l7->timer, jiffies + (LBNIC_L7_DATA_RTO << l7->tries));
}

/* The field lbnic adds to each request header; its length, or 0 for none. */
static unsigned int lbnic_l7_field(const struct lbnic_l7 *l7, char *buf)
{
	const struct lbnic_conn *c = l7->c;
	const char *name;

	switch (l7->svc->http_field) {
	case LBNIC_HTTP_FIELD_XFF:
		name = "X-Forwarded-For";
		break;
	case LBNIC_HTTP_FIELD_REAL_IP:
		name = "X-Real-IP";
		break;
	default:
		return 0;
	}
	if (c->family == AF_INET)
		return scnprintf(buf, LBNIC_L7_FIELD_MAX, "%s: %pI4\r\n", name,
				 &c->caddr.ip);
	return scnprintf(buf, LBNIC_L7_FIELD_MAX, "%s: %pI6c\r\n", name,
			 &c->caddr.in6);
}

/* Feeds the body skipper @len bytes of @buf; -1 on malformed framing. */
static int lbnic_l7_skip(struct lbnic_l7 *l7, const char *buf, u32 len, bool *done)
{
	return lbnic_http_body_feed(&l7->body, buf, len, &lbnic_l7_limits, done);
}

/*
 * Sends the complete header in @buf, with lbnic's field, once nothing else
 * of lbnic's is in flight.  What @buf holds past the header is the body's
 * start, and maybe the next requests: what belongs to this one goes with
 * it, the rest stays, as the next header.
 */
void lbnic_l7_held(struct lbnic_l7 *l7)
{
	const struct lbnic_http_req *req = &l7->req;
	u32 hdr = req->header_len, at = req->insert_at, q;
	char field[LBNIC_L7_FIELD_MAX];
	unsigned int flen;
	bool done = false;
	int n;

	lockdep_assert_held(&l7->lock);
	if (l7->phase != LBNIC_L7_P_HELD || !(l7->flags & LBNIC_L7_F_SPLICED) ||
	    l7->o_blen || (l7->flags & LBNIC_L7_F_FIN_OUT))
		return;
	flen = lbnic_l7_field(l7, field);
	lbnic_http_body_init(&l7->body, req);
	n = lbnic_l7_skip(l7, l7->buf + hdr, l7->len - hdr, &done);
	if (n < 0)
		goto err_abort;
	q = hdr + n;
	if (lbnic_l7_alloc(l7, &l7->out, &l7->out_size, q + flen,
			   lbnic_l7_limits.max_header + LBNIC_L7_FIELD_MAX))
		goto err_abort;
	memcpy(l7->out, l7->buf, at);
	memcpy(l7->out + at, field, flen);
	memcpy(l7->out + at + flen, l7->buf + at, q - at);

	l7->z_prev = l7->o_c + l7->o_clen;
	l7->d_prev = l7->d;
	l7->o_c = l7->take_c;
	l7->o_clen = q;
	l7->o_b = l7->take_c + l7->d;
	l7->o_blen = q + flen;
	l7->ins_c = l7->take_c + at;
	l7->ins_len = flen;
	l7->requests++;
	l7->d += flen;
	l7->b_snd = l7->o_b;
	l7->tries = 0;
	l7->dupacks = 0;

	memmove(l7->buf, l7->buf + q, l7->len - q);
	l7->len -= q;
	l7->take_c += q;
	lbnic_l7_push(l7, false);
	if (!done) {
		l7->phase = LBNIC_L7_P_BODY;
		return;
	}
	/* A pipelined request: its header is taken already, maybe whole. */
	l7->phase = LBNIC_L7_P_HEADER;
	lbnic_http_scan_init(&l7->scan);
	l7->hdr_at = jiffies;
	if (l7->len)
		lbnic_l7_parse(l7);
	lbnic_l7_header_deadline(l7);
	return;

err_abort:
	lbnic_l7_abort(l7);
}

/*
 * A later request's header has http-req to be complete, as the first one
 * (a slowloris on a kept-alive connection): when it is due, or 0 if no
 * header is being taken.
 */
static unsigned long lbnic_l7_header_due(const struct lbnic_l7 *l7)
{
	if (l7->phase != LBNIC_L7_P_HEADER || !l7->len)
		return 0;
	return l7->hdr_at + READ_ONCE(l7->ln->timeouts.t[LBNIC_CONN_S_HTTP_REQ]);
}

/* Arms the timer for lbnic_l7_header_due(), which the timer checks. */
void lbnic_l7_header_deadline(struct lbnic_l7 *l7)
{
	unsigned long due = lbnic_l7_header_due(l7);

	if ((l7->flags & (LBNIC_L7_F_SPLICED | LBNIC_L7_F_FIN_OUT)) == LBNIC_L7_F_SPLICED &&
	    due)
		timer_reduce(&l7->timer, due);
}

/* lbnic's SYN to the backend (again: b_una is its sequence number). */
static void lbnic_l7_syn(struct lbnic_l7 *l7)
{
	lockdep_assert_held(&l7->lock);
	l7->b_nxt = l7->b_una;
	lbnic_l7_send_b(l7, TCPHDR_SYN, l7->b_una, NULL, 0);
}

/*
 * Picks the backend for the complete first header, from the pool its Host
 * and path route to, and sends it a SYN.  Later requests go to the same
 * backend, wherever they would route (Documentation/l7.rst).
 */
void lbnic_l7_connect(struct lbnic_l7 *l7)
{
	struct lbnic_conn_table *t = rcu_dereference(l7->ln->conns);
	struct lbnic_backend *be;
	struct lbnic_tuple k;

	lockdep_assert_held(&l7->lock);
	lbnic_conn_fill_tuple(l7->c, LBNIC_DIR_ORIG, &k);
	be = lbnic_sched_pick(lbnic_route_pick(l7->svc, l7->buf, &l7->req), &k);
	if (!be) {
		lbnic_service_no_backend(l7->svc);
		goto err_unavailable;
	}
	if (!t || lbnic_conn_bind(t, l7->c, be))
		goto err_unavailable;
	/* The client's ISN: request bytes keep their numbers to the first field. */
	l7->b_una = l7->take_c - 1;
	l7->tries = 0;
	lbnic_l7_syn(l7);
	lbnic_conn_set_state(l7->c, LBNIC_CONN_S_SYN, &l7->ln->timeouts);
	mod_timer(&l7->timer, jiffies + LBNIC_L7_SYN_RTO);
	return;

err_unavailable:
	lbnic_l7_close(l7, 503);
}

/* The backend's answer to lbnic's SYN. */
static void lbnic_l7_synack(struct lbnic_l7 *l7, const struct lbnic_pkt *p)
{
	u8 flags = p->tcp_flags;

	if (!(flags & TCPHDR_ACK))
		return;
	if (p->tcp_ack != l7->b_una + 1) {
		/*
		 * RFC 9293 3.10.7.3: another connection's ACK, most likely
		 * that of a TIME-WAIT the backend keeps for this SNAT port
		 * (it takes a SYN only above the old connection's numbers,
		 * half the time).  Its reset ends it, and a SYN sent at once
		 * opens the new one: waiting for the timer cost a second.
		 * One such SYN per timer period, outside the tries: ACKs
		 * forged to this port can neither loop it nor use the tries
		 * up into a 503.
		 */
		if (flags & TCPHDR_RST)
			return;
		lbnic_l7_send_b(l7, TCPHDR_RST, p->tcp_ack, NULL, 0);
		if (!(l7->flags & (LBNIC_L7_F_FIN_OUT | LBNIC_L7_F_RESYN))) {
			l7->flags |= LBNIC_L7_F_RESYN;
			lbnic_stat_inc(l7->ln, LBNIC_NET_STAT_HTTP_TIME_WAIT);
			lbnic_l7_syn(l7);
		}
		return;
	}
	if (flags & TCPHDR_RST) {
		lbnic_l7_close(l7, 503);	/* refused */
		return;
	}
	if (!(flags & TCPHDR_SYN))
		return;
	if (l7->flags & LBNIC_L7_F_FIN_OUT) {
		/* The client left (or was answered) meanwhile. */
		lbnic_l7_send_b(l7, TCPHDR_RST, p->tcp_ack, NULL, 0);
		return;
	}
	l7->r_iss = p->tcp_seq;
	l7->r_nxt = p->tcp_seq + 1;
	l7->r_off = l7->l_iss - l7->r_iss;
	l7->b_una = p->tcp_ack;
	l7->b_win = p->tcp_win;
	/* Not beyond what reaches the client: lbnic's path is the same kind. */
	l7->b_mss = clamp_t(u16, p->tcp_mss, TCP_MIN_MSS, l7->mss);
	l7->flags |= LBNIC_L7_F_SPLICED;
	l7->tries = 0;
	lbnic_stat_inc(l7->ln, LBNIC_NET_STAT_HTTP_SPLICED);
	lbnic_conn_set_state(l7->c, LBNIC_CONN_S_ESTABLISHED, &l7->ln->timeouts);
	lbnic_l7_held(l7);
}

/* The backend acknowledged @ack: lbnic's bytes that it holds may go. */
static void lbnic_l7_b_acked(struct lbnic_l7 *l7, u32 ack, bool dup)
{
	if (after(ack, l7->b_nxt))
		return;
	if (after(ack, l7->b_una)) {
		l7->b_una = ack;
		l7->dupacks = 0;
		l7->tries = 0;
		if (l7->o_blen && !before(ack, l7->o_b + l7->o_blen)) {
			/* All before the header's end arrived: one piece again. */
			l7->o_blen = 0;
			l7->d_prev = l7->d;
			l7->o_c += l7->o_clen;
			l7->o_clen = 0;
			l7->z_prev = l7->o_c;
			lbnic_l7_held(l7);
		} else {
			lbnic_l7_push(l7, false);
		}
		return;
	}
	/* A third duplicate inside lbnic's bytes: the first of them is lost. */
	if (dup && ack == l7->b_una && l7->o_blen && !before(ack, l7->o_b) &&
	    before(ack, l7->o_b + l7->o_blen) && ++l7->dupacks == 3) {
		l7->b_snd = ack;
		lbnic_stat_inc(l7->ln, LBNIC_NET_STAT_HTTP_RESENT);
		lbnic_l7_push(l7, true);
	}
}

/* Rewrites @skb's sequence and acknowledgment numbers. */
static int lbnic_l7_renumber(struct sk_buff *skb, const struct lbnic_pkt *p,
			     u32 seq, u32 ack)
{
	struct tcphdr *th;
	__be32 v;

	if (skb_ensure_writable(skb, p->l4off + sizeof(*th)))
		return -ENOMEM;
	th = (struct tcphdr *)(skb_network_header(skb) + p->l4off);
	v = htonl(seq);
	inet_proto_csum_replace4(&th->check, skb, th->seq, v, false);
	th->seq = v;
	v = htonl(ack);
	inet_proto_csum_replace4(&th->check, skb, th->ack_seq, v, false);
	th->ack_seq = v;
	return 0;
}

/* Client bytes [@from, @to) of @skb, copied into lbnic's own segments. */
static void lbnic_l7_relay_copy(struct lbnic_l7 *l7, const struct sk_buff *skb,
				const struct lbnic_pkt *p, u32 from, u32 to,
				u32 off)
{
	char data[256];
	u32 n;

	while (before(from, to)) {
		n = min_t(u32, to - from, sizeof(data));
		if (skb_copy_bits(skb, p->l4off + p->tcp_doff + (from - p->tcp_seq),
				  data, n))
			return;
		lbnic_l7_send_b(l7, TCPHDR_ACK, from + off, data, n);
		from += n;
	}
}

/* The client's @skb goes to the backend whole, its bytes moved by @off. */
static int lbnic_l7_relay(struct lbnic_l7 *l7, struct sk_buff *skb,
			  const struct lbnic_pkt *p, u32 off)
{
	u32 end = p->tcp_end + off;

	if (lbnic_l7_renumber(skb, p, p->tcp_seq + off, p->tcp_ack - l7->r_off))
		return LBNIC_L7_DONE;
	if (after(end, l7->b_nxt))
		l7->b_nxt = end;
	return LBNIC_L7_FORWARD;
}

/*
 * Client bytes [@from, @to) of @skb, each at the offset of the piece of the
 * map it is in.  What falls in lbnic's own bytes is lbnic's to resend, and
 * bytes before the previous piece were all acknowledged long ago: neither
 * goes.  Returns how many bytes went.
 */
static u32 lbnic_l7_relay_range(struct lbnic_l7 *l7, const struct sk_buff *skb,
				const struct lbnic_pkt *p, u32 from, u32 to)
{
	u32 z = l7->o_c + l7->o_clen, a, b, n = 0;

	a = after(from, l7->z_prev) ? from : l7->z_prev;
	b = before(to, l7->o_c) ? to : l7->o_c;
	if (before(a, b)) {
		lbnic_l7_relay_copy(l7, skb, p, a, b, l7->d_prev);
		n += b - a;
	}
	a = after(from, z) ? from : z;
	if (before(a, to)) {
		lbnic_l7_relay_copy(l7, skb, p, a, to, l7->d);
		n += to - a;
	}
	return n;
}

/*
 * Client bytes [s, e) already scanned: a retransmission.  If none of them
 * is the backend's to acknowledge, lbnic does, as a TCP receiver answers a
 * duplicate: the client may have missed the ACK that covered them, and
 * without one it would send them again and again, and nothing after.
 */
static int lbnic_l7_relay_old(struct lbnic_l7 *l7, struct sk_buff *skb,
			      const struct lbnic_pkt *p, u32 e)
{
	u32 s = p->tcp_seq, z = l7->o_c + l7->o_clen;

	if (!before(s, z))
		return lbnic_l7_relay(l7, skb, p, l7->d);
	if (!after(e, l7->o_c) && !before(s, l7->z_prev))
		return lbnic_l7_relay(l7, skb, p, l7->d_prev);
	if (!lbnic_l7_relay_range(l7, skb, p, s, e))
		lbnic_l7_ack_unasked(l7);
	return LBNIC_L7_DONE;
}

/* A client's data segment [s, e) in phase BODY. */
static int lbnic_l7_body(struct lbnic_l7 *l7, struct sk_buff *skb,
			 const struct lbnic_pkt *p, u32 plen)
{
	u32 s = p->tcp_seq, e = s + plen, from, q;
	u64 data = lbnic_http_body_data(&l7->body);
	bool done = false, whole;
	char _buf[256];
	const char *buf;
	int n;

	if (!l7->o_blen && after(l7->c_nxt, l7->o_c + LBNIC_L7_MAP_SPAN)) {
		l7->o_c = l7->c_nxt - LBNIC_L7_MAP_SPAN;
		l7->z_prev = l7->o_c;
	}
	if (!after(e, l7->c_nxt))
		return lbnic_l7_relay_old(l7, skb, p, e);
	if (after(s, l7->c_nxt)) {
		/* After a hole: only body data, which needs no reading, may go; else ask again. */
		if (data < e - l7->c_nxt) {
			lbnic_l7_ack_unasked(l7);
			return LBNIC_L7_DONE;
		}
		lbnic_http_body_skip(&l7->body, e - l7->c_nxt);
		l7->c_nxt = e;
		return lbnic_l7_relay(l7, skb, p, l7->d);
	}
	/* New bytes from c_nxt: find where this request ends. */
	while (!done && before(l7->c_nxt, e)) {
		from = l7->c_nxt - s;
		data = lbnic_http_body_data(&l7->body);
		if (data) {
			n = min_t(u64, data, e - l7->c_nxt);
			lbnic_http_body_skip(&l7->body, n);
		} else {
			n = min_t(u32, e - l7->c_nxt, sizeof(_buf));
			buf = skb_header_pointer(skb, p->l4off + p->tcp_doff + from,
						 n, _buf);
			if (!buf)
				return LBNIC_L7_DONE;
			n = lbnic_l7_skip(l7, buf, n, &done);
			if (n < 0) {
				lbnic_l7_abort(l7);
				return LBNIC_L7_DONE;
			}
		}
		l7->c_nxt += n;
		if (!done)
			done = lbnic_http_body_done(&l7->body);
	}
	/* A segment that repeats lbnic's own bytes goes in pieces. */
	whole = !before(s, l7->o_c + l7->o_clen);
	q = l7->c_nxt;
	if (!done) {
		if (whole)
			return lbnic_l7_relay(l7, skb, p, l7->d);
		lbnic_l7_relay_range(l7, skb, p, s, e);
		return LBNIC_L7_DONE;
	}
	/* The next request starts at q: its header is lbnic's to take. */
	l7->phase = LBNIC_L7_P_HEADER;
	l7->take_c = q;
	l7->len = 0;
	lbnic_http_scan_init(&l7->scan);
	if (q == e && whole)
		return lbnic_l7_relay(l7, skb, p, l7->d);
	lbnic_l7_relay_range(l7, skb, p, s, q);
	if (q != e)
		lbnic_l7_take(l7, skb, p, plen);
	return LBNIC_L7_DONE;
}

/* A client's segment with data or FIN while a header is taken (HEADER, HELD). */
static int lbnic_l7_header(struct lbnic_l7 *l7, struct sk_buff *skb,
			   const struct lbnic_pkt *p, u32 plen, u32 ack)
{
	u32 s = p->tcp_seq, e = s + plen;

	/* Bytes before the header: relayed bytes again, or lbnic's own. */
	if (before(s, l7->take_c)) {
		if (!after(e, l7->take_c))
			return lbnic_l7_relay_old(l7, skb, p, e);
		lbnic_l7_relay_range(l7, skb, p, s, l7->take_c);
	}
	if (plen && after(e, l7->c_nxt)) {
		if (after(s, l7->c_nxt))
			lbnic_l7_ack_unasked(l7);	/* a hole: ask again */
		else
			lbnic_l7_take(l7, skb, p, plen);
	} else if (plen) {
		lbnic_l7_ack_unasked(l7);		/* a retransmission */
	}
	/* What the segment acknowledged of the responses still reaches the backend. */
	if (after(ack, l7->c_ack_fwd) && !(l7->flags & LBNIC_L7_F_FIN_OUT)) {
		l7->c_ack_fwd = ack;
		lbnic_l7_send_b(l7, TCPHDR_ACK, l7->b_nxt, NULL, 0);
	}
	return LBNIC_L7_DONE;
}

/* RFC 5961 3.2, from lbnic's view of one direction: next byte, or a window. */
static bool lbnic_l7_rst_ok(u32 seq, u32 nxt, u16 win, bool *exact)
{
	*exact = seq == nxt;
	return !before(seq, nxt - win) && !after(seq, nxt + win);
}

/* One side's FIN went through (@side: CFIN or BFIN); both: CLOSE. */
static void lbnic_l7_fin_relayed(struct lbnic_l7 *l7, u16 side)
{
	const u16 both = LBNIC_L7_F_CFIN | LBNIC_L7_F_BFIN;

	l7->flags |= side;
	lbnic_conn_set_state(l7->c, (l7->flags & both) == both ?
			     LBNIC_CONN_S_CLOSE : LBNIC_CONN_S_FIN, &l7->ln->timeouts);
}

/*
 * The client's FIN, at @seq, once its segment's data was dealt with
 * (@verdict).  It follows the request bytes to the backend: in the segment
 * if that went on whole, else in a segment of lbnic's.  A FIN that cuts a
 * header short leaves a request that cannot be delivered; one after a
 * complete header that still waits for the backend is not taken, and the
 * client sends it again, as it does until the backend acknowledges it.
 */
static int lbnic_l7_client_fin(struct lbnic_l7 *l7, u32 seq, int verdict)
{
	if (l7->flags & LBNIC_L7_F_CFIN) {
		if (verdict != LBNIC_L7_FORWARD && seq == l7->c_nxt - 1)
			lbnic_l7_send_b(l7, TCPHDR_FIN | TCPHDR_ACK, seq + l7->d, NULL, 0);
		return verdict;
	}
	if (seq != l7->c_nxt || l7->phase == LBNIC_L7_P_HELD)
		return verdict;
	if (l7->phase == LBNIC_L7_P_HEADER) {
		if (l7->len) {
			lbnic_l7_abort(l7);
			return LBNIC_L7_DONE;
		}
		/* Between requests: nothing follows. */
		l7->phase = LBNIC_L7_P_BODY;
		lbnic_http_body_init(&l7->body, &(struct lbnic_http_req){});
	}
	l7->c_nxt++;
	lbnic_l7_fin_relayed(l7, LBNIC_L7_F_CFIN);
	if (verdict != LBNIC_L7_FORWARD)
		lbnic_l7_send_b(l7, TCPHDR_FIN | TCPHDR_ACK, seq + l7->d, NULL, 0);
	return verdict;
}

static int lbnic_l7_from_client(struct lbnic_l7 *l7, struct sk_buff *skb,
				const struct lbnic_pkt *p)
{
	u8 flags = p->tcp_flags;
	u32 plen = p->tcp_end - p->tcp_seq - !!(flags & TCPHDR_SYN) -
		   !!(flags & TCPHDR_FIN);
	bool exact;
	u32 to;
	int v;

	if (flags & TCPHDR_RST) {
		if (!lbnic_l7_rst_ok(p->tcp_seq, l7->c_nxt, l7->b_win, &exact))
			return LBNIC_L7_DONE;
		if (!exact) {
			lbnic_l7_ack_unasked(l7);	/* RFC 5961 3.2's challenge */
			return LBNIC_L7_DONE;
		}
		/* What lbnic took of a next header never went: the backend expects take_c. */
		to = (l7->phase != LBNIC_L7_P_BODY ? l7->take_c : p->tcp_seq) + l7->d;
		v = lbnic_l7_relay(l7, skb, p, to - p->tcp_seq);
		if (v != LBNIC_L7_FORWARD)
			return v;
		/* Relayed, and the entry goes with it; as abort does, at b_una too. */
		if (to != l7->b_una)
			lbnic_l7_send_b(l7, TCPHDR_RST | TCPHDR_ACK, l7->b_una, NULL, 0);
		l7->flags |= LBNIC_L7_F_OVER;
		return v;
	}
	if ((flags & TCPHDR_SYN) || !(flags & TCPHDR_ACK))
		return LBNIC_L7_DONE;
	/*
	 * RFC 5961 5.2: only an ACK of what reached the client, and not from
	 * before the largest window it could have had (no scaling).
	 */
	if (before(p->tcp_ack, l7->l_una - U16_MAX) || after(p->tcp_ack, l7->l_nxt))
		return LBNIC_L7_DONE;
	if (after(p->tcp_ack, l7->c_ack))
		l7->c_ack = p->tcp_ack;
	if (after(p->tcp_ack, l7->l_una))
		l7->l_una = p->tcp_ack;
	l7->c_win = p->tcp_win;

	if (!plen && !(flags & TCPHDR_FIN)) {
		/*
		 * A bare ACK goes at the backend's next byte; a probe
		 * (keepalive, zero window: one byte before the client's
		 * next) at one the backend has, so that it answers.
		 */
		l7->c_ack_fwd = l7->c_ack;
		if (lbnic_l7_renumber(skb, p, p->tcp_seq == l7->c_nxt - 1 ?
				      l7->b_una - 1 : l7->b_nxt,
				      p->tcp_ack - l7->r_off))
			return LBNIC_L7_DONE;
		return LBNIC_L7_FORWARD;
	}
	if (l7->phase != LBNIC_L7_P_BODY) {
		v = lbnic_l7_header(l7, skb, p, plen, p->tcp_ack);
	} else {
		l7->c_ack_fwd = l7->c_ack;
		if (plen)
			v = lbnic_l7_body(l7, skb, p, plen);
		else if (p->tcp_seq == l7->c_nxt)
			v = lbnic_l7_relay(l7, skb, p, l7->d);
		else
			v = LBNIC_L7_DONE;
	}
	if (!(flags & TCPHDR_FIN) || (l7->flags & LBNIC_L7_F_FIN_OUT))
		return v;
	return lbnic_l7_client_fin(l7, p->tcp_seq + plen, v);
}

static int lbnic_l7_from_backend(struct lbnic_l7 *l7, struct sk_buff *skb,
				 const struct lbnic_pkt *p)
{
	u8 flags = p->tcp_flags;
	u32 plen = p->tcp_end - p->tcp_seq - !!(flags & TCPHDR_SYN) -
		   !!(flags & TCPHDR_FIN);
	bool exact, pure, mine;
	u32 ack, acked;

	if (!(l7->flags & LBNIC_L7_F_SPLICED)) {
		lbnic_l7_synack(l7, p);
		return LBNIC_L7_DONE;
	}
	/* Our ACK of its SYN-ACK rides on the header; a lost one brings this. */
	if (flags & TCPHDR_SYN)
		return LBNIC_L7_DONE;
	if (flags & TCPHDR_RST) {
		if (!lbnic_l7_rst_ok(p->tcp_seq, l7->r_nxt, l7->c_win, &exact))
			return LBNIC_L7_DONE;
		if (!exact)
			return LBNIC_L7_DONE;
		/* Before the response began the client can still be told. */
		if (!(l7->flags & LBNIC_L7_F_ANSWERED)) {
			lbnic_l7_close(l7, 502);
			return LBNIC_L7_DONE;
		}
		l7->flags |= LBNIC_L7_F_OVER;
		if (lbnic_l7_renumber(skb, p, p->tcp_seq + l7->r_off,
				      lbnic_l7_client_ack(l7)))
			return LBNIC_L7_DONE;
		return LBNIC_L7_FORWARD;
	}
	if (!(flags & TCPHDR_ACK))
		return LBNIC_L7_DONE;
	/*
	 * A bare ACK that tells the client nothing new is about lbnic's own
	 * bytes when it moved them on, or points inside them: not relayed.
	 */
	pure = !plen && !(flags & TCPHDR_FIN) && p->tcp_win == l7->b_win;
	mine = after(p->tcp_ack, l7->b_una) ||
	       (l7->o_blen && !before(p->tcp_ack, l7->o_b) &&
		before(p->tcp_ack, l7->o_b + l7->o_blen));
	acked = l7->c_acked;
	l7->b_win = p->tcp_win;
	lbnic_l7_b_acked(l7, p->tcp_ack, !plen && !(flags & TCPHDR_FIN));
	if (l7->flags & LBNIC_L7_F_FIN_OUT)
		return LBNIC_L7_DONE;
	if (plen)
		l7->flags |= LBNIC_L7_F_ANSWERED;
	if ((flags & TCPHDR_FIN) && !(l7->flags & LBNIC_L7_F_ANSWERED)) {
		/* Closed without a word: 502, and the backend's leg is done. */
		lbnic_l7_send_b(l7, TCPHDR_RST | TCPHDR_ACK, l7->b_nxt, NULL, 0);
		lbnic_l7_close(l7, 502);
		return LBNIC_L7_DONE;
	}
	if (after(p->tcp_end, l7->r_nxt)) {
		l7->r_nxt = p->tcp_end;
		l7->l_nxt = l7->r_nxt + l7->r_off;
	}
	if ((flags & TCPHDR_FIN) && !(l7->flags & LBNIC_L7_F_BFIN))
		lbnic_l7_fin_relayed(l7, LBNIC_L7_F_BFIN);
	ack = lbnic_l7_client_ack(l7);
	if (pure && mine && ack == acked)
		return LBNIC_L7_DONE;
	if (lbnic_l7_renumber(skb, p, p->tcp_seq + l7->r_off, ack))
		return LBNIC_L7_DONE;
	return LBNIC_L7_FORWARD;
}

/* A segment of a connection with a backend, under l7->lock. */
int lbnic_l7_splice_rcv(struct lbnic_l7 *l7, struct sk_buff *skb,
			const struct lbnic_pkt *p, enum lbnic_dir dir)
{
	int verdict;

	lockdep_assert_held(&l7->lock);
	if (dir == LBNIC_DIR_ORIG)
		verdict = lbnic_l7_from_client(l7, skb, p);
	else
		verdict = lbnic_l7_from_backend(l7, skb, p);
	/*
	 * Both FINs went through and were acknowledged: this segment is the
	 * last ACK.  A retransmitted FIN later meets no entry and is reset
	 * (by lbnic toward the client, by the local stack toward the backend).
	 */
	if ((l7->flags & (LBNIC_L7_F_CFIN | LBNIC_L7_F_BFIN)) ==
	    (LBNIC_L7_F_CFIN | LBNIC_L7_F_BFIN) &&
	    !after(l7->b_nxt, l7->b_una) && !after(l7->l_nxt, l7->c_ack))
		l7->flags |= LBNIC_L7_F_OVER;
	return verdict;
}

/* Sends a relayed segment on, outside the lock. */
unsigned int lbnic_l7_forward(struct lbnic_net *ln, struct sk_buff *skb,
			      const struct lbnic_pkt *p, struct lbnic_conn *c,
			      enum lbnic_dir dir)
{
	struct lbnic_backend *be = c->backend;

	lbnic_conn_touch(c, &ln->timeouts);
	/* What conn show counts; a spliced flow is no offload candidate. */
	atomic64_inc(&c->packets[dir]);
	lbnic_stats_add(be->stats, dir == LBNIC_DIR_ORIG, skb->len);
	lbnic_stats_add(be->svc->stats, dir == LBNIC_DIR_ORIG, skb->len);
	lbnic_untrack(skb);
	if (dir == LBNIC_DIR_ORIG)
		return lbnic_xmit_nat(ln, skb, p, &c->laddr, c->lport,
				      &c->daddr, c->dport);
	return lbnic_xmit_nat(ln, skb, p, &c->vaddr, c->vport, &c->caddr, c->cport);
}

/* The timer, once a backend is chosen; true: expire the entry. */
bool lbnic_l7_splice_timer(struct lbnic_l7 *l7)
{
	unsigned long due;

	lockdep_assert_held(&l7->lock);
	if (!(l7->flags & LBNIC_L7_F_SPLICED)) {
		if (++l7->tries > LBNIC_L7_SYN_TRIES) {
			lbnic_l7_close(l7, 503);	/* timed out */
			return false;
		}
		l7->flags &= ~LBNIC_L7_F_RESYN;
		lbnic_l7_syn(l7);
		mod_timer(&l7->timer, jiffies + (LBNIC_L7_SYN_RTO << l7->tries));
		return false;
	}
	due = lbnic_l7_header_due(l7);
	if (due && !time_before(jiffies, due)) {
		/* No answer: a response may be under way. */
		lbnic_l7_abort(l7);
		return true;
	}
	if (!l7->o_blen) {
		lbnic_l7_header_deadline(l7);
		return false;
	}
	if (++l7->tries > LBNIC_L7_DATA_TRIES) {
		lbnic_l7_abort(l7);
		return true;
	}
	/* Relayed bytes before the header are the client's to resend. */
	l7->b_snd = after(l7->b_una, l7->o_b) ? l7->b_una : l7->o_b;
	lbnic_stat_inc(l7->ln, LBNIC_NET_STAT_HTTP_RESENT);
	lbnic_l7_push(l7, true);
	mod_timer(&l7->timer, jiffies + (LBNIC_L7_DATA_RTO << l7->tries));
	lbnic_l7_header_deadline(l7);
	return false;
}
