// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink for the lbnic tools, over mnlu.c: the family and its
 * multicast groups by name, lbnic requests, and the kernel's errors shown
 * the way iproute2 shows them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "nl.h"

#define LBNIC_NL_BUFSIZE (MNL_SOCKET_BUFFER_SIZE * 4)

static struct nlmsghdr *genl_msg(struct lbnic_nl *nl, size_t off, uint16_t type,
				 uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnlu_put(&nl->s, off, type, flags);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* "Error: <the kernel's words, or strerror>." */
void lbnic_nl_perror(const struct mnlu_ack *ack)
{
	const char *msg = ack->msg[0] ? ack->msg : strerror(-ack->err);
	size_t len = strlen(msg);

	fprintf(stderr, "Error: %s%s\n", msg, len && msg[len - 1] == '.' ? "" : ".");
}

static int talk(struct lbnic_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, int quiet_err)
{
	struct mnlu_ack ack;
	int err;

	err = mnlu_exchange(&nl->s, nlh->nlmsg_len, cb, data, &ack);
	if (err) {
		fprintf(stderr, "Error: cannot talk to the kernel: %s.\n",
			strerror(-err));
		return err;
	}
	if (ack.err && -ack.err != quiet_err)
		lbnic_nl_perror(&ack);
	return ack.err;
}

int lbnic_nl_talk(struct lbnic_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data)
{
	return talk(nl, nlh, cb, data, 0);
}

static const struct mnlu_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { MNL_TYPE_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_MCAST_GRP_ID] = { MNL_TYPE_U32 },
};

struct family_query {
	const char *group;	/* or NULL */
	uint32_t id;		/* the family's, or the group's */
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct family_query *q = data;
	const struct nlattr *grp;

	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, ctrl_policy, CTRL_ATTR_MAX, tb);
	if (!q->group) {
		if (tb[CTRL_ATTR_FAMILY_ID])
			q->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
		return MNL_CB_OK;
	}
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		mnlu_parse_nested(grp, grp_policy, CTRL_ATTR_MCAST_GRP_MAX, g);
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]), q->group))
			q->id = mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

static int family_query(struct lbnic_nl *nl, const char *family,
			struct family_query *q, int quiet_err)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg(nl, 0, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	return talk(nl, nlh, family_cb, q, quiet_err);
}

int lbnic_nl_group(struct lbnic_nl *nl, const char *family, const char *group,
		   uint32_t *id)
{
	struct family_query q = { .group = group };
	int ret;

	ret = family_query(nl, family, &q, 0);
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
	return lbnic_nl_msg_at(nl, 0, cmd, flags);
}

struct nlmsghdr *lbnic_nl_msg_at(struct lbnic_nl *nl, size_t off, uint8_t cmd,
				 uint16_t flags)
{
	return genl_msg(nl, off, nl->family, flags, cmd, LBNIC_GENL_VERSION);
}

int lbnic_nl_open(struct lbnic_nl *nl)
{
	struct family_query q = {};
	int ret;

	memset(nl, 0, sizeof(*nl));
	ret = mnlu_open(&nl->s, NETLINK_GENERIC, LBNIC_NL_BUFSIZE);
	if (ret) {
		fprintf(stderr, "Error: cannot open a generic netlink socket: %s.\n",
			strerror(-ret));
		return ret;
	}
	ret = family_query(nl, LBNIC_GENL_NAME, &q, ENOENT);
	if (ret == -ENOENT)
		fprintf(stderr,
			"Error: lbnic kernel module is not loaded (no generic netlink family \"%s\").\n",
			LBNIC_GENL_NAME);
	if (!ret && !q.id)
		ret = -ENOENT;
	if (ret) {
		mnlu_close(&nl->s);
		return ret;
	}
	nl->family = q.id;
	return 0;
}

void lbnic_nl_close(struct lbnic_nl *nl)
{
	mnlu_close(&nl->s);
	memset(nl, 0, sizeof(*nl));
}
