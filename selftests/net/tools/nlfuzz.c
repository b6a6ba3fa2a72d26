// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated generic netlink messages against lbnic.ko.
 *
 * Messages are built from lbnic's own attribute tree (include/uapi/linux/
 * lbnic.h): every command, every attribute of every nest, with values drawn
 * from small pools (so that services, backends and flows collide and are
 * found again) and from boundaries, then mutated: wrong lengths and types,
 * nests where scalars go and the reverse, a missing NLA_F_NESTED, truncated
 * or lengthened attributes, flipped bytes, bad header fields.  They go out
 * in batches on one socket; every answer is read and tallied.
 *
 * It runs as root of its own user namespace, in network namespaces it makes
 * and drops every --netns-every messages, so that lbnic's limits for such
 * namespaces hold the state it can build, and namespace teardown runs with
 * whatever it built.  It prints one JSON line of counts.
 *
 *   nlfuzz [--count N] [--seed S] [--netns-every N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/lbnic.h>

#define BUFSZ		(1 << 16)
#define BATCH		32
#define MSG_MAX		1024

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: deterministic for a seed, fast, good enough. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL) >> 32;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(uint32_t one_in)
{
	return below(one_in) == 0;
}

/* What an attribute is, for the generator. */
enum kind { K_U8, K_U16, K_U32, K_U64, K_ADDR, K_STR, K_FLAG, K_NEST };

struct attr_spec {
	int type;
	enum kind kind;
	const struct attr_spec *nest;	/* K_NEST: its attributes */
	int nest_n;
};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct attr_spec stats_attrs[] = {
	{ LBNIC_STATS_A_CONNS, K_U64 }, { LBNIC_STATS_A_ACTIVE, K_U32 },
	{ LBNIC_STATS_A_PKTS_IN, K_U64 }, { LBNIC_STATS_A_NO_BACKEND, K_U64 },
};

static const struct attr_spec config_attrs[] = {
	{ LBNIC_CONFIG_A_CONN_MAX, K_U32 },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_SYN, K_U32 },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_EST, K_U32 },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_FIN, K_U32 },
	{ LBNIC_CONFIG_A_TIMEOUT_TCP_CLOSE, K_U32 },
	{ LBNIC_CONFIG_A_TIMEOUT_UDP, K_U32 },
	{ LBNIC_CONFIG_A_CONN_COUNT, K_U32 },
	{ LBNIC_CONFIG_A_CONN_BUCKETS, K_U32 },
	{ LBNIC_CONFIG_A_CONN_ENTRY_SIZE, K_U32 },
	{ LBNIC_CONFIG_A_CONN_REFUSED, K_U64 },
	{ LBNIC_CONFIG_A_OFFLOAD_PACKETS, K_U32 },
	{ LBNIC_CONFIG_A_OFFLOAD_AGE, K_U32 },
	{ LBNIC_CONFIG_A_OFFLOAD_LOST, K_U64 },
};

static const struct attr_spec service_attrs[] = {
	{ LBNIC_SERVICE_A_ADDR, K_ADDR }, { LBNIC_SERVICE_A_PORT, K_U16 },
	{ LBNIC_SERVICE_A_PROTO, K_U8 }, { LBNIC_SERVICE_A_SCHED, K_STR },
	{ LBNIC_SERVICE_A_MODE, K_U8 }, { LBNIC_SERVICE_A_FLAGS, K_U32 },
	{ LBNIC_SERVICE_A_MAGLEV_SIZE, K_U32 },
	{ LBNIC_SERVICE_A_SNAT_ADDR, K_ADDR },
	{ LBNIC_SERVICE_A_SNAT_PORT_MIN, K_U16 },
	{ LBNIC_SERVICE_A_SNAT_PORT_MAX, K_U16 },
	{ LBNIC_SERVICE_A_STATS, K_NEST, stats_attrs, N(stats_attrs) },
};

static const struct attr_spec backend_attrs[] = {
	{ LBNIC_BACKEND_A_ADDR, K_ADDR }, { LBNIC_BACKEND_A_PORT, K_U16 },
	{ LBNIC_BACKEND_A_WEIGHT, K_U32 }, { LBNIC_BACKEND_A_FLUSH, K_FLAG },
	{ LBNIC_BACKEND_A_STATS, K_NEST, stats_attrs, N(stats_attrs) },
	{ LBNIC_BACKEND_A_POOL, K_STR },
};

