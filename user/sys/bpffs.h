/* SPDX-License-Identifier: GPL-2.0 */
/* bpffs.h: whether a pin root lies on the host's bpffs, where pins outlive this process.
 * `ip netns exec` gives its command a mount namespace with a /sys of its own: a bpffs
 * mounted or pinned there vanishes when the command exits, leaving its XDP program attached
 * with no pins to find it by. */
#ifndef XDPLB_BPFFS_H
#define XDPLB_BPFFS_H

/* 0 when pins under root would stay: root lies on the bpffs that the nearest ancestor in
 * another mount namespace (or PID 1) sees at the same path, or no ancestor in another mount
 * namespace can be looked at (the pin root's own checks then decide). Otherwise prints one
 * line with the nsenter hint and returns -EXDEV. */
int xdplb_bpffs_check_shared(const char *root);

#endif
