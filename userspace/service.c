// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic service and lbnic backend: virtual services and their real servers.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "json_print.h"
#include "lbnic.h"
#include "util.h"

static const char *const mode_names[] = {
	[LBNIC_MODE_NAT] = "nat",
	[LBNIC_MODE_FULLNAT] = "fullnat",
	[LBNIC_MODE_DSR] = "dsr",
	[LBNIC_MODE_HTTP] = "http",
};

static const char *mode_name(uint8_t mode)
{
	return mode <= LBNIC_MODE_MAX && mode_names[mode] ? mode_names[mode] : "?";
}

static const char *const field_names[] = {
	[LBNIC_HTTP_FIELD_XFF] = "xff",
	[LBNIC_HTTP_FIELD_REAL_IP] = "x-real-ip",
	[LBNIC_HTTP_FIELD_NONE] = "none",
};

static const char *field_name(uint8_t field)
{
	return field <= LBNIC_HTTP_FIELD_MAX ? field_names[field] : "?";
}

int lbnic_parse_svc_key(struct svc_key *key, int *argc, char ***argv,
			 const char *object)
{
	if (*argc < 3 || strcmp((*argv)[1], "proto"))
		return lbnic_missing_arg("VIP:PORT proto { tcp | udp }", object);
	if (lbnic_parse_addr_port(&key->vip, (*argv)[0], "the service") ||
	    lbnic_parse_proto(&key->proto, (*argv)[2]))
		return -1;
	*argc -= 3;
	*argv += 3;
	return 0;
}

void lbnic_put_svc_key(struct nlmsghdr *nlh, const struct svc_key *key)
{
	lbnic_put_addr(nlh, LBNIC_SERVICE_A_ADDR, &key->vip);
	mnl_attr_put_u16(nlh, LBNIC_SERVICE_A_PORT, key->vip.port);
	mnl_attr_put_u8(nlh, LBNIC_SERVICE_A_PROTO, key->proto);
}

static void service_usage(void)
{
	fprintf(stderr,
		"Usage: lbnic service add SERVICE [ sched SCHED ] [ mode MODE ]\n"
		"                        [ snat ADDR ] [ snat-ports MIN-MAX ]\n"
		"                        [ maglev-size PRIME ] [ stateless ]\n"
		"                        [ insert FIELD ]\n"
		"       lbnic service del SERVICE\n"
		"       lbnic [ -s ] service show\n"
		"SERVICE := VIP:PORT proto { tcp | udp }   (IPv6: [VIP]:PORT)\n"
		"SCHED := { maglev | wrr | lc | sh }\n"
		"MODE := { nat | fullnat | dsr | http }\n"
		"FIELD := { xff | x-real-ip | none }   (http: added to each request)\n");
}

static int parse_port_range(const char *arg, uint32_t *lo, uint32_t *hi)
{
	char buf[32], *dash;

	if (strlen(arg) >= sizeof(buf) || !(dash = strchr(strcpy(buf, arg), '-')))
		goto err;
	*dash++ = '\0';
	if (lbnic_get_u32(lo, buf, "snat-ports") || lbnic_get_u32(hi, dash, "snat-ports"))
		return -1;
	if (*lo >= 1 && *hi <= 65535)
		return 0;
err:
	fprintf(stderr, "Error: argument \"%s\" is wrong: snat-ports must be MIN-MAX within 1..65535.\n",
		arg);
	return -1;
}

