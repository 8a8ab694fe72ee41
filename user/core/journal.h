/* SPDX-License-Identifier: GPL-2.0 */
/* journal.h: the settings an instance is being moved to, kept in a pinned map of its own
 * from before a change's first step until its last, so that a change cut short (kill -9,
 * a crash of the tool) is finished by the next xdplb run instead of left half made. */
#ifndef XDPLB_JOURNAL_H
#define XDPLB_JOURNAL_H

#include "core/instance.h"

/* Creates the empty journal of a new instance and pins it into dir. */
int xdplb_journal_create(struct xdplb_instance *in, const char *dir);

enum xdplb_journal_kind {
	XDPLB_JOURNAL_NONE,
	XDPLB_JOURNAL_CHANGE,	/* to the settings recorded */
	XDPLB_JOURNAL_DETACH,	/* the instance is being removed */
};

/* Records target as the change in progress (NULL: a detach); an instance made before
 * journals gets one here. Nothing is to change when this fails. */
int xdplb_journal_begin(struct xdplb_instance *in, const struct xdplb_settings *target);

/* The change is complete (or rolled back): nothing is pending. */
int xdplb_journal_end(struct xdplb_instance *in);

/* What is pending (enum xdplb_journal_kind), a change's target in *target. */
int xdplb_journal_pending(const struct xdplb_instance *in, struct xdplb_settings *target);

#endif
