// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/http_parse.c.  Besides memory errors and
 * undefined behaviour (built with ASan and UBSan), it checks what the
 * module relies on: the outcome does not depend on how the bytes were cut
 * into segments, a complete header's offsets lie inside it, errors are the
 * statuses the module answers with, and a body is consumed alike whole and
 * byte by byte.  Its first input byte picks the limits and a cut.
 */
#include <stdlib.h>
#include <string.h>

#include "http_parse.h"

#define check(x) do { if (!(x)) __builtin_trap(); } while (0)

struct outcome {
	enum lbnic_http_result r;
	u16 status;
	struct lbnic_http_req req;
};

static struct outcome run(const char *buf, u32 len, u32 step, u32 cut,
			  const struct lbnic_http_limits *lim)
{
	struct lbnic_http_scan s;
	struct outcome o, again;
	u32 end = 0;

	memset(&o, 0, sizeof(o));
	lbnic_http_scan_init(&s);
	do {
		end = step ? (end + step < len ? end + step : len) :
			     (end < cut ? cut : len);
		o.r = lbnic_http_parse(&s, buf, end, lim, &o.req, &o.status);
		check(s.pos <= end);
		/* Never "more" once the limit is reached. */
		check(o.r != LBNIC_HTTP_MORE || end < lim->max_header);
	} while (o.r == LBNIC_HTTP_MORE && end < len);
	/* A result is final: asked again, the parser says the same. */
	if (o.r != LBNIC_HTTP_MORE) {
		memset(&again, 0, sizeof(again));
		again.r = lbnic_http_parse(&s, buf, len, lim, &again.req, &again.status);
		check(again.r == o.r);
		check(o.r == LBNIC_HTTP_DONE ? !memcmp(&again.req, &o.req, sizeof(o.req)) :
					       again.status == o.status);
	}
	if (o.r != LBNIC_HTTP_DONE)
		memset(&o.req, 0, sizeof(o.req));
	if (o.r != LBNIC_HTTP_ERROR)
		o.status = 0;
	return o;
}

static int feed(struct lbnic_http_body *b, const char *buf, u32 len, u32 step,
		const struct lbnic_http_limits *lim, bool *done)
{
	int sum = 0, r;
	u32 i;

	*done = false;
	for (i = 0; i < len && !*done; i += step) {
		u32 n = len - i < step ? len - i : step;

		r = lbnic_http_body_feed(b, buf + i, n, lim, done);
		if (r < 0)
			return -1;
		check((u32)r <= n);
		/* Only the end of the body leaves bytes unconsumed. */
		check((u32)r == n || *done);
		sum += r;
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct lbnic_http_limits lim = { LBNIC_HTTP_MAX_HEADER, LBNIC_HTTP_MAX_FIELDS };
	struct outcome whole, bytes, two;
	struct lbnic_http_body b1, b2;
	const char *buf;
	bool d1, d2;
	u32 len, rest;
	int r1, r2;
	char *copy;

	if (size < 1 || size > 65536)
		return 0;
	if (data[0] & 0x80) {
		lim.max_header = 64 + (data[0] & 0x3f) * 8;
		lim.max_fields = data[0] & 0x07;
	}
	len = size - 1;
	/* Its own allocation, so that ASan sees a read past the end. */
	copy = malloc(len ? len : 1);
	memcpy(copy, data + 1, len);
	buf = copy;

	whole = run(buf, len, 0, len, &lim);
	bytes = run(buf, len, 1, 0, &lim);
	two = run(buf, len, 0, len ? (data[0] * 131u) % len : 0, &lim);
	check(!memcmp(&whole, &bytes, sizeof(whole)));
	check(!memcmp(&whole, &two, sizeof(whole)));

	if (whole.r == LBNIC_HTTP_ERROR)
		check(whole.status == 400 || whole.status == 431 ||
		      whole.status == 501 || whole.status == 505);
	if (whole.r == LBNIC_HTTP_DONE) {
		const struct lbnic_http_req *q = &whole.req;
		char host[256];

		check(q->header_len <= len && q->header_len <= lim.max_header);
		check(buf[q->header_len - 1] == '\n');
		check(q->insert_at < q->header_len && buf[q->insert_at] != ' ');
		check(q->start + q->method_len < q->insert_at);
		check(q->path_off + q->path_len <= q->insert_at);
		check(q->host_off + q->host_len <= q->insert_at);
		check(q->minor <= 1);
		lbnic_http_host(buf, q, host, sizeof(host));

		rest = len - q->header_len;
		lbnic_http_body_init(&b1, q);
		lbnic_http_body_init(&b2, q);
		r1 = feed(&b1, buf + q->header_len, rest, rest ? rest : 1, &lim, &d1);
		r2 = feed(&b2, buf + q->header_len, rest, 1, &lim, &d2);
		check(r1 == r2 && d1 == d2);
		check(r1 <= (int)rest);
	}
	free(copy);
	return 0;
}
