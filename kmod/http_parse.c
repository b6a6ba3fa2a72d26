// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the HTTP/1.x request parser, for routing and header insertion.
 *
 * Everything here arrives from the client and is hostile.  The parser is
 * strict where leniency lets two parsers disagree about where a request
 * ends (request smuggling, RFC 9112 section 11.2): it refuses a request
 * with both Content-Length and Transfer-Encoding, with Content-Length
 * fields that differ, with a transfer coding other than chunked alone,
 * with obsolete line folding, whitespace before a field's colon, a bare
 * CR, or a control byte.  It accepts what real clients send: empty lines
 * before the request line, bare LF line ends, HTTP/1.0 without Host.
 *
 * It never allocates and never copies: a request is offsets into the
 * caller's buffer.  It is plain C so that the same file is unit tested
 * and fuzzed in userspace (selftests/http/).
 */
#include <linux/limits.h>
#include <linux/string.h>

#include "http_parse.h"

enum {
	LBNIC_HTTP_LEAD,	/* empty lines before the request line */
	LBNIC_HTTP_METHOD,
	LBNIC_HTTP_TARGET,	/* the rest of the request line */
	LBNIC_HTTP_FIELDS,
	LBNIC_HTTP_COMPLETE,	/* final: the same request again */
	LBNIC_HTTP_FAILED,	/* final: the same status again */
};

#define LBNIC_HTTP_MAX_METHOD	32
/* Digits of a Content-Length or a chunk size: far below 2^63, 2^60. */
#define LBNIC_HTTP_MAX_CL_DIGITS	18
#define LBNIC_HTTP_MAX_HEX_DIGITS	15
/* A chunk-size line with its extensions. */
#define LBNIC_HTTP_MAX_CHUNK_LINE	4096

/* RFC 9110 5.6.2: tchar. */
static bool lbnic_http_tchar(u8 c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

/* A byte no request header may hold: CTLs but HTAB (CR, LF are framing). */
static bool lbnic_http_ctl(u8 c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static u8 lbnic_http_lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool lbnic_http_ieq(const char *a, u32 alen, const char *lit)
{
	u32 i;

	if (alen != strlen(lit))
		return false;
	for (i = 0; i < alen; i++)
		if (lbnic_http_lower(a[i]) != (u8)lit[i])
			return false;
	return true;
}

/* As lbnic_http_ieq(), for a name spelt with "_" for some "-" of @lit. */
static bool lbnic_http_ieq_us(const char *a, u32 alen, const char *lit)
{
	bool us = false;
	u32 i;

	if (alen != strlen(lit))
		return false;
	for (i = 0; i < alen; i++) {
		if (a[i] == '_' && lit[i] == '-') {
			us = true;
			continue;
		}
		if (lbnic_http_lower(a[i]) != (u8)lit[i])
			return false;
	}
	return us;
}

/* Two hosts, each without its port, alike but for case and a final dot. */
static bool lbnic_http_host_eq(const char *buf, u32 a, u32 alen, u32 b, u32 blen)
{
	u32 i;

	if (alen && buf[a + alen - 1] == '.')
		alen--;
	if (blen && buf[b + blen - 1] == '.')
		blen--;
	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (lbnic_http_lower(buf[a + i]) != lbnic_http_lower(buf[b + i]))
			return false;
	return true;
}

/* A field value without the optional whitespace around it. */
static void lbnic_http_trim(const char *buf, u32 *off, u32 *len)
{
	while (*len && (buf[*off] == ' ' || buf[*off] == '\t')) {
		(*off)++;
		(*len)--;
	}
	while (*len && (buf[*off + *len - 1] == ' ' || buf[*off + *len - 1] == '\t'))
		(*len)--;
}

/* What RFC 3986 allows in a request-target: no fragment ("#"), no space. */
static bool lbnic_http_uri_char(u8 c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("-._~%!$&'()*+,;=:@/?", c);
}

/*
 * RFC 3986 authority: host (reg-name or [IP-literal]) and an optional
 * port; userinfo is refused (RFC 9110 4.2.4).  Sets the host's bounds.
 */
static bool lbnic_http_authority(const char *buf, u32 off, u32 len,
				 u32 *host_off, u32 *host_len)
{
	u32 i = 0, end;

	if (len && buf[off] == '[') {
		while (i < len && buf[off + i] != ']') {
			u8 c = buf[off + i];

			if (i && !(c == ':' || c == '.' || (c >= '0' && c <= '9') ||
				   (lbnic_http_lower(c) >= 'a' && lbnic_http_lower(c) <= 'f')))
				return false;
			i++;
		}
		if (i == len || i == 1)
			return false;
		end = ++i;
	} else {
		for (; i < len && buf[off + i] != ':'; i++) {
			u8 c = buf[off + i];

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c && strchr("-._~%!$&'()*+,;=", c))))
				return false;
		}
		end = i;
	}
	if (!end)
		return false;
	if (i < len) {
		if (buf[off + i] != ':')
			return false;
		for (i++; i < len; i++)
			if (buf[off + i] < '0' || buf[off + i] > '9')
				return false;
	}
	*host_off = off;
	*host_len = end;
	return true;
}

