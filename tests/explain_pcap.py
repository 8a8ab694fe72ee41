#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# explain_pcap.py OUT [--pcapng] [--runt] [--cut-headers] [--jumbo] [--count N] [--linktype N]: writes a capture of
# varied frames for tests/test_explain.sh: UDP/TCP/SCTP flows in IPv4 and IPv6, VLAN and
# QinQ tags, IPv6 extension headers, fragments (first and later), ICMP echoes and errors,
# GRE, VXLAN and IP-in-IP tunnels, ARP, headers cut short, garbage, and one record cut by
# the snaplen. --jumbo: frame 1's flow again, 5000 bytes, as frame 6. --count N: N UDP frames
# of distinct flows instead (the rate measurement).
import random, struct, sys

MAC_D, MAC_S = bytes.fromhex("020000000002"), bytes.fromhex("020000000001")
rng = random.Random(18)

def eth(etype, payload, tags=()):
    h = MAC_D + MAC_S
    for tpid, vid in tags:
        h += struct.pack("!HH", tpid, vid)
    return h + struct.pack("!H", etype) + payload

def ip4(src, dst, proto, payload, frag=0, ident=1):
    a = lambda s: bytes(int(x) for x in s.split("."))
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                       a(src), a(dst)) + payload

def v6a(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed

def ip6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64, v6a(src), v6a(dst)) + payload

def udp(sp, dp, body=b"u" * 32):
    return struct.pack("!HHHH", sp, dp, 8 + len(body), 0) + body

def tcp(sp, dp):
    return struct.pack("!HHIIBBHHH", sp, dp, 1, 0, 0x50, 0x10, 1024, 0, 0) + b"t" * 16

def sctp(sp, dp):
    return struct.pack("!HHII", sp, dp, 7, 0) + b"s" * 16

def icmp_echo(ident, seq, v6=False):
    return struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, seq) + b"p" * 16

def ext(nh, n8=0):
    return struct.pack("!BB", nh, n8) + b"\x01\x04" + b"\0" * (4 + 8 * n8)

def frag6(nh, off, more, ident):
    return struct.pack("!BBHI", nh, 0, (off << 3) | more, ident)

def cases():
    A4, B4, A6, B6 = "198.18.0.1", "198.18.1.1", "fd00::1", "fd00:1::1"
    f = []
    for i in range(12):
        f.append(eth(0x0800, ip4("198.18.0.%d" % (i + 2), B4, 17, udp(rng.randrange(1024, 65535), 53))))
    for i in range(6):
        f.append(eth(0x86dd, ip6("fd00::%x" % (i + 2), B6, 6, tcp(rng.randrange(1024, 65535), 443))))
    f.append(eth(0x0800, ip4(A4, B4, 132, sctp(5000, 6000))))
    for vid in (10, 20, 30):
        f.append(eth(0x0800, ip4(A4, B4, 17, udp(4000 + vid, 80)), tags=[(0x8100, vid)]))
        f.append(eth(0x86dd, ip6(A6, B6, 17, udp(4000 + vid, 80)), tags=[(0x88a8, vid), (0x8100, 7)]))
    # IPv6 extension headers: hop-by-hop, destination options, routing.
    f.append(eth(0x86dd, ip6(A6, B6, 0, ext(17) + udp(7001, 53))))
    f.append(eth(0x86dd, ip6(A6, B6, 0, ext(60) + ext(43, 1)[:2] + b"\0" * 14 + udp(7002, 53)[:0] + ext(17)[:0] + b"") ))
    f.append(eth(0x86dd, ip6(A6, B6, 60, ext(17, 1) + udp(7003, 53))))
    # Fragments: IPv4 first and later, IPv6 first and later.
    f.append(eth(0x0800, ip4(A4, B4, 17, udp(7100, 53, b"f" * 64), frag=0x2000, ident=77)))
    f.append(eth(0x0800, ip4(A4, B4, 17, b"g" * 64, frag=0x0009, ident=77)))
    f.append(eth(0x86dd, ip6(A6, B6, 44, frag6(17, 0, 1, 99) + udp(7200, 53, b"f" * 64))))
    f.append(eth(0x86dd, ip6(A6, B6, 44, frag6(17, 9, 0, 99) + b"g" * 64)))
    # ICMP echoes and errors quoting a UDP datagram.
    for ident in (11, 12, 13):
        f.append(eth(0x0800, ip4(A4, B4, 1, icmp_echo(ident, 1))))
        f.append(eth(0x86dd, ip6(A6, B6, 58, icmp_echo(ident, 1, True))))
    quoted4 = ip4(B4, A4, 17, udp(53, 7300))
    f.append(eth(0x0800, ip4("198.18.2.1", A4, 1, struct.pack("!BBHI", 3, 3, 0, 0) + quoted4)))
    quoted6 = ip6(B6, A6, 17, udp(53, 7301))
    f.append(eth(0x86dd, ip6("fd00:2::1", A6, 58, struct.pack("!BBHI", 1, 4, 0, 0) + quoted6)))
    # Tunnels: GRE (IPv4 inside), VXLAN (Ethernet inside), IP-in-IP, IPv6 in IPv4.
    for i in range(3):
        inner = ip4("198.18.3.%d" % (i + 1), "198.18.4.1", 17, udp(8000 + i, 53))
        f.append(eth(0x0800, ip4(A4, B4, 47, struct.pack("!HH", 0, 0x0800) + inner)))
        f.append(eth(0x0800, ip4(A4, B4, 17, udp(5555, 4789, struct.pack("!II", 0x08000000, 42 << 8) +
                                                  eth(0x0800, inner)))))
        f.append(eth(0x0800, ip4(A4, B4, 4, inner)))
        f.append(eth(0x0800, ip4(A4, B4, 41, ip6("fd00:3::%d" % (i + 1), B6, 17, udp(8100 + i, 53)))))
    # ARP, an unknown ethertype, garbage, cut headers.
    f.append(eth(0x0806, struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + MAC_S + bytes(4) + bytes(6) + bytes(4)))
    f.append(eth(0x88cc, b"\x02\x07" + b"l" * 30))
    f.append(bytes(rng.randrange(256) for _ in range(60)))
    f.append(eth(0x0800, b"\x45\x00" + b"\0" * 8))
    f.append(eth(0x86dd, ip6(A6, B6, 17, udp(9000, 53))[:30]))
    f.append(eth(0x0800, bytes([0x65]) + bytes(40)))
    f.append(eth(0x8100, b"\x00\x05"))
    return f

