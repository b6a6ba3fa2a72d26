// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic conn: the connection table, as "ipvsadm -Lnc" shows IPVS's.
 */
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include <linux/lbnic.h>

#include "json_print.h"
#include "lbnic.h"
#include "util.h"

static const char *const state_names[] = {
	[LBNIC_CONN_S_NONE] = "NONE",
	[LBNIC_CONN_S_SYN] = "SYN",
	[LBNIC_CONN_S_ESTABLISHED] = "ESTABLISHED",
	[LBNIC_CONN_S_FIN] = "FIN",
	[LBNIC_CONN_S_CLOSE] = "CLOSE",
	[LBNIC_CONN_S_UDP] = "UDP",
	[LBNIC_CONN_S_HTTP_REQ] = "HTTP_REQ",
};

static const char *const offload_names[] = {
	[LBNIC_OFFLOAD_PENDING] = "pending",
	[LBNIC_OFFLOAD_HW] = "hw",
	[LBNIC_OFFLOAD_SW] = "sw",
	[LBNIC_OFFLOAD_REFUSED] = "refused",
	[LBNIC_OFFLOAD_RETURNED] = "returned",
};

static const char *const phase_names[] = {
	[LBNIC_HTTP_PHASE_HEADER] = "header",
	[LBNIC_HTTP_PHASE_HELD] = "held",
	[LBNIC_HTTP_PHASE_BODY] = "body",
};

/* An http entry's splice (LBNIC_CONN_A_HTTP). */
struct conn_http {
	int present;
	uint8_t phase;
	uint32_t requests, seq_off, ack_off, ins_seq, ins_len;
	int has_ack_off, has_ins, unacked;
};

struct conn_rec {
	uint8_t proto;
	uint8_t state;
	uint32_t expires;
	uint64_t packets[2];
	int offload;		/* enum lbnic_offload_state, -1: no candidate */
	uint32_t offload_err;
	uint64_t cookie;
	int has_backend;
	struct lbnic_addr client, vip, local, backend;
	struct conn_http http;
};

static const struct mnlu_policy conn_policy[LBNIC_CONN_A_MAX + 1] = {
	[LBNIC_CONN_A_PROTO] = { MNL_TYPE_U8 },
	[LBNIC_CONN_A_CLIENT_ADDR] = { MNLU_ADDR },
	[LBNIC_CONN_A_CLIENT_PORT] = { MNL_TYPE_U16 },
	[LBNIC_CONN_A_VIP_ADDR] = { MNLU_ADDR },
	[LBNIC_CONN_A_VIP_PORT] = { MNL_TYPE_U16 },
	[LBNIC_CONN_A_LOCAL_ADDR] = { MNLU_ADDR },
	[LBNIC_CONN_A_LOCAL_PORT] = { MNL_TYPE_U16 },
	[LBNIC_CONN_A_BACKEND_ADDR] = { MNLU_ADDR },
	[LBNIC_CONN_A_BACKEND_PORT] = { MNL_TYPE_U16 },
	[LBNIC_CONN_A_STATE] = { MNL_TYPE_U8 },
	[LBNIC_CONN_A_EXPIRES] = { MNL_TYPE_U32 },
	[LBNIC_CONN_A_MODE] = { MNL_TYPE_U8 },
	[LBNIC_CONN_A_PACKETS_ORIG] = { MNL_TYPE_U64 },
	[LBNIC_CONN_A_PACKETS_REPLY] = { MNL_TYPE_U64 },
	[LBNIC_CONN_A_OFFLOAD] = { MNL_TYPE_U8 },
	[LBNIC_CONN_A_OFFLOAD_ERROR] = { MNL_TYPE_U32 },
	[LBNIC_CONN_A_COOKIE] = { MNL_TYPE_U64 },
	[LBNIC_CONN_A_HTTP] = { MNL_TYPE_NESTED },
};

static const struct mnlu_policy http_policy[LBNIC_CONN_HTTP_A_MAX + 1] = {
	[LBNIC_CONN_HTTP_A_PHASE] = { MNL_TYPE_U8 },
	[LBNIC_CONN_HTTP_A_REQUESTS] = { MNL_TYPE_U32 },
	[LBNIC_CONN_HTTP_A_SEQ_OFFSET] = { MNL_TYPE_U32 },
	[LBNIC_CONN_HTTP_A_ACK_OFFSET] = { MNL_TYPE_U32 },
	[LBNIC_CONN_HTTP_A_INSERT_SEQ] = { MNL_TYPE_U32 },
	[LBNIC_CONN_HTTP_A_INSERT_LEN] = { MNL_TYPE_U32 },
	[LBNIC_CONN_HTTP_A_UNACKED] = { MNL_TYPE_FLAG },
};