/*
 * RFC 9112 3: method SP request-target SP HTTP-version, one space each.
 * Returns 0 or the status to answer.
 */
static u16 lbnic_http_request_line(const char *buf, u32 off, u32 len,
				   struct lbnic_http_req *req, bool *absolute)
{
	u32 i, t, tlen, a, alen;
	const char *v;

	for (i = 0; i < len && buf[off + i] != ' '; i++)
		;
	req->start = off;
	req->method_len = i;
	t = i + 1;
	for (i = t; i < len && buf[off + i] != ' '; i++)
		;
	tlen = i - t;
	if (!tlen || len - i != 9)
		return 400;
	v = buf + off + i + 1;
	if (memcmp(v, "HTTP/", 5) || v[5] < '0' || v[5] > '9' || v[6] != '.' ||
	    v[7] < '0' || v[7] > '9')
		return 400;
	if (v[5] != '1')
		return 505;
	/* A later 1.x is understood as the highest this parser knows. */
	req->minor = v[7] == '0' ? 0 : 1;

	if (lbnic_http_ieq(buf + off, req->method_len, "connect"))
		return 501;	/* a tunnel: nothing to route by */
	t += off;
	for (i = 0; i < tlen; i++)
		if (!lbnic_http_uri_char(buf[t + i]))
			return 400;
	if (buf[t] == '*') {
		if (tlen != 1 || !lbnic_http_ieq(buf + off, req->method_len, "options"))
			return 400;
		req->path_off = t;
		req->path_len = 1;
		return 0;
	}
	if (buf[t] != '/') {
		/* absolute-form: its authority is the host (RFC 9112 3.2.2). */
		if (tlen <= 7 || !lbnic_http_ieq(buf + t, 7, "http://"))
			return 400;	/* https:// has no place on plain HTTP */
		a = t + 7;
		for (alen = 0; a + alen < t + tlen && buf[a + alen] != '/' &&
		     buf[a + alen] != '?'; alen++)
			;
		if (!alen || !lbnic_http_authority(buf, a, alen, &req->host_off,
						   &req->host_len))
			return 400;
		tlen -= a + alen - t;
		t = a + alen;
		*absolute = true;
	}
	for (i = 0; i < tlen && buf[t + i] != '?'; i++)
		;
	req->path_off = t;
	req->path_len = i;
	return 0;
}

/* What the fields say, gathered before it is judged. */
struct lbnic_http_fields {
	u32 hosts;
	u32 cls;		/* Content-Length fields */
	u32 tes;		/* Transfer-Encoding fields */
	bool te_chunked;
	bool conn_close, conn_keepalive, conn_upgrade, upgrade, expect;
	u32 host_off, host_len;
};

/* A comma-separated list's tokens, as Connection's (RFC 9110 7.6.1). */
static void lbnic_http_connection(const char *buf, u32 off, u32 len,
				  struct lbnic_http_fields *f)
{
	u32 i = 0, t, tlen;

	while (i < len) {
		for (t = i; i < len && buf[off + i] != ','; i++)
			;
		t += off;
		tlen = off + i - t;
		lbnic_http_trim(buf, &t, &tlen);
		if (lbnic_http_ieq(buf + t, tlen, "close"))
			f->conn_close = true;
		else if (lbnic_http_ieq(buf + t, tlen, "keep-alive"))
			f->conn_keepalive = true;
		else if (lbnic_http_ieq(buf + t, tlen, "upgrade"))
			f->conn_upgrade = true;
		i++;
	}
}

