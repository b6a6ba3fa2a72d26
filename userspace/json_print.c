// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer behind the iproute2-style print_*() calls.  Text goes
 * to stdout as formatted; JSON is built on stdout as the calls arrive, with
 * a stack remembering whether a separator is due at each nesting level.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_print.h"

#define JSON_MAX_DEPTH 16

static struct {
	bool enabled;
	bool pretty;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
} js;

bool is_json_context(void)
{
	return js.enabled;
}

static void json_indent(void)
{
	int i;

	if (!js.pretty)
		return;
	putchar('\n');
	for (i = 0; i < js.depth; i++)
		fputs("    ", stdout);
}

static void json_escape(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Starts a member: separator, indentation and the key if inside an object. */
static void json_member(const char *key)
{
	if (js.depth > 0) {
		if (js.need_comma[js.depth])
			putchar(',');
		js.need_comma[js.depth] = true;
		json_indent();
	}
	if (key) {
		json_escape(key);
		fputs(js.pretty ? ": " : ":", stdout);
	}
}

static void json_open(const char *key, char c)
{
	json_member(key);
	putchar(c);
	if (js.depth + 1 < JSON_MAX_DEPTH)
		js.depth++;
	js.need_comma[js.depth] = false;
}

static void json_close(char c)
{
	bool had_members = js.need_comma[js.depth];

	if (js.depth > 0)
		js.depth--;
	if (had_members)
		json_indent();
	putchar(c);
}

void new_json_obj(bool json, bool pretty)
{
	memset(&js, 0, sizeof(js));
	js.enabled = json;
	js.pretty = pretty;
}

void delete_json_obj(void)
{
	if (js.enabled)
		putchar('\n');
	fflush(stdout);
}

void open_json_object(const char *key)
{
	if (js.enabled)
		json_open(key, '{');
}

void close_json_object(void)
{
	if (js.enabled)
		json_close('}');
}

void open_json_array(enum output_type type, const char *key)
{
	if (js.enabled && (type & PRINT_JSON))
		json_open(key, '[');
}

void close_json_array(enum output_type type, const char *delim)
{
	if (js.enabled) {
		if (type & PRINT_JSON)
			json_close(']');
	} else if ((type & PRINT_FP) && delim) {
		fputs(delim, stdout);
	}
}

void print_string(enum output_type type, const char *key, const char *fmt,
		  const char *value)
{
	if (js.enabled) {
		if (type & PRINT_JSON) {
			json_member(key);
			json_escape(value);
		}
	} else if (type & PRINT_FP) {
		printf(fmt ? fmt : "%s", value);
	}
}

void print_uint(enum output_type type, const char *key, const char *fmt,
		uint64_t value)
{
	if (js.enabled) {
		if (type & PRINT_JSON) {
			json_member(key);
			printf("%llu", (unsigned long long)value);
		}
	} else if (type & PRINT_FP) {
		printf(fmt ? fmt : "%llu", (unsigned long long)value);
	}
}

/* JSON true or false; text @fmt (a "%s" given @key) only when true. */
void print_bool(enum output_type type, const char *key, const char *fmt,
		bool value)
{
	if (js.enabled) {
		if (type & PRINT_JSON) {
			json_member(key);
			fputs(value ? "true" : "false", stdout);
		}
	} else if ((type & PRINT_FP) && value) {
		printf(fmt, key);
	}
}

void print_nl(void)
{
	if (!js.enabled)
		putchar('\n');
}