static const struct attr_spec pool_attrs[] = {
	{ LBNIC_POOL_A_NAME, K_STR }, { LBNIC_POOL_A_SCHED, K_STR },
	{ LBNIC_POOL_A_BACKENDS, K_U32 },
};

static const struct attr_spec route_attrs[] = {
	{ LBNIC_ROUTE_A_HOST, K_STR }, { LBNIC_ROUTE_A_PATH, K_STR },
	{ LBNIC_ROUTE_A_POOL, K_STR },
};

static const struct attr_spec dir_attrs[] = {
	{ LBNIC_FLOW_DIR_A_IIF, K_U32 }, { LBNIC_FLOW_DIR_A_SADDR, K_ADDR },
	{ LBNIC_FLOW_DIR_A_DADDR, K_ADDR }, { LBNIC_FLOW_DIR_A_SPORT, K_U16 },
	{ LBNIC_FLOW_DIR_A_DPORT, K_U16 }, { LBNIC_FLOW_DIR_A_OIF, K_U32 },
	{ LBNIC_FLOW_DIR_A_SMAC, K_ADDR }, { LBNIC_FLOW_DIR_A_DMAC, K_ADDR },
};

static const struct attr_spec flow_attrs[] = {
	{ LBNIC_FLOW_A_COOKIE, K_U64 }, { LBNIC_FLOW_A_PROTO, K_U8 },
	{ LBNIC_FLOW_A_CLIENT_ADDR, K_ADDR }, { LBNIC_FLOW_A_CLIENT_PORT, K_U16 },
	{ LBNIC_FLOW_A_VIP_ADDR, K_ADDR }, { LBNIC_FLOW_A_VIP_PORT, K_U16 },
	{ LBNIC_FLOW_A_AGE, K_U32 },
	{ LBNIC_FLOW_A_ORIG, K_NEST, dir_attrs, N(dir_attrs) },
	{ LBNIC_FLOW_A_REPLY, K_NEST, dir_attrs, N(dir_attrs) },
	{ LBNIC_FLOW_A_STATE, K_U8 }, { LBNIC_FLOW_A_ERROR, K_U32 },
	{ LBNIC_FLOW_A_LASTUSED, K_U32 },
};

static const struct attr_spec top_attrs[] = {
	{ LBNIC_A_VERSION, K_STR }, { LBNIC_A_FEATURES, K_U64 },
	{ LBNIC_A_CONFIG, K_NEST, config_attrs, N(config_attrs) },
	{ LBNIC_A_SERVICE, K_NEST, service_attrs, N(service_attrs) },
	{ LBNIC_A_BACKEND, K_NEST, backend_attrs, N(backend_attrs) },
	{ LBNIC_A_CONN, K_NEST, stats_attrs, N(stats_attrs) },
	{ LBNIC_A_FLOW, K_NEST, flow_attrs, N(flow_attrs) },
	{ LBNIC_A_NET_STATS, K_NEST, stats_attrs, N(stats_attrs) },
	{ LBNIC_A_POOL, K_NEST, pool_attrs, N(pool_attrs) },
	{ LBNIC_A_ROUTE, K_NEST, route_attrs, N(route_attrs) },
};

