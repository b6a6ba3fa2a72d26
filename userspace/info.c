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
#include "util.h"

static const struct {
	uint64_t bit;
	const char *name;
} feature_names[] = {
	{ LBNIC_FEATURE_IPV6, "ipv6" },
};

/*
 * The config and stats nests: every attribute by type, and which were
 * present; copied, for the receive buffer is reused.
 */
struct info {
	char version[32];
	uint64_t features;
	bool has[LBNIC_CONFIG_A_MAX + 1];
	uint64_t cfg[LBNIC_CONFIG_A_MAX + 1];
	bool has_stats;
	uint64_t stats[LBNIC_NET_STATS_A_MAX + 1];
};

static const struct mnlu_policy info_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_VERSION] = { MNL_TYPE_NUL_STRING },
	[LBNIC_A_FEATURES] = { MNL_TYPE_U64 },
	[LBNIC_A_CONFIG] = { MNL_TYPE_NESTED },
	[LBNIC_A_NET_STATS] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy config_policy[LBNIC_CONFIG_A_MAX + 1] = {
	[LBNIC_CONFIG_A_CONN_MAX] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_TIMEOUT_TCP_SYN] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_TIMEOUT_TCP_EST] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_TIMEOUT_TCP_FIN] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_TIMEOUT_TCP_CLOSE] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_TIMEOUT_HTTP_REQ] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_TIMEOUT_UDP] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_CONN_COUNT] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_CONN_BUCKETS] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_CONN_ENTRY_SIZE] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_CONN_REFUSED] = { MNL_TYPE_U64 },
	[LBNIC_CONFIG_A_OFFLOAD_PACKETS] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_OFFLOAD_AGE] = { MNL_TYPE_U32 },
	[LBNIC_CONFIG_A_OFFLOAD_LOST] = { MNL_TYPE_U64 },
};

static const struct mnlu_policy net_stats_policy[LBNIC_NET_STATS_A_MAX + 1] = {
	[LBNIC_NET_STATS_A_EARLY_DROP] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_MARTIAN] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_MALFORMED] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_TCP_IGNORED] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_OFFLOAD_READY] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_NO_ROUTE] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_HTTP_COOKIES] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_HTTP_COOKIE_BAD] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_HTTP_ANSWERED] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_HTTP_SPLICED] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_HTTP_RESENT] = { MNL_TYPE_U64 },
	[LBNIC_NET_STATS_A_HTTP_TIME_WAIT] = { MNL_TYPE_U64 },
};

static const struct {
	int attr;
	const char *key;	/* JSON */
	const char *text;
} net_stats_fields[] = {
	{ LBNIC_NET_STATS_A_EARLY_DROP, "early_drop", "early-drop" },
	{ LBNIC_NET_STATS_A_MARTIAN, "martian", "martian" },
	{ LBNIC_NET_STATS_A_MALFORMED, "malformed", "malformed" },
	{ LBNIC_NET_STATS_A_TCP_IGNORED, "tcp_ignored", "tcp-ignored" },
	{ LBNIC_NET_STATS_A_OFFLOAD_READY, "offload_ready", "offload-ready" },
	{ LBNIC_NET_STATS_A_NO_ROUTE, "no_route", "no-route" },
	{ LBNIC_NET_STATS_A_HTTP_COOKIES, "http_cookies", "http-cookies" },
	{ LBNIC_NET_STATS_A_HTTP_COOKIE_BAD, "http_cookie_bad", "http-cookie-bad" },
	{ LBNIC_NET_STATS_A_HTTP_ANSWERED, "http_answered", "http-answered" },
	{ LBNIC_NET_STATS_A_HTTP_SPLICED, "http_spliced", "http-spliced" },
	{ LBNIC_NET_STATS_A_HTTP_RESENT, "http_resent", "http-resent" },
	{ LBNIC_NET_STATS_A_HTTP_TIME_WAIT, "http_time_wait", "http-time-wait" },
};

