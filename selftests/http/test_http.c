// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/http_parse.c, the same file the module is built from,
 * in TAP.  Every request is also parsed a byte at a time and split at every
 * position, and must come out the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_parse.h"

static const struct lbnic_http_limits lim = {
	LBNIC_HTTP_MAX_HEADER, LBNIC_HTTP_MAX_FIELDS,
};
static int n, failed;
/* Requests parsed in pieces, and those that came out differently. */
static int pieces, inconsistent;

static void ok(int cond, const char *desc)
{
	printf("%sok %d %s\n", cond ? "" : "not ", ++n, desc);
	failed += !cond;
}

struct outcome {
	enum lbnic_http_result r;
	u16 status;
	struct lbnic_http_req req;
	u32 examined;
};

/* Parses @buf[0, len) fed in pieces cut at @cuts (ascending, < len). */
static struct outcome parse_cut(const char *buf, u32 len, const u32 *cuts, int ncuts)
{
	struct lbnic_http_scan s;
	struct outcome o;
	int i;

	memset(&o, 0, sizeof(o));
	lbnic_http_scan_init(&s);
	for (i = 0; i <= ncuts; i++) {
		u32 end = i < ncuts ? cuts[i] : len;

		o.r = lbnic_http_parse(&s, buf, end, &lim, &o.req, &o.status);
		if (o.r != LBNIC_HTTP_MORE)
			break;
	}
	o.examined = s.pos;
	if (o.r != LBNIC_HTTP_DONE)
		memset(&o.req, 0, sizeof(o.req));
	if (o.r != LBNIC_HTTP_ERROR)
		o.status = 0;
	return o;
}

static int same(const struct outcome *a, const struct outcome *b)
{
	return a->r == b->r && a->status == b->status &&
	       !memcmp(&a->req, &b->req, sizeof(a->req));
}

/* Whole, byte by byte, and in two pieces cut at every position. */
static struct outcome parse(const char *buf, u32 len, int *consistent)
{
	struct outcome whole = parse_cut(buf, len, NULL, 0), o;
	u32 *cuts = malloc(sizeof(*cuts) * (len + 1)), i;

	*consistent = 1;
	for (i = 0; i + 1 < len; i++)
		cuts[i] = i + 1;
	o = parse_cut(buf, len, cuts, len ? len - 1 : 0);
	*consistent &= same(&whole, &o);
	for (i = 1; i < len; i++) {
		o = parse_cut(buf, len, &i, 1);
		*consistent &= same(&whole, &o);
	}
	free(cuts);
	return whole;
}

static struct outcome req(const char *s)
{
	int consistent;
	struct outcome o = parse(s, strlen(s), &consistent);

	pieces++;
	if (!consistent) {
		printf("# %s: pieces parse differently from the whole\n", s);
		inconsistent++;
	}
	return o;
}

static int field_is(const char *buf, u32 off, u32 len, const char *want)
{
	return len == strlen(want) && !memcmp(buf + off, want, len);
}

static void expect_status(const char *s, u16 status, const char *desc)
{
	struct outcome o = req(s);

	if (o.r != LBNIC_HTTP_ERROR || o.status != status)
		printf("# got result %d status %u\n", o.r, o.status);
	ok(o.r == LBNIC_HTTP_ERROR && o.status == status, desc);
}

static void expect_done(const char *s, const char *desc)
{
	struct outcome o = req(s);

	if (o.r != LBNIC_HTTP_DONE)
		printf("# got result %d status %u\n", o.r, o.status);
	ok(o.r == LBNIC_HTTP_DONE, desc);
}

static void test_basic(void)
{
	const char *s = "GET /api/v1?x=1 HTTP/1.1\r\nHost: Example.COM.:8080\r\n"
			"User-Agent: t\r\n\r\nBODY";
	struct outcome o = req(s);
	char host[64];

	ok(o.r == LBNIC_HTTP_DONE, "a GET is complete at its blank line");
	ok(o.req.header_len == strlen(s) - 4, "header_len ends after the blank line");
	ok(o.req.insert_at == o.req.header_len - 2, "insertion at the blank line");
	ok(field_is(s, o.req.start, o.req.method_len, "GET"), "method");
	ok(field_is(s, o.req.path_off, o.req.path_len, "/api/v1"), "path without query");
	ok(lbnic_http_host(s, &o.req, host, sizeof(host)) == 11 &&
	   !strcmp(host, "example.com"), "host lower-cased, without port and dot");
	ok(lbnic_http_host(s, &o.req, host, 11) == -1, "host too long for the buffer");
	ok(o.req.minor == 1 && (o.req.flags & LBNIC_HTTP_F_KEEPALIVE),
	   "HTTP/1.1 is keep-alive by default");
	ok(!o.req.content_length && !(o.req.flags & LBNIC_HTTP_F_CHUNKED), "no body");
}