static int service_add(struct lbnic_ctx *ctx, int argc, char **argv)
{
	uint32_t lo = 0, hi = 0, size = 0, flags = 0;
	const char *sched = NULL;
	struct lbnic_addr snat;
	struct nlmsghdr *nlh;
	struct lbnic_nl *nl;
	struct svc_key key;
	struct nlattr *nest;
	bool has_snat = false;
	int mode = 0, m, field = -1;

	if (lbnic_parse_svc_key(&key, &argc, &argv, "service"))
		return -1;
	for (; argc > 0; argc--, argv++) {
		const char *kw = argv[0];

		if (!strcmp(kw, "stateless")) {
			flags |= LBNIC_SERVICE_F_STATELESS;
			continue;
		}
		if (argc < 2)
			return lbnic_missing_arg(kw, "service");
		argc--, argv++;
		if (!strcmp(kw, "sched")) {
			sched = argv[0];
		} else if (!strcmp(kw, "mode")) {
			for (m = LBNIC_MODE_NAT; m <= LBNIC_MODE_MAX; m++)
				if (!strcmp(argv[0], mode_names[m]))
					mode = m;
			if (!mode) {
				fprintf(stderr, "Error: argument \"%s\" is wrong: mode must be nat, fullnat, dsr or http.\n",
					argv[0]);
				return -1;
			}
		} else if (!strcmp(kw, "snat")) {
			if (lbnic_parse_addr(&snat, argv[0], "snat"))
				return -1;
			has_snat = true;
		} else if (!strcmp(kw, "snat-ports")) {
			if (parse_port_range(argv[0], &lo, &hi))
				return -1;
		} else if (!strcmp(kw, "maglev-size")) {
			if (lbnic_get_u32(&size, argv[0], "maglev-size"))
				return -1;
		} else if (!strcmp(kw, "insert")) {
			field = -1;
			for (m = 0; m <= LBNIC_HTTP_FIELD_MAX; m++)
				if (!strcmp(argv[0], field_names[m]))
					field = m;
			if (field < 0) {
				fprintf(stderr, "Error: argument \"%s\" is wrong: insert must be xff, x-real-ip or none.\n",
					argv[0]);
				return -1;
			}
		} else {
			return lbnic_unknown_arg(kw, "service");
		}
	}

	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, LBNIC_CMD_NEW_SERVICE, 0);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_SERVICE);
	lbnic_put_svc_key(nlh, &key);
	if (sched)
		mnl_attr_put_strz(nlh, LBNIC_SERVICE_A_SCHED, sched);
	if (mode)
		mnl_attr_put_u8(nlh, LBNIC_SERVICE_A_MODE, mode);
	if (flags)
		mnl_attr_put_u32(nlh, LBNIC_SERVICE_A_FLAGS, flags);
	if (size)
		mnl_attr_put_u32(nlh, LBNIC_SERVICE_A_MAGLEV_SIZE, size);
	if (has_snat)
		lbnic_put_addr(nlh, LBNIC_SERVICE_A_SNAT_ADDR, &snat);
	if (field >= 0)
		mnl_attr_put_u8(nlh, LBNIC_SERVICE_A_HTTP_FIELD, field);
	if (hi) {
		mnl_attr_put_u16(nlh, LBNIC_SERVICE_A_SNAT_PORT_MIN, lo);
		mnl_attr_put_u16(nlh, LBNIC_SERVICE_A_SNAT_PORT_MAX, hi);
	}
	mnl_attr_nest_end(nlh, nest);
	return lbnic_nl_talk(nl, nlh, NULL, NULL) < 0 ? -1 : 0;
}

/* Sends @cmd with just a service key, or none; for del and flush. */
static int svc_key_cmd(struct lbnic_ctx *ctx, uint8_t cmd,
		       const struct svc_key *key)
{
	struct lbnic_nl *nl = lbnic_ctx_nl(ctx);
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, cmd, 0);
	if (key) {
		nest = mnl_attr_nest_start(nlh, LBNIC_A_SERVICE);
		lbnic_put_svc_key(nlh, key);
		mnl_attr_nest_end(nlh, nest);
	}
	return lbnic_nl_talk(nl, nlh, NULL, NULL) < 0 ? -1 : 0;
}

struct stats {
	uint64_t v[LBNIC_STATS_A_MAX + 1];
};

