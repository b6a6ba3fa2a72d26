// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic info, lbnic version and lbnic config: what the module is and how
 * this network namespace is set up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "json_print.h"
#include "lbnic.h"

static const struct {
	uint64_t bit;
	const char *name;
} feature_names[] = {
	{ LBNIC_FEATURE_IPV6, "ipv6" },
};

struct info {
	char version[32];	/* copied: the receive buffer is reused */
	uint64_t features;
	bool has_conn_max;
	uint32_t conn_max;
};

static int config_attr_cb(const struct nlattr *attr, void *data)
{
	struct info *info = data;

	if (mnl_attr_get_type(attr) == LBNIC_CONFIG_A_CONN_MAX &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
		info->conn_max = mnl_attr_get_u32(attr);
		info->has_conn_max = true;
	}
	return MNL_CB_OK;
}

static int info_attr_cb(const struct nlattr *attr, void *data)
{
	struct info *info = data;

	switch (mnl_attr_get_type(attr)) {
	case LBNIC_A_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(info->version, sizeof(info->version), "%s",
				 mnl_attr_get_str(attr));
		break;
	case LBNIC_A_FEATURES:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) >= 0)
			info->features = mnl_attr_get_u64(attr);
		break;
	case LBNIC_A_CONFIG:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0)
			mnl_attr_parse_nested(attr, config_attr_cb, info);
		break;
	}
	return MNL_CB_OK;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, LBNIC_GENL_HDRLEN, info_attr_cb, data);
}

static int get_info(struct lbnic_ctx *ctx, struct info *info)
{
	struct lbnic_nl *nl = lbnic_ctx_nl(ctx);
	struct nlmsghdr *nlh;

	if (!nl)
		return -1;
	memset(info, 0, sizeof(*info));
	nlh = lbnic_nl_msg(nl, LBNIC_CMD_GET_INFO, 0);
	if (lbnic_nl_talk(nl, nlh, info_cb, info) < 0)
		return -1;
	if (!info->version[0]) {
		fprintf(stderr, "Error: the module's reply has no version.\n");
		return -1;
	}
	return 0;
}

static void print_config(const struct info *info)
{
	if (info->has_conn_max) {
		print_uint(PRINT_ANY, "conn_max", "conn-max %llu", info->conn_max);
		print_nl();
	}
}

static void print_features(uint64_t features)
{
	char unknown[32];
	size_t i;

	open_json_array(PRINT_JSON, "features");
	print_string(PRINT_FP, NULL, "features", "");
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++) {
		if (!(features & feature_names[i].bit))
			continue;
		print_string(PRINT_ANY, NULL, " %s", feature_names[i].name);
		features &= ~feature_names[i].bit;
	}
	/* Bits from a newer module are shown rather than hidden. */
	for (i = 0; i < 64; i++) {
		if (!(features & (1ULL << i)))
			continue;
		snprintf(unknown, sizeof(unknown), "bit%zu", i);
		print_string(PRINT_ANY, NULL, " %s", unknown);
	}
	close_json_array(PRINT_JSON, NULL);
	print_nl();
}

int do_info(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct info info;

	if (argc > 0) {
		if (!strcmp(argv[0], "help")) {
			fprintf(stderr, "Usage: lbnic info\n");
			return 0;
		}
		return lbnic_unknown_arg(argv[0], "info");
	}
	if (get_info(ctx, &info))
		return -1;

	open_json_object(NULL);
	print_string(PRINT_ANY, "version", "version %s", info.version);
	print_nl();
	print_features(info.features);
	print_config(&info);
	close_json_object();
	return 0;
}

int do_version(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct info info;

	if (argc > 0) {
		if (!strcmp(argv[0], "help")) {
			fprintf(stderr, "Usage: lbnic version\n");
			return 0;
		}
		return lbnic_unknown_arg(argv[0], "version");
	}
	open_json_object(NULL);
	print_string(PRINT_ANY, "utility", "lbnic utility %s", LBNIC_UTIL_VERSION);
	print_nl();
	if (get_info(ctx, &info)) {
		close_json_object();
		return -1;
	}
	print_string(PRINT_ANY, "module", "lbnic module %s", info.version);
	print_nl();
	close_json_object();
	return 0;
}

static void config_usage(void)
{
	fprintf(stderr,
		"Usage: lbnic config show\n"
		"       lbnic config set [ conn-max NUMBER ]\n"
		"NUMBER for conn-max is %u..%u.\n",
		LBNIC_CONN_MAX_MIN, LBNIC_CONN_MAX_MAX);
}

static int config_set(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct lbnic_nl *nl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	bool has_conn_max = false;
	uint32_t conn_max = 0;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "conn-max")) {
			if (argc < 2)
				return lbnic_missing_arg("conn-max", "config");
			argc--, argv++;
			if (lbnic_get_u32(&conn_max, *argv, "conn-max"))
				return -1;
			has_conn_max = true;
		} else {
			return lbnic_unknown_arg(*argv, "config");
		}
	}
	if (!has_conn_max) {
		fprintf(stderr, "Error: nothing to set; try \"lbnic config help\".\n");
		return -1;
	}

	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, LBNIC_CMD_SET_CONFIG, 0);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_CONFIG);
	mnl_attr_put_u32(nlh, LBNIC_CONFIG_A_CONN_MAX, conn_max);
	mnl_attr_nest_end(nlh, nest);
	return lbnic_nl_talk(nl, nlh, NULL, NULL) < 0 ? -1 : 0;
}

int do_config(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct info info;

	if (argc == 0 || !strcmp(argv[0], "show")) {
		if (argc > 1)
			return lbnic_unknown_arg(argv[1], "config");
		if (get_info(ctx, &info))
			return -1;
		open_json_object(NULL);
		print_config(&info);
		close_json_object();
		return 0;
	}
	if (!strcmp(argv[0], "set"))
		return config_set(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[0], "help")) {
		config_usage();
		return 0;
	}
	return lbnic_unknown_arg(argv[0], "config");
}