static u16 lbnic_http_content_length(const char *buf, u32 off, u32 len,
				     struct lbnic_http_req *req, u32 n)
{
	u64 v = 0;
	u32 i;

	if (!len || len > LBNIC_HTTP_MAX_CL_DIGITS)
		return 400;
	for (i = 0; i < len; i++) {
		if (buf[off + i] < '0' || buf[off + i] > '9')
			return 400;
		v = v * 10 + (buf[off + i] - '0');
	}
	/* Repeated only with the same value (RFC 9112 6.3, point 5). */
	if (n > 1 && v != req->content_length)
		return 400;
	req->content_length = v;
	return 0;
}

/* One field line, already checked to be name ":" value without CTLs. */
static u16 lbnic_http_field(const char *buf, u32 off, u32 len,
			    struct lbnic_http_req *req,
			    struct lbnic_http_fields *f)
{
	u32 n, v, vlen;

	for (n = 0; buf[off + n] != ':'; n++)
		;
	v = off + n + 1;
	vlen = len - n - 1;
	lbnic_http_trim(buf, &v, &vlen);
	if (lbnic_http_ieq(buf + off, n, "host")) {
		if (++f->hosts > 1)
			return 400;
		if (vlen && !lbnic_http_authority(buf, v, vlen, &f->host_off,
						  &f->host_len))
			return 400;
		if (!vlen)
			f->host_off = v;
	} else if (lbnic_http_ieq(buf + off, n, "content-length")) {
		return lbnic_http_content_length(buf, v, vlen, req, ++f->cls);
	} else if (lbnic_http_ieq(buf + off, n, "transfer-encoding")) {
		/* Only chunked alone: a body framed otherwise cannot be skipped. */
		if (++f->tes > 1 || !lbnic_http_ieq(buf + v, vlen, "chunked"))
			return 501;
		f->te_chunked = true;
	} else if (lbnic_http_ieq(buf + off, n, "connection")) {
		lbnic_http_connection(buf, v, vlen, f);
	} else if (lbnic_http_ieq(buf + off, n, "upgrade")) {
		f->upgrade = vlen;
	} else if (lbnic_http_ieq(buf + off, n, "expect")) {
		f->expect = lbnic_http_ieq(buf + v, vlen, "100-continue");
	} else if (lbnic_http_ieq(buf + off, n, "x-real-ip") ||
		   lbnic_http_ieq_us(buf + off, n, "x-real-ip")) {
		/* X_Real_IP too: CGI-style backends read it as X-Real-IP. */
		req->flags |= LBNIC_HTTP_F_FORWARDED | LBNIC_HTTP_F_REAL_IP;
	} else if (lbnic_http_ieq(buf + off, n, "x-forwarded-for") ||
		   lbnic_http_ieq(buf + off, n, "forwarded")) {
		req->flags |= LBNIC_HTTP_F_FORWARDED;
	} else if (lbnic_http_ieq_us(buf + off, n, "content-length") ||
		   lbnic_http_ieq_us(buf + off, n, "transfer-encoding")) {
		/* Content_Length: framing for a backend that maps "_" to "-". */
		return 400;
	}
	return 0;
}

/* The whole header is in @buf and well formed line by line: judge it. */
static u16 lbnic_http_judge(const char *buf, u32 start, u32 blank,
			    struct lbnic_http_req *req)
{
	struct lbnic_http_fields f = { 0 };
	bool absolute = false;
	u32 i = start, end;
	u16 status;

	for (end = i; buf[end] != '\n'; end++)
		;
	status = lbnic_http_request_line(buf, i, end - i - (buf[end - 1] == '\r'),
					 req, &absolute);
	if (status)
		return status;
	for (i = end + 1; i < blank; i = end + 1) {
		for (end = i; buf[end] != '\n'; end++)
			;
		status = lbnic_http_field(buf, i, end - i - (buf[end - 1] == '\r'),
					  req, &f);
		if (status)
			return status;
	}