def write_pcap(out, frames, linktype, snaplen=65535):
    out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype))
    for i, (data, wire) in enumerate(frames):
        out.write(struct.pack("<IIII", 1700000000 + i, 0, len(data), wire) + data)

def write_pcapng(out, frames, linktype):
    def block(t, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", t, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
    out.write(block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1)))
    out.write(block(1, struct.pack("<HHI", linktype, 0, 0)))
    for data, wire in frames:
        out.write(block(6, struct.pack("<IIIII", 0, 0, 0, len(data), wire) + data))

def main():
    args = sys.argv[1:]
    path = args.pop(0)
    linktype = int(args[args.index("--linktype") + 1]) if "--linktype" in args else 1
    if "--count" in args:
        n = int(args[args.index("--count") + 1])
        base = eth(0x0800, ip4("198.18.0.1", "198.18.1.1", 17, udp(1, 53)))
        frames = []
        with open(path, "wb") as out:
            out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
            rec = struct.pack("<IIII", 0, 0, len(base), len(base))
            for i in range(n):
                b = bytearray(base)
                b[26:30] = struct.pack("!I", 0xc6120000 | (i & 0xffff))
                b[34:36] = struct.pack("!H", (i >> 16) + 1)
                out.write(rec + b)
        return
    frames = [(f, len(f)) for f in cases()]
    # One record cut by the snaplen: its headers are all there.
    big = eth(0x0800, ip4("198.18.0.9", "198.18.1.1", 17, udp(6553, 53, b"j" * 900)))
    frames.append((big[:96], len(big)))
    if "--cut-headers" in args:
        # One cut inside its headers: the capture holds 30 bytes of its IPv4 header.
        frames.append((big[:30], len(big)))
    if "--jumbo" in args:
        # Frame 1's flow again as frame 6, 5000 bytes: longer than a batch of test runs holds.
        first = frames[0][0]
        jumbo = eth(0x0800, ip4("198.18.0.2", "198.18.1.1", 17,
                                first[34:36] + first[36:38] + struct.pack("!HH", 5008, 0) + b"j" * 5000))
        frames.insert(5, (jumbo, len(jumbo)))
    if "--runt" in args:
        frames.append((b"\x02\0\0\0\0\x02\x02\0", 8))
    with open(path, "wb") as out:
        (write_pcapng if "--pcapng" in args else write_pcap)(out, frames, linktype)

main()
