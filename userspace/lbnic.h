/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic CLI: what the object handlers share.
 */
#ifndef LBNIC_CLI_H
#define LBNIC_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "util.h"

#define LBNIC_UTIL_VERSION "0.2.0"

struct lbnic_ctx {
	struct lbnic_nl nl;
	bool json;
	bool pretty;
	bool stats;
};

/* The netlink channel, opened on first use so "help" needs no module. */
struct lbnic_nl *lbnic_ctx_nl(struct lbnic_ctx *ctx);

/* Argument helpers: each prints "Error: ..." itself and returns -1. */
int lbnic_unknown_arg(const char *arg, const char *object);
int lbnic_missing_arg(const char *what, const char *object);

/* A service as named on the command line: VIP:PORT proto P. */
struct svc_key {
	struct lbnic_addr vip;
	uint8_t proto;
};

struct nlmsghdr;
int lbnic_parse_svc_key(struct svc_key *key, int *argc, char ***argv,
			const char *object);
void lbnic_put_svc_key(struct nlmsghdr *nlh, const struct svc_key *key);

int do_info(struct lbnic_ctx *ctx, int argc, char **argv);
int do_config(struct lbnic_ctx *ctx, int argc, char **argv);
int do_version(struct lbnic_ctx *ctx, int argc, char **argv);
int do_service(struct lbnic_ctx *ctx, int argc, char **argv);
int do_backend(struct lbnic_ctx *ctx, int argc, char **argv);
int do_pool(struct lbnic_ctx *ctx, int argc, char **argv);
int do_route(struct lbnic_ctx *ctx, int argc, char **argv);
int do_conn(struct lbnic_ctx *ctx, int argc, char **argv);
int do_conn_flush(struct lbnic_ctx *ctx, int argc, char **argv);
int lbnic_put_svc_filter(struct nlmsghdr *nlh, int argc, char **argv);

#endif
