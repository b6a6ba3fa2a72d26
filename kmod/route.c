// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: an http service's named pools and the routes that choose them.
 *
 * A route sends the requests whose Host and path it matches to a pool;
 * the rest go to the service's own backends, its default pool.  The route
 * list is kept most specific first (exact host, then the longest "*."
 * suffix, then any host; within one host, the longest path prefix), so
 * the datapath takes the first route that matches.  It walks the list
 * once per connection, at its first request header: at most
 * LBNIC_ROUTES_MAX short comparisons, and none per packet.
 */
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include "route.h"
#include "sched.h"
#include "service.h"

/* "default" is the service's own backends. */
struct lbnic_pool *lbnic_pool_find(struct lbnic_service *svc, const char *name)
{
	struct lbnic_pool *pool;

	lockdep_assert_held(&svc->ln->lock);
	if (!strcmp(name, "default"))
		return &svc->pool;
	list_for_each_entry(pool, &svc->pools, list)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
}

/* Under ln->lock: pool @n, 0 the default one; NULL past the last. */
struct lbnic_pool *lbnic_pool_nth(struct lbnic_service *svc, unsigned long n)
{
	struct lbnic_pool *pool;

	lockdep_assert_held(&svc->ln->lock);
	if (!n)
		return &svc->pool;
	list_for_each_entry(pool, &svc->pools, list)
		if (!--n)
			return pool;
	return NULL;
}

/* ASCII only: the kernel's isalnum() takes Latin-1 letters too. */
static bool lbnic_route_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool lbnic_pool_name_ok(const char *name)
{
	for (; *name; name++)
		if (!lbnic_route_alnum(*name) && !strchr("_.-", *name))
			return false;
	return true;
}

int lbnic_pool_add(struct lbnic_service *svc, const char *name,
		   const struct lbnic_sched_ops *sched,
		   struct netlink_ext_ack *extack)
{
	struct lbnic_pool *pool;
	int err;

	lockdep_assert_held(&svc->ln->lock);
	if (!*name || !lbnic_pool_name_ok(name)) {
		NL_SET_ERR_MSG(extack, "pool name must be letters, digits, '_', '.' or '-'");
		return -EINVAL;
	}
	if (lbnic_pool_find(svc, name)) {
		NL_SET_ERR_MSG(extack, "pool already exists");
		return -EEXIST;
	}
	if (svc->n_pools >= LBNIC_POOLS_MAX) {
		NL_SET_ERR_MSG(extack, "service has too many pools");
		return -ENOSPC;
	}
	pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);
	if (!pool)
		return -ENOMEM;
	pool->svc = svc;
	pool->sched = sched ?: svc->pool.sched;
	INIT_LIST_HEAD(&pool->backends);
	strscpy(pool->name, name, sizeof(pool->name));
	/* An empty snapshot: the scheduler's, so a pick finds no backend. */
	err = lbnic_sched_rebuild(pool);
	if (err)
		goto err_sched;
	list_add_tail(&pool->list, &svc->pools);
	svc->n_pools++;
	lbnic_http_gen_bump(svc->ln);
	return 0;

err_sched:
	kfree(pool);
	return err;
}

/* Its backends go as a backend del without flush: connections run on. */
int lbnic_pool_del(struct lbnic_pool *pool, struct netlink_ext_ack *extack)
{
	struct lbnic_service *svc = pool->svc;
	struct lbnic_route *r;

	lockdep_assert_held(&svc->ln->lock);
	if (pool == &svc->pool) {
		NL_SET_ERR_MSG(extack, "the default pool goes only with its service");
		return -EINVAL;
	}
	list_for_each_entry(r, &svc->routes, list) {
		if (r->pool == pool) {
			NL_SET_ERR_MSG(extack, "pool is in use by a route: delete the route first");
			return -EBUSY;
		}
	}
	list_del(&pool->list);
	svc->n_pools--;
	lbnic_http_gen_bump(svc->ln);
	lbnic_sched_release(pool);
	lbnic_pool_empty(pool);
	/* Readers that found it through a route finish with it first. */
	kfree_rcu(pool, rcu);
	return 0;
}

/* Higher is more specific: a list in this order finds the best first. */
static u64 lbnic_route_rank(const struct lbnic_route *r)
{
	u64 class = r->host_len ? (r->wild ? 1 : 2) : 0;

	return class << 48 | (u64)r->host_len << 16 | r->path_len;
}

/*
 * A name of labels (no empty one) or a bracketed IP literal, as a Host
 * field carries them but without the port, which is not compared.
 */
int lbnic_route_host_check(const char *host, struct netlink_ext_ack *extack)
{
	const char *p = host;
	size_t n;

	if (!strncmp(p, "*.", 2))
		p += 2;
	n = strlen(p);
	if (*p == '[' && p == host) {
		if (n < 3 || p[n - 1] != ']')
			goto err;
		for (p++; *p != ']'; p++)
			if (!isxdigit(*p) && !strchr(":.", *p))
				goto err;
		if (p[1])
			goto err;
		return 0;
	}
	if (!n || *p == '.' || p[n - 1] == '.' || strstr(p, ".."))
		goto err;
	for (; *p; p++)
		if (!lbnic_route_alnum(*p) && !strchr("-_.", *p))
			goto err;
	return 0;
err:
	NL_SET_ERR_MSG(extack,
		       "route host must be a name (letters, digits, '-', '.'), \"*.\" and a name, or an IP literal in brackets");
	return -EINVAL;
}