static const struct {
	int attr;
	const char *key;	/* JSON */
	const char *text;
} config_fields[] = {
	{ LBNIC_CONFIG_A_CONN_MAX, "conn_max", "conn-max" },
	{ LBNIC_CONFIG_A_CONN_COUNT, "conn_count", "conn-count" },
	{ LBNIC_CONFIG_A_CONN_BUCKETS, "conn_buckets", "conn-buckets" },
	{ LBNIC_CONFIG_A_CONN_ENTRY_SIZE, "conn_entry_size", "conn-entry-size" },
	{ LBNIC_CONFIG_A_CONN_REFUSED, "conn_refused", "conn-refused" },
	{ LBNIC_CONFIG_A_OFFLOAD_PACKETS, "offload_packets", "offload-packets" },
	{ LBNIC_CONFIG_A_OFFLOAD_AGE, "offload_age_ms", "offload-age-ms" },
	{ LBNIC_CONFIG_A_OFFLOAD_LOST, "offload_events_lost", "offload-events-lost" },
};

/* "timeout NAME SECONDS" on the command line; the attribute it sets. */
static const struct {
	int attr;
	const char *name;
	const char *key;
} timeout_fields[] = {
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_SYN, "tcp-syn", "timeout_tcp_syn" },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_EST, "tcp-est", "timeout_tcp_est" },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_FIN, "tcp-fin", "timeout_tcp_fin" },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_CLOSE, "tcp-close", "timeout_tcp_close" },
	{ LBNIC_CONFIG_A_TIMEOUT_UDP, "udp", "timeout_udp" },
	{ LBNIC_CONFIG_A_TIMEOUT_HTTP_REQ, "http-req", "timeout_http_req" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Every attribute of @tb (policy-checked) as a number, by type. */
static void get_numbers(const struct nlattr **tb, const struct mnlu_policy *pol,
			int max, bool *has, uint64_t *v)
{
	int type;

	for (type = 0; type <= max; type++) {
		if (!tb[type])
			continue;
		v[type] = pol[type].type == MNL_TYPE_U64 ? mnl_attr_get_u64(tb[type]) :
			  mnl_attr_get_u32(tb[type]);
		if (has)
			has[type] = true;
	}
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LBNIC_A_MAX + 1];
	const struct nlattr *cfg[LBNIC_CONFIG_A_MAX + 1];
	const struct nlattr *st[LBNIC_NET_STATS_A_MAX + 1];
	struct info *info = data;

	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, info_policy, LBNIC_A_MAX, tb);
	if (tb[LBNIC_A_VERSION])
		snprintf(info->version, sizeof(info->version), "%s",
			 mnl_attr_get_str(tb[LBNIC_A_VERSION]));
	if (tb[LBNIC_A_FEATURES])
		info->features = mnl_attr_get_u64(tb[LBNIC_A_FEATURES]);
	if (tb[LBNIC_A_CONFIG]) {
		mnlu_parse_nested(tb[LBNIC_A_CONFIG], config_policy,
				  LBNIC_CONFIG_A_MAX, cfg);
		get_numbers(cfg, config_policy, LBNIC_CONFIG_A_MAX, info->has,
			    info->cfg);
	}
	if (tb[LBNIC_A_NET_STATS]) {
		mnlu_parse_nested(tb[LBNIC_A_NET_STATS], net_stats_policy,
				  LBNIC_NET_STATS_A_MAX, st);
		get_numbers(st, net_stats_policy, LBNIC_NET_STATS_A_MAX, NULL,
			    info->stats);
		info->has_stats = true;
	}
	return MNL_CB_OK;
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
	char fmt[48];
	size_t i;

	for (i = 0; i < ARRAY_LEN(config_fields); i++) {
		if (!info->has[config_fields[i].attr])
			continue;
		snprintf(fmt, sizeof(fmt), "%s%s %%llu", i ? " " : "",
			 config_fields[i].text);
		print_uint(PRINT_ANY, config_fields[i].key, fmt,
			   info->cfg[config_fields[i].attr]);
	}
	print_nl();
	print_string(PRINT_FP, NULL, "%s", "timeout");
	for (i = 0; i < ARRAY_LEN(timeout_fields); i++) {
		if (!info->has[timeout_fields[i].attr])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%llus", timeout_fields[i].name);
		print_uint(PRINT_ANY, timeout_fields[i].key, fmt,
			   info->cfg[timeout_fields[i].attr]);
	}
	print_nl();
}

