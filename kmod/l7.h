/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the L7 (http) engine (kmod/l7.c).
 */
#ifndef _LBNIC_L7_H
#define _LBNIC_L7_H

#include <linux/memcontrol.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "conn.h"
#include "http_parse.h"
#include "xmit.h"

/* What the client's bytes are for now (lbnic_l7.phase), as dumps say. */
enum lbnic_l7_phase {
	/* a request header, taken into @buf */
	LBNIC_L7_P_HEADER = LBNIC_HTTP_PHASE_HEADER,
	/* a complete one, waiting to be sent */
	LBNIC_L7_P_HELD = LBNIC_HTTP_PHASE_HELD,
	/* relayed: a body, skipped to the next request */
	LBNIC_L7_P_BODY = LBNIC_HTTP_PHASE_BODY,
};

#define LBNIC_L7_F_FIN_IN	0x01	/* the client's FIN was taken */
#define LBNIC_L7_F_FIN_OUT	0x02	/* lbnic sent its own */
#define LBNIC_L7_F_DEAD		0x04	/* released: the timer stays off */
#define LBNIC_L7_F_SPLICED	0x08	/* the backend's handshake is done */
#define LBNIC_L7_F_ANSWERED	0x10	/* the backend sent a response byte */
#define LBNIC_L7_F_CFIN		0x20	/* relayed the client's FIN */
#define LBNIC_L7_F_BFIN		0x40	/* relayed the backend's FIN */
#define LBNIC_L7_F_RESET	0x80	/* both legs reset: expire the entry */
#define LBNIC_L7_F_OVER		0x100	/* both FINs acknowledged, or an RST relayed */
#define LBNIC_L7_F_RESYN	0x200	/* a SYN went at once since the SYN timer */

/* What becomes of a segment the engine handled under its lock. */
enum lbnic_l7_verdict {
	LBNIC_L7_DONE,		/* consumed */
	LBNIC_L7_FORWARD,	/* renumbered: to be sent on, unlocked */
};

/* The longest field lbnic inserts: "X-Forwarded-For: " an IPv6 address CRLF. */
#define LBNIC_L7_FIELD_MAX	64

/*
 * An http connection's own state, behind its entry's l7 pointer.  It is
 * two TCP connections: the client's, followed in the client's sequence
 * space (c_*) and in the one lbnic chose for it, its SYN cookie (l_*); and
 * the backend's, in lbnic's space toward it (b_*, which starts at the
 * client's ISN) and the backend's own (r_*).
 *
 * Request bytes map to the backend's space by an offset that grows by
 * what lbnic inserts into each request header: @d_prev before the header
 * in flight (client bytes [o_c, o_c + o_clen), sent as the @o_blen bytes
 * of @out from backend byte @o_b), @d after it.  Response bytes map by the
 * constant @r_off.  Only one header is in flight at a time: the next waits
 * (HELD) until the backend acknowledged the last, which keeps the map two
 * pieces long; once it did, the map is one piece, @d from @o_c on, and
 * bytes before @z_prev are all acknowledged (Documentation/l7.rst).
 */
