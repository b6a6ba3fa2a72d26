/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the HTTP/1.x request parser (kmod/http_parse.c).  Plain C that
 * needs only the kernel's types and string functions: it is built into
 * lbnic.ko and, unchanged, into the userspace unit tests and fuzzer, whose
 * selftests/http/include/ stands in for those two headers.
 */
#ifndef _LBNIC_HTTP_PARSE_H
#define _LBNIC_HTTP_PARSE_H

#include <linux/types.h>

/* What a request header may cost: HAProxy's defaults (bufsize - maxrewrite). */
#define LBNIC_HTTP_MAX_HEADER	15360
#define LBNIC_HTTP_MAX_FIELDS	100

struct lbnic_http_limits {
	u32 max_header;		/* bytes, request line and blank line included */
	u32 max_fields;		/* header fields */
};

/* Where a scan of one request header stands, so that it resumes. */
struct lbnic_http_scan {
	u32 pos;		/* bytes examined */
	u32 start;		/* the request line */
	u32 line;		/* where the current line starts */
	u32 fields;		/* header fields seen */
	u16 status;		/* once failed: the status to answer */
	u8 phase;		/* enum in http_parse.c */
	u8 mlen;		/* bytes of the method so far */
};

#define LBNIC_HTTP_F_CHUNKED	0x01	/* Transfer-Encoding: chunked */
#define LBNIC_HTTP_F_KEEPALIVE	0x02	/* another request may follow */
#define LBNIC_HTTP_F_UPGRADE	0x04	/* Connection: upgrade + Upgrade */
#define LBNIC_HTTP_F_EXPECT	0x08	/* Expect: 100-continue */
/* The client sent X-Forwarded-For, X-Real-IP or Forwarded itself. */
#define LBNIC_HTTP_F_FORWARDED	0x10
#define LBNIC_HTTP_F_REAL_IP	0x20	/* X-Real-IP among them */

/* A complete request header; offsets from its first byte. */
struct lbnic_http_req {
	u32 header_len;		/* through the blank line */
	u32 insert_at;		/* the blank line: where a field can be added */
	u32 start;		/* the request line (empty lines before skipped) */
	u32 method_len;		/* the method is at @start */
	u32 path_off, path_len;	/* the target's path, without its query */
	u32 host_off, host_len;	/* the authority's host, without its port */
	u64 content_length;	/* unless chunked */
	u8 minor;		/* HTTP/1.0 or HTTP/1.1 */
	u8 flags;		/* LBNIC_HTTP_F_* */
};

enum lbnic_http_result {
	LBNIC_HTTP_MORE,	/* incomplete: call again with more bytes */
	LBNIC_HTTP_DONE,	/* @req is filled */
	LBNIC_HTTP_ERROR,	/* *status is the HTTP status to answer */
};

static inline void lbnic_http_scan_init(struct lbnic_http_scan *s)
{
	*s = (struct lbnic_http_scan){ 0 };
}

/*
 * Scans the request header in @buf[0, @len): every call passes the bytes
 * of the previous ones and possibly more, and examines only the new ones,
 * so a header that arrives a byte at a time costs linear time.  Errors are
 * found as early as the bytes show them: a first byte that cannot start a
 * method fails at once, and MORE is never returned for @lim->max_header
 * bytes or more.  Once it returned DONE or ERROR it returns that again.
 */
enum lbnic_http_result lbnic_http_parse(struct lbnic_http_scan *s,
					const char *buf, u32 len,
					const struct lbnic_http_limits *lim,
					struct lbnic_http_req *req, u16 *status);

/* A request body, skipped to find where the next request starts. */
struct lbnic_http_body {
	u64 left;		/* bytes of data (or of the current chunk) */
	u32 line;		/* bytes of the current chunk-size or trailer line */
	u32 trailers;		/* trailer fields seen */
	u8 state;		/* enum in http_parse.c */
	bool cr;		/* the last byte was a CR: an LF must follow */
};

void lbnic_http_body_init(struct lbnic_http_body *b,
			  const struct lbnic_http_req *req);

/*
 * Consumes the body's bytes from @buf[0, @len), which continues what the
 * previous calls saw; returns how many were body, or -1 (then always) for
 * chunked framing that is malformed or over the limits.  *done is set once
 * the body (and a chunked body's trailers) ended: the next request starts
 * after them.  @len is below 2^31.
 */
int lbnic_http_body_feed(struct lbnic_http_body *b, const char *buf, u32 len,
			 const struct lbnic_http_limits *lim, bool *done);

/*
 * Body data left that needs no reading (of a Content-Length body, or of
 * the current chunk); skipping it is the same as feeding it.
 */
u64 lbnic_http_body_data(const struct lbnic_http_body *b);
void lbnic_http_body_skip(struct lbnic_http_body *b, u64 n);
bool lbnic_http_body_done(const struct lbnic_http_body *b);

/*
 * Writes the host of @req, lower-cased and without a trailing dot, into
 * @out (at most @size bytes); returns its length, or -1 if it does not fit.
 */
int lbnic_http_host(const char *buf, const struct lbnic_http_req *req,
		    char *out, u32 size);

#endif /* _LBNIC_HTTP_PARSE_H */
