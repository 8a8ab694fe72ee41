// SPDX-License-Identifier: GPL-2.0
/* json.c: JSON string escaping for every --json output. */
#include <stdio.h>

#include "sys/json.h"

const char *xdplb_json_escape(const char *s, char *buf, size_t len)
{
	size_t used = 0;

	for (; *s && used + 7 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			used += snprintf(buf + used, len - used, "\\%c", c);
		else if (c < 0x20)
			used += snprintf(buf + used, len - used, "\\u%04x", c);
		else
			buf[used++] = (char)c;
	}
	buf[used] = '\0';
	return buf;
}