int lbnic_route_path_check(const char *path, struct netlink_ext_ack *extack)
{
	const char *p;

	if (*path != '/')
		goto err;
	/*
	 * What a request target's path may hold (RFC 9112 3.2): no space, no
	 * control; no query or fragment, which the path compared has not.
	 */
	for (p = path; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#')
			goto err;
	return 0;
err:
	NL_SET_ERR_MSG(extack,
		       "route path must start with '/', without space, control, '?' or '#'");
	return -EINVAL;
}

/* Under ln->lock; @host and @path "" for any. */
struct lbnic_route *lbnic_route_find(struct lbnic_service *svc,
				     const char *host, const char *path)
{
	struct lbnic_route *r;
	bool wild = !strncmp(host, "*.", 2);

	if (wild)
		host++;
	list_for_each_entry(r, &svc->routes, list)
		if (r->wild == wild && !strcasecmp(r->host, host) &&
		    !strcmp(r->path, path))
			return r;
	return NULL;
}

int lbnic_route_add(struct lbnic_service *svc, const char *host,
		    const char *path, struct lbnic_pool *pool,
		    struct netlink_ext_ack *extack)
{
	size_t hlen = strlen(host), plen = strlen(path);
	struct lbnic_route *r, *pos;

	lockdep_assert_held(&svc->ln->lock);
	if (lbnic_route_find(svc, host, path)) {
		NL_SET_ERR_MSG(extack, "route with this host and path already exists");
		return -EEXIST;
	}
	if (svc->n_routes >= LBNIC_ROUTES_MAX) {
		NL_SET_ERR_MSG(extack, "service has too many routes");
		return -ENOSPC;
	}
	r = kzalloc(struct_size(r, key, hlen + plen + 2), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->pool = pool;
	r->wild = !strncmp(host, "*.", 2);
	r->host = r->key;
	/* "*.example.com" is kept as ".example.com": a suffix to compare. */
	r->host_len = hlen - r->wild;
	memcpy(r->host, host + r->wild, r->host_len);
	string_lower(r->host, r->host);
	r->path = r->host + r->host_len + 1;
	r->path_len = plen;
	memcpy(r->path, path, plen);

	list_for_each_entry(pos, &svc->routes, list)
		if (lbnic_route_rank(pos) < lbnic_route_rank(r))
			break;
	/* Before @pos, or last if the loop ran out: published whole. */
	list_add_tail_rcu(&r->list, &pos->list);
	svc->n_routes++;
	lbnic_http_gen_bump(svc->ln);
	return 0;
}

void lbnic_route_del(struct lbnic_route *r)
{
	struct lbnic_service *svc = r->pool->svc;

	lockdep_assert_held(&svc->ln->lock);
	list_del_rcu(&r->list);
	svc->n_routes--;
	lbnic_http_gen_bump(svc->ln);
	kfree_rcu(r, rcu);
}

/* With its service, once that is out of the datapath's reach. */
void lbnic_routes_drop(struct lbnic_service *svc)
{
	struct lbnic_route *r, *rtmp;
	struct lbnic_pool *pool, *ptmp;

	lockdep_assert_held(&svc->ln->lock);
	list_for_each_entry_safe(r, rtmp, &svc->routes, list)
		lbnic_route_del(r);
	list_for_each_entry_safe(pool, ptmp, &svc->pools, list) {
		list_del(&pool->list);
		svc->n_pools--;
		lbnic_http_gen_bump(svc->ln);
		lbnic_pool_empty(pool);
		kfree_rcu(pool, rcu);
	}
}

static bool lbnic_route_match(const struct lbnic_route *r, const char *host,
			      int hlen, const char *path, u32 plen)
{
	if (r->host_len) {
		if (r->wild) {
			if (hlen <= r->host_len ||
			    memcmp(host + hlen - r->host_len, r->host, r->host_len))
				return false;
		} else if (hlen != r->host_len || memcmp(host, r->host, hlen)) {
			return false;
		}
	}
	return plen >= r->path_len && !memcmp(path, r->path, r->path_len);
}

struct lbnic_pool *lbnic_route_pick(struct lbnic_service *svc, const char *buf,
				    const struct lbnic_http_req *req)
{
	const char *path = buf + req->path_off;
	char host[LBNIC_ROUTE_HOST_MAX];
	u32 plen = req->path_len;
	struct lbnic_route *r;
	int hlen;

	if (list_empty(&svc->routes))
		return &svc->pool;
	/* Longer than any name: only routes for any host can match. */
	hlen = lbnic_http_host(buf, req, host, sizeof(host));
	/* "http://host" asks for "/" (RFC 9112 3.2.2). */
	if (!plen) {
		path = "/";
		plen = 1;
	}
	list_for_each_entry_rcu(r, &svc->routes, list)
		if (lbnic_route_match(r, host, hlen, path, plen))
			return r->pool;
	return &svc->pool;
}