/* The attributes each command takes, so most messages get past the policy. */
static const int cmd_tops[][3] = {
	[LBNIC_CMD_GET_INFO] = { 0 },
	[LBNIC_CMD_SET_CONFIG] = { LBNIC_A_CONFIG },
	[LBNIC_CMD_NEW_SERVICE] = { LBNIC_A_SERVICE },
	[LBNIC_CMD_DEL_SERVICE] = { LBNIC_A_SERVICE },
	[LBNIC_CMD_GET_SERVICE] = { 0 },
	[LBNIC_CMD_NEW_BACKEND] = { LBNIC_A_SERVICE, LBNIC_A_BACKEND },
	[LBNIC_CMD_SET_BACKEND] = { LBNIC_A_SERVICE, LBNIC_A_BACKEND },
	[LBNIC_CMD_DEL_BACKEND] = { LBNIC_A_SERVICE, LBNIC_A_BACKEND },
	[LBNIC_CMD_GET_BACKEND] = { LBNIC_A_SERVICE },
	[LBNIC_CMD_GET_CONN] = { LBNIC_A_SERVICE },
	[LBNIC_CMD_FLUSH_CONN] = { LBNIC_A_SERVICE },
	[LBNIC_CMD_FLOW_READY] = { LBNIC_A_FLOW },
	[LBNIC_CMD_FLOW_GONE] = { LBNIC_A_FLOW },
	[LBNIC_CMD_GET_FLOW] = { 0 },
	[LBNIC_CMD_SET_FLOW] = { LBNIC_A_FLOW },
	[LBNIC_CMD_FLOW_RESYNC] = { 0 },
	[LBNIC_CMD_NEW_POOL] = { LBNIC_A_SERVICE, LBNIC_A_POOL },
	[LBNIC_CMD_DEL_POOL] = { LBNIC_A_SERVICE, LBNIC_A_POOL },
	[LBNIC_CMD_GET_POOL] = { LBNIC_A_SERVICE },
	[LBNIC_CMD_NEW_ROUTE] = { LBNIC_A_SERVICE, LBNIC_A_ROUTE },
	[LBNIC_CMD_DEL_ROUTE] = { LBNIC_A_SERVICE, LBNIC_A_ROUTE },
	[LBNIC_CMD_GET_ROUTE] = { LBNIC_A_SERVICE },
};

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void *put(struct buf *b, const void *data, size_t len)
{
	void *at;

	if (b->len + len > b->cap)
		len = b->cap - b->len;
	at = b->p + b->len;
	if (data)
		memcpy(at, data, len);
	else
		memset(at, 0, len);
	b->len += len;
	return at;
}

static void align(struct buf *b)
{
	static const uint8_t zero[4];

	put(b, zero, NLA_ALIGN(b->len) - b->len);
}

/* Values from pools that collide, boundaries, or anything at all. */
static uint64_t value(enum kind k, int type)
{
	static const uint32_t u32s[] = {
		0, 1, 2, 251, 257, 65537, LBNIC_CONN_MAX_MIN - 1, LBNIC_CONN_MAX_MIN,
		LBNIC_CONN_MAX_MIN + 1, 65536, LBNIC_TIMEOUT_MAX, LBNIC_TIMEOUT_MAX + 1,
		LBNIC_WEIGHT_MAX, LBNIC_WEIGHT_MAX + 1, 0x7fffffff, 0xffffffff,
	};
	static const uint16_t ports[] = { 80, 81, 8080, 0, 1, 65535, 1024, 32767 };
	static const uint8_t u8s[] = { 6, 17, 0, 1, 2, 3, 4, 255 };

	if (chance(8))
		return ((uint64_t)rnd() << 32) | rnd();
	switch (k) {
	case K_U8:
		return u8s[below(N(u8s))];
	case K_U16:
		return ports[below(N(ports))];
	case K_U32:
		/* Big maglev tables are slow to build: seldom. */
		if (type == LBNIC_SERVICE_A_MAGLEV_SIZE && !chance(500))
			return (uint32_t[]){ 251, 257, 65537, 4099, 250, 252 }[below(6)];
		return u32s[below(N(u32s))];
	case K_U64:
		return below(4);
	default:
		return 0;
	}
}

static void put_attr(struct buf *b, const struct attr_spec *s, int depth);

static void put_nest_body(struct buf *b, const struct attr_spec *specs, int n,
			  int depth)
{
	int i, count = below(6);

	/* Usually the attributes in order, once each; sometimes any. */
	for (i = 0; i < n; i++)
		if (!chance(3))
			put_attr(b, &specs[i], depth + 1);
	while (count--)
		put_attr(b, &specs[below(n)], depth + 1);
}