	/* RFC 9112 3.2: HTTP/1.1 needs exactly one Host. */
	if (req->minor && !f.hosts)
		return 400;
	/*
	 * absolute-form: the target's authority is the host (RFC 9112 3.2.2),
	 * but a backend may read Host: both must name the same one.
	 */
	if (!absolute) {
		req->host_off = f.host_off;
		req->host_len = f.host_len;
	} else if (f.hosts && !lbnic_http_host_eq(buf, req->host_off, req->host_len,
						  f.host_off, f.host_len)) {
		return 400;
	}
	if (f.tes) {
		/* Both framings, or one HTTP/1.0 cannot have: smuggling. */
		if (f.cls || !req->minor)
			return 400;
		req->flags |= LBNIC_HTTP_F_CHUNKED;
	}
	if (req->minor ? !f.conn_close : f.conn_keepalive && !f.conn_close)
		req->flags |= LBNIC_HTTP_F_KEEPALIVE;
	/* HTTP/1.0 has neither (RFC 9110 7.8, 10.1.1). */
	if (req->minor && f.conn_upgrade && f.upgrade)
		req->flags |= LBNIC_HTTP_F_UPGRADE;
	if (req->minor && f.expect)
		req->flags |= LBNIC_HTTP_F_EXPECT;
	return 0;
}

/*
 * The line that ends at @end (its CR or LF) is complete: a request line is
 * checked whole, a field line for its name (its value was checked byte by
 * byte); the fields' meaning is judged once the header is complete.
 */
static u16 lbnic_http_line(struct lbnic_http_scan *s, const char *buf,
			   u32 end, const struct lbnic_http_limits *lim)
{
	struct lbnic_http_req req = { 0 };
	bool absolute = false;
	u32 i;

	if (s->phase == LBNIC_HTTP_TARGET) {
		s->phase = LBNIC_HTTP_FIELDS;
		return lbnic_http_request_line(buf, s->start, end - s->start,
					       &req, &absolute);
	}
	/* obs-fold (RFC 9112 5.2) and a missing or spaced name are refused. */
	for (i = s->line; i < end && buf[i] != ':'; i++)
		if (!lbnic_http_tchar(buf[i]))
			return 400;
	if (i == s->line || i == end)
		return 400;
	if (++s->fields > lim->max_fields)
		return 400;
	return 0;
}

enum lbnic_http_result lbnic_http_parse(struct lbnic_http_scan *s,
					const char *buf, u32 len,
					const struct lbnic_http_limits *lim,
					struct lbnic_http_req *req, u16 *status)
{
	u32 end;
	u8 c;

	if (s->phase == LBNIC_HTTP_FAILED) {
		*status = s->status;
		return LBNIC_HTTP_ERROR;
	}
	if (s->phase == LBNIC_HTTP_COMPLETE)
		goto done;
	while (s->pos < len) {
		if (s->pos >= lim->max_header)
			goto err_too_large;
		c = buf[s->pos];
		if (c == '\r') {
			/* Its LF must fit too: else 431 however the bytes came. */
			if (s->pos + 1 >= lim->max_header)
				goto err_too_large;
			/* CR only as CRLF: a parser that ends lines on it differs. */
			if (s->pos + 1 == len)
				return LBNIC_HTTP_MORE;
			if (buf[s->pos + 1] != '\n')
				goto err_bad;
			s->pos++;
			continue;
		}
		if (c != '\n') {
			switch (s->phase) {
			case LBNIC_HTTP_LEAD:
				s->phase = LBNIC_HTTP_METHOD;
				s->start = s->pos;
				s->line = s->pos;
				fallthrough;
			case LBNIC_HTTP_METHOD:
				if (c == ' ' && s->mlen) {
					s->phase = LBNIC_HTTP_TARGET;
					break;
				}
				if (!lbnic_http_tchar(c) ||
				    ++s->mlen > LBNIC_HTTP_MAX_METHOD)
					goto err_bad;
				break;
			default:
				if (lbnic_http_ctl(c))
					goto err_bad;
				/* The request line is ASCII (RFC 3986 URIs). */
				if (s->phase == LBNIC_HTTP_TARGET && c >= 0x80)
					goto err_bad;
			}
			s->pos++;
			continue;
		}

		end = s->pos - (s->pos && buf[s->pos - 1] == '\r');
		s->pos++;
		switch (s->phase) {
		case LBNIC_HTTP_LEAD:
			continue;
		case LBNIC_HTTP_METHOD:
			goto err_bad;
		case LBNIC_HTTP_FIELDS:
			if (end == s->line)
				goto done;
			break;
		}
		*status = lbnic_http_line(s, buf, end, lim);
		if (*status)
			goto err;
		s->line = s->pos;
	}
	/* Incomplete at the limit: no byte more can complete it. */
	if (s->pos >= lim->max_header)
		goto err_too_large;
	return LBNIC_HTTP_MORE;

done:
	s->phase = LBNIC_HTTP_COMPLETE;
	*req = (struct lbnic_http_req){ 0 };
	req->header_len = s->pos;
	req->insert_at = s->line;
	*status = lbnic_http_judge(buf, s->start, s->line, req);
	if (*status)
		goto err;
	return LBNIC_HTTP_DONE;

err_too_large:
	*status = 431;
	goto err;
err_bad:
	*status = 400;
err:
	s->phase = LBNIC_HTTP_FAILED;
	s->status = *status;
	return LBNIC_HTTP_ERROR;
}

