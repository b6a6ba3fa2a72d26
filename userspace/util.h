/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic CLI: addresses, ports and protocols on the command line.
 */
#ifndef LBNIC_UTIL_H
#define LBNIC_UTIL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

struct lbnic_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t bytes[16];
	uint16_t port;		/* host order; 0 when not given */
};

/* A u32 argument; prints "Error: ..." naming @what and returns -1 if not. */
int lbnic_get_u32(uint32_t *val, const char *arg, const char *what);
/* "10.0.0.1", "2001:db8::1" */
int lbnic_parse_addr(struct lbnic_addr *a, const char *arg, const char *what);
/* "10.0.0.1:80", "[2001:db8::1]:80" */
int lbnic_parse_addr_port(struct lbnic_addr *a, const char *arg,
			  const char *what);
int lbnic_parse_proto(uint8_t *proto, const char *arg);
const char *lbnic_proto_name(uint8_t proto);

/* Attribute payload to a struct lbnic_addr; -1 if malformed. */
int lbnic_attr_addr(const struct nlattr *attr, struct lbnic_addr *a);
/*
 * The address attribute tb[@addr] and its port tb[@port] (validated
 * tables: mnlu_parse()) into @a; -1, @a untouched, unless both are there.
 */
int lbnic_attr_endpoint(const struct nlattr **tb, int addr, int port,
			struct lbnic_addr *a);
void lbnic_put_addr(struct nlmsghdr *nlh, uint16_t type,
		    const struct lbnic_addr *a);
/* "10.0.0.1" or "2001:db8::1"; with_port adds ":80" or "[...]:80". */
const char *lbnic_fmt_addr(const struct lbnic_addr *a, int with_port,
			   char *buf, size_t len);

#endif