static void put_attr(struct buf *b, const struct attr_spec *s, int depth)
{
	static const char *const scheds[] = { "maglev", "wrr", "lc", "sh", "", "rr" };
	size_t start = b->len;
	struct nlattr *a;
	uint8_t addr[16];
	uint64_t v;
	int len = 0, type = s->type, i;
	enum kind k = s->kind;

	if (b->cap - b->len < 256 || depth > 4)
		return;
	a = put(b, NULL, NLA_HDRLEN);
	if (chance(40))
		k = (enum kind)below(K_NEST + 1);	/* the wrong type */
	if (chance(60))
		type = below(24);			/* a wrong attribute */
	switch (k) {
	case K_U8:
	case K_U16:
	case K_U32:
	case K_U64:
		v = value(k, s->type);
		len = k == K_U8 ? 1 : k == K_U16 ? 2 : k == K_U32 ? 4 : 8;
		if (chance(30))
			len = below(12);
		put(b, &v, len > 8 ? 8 : len);
		if (len > 8)
			put(b, NULL, len - 8);
		break;
	case K_ADDR:
		/* 10.0.0.1..4 and fd00::1..4, so that lookups hit. */
		memset(addr, 0, sizeof(addr));
		len = chance(2) ? 4 : 16;
		if (len == 4) {
			addr[0] = 10;
			addr[3] = 1 + below(4);
		} else {
			addr[0] = 0xfd;
			addr[15] = 1 + below(4);
		}
		if (chance(20))
			for (i = 0; i < 16; i++)
				addr[i] = rnd();
		if (chance(20))
			len = below(20);
		put(b, addr, len);
		break;
	case K_STR: {
		const char *str = scheds[below(N(scheds))];
		char junk[24];

		len = strlen(str) + 1;
		if (chance(10)) {
			for (i = 0; i < (int)sizeof(junk); i++)
				junk[i] = rnd();
			str = junk;
			len = below(sizeof(junk));
		} else if (chance(10)) {
			len--;				/* no NUL */
		}
		put(b, str, len);
		break;
	}
	case K_FLAG:
		if (chance(10))
			put(b, NULL, below(8));
		break;
	case K_NEST:
		if (s->nest)
			put_nest_body(b, s->nest, s->nest_n, depth);
		else
			put_nest_body(b, top_attrs, N(top_attrs), depth);
		if (!chance(20))
			type |= NLA_F_NESTED;
		break;
	}
	a->nla_type = type;
	a->nla_len = b->len - start;
	if (chance(50))
		a->nla_len = below(a->nla_len + 16);	/* a lying length */
	align(b);
}

/* One request, possibly mangled after it was built. */
static void build(struct buf *b, uint32_t seq, uint16_t family)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	size_t start = b->len;
	bool dump;
	int cmd, i;

	nlh = put(b, NULL, NLMSG_HDRLEN);
	g = put(b, NULL, GENL_HDRLEN);
	cmd = below(__LBNIC_CMD_MAX);
	if (chance(50))
		cmd = below(256);
	dump = cmd == LBNIC_CMD_GET_SERVICE || cmd == LBNIC_CMD_GET_BACKEND ||
	       cmd == LBNIC_CMD_GET_CONN || cmd == LBNIC_CMD_GET_FLOW;
	g->cmd = cmd;
	g->version = chance(50) ? below(4) : LBNIC_GENL_VERSION;
	g->reserved = chance(50) ? rnd() : 0;
	if (cmd < __LBNIC_CMD_MAX) {
		for (i = 0; i < 3 && cmd_tops[cmd][i]; i++)
			put_attr(b, &top_attrs[cmd_tops[cmd][i] - LBNIC_A_VERSION], 0);
	}
	if (chance(4))
		put_attr(b, &top_attrs[below(N(top_attrs))], 0);
	nlh->nlmsg_type = chance(100) ? below(64) : family;
	/* Mostly the flags the command wants: dumps for the GETs. */
	nlh->nlmsg_flags = NLM_F_REQUEST | (chance(2) ? NLM_F_ACK : 0) |
			   ((dump ? !chance(8) : chance(20)) ? NLM_F_DUMP : 0);
	if (chance(30))
		nlh->nlmsg_flags |= rnd() & 0xfff0;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_len = b->len - start;
	/* A few flipped bytes past the headers. */
	if (chance(5) && b->len - start > NLMSG_HDRLEN + GENL_HDRLEN) {
		size_t span = b->len - start - NLMSG_HDRLEN - GENL_HDRLEN;

		for (i = below(4); i >= 0; i--)
			b->p[start + NLMSG_HDRLEN + GENL_HDRLEN + below(span)] = rnd();
	}
	/* A length that lies about the message itself (the last of a batch). */
	if (chance(200))
		nlh->nlmsg_len = NLMSG_HDRLEN + below(GENL_HDRLEN + 8);
	align(b);
}

struct tally {
	unsigned long sent, replies, acks, data, errors[136], other_errors;
	unsigned long netns, overruns;
};

