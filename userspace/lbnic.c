// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: command line front end of the lbnic load balancer, in the manner
 * of ip(8): global options, then OBJECT COMMAND [ARGS], or a batch of such
 * lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_print.h"
#include "lbnic.h"

#define NETNS_RUN_DIR "/var/run/netns"
#define BATCH_MAX_ARGS 128

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: lbnic [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       lbnic [ -force ] -b[atch] FILENAME\n"
		"where  OBJECT := { service | backend | pool | route | conn |\n"
		"                   info | config | version | help }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] |\n"
		"                    -n[etns] NAME | -V[ersion] | -h[elp] }\n");
}

static int do_help(struct lbnic_ctx *ctx, int argc, char **argv)
{
	(void)ctx, (void)argc, (void)argv;
	usage(stdout);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct lbnic_ctx *ctx, int argc, char **argv);
} objects[] = {
	{ "service",	do_service },
	{ "backend",	do_backend },
	{ "pool",	do_pool },
	{ "route",	do_route },
	{ "conn",	do_conn },
	{ "info",	do_info },
	{ "config",	do_config },
	{ "version",	do_version },
	{ "help",	do_help },
};

struct lbnic_nl *lbnic_ctx_nl(struct lbnic_ctx *ctx)
{
	if (!ctx->nl.s.sock && lbnic_nl_open(&ctx->nl) < 0)
		return NULL;
	return &ctx->nl;
}

int lbnic_unknown_arg(const char *arg, const char *object)
{
	fprintf(stderr, "Error: unknown argument \"%s\", try \"lbnic %s help\".\n",
		arg, object);
	return -1;
}

int lbnic_missing_arg(const char *what, const char *object)
{
	fprintf(stderr, "Error: \"%s\" needs a value, try \"lbnic %s help\".\n",
		what, object);
	return -1;
}

static int do_cmd(struct lbnic_ctx *ctx, int argc, char **argv)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (strcmp(argv[0], objects[i].name))
			continue;
		new_json_obj(ctx->json, ctx->pretty);
		ret = objects[i].fn(ctx, argc - 1, argv + 1);
		delete_json_obj();
		return ret;
	}
	fprintf(stderr, "Error: object \"%s\" is unknown, try \"lbnic help\".\n",
		argv[0]);
	return -1;
}

/* Splits @line in place into words; "double quotes" group, # comments. */
static int split_line(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return argc;
		if (argc == max)
			return -1;
		if (*p == '"') {
			argv[argc++] = ++p;
			p = strchr(p, '"');
			if (!p)
				return -1;
		} else {
			argv[argc++] = p;
			p += strcspn(p, " \t\r\n");
			if (!*p)
				return argc;
		}
		*p++ = '\0';
	}
}

static int do_batch(struct lbnic_ctx *ctx, const char *name, bool force)
{
	char *argv[BATCH_MAX_ARGS];
	FILE *f = stdin;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	int ret = 0;
	int argc;

	if (strcmp(name, "-")) {
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr, "Error: cannot open batch file \"%s\": %s.\n",
				name, strerror(errno));
			return -1;
		}
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = split_line(line, argv, BATCH_MAX_ARGS);
		if (argc == 0)
			continue;
		if (argc < 0) {
			fprintf(stderr, "Error: %s:%d: unbalanced quote or too many arguments.\n",
				name, lineno);
		} else if (!do_cmd(ctx, argc, argv)) {
			continue;
		}
		fprintf(stderr, "Command failed %s:%d\n", name, lineno);
		ret = -1;
		if (!force)
			break;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

static int netns_switch(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		fprintf(stderr, "Error: invalid network namespace name \"%s\".\n",
			name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot open network namespace \"%s\": %s.\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "Error: cannot enter network namespace \"%s\": %s.\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct lbnic_ctx ctx = { 0 };
	const char *batch = NULL;
	bool force = false;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0];

		if (!strcmp(opt, "-j") || !strcmp(opt, "-json")) {
			ctx.json = true;
		} else if (!strcmp(opt, "-p") || !strcmp(opt, "-pretty")) {
			ctx.pretty = true;
		} else if (!strcmp(opt, "-s") || !strcmp(opt, "-statistics")) {
			ctx.stats = true;
		} else if (!strcmp(opt, "-force")) {
			force = true;
		} else if (!strcmp(opt, "-n") || !strcmp(opt, "-netns") ||
			   !strcmp(opt, "-b") || !strcmp(opt, "-batch")) {
			if (argc < 2) {
				fprintf(stderr, "Error: option \"%s\" needs an argument.\n",
					opt);
				return 1;
			}
			argc--, argv++;
			if (opt[1] == 'b') {
				batch = argv[0];
			} else if (netns_switch(argv[0])) {
				return 1;
			}
		} else if (!strcmp(opt, "-V") || !strcmp(opt, "-Version")) {
			printf("lbnic utility, %s\n", LBNIC_UTIL_VERSION);
			return 0;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "-help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "Error: option \"%s\" is unknown, try \"lbnic -help\".\n",
				opt);
			return 1;
		}
	}

	if (batch) {
		if (argc > 0) {
			fprintf(stderr, "Error: -batch takes no OBJECT on the command line.\n");
			return 1;
		}
		ret = do_batch(&ctx, batch, force);
	} else if (argc > 0) {
		ret = do_cmd(&ctx, argc, argv);
	} else {
		usage(stderr);
		ret = -1;
	}
	lbnic_nl_close(&ctx.nl);
	return ret ? 1 : 0;
}
