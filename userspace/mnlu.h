/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netlink library of the lbnic tools, on libmnl, in the manner of
 * iproute2's lib/mnl_utils.c: one socket wrapper, one loop that sends
 * requests and collects their replies and extended ACKs, and validated
 * attribute tables.  The CLI (generic netlink) and the agent (generic
 * netlink and rtnetlink) both use it.
 */
#ifndef LBNIC_MNLU_H
#define LBNIC_MNLU_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct mnlu_sock {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;		/* of the last request put */
	char *buf;		/* requests are built here */
	char *rbuf;		/* replies land here */
	size_t bufsize;		/* of each */
};

/* How the kernel answered one request. */
struct mnlu_ack {
	int err;		/* 0 or a negative errno */
	char msg[256];		/* its extended ACK message, "" if none */
};

/* A socket of netlink @bus with extended ACKs; a negative errno on failure. */
int mnlu_open(struct mnlu_sock *s, int bus, size_t bufsize);
void mnlu_close(struct mnlu_sock *s);

/*
 * A request @off bytes into the buffer, with the next sequence number and
 * NLM_F_ACK unless it is a dump (whose NLMSG_DONE answers it).
 */
struct nlmsghdr *mnlu_put(struct mnlu_sock *s, size_t off, uint16_t type,
			  uint16_t flags);

/*
 * Sends the requests in the first @len bytes of the buffer, a bounded number
 * to a datagram so that their ACKs fit the receive buffer, and waits for an
 * answer to each: an ACK, an error or the end of a dump.  Every other reply
 * goes to @cb.  Each request's answer is stored in @acks (one per request,
 * in order) if it is not NULL.  Returns 0 when all have answered, or a
 * negative errno if the socket failed (ENOBUFS: replies were lost) or @cb
 * did.
 */
int mnlu_exchange(struct mnlu_sock *s, size_t len, mnl_cb_t cb, void *data,
		  struct mnlu_ack *acks);

/* One request at the start of the buffer: 0 or its negative errno. */
int mnlu_request(struct mnlu_sock *s, const struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data, struct mnlu_ack *ack);

/* Validated attribute tables: what each attribute type must look like. */
#define MNLU_ADDR	(MNL_TYPE_MAX + 1)	/* 4 or 16 bytes: IPv4 or IPv6 */

struct mnlu_policy {
	uint16_t type;		/* enum mnl_attr_data_type, or MNLU_ADDR */
	uint16_t len;		/* MNL_TYPE_BINARY: the exact length, or 0 */
};

/*
 * Fills @tb[0..@max] with the attributes of @nest (or of @nlh's payload
 * from @off) that are well formed by @pol; malformed and unknown ones are
 * left out (NULL).  Returns how many known ones were malformed.
 */
int mnlu_parse_nested(const struct nlattr *nest, const struct mnlu_policy *pol,
		      int max, const struct nlattr **tb);
int mnlu_parse(const struct nlmsghdr *nlh, size_t off,
	       const struct mnlu_policy *pol, int max, const struct nlattr **tb);

#endif