static const struct mnlu_policy stats_policy[LBNIC_STATS_A_MAX + 1] = {
	[LBNIC_STATS_A_CONNS] = { MNL_TYPE_U64 },
	[LBNIC_STATS_A_ACTIVE] = { MNL_TYPE_U32 },
	[LBNIC_STATS_A_INACTIVE] = { MNL_TYPE_U32 },
	[LBNIC_STATS_A_PKTS_IN] = { MNL_TYPE_U64 },
	[LBNIC_STATS_A_PKTS_OUT] = { MNL_TYPE_U64 },
	[LBNIC_STATS_A_BYTES_IN] = { MNL_TYPE_U64 },
	[LBNIC_STATS_A_BYTES_OUT] = { MNL_TYPE_U64 },
	[LBNIC_STATS_A_NO_BACKEND] = { MNL_TYPE_U64 },
};

static void stats_parse(const struct nlattr *nest, struct stats *st)
{
	const struct nlattr *tb[LBNIC_STATS_A_MAX + 1];
	int type;

	mnlu_parse_nested(nest, stats_policy, LBNIC_STATS_A_MAX, tb);
	for (type = 0; type <= LBNIC_STATS_A_MAX; type++) {
		if (!tb[type])
			continue;
		st->v[type] = stats_policy[type].type == MNL_TYPE_U32 ?
			      mnl_attr_get_u32(tb[type]) : mnl_attr_get_u64(tb[type]);
	}
}

static const struct {
	int attr;
	const char *key;
	const char *text;
} stats_fields[] = {
	{ LBNIC_STATS_A_CONNS, "conns", "conns" },
	{ LBNIC_STATS_A_PKTS_IN, "pkts_in", "pkts-in" },
	{ LBNIC_STATS_A_PKTS_OUT, "pkts_out", "pkts-out" },
	{ LBNIC_STATS_A_BYTES_IN, "bytes_in", "bytes-in" },
	{ LBNIC_STATS_A_BYTES_OUT, "bytes_out", "bytes-out" },
	{ LBNIC_STATS_A_NO_BACKEND, "no_backend", "no-backend" },
};

static void print_stats(const struct stats *st, const char *indent)
{
	char fmt[48];
	size_t i;

	open_json_object("stats");
	print_string(PRINT_FP, NULL, "%s", indent);
	for (i = 0; i < sizeof(stats_fields) / sizeof(stats_fields[0]); i++) {
		snprintf(fmt, sizeof(fmt), "%s%s %%llu", i ? " " : "",
			 stats_fields[i].text);
		print_uint(PRINT_ANY, stats_fields[i].key, fmt,
			   st->v[stats_fields[i].attr]);
	}
	print_nl();
	close_json_object();
}

/* One service of a dump, kept until its backends have been dumped too. */
struct svc_rec {
	struct svc_key key;
	char sched[LBNIC_SCHED_NAME_MAX];
	uint8_t mode;
	uint32_t flags;
	uint32_t maglev_size;
	bool has_snat;
	struct lbnic_addr snat;
	uint16_t snat_min, snat_max;
	bool has_field;
	uint8_t field;
	struct stats st;
};

struct svc_list {
	struct svc_rec *recs;
	size_t n, cap;
};

static const struct mnlu_policy svc_policy[LBNIC_SERVICE_A_MAX + 1] = {
	[LBNIC_SERVICE_A_ADDR] = { MNLU_ADDR },
	[LBNIC_SERVICE_A_PORT] = { MNL_TYPE_U16 },
	[LBNIC_SERVICE_A_PROTO] = { MNL_TYPE_U8 },
	[LBNIC_SERVICE_A_SCHED] = { MNL_TYPE_NUL_STRING },
	[LBNIC_SERVICE_A_MODE] = { MNL_TYPE_U8 },
	[LBNIC_SERVICE_A_FLAGS] = { MNL_TYPE_U32 },
	[LBNIC_SERVICE_A_MAGLEV_SIZE] = { MNL_TYPE_U32 },
	[LBNIC_SERVICE_A_SNAT_ADDR] = { MNLU_ADDR },
	[LBNIC_SERVICE_A_SNAT_PORT_MIN] = { MNL_TYPE_U16 },
	[LBNIC_SERVICE_A_SNAT_PORT_MAX] = { MNL_TYPE_U16 },
	[LBNIC_SERVICE_A_STATS] = { MNL_TYPE_NESTED },
	[LBNIC_SERVICE_A_HTTP_FIELD] = { MNL_TYPE_U8 },
};

