/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: TCP state and sequence tracking (kmod/tcp.c).
 */
#ifndef _LBNIC_TCP_H
#define _LBNIC_TCP_H

#include "conn.h"
#include "xmit.h"

/* Follows @c through a segment from @dir: state, timeout, sequence space. */
void lbnic_tcp_track(struct lbnic_net *ln, struct lbnic_conn *c,
		     enum lbnic_dir dir, const struct lbnic_pkt *p);
/* The connection ended: an RST or both FINs lbnic could judge. */
bool lbnic_tcp_ended(const struct lbnic_conn *c);
/* A SYN that reuses the ports of a connection that really ended. */
bool lbnic_tcp_reused(const struct lbnic_conn *c, enum lbnic_dir dir,
		      const struct lbnic_pkt *p);
/* Sets @p's tcp_wscale and tcp_mss from its SYN's options. */
void lbnic_tcp_syn_options(const struct sk_buff *skb, struct lbnic_pkt *p,
			   unsigned int doff);
/* The state of an entry a TCP segment creates. */
u8 lbnic_tcp_initial_state(const struct lbnic_pkt *p);

#endif /* _LBNIC_TCP_H */
