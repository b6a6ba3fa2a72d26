// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: netlink commands on the pools and routes of http services.
 */
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"
#include "route.h"
#include "sched.h"

/* The pool @attr names in @svc; the default pool if there is no @attr. */
struct lbnic_pool *lbnic_nl_pool_lookup(struct lbnic_service *svc,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	struct lbnic_pool *pool;

	if (!attr)
		return &svc->pool;
	if (svc->mode != LBNIC_MODE_HTTP) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "pools and routes are for http services only");
		return ERR_PTR(-EOPNOTSUPP);
	}
	pool = lbnic_pool_find(svc, nla_data(attr));
	if (!pool) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "pool not found");
		return ERR_PTR(-ENOENT);
	}
	return pool;
}

/* The http service LBNIC_A_SERVICE names, and @type's nest parsed. */
static struct lbnic_service *lbnic_nl_http_args(struct lbnic_net *ln,
						struct genl_info *info,
						int type, struct nlattr **tb,
						int max,
						const struct nla_policy *policy)
{
	struct lbnic_service *svc;
	int err;

	lockdep_assert_held(&ln->lock);
	if (LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, LBNIC_A_SERVICE,
			       "missing service attribute"))
		return ERR_PTR(-EINVAL);
	if (type == LBNIC_A_POOL ?
	    LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, type,
			       "missing pool attribute") :
	    LBNIC_REQUIRE_ATTR(info->extack, NULL, info->attrs, type,
			       "missing route attribute"))
		return ERR_PTR(-EINVAL);
	err = nla_parse_nested(tb, max, info->attrs[type], policy, info->extack);
	if (err)
		return ERR_PTR(err);
	svc = lbnic_nl_service_lookup(ln, info->attrs[LBNIC_A_SERVICE],
				      info->extack);
	if (IS_ERR(svc))
		return svc;
	if (svc->mode != LBNIC_MODE_HTTP) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LBNIC_A_SERVICE],
				    "pools and routes are for http services only");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return svc;
}

int lbnic_nl_new_pool(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	const struct lbnic_sched_ops *sched = NULL;
	struct nlattr *tb[LBNIC_POOL_A_MAX + 1];
	struct lbnic_service *svc;
	int err;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_http_args(ln, info, LBNIC_A_POOL, tb, LBNIC_POOL_A_MAX,
				 lbnic_pool_policy);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	err = -EINVAL;
	if (LBNIC_REQUIRE_ATTR(info->extack, info->attrs[LBNIC_A_POOL], tb,
			       LBNIC_POOL_A_NAME, "missing pool name"))
		goto out;
	if (tb[LBNIC_POOL_A_SCHED]) {
		sched = lbnic_sched_find(nla_data(tb[LBNIC_POOL_A_SCHED]));
		if (!sched) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[LBNIC_POOL_A_SCHED],
					    "unknown scheduler (maglev, wrr, lc, sh)");
			err = -ENOENT;
			goto out;
		}
	}
	err = lbnic_pool_add(svc, nla_data(tb[LBNIC_POOL_A_NAME]), sched,
			     info->extack);
	if (err)
		NL_SET_BAD_ATTR(info->extack, tb[LBNIC_POOL_A_NAME]);
out:
	mutex_unlock(&ln->lock);
	return err;
}

int lbnic_nl_del_pool(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_POOL_A_MAX + 1];
	struct lbnic_service *svc;
	struct lbnic_pool *pool;
	int err;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_http_args(ln, info, LBNIC_A_POOL, tb, LBNIC_POOL_A_MAX,
				 lbnic_pool_policy);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	err = -EINVAL;
	if (LBNIC_REQUIRE_ATTR(info->extack, info->attrs[LBNIC_A_POOL], tb,
			       LBNIC_POOL_A_NAME, "missing pool name"))
		goto out;
	pool = lbnic_nl_pool_lookup(svc, tb[LBNIC_POOL_A_NAME], info->extack);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto out;
	}
	err = lbnic_pool_del(pool, info->extack);
	if (err)
		NL_SET_BAD_ATTR(info->extack, tb[LBNIC_POOL_A_NAME]);
out:
	mutex_unlock(&ln->lock);
	return err;
}

/* The service a GET_POOL or GET_ROUTE dump names.  Under ln->lock. */
static struct lbnic_service *lbnic_nl_dump_svc(struct lbnic_net *ln,
					       struct netlink_callback *cb)
{
	struct nlattr **attrs = lbnic_dump_attrs(cb);

	if (LBNIC_REQUIRE_ATTR(cb->extack, NULL, attrs, LBNIC_A_SERVICE,
			       "missing service attribute"))
		return ERR_PTR(-EINVAL);
	return lbnic_nl_service_lookup(ln, attrs[LBNIC_A_SERVICE], cb->extack);
}