static uint32_t attr_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

static void http_parse(const struct nlattr *nest, struct conn_http *h)
{
	const struct nlattr *tb[LBNIC_CONN_HTTP_A_MAX + 1];

	mnlu_parse_nested(nest, http_policy, LBNIC_CONN_HTTP_A_MAX, tb);
	h->present = 1;
	if (tb[LBNIC_CONN_HTTP_A_PHASE])
		h->phase = mnl_attr_get_u8(tb[LBNIC_CONN_HTTP_A_PHASE]);
	h->requests = attr_u32(tb[LBNIC_CONN_HTTP_A_REQUESTS]);
	h->seq_off = attr_u32(tb[LBNIC_CONN_HTTP_A_SEQ_OFFSET]);
	h->has_ack_off = !!tb[LBNIC_CONN_HTTP_A_ACK_OFFSET];
	h->ack_off = attr_u32(tb[LBNIC_CONN_HTTP_A_ACK_OFFSET]);
	h->has_ins = !!tb[LBNIC_CONN_HTTP_A_INSERT_SEQ];
	h->ins_seq = attr_u32(tb[LBNIC_CONN_HTTP_A_INSERT_SEQ]);
	h->ins_len = attr_u32(tb[LBNIC_CONN_HTTP_A_INSERT_LEN]);
	h->unacked = !!tb[LBNIC_CONN_HTTP_A_UNACKED];
}

/*
 * " http body requests 3 seq-offset 69 ack-offset 1234 insert 23@180":
 * where the splice is; the last field, LEN bytes before client byte SEQ.
 */
static void print_http(const struct conn_http *h)
{
	open_json_object("http");
	print_string(PRINT_ANY, "phase", " http %s",
		     h->phase <= LBNIC_HTTP_PHASE_BODY ? phase_names[h->phase] : "?");
	print_uint(PRINT_ANY, "requests", " requests %llu", h->requests);
	print_uint(PRINT_ANY, "seq_offset", " seq-offset %llu", h->seq_off);
	if (h->has_ack_off)
		print_uint(PRINT_ANY, "ack_offset", " ack-offset %llu", h->ack_off);
	if (h->has_ins) {
		print_uint(PRINT_ANY, "insert_len", " insert %llu", h->ins_len);
		print_uint(PRINT_ANY, "insert_seq", "@%llu", h->ins_seq);
	}
	print_bool(PRINT_ANY, "unacked", " %s", h->unacked);
	close_json_object();
}

static const struct mnlu_policy conn_msg_policy[LBNIC_A_MAX + 1] = {
	[LBNIC_A_CONN] = { MNL_TYPE_NESTED },
};

static void conn_parse(const struct nlattr *nest, struct conn_rec *c)
{
	const struct nlattr *tb[LBNIC_CONN_A_MAX + 1];

	mnlu_parse_nested(nest, conn_policy, LBNIC_CONN_A_MAX, tb);
	if (tb[LBNIC_CONN_A_PROTO])
		c->proto = mnl_attr_get_u8(tb[LBNIC_CONN_A_PROTO]);
	if (tb[LBNIC_CONN_A_STATE])
		c->state = mnl_attr_get_u8(tb[LBNIC_CONN_A_STATE]);
	if (tb[LBNIC_CONN_A_EXPIRES])
		c->expires = mnl_attr_get_u32(tb[LBNIC_CONN_A_EXPIRES]);
	lbnic_attr_endpoint(tb, LBNIC_CONN_A_CLIENT_ADDR, LBNIC_CONN_A_CLIENT_PORT,
			    &c->client);
	lbnic_attr_endpoint(tb, LBNIC_CONN_A_VIP_ADDR, LBNIC_CONN_A_VIP_PORT, &c->vip);
	lbnic_attr_endpoint(tb, LBNIC_CONN_A_LOCAL_ADDR, LBNIC_CONN_A_LOCAL_PORT,
			    &c->local);
	lbnic_attr_endpoint(tb, LBNIC_CONN_A_BACKEND_ADDR, LBNIC_CONN_A_BACKEND_PORT,
			    &c->backend);
	c->has_backend = !!tb[LBNIC_CONN_A_BACKEND_ADDR];
	if (tb[LBNIC_CONN_A_PACKETS_ORIG])
		c->packets[0] = mnl_attr_get_u64(tb[LBNIC_CONN_A_PACKETS_ORIG]);
	if (tb[LBNIC_CONN_A_PACKETS_REPLY])
		c->packets[1] = mnl_attr_get_u64(tb[LBNIC_CONN_A_PACKETS_REPLY]);
	if (tb[LBNIC_CONN_A_OFFLOAD])
		c->offload = mnl_attr_get_u8(tb[LBNIC_CONN_A_OFFLOAD]);
	if (tb[LBNIC_CONN_A_OFFLOAD_ERROR])
		c->offload_err = mnl_attr_get_u32(tb[LBNIC_CONN_A_OFFLOAD_ERROR]);
	if (tb[LBNIC_CONN_A_COOKIE])
		c->cookie = mnl_attr_get_u64(tb[LBNIC_CONN_A_COOKIE]);
	if (tb[LBNIC_CONN_A_HTTP])
		http_parse(tb[LBNIC_CONN_A_HTTP], &c->http);
}