static void svc_parse(const struct nlattr *nest, struct svc_rec *r)
{
	const struct nlattr *tb[LBNIC_SERVICE_A_MAX + 1];

	mnlu_parse_nested(nest, svc_policy, LBNIC_SERVICE_A_MAX, tb);
	lbnic_attr_endpoint(tb, LBNIC_SERVICE_A_ADDR, LBNIC_SERVICE_A_PORT, &r->key.vip);
	if (tb[LBNIC_SERVICE_A_PROTO])
		r->key.proto = mnl_attr_get_u8(tb[LBNIC_SERVICE_A_PROTO]);
	if (tb[LBNIC_SERVICE_A_SCHED])
		snprintf(r->sched, sizeof(r->sched), "%s",
			 mnl_attr_get_str(tb[LBNIC_SERVICE_A_SCHED]));
	if (tb[LBNIC_SERVICE_A_MODE])
		r->mode = mnl_attr_get_u8(tb[LBNIC_SERVICE_A_MODE]);
	if (tb[LBNIC_SERVICE_A_FLAGS])
		r->flags = mnl_attr_get_u32(tb[LBNIC_SERVICE_A_FLAGS]);
	if (tb[LBNIC_SERVICE_A_MAGLEV_SIZE])
		r->maglev_size = mnl_attr_get_u32(tb[LBNIC_SERVICE_A_MAGLEV_SIZE]);
	if (tb[LBNIC_SERVICE_A_SNAT_ADDR])
		r->has_snat = !lbnic_attr_addr(tb[LBNIC_SERVICE_A_SNAT_ADDR], &r->snat);
	if (tb[LBNIC_SERVICE_A_SNAT_PORT_MIN])
		r->snat_min = mnl_attr_get_u16(tb[LBNIC_SERVICE_A_SNAT_PORT_MIN]);
	if (tb[LBNIC_SERVICE_A_SNAT_PORT_MAX])
		r->snat_max = mnl_attr_get_u16(tb[LBNIC_SERVICE_A_SNAT_PORT_MAX]);
	if (tb[LBNIC_SERVICE_A_HTTP_FIELD]) {
		r->has_field = true;
		r->field = mnl_attr_get_u8(tb[LBNIC_SERVICE_A_HTTP_FIELD]);
	}
	if (tb[LBNIC_SERVICE_A_STATS])
		stats_parse(tb[LBNIC_SERVICE_A_STATS], &r->st);
}

static const struct mnlu_policy msg_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_SERVICE] = { MNL_TYPE_NESTED },
	[LBNIC_A_BACKEND] = { MNL_TYPE_NESTED },
};

/* The @type nest of a reply, or NULL. */
static const struct nlattr *top_nest(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *tb[LBNIC_A_MAX + 1];

	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, msg_policy, LBNIC_A_MAX, tb);
	return tb[type];
}

static int svc_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct svc_list *l = data;
	const struct nlattr *nest;
	struct svc_rec *recs;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		recs = realloc(l->recs, l->cap * sizeof(*recs));
		if (!recs)
			return MNL_CB_ERROR;
		l->recs = recs;
	}
	nest = top_nest(nlh, LBNIC_A_SERVICE);
	if (!nest)
		return MNL_CB_OK;
	memset(&l->recs[l->n], 0, sizeof(l->recs[0]));
	svc_parse(nest, &l->recs[l->n++]);
	return MNL_CB_OK;
}

struct be_rec {
	struct lbnic_addr addr;
	char pool[LBNIC_POOL_NAME_MAX];
	uint32_t weight;
	struct stats st;
};

