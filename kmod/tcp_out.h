/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: TCP segments lbnic sends itself (kmod/tcp_out.c).
 */
#ifndef _LBNIC_TCP_OUT_H
#define _LBNIC_TCP_OUT_H

#include "lbnic.h"

/* A segment to build: addresses, header fields, options, payload. */
struct lbnic_seg {
	u8 family;
	u8 flags;		/* TCPHDR_* */
	const union nf_inet_addr *saddr, *daddr;
	__be16 sport, dport;
	u32 seq, ack;
	u16 win;		/* as sent (lbnic never scales its windows) */
	u16 mss;		/* a SYN's MSS option; 0: none */
	const void *data;
	unsigned int len;
};

/* Builds and sends @s; 0 or an error (no route, no memory). */
int lbnic_seg_send(struct lbnic_net *ln, const struct lbnic_seg *s);

#endif /* _LBNIC_TCP_OUT_H */