static int family_id(int fd)
{
	char buf[4096];
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req = { 0 };
	struct nlattr *a = (struct nlattr *)req.attrs;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	ssize_t r;
	int off;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(LBNIC_GENL_NAME);
	strcpy((char *)a + NLA_HDRLEN, LBNIC_GENL_NAME);
	req.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return -1;
	r = recv(fd, buf, sizeof(buf), 0);
	if (r < (ssize_t)NLMSG_HDRLEN || nlh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= (int)nlh->nlmsg_len;) {
		a = (struct nlattr *)(buf + off);
		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((char *)a + NLA_HDRLEN);
		off += NLA_ALIGN(a->nla_len);
	}
	return -1;
}

static int open_sock(int *family)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1, size = 8 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	*family = family_id(fd);
	if (*family < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads whatever has come, waiting a little for the batch's answers. */
static void drain(int fd, struct tally *t, int wait_ms)
{
	static uint8_t buf[BUFSZ];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t r;

	while (poll(&pfd, 1, wait_ms) > 0) {
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0) {
			if (errno == ENOBUFS)
				t->overruns++;
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno != ENOBUFS)
				return;
			continue;
		}
		for (struct nlmsghdr *nlh = (void *)buf; NLMSG_OK(nlh, r);
		     nlh = NLMSG_NEXT(nlh, r)) {
			t->replies++;
			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
				int err = -*(int *)NLMSG_DATA(nlh);

				if (!err)
					t->acks++;
				else if (err > 0 && err < 136)
					t->errors[err]++;
				else
					t->other_errors++;
			} else if (nlh->nlmsg_type != NLMSG_DONE) {
				t->data++;
			}
		}
		wait_ms = 0;
	}
}

/* A new network namespace of our user namespace; the old one goes. */
static int new_netns(int *fd, int *family, struct tally *t)
{
	if (*fd >= 0)
		close(*fd);
	if (unshare(CLONE_NEWNET) < 0) {
		perror("nlfuzz: unshare(CLONE_NEWNET)");
		return -1;
	}
	*fd = open_sock(family);
	if (*fd < 0) {
		fprintf(stderr, "nlfuzz: no lbnic family in the new namespace\n");
		return -1;
	}
	t->netns++;
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Root of a user namespace of our own: CAP_NET_ADMIN for what we make. */
static int enter_userns(void)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/uid_map", map))
		return -1;
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	return write_file("/proc/self/gid_map", map);
}

int main(int argc, char **argv)
{
	unsigned long count = 1000000, netns_every = 5000, seed = 1, i;
	static uint8_t space[BATCH * MSG_MAX];
	struct tally t = { 0 };
	int fd = -1, family = 0, e, n;
	char sep = ' ';

	for (i = 1; i + 1 < (unsigned long)argc; i += 2) {
		if (!strcmp(argv[i], "--count"))
			count = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--netns-every"))
			netns_every = strtoul(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i != (unsigned long)argc) {
		fprintf(stderr, "usage: nlfuzz [--count N] [--seed S] [--netns-every N]\n");
		return 2;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	if (enter_userns()) {
		perror("nlfuzz: user namespace");
		return 1;
	}
	while (t.sent < count) {
		struct buf b = { space, 0, sizeof(space) };

		if (t.sent % netns_every < BATCH && new_netns(&fd, &family, &t))
			return 1;
		for (n = 0; n < BATCH; n++) {
			b.cap = b.len + MSG_MAX;
			build(&b, t.sent + n, family);
		}
		if (send(fd, space, b.len, 0) < 0 && errno != EINVAL) {
			perror("nlfuzz: send");
			return 1;
		}
		t.sent += n;
		drain(fd, &t, 20);
	}
	drain(fd, &t, 200);
	printf("{\"sent\": %lu, \"replies\": %lu, \"acks\": %lu, \"data\": %lu, "
	       "\"netns\": %lu, \"overruns\": %lu, \"errors\": {",
	       t.sent, t.replies, t.acks, t.data, t.netns, t.overruns);
	for (e = 1; e < 136; e++) {
		if (!t.errors[e])
			continue;
		printf("%c\"%s\": %lu", sep, strerrorname_np(e), t.errors[e]);
		sep = ',';
	}
	printf("%c\"other\": %lu}}\n", sep, t.other_errors);
	return 0;
}
