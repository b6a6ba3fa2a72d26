/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink plumbing of the lbnic tools, on libmnl.
 */
#ifndef LBNIC_NL_H
#define LBNIC_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

struct lbnic_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	char *buf;
};

/* Opens the socket and resolves the family; prints why on failure. */
int lbnic_nl_open(struct lbnic_nl *nl);
void lbnic_nl_close(struct lbnic_nl *nl);

/* Starts a request for @cmd in the socket's buffer. */
struct nlmsghdr *lbnic_nl_msg(struct lbnic_nl *nl, uint8_t cmd,
			      uint16_t flags);

/* The same, at @buf: for batches of requests in one buffer. */
struct nlmsghdr *lbnic_nl_msg_at(struct lbnic_nl *nl, char *buf, uint8_t cmd,
				 uint16_t flags);

/*
 * Sends @nlh and runs @cb on each reply until the kernel's ACK or DONE.
 * On a kernel error, prints "Error: ..." with the extack message and
 * returns the negative errno.
 */
int lbnic_nl_talk(struct lbnic_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data);

/*
 * Sends the @n requests @buf holds (@len bytes, each asking for an ACK,
 * sequence numbers from @seq0 on) and stores each one's errno in @errs;
 * the reply reuses @buf (@bufsize bytes).  0, or the socket's errno.
 */
int lbnic_nl_batch(struct mnl_socket *sock, char *buf, size_t bufsize,
		   size_t len, uint32_t seq0, int n, int *errs);

/* The id of multicast group @group of generic netlink family @family. */
int lbnic_nl_group(struct lbnic_nl *nl, const char *family, const char *group,
		   uint32_t *id);

/* Payload offset of lbnic messages, for mnl_attr_parse(). */
#define LBNIC_GENL_HDRLEN sizeof(struct genlmsghdr)

#endif
