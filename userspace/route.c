// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic pool and lbnic route: an http service's named backend sets, and
 * the Host and path routes that send requests to them.
 */
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "json_print.h"
#include "lbnic.h"

static void pool_usage(void)
{
	fprintf(stderr,
		"Usage: lbnic pool add SERVICE name NAME [ sched SCHED ]\n"
		"       lbnic pool del SERVICE name NAME\n"
		"       lbnic pool show SERVICE\n"
		"SERVICE := VIP:PORT proto tcp, of mode http\n"
		"NAME := up to %d of [A-Za-z0-9_.-]; \"default\" is the service's own backends\n"
		"SCHED := { maglev | wrr | lc | sh }   (default: the service's)\n",
		LBNIC_POOL_NAME_MAX - 1);
}

static void route_usage(void)
{
	fprintf(stderr,
		"Usage: lbnic route add SERVICE [ host HOST ] [ path PREFIX ] pool NAME\n"
		"       lbnic route del SERVICE [ host HOST ] [ path PREFIX ]\n"
		"       lbnic route show SERVICE\n"
		"SERVICE := VIP:PORT proto tcp, of mode http\n"
		"HOST := { NAME | *.SUFFIX }   (default: any host)\n"
		"PREFIX := /...   a prefix of the request's path (default: any path)\n"
		"The most specific host wins, then the longest path prefix;\n"
		"requests no route matches go to the pool \"default\".\n");
}

/* The request's header, then its service nest. */
static struct nlmsghdr *svc_msg(struct lbnic_nl *nl, uint8_t cmd, uint16_t flags,
				const struct svc_key *key)
{
	struct nlmsghdr *nlh = lbnic_nl_msg(nl, cmd, flags);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LBNIC_A_SERVICE);
	lbnic_put_svc_key(nlh, key);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static int pool_cmd(struct lbnic_ctx *ctx, uint8_t cmd, int argc, char **argv)
{
	const char *name = NULL, *sched = NULL;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct lbnic_nl *nl;
	struct svc_key key;

	if (lbnic_parse_svc_key(&key, &argc, &argv, "pool"))
		return -1;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "name") &&
		    (strcmp(argv[0], "sched") || cmd != LBNIC_CMD_NEW_POOL))
			return lbnic_unknown_arg(argv[0], "pool");
		if (argc < 2)
			return lbnic_missing_arg(argv[0], "pool");
		if (!strcmp(argv[0], "name"))
			name = argv[1];
		else
			sched = argv[1];
	}
	if (!name)
		return lbnic_missing_arg("name", "pool");
	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = svc_msg(nl, cmd, 0, &key);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_POOL);
	mnl_attr_put_strz(nlh, LBNIC_POOL_A_NAME, name);
	if (sched)
		mnl_attr_put_strz(nlh, LBNIC_POOL_A_SCHED, sched);
	mnl_attr_nest_end(nlh, nest);
	return lbnic_nl_talk(nl, nlh, NULL, NULL) < 0 ? -1 : 0;
}

static const struct mnlu_policy msg_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_POOL] = { MNL_TYPE_NESTED },
	[LBNIC_A_ROUTE] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy pool_policy[LBNIC_POOL_A_MAX + 1] = {
	[LBNIC_POOL_A_NAME] = { MNL_TYPE_NUL_STRING },
	[LBNIC_POOL_A_SCHED] = { MNL_TYPE_NUL_STRING },
	[LBNIC_POOL_A_BACKENDS] = { MNL_TYPE_U32 },
};

static const struct mnlu_policy route_policy[LBNIC_ROUTE_A_MAX + 1] = {
	[LBNIC_ROUTE_A_HOST] = { MNL_TYPE_NUL_STRING },
	[LBNIC_ROUTE_A_PATH] = { MNL_TYPE_NUL_STRING },
	[LBNIC_ROUTE_A_POOL] = { MNL_TYPE_NUL_STRING },
};

/* The nest @type of a dump's message, parsed into @tb; 0 if it has none. */
static int dump_nest(const struct nlmsghdr *nlh, int type,
		     const struct mnlu_policy *policy, int max,
		     const struct nlattr **tb)
{
	const struct nlattr *top[LBNIC_A_MAX + 1];

	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, msg_policy, LBNIC_A_MAX, top);
	if (!top[type])
		return 0;
	mnlu_parse_nested(top[type], policy, max, tb);
	return 1;
}

static const char *str_or(const struct nlattr *a, const char *dflt)
{
	return a ? mnl_attr_get_str(a) : dflt;
}

static int pool_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LBNIC_POOL_A_MAX + 1];

	(void)data;
	if (!dump_nest(nlh, LBNIC_A_POOL, pool_policy, LBNIC_POOL_A_MAX, tb))
		return MNL_CB_OK;
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "pool %s", str_or(tb[LBNIC_POOL_A_NAME], "?"));
	print_string(PRINT_ANY, "sched", " sched %s", str_or(tb[LBNIC_POOL_A_SCHED], "?"));
	print_uint(PRINT_ANY, "backends", " backends %llu",
		   tb[LBNIC_POOL_A_BACKENDS] ?
		   mnl_attr_get_u32(tb[LBNIC_POOL_A_BACKENDS]) : 0);
	print_nl();
	close_json_object();
	return MNL_CB_OK;
}

