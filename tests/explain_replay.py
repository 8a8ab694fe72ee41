#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# explain_replay.py IF PCAP EXPLAIN_JSON IF_B K XDPLB_CMD...: run in the sending namespace.
# Sends each frame of PCAP K times out of IF (raw AF_PACKET) and checks, from the live
# instance's counters (XDPLB_CMD --status --json), that the frames arrived where --explain
# said: the CPU or port target it named, or the pass reason. Prints one line per frame that
# did not, then "checked N frames, M wrong, T" where T counts the frames sent to each
# target ("cpu:0=12 port:p1=3"); exit 1 when any was wrong.
import json, socket, struct, subprocess, sys, time

ifname, pcap, explain, if_b, k = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
xdplb = sys.argv[6:]

def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 24
    while off < len(data):
        _, _, caplen, _ = struct.unpack_from("<IIII", data, off)
        yield data[off + 16:off + 16 + caplen]
        off += 16 + caplen

def counters():
    st = json.loads(subprocess.run(xdplb + ["--status", "--json"], check=True,
                                   capture_output=True, text=True).stdout)
    inst = [i for i in st["instances"] if i["ifname"] == if_b][0]
    c = {target_key(t): t["packets"] for t in inst["targets"]}
    c.update({("pass", r): n for r, n in inst["pass"].items()})
    return c

# A target as --status --json and --explain --json name it: a CPU number or a port's name.
def target_key(t):
    return ("port", t["ifname"]) if "ifname" in t else ("cpu", t["cpu"])

decisions = [json.loads(l) for l in open(explain) if l.startswith('{"frame"')]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
wrong, sent = 0, {}
for i, fr in enumerate(frames(pcap)):
    d = decisions[i]
    want = target_key(d["target"]) if d["verdict"] == "redirect" else ("pass", d["reason"])
    sent[want] = sent.get(want, 0) + k
    before = counters()
    for _ in range(k):
        s.send(fr)
    deadline = time.time() + 3
    while True:
        after = counters()
        delta = {key: after.get(key, 0) - before.get(key, 0) for key in after}
        if delta.get(want, 0) >= k or time.time() > deadline:
            break
        time.sleep(0.05)
    # Strays (the sender's IPv6 neighbour discovery) are a few frames, never k.
    others = sum(v for key, v in delta.items() if key != want and key[0] != "pass")
    if delta.get(want, 0) < k or others >= k:
        wrong += 1
        print("frame %d (%s): --explain said %s %s, counters moved %s" %
              (d["frame"], d.get("packet"), *want, {key: v for key, v in delta.items() if v}))
print("checked %d frames, %d wrong, %s" % (len(decisions), wrong, " ".join(
    "%s:%s=%d" % (key[0], key[1], n) for key, n in sorted(sent.items(), key=str) if key[0] != "pass")))
sys.exit(1 if wrong or not decisions else 0)