static const struct mnlu_policy be_policy[LBNIC_BACKEND_A_MAX + 1] = {
	[LBNIC_BACKEND_A_ADDR] = { MNLU_ADDR },
	[LBNIC_BACKEND_A_PORT] = { MNL_TYPE_U16 },
	[LBNIC_BACKEND_A_WEIGHT] = { MNL_TYPE_U32 },
	[LBNIC_BACKEND_A_STATS] = { MNL_TYPE_NESTED },
	[LBNIC_BACKEND_A_POOL] = { MNL_TYPE_NUL_STRING },
};

static void be_parse(const struct nlattr *nest, struct be_rec *b)
{
	const struct nlattr *tb[LBNIC_BACKEND_A_MAX + 1];

	mnlu_parse_nested(nest, be_policy, LBNIC_BACKEND_A_MAX, tb);
	lbnic_attr_endpoint(tb, LBNIC_BACKEND_A_ADDR, LBNIC_BACKEND_A_PORT, &b->addr);
	if (tb[LBNIC_BACKEND_A_WEIGHT])
		b->weight = mnl_attr_get_u32(tb[LBNIC_BACKEND_A_WEIGHT]);
	if (tb[LBNIC_BACKEND_A_STATS])
		stats_parse(tb[LBNIC_BACKEND_A_STATS], &b->st);
	if (tb[LBNIC_BACKEND_A_POOL])
		snprintf(b->pool, sizeof(b->pool), "%s",
			 mnl_attr_get_str(tb[LBNIC_BACKEND_A_POOL]));
}

static int be_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct lbnic_ctx *ctx = data;
	const struct nlattr *nest = top_nest(nlh, LBNIC_A_BACKEND);
	struct be_rec b = {};
	char buf[64];

	if (!nest)
		return MNL_CB_OK;
	be_parse(nest, &b);
	open_json_object(NULL);
	print_string(PRINT_FP, NULL, "    -> %s",
		     lbnic_fmt_addr(&b.addr, 1, buf, sizeof(buf)));
	print_string(PRINT_JSON, "addr", NULL, lbnic_fmt_addr(&b.addr, 0, buf, sizeof(buf)));
	print_uint(PRINT_JSON, "port", NULL, b.addr.port);
	print_uint(PRINT_ANY, "weight", " weight %llu", b.weight);
	if (b.pool[0])
		print_string(PRINT_ANY, "pool", " pool %s", b.pool);
	print_uint(PRINT_ANY, "active", " active %llu", b.st.v[LBNIC_STATS_A_ACTIVE]);
	print_uint(PRINT_ANY, "inactive", " inactive %llu", b.st.v[LBNIC_STATS_A_INACTIVE]);
	print_nl();
	if (ctx->stats)
		print_stats(&b.st, "       ");
	close_json_object();
	return MNL_CB_OK;
}

static int dump_backends(struct lbnic_ctx *ctx, const struct svc_key *key)
{
	struct lbnic_nl *nl = lbnic_ctx_nl(ctx);
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	nlh = lbnic_nl_msg(nl, LBNIC_CMD_GET_BACKEND, NLM_F_DUMP);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_SERVICE);
	lbnic_put_svc_key(nlh, key);
	mnl_attr_nest_end(nlh, nest);
	open_json_array(PRINT_JSON, "backends");
	ret = lbnic_nl_talk(nl, nlh, be_dump_cb, ctx);
	close_json_array(PRINT_JSON, NULL);
	return ret;
}

