// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing of the lbnic tools: family lookup and a
 * request/response loop that reports the kernel's extended ACK the way
 * iproute2 does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "nl.h"

#define LBNIC_NL_BUFSIZE (MNL_SOCKET_BUFFER_SIZE * 4)

static struct nlmsghdr *genl_msg(char *buf, uint16_t type, uint16_t flags,
				 uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	/* A dump ends with NLMSG_DONE, which carries any error itself. */
	nlh->nlmsg_flags = NLM_F_REQUEST | flags |
			   ((flags & NLM_F_DUMP) == NLM_F_DUMP ? 0 : NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, LBNIC_GENL_HDRLEN, family_attr_cb, data);
	return MNL_CB_OK;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/*
 * Prints an error like iproute2: the kernel's words if it gave any.  Its
 * TLVs start @tlv_off into the payload: after the bare struct nlmsgerr in
 * an ACK (NETLINK_CAP_ACK is set), after the error code in NLMSG_DONE.
 */
static void print_kernel_error(const struct nlmsghdr *nlh, size_t tlv_off,
			       int err)
{
	const char *msg = NULL;
	size_t len;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, tlv_off, extack_attr_cb, &msg);
	if (!msg || !*msg)
		msg = strerror(err);
	len = strlen(msg);
	fprintf(stderr, "Error: %s%s\n", msg,
		len && msg[len - 1] == '.' ? "" : ".");
}

/*
 * Returns 0 at the ACK or DONE that ends the exchange, 1 while more is due,
 * or a negative errno.  Kernel errors are printed unless @quiet_err is it.
 */
static int run_replies(struct lbnic_nl *nl, size_t len, uint32_t seq,
		       mnl_cb_t cb, void *data, int quiet_err)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->buf;
	const struct nlmsgerr *e;
	int n = len, err;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (!mnl_nlmsg_seq_ok(nlh, seq) ||
		    !mnl_nlmsg_portid_ok(nlh, nl->portid))
			return -EPROTO;
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
				return 0;
			err = *(const int *)mnl_nlmsg_get_payload(nlh);
			if (err && -err != quiet_err)
				print_kernel_error(nlh, sizeof(int), -err);
			return err;
		case NLMSG_ERROR:
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				return -EBADMSG;
			e = mnl_nlmsg_get_payload(nlh);
			if (!e->error)
				return 0;
			if (-e->error != quiet_err)
				print_kernel_error(nlh, sizeof(*e), -e->error);
			return e->error;
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			continue;
		default:
			if (cb && cb(nlh, data) < 0)
				return -EBADMSG;
		}
	}
	return 1;
}

static int talk(struct lbnic_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, int quiet_err)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		fprintf(stderr, "Error: cannot send to the kernel: %s.\n",
			strerror(errno));
		return ret;
	}
	do {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, LBNIC_NL_BUFSIZE);
		if (len < 0) {
			ret = -errno;
			fprintf(stderr, "Error: cannot receive from the kernel: %s.\n",
				strerror(errno));
			return ret;
		}
		ret = run_replies(nl, len, seq, cb, data, quiet_err);
	} while (ret > 0);
	return ret;
}

int lbnic_nl_talk(struct lbnic_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data)
{
	return talk(nl, nlh, cb, data, 0);
}

int lbnic_nl_batch(struct mnl_socket *sock, char *buf, size_t bufsize,
		   size_t len, uint32_t seq0, int n, int *errs)
{
	int left = n, i;
	ssize_t r;

	for (i = 0; i < n; i++)
		errs[i] = -EINPROGRESS;
	if (mnl_socket_sendto(sock, buf, len) < 0)
		return -errno;
	while (left > 0) {
		const struct nlmsghdr *nlh;
		int rem;

		r = mnl_socket_recvfrom(sock, buf, bufsize);
		if (r < 0)
			return -errno;
		rem = r;
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			uint32_t k = nlh->nlmsg_seq - seq0;

			if (nlh->nlmsg_type != NLMSG_ERROR || k >= (uint32_t)n ||
			    errs[k] != -EINPROGRESS)
				continue;
			errs[k] = e->error;
			left--;
		}
	}
	return 0;
}

struct group_query {
	const char *name;
	uint32_t id;
};

static int group_attr_cb(const struct nlattr *attr, void *data)
{
	struct group_query *q = data;
	const struct nlattr *grp, *a;
	const char *name;
	uint32_t id;

	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, attr) {
		name = NULL;
		id = 0;
		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, q->name))
			q->id = id;
	}
	return MNL_CB_OK;
}

static int group_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, LBNIC_GENL_HDRLEN, group_attr_cb, data);
	return MNL_CB_OK;
}

int lbnic_nl_group(struct lbnic_nl *nl, const char *family, const char *group,
		   uint32_t *id)
{
	struct group_query q = { .name = group };
	struct nlmsghdr *nlh;
	int ret;

	nlh = genl_msg(nl->buf, GENL_ID_CTRL, 0, ++nl->seq,
		       CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	ret = talk(nl, nlh, group_cb, &q, 0);
	if (ret)
		return ret;
	if (!q.id) {
		fprintf(stderr, "Error: family %s has no multicast group %s.\n",
			family, group);
		return -ENOENT;
	}
	*id = q.id;
	return 0;
}

struct nlmsghdr *lbnic_nl_msg(struct lbnic_nl *nl, uint8_t cmd,
			      uint16_t flags)
{
	return lbnic_nl_msg_at(nl, nl->buf, cmd, flags);
}

struct nlmsghdr *lbnic_nl_msg_at(struct lbnic_nl *nl, char *buf, uint8_t cmd,
				 uint16_t flags)
{
	return genl_msg(buf, nl->family, flags, ++nl->seq, cmd,
			LBNIC_GENL_VERSION);
}

static int resolve_family(struct lbnic_nl *nl)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = genl_msg(nl->buf, GENL_ID_CTRL, 0, ++nl->seq,
		       CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LBNIC_GENL_NAME);
	ret = talk(nl, nlh, family_cb, &nl->family, ENOENT);
	if (ret == -ENOENT)
		fprintf(stderr,
			"Error: lbnic kernel module is not loaded (no generic netlink family \"%s\").\n",
			LBNIC_GENL_NAME);
	if (!ret && !nl->family)
		ret = -ENOENT;
	return ret;
}

int lbnic_nl_open(struct lbnic_nl *nl)
{
	int one = 1;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(LBNIC_NL_BUFSIZE);
	if (!nl->buf)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		ret = -errno;
		fprintf(stderr, "Error: cannot open generic netlink socket: %s.\n",
			strerror(errno));
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		fprintf(stderr, "Error: cannot bind generic netlink socket: %s.\n",
			strerror(errno));
		goto err_close;
	}
	/* Ask for the kernel's explanation, without our request echoed. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);

	ret = resolve_family(nl);
	if (ret < 0)
		goto err_close;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
err_free:
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
	return ret;
}

void lbnic_nl_close(struct lbnic_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}