enum {
	LBNIC_HTTP_B_DATA,	/* Content-Length bytes */
	LBNIC_HTTP_B_SIZE,	/* a chunk's size, in hex */
	LBNIC_HTTP_B_BWS,	/* whitespace after it: only ";" may follow */
	LBNIC_HTTP_B_EXT,	/* chunk extensions, after a ";" */
	LBNIC_HTTP_B_CHUNK,	/* a chunk's data */
	LBNIC_HTTP_B_CHUNK_END,	/* the CRLF after it */
	LBNIC_HTTP_B_TRAILER,	/* the start of a trailer line */
	LBNIC_HTTP_B_TRAILER_NAME,
	LBNIC_HTTP_B_TRAILER_VALUE,
	LBNIC_HTTP_B_DONE,
	LBNIC_HTTP_B_ERROR,	/* final: the framing was malformed */
};

void lbnic_http_body_init(struct lbnic_http_body *b,
			  const struct lbnic_http_req *req)
{
	*b = (struct lbnic_http_body){ 0 };
	/*
	 * After an upgrade the connection is the new protocol's, if the
	 * server agreed (RFC 9110 7.8), and no request follows that one can
	 * tell: all of it is data, with no end.
	 */
	if (req->flags & LBNIC_HTTP_F_UPGRADE) {
		b->left = U64_MAX;
		b->state = LBNIC_HTTP_B_DATA;
		return;
	}
	if (req->flags & LBNIC_HTTP_F_CHUNKED) {
		b->state = LBNIC_HTTP_B_SIZE;
		return;
	}
	b->left = req->content_length;
	b->state = b->left ? LBNIC_HTTP_B_DATA : LBNIC_HTTP_B_DONE;
}

