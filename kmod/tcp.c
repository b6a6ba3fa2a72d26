// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: following a TCP connection closely enough to pick its timeout, to
 * count it, and to act on its teardown only when the teardown is real.
 *
 * A blind attacker who knows a flow's addresses and ports can send it an RST
 * or a FIN with a made-up sequence number.  The end hosts ignore those
 * (RFC 5961); lbnic must too, or the attacker can close its entry and, with
 * a SYN on the same ports, get the flow scheduled anew: in fullnat that is
 * a new SNAT port and the real connection dies.  So lbnic tracks, as
 * nf_conntrack's tcp_in_window() does in more detail, per direction: the
 * end of the furthest segment sent, the highest ACK, and the largest window
 * (scaled as the SYNs agreed).  A segment is *in window* when, as RFC 5961
 * asks of the end hosts, it carries an acceptable ACK (of data its receiver
 * sent, at most a window old) and starts no further than its receiver
 * allows (the receiver's highest ACK plus its window).  Only such segments
 * move the tracking.  Then lbnic honours:
 *
 *   on a proven (assured) flow, an RST whose sequence number is what the
 *   receiver has acknowledged (as Linux demands for an immediate reset), or
 *   the end of what its sender sent; before the backend said anything, an
 *   RST that acknowledges the client's SYN;
 *   a FIN, in window, that continues its sender's stream;
 *   a SYN on an existing entry as a new connection (the port reused) only
 *   after such an RST, or such FINs from both sides.
 *
 * Others are forwarded unchanged, for the end host to judge, and counted.
 * Moving the tracking with injected segments means guessing a sequence
 * number into one window and an ACK into another, as injecting data into
 * the end host's stream does.
 *
 * What lbnic cannot judge it never lets free the ports: in dsr it sees only
 * the client's side, and a flow whose segments went by lbnic on offload
 * rules has tracking that is stale.  A FIN or RST there only gives the entry
 * a closing one's timeout (its packets still refresh it); a SYN follows the
 * entry to its backend, as with IPVS's conn_reuse_mode=0.
 */
#include <linux/tcp.h>
#include <net/tcp.h>

#include "fwd.h"
#include "offload.h"
#include "tcp.h"

/*
 * The scale of a window whose SYN lbnic did not see (the flow was picked up
 * mid-flow): the one Linux picks for its default buffers (tcp_rmem's 6 MiB
 * maximum needs 7).  The largest (14) would open a quarter of the sequence
 * space to a blind guess; none would judge real segments out of window.
 */
#define LBNIC_TCP_SCALE_UNKNOWN	7

/*
 * A SYN's options lbnic acts on: the window scale (RFC 7323), as
 * LBNIC_WSCALE_*, and the MSS (without one, RFC 9293 3.7.1's 536 for
 * IPv4, and IPv6's minimum MTU less its headers, 1220).
 */
void lbnic_tcp_syn_options(const struct sk_buff *skb, struct lbnic_pkt *p,
			   unsigned int doff)
{
	u8 _opts[MAX_TCP_OPTION_SPACE];
	unsigned int len = doff - sizeof(struct tcphdr), i = 0;
	const u8 *opts;

	p->tcp_wscale = LBNIC_WSCALE_NONE;
	p->tcp_mss = p->k.family == AF_INET ? TCP_MSS_DEFAULT : IPV6_MIN_MTU - 60;
	opts = skb_header_pointer(skb, p->l4off + sizeof(struct tcphdr), len, _opts);
	if (!opts)
		return;
	while (i < len) {
		if (opts[i] == TCPOPT_EOL)
			break;
		if (opts[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len || opts[i + 1] < 2 || i + opts[i + 1] > len)
			break;
		if (opts[i] == TCPOPT_WINDOW && opts[i + 1] == TCPOLEN_WINDOW)
			p->tcp_wscale = LBNIC_WSCALE_BASE +
					min_t(u8, opts[i + 2], TCP_MAX_WSCALE);
		if (opts[i] == TCPOPT_MSS && opts[i + 1] == TCPOLEN_MSS)
			p->tcp_mss = opts[i + 2] << 8 | opts[i + 3];
		i += opts[i + 1];
	}
}

/* By how much a direction's windows are scaled (RFC 7323: both SYNs agree). */
static u8 lbnic_tcp_scale(const struct lbnic_conn *c, enum lbnic_dir dir)
{
	u8 mine = READ_ONCE(c->tcp_wscale[dir]);
	u8 other = READ_ONCE(c->tcp_wscale[!dir]);

	if (mine == LBNIC_WSCALE_UNSEEN)
		return LBNIC_TCP_SCALE_UNKNOWN;
	if (mine == LBNIC_WSCALE_NONE || other == LBNIC_WSCALE_NONE)
		return 0;
	return mine - LBNIC_WSCALE_BASE;
}

/*
 * Whether lbnic can judge @c's segments: it sees both sides (not dsr) and
 * saw every segment (no offload rules ever carried it).
 */
static bool lbnic_tcp_judged(const struct lbnic_conn *c)
{
	u8 ofl = READ_ONCE(c->ofl_state);

	if (!lbnic_conn_ops(c)->two_way)
		return false;
	return !(READ_ONCE(c->ofl) != LBNIC_OFL_NONE &&
		 (ofl == LBNIC_OFFLOAD_SW || ofl == LBNIC_OFFLOAD_HW ||
		  ofl == LBNIC_OFFLOAD_RETURNED));
}

/* RFC 5961 5.2: an ACK of what the receiver sent, at most a window old. */
static bool lbnic_tcp_ack_ok(const struct lbnic_conn *c, enum lbnic_dir dir,
			     const struct lbnic_pkt *p)
{
	u8 seen = READ_ONCE(c->seen);

	if (!(p->tcp_flags & TCPHDR_ACK))
		return false;
	if ((seen & LBNIC_SEEN_SEQ(!dir)) &&
	    after(p->tcp_ack, READ_ONCE(c->tcp_end[!dir])))
		return false;
	return !(seen & LBNIC_SEEN_ACK(dir)) ||
	       !before(p->tcp_ack, READ_ONCE(c->tcp_ack[dir]) -
			max(READ_ONCE(c->tcp_win[dir]), 1U));
}

/*
 * The segment starts where its receiver allows, before its ACK plus window,
 * or inside what its sender already sent, and ends no more than a window
 * behind that.
 */
static bool lbnic_tcp_in_window(const struct lbnic_conn *c, enum lbnic_dir dir,
				const struct lbnic_pkt *p)
{
	u8 seen = READ_ONCE(c->seen);
	u32 end = READ_ONCE(c->tcp_end[dir]), ack, win;

	if (!(seen & LBNIC_SEEN_SEQ(dir)))
		return false;
	/* Nothing from the receiver yet (its SYN-ACK is to come): the SYN's end. */
	if (!(seen & LBNIC_SEEN_ACK(!dir)))
		return !after(p->tcp_seq, end) && !before(p->tcp_end, end);
	/* Synchronized: nothing but a SYN goes without an acceptable ACK. */
	if (!(p->tcp_flags & TCPHDR_SYN) && !lbnic_tcp_ack_ok(c, dir, p))
		return false;
	ack = READ_ONCE(c->tcp_ack[!dir]);
	win = max(READ_ONCE(c->tcp_win[!dir]), 1U);
	return (!after(p->tcp_seq, ack + win) || !after(p->tcp_seq, end)) &&
	       !before(p->tcp_end, end - win);
}

/* The first segment of a direction: where its stream and window start. */
static void lbnic_tcp_baseline(struct lbnic_conn *c, enum lbnic_dir dir,
			       const struct lbnic_pkt *p)
{
	if (p->tcp_flags & TCPHDR_SYN)
		WRITE_ONCE(c->tcp_wscale[dir], p->tcp_wscale);
	WRITE_ONCE(c->tcp_end[dir], p->tcp_end);
	/* A SYN's window is never scaled. */
	WRITE_ONCE(c->tcp_win[dir], (p->tcp_flags & TCPHDR_SYN) ? p->tcp_win :
		   (u32)p->tcp_win << lbnic_tcp_scale(c, dir));
	lbnic_conn_see(c, LBNIC_SEEN_SEQ(dir));
	if (p->tcp_flags & TCPHDR_ACK) {
		WRITE_ONCE(c->tcp_ack[dir], p->tcp_ack);
		lbnic_conn_see(c, LBNIC_SEEN_ACK(dir));
		/* A keepalive's byte before the stream: the stream is one on. */
		if ((READ_ONCE(c->seen) & LBNIC_SEEN_SEQ(!dir)) &&
		    p->tcp_ack == READ_ONCE(c->tcp_end[!dir]) + 1)
			WRITE_ONCE(c->tcp_end[!dir], p->tcp_ack);
	}
}

/*
 * Whether a direction's first segment may start its tracking: the client's
 * SYN, the backend's SYN-ACK of it, or (picked up mid-flow) a segment that
 * acknowledges nothing the other side did not send.  Linux drops segments
 * without an ACK; an injected one must not set the baseline that the real
 * ones are then judged against.
 */
static bool lbnic_tcp_may_baseline(const struct lbnic_conn *c,
				   enum lbnic_dir dir, const struct lbnic_pkt *p)
{
	u8 flags = p->tcp_flags;

	if (flags & TCPHDR_RST)
		return false;
	if ((flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN)
		return dir == LBNIC_DIR_ORIG;
	if (!(flags & TCPHDR_ACK))
		return false;
	if (!(READ_ONCE(c->seen) & LBNIC_SEEN_SEQ(!dir)))
		return true;
	/* A SYN-ACK acknowledges the SYN, exactly. */
	if (READ_ONCE(c->state) == LBNIC_CONN_S_SYN)
		return p->tcp_ack == READ_ONCE(c->tcp_end[!dir]);
	/* One past: the other side was picked up by a keepalive (snd_una - 1). */
	return !after(p->tcp_ack, READ_ONCE(c->tcp_end[!dir]) + 1);
}

/* An in-window segment moves its direction's tracking. */
static void lbnic_tcp_advance(struct lbnic_conn *c, enum lbnic_dir dir,
			      const struct lbnic_pkt *p)
{
	u32 win = (p->tcp_flags & TCPHDR_SYN) ? p->tcp_win :
		  (u32)p->tcp_win << lbnic_tcp_scale(c, dir);

	if (after(p->tcp_end, READ_ONCE(c->tcp_end[dir])))
		WRITE_ONCE(c->tcp_end[dir], p->tcp_end);
	if (win > READ_ONCE(c->tcp_win[dir]))
		WRITE_ONCE(c->tcp_win[dir], win);
	if (!(p->tcp_flags & TCPHDR_ACK))
		return;
	/* Nothing acknowledges what the other side never sent. */
	if ((READ_ONCE(c->seen) & LBNIC_SEEN_SEQ(!dir)) &&
	    after(p->tcp_ack, READ_ONCE(c->tcp_end[!dir])))
		return;
	if (lbnic_conn_see(c, LBNIC_SEEN_ACK(dir)) ||
	    after(p->tcp_ack, READ_ONCE(c->tcp_ack[dir])))
		WRITE_ONCE(c->tcp_ack[dir], p->tcp_ack);
}

/* An RST from @dir that a receiver would act on at once. */
static bool lbnic_tcp_rst_ok(const struct lbnic_conn *c, enum lbnic_dir dir,
			     const struct lbnic_pkt *p)
{
	u8 seen = READ_ONCE(c->seen);

	/* A refused SYN: the backend's RST acknowledges it. */
	if (READ_ONCE(c->state) == LBNIC_CONN_S_SYN && dir == LBNIC_DIR_REPLY &&
	    !(seen & LBNIC_SEEN_SEQ(dir)) && (seen & LBNIC_SEEN_SEQ(!dir)))
		return (p->tcp_flags & TCPHDR_ACK) &&
		       p->tcp_ack == READ_ONCE(c->tcp_end[!dir]);
	/*
	 * Exact values: no window to guess into.  And a proven flow: a
	 * picked-up entry's first segment may be the attacker's, whose
	 * sequence number it then knows.
	 */
	if (!(seen & LBNIC_SEEN_ASSURED) ||
	    !(seen & LBNIC_SEEN_ACK(!dir)) || !(seen & LBNIC_SEEN_SEQ(dir)))
		return false;
	return p->tcp_seq == READ_ONCE(c->tcp_ack[!dir]) ||
	       p->tcp_seq == READ_ONCE(c->tcp_end[dir]);
}

/* The handshake's last ACK: the client acknowledges the backend's SYN-ACK. */
static bool lbnic_tcp_handshake_done(const struct lbnic_conn *c,
				     const struct lbnic_pkt *p)
{
	u32 end;

	if ((p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) != TCPHDR_ACK)
		return false;
	/* dsr: the SYN-ACK went straight to the client; the ACK is all we get. */
	if (!lbnic_conn_ops(c)->two_way)
		return true;
	if (!(READ_ONCE(c->seen) & LBNIC_SEEN_SEQ(LBNIC_DIR_REPLY)))
		return false;
	/* Within what the backend sent and the client's window allows. */
	end = READ_ONCE(c->tcp_end[LBNIC_DIR_REPLY]);
	return !after(p->tcp_ack, end) &&
	       !before(p->tcp_ack, end - max(READ_ONCE(c->tcp_win[LBNIC_DIR_ORIG]), 1U));
}

/* A teardown lbnic cannot judge: a closing entry's timeout, no port reuse. */
static void lbnic_tcp_unjudged_close(struct lbnic_net *ln, struct lbnic_conn *c)
{
	if (READ_ONCE(c->state) == LBNIC_CONN_S_ESTABLISHED)
		lbnic_conn_set_state(c, LBNIC_CONN_S_FIN, &ln->timeouts);
	lbnic_offload_gone(ln, c);
}

void lbnic_tcp_track(struct lbnic_net *ln, struct lbnic_conn *c,
		     enum lbnic_dir dir, const struct lbnic_pkt *p)
{
	u8 old = READ_ONCE(c->state), new = old, flags = p->tcp_flags;
	bool valid;

	/* A client's new SYN before the backend answered: its new start. */
	if (old == LBNIC_CONN_S_SYN && dir == LBNIC_DIR_ORIG &&
	    (flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN &&
	    !(READ_ONCE(c->seen) & LBNIC_SEEN_SEQ(LBNIC_DIR_REPLY)))
		lbnic_conn_unsee(c, LBNIC_SEEN_SEQ(dir) | LBNIC_SEEN_ACK(dir));
	if (!(READ_ONCE(c->seen) & LBNIC_SEEN_SEQ(dir))) {
		if (lbnic_tcp_may_baseline(c, dir, p))
			lbnic_tcp_baseline(c, dir, p);
		valid = false;
	} else {
		valid = lbnic_tcp_in_window(c, dir, p);
	}

	if ((flags & (TCPHDR_FIN | TCPHDR_RST)) && !lbnic_tcp_judged(c)) {
		lbnic_tcp_unjudged_close(ln, c);
		return;
	}
	if (flags & TCPHDR_RST) {
		if (lbnic_tcp_rst_ok(c, dir, p))
			new = LBNIC_CONN_S_CLOSE;
		else
			lbnic_stat_inc(ln, LBNIC_NET_STAT_TCP_IGNORED);
		/* An RST moves no tracking: it carries nothing. */
		valid = false;
	} else if (flags & TCPHDR_FIN) {
		if (valid && !after(p->tcp_seq, READ_ONCE(c->tcp_end[dir]))) {
			lbnic_conn_see(c, LBNIC_SEEN_FIN(dir));
			if (old != LBNIC_CONN_S_CLOSE)
				new = LBNIC_CONN_S_FIN;
		} else {
			/*
			 * Out of window, or past a gap (a segment before it
			 * was lost): not a close yet.  In window it still
			 * moves the tracking, or the receiver's ACK of it
			 * would judge everything after out of window.
			 */
			lbnic_stat_inc(ln, LBNIC_NET_STAT_TCP_IGNORED);
		}
	} else if (dir == LBNIC_DIR_ORIG && old == LBNIC_CONN_S_SYN &&
		   lbnic_tcp_handshake_done(c, p)) {
		lbnic_conn_see(c, LBNIC_SEEN_ASSURED);
		new = LBNIC_CONN_S_ESTABLISHED;
	}
	if (valid)
		lbnic_tcp_advance(c, dir, p);
	/* Picked up mid-flow: the backend's in-window answer proves it. */
	if (valid && dir == LBNIC_DIR_REPLY && old == LBNIC_CONN_S_ESTABLISHED)
		lbnic_conn_see(c, LBNIC_SEEN_ASSURED);
	if (new == old)
		return;
	lbnic_conn_set_state(c, new, &ln->timeouts);
	/* Teardown is lbnic's again: the rules skip FIN and RST anyway. */
	lbnic_offload_gone(ln, c);
}

bool lbnic_tcp_ended(const struct lbnic_conn *c)
{
	u8 state = READ_ONCE(c->state);
	u8 fins = LBNIC_SEEN_FIN(LBNIC_DIR_ORIG) | LBNIC_SEEN_FIN(LBNIC_DIR_REPLY);

	return state == LBNIC_CONN_S_CLOSE ||
	       (state == LBNIC_CONN_S_FIN && (READ_ONCE(c->seen) & fins) == fins);
}

bool lbnic_tcp_reused(const struct lbnic_conn *c, enum lbnic_dir dir,
		      const struct lbnic_pkt *p)
{
	return dir == LBNIC_DIR_ORIG &&
	       (p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN &&
	       lbnic_tcp_ended(c);
}

u8 lbnic_tcp_initial_state(const struct lbnic_pkt *p)
{
	if ((p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN)
		return LBNIC_CONN_S_SYN;
	/* Mid-flow: another lbnic box behind the same ECMP group had it. */
	return LBNIC_CONN_S_ESTABLISHED;
}
