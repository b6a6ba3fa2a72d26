/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output in the iproute2 manner: each field is printed by one call that
 * knows both its text form and its JSON key, so the two never drift apart.
 */
#ifndef LBNIC_JSON_PRINT_H
#define LBNIC_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,	/* text only */
	PRINT_JSON = 2,	/* JSON only */
	PRINT_ANY = 3,	/* both */
};

void new_json_obj(bool json, bool pretty);
void delete_json_obj(void);
bool is_json_context(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(enum output_type type, const char *key);
void close_json_array(enum output_type type, const char *delim);

void print_string(enum output_type type, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type type, const char *key, const char *fmt,
		uint64_t value);
void print_bool(enum output_type type, const char *key, const char *fmt,
		bool value);
void print_nl(void);

#endif