static void print_service(const struct svc_rec *r)
{
	char buf[64];

	print_string(PRINT_ANY, "proto", "%s", lbnic_proto_name(r->key.proto));
	print_string(PRINT_FP, NULL, " %s", lbnic_fmt_addr(&r->key.vip, 1, buf, sizeof(buf)));
	print_string(PRINT_JSON, "vip", NULL, lbnic_fmt_addr(&r->key.vip, 0, buf, sizeof(buf)));
	print_uint(PRINT_JSON, "port", NULL, r->key.vip.port);
	print_string(PRINT_ANY, "sched", " sched %s", r->sched);
	print_string(PRINT_ANY, "mode", " mode %s", mode_name(r->mode));
	if (!strcmp(r->sched, "maglev") || !strcmp(r->sched, "sh"))
		print_uint(PRINT_ANY, "maglev_size", " maglev-size %llu", r->maglev_size);
	if (r->has_snat) {
		print_string(PRINT_ANY, "snat", " snat %s",
			     lbnic_fmt_addr(&r->snat, 0, buf, sizeof(buf)));
		print_uint(PRINT_ANY, "snat_port_min", " snat-ports %llu", r->snat_min);
		print_uint(PRINT_ANY, "snat_port_max", "-%llu", r->snat_max);
	}
	if (r->has_field)
		print_string(PRINT_ANY, "insert", " insert %s", field_name(r->field));
	if (r->flags & LBNIC_SERVICE_F_STATELESS)
		print_string(PRINT_ANY, "stateless", " %s", "stateless");
	print_uint(PRINT_ANY, "active", " active %llu", r->st.v[LBNIC_STATS_A_ACTIVE]);
	print_uint(PRINT_ANY, "inactive", " inactive %llu", r->st.v[LBNIC_STATS_A_INACTIVE]);
	print_nl();
}

static int service_show(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct svc_list l = {};
	struct lbnic_nl *nl;
	struct nlmsghdr *nlh;
	int ret = 0;
	size_t i;

	if (argc > 0)
		return lbnic_unknown_arg(argv[0], "service");
	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, LBNIC_CMD_GET_SERVICE, NLM_F_DUMP);
	if (lbnic_nl_talk(nl, nlh, svc_dump_cb, &l) < 0) {
		free(l.recs);
		return -1;
	}
	open_json_array(PRINT_JSON, NULL);
	for (i = 0; i < l.n && !ret; i++) {
		open_json_object(NULL);
		print_service(&l.recs[i]);
		if (ctx->stats)
			print_stats(&l.recs[i].st, "    ");
		ret = dump_backends(ctx, &l.recs[i].key);
		close_json_object();
	}
	close_json_array(PRINT_JSON, NULL);
	free(l.recs);
	return ret < 0 ? -1 : 0;
}

int do_service(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct svc_key key;

	if (argc == 0 || !strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return service_show(ctx, argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(argv[0], "add"))
		return service_add(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[0], "del")) {
		argc--, argv++;
		if (lbnic_parse_svc_key(&key, &argc, &argv, "service"))
			return -1;
		if (argc)
			return lbnic_unknown_arg(argv[0], "service");
		return svc_key_cmd(ctx, LBNIC_CMD_DEL_SERVICE, &key);
	}
	if (!strcmp(argv[0], "help")) {
		service_usage();
		return 0;
	}
	return lbnic_unknown_arg(argv[0], "service");
}

static void backend_usage(void)
{
	fprintf(stderr,
		"Usage: lbnic backend add SERVICE addr ADDR:PORT [ weight WEIGHT ]\n"
		"                         [ pool NAME ]\n"
		"       lbnic backend set SERVICE addr ADDR:PORT weight WEIGHT\n"
		"                         [ pool NAME ]\n"
		"       lbnic backend del SERVICE addr ADDR:PORT [ pool NAME ] [ flush ]\n"
		"       lbnic [ -s ] backend show SERVICE\n"
		"SERVICE := VIP:PORT proto { tcp | udp }\n"
		"WEIGHT := 1..%u when adding; 0 drains (no new connections)\n"
		"NAME := an http service's pool (lbnic pool); default: its own backends\n",
		LBNIC_WEIGHT_MAX);
}