/* "client 10.0.0.1:4000" in text; "client" and "client_port" in JSON. */
static void print_endpoint(const char *key, const char *port_key,
			   const char *fmt, const struct lbnic_addr *a)
{
	char buf[64];

	print_string(PRINT_FP, NULL, fmt, lbnic_fmt_addr(a, 1, buf, sizeof(buf)));
	print_string(PRINT_JSON, key, NULL, lbnic_fmt_addr(a, 0, buf, sizeof(buf)));
	print_uint(PRINT_JSON, port_key, NULL, a->port);
}

static int conn_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LBNIC_A_MAX + 1];
	struct conn_rec c = { .offload = -1 };
	char cookie[20];

	(void)data;
	mnlu_parse(nlh, LBNIC_GENL_HDRLEN, conn_msg_policy, LBNIC_A_MAX, tb);
	if (!tb[LBNIC_A_CONN])
		return MNL_CB_OK;
	conn_parse(tb[LBNIC_A_CONN], &c);
	open_json_object(NULL);
	print_string(PRINT_ANY, "proto", "%s", lbnic_proto_name(c.proto));
	print_string(PRINT_ANY, "state", " %-11s",
		     c.state <= LBNIC_CONN_S_MAX ? state_names[c.state] : "?");
	print_uint(PRINT_JSON, "expires_ms", NULL, c.expires);
	print_uint(PRINT_FP, NULL, " %5llus", (c.expires + 999) / 1000);
	print_endpoint("client", "client_port", " %s", &c.client);
	print_endpoint("vip", "vip_port", " -> %s", &c.vip);
	if (c.has_backend) {
		print_endpoint("local", "local_port", " via %s", &c.local);
		print_endpoint("backend", "backend_port", " -> %s", &c.backend);
	} else {
		/* An http connection whose request header has not chosen yet. */
		print_string(PRINT_FP, NULL, "%s", " via - -> -");
	}
	print_uint(PRINT_ANY, "packets_orig", " packets %llu", c.packets[0]);
	print_uint(PRINT_ANY, "packets_reply", "/%llu", c.packets[1]);
	if (c.offload >= 0) {
		print_string(PRINT_ANY, "offload", " offload %s",
			     c.offload <= LBNIC_OFFLOAD_MAX ? offload_names[c.offload] : "?");
		if (c.offload_err)
			print_string(PRINT_ANY, "offload_error", " (%s)",
				     strerror(c.offload_err));
		/* As "tc -s filter show" prints the rules' action cookie. */
		snprintf(cookie, sizeof(cookie), "%016llx", (unsigned long long)c.cookie);
		print_string(PRINT_ANY, "cookie", " cookie %s", cookie);
	}
	if (c.http.present)
		print_http(&c.http);
	print_nl();
	close_json_object();
	return MNL_CB_OK;
}

int do_conn(struct lbnic_ctx *ctx, int argc, char **argv)
{
	struct lbnic_nl *nl;
	struct nlmsghdr *nlh;
	int ret;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		fprintf(stderr,
			"Usage: lbnic conn show [ SERVICE ]\n"
			"       lbnic conn flush [ SERVICE ]\n"
			"SERVICE := VIP:PORT proto { tcp | udp }\n");
		return 0;
	}
	if (argc > 0 && !strcmp(argv[0], "flush"))
		return do_conn_flush(ctx, argc - 1, argv + 1);
	if (argc > 0 && strcmp(argv[0], "show") && strcmp(argv[0], "list"))
		return lbnic_unknown_arg(argv[0], "conn");
	if (argc > 0)
		argc--, argv++;

	nl = lbnic_ctx_nl(ctx);
	if (!nl)
		return -1;
	nlh = lbnic_nl_msg(nl, LBNIC_CMD_GET_CONN, NLM_F_DUMP);
	if (argc && lbnic_put_svc_filter(nlh, argc, argv))
		return -1;
	open_json_array(PRINT_JSON, NULL);
	ret = lbnic_nl_talk(nl, nlh, conn_dump_cb, NULL);
	close_json_array(PRINT_JSON, NULL);
	return ret < 0 ? -1 : 0;
}
