/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * lbnic: in-kernel load balancer with SmartNIC flow offload.
 *
 * This is the whole userspace contract of lbnic.ko: a generic netlink family
 * named LBNIC_GENL_NAME, version LBNIC_GENL_VERSION.  The kernel module and
 * the lbnic tools are built from this one file.
 *
 * Every request is answered in the network namespace of the sending socket;
 * each namespace has its own, independent lbnic state.  Requests are
 * validated strictly: unknown attributes, attributes of the wrong type or
 * length and out-of-range values are rejected with an extended ACK message
 * naming the offending attribute.
 *
 * Commands and attribute tree
 * ---------------------------
 *
 * LBNIC_CMD_GET_INFO
 *	Permission: none (read-only).
 *	Request: no attributes.
 *	Reply (same command):
 *	  LBNIC_A_VERSION		string, module version ("0.1.0")
 *	  LBNIC_A_FEATURES		u64, LBNIC_FEATURE_* bits this build has
 *	  LBNIC_A_CONFIG		nest, current settings of this namespace
 *	    LBNIC_CONFIG_A_CONN_MAX	u32, connection table bound
 *
 * LBNIC_CMD_SET_CONFIG
 *	Permission: CAP_NET_ADMIN in the user namespace owning the network
 *	namespace (GENL_UNS_ADMIN_PERM), as for "ip link set".
 *	Request:
 *	  LBNIC_A_CONFIG		nest, required; must hold at least
 *					one of the attributes below.  Only
 *					the attributes given are changed.
 *	    LBNIC_CONFIG_A_CONN_MAX	u32, LBNIC_CONN_MAX_MIN ..
 *					LBNIC_CONN_MAX_MAX
 *	Reply: none beyond the ACK.
 *
 * Unknown commands are refused by the generic netlink core with
 * -EOPNOTSUPP.
 */
#ifndef _UAPI_LINUX_LBNIC_H
#define _UAPI_LINUX_LBNIC_H

#define LBNIC_GENL_NAME		"lbnic"
#define LBNIC_GENL_VERSION	1

/* Bounds of LBNIC_CONFIG_A_CONN_MAX. */
#define LBNIC_CONN_MAX_MIN	1024U
#define LBNIC_CONN_MAX_MAX	(1U << 26)

enum lbnic_cmd {
	LBNIC_CMD_UNSPEC,
	LBNIC_CMD_GET_INFO,
	LBNIC_CMD_SET_CONFIG,

	__LBNIC_CMD_MAX,
	LBNIC_CMD_MAX = __LBNIC_CMD_MAX - 1
};

/* LBNIC_A_FEATURES bits. */
enum lbnic_feature {
	LBNIC_FEATURE_IPV6	= 1 << 0,	/* built with IPv6 support */
};

enum lbnic_attr {
	LBNIC_A_UNSPEC,
	LBNIC_A_PAD,
	LBNIC_A_VERSION,		/* string */
	LBNIC_A_FEATURES,		/* u64 */
	LBNIC_A_CONFIG,			/* nest, enum lbnic_config_attr */

	__LBNIC_A_LAST,
	LBNIC_A_MAX = __LBNIC_A_LAST - 1
};

enum lbnic_config_attr {
	LBNIC_CONFIG_A_UNSPEC,
	LBNIC_CONFIG_A_CONN_MAX,	/* u32 */

	__LBNIC_CONFIG_A_LAST,
	LBNIC_CONFIG_A_MAX = __LBNIC_CONFIG_A_LAST - 1
};

#endif /* _UAPI_LINUX_LBNIC_H */