static int route_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LBNIC_ROUTE_A_MAX + 1];

	(void)data;
	if (!dump_nest(nlh, LBNIC_A_ROUTE, route_policy, LBNIC_ROUTE_A_MAX, tb))
		return MNL_CB_OK;
	open_json_object(NULL);
	/* As "route add" takes it: what is absent matches anything. */
	print_string(PRINT_FP, NULL, "%s", "route");
	if (tb[LBNIC_ROUTE_A_HOST])
		print_string(PRINT_ANY, "host", " host %s", mnl_attr_get_str(tb[LBNIC_ROUTE_A_HOST]));
	if (tb[LBNIC_ROUTE_A_PATH])
		print_string(PRINT_ANY, "path", " path %s", mnl_attr_get_str(tb[LBNIC_ROUTE_A_PATH]));
	print_string(PRINT_ANY, "pool", " pool %s", str_or(tb[LBNIC_ROUTE_A_POOL], "?"));
	print_nl();
	close_json_object();
	return MNL_CB_OK;
}

static int show(struct lbnic_ctx *ctx, uint8_t cmd, mnl_cb_t cb, int argc,
		char **argv, const char *object)
{
	struct lbnic_nl *nl;
	struct svc_key key;
	int ret;

	if (lbnic_parse_svc_key(&key, &argc, &argv, object))
		return -1;
	if (argc)
		return lbnic_unknown_arg(argv[0], object);
	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	open_json_array(PRINT_JSON, NULL);
	ret = lbnic_nl_talk(nl, svc_msg(nl, cmd, NLM_F_DUMP, &key), cb, NULL);
	close_json_array(PRINT_JSON, NULL);
	return ret < 0 ? -1 : 0;
}

int do_pool(struct lbnic_ctx *ctx, int argc, char **argv)
{
	if (argc == 0 || !strcmp(argv[0], "help")) {
		pool_usage();
		return argc ? 0 : -1;
	}
	if (!strcmp(argv[0], "add"))
		return pool_cmd(ctx, LBNIC_CMD_NEW_POOL, argc - 1, argv + 1);
	if (!strcmp(argv[0], "del"))
		return pool_cmd(ctx, LBNIC_CMD_DEL_POOL, argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return show(ctx, LBNIC_CMD_GET_POOL, pool_dump_cb, argc - 1,
			    argv + 1, "pool");
	return lbnic_unknown_arg(argv[0], "pool");
}

static int route_cmd(struct lbnic_ctx *ctx, uint8_t cmd, int argc, char **argv)
{
	const char *host = NULL, *path = NULL, *pool = NULL;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct lbnic_nl *nl;
	struct svc_key key;

	if (lbnic_parse_svc_key(&key, &argc, &argv, "route"))
		return -1;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "host") && strcmp(argv[0], "path") &&
		    (strcmp(argv[0], "pool") || cmd != LBNIC_CMD_NEW_ROUTE))
			return lbnic_unknown_arg(argv[0], "route");
		if (argc < 2)
			return lbnic_missing_arg(argv[0], "route");
		if (!strcmp(argv[0], "host"))
			host = argv[1];
		else if (!strcmp(argv[0], "path"))
			path = argv[1];
		else
			pool = argv[1];
	}
	if (cmd == LBNIC_CMD_NEW_ROUTE && !pool)
		return lbnic_missing_arg("pool", "route");
	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = svc_msg(nl, cmd, 0, &key);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_ROUTE);
	if (host)
		mnl_attr_put_strz(nlh, LBNIC_ROUTE_A_HOST, host);
	if (path)
		mnl_attr_put_strz(nlh, LBNIC_ROUTE_A_PATH, path);
	if (pool)
		mnl_attr_put_strz(nlh, LBNIC_ROUTE_A_POOL, pool);
	mnl_attr_nest_end(nlh, nest);
	return lbnic_nl_talk(nl, nlh, NULL, NULL) < 0 ? -1 : 0;
}

int do_route(struct lbnic_ctx *ctx, int argc, char **argv)
{
	if (argc == 0 || !strcmp(argv[0], "help")) {
		route_usage();
		return argc ? 0 : -1;
	}
	if (!strcmp(argv[0], "add"))
		return route_cmd(ctx, LBNIC_CMD_NEW_ROUTE, argc - 1, argv + 1);
	if (!strcmp(argv[0], "del"))
		return route_cmd(ctx, LBNIC_CMD_DEL_ROUTE, argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return show(ctx, LBNIC_CMD_GET_ROUTE, route_dump_cb, argc - 1,
			    argv + 1, "route");
	return lbnic_unknown_arg(argv[0], "route");
}
