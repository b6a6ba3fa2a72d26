/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: an http service's named pools and the routes that choose them.
 */
#ifndef _LBNIC_ROUTE_H
#define _LBNIC_ROUTE_H

#include <linux/netlink.h>

#include "http_parse.h"
#include "lbnic.h"

/*
 * Host and path to a pool.  Immutable once on svc->routes, which is kept
 * most specific first, so that the first match is the best; freed after
 * a grace period.  It does not hold its pool: a pool with routes cannot
 * be deleted.
 */
struct lbnic_route {
	struct list_head list;		/* svc->routes, RCU */
	struct lbnic_pool *pool;
	struct rcu_head rcu;
	u16 host_len;			/* 0: any host */
	u16 path_len;			/* 0: any path */
	bool wild;			/* @host is ".suffix", from "*.suffix" */
	char *host;			/* lower case, in @key */
	char *path;			/* in @key */
	char key[];			/* host NUL path NUL */
};

struct lbnic_pool *lbnic_pool_find(struct lbnic_service *svc, const char *name);
struct lbnic_pool *lbnic_pool_nth(struct lbnic_service *svc, unsigned long n);
int lbnic_pool_add(struct lbnic_service *svc, const char *name,
		   const struct lbnic_sched_ops *sched,
		   struct netlink_ext_ack *extack);
int lbnic_pool_del(struct lbnic_pool *pool, struct netlink_ext_ack *extack);

int lbnic_route_host_check(const char *host, struct netlink_ext_ack *extack);
int lbnic_route_path_check(const char *path, struct netlink_ext_ack *extack);
/* @host and @path "" for any, else passed by the checks above. */
int lbnic_route_add(struct lbnic_service *svc, const char *host,
		    const char *path, struct lbnic_pool *pool,
		    struct netlink_ext_ack *extack);
struct lbnic_route *lbnic_route_find(struct lbnic_service *svc,
				     const char *host, const char *path);
void lbnic_route_del(struct lbnic_route *r);
void lbnic_routes_drop(struct lbnic_service *svc);

/*
 * A pool or route changed.  Dumps use the generation plus one as their
 * cb->seq, which must not be 0: it wraps below U32_MAX.
 */
static inline void lbnic_http_gen_bump(struct lbnic_net *ln)
{
	lockdep_assert_held(&ln->lock);
	ln->http_gen = ln->http_gen == U32_MAX - 1 ? 0 : ln->http_gen + 1;
}

/* Under RCU: the pool for the complete request header at @buf. */
struct lbnic_pool *lbnic_route_pick(struct lbnic_service *svc, const char *buf,
				    const struct lbnic_http_req *req);

#endif /* _LBNIC_ROUTE_H */