static int lbnic_nl_fill_pool(struct sk_buff *skb, const struct list_head *node,
			      struct netlink_callback *cb)
{
	const struct lbnic_pool *pool = list_entry(node, struct lbnic_pool, list);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lbnic_genl_family, NLM_F_MULTI, LBNIC_CMD_GET_POOL);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LBNIC_A_POOL);
	if (!nest ||
	    nla_put_string(skb, LBNIC_POOL_A_NAME, pool->name) ||
	    nla_put_string(skb, LBNIC_POOL_A_SCHED, pool->sched->name) ||
	    nla_put_u32(skb, LBNIC_POOL_A_BACKENDS, pool->n_backends)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * A dump of the list at @off in the service the request names, one
 * message an element; cb->args[0] counts those already sent.  It resumes
 * by position, so a change between two of its parts could skip or repeat
 * an element: the generation marks such a part NLM_F_DUMP_INTR.
 */
static int lbnic_nl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			      size_t off,
			      int (*fill)(struct sk_buff *skb,
					  const struct list_head *node,
					  struct netlink_callback *cb))
{
	struct lbnic_net *ln = lbnic_pernet(sock_net(skb->sk));
	unsigned long skip = cb->args[0], i = 0;
	struct lbnic_service *svc;
	struct list_head *node;
	int err = 0;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_dump_svc(ln, cb);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	cb->seq = ln->http_gen + 1;	/* 0 would mean "not tracked" */
	list_for_each(node, (struct list_head *)((char *)svc + off)) {
		int start = skb->len;

		if (i++ < skip)
			continue;
		err = fill(skb, node, cb);
		if (err) {
			i--;
			break;
		}
		nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + start));
	}
	cb->args[0] = i;
out:
	mutex_unlock(&ln->lock);
	return err && !skb->len ? err : skb->len;
}

int lbnic_nl_dump_pools(struct sk_buff *skb, struct netlink_callback *cb)
{
	return lbnic_nl_dump_list(skb, cb, offsetof(struct lbnic_service, pools),
				  lbnic_nl_fill_pool);
}

/* HOST and PATH as strings, "" when absent: they name a route. */
static void lbnic_nl_route_key(struct nlattr **tb, const char **host,
			       const char **path)
{
	*host = tb[LBNIC_ROUTE_A_HOST] ? nla_data(tb[LBNIC_ROUTE_A_HOST]) : "";
	*path = tb[LBNIC_ROUTE_A_PATH] ? nla_data(tb[LBNIC_ROUTE_A_PATH]) : "";
}

int lbnic_nl_new_route(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_ROUTE_A_MAX + 1];
	struct lbnic_service *svc;
	struct lbnic_pool *pool;
	const char *host, *path;
	int err;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_http_args(ln, info, LBNIC_A_ROUTE, tb, LBNIC_ROUTE_A_MAX,
				 lbnic_route_policy);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	err = -EINVAL;
	if (LBNIC_REQUIRE_ATTR(info->extack, info->attrs[LBNIC_A_ROUTE], tb,
			       LBNIC_ROUTE_A_POOL, "missing route pool"))
		goto out;
	pool = lbnic_nl_pool_lookup(svc, tb[LBNIC_ROUTE_A_POOL], info->extack);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto out;
	}
	lbnic_nl_route_key(tb, &host, &path);
	if (*host && lbnic_route_host_check(host, info->extack)) {
		NL_SET_BAD_ATTR(info->extack, tb[LBNIC_ROUTE_A_HOST]);
		goto out;
	}
	if (*path && lbnic_route_path_check(path, info->extack)) {
		NL_SET_BAD_ATTR(info->extack, tb[LBNIC_ROUTE_A_PATH]);
		goto out;
	}
	err = lbnic_route_add(svc, host, path, pool, info->extack);
	if (err)
		NL_SET_BAD_ATTR(info->extack, info->attrs[LBNIC_A_ROUTE]);
out:
	mutex_unlock(&ln->lock);
	return err;
}

int lbnic_nl_del_route(struct sk_buff *skb, struct genl_info *info)
{
	struct lbnic_net *ln = lbnic_pernet(genl_info_net(info));
	struct nlattr *tb[LBNIC_ROUTE_A_MAX + 1];
	struct lbnic_service *svc;
	const char *host, *path;
	struct lbnic_route *r;
	int err = 0;

	mutex_lock(&ln->lock);
	svc = lbnic_nl_http_args(ln, info, LBNIC_A_ROUTE, tb, LBNIC_ROUTE_A_MAX,
				 lbnic_route_policy);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	lbnic_nl_route_key(tb, &host, &path);
	r = lbnic_route_find(svc, host, path);
	if (!r) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LBNIC_A_ROUTE],
				    "route not found");
		err = -ENOENT;
		goto out;
	}
	lbnic_route_del(r);
out:
	mutex_unlock(&ln->lock);
	return err;
}

/* The host as it was given: "*." and the suffix. */
static int lbnic_nl_put_host(struct sk_buff *skb, const struct lbnic_route *r)
{
	struct nlattr *a;
	char *h;

	if (!r->wild)
		return nla_put_string(skb, LBNIC_ROUTE_A_HOST, r->host);
	a = nla_reserve(skb, LBNIC_ROUTE_A_HOST, r->host_len + 2);
	if (!a)
		return -EMSGSIZE;
	h = nla_data(a);
	h[0] = '*';
	memcpy(h + 1, r->host, r->host_len + 1);
	return 0;
}

static int lbnic_nl_fill_route(struct sk_buff *skb, const struct list_head *node,
			       struct netlink_callback *cb)
{
	const struct lbnic_route *r = list_entry(node, struct lbnic_route, list);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lbnic_genl_family, NLM_F_MULTI, LBNIC_CMD_GET_ROUTE);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LBNIC_A_ROUTE);
	if (!nest || (r->host_len && lbnic_nl_put_host(skb, r)))
		goto err_cancel;
	if ((r->path_len && nla_put_string(skb, LBNIC_ROUTE_A_PATH, r->path)) ||
	    nla_put_string(skb, LBNIC_ROUTE_A_POOL,
			   r->pool->name[0] ? r->pool->name : "default"))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int lbnic_nl_dump_routes(struct sk_buff *skb, struct netlink_callback *cb)
{
	return lbnic_nl_dump_list(skb, cb, offsetof(struct lbnic_service, routes),
				  lbnic_nl_fill_route);
}