static void test_forms(void)
{
	struct outcome o;
	const char *s;
	char host[64];

	s = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
	o = req(s);
	ok(o.r == LBNIC_HTTP_DONE && o.req.start == 4, "empty lines before the request line skipped");

	s = "GET / HTTP/1.1\nHost: a\n\n";
	o = req(s);
	ok(o.r == LBNIC_HTTP_DONE && o.req.insert_at == o.req.header_len - 1,
	   "bare LF line ends accepted");

	s = "GET http://Other.org:81/p/q?z HTTP/1.1\r\nHost: other.ORG.\r\n\r\n";
	o = req(s);
	ok(o.r == LBNIC_HTTP_DONE && lbnic_http_host(s, &o.req, host, sizeof(host)) > 0 &&
	   !strcmp(host, "other.org") && field_is(s, o.req.path_off, o.req.path_len, "/p/q"),
	   "absolute-form: host and path from the target");

	expect_status("GET http://public.example/x HTTP/1.1\r\nHost: admin.internal\r\n\r\n",
		      400, "absolute-form naming another host than Host: 400");
	expect_status("GET https://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400,
		      "an https:// target on plain HTTP: 400");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_FORWARDED),
	   "a client's own X-Forwarded-For is reported");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n");
	ok(!(o.req.flags & LBNIC_HTTP_F_REAL_IP), "  ... and is no X-Real-IP");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nx-real-IP: 127.0.0.1\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_REAL_IP),
	   "a client's own X-Real-IP is reported, in any case");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nX_Real_IP: 127.0.0.1\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_REAL_IP),
	   "  ... and spelt X_Real_IP, as CGI backends read it");
	o = req("GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: h2c\r\nExpect: 100-continue\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && !(o.req.flags & (LBNIC_HTTP_F_UPGRADE | LBNIC_HTTP_F_EXPECT)),
	   "HTTP/1.0 has no Upgrade or Expect");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade:\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && !(o.req.flags & LBNIC_HTTP_F_UPGRADE), "an empty Upgrade is none");

	s = "GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n";
	o = req(s);
	ok(o.r == LBNIC_HTTP_DONE && field_is(s, o.req.host_off, o.req.host_len, "[2001:db8::1]"),
	   "IPv6 literal host");

	s = "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n";
	o = req(s);
	ok(o.r == LBNIC_HTTP_DONE && field_is(s, o.req.path_off, o.req.path_len, "*"),
	   "OPTIONS *");

	s = "GET / HTTP/1.0\r\n\r\n";
	o = req(s);
	ok(o.r == LBNIC_HTTP_DONE && !o.req.minor && !(o.req.flags & LBNIC_HTTP_F_KEEPALIVE) &&
	   !o.req.host_len, "HTTP/1.0 without Host, not keep-alive");

	o = req("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_KEEPALIVE),
	   "HTTP/1.0 with Connection: keep-alive");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && !(o.req.flags & LBNIC_HTTP_F_KEEPALIVE),
	   "Connection: close ends keep-alive");
	o = req("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_UPGRADE), "upgrade");
	o = req("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
		"Content-Length: 5\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_EXPECT) &&
	   o.req.content_length == 5, "Expect, and a Content-Length repeated alike");
	o = req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && (o.req.flags & LBNIC_HTTP_F_CHUNKED), "chunked");
	expect_done("GET / HTTP/1.9\r\nHost: a\r\n\r\n", "a later HTTP/1.x is 1.1");
	o = req("GET / HTTP/1.1\r\nHost:\r\n\r\n");
	ok(o.r == LBNIC_HTTP_DONE && !o.req.host_len, "an empty Host");
}

