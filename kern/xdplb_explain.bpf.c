// SPDX-License-Identifier: GPL-2.0
/* xdplb_explain.bpf.c: xdplb_rx as --explain and --which run it: the attached program's own
 * source, with the hook that records each decision compiled in (see xdplb.bpf.c). Never
 * attached; test-run over a live instance's maps or private ones. */
#define XDPLB_EXPLAIN_BUILD
#include "xdplb.bpf.c"
