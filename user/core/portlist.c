// SPDX-License-Identifier: GPL-2.0
/* portlist.c: strict parser of the --redirect spec. The kernel forbids ':' in interface
 * names, so the first ':' ends IN and a later one starts a port's weight. */
#include <ctype.h>
#include <string.h>

#include "core/portlist.h"
#include "sys/log.h"

#define XDPLB_REDIRECT_FORM "IN:OUT[,OUT...], a port with a weight as OUT:2"

int xdplb_ifname_valid(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len >= XDPLB_IFNAME_LEN)
		return 0;
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]) || !s[i])
			return 0;
	return 1;
}

/* Reads "NAME[:WEIGHT]" from [p, end) into *port. */
static int xdplb_parse_port(const char *spec, const char *p, const char *end,
			    struct xdplb_port_weight *port)
{
	const char *colon = memchr(p, ':', end - p);
	const char *name_end = colon ? colon : end;
	unsigned long weight = 1;

	if (name_end == p)
		return usage_err("--redirect", spec, "an empty port name; " XDPLB_REDIRECT_FORM);
	if (!xdplb_ifname_valid(p, name_end - p))
		return usage_err("--redirect", spec, "'%.*s' is not an interface name "
				 "(1..15 characters, no '/', ':' or spaces)", (int)(name_end - p), p);
	if (colon) {
		const char *w = colon + 1;

		/* Empty or not all digits: weight stays out of range or w short of end. */
		weight = 0;
		for (; w < end && isdigit((unsigned char)*w) && weight <= XDPLB_WEIGHT_MAX; w++)
			weight = weight * 10 + (unsigned long)(*w - '0');
		if (w != end || weight < 1 || weight > XDPLB_WEIGHT_MAX)
			return usage_err("--redirect", spec, "the weight of port %.*s is an integer "
					 "1..%d after its ':'", (int)(name_end - p), p,
					 XDPLB_WEIGHT_MAX);
	}
	memcpy(port->ifname, p, name_end - p);
	port->ifname[name_end - p] = '\0';
	port->weight = (__u32)weight;
	return 0;
}

int xdplb_parse_redirect(const char *spec, struct xdplb_redirect_spec *out)
{
	const char *colon = strchr(spec, ':');
	const char *p, *end;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	if (!colon)
		return usage_err("--redirect", *spec ? spec : "''", "no ':' after the receiving "
				 "interface; " XDPLB_REDIRECT_FORM);
	if (colon == spec)
		return usage_err("--redirect", spec, "no receiving interface before ':'; "
				 XDPLB_REDIRECT_FORM);
	if (!xdplb_ifname_valid(spec, colon - spec))
		return usage_err("--redirect", spec, "'%.*s' is not an interface name "
				 "(1..15 characters, no '/', ':' or spaces)", (int)(colon - spec), spec);
	memcpy(out->in, spec, colon - spec);
	if (!colon[1])
		return usage_err("--redirect", spec, "no port after '%s:'; " XDPLB_REDIRECT_FORM,
				 out->in);
	for (p = colon + 1;; p = end + 1) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (out->n_ports == XDPLB_MAX_PORTS)
			return usage_err("--redirect", spec, "at most %d ports", XDPLB_MAX_PORTS);
		err = xdplb_parse_port(spec, p, end, &out->ports[out->n_ports]);
		if (err)
			return err;
		if (!strcmp(out->ports[out->n_ports].ifname, out->in))
			return usage_err("--redirect", spec, "%s is the receiving interface; a port "
					 "must be another interface", out->in);
		for (i = 0; i < out->n_ports; i++)
			if (!strcmp(out->ports[i].ifname, out->ports[out->n_ports].ifname))
				return usage_err("--redirect", spec, "port %s is listed twice",
						 out->ports[i].ifname);
		out->n_ports++;
		if (!*end)
			break;
	}
	return 0;
}