static void test_errors(void)
{
	char big[LBNIC_HTTP_MAX_HEADER + 64];
	struct outcome o;
	u32 len;
	int i;

	expect_status("\x16\x03\x01\x02\x00", 400, "a TLS ClientHello: 400");
	o = parse_cut("\x16\x03", 2, NULL, 0);
	ok(o.r == LBNIC_HTTP_ERROR && o.examined == 0, "  ... at its first byte");
	expect_status("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP/2's preface: 505");
	expect_status("GET / HTTP/1.1\rHost: a\r\n\r\n", 400, "a bare CR: 400");
	expect_status("GET /\r\n\r\n", 400, "HTTP/0.9: 400");
	expect_status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "two spaces: 400");
	expect_status("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "a trailing space: 400");
	expect_status("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "a space in the target: 400");
	expect_status("GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400, "a relative target: 400");
	expect_status("GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "non-ASCII target: 400");
	expect_status("GET /#f HTTP/1.1\r\nHost: a\r\n\r\n", 400, "a fragment: 400");
	expect_status("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", 501, "CONNECT: 501");
	expect_status("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "* but for OPTIONS: 400");
	expect_status("GET / HTTP/1.1\r\n\r\n", 400, "HTTP/1.1 without Host: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Hosts: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "a Host with a space: 400");
	expect_status("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, "userinfo: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 400, "a bad port: 400");
	expect_status("GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400,
		      "userinfo in the target: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n", 400,
		      "space before the colon: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n", 400, "obs-fold: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n", 400, "no colon: 400");
	expect_status("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400, "no name: 400");
	o = parse_cut("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27, NULL, 0);
	ok(o.r == LBNIC_HTTP_ERROR && o.status == 400, "NUL in a value: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
		      "Transfer-Encoding: chunked\r\n\r\n", 400, "Content-Length and chunked: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
		      "Content-Length: 4\r\n\r\n", 400, "two Content-Lengths: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n", 400,
		      "a Content-Length list: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400,
		      "a negative Content-Length: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456789\r\n\r\n",
		      400, "a Content-Length of 19 digits: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
		      501, "another transfer coding: 501");
	expect_status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
		      "chunked in HTTP/1.0: 400");
	expect_status("GETTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT / HTTP/1.1\r\n\r\n", 400,
		      "a method of 33 bytes: 400");
	expect_status("GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400, "a tab in the target: 400");
	expect_status("GET /a{b} HTTP/1.1\r\nHost: a\r\n\r\n", 400, "braces in the target: 400");
	expect_status("GET / HTTP/1.1\r\nHost: []\r\n\r\n", 400, "an empty IPv6 literal: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\nContent_Length: 5\r\n\r\n", 400,
		      "Content_Length: 400");
	expect_status("POST / HTTP/1.1\r\nHost: a\r\ntransfer_encoding: chunked\r\n\r\n", 400,
		      "transfer_encoding: 400");
	{
		struct lbnic_http_scan s;
		struct lbnic_http_req q;
		u16 st = 0;

		lbnic_http_scan_init(&s);
		lbnic_http_parse(&s, "\x16", 1, &lim, &q, &st);
		ok(lbnic_http_parse(&s, "\x16GET / HTTP/1.0\r\n\r\n", 21, &lim, &q, &st) ==
		   LBNIC_HTTP_ERROR && st == 400, "an error stays an error");
		lbnic_http_scan_init(&s);
		lbnic_http_parse(&s, "GET / HTTP/1.0\r\n\r\n", 18, &lim, &q, &st);
		ok(lbnic_http_parse(&s, "GET / HTTP/1.0\r\n\r\nGET", 21, &lim, &q, &st) ==
		   LBNIC_HTTP_DONE && q.header_len == 18, "a complete header stays complete");
	}

	/* 100 fields pass, 101 do not. */
	for (i = 100; i <= 101; i++) {
		int f;

		len = sprintf(big, "GET / HTTP/1.1\r\nHost: a\r\n");
		for (f = 1; f < i; f++)
			len += sprintf(big + len, "X-%d: v\r\n", f);
		len += sprintf(big + len, "\r\n");
		o = parse_cut(big, len, NULL, 0);
		ok(i == 100 ? o.r == LBNIC_HTTP_DONE : o.r == LBNIC_HTTP_ERROR && o.status == 400,
		   i == 100 ? "100 fields pass" : "101 fields: 400");
	}
	/* Incomplete at exactly the limit: 431 now, not when one more comes. */
	len = sprintf(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
	memset(big + len, 'v', LBNIC_HTTP_MAX_HEADER - len);
	o = parse_cut(big, LBNIC_HTTP_MAX_HEADER, NULL, 0);
	ok(o.r == LBNIC_HTTP_ERROR && o.status == 431, "incomplete at exactly the limit: 431");
	big[LBNIC_HTTP_MAX_HEADER - 1] = '\r';
	o = parse_cut(big, LBNIC_HTTP_MAX_HEADER, NULL, 0);
	ok(o.r == LBNIC_HTTP_ERROR && o.status == 431, "  ... with a CR as its last byte too");
	/* A header of the limit passes; one byte more is 431, never complete. */
	for (i = 0; i <= 1; i++) {
		u32 want = LBNIC_HTTP_MAX_HEADER + i;

		len = sprintf(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
		memset(big + len, 'v', want - len - 4);
		memcpy(big + want - 4, "\r\n\r\n", 4);
		o = parse_cut(big, want, NULL, 0);
		ok(i == 0 ? o.r == LBNIC_HTTP_DONE && o.req.header_len == want :
			    o.r == LBNIC_HTTP_ERROR && o.status == 431,
		   i == 0 ? "a header of exactly the limit passes" : "one byte more: 431");
	}
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	o = parse_cut(big, sizeof(big), NULL, 0);
	ok(o.r == LBNIC_HTTP_ERROR && o.status == 431, "an endless request line: 431");
}

/* A body fed whole and a byte at a time; returns the bytes consumed. */
static int body(const char *hdr_and_body, int *consistent, bool *done)
{
	u32 len = strlen(hdr_and_body), i;
	struct lbnic_http_body b, b1;
	struct outcome o = parse_cut(hdr_and_body, len, NULL, 0);
	int whole, sum = 0, r;
	bool d1 = false;

	if (o.r != LBNIC_HTTP_DONE)
		return -2;
	lbnic_http_body_init(&b, &o.req);
	whole = lbnic_http_body_feed(&b, hdr_and_body + o.req.header_len,
				     len - o.req.header_len, &lim, done);
	lbnic_http_body_init(&b1, &o.req);
	for (i = o.req.header_len; i < len && !d1; i++) {
		r = lbnic_http_body_feed(&b1, hdr_and_body + i, 1, &lim, &d1);
		if (r < 0) {
			sum = -1;
			break;
		}
		sum += r;
	}
	*consistent = sum == whole && d1 == *done;
	return whole;
}

static void test_bodies(void)
{
	const char *h = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
	char buf[512];
	int c, r;
	bool done;

	snprintf(buf, sizeof(buf), "%s%s", h, "5;ext=1\r\nhello\r\nA \r\n0123456789\r\n"
		 "0\r\nTrailer: x\r\n\r\nGET");
	r = body(buf, &c, &done);
	ok(r == (int)strlen(buf) - (int)strlen(h) - 3 && done && c,
	   "chunked body with extensions and trailers ends before the next request");
	snprintf(buf, sizeof(buf), "%s%s", h, "2\nxx\n0\n\n");
	ok(body(buf, &c, &done) == -1, "bare LF in chunk framing: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "5 6\r\nhello\r\n0\r\n\r\n");
	ok(body(buf, &c, &done) == -1, "a chunk size followed by other than an extension: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "5 ;a=b\r\nhello\r\n0\r\n\r\n");
	r = body(buf, &c, &done);
	ok(r > 0 && done && c, "whitespace before a chunk extension");
	snprintf(buf, sizeof(buf), "%s%s", h, "0\r\nGET /admin HTTP/1.1\r\nHost: internal\r\n\r\n");
	ok(body(buf, &c, &done) == -1, "a request hidden in the trailers: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "0\r\n X: y\r\n\r\n");
	ok(body(buf, &c, &done) == -1, "a trailer starting with a space: malformed");
	{
		struct lbnic_http_req q = { .flags = LBNIC_HTTP_F_CHUNKED };
		struct lbnic_http_body b;
		bool d = false;

		lbnic_http_body_init(&b, &q);
		lbnic_http_body_feed(&b, "\r\n", 2, &lim, &d);
		ok(lbnic_http_body_feed(&b, "\n", 1, &lim, &d) == -1 &&
		   lbnic_http_body_feed(&b, "0\r\n\r\n", 5, &lim, &d) == -1,
		   "a malformed body stays malformed");
	}
	snprintf(buf, sizeof(buf), "%s%s", h, "5\r\nhel");
	r = body(buf, &c, &done);
	ok(r == 6 && !done && c, "a chunk not yet complete");
	snprintf(buf, sizeof(buf), "%s%s", h, "5\r\nhelloX\r\n");
	ok(body(buf, &c, &done) == -1, "data longer than its chunk: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "\r\n");
	ok(body(buf, &c, &done) == -1, "an empty chunk size: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "g\r\n");
	ok(body(buf, &c, &done) == -1, "a non-hex chunk size: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "1000000000000000\r\n");
	ok(body(buf, &c, &done) == -1, "a chunk size of 16 hex digits: malformed");
	snprintf(buf, sizeof(buf), "%s%s", h, "1\r\na\r\r\n");
	ok(body(buf, &c, &done) == -1, "a bare CR in framing: malformed");
	r = body("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET", &c, &done);
	ok(r == 3 && done && c, "Content-Length body");
	r = body("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET", &c, &done);
	ok(r == 0 && done, "no body: the next request starts at once");
}

/* Skipping body data unread is feeding it: lbnic skips what it relays. */
static void test_skip(void)
{
	struct lbnic_http_req cl = { .content_length = 10 };
	struct lbnic_http_req ch = { .flags = LBNIC_HTTP_F_CHUNKED };
	struct lbnic_http_req up = { .flags = LBNIC_HTTP_F_UPGRADE, .content_length = 3 };
	struct lbnic_http_body b;
	bool d = false;

	lbnic_http_body_init(&b, &cl);
	ok(lbnic_http_body_data(&b) == 10, "a Content-Length body is all data");
	lbnic_http_body_skip(&b, 4);
	ok(lbnic_http_body_data(&b) == 6 && !lbnic_http_body_done(&b),
	   "  ... skipped in part");
	lbnic_http_body_skip(&b, 100);
	ok(lbnic_http_body_done(&b) && !lbnic_http_body_data(&b),
	   "  ... skipping past its end stops at it");
	lbnic_http_body_init(&b, &ch);
	ok(!lbnic_http_body_data(&b), "a chunk size must be read");
	ok(lbnic_http_body_feed(&b, "5\r\n", 3, &lim, &d) == 3 &&
	   lbnic_http_body_data(&b) == 5, "  ... then its chunk is data");
	lbnic_http_body_skip(&b, 5);
	ok(!lbnic_http_body_data(&b) && !lbnic_http_body_done(&b) &&
	   lbnic_http_body_feed(&b, "\r\n0\r\n\r\n", 7, &lim, &d) == 7 && d,
	   "  ... skipped, the framing after it is read again");
	lbnic_http_body_init(&b, &up);
	d = false;
	ok(lbnic_http_body_feed(&b, "GET / HTTP/1.1\r\n\r\n", 18, &lim, &d) == 18 && !d &&
	   lbnic_http_body_data(&b) && !lbnic_http_body_done(&b),
	   "after an upgrade, everything is data, with no end");
}

/* Pipelined: each request parsed where the previous one's body ended. */
static void test_pipeline(void)
{
	const char *s = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nxy"
			"GET /b HTTP/1.1\r\nHost: b\r\n\r\n"
			"GET /c HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n";
	const char *paths[] = { "/a", "/b", "/c" };
	u32 off = 0, len = strlen(s);
	int i, good = 1;

	for (i = 0; i < 3; i++) {
		struct outcome o = parse_cut(s + off, len - off, NULL, 0);
		struct lbnic_http_body b;
		bool done = false;
		int r;

		good &= o.r == LBNIC_HTTP_DONE &&
			field_is(s + off, o.req.path_off, o.req.path_len, paths[i]);
		lbnic_http_body_init(&b, &o.req);
		r = lbnic_http_body_feed(&b, s + off + o.req.header_len,
					 len - off - o.req.header_len, &lim, &done);
		good &= r >= 0 && done;
		off += o.req.header_len + r;
		if (i == 2)
			good &= !(o.req.flags & LBNIC_HTTP_F_KEEPALIVE);
	}
	ok(good && off == len, "three pipelined requests, one with a body");
}

int main(void)
{
	printf("TAP version 13\n");
	test_basic();
	test_forms();
	test_errors();
	test_bodies();
	test_skip();
	test_pipeline();
	printf("# %d requests also parsed a byte at a time and cut at every byte\n",
	       pieces);
	ok(pieces && !inconsistent,
	   "every request parses alike whole, a byte at a time, and cut anywhere");
	printf("1..%d\n", n);
	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
