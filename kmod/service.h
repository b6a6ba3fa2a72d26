/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: virtual services and their backends.
 */
#ifndef _LBNIC_SERVICE_H
#define _LBNIC_SERVICE_H

#include <linux/netlink.h>

#include "lbnic.h"

/* What identifies a service, and what a new one is made of. */
struct lbnic_service_cfg {
	union nf_inet_addr addr;
	__be16 port;
	u8 proto;
	u8 family;
	u8 mode;
	u32 flags;
	u32 maglev_size;
	const struct lbnic_sched_ops *sched;
	union nf_inet_addr snat_addr;
	u16 snat_port_min;
	u16 snat_port_max;
	u8 http_field;
};

struct lbnic_service *lbnic_service_find(struct lbnic_net *ln,
					 const union nf_inet_addr *addr,
					 __be16 port, u8 proto, u8 family);
int lbnic_service_add(struct lbnic_net *ln, const struct lbnic_service_cfg *cfg,
		      struct netlink_ext_ack *extack);
void lbnic_service_del(struct lbnic_net *ln, struct lbnic_service *svc);
void lbnic_service_del_all(struct lbnic_net *ln);

struct lbnic_backend *lbnic_backend_find(struct lbnic_pool *pool,
					 const union nf_inet_addr *addr,
					 __be16 port);
int lbnic_backend_add(struct lbnic_pool *pool, const union nf_inet_addr *addr,
		      __be16 port, u32 weight, struct netlink_ext_ack *extack);
int lbnic_backend_set_weight(struct lbnic_backend *be, u32 weight,
			     struct netlink_ext_ack *extack);
void lbnic_backend_del(struct lbnic_backend *be, bool flush);
void lbnic_pool_empty(struct lbnic_pool *pool);

struct lbnic_backend *lbnic_stateless_find(struct lbnic_net *ln,
					   const union nf_inet_addr *addr,
					   __be16 port, u8 proto, u8 family);
void lbnic_backend_put(struct lbnic_backend *be);
void lbnic_service_put(struct lbnic_service *svc);
void lbnic_backend_account(struct lbnic_backend *be, u8 old, u8 new);

static inline void lbnic_stats_add(struct lbnic_pcpu_stats __percpu *pcpu,
				   bool in, unsigned int len)
{
	struct lbnic_pcpu_stats *s = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&s->syncp);
	if (in) {
		s->c.pkts_in++;
		s->c.bytes_in += len;
	} else {
		s->c.pkts_out++;
		s->c.bytes_out += len;
	}
	u64_stats_update_end(&s->syncp);
}

static inline void lbnic_stats_inc_conns(struct lbnic_pcpu_stats __percpu *pcpu)
{
	struct lbnic_pcpu_stats *s = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&s->syncp);
	s->c.conns++;
	u64_stats_update_end(&s->syncp);
}

static inline void lbnic_backend_count_conn(struct lbnic_backend *be)
{
	lbnic_stats_inc_conns(be->stats);
	lbnic_stats_inc_conns(be->svc->stats);
}

struct lbnic_conn;
/* A lbnic_conn_match_t: the entry belongs to service @svc. */
bool lbnic_conn_of_service(const struct lbnic_conn *c, const void *svc);

void lbnic_service_no_backend(struct lbnic_service *svc);
void lbnic_stats_read(struct lbnic_pcpu_stats __percpu *pcpu,
		      atomic_t *active, atomic_t *inactive,
		      struct lbnic_stats *out);

#endif /* _LBNIC_SERVICE_H */