static int lbnic_hex(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lbnic_http_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A line of the chunked framing ended with CRLF: what follows it. */
static u8 lbnic_http_body_eol(const struct lbnic_http_body *b)
{
	switch (b->state) {
	case LBNIC_HTTP_B_SIZE:
		if (!b->line)
			return LBNIC_HTTP_B_ERROR;
		fallthrough;
	case LBNIC_HTTP_B_BWS:
	case LBNIC_HTTP_B_EXT:
		return b->left ? LBNIC_HTTP_B_CHUNK : LBNIC_HTTP_B_TRAILER;
	case LBNIC_HTTP_B_CHUNK_END:
		return LBNIC_HTTP_B_SIZE;
	case LBNIC_HTTP_B_TRAILER_VALUE:
		return LBNIC_HTTP_B_TRAILER;
	case LBNIC_HTTP_B_TRAILER:	/* the empty line that ends the body */
		return LBNIC_HTTP_B_DONE;
	default:	/* a trailer without a colon */
		return LBNIC_HTTP_B_ERROR;
	}
}

/*
 * One byte of a chunked body's framing, not CR or LF; false if malformed.
 * Trailers are field lines (RFC 9112 7.1.2), held to the header's rules:
 * a parser that stops at the last chunk must not find a request in them.
 */
static bool lbnic_http_body_byte(struct lbnic_http_body *b, u8 c,
				 const struct lbnic_http_limits *lim)
{
	int d;

	switch (b->state) {
	case LBNIC_HTTP_B_SIZE:
		d = lbnic_hex(c);
		if (d >= 0) {
			/* Leading zeros count too: a 16-digit size fails closed. */
			if (b->line > LBNIC_HTTP_MAX_HEX_DIGITS)
				return false;
			b->left = b->left << 4 | d;
			return true;
		}
		if (b->line == 1)
			return false;
		fallthrough;
	case LBNIC_HTTP_B_BWS:
		/* chunk-ext = *( BWS ";" BWS ext-name [ ... ] ) (RFC 9112 7.1.1) */
		if (c == ' ' || c == '\t') {
			b->state = LBNIC_HTTP_B_BWS;
			return true;
		}
		if (c != ';')
			return false;
		b->state = LBNIC_HTTP_B_EXT;
		return true;
	case LBNIC_HTTP_B_EXT:
		return b->line <= LBNIC_HTTP_MAX_CHUNK_LINE && !lbnic_http_ctl(c);
	case LBNIC_HTTP_B_TRAILER:
		if (++b->trailers > lim->max_fields)
			return false;
		b->state = LBNIC_HTTP_B_TRAILER_NAME;
		fallthrough;
	case LBNIC_HTTP_B_TRAILER_NAME:
		if (c == ':' && b->line > 1) {
			b->state = LBNIC_HTTP_B_TRAILER_VALUE;
			return true;
		}
		return b->line <= lim->max_header && lbnic_http_tchar(c);
	case LBNIC_HTTP_B_TRAILER_VALUE:
		return b->line <= lim->max_header && !lbnic_http_ctl(c);
	default:	/* after a chunk's data, only its CRLF */
		return false;
	}
}

u64 lbnic_http_body_data(const struct lbnic_http_body *b)
{
	if (b->state == LBNIC_HTTP_B_DATA || b->state == LBNIC_HTTP_B_CHUNK)
		return b->left;
	return 0;
}

void lbnic_http_body_skip(struct lbnic_http_body *b, u64 n)
{
	if (n >= lbnic_http_body_data(b)) {
		n = lbnic_http_body_data(b);
		if (!n)
			return;
	}
	b->left -= n;
	if (!b->left)
		b->state = b->state == LBNIC_HTTP_B_DATA ? LBNIC_HTTP_B_DONE :
			   LBNIC_HTTP_B_CHUNK_END;
}

bool lbnic_http_body_done(const struct lbnic_http_body *b)
{
	return b->state == LBNIC_HTTP_B_DONE;
}

int lbnic_http_body_feed(struct lbnic_http_body *b, const char *buf, u32 len,
			 const struct lbnic_http_limits *lim, bool *done)
{
	u32 i = 0, n;
	u8 c;

	while (i < len && b->state != LBNIC_HTTP_B_DONE) {
		if (b->state == LBNIC_HTTP_B_ERROR)
			return -1;
		if (b->state == LBNIC_HTTP_B_DATA || b->state == LBNIC_HTTP_B_CHUNK) {
			n = len - i < b->left ? len - i : (u32)b->left;
			i += n;
			b->left -= n;
			if (!b->left)
				b->state = b->state == LBNIC_HTTP_B_DATA ?
					   LBNIC_HTTP_B_DONE : LBNIC_HTTP_B_CHUNK_END;
			continue;
		}
		c = buf[i++];
		/* Chunked framing ends its lines with CRLF only (RFC 9112 7.1). */
		if (b->cr != (c == '\n'))
			goto err_malformed;
		if (c == '\r') {
			b->cr = true;
			continue;
		}
		if (c == '\n') {
			b->cr = false;
			b->state = lbnic_http_body_eol(b);
			b->line = 0;
			continue;
		}
		b->line++;
		if (!lbnic_http_body_byte(b, c, lim))
			goto err_malformed;
	}
	if (b->state == LBNIC_HTTP_B_ERROR)
		return -1;
	*done = b->state == LBNIC_HTTP_B_DONE;
	return i;

err_malformed:
	b->state = LBNIC_HTTP_B_ERROR;
	return -1;
}

/* Host names compare without case and without the root's dot. */
int lbnic_http_host(const char *buf, const struct lbnic_http_req *req,
		    char *out, u32 size)
{
	u32 i, n = req->host_len;

	if (n && buf[req->host_off + n - 1] == '.')
		n--;
	if (n >= size)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = lbnic_http_lower(buf[req->host_off + i]);
	out[n] = '\0';
	return n;
}