struct lbnic_l7 {
	spinlock_t lock;		/* everything below */
	struct timer_list timer;	/* deadlines, retransmissions */
	struct rcu_head rcu;
	struct lbnic_net *ln;
	struct lbnic_conn *c;
	struct lbnic_service *svc;	/* holds a reference */
	struct mem_cgroup *memcg;	/* the table's, charged for the buffers */
	unsigned long acked_at;		/* jiffies: the last ACK not asked for */
	unsigned long hdr_at;		/* jiffies: @buf's first byte came */
	/* The client's leg. */
	u32 c_nxt;			/* the next byte lbnic takes or relays */
	u32 c_acked;			/* the highest ACK lbnic gave the client */
	u32 c_ack;			/* the client's highest ACK, its own space */
	u32 c_ack_fwd;			/* the highest of those the backend got */
	u32 take_c;			/* where the header in @buf starts */
	u32 l_iss;			/* lbnic's first toward it: the cookie */
	u32 l_nxt;			/* the next byte the client gets */
	u32 l_una;			/* the first of those not acknowledged */
	u32 drained;			/* bytes taken and dropped after an answer */
	u32 c_isn;			/* the client's ISN, for dumps */
	u32 requests;			/* headers sent on, for dumps */
	u32 ins_c;			/* before which client byte the last field went */
	u16 ins_len;			/* its length */
	u16 mss;			/* the client's, as its cookie encoded */
	u16 c_win;			/* the client's last window (unscaled) */
	u16 answer;			/* the HTTP status lbnic answered, or 0 */
	u16 flags;			/* LBNIC_L7_F_* */
	u8 tries;			/* retransmissions so far */
	u8 phase;			/* enum lbnic_l7_phase */
	/* The backend's leg. */
	u32 b_una;			/* the backend's highest ACK */
	u32 b_nxt;			/* past the last byte sent toward it */
	u32 b_snd;			/* the next byte of @out to send */
	u32 r_iss;			/* the backend's ISN */
	u32 r_nxt;			/* past its last byte lbnic relayed */
	u32 r_off;			/* client's = backend's + r_off */
	u32 d, d_prev;			/* backend's = client's + d */
	u32 z_prev;			/* where d_prev's piece of the map starts */
	u32 o_c, o_clen, o_b, o_blen;	/* the header in flight; o_blen 0: none */
	u16 b_mss;			/* the backend's MSS */
	u16 b_win;			/* its last window (unscaled) */
	u8 dupacks;			/* repeats of b_una */
	struct lbnic_http_scan scan;
	struct lbnic_http_req req;	/* the header in @buf, once complete */
	struct lbnic_http_body body;	/* the relayed body */
	u32 len;			/* request bytes in @buf */
	u32 size;			/* @buf's size */
	char *buf;
	u32 out_size;			/* @out's size */
	char *out;
};

unsigned int lbnic_l7_new_flow(struct lbnic_net *ln, struct sk_buff *skb,
			       const struct lbnic_pkt *p,
			       struct lbnic_service *svc);
unsigned int lbnic_l7_rcv(struct lbnic_net *ln, struct sk_buff *skb,
			  const struct lbnic_pkt *p, struct lbnic_conn *c,
			  enum lbnic_dir dir);
void lbnic_l7_release(struct lbnic_conn *c);

/* Between the client's side (l7.c) and the splice (l7_splice.c). */
extern const struct lbnic_http_limits lbnic_l7_limits;
u32 lbnic_l7_cost(u32 size);
int lbnic_l7_alloc(struct lbnic_l7 *l7, char **buf, u32 *size, u32 need,
		   u32 cap);
void lbnic_l7_send(struct lbnic_l7 *l7, u8 flags, u32 seq, const void *data,
		   unsigned int len);
void lbnic_l7_ack(struct lbnic_l7 *l7);
void lbnic_l7_ack_unasked(struct lbnic_l7 *l7);
void lbnic_l7_parse(struct lbnic_l7 *l7);
void lbnic_l7_close(struct lbnic_l7 *l7, u16 status);
void lbnic_l7_reset(struct lbnic_l7 *l7);
void lbnic_l7_kill(struct lbnic_l7 *l7);
void lbnic_l7_abort(struct lbnic_l7 *l7);
void lbnic_l7_take(struct lbnic_l7 *l7, const struct sk_buff *skb,
		   const struct lbnic_pkt *p, u32 plen);

/* The splice: a segment of either side once a backend was chosen. */
void lbnic_l7_connect(struct lbnic_l7 *l7);
int lbnic_l7_splice_rcv(struct lbnic_l7 *l7, struct sk_buff *skb,
			const struct lbnic_pkt *p, enum lbnic_dir dir);
unsigned int lbnic_l7_forward(struct lbnic_net *ln, struct sk_buff *skb,
			      const struct lbnic_pkt *p, struct lbnic_conn *c,
			      enum lbnic_dir dir);
bool lbnic_l7_splice_timer(struct lbnic_l7 *l7);
void lbnic_l7_held(struct lbnic_l7 *l7);
void lbnic_l7_header_deadline(struct lbnic_l7 *l7);
u32 lbnic_l7_client_ack(struct lbnic_l7 *l7);
const struct lbnic_service *lbnic_l7_service(const struct lbnic_conn *c);

#endif /* _LBNIC_L7_H */
