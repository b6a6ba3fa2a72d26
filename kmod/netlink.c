// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the generic netlink family, the only way in for the control plane.
 * The attribute tree is documented in include/uapi/linux/lbnic.h.
 */
#include <net/genetlink.h>

#include <uapi/linux/lbnic.h>

#include "lbnic.h"

/*
 * Report a missing attribute both ways: by type for programs
 * (NLMSGERR_ATTR_MISS_TYPE) and in words for people.
 */
#define LBNIC_REQUIRE_ATTR(extack, nest, tb, type, msg) ({		\
	struct netlink_ext_ack *__ext = (extack);			\
	int __attr_type = (type);					\
	bool __missing = !(tb)[__attr_type];			\
									\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(__ext, nest, __attr_type);	\
		NL_SET_ERR_MSG(__ext, msg);				\
	}								\
	__missing;							\
})

/* Not const: 6.1's nla_policy holds a non-const pointer to it. */
static struct netlink_range_validation lbnic_conn_max_range __ro_after_init = {
	.min = LBNIC_CONN_MAX_MIN,
	.max = LBNIC_CONN_MAX_MAX,
};

static const struct nla_policy lbnic_config_policy[LBNIC_CONFIG_A_MAX + 1] = {
	[LBNIC_CONFIG_A_CONN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lbnic_conn_max_range),
};

static const struct nla_policy lbnic_set_config_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_CONFIG] = NLA_POLICY_NESTED(lbnic_config_policy),
};

static struct genl_family lbnic_genl_family;

static int lbnic_fill_config(struct sk_buff *skb, const struct lbnic_net *ln)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, LBNIC_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LBNIC_CONFIG_A_CONN_MAX, READ_ONCE(ln->conn_max)))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static u64 lbnic_features(void)
{
	u64 features = 0;

	if (IS_ENABLED(CONFIG_IPV6))
		features |= LBNIC_FEATURE_IPV6;
	return features;
}

static int lbnic_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &lbnic_genl_family, 0,
				LBNIC_CMD_GET_INFO);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}

	err = -EMSGSIZE;
	if (nla_put_string(msg, LBNIC_A_VERSION, LBNIC_VERSION) ||
	    nla_put_u64_64bit(msg, LBNIC_A_FEATURES, lbnic_features(),
			      LBNIC_A_PAD))
		goto err_free;
	err = lbnic_fill_config(msg, ln);
	if (err)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static int lbnic_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_CONFIG_A_MAX + 1];
	struct nlattr *nest;
	int err;

	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_CONFIG,
			       "missing config attribute"))
		return -EINVAL;
	nest = info->attrs[LBNIC_A_CONFIG];

	/* The nest was validated against the policy when the request was parsed. */
	err = nla_parse_nested(tb, LBNIC_CONFIG_A_MAX, nest, lbnic_config_policy,
			       info->extack);
	if (err)
		return err;

	if (!tb[LBNIC_CONFIG_A_CONN_MAX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "config attribute holds no setting");
		return -EINVAL;
	}

	WRITE_ONCE(ln->conn_max, nla_get_u32(tb[LBNIC_CONFIG_A_CONN_MAX]));
	return 0;
}

static const struct genl_ops lbnic_genl_ops[] = {
	{
		.cmd = LBNIC_CMD_GET_INFO,
		.doit = lbnic_nl_get_info,
		/* No policy: the core then refuses any attribute. */
	},
	{
		.cmd = LBNIC_CMD_SET_CONFIG,
		.doit = lbnic_nl_set_config,
		.policy = lbnic_set_config_policy,
		.maxattr = LBNIC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family lbnic_genl_family __ro_after_init = {
	.name = LBNIC_GENL_NAME,
	.version = LBNIC_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = lbnic_genl_ops,
	.n_ops = ARRAY_SIZE(lbnic_genl_ops),
	/* Zero: every command gets strict validation of header and attributes. */
	.resv_start_op = 0,
};

int lbnic_netlink_init(void)
{
	return genl_register_family(&lbnic_genl_family);
}

void lbnic_netlink_exit(void)
{
	genl_unregister_family(&lbnic_genl_family);
}

/* Lets "lbnic" (or any genetlink user) load the module on first request. */
MODULE_ALIAS_GENL_FAMILY(LBNIC_GENL_NAME);