static void print_net_stats(const struct info *info)
{
	char fmt[48];
	size_t i;

	if (!info->has_stats)
		return;
	open_json_object("stats");
	print_string(PRINT_FP, NULL, "%s", "stats");
	for (i = 0; i < ARRAY_LEN(net_stats_fields); i++) {
		snprintf(fmt, sizeof(fmt), " %s %%llu", net_stats_fields[i].text);
		print_uint(PRINT_ANY, net_stats_fields[i].key, fmt,
			   info->stats[net_stats_fields[i].attr]);
	}
	close_json_object();
	print_nl();
}

static void print_features(uint64_t features)
{
	char unknown[32];
	size_t i;

	open_json_array(PRINT_JSON, "features");
	print_string(PRINT_FP, NULL, "features", "");
	for (i = 0; i < ARRAY_LEN(feature_names); i++) {
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
			fprintf(stderr, "Usage: lbnic [ -s ] info\n");
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
	if (ctx->stats)
		print_net_stats(&info);
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
		"       lbnic config set [ conn-max NUMBER ] [ timeout TIMEOUT SECONDS ]...\n"
		"                        [ offload-packets PACKETS ] [ offload-age MSEC ]\n"
		"TIMEOUT := { tcp-syn | tcp-est | tcp-fin | tcp-close | udp | http-req }\n"
		"NUMBER for conn-max is %u..%u; SECONDS is 1..%u.\n"
		"PACKETS is 0 (offload off)..%u; MSEC is 0..%u.\n",
		LBNIC_CONN_MAX_MIN, LBNIC_CONN_MAX_MAX, LBNIC_TIMEOUT_MAX,
		LBNIC_OFFLOAD_PACKETS_MAX, LBNIC_OFFLOAD_AGE_MAX);
}

static int timeout_attr(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(timeout_fields); i++)
		if (!strcmp(name, timeout_fields[i].name))
			return timeout_fields[i].attr;
	fprintf(stderr, "Error: argument \"%s\" is wrong: timeout must be tcp-syn, tcp-est, tcp-fin, tcp-close, udp or http-req.\n",
		name);
	return -1;
}

static int config_set(struct lbnic_ctx *ctx, int argc, char **argv)
{
	uint32_t val[LBNIC_CONFIG_A_MAX + 1];
	bool set[LBNIC_CONFIG_A_MAX + 1] = {};
	bool any = false;
	struct lbnic_nl *nl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int attr;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "conn-max")) {
			if (argc < 2)
				return lbnic_missing_arg("conn-max", "config");
			argc--, argv++;
			attr = LBNIC_CONFIG_A_CONN_MAX;
		} else if (!strcmp(*argv, "offload-packets")) {
			if (argc < 2)
				return lbnic_missing_arg("offload-packets", "config");
			argc--, argv++;
			attr = LBNIC_CONFIG_A_OFFLOAD_PACKETS;
		} else if (!strcmp(*argv, "offload-age")) {
			if (argc < 2)
				return lbnic_missing_arg("offload-age", "config");
			argc--, argv++;
			attr = LBNIC_CONFIG_A_OFFLOAD_AGE;
		} else if (!strcmp(*argv, "timeout")) {
			if (argc < 3)
				return lbnic_missing_arg("timeout", "config");
			attr = timeout_attr(argv[1]);
			if (attr < 0)
				return -1;
			argc -= 2, argv += 2;
		} else {
			return lbnic_unknown_arg(*argv, "config");
		}
		if (lbnic_get_u32(&val[attr], *argv, argv[-1]))
			return -1;
		set[attr] = any = true;
	}
	if (!any) {
		fprintf(stderr, "Error: nothing to set; try \"lbnic config help\".\n");
		return -1;
	}

	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, LBNIC_CMD_SET_CONFIG, 0);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_CONFIG);
	for (attr = 0; attr <= LBNIC_CONFIG_A_MAX; attr++)
		if (set[attr])
			mnl_attr_put_u32(nlh, attr, val[attr]);
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
