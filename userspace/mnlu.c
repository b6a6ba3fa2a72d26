// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink library of the lbnic tools (mnlu.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "mnlu.h"

/*
 * Requests per datagram.  The kernel answers all of a datagram's requests
 * before the sender reads any answer, so they must fit the receive buffer:
 * 64 ACKs with an extended message each are far below its default 208 KiB.
 */
#define MNLU_BATCH	64

int mnlu_open(struct mnlu_sock *s, int bus, size_t bufsize)
{
	int one = 1, err;

	memset(s, 0, sizeof(*s));
	s->buf = malloc(bufsize);
	s->rbuf = malloc(bufsize);
	if (!s->buf || !s->rbuf) {
		err = -ENOMEM;
		goto err_free;
	}
	s->sock = mnl_socket_open(bus);
	if (!s->sock) {
		err = -errno;
		goto err_free;
	}
	if (mnl_socket_bind(s->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto err_close;
	}
	/* The kernel's explanation, without our request echoed. */
	mnl_socket_setsockopt(s->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->sock);
	s->seq = time(NULL);
	s->bufsize = bufsize;
	return 0;

err_close:
	mnl_socket_close(s->sock);
err_free:
	free(s->rbuf);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	return err;
}

void mnlu_close(struct mnlu_sock *s)
{
	if (s->sock)
		mnl_socket_close(s->sock);
	free(s->rbuf);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

struct nlmsghdr *mnlu_put(struct mnlu_sock *s, size_t off, uint16_t type,
			  uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(s->buf + off);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags |
			   ((flags & NLM_F_DUMP) == NLM_F_DUMP ? 0 : NLM_F_ACK);
	nlh->nlmsg_seq = ++s->seq;
	return nlh;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct mnlu_ack *ack = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(ack->msg, sizeof(ack->msg), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/*
 * The answer in an ACK (@hdrlen: struct nlmsgerr, NETLINK_CAP_ACK being
 * set) or NLMSG_DONE (@hdrlen: its int): the errno, then TLVs.
 */
static void answer(const struct nlmsghdr *nlh, size_t hdrlen,
		   struct mnlu_ack *ack)
{
	ack->msg[0] = '\0';
	if (nlh->nlmsg_len < mnl_nlmsg_size(hdrlen)) {
		/* A DONE without its errno is a plain end; an ACK must have one. */
		ack->err = nlh->nlmsg_type == NLMSG_DONE ? 0 : -EBADMSG;
		return;
	}
	ack->err = *(const int *)mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, hdrlen, extack_cb, ack);
}

/* The replies to @n requests from @seq0 on, until each has its answer. */
static int collect(struct mnlu_sock *s, uint32_t seq0, int n, mnl_cb_t cb,
		   void *data, struct mnlu_ack *acks)
{
	bool done[MNLU_BATCH] = { false }, intr[MNLU_BATCH] = { false };
	int left = n, rem;
	ssize_t r;

	while (left > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)s->rbuf;

		r = mnl_socket_recvfrom(s->sock, s->rbuf, s->bufsize);
		if (r < 0)
			return -errno;
		for (rem = r; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
			uint32_t k = nlh->nlmsg_seq - seq0;
			struct mnlu_ack ack;

			/* Late replies to an exchange given up on are not ours. */
			if (k >= (uint32_t)n || done[k] ||
			    !mnl_nlmsg_portid_ok(nlh, s->portid))
				continue;
			/* A change between the dump's parts: it may skip or repeat. */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr[k] = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				continue;
			case NLMSG_ERROR:
				answer(nlh, sizeof(struct nlmsgerr), &ack);
				break;
			case NLMSG_DONE:
				answer(nlh, sizeof(int), &ack);
				if (intr[k] && !ack.err) {
					ack.err = -EINTR;
					snprintf(ack.msg, sizeof(ack.msg), "%s",
						 "the list changed while it was read: run the command again");
				}
				break;
			default:
				if (cb && cb(nlh, data) == MNL_CB_ERROR)
					return -EBADMSG;
				continue;
			}
			done[k] = true;
			left--;
			if (acks)
				acks[k] = ack;
		}
	}
	return 0;
}

int mnlu_exchange(struct mnlu_sock *s, size_t len, mnl_cb_t cb, void *data,
		  struct mnlu_ack *acks)
{
	size_t off = 0;
	int i = 0, err;

	while (off < len) {
		const struct nlmsghdr *first = (const void *)(s->buf + off);
		size_t start = off;
		int n = 0;

		while (n < MNLU_BATCH && off < len) {
			const struct nlmsghdr *nlh = (const void *)(s->buf + off);

			off += NLMSG_ALIGN(nlh->nlmsg_len);
			n++;
		}
		if (mnl_socket_sendto(s->sock, first, off - start) < 0)
			return -errno;
		err = collect(s, first->nlmsg_seq, n, cb, data, acks ? acks + i : NULL);
		if (err)
			return err;
		i += n;
	}
	return 0;
}

int mnlu_request(struct mnlu_sock *s, const struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data, struct mnlu_ack *ack)
{
	struct mnlu_ack a;
	int err;

	if ((const char *)nlh != s->buf)
		return -EINVAL;
	err = mnlu_exchange(s, nlh->nlmsg_len, cb, data, &a);
	if (ack)
		*ack = a;
	return err ?: a.err;
}

struct parse_ctx {
	const struct mnlu_policy *pol;
	int max;
	const struct nlattr **tb;
	int bad;
};

static bool attr_ok(const struct nlattr *attr, const struct mnlu_policy *p)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	if (p->type == MNLU_ADDR)
		return len == 4 || len == 16;
	if (p->type == MNL_TYPE_BINARY)
		return !p->len || len == p->len;
	return mnl_attr_validate(attr, p->type) >= 0;
}

static int parse_cb(const struct nlattr *attr, void *data)
{
	struct parse_ctx *ctx = data;
	int type = mnl_attr_get_type(attr);

	if (type > ctx->max || ctx->pol[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (attr_ok(attr, &ctx->pol[type]))
		ctx->tb[type] = attr;
	else
		ctx->bad++;
	return MNL_CB_OK;
}

int mnlu_parse_nested(const struct nlattr *nest, const struct mnlu_policy *pol,
		      int max, const struct nlattr **tb)
{
	struct parse_ctx ctx = { pol, max, tb, 0 };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, parse_cb, &ctx) < 0)
		ctx.bad++;
	return ctx.bad;
}

int mnlu_parse(const struct nlmsghdr *nlh, size_t off,
	       const struct mnlu_policy *pol, int max, const struct nlattr **tb)
{
	struct parse_ctx ctx = { pol, max, tb, 0 };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, off, parse_cb, &ctx) < 0)
		ctx.bad++;
	return ctx.bad;
}
