/* SPDX-License-Identifier: GPL-2.0 */
/* json.h: JSON string escaping for every --json output. */
#ifndef XDPLB_JSON_H
#define XDPLB_JSON_H

#include <stddef.h>

/* Writes s into buf as the inside of a JSON string; returns buf. */
const char *xdplb_json_escape(const char *s, char *buf, size_t len);
/* Room for an interface name of 15 characters, each escaped as \u00XX. */
#define XDPLB_JSON_NAME_LEN (6 * 16 + 1)

#endif