static int backend_cmd(struct lbnic_ctx *ctx, uint8_t cmd, int argc, char **argv)
{
	struct lbnic_addr addr = {};
	bool has_weight = false, flush = false, has_addr = false;
	const char *pool = NULL;
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	struct lbnic_nl *nl;
	struct svc_key key;
	uint32_t weight = 0;

	if (lbnic_parse_svc_key(&key, &argc, &argv, "backend"))
		return -1;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "flush") && cmd == LBNIC_CMD_DEL_BACKEND) {
			flush = true;
			continue;
		}
		if (strcmp(argv[0], "addr") && strcmp(argv[0], "pool") &&
		    (strcmp(argv[0], "weight") || cmd == LBNIC_CMD_DEL_BACKEND))
			return lbnic_unknown_arg(argv[0], "backend");
		if (argc < 2)
			return lbnic_missing_arg(argv[0], "backend");
		if (!strcmp(argv[0], "pool")) {
			pool = argv[1];
		} else if (!strcmp(argv[0], "addr")) {
			if (lbnic_parse_addr_port(&addr, argv[1], "addr"))
				return -1;
			has_addr = true;
		} else {
			if (lbnic_get_u32(&weight, argv[1], "weight"))
				return -1;
			has_weight = true;
		}
		argc--, argv++;
	}
	if (!has_addr)
		return lbnic_missing_arg("addr", "backend");
	if (cmd == LBNIC_CMD_SET_BACKEND && !has_weight)
		return lbnic_missing_arg("weight", "backend");

	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, cmd, 0);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_SERVICE);
	lbnic_put_svc_key(nlh, &key);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, LBNIC_A_BACKEND);
	lbnic_put_addr(nlh, LBNIC_BACKEND_A_ADDR, &addr);
	mnl_attr_put_u16(nlh, LBNIC_BACKEND_A_PORT, addr.port);
	if (has_weight)
		mnl_attr_put_u32(nlh, LBNIC_BACKEND_A_WEIGHT, weight);
	if (pool)
		mnl_attr_put_strz(nlh, LBNIC_BACKEND_A_POOL, pool);
	if (flush)
		mnl_attr_put(nlh, LBNIC_BACKEND_A_FLUSH, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return lbnic_nl_talk(nl, nlh, NULL, NULL) < 0 ? -1 : 0;
}

int do_backend(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct svc_key key;
	int ret;

	if (argc == 0 || !strcmp(argv[0], "help")) {
		backend_usage();
		return argc ? 0 : -1;
	}
	if (!strcmp(argv[0], "add"))
		return backend_cmd(ctx, LBNIC_CMD_NEW_BACKEND, argc - 1, argv + 1);
	if (!strcmp(argv[0], "set"))
		return backend_cmd(ctx, LBNIC_CMD_SET_BACKEND, argc - 1, argv + 1);
	if (!strcmp(argv[0], "del"))
		return backend_cmd(ctx, LBNIC_CMD_DEL_BACKEND, argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list")) {
		argc--, argv++;
		if (lbnic_parse_svc_key(&key, &argc, &argv, "backend"))
			return -1;
		if (argc)
			return lbnic_unknown_arg(argv[0], "backend");
		if (!lbnic_ctx_nl(ctx))
			return -1;
		open_json_object(NULL);
		ret = dump_backends(ctx, &key);
		close_json_object();
		return ret < 0 ? -1 : 0;
	}
	return lbnic_unknown_arg(argv[0], "backend");
}

int do_conn_flush(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct svc_key key;

	if (!argc)
		return svc_key_cmd(ctx, LBNIC_CMD_FLUSH_CONN, NULL);
	if (lbnic_parse_svc_key(&key, &argc, &argv, "conn"))
		return -1;
	if (argc)
		return lbnic_unknown_arg(argv[0], "conn");
	return svc_key_cmd(ctx, LBNIC_CMD_FLUSH_CONN, &key);
}

/* For "conn show SERVICE": the service nest of a dump request. */
int lbnic_put_svc_filter(struct nlmsghdr *nlh, int argc, char **argv)
{
	struct nlattr *nest;
	struct svc_key key;

	if (lbnic_parse_svc_key(&key, &argc, &argv, "conn"))
		return -1;
	if (argc)
		return lbnic_unknown_arg(argv[0], "conn");
	nest = mnl_attr_nest_start(nlh, LBNIC_A_SERVICE);
	lbnic_put_svc_key(nlh, &key);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}
