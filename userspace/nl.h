/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink for the lbnic tools, over mnlu.h.
 */
#ifndef LBNIC_NL_H
#define LBNIC_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#include "mnlu.h"

struct lbnic_nl {
	struct mnlu_sock s;
	uint16_t family;
};

/* Opens the socket and resolves the family; prints why on failure. */
int lbnic_nl_open(struct lbnic_nl *nl);
void lbnic_nl_close(struct lbnic_nl *nl);

/* Starts a request for @cmd at the start of the socket's buffer. */
struct nlmsghdr *lbnic_nl_msg(struct lbnic_nl *nl, uint8_t cmd,
			      uint16_t flags);

/* The same, @off bytes into it: for batches of requests (mnlu_exchange()). */
struct nlmsghdr *lbnic_nl_msg_at(struct lbnic_nl *nl, size_t off, uint8_t cmd,
				 uint16_t flags);

/*
 * Sends @nlh (at the start of the buffer) and runs @cb on each reply until
 * the kernel's ACK or DONE.  On a kernel error, prints "Error: ..." with the
 * extack message and returns the negative errno.
 */
int lbnic_nl_talk(struct lbnic_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data);

/* Prints an answer's error as iproute2 does: "Error: <extack or strerror>." */
void lbnic_nl_perror(const struct mnlu_ack *ack);

/* The id of multicast group @group of generic netlink family @family. */
int lbnic_nl_group(struct lbnic_nl *nl, const char *family, const char *group,
		   uint32_t *id);

/* Payload offset of lbnic messages, for mnlu_parse(). */
#define LBNIC_GENL_HDRLEN sizeof(struct genlmsghdr)

#endif
