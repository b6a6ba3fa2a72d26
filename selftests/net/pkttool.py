#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made packets for the lbnic selftests, sent as Ethernet frames.

What a socket cannot send: spoofed sources, segments with chosen sequence
numbers and flags, and garbage.  Frames go out of DEV (in the client's
netns) to DMAC, the load balancer's side of the link.

flood   spoofed TCP SYNs (or ACKs) from random sources to VIP:PORT
tcp     one TCP segment with the given addresses, flags and numbers
udp     one UDP datagram from any source (martian ones included)
fuzz    crafted and mutated packets toward the VIPs: truncated headers, bad
        IHL and data offsets, options, IPv6 extension chains, fragments,
        ICMP errors quoting garbage or other flows
"""
import argparse
import ipaddress
import json
import random
import socket
import struct
import sys

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
TCP, UDP, ICMP, ICMP6 = 6, 17, 1, 58
FLAGS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10, "U": 0x20}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo(src, dst, proto, length):
    if len(src) == 4:
        return src + dst + struct.pack("!BBH", 0, proto, length)
    return src + dst + struct.pack("!IxxxB", length, proto)


def l4_csum(src, dst, proto, seg, off):
    """@seg with its checksum (at @off) filled in."""
    c = csum(pseudo(src, dst, proto, len(seg)) + seg)
    if proto == UDP and c == 0:
        c = 0xFFFF
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]


def tcp_seg(src, dst, sport, dport, flags, seq=0, ack=0, payload=b"",
            opts=b"", doff=None, window=65535):
    opts += b"\0" * (-len(opts) % 4)
    if doff is None:
        doff = (20 + len(opts)) // 4
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, (doff & 0xF) << 4, flags, window, 0, 0)
    return l4_csum(src, dst, TCP, seg + opts + payload, 16)


def udp_dgram(src, dst, sport, dport, payload=b"WHO"):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return l4_csum(src, dst, UDP, seg, 6)


def ipv4(src, dst, proto, payload, ttl=64, ident=0, frag=0, ihl=5,
         opts=b"", tot_len=None):
    if tot_len is None:
        tot_len = 20 + len(opts) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | (ihl & 0xF), 0, tot_len, ident,
                      frag, ttl, proto, 0, src, dst) + opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return ETH_P_IP, hdr + payload


def ipv6(src, dst, nexthdr, payload, hlim=64, plen=None):
    if plen is None:
        plen = len(payload)
    return ETH_P_IPV6, struct.pack("!IHBB16s16s", 0x60000000, plen, nexthdr,
                                   hlim, src, dst) + payload


def addr(a):
    return ipaddress.ip_address(a).packed


class Link:
    def __init__(self, dev, dmac):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.sock.bind((dev, 0))
        self.smac = self.sock.getsockname()[4]
        self.dmac = bytes.fromhex(dmac.replace(":", ""))
        self.sent = 0

    def send(self, packet):
        ethertype, data = packet
        self.sock.send(self.dmac + self.smac + struct.pack("!H", ethertype) + data)
        self.sent += 1


def ip_packet(src, dst, proto, payload):
    if len(src) == 4:
        return ipv4(src, dst, proto, payload)
    return ipv6(src, dst, proto, payload)


def flood(args, link):
    net = ipaddress.ip_network(args.net)
    vip = addr(args.vip)
    flags = FLAGS["A"] if args.kind == "ack" else FLAGS["S"]
    for _ in range(args.count):
        src = (net.network_address + random.randrange(1, net.num_addresses - 1)).packed
        seg = tcp_seg(src, vip, random.randrange(1024, 65536), args.port, flags,
                      random.getrandbits(32), random.getrandbits(32) if args.kind == "ack" else 0)
        link.send(ip_packet(src, vip, TCP, seg))


def one_tcp(args, link):
    src, dst = addr(args.src), addr(args.dst)
    flags = sum(FLAGS[c] for c in args.flags)
    seg = tcp_seg(src, dst, args.sport, args.dport, flags, args.seq, args.ack)
    for _ in range(args.count):
        link.send(ip_packet(src, dst, TCP, seg))


def one_udp(args, link):
    src, dst = addr(args.src), addr(args.dst)
    for _ in range(args.count):
        link.send(ip_packet(src, dst, UDP, udp_dgram(src, dst, args.sport, args.dport)))


class Fuzzer:
    """Packets of every kind lbnic parses, each made wrong in some way."""

    def __init__(self, vips, ports, clients):
        self.vips = [addr(v) for v in vips]
        self.ports = ports
        self.clients = [addr(c) for c in clients]
        self.kinds = [getattr(self, k) for k in dir(self) if k.startswith("k_")]

    def pick(self):
        vip = random.choice(self.vips)
        src = random.choice([c for c in self.clients if len(c) == len(vip)])
        return src, vip, random.choice(self.ports)

    def tcp(self, src, vip, port, **kw):
        flags = kw.pop("flags", random.choice([0x02, 0x10, 0x18, 0x11, 0x04, 0x14, 0x12,
                                               random.getrandbits(8)]))
        return tcp_seg(src, vip, random.randrange(1024, 1100), port, flags,
                       random.getrandbits(32), random.getrandbits(32), **kw)

    def k_tcp_truncated(self):
        src, vip, port = self.pick()
        seg = self.tcp(src, vip, port)
        return ip_packet(src, vip, TCP, seg[:random.randrange(0, 20)])

    def k_tcp_bad_doff(self):
        src, vip, port = self.pick()
        seg = self.tcp(src, vip, port, doff=random.choice([0, 1, 4, 6, 15]),
                       payload=b"x" * random.randrange(0, 8))
        return ip_packet(src, vip, TCP, seg)

    def k_tcp_options(self):
        src, vip, port = self.pick()
        opts = bytes(random.getrandbits(8) for _ in range(random.choice([4, 8, 20, 40])))
        return ip_packet(src, vip, TCP, self.tcp(src, vip, port, opts=opts[:40],
                                                  flags=0x02))

    def k_udp_truncated(self):
        src, vip, port = self.pick()
        d = udp_dgram(src, vip, random.randrange(1024, 1100), port)
        return ip_packet(src, vip, UDP, d[:random.randrange(0, 8)])

    def k_udp_bad_length(self):
        src, vip, port = self.pick()
        d = bytearray(udp_dgram(src, vip, random.randrange(1024, 1100), port))
        struct.pack_into("!H", d, 4, random.choice([0, 1, 7, 9, 0xFFFF]))
        return ip_packet(src, vip, UDP, bytes(d))

    def k_ipv4_bad_ihl(self):
        src, vip, port = self.pick4()
        seg = self.tcp(src, vip, port)
        return ipv4(src, vip, TCP, seg, ihl=random.choice([0, 4, 6, 15]))

    def k_ipv4_options(self):
        src, vip, port = self.pick4()
        opts = bytes(random.getrandbits(8) for _ in range(random.choice([4, 8, 40])))
        return ipv4(src, vip, random.choice([TCP, UDP]), self.tcp(src, vip, port),
                    ihl=5 + len(opts) // 4, opts=opts)

    def k_ipv4_bad_length(self):
        src, vip, port = self.pick4()
        seg = self.tcp(src, vip, port)
        return ipv4(src, vip, TCP, seg, tot_len=random.choice([0, 19, 20, 30, 1500]))

    def k_ipv4_fragment(self):
        src, vip, port = self.pick4()
        data = udp_dgram(src, vip, random.randrange(1024, 1100), port, b"y" * 64)
        off = random.choice([0, 1, 8, 100])
        mf = random.choice([0, 0x2000])
        return ipv4(src, vip, random.choice([UDP, TCP, ICMP]), data[:random.randrange(0, 72)],
                    ident=random.getrandbits(16), frag=mf | off)

    def k_ipv6_ext_chain(self):
        src, vip, port = self.pick6()
        seg = self.tcp(src, vip, port) if random.getrandbits(1) else \
            udp_dgram(src, vip, random.randrange(1024, 1100), port)
        proto = TCP if len(seg) >= 20 and random.getrandbits(1) else UDP
        chain, nxt = b"", proto
        for _ in range(random.randrange(1, 6)):
            t = random.choice([0, 43, 60])     # hop-by-hop, routing, dest opts
            hlen = random.choice([0, 1, 30])
            chain = struct.pack("!BB", nxt, hlen) + b"\x01\x04" + b"\0" * (4 + 8 * hlen) + chain
            nxt = t
        cut = random.choice([None, None, random.randrange(0, len(chain) + 8)])
        body = (chain + seg)[:cut]
        return ipv6(src, vip, nxt, body)

    def k_ipv6_fragment(self):
        src, vip, port = self.pick6()
        data = udp_dgram(src, vip, random.randrange(1024, 1100), port, b"z" * 64)
        frag = struct.pack("!BBHI", UDP, 0, random.choice([0, 1, 8 << 3, 0xFFF8]),
                           random.getrandbits(32))
        return ipv6(src, vip, 44, frag + data[:random.randrange(0, 72)])

    def k_ipv6_bad_length(self):
        src, vip, port = self.pick6()
        seg = self.tcp(src, vip, port)
        return ipv6(src, vip, TCP, seg, plen=random.choice([0, 7, 21, 4000]))

    def k_icmp_error(self):
        src, vip, port = self.pick()
        quoted_src = random.choice([vip, src, bytes(random.getrandbits(8) for _ in vip)])
        inner = ip_packet(quoted_src, src, random.choice([TCP, UDP, ICMP, 99]),
                          struct.pack("!HH", port, random.randrange(1024, 1100)) +
                          bytes(random.getrandbits(8) for _ in range(random.randrange(0, 24))))[1]
        inner = inner[:random.choice([8, 20, 28, 40, len(inner)])]
        if len(vip) == 4:
            t = random.choice([3, 11, 12, 4, 0, 8])
            icmp = struct.pack("!BBHI", t, random.randrange(0, 16), 0, 0) + inner
            icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
            return ipv4(src, vip, ICMP, icmp, frag=random.choice([0, 0, 0x2000, 1]))
        t = random.choice([1, 2, 3, 4, 128])
        icmp = struct.pack("!BBHI", t, random.randrange(0, 8), 0, 1280) + inner
        icmp = l4_csum(src, vip, ICMP6, icmp, 2)
        return ipv6(src, vip, ICMP6, icmp)

    def k_mutated(self):
        """A well-formed packet with a few bytes flipped anywhere."""
        src, vip, port = self.pick()
        proto = random.choice([TCP, UDP])
        seg = self.tcp(src, vip, port) if proto == TCP else \
            udp_dgram(src, vip, random.randrange(1024, 1100), port)
        ethertype, data = ip_packet(src, vip, proto, seg)
        data = bytearray(data)
        for _ in range(random.randrange(1, 4)):
            data[random.randrange(len(data))] = random.getrandbits(8)
        return ethertype, bytes(data)

    def pick4(self):
        src, vip, port = self.pick()
        while len(vip) != 4:
            src, vip, port = self.pick()
        return src, vip, port

    def pick6(self):
        src, vip, port = self.pick()
        while len(vip) != 16:
            src, vip, port = self.pick()
        return src, vip, port

    def packet(self):
        return random.choice(self.kinds)()


def fuzz(args, link):
    f = Fuzzer(args.vip, args.ports, args.client)
    for _ in range(args.count):
        link.send(f.packet())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dev", required=True)
    p.add_argument("--dmac", required=True)
    p.add_argument("--seed", type=int, default=None)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("flood")
    s.add_argument("--vip", required=True)
    s.add_argument("--port", type=int, default=80)
    s.add_argument("--count", type=int, default=20000)
    s.add_argument("--kind", choices=("syn", "ack"), default="syn")
    s.add_argument("--net", default="198.18.0.0/15")
    for name in ("tcp", "udp"):
        s = sub.add_parser(name)
        s.add_argument("--src", required=True)
        s.add_argument("--sport", type=int, default=40000)
        s.add_argument("--dst", required=True)
        s.add_argument("--dport", type=int, default=80)
        s.add_argument("--count", type=int, default=1)
    sub.choices["tcp"].add_argument("--flags", default="S")
    sub.choices["tcp"].add_argument("--seq", type=int, default=0)
    sub.choices["tcp"].add_argument("--ack", type=int, default=0)
    s = sub.add_parser("fuzz")
    s.add_argument("--vip", action="append", required=True)
    s.add_argument("--client", action="append", required=True)
    s.add_argument("--ports", type=int, nargs="+", default=[80])
    s.add_argument("--count", type=int, default=100000)
    args = p.parse_args()
    random.seed(args.seed)
    link = Link(args.dev, args.dmac)
    {"flood": flood, "tcp": one_tcp, "udp": one_udp, "fuzz": fuzz}[args.cmd](args, link)
    print(json.dumps({"sent": link.sent}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
