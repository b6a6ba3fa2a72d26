// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic CLI: addresses, ports and protocols on the command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lbnic.h"
#include "util.h"

int lbnic_parse_addr(struct lbnic_addr *a, const char *arg, const char *what)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, arg, a->bytes) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, arg, a->bytes) == 1)
		a->family = AF_INET6;
	else {
		fprintf(stderr, "Error: argument \"%s\" is wrong: %s must be an IPv4 or IPv6 address.\n",
			arg, what);
		return -1;
	}
	return 0;
}

int lbnic_parse_addr_port(struct lbnic_addr *a, const char *arg,
			  const char *what)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *host = buf, *colon;
	uint32_t port;

	if (strlen(arg) >= sizeof(buf))
		goto err;
	strcpy(buf, arg);
	if (*host == '[') {
		colon = strstr(++host, "]:");
		if (!colon)
			goto err;
		*colon++ = '\0';
	} else {
		colon = strrchr(host, ':');
		/* Bare IPv6 without brackets would be ambiguous. */
		if (!colon || strchr(host, ':') != colon)
			goto err;
	}
	*colon++ = '\0';
	if (lbnic_parse_addr(a, host, what))
		return -1;
	if (lbnic_get_u32(&port, colon, "the port") || port < 1 || port > 65535) {
		fprintf(stderr, "Error: argument \"%s\" is wrong: the port must be 1..65535.\n",
			arg);
		return -1;
	}
	a->port = port;
	return 0;
err:
	fprintf(stderr, "Error: argument \"%s\" is wrong: %s must be ADDR:PORT (IPv6: [ADDR]:PORT).\n",
		arg, what);
	return -1;
}

int lbnic_parse_proto(uint8_t *proto, const char *arg)
{
	if (!strcmp(arg, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(arg, "udp"))
		*proto = IPPROTO_UDP;
	else {
		fprintf(stderr, "Error: argument \"%s\" is wrong: proto must be tcp or udp.\n",
			arg);
		return -1;
	}
	return 0;
}

const char *lbnic_proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "?";
}

int lbnic_attr_addr(const struct nlattr *attr, struct lbnic_addr *a)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	memset(a, 0, sizeof(*a));
	if (len == 4)
		a->family = AF_INET;
	else if (len == 16)
		a->family = AF_INET6;
	else
		return -1;
	memcpy(a->bytes, mnl_attr_get_payload(attr), len);
	return 0;
}

int lbnic_attr_endpoint(const struct nlattr **tb, int addr, int port,
			struct lbnic_addr *a)
{
	if (!tb[addr] || !tb[port] || lbnic_attr_addr(tb[addr], a))
		return -1;
	a->port = mnl_attr_get_u16(tb[port]);
	return 0;
}

void lbnic_put_addr(struct nlmsghdr *nlh, uint16_t type,
		    const struct lbnic_addr *a)
{
	mnl_attr_put(nlh, type, a->family == AF_INET ? 4 : 16, a->bytes);
}

const char *lbnic_fmt_addr(const struct lbnic_addr *a, int with_port,
			   char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->bytes, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (!with_port)
		snprintf(buf, len, "%s", host);
	else if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, a->port);
	else
		snprintf(buf, len, "%s:%u", host, a->port);
	return buf;
}

int lbnic_get_u32(uint32_t *val, const char *arg, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (!*arg || *end || *arg == '-' || errno || v > UINT32_MAX) {
		fprintf(stderr,
			"Error: argument \"%s\" is wrong: %s must be an unsigned 32-bit number.\n",
			arg, what);
		return -1;
	}
	*val = v;
	return 0;
}
