#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Servers and clients for the lbnic L4 selftests.

serve     TCP and UDP servers that say who they are and who called them.
dist      many short TCP connections or UDP queries; prints a JSON tally of
          which backend answered each.
transfer  long downloads of a deterministic byte stream, paced, checked
          byte for byte; exits non-zero if any failed or was reset.
stream    downloads of the same stream that last until a file appears (the
          test decides when a flow ends, not the machine's speed), checked
          byte for byte to the server's last byte.
udpstream UDP requests at a steady rate from one socket until a file
          appears; exits non-zero if answers stopped coming.
udpflows  many UDP flows, a few answered requests each, kept open until a
          file appears.
upload    one large upload the server checksums; exits non-zero on mismatch.
flood     UDP datagrams from many source ports, not waiting for answers.

Protocol (TCP): the client sends one line:
  "WHO"            -> "<name> <peer-addr>\\n", then close
  "GET <n> <rate>" -> n bytes of pattern, at about rate bytes/s
  "PUT <n>"        -> reads n bytes, answers "<sha256>\\n"
  "STREAM <rate>"  -> the pattern, at about rate bytes/s, until the client
                      shuts its side down; then the server closes
UDP: any datagram is answered with "<name> <peer-addr>".
"""
import argparse
import hashlib
import json
import os
import random
import resource
import select
import socket
import struct
import sys
import threading
import time
from collections import Counter

CHUNK = 16384
# Socket timeouts are ceilings for a stuck peer, never a measure of speed:
# they grow with the suite's scale (4 on the debug kernel), as busywait's do.
SCALE = int(os.environ.get("LBNIC_TIMEOUT_SCALE", "1"))
# Linux values; not every Python exports them.
IP_PKTINFO = 8
IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50


def pattern(n):
    """The byte stream GET sends: deterministic, so the client can check it."""
    block = hashlib.sha256(b"lbnic").digest() * (CHUNK // 32)
    full, rest = divmod(n, CHUNK)
    for _ in range(full):
        yield block
    if rest:
        yield block[:rest]


def pattern_digest(n):
    h = hashlib.sha256()
    for b in pattern(n):
        h.update(b)
    return h.hexdigest()


def readline(conn):
    data = b""
    while not data.endswith(b"\n"):
        b = conn.recv(1)
        if not b:
            break
        data += b
    return data.decode().strip()


def handle_tcp(conn, peer, name):
    try:
        words = readline(conn).split()
        if not words:
            return
        if words[0] == "WHO":
            conn.sendall(("%s %s\n" % (name, peer[0])).encode())
        elif words[0] == "GET":
            n, rate = int(words[1]), float(words[2])
            sent, start = 0, time.monotonic()
            for block in pattern(n):
                conn.sendall(block)
                sent += len(block)
                if rate:
                    ahead = sent / rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
        elif words[0] == "STREAM":
            stream_out(conn, float(words[1]))
        elif words[0] == "PUT":
            left, h = int(words[1]), hashlib.sha256()
            while left:
                b = conn.recv(min(left, 65536))
                if not b:
                    break
                h.update(b)
                left -= len(b)
            conn.sendall((h.hexdigest() + "\n").encode())
    except OSError:
        pass
    finally:
        conn.close()


def stream_out(conn, rate):
    """Sends the pattern until the peer's FIN, then returns (and closes)."""
    block = next(pattern(CHUNK))
    sent, start = 0, time.monotonic()
    while True:
        r, _, _ = select.select([conn], [], [], 0)
        if r and not conn.recv(4096):
            return
        conn.sendall(block)
        sent += len(block)
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)


def serve(args):
    def tcp_loop(family, addr, port):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, port))
        s.listen(512)
        while True:
            conn, peer = s.accept()
            threading.Thread(target=handle_tcp, args=(conn, peer, args.name),
                             daemon=True).start()

    def udp_loop(family, addr, port):
        # Answer from the address asked (a dsr VIP on lo), as DNS servers do.
        if family == socket.AF_INET6:
            level, recv_opt, send_opt = socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, IPV6_PKTINFO
        else:
            level, recv_opt, send_opt = socket.IPPROTO_IP, IP_PKTINFO, IP_PKTINFO
        s = socket.socket(family, socket.SOCK_DGRAM)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.setsockopt(level, recv_opt, 1)
        s.bind((addr, port))
        while True:
            _, anc, _, peer = s.recvmsg(65536, socket.CMSG_SPACE(64))
            info = [d for lvl, typ, d in anc if lvl == level and typ == send_opt]
            if family == socket.AF_INET and info:
                # struct in_pktinfo: ifindex, spec_dst, addr; source := addr.
                info = [struct.pack("=i4s4s", 0, info[0][8:12], b"\0" * 4)]
            elif info:
                # struct in6_pktinfo: addr, ifindex; let routing pick the ifindex.
                info = [info[0][:16] + struct.pack("=I", 0)]
            reply = ("%s %s" % (args.name, peer[0])).encode()
            s.sendmsg([reply], [(level, send_opt, i) for i in info], 0, peer)

    for port in args.port:
        for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
            for loop in (tcp_loop, udp_loop):
                threading.Thread(target=loop, args=(fam, addr, port),
                                 daemon=True).start()
    while True:
        time.sleep(3600)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def who_tcp(vip, port, source, timeout, sport=0):
    s = socket.socket(family_of(vip), socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        if sport:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if source or sport:
            s.bind((source or "", sport))
        s.connect((vip, port))
        s.sendall(b"WHO\n")
        return readline(s)
    finally:
        s.close()


def who_udp(vip, port, source, timeout, size=0):
    s = socket.socket(family_of(vip), socket.SOCK_DGRAM)
    s.settimeout(timeout)
    query = b"WHO".ljust(size, b" ")
    try:
        if source:
            s.bind((source, 0))
        for _ in range(3):
            s.sendto(query, (vip, port))
            try:
                data, src = s.recvfrom(2048)
            except socket.timeout:
                continue
            # An answer from anywhere but the VIP would be a NAT failure.
            if src[0] != vip or src[1] != port:
                raise OSError("answer from %s:%d, not the VIP" % src[:2])
            return data.decode()
        raise socket.timeout("no answer")
    finally:
        s.close()


def dist(args):
    if args.sport:
        who = lambda v, p, s, t: who_tcp(v, p, s, t, args.sport)
    elif args.proto == "udp":
        who = lambda v, p, s, t: who_udp(v, p, s, t, args.size)
    else:
        who = who_tcp
    sources = args.sources.split(",") if args.sources else [None]
    names, peers, failed, by_source = Counter(), Counter(), 0, {}
    for i in range(args.count):
        src = sources[i % len(sources)]
        try:
            name, peer = who(args.vip, args.port, src, args.timeout).split()
        except (OSError, ValueError) as e:
            failed += 1
            if failed <= 3:
                print("# %s" % e, file=sys.stderr)
            continue
        names[name] += 1
        peers[peer] += 1
        by_source.setdefault(src, set()).add(name)
    print(json.dumps({
        "backends": names, "peers": peers, "failed": failed,
        # For source hashing: did every source always reach one backend?
        "sticky": all(len(v) == 1 for v in by_source.values()),
    }))


class Started:
    """--started: the file appears once every stream has received its first
    bytes (or failed), so the connections a test then looks at are
    established in lbnic's table however slow the machine."""

    def __init__(self, path, n):
        self.path, self.left, self.lock = path, set(range(n)), threading.Lock()

    def mark(self, i):
        with self.lock:
            if i not in self.left:
                return
            self.left.discard(i)
            if not self.left and self.path:
                open(self.path, "w").close()


def transfer(args):
    results = [None] * args.streams
    want = pattern_digest(args.bytes)
    started = Started(args.started, args.streams)

    def one(i):
        s = socket.socket(family_of(args.vip), socket.SOCK_STREAM)
        s.settimeout(30 * SCALE)
        try:
            s.connect((args.vip, args.port))
            s.sendall(("GET %d %f\n" % (args.bytes, args.rate)).encode())
            h, got = hashlib.sha256(), 0
            while got < args.bytes:
                b = s.recv(65536)
                if not b:
                    break
                h.update(b)
                got += len(b)
                started.mark(i)
            results[i] = "ok" if got == args.bytes and h.hexdigest() == want \
                else "short %d/%d" % (got, args.bytes)
        except OSError as e:
            results[i] = "error %s" % e
        finally:
            s.close()
            started.mark(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(args.streams)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    print(json.dumps(results))
    return 0 if all(r == "ok" for r in results) else 1


def wait_file(path, poll=0.05):
    while not os.path.exists(path):
        time.sleep(poll)


def stream(args):
    """Streams that run until args.until exists, then end with a clean close."""
    block = next(pattern(CHUNK))
    double = block * 2
    results = [None] * args.streams
    socks = [None] * args.streams
    total = [0] * args.streams
    started = Started(args.started, args.streams)

    def one(i):
        s = socket.socket(family_of(args.vip), socket.SOCK_STREAM)
        s.settimeout(30 * SCALE)
        socks[i] = s
        got = 0
        try:
            s.connect((args.vip, args.port))
            s.sendall(("STREAM %f\n" % args.rate).encode())
            while True:
                b = s.recv(65536)
                if not b:
                    break
                # Byte i of the stream is block[i % CHUNK].
                for k in range(0, len(b), CHUNK):
                    piece = b[k:k + CHUNK]
                    at = (got + k) % CHUNK
                    if piece != double[at:at + len(piece)]:
                        raise OSError("wrong byte after %d" % (got + k))
                got += len(b)
                total[i] = got
                started.mark(i)
            results[i] = "ok %d" % got if got >= args.min_bytes else \
                "short %d" % got
        except OSError as e:
            results[i] = "error %s after %d" % (e, got)
        finally:
            s.close()
            started.mark(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(args.streams)]
    for t in threads:
        t.start()
    while not os.path.exists(args.until):
        if args.progress:
            with open(args.progress + ".tmp", "w") as f:
                f.write("%d\n" % min(total))
            os.rename(args.progress + ".tmp", args.progress)
        time.sleep(0.1)
    for s in socks:
        try:
            s.shutdown(socket.SHUT_WR)
        except (OSError, AttributeError):
            pass
    for t in threads:
        t.join()
    print(json.dumps(results))
    return 0 if all(r and r.startswith("ok") for r in results) else 1


def udpstream(args):
    """One UDP flow at args.rate requests/s until args.until exists."""
    s = socket.socket(family_of(args.vip), socket.SOCK_DGRAM)
    s.settimeout(0.01)
    s.connect((args.vip, args.port))
    sent = answered = 0
    start = time.monotonic()
    while not os.path.exists(args.until):
        s.send(b"WHO")
        sent += 1
        deadline = start + sent / args.rate
        while True:
            try:
                s.recv(2048)
                answered += 1
            except socket.timeout:
                pass
            except ConnectionRefusedError:
                pass
            if time.monotonic() >= deadline:
                break
    s.close()
    print(json.dumps({"sent": sent, "answered": answered}))
    # Replies may be lost at the moments a flow changes path, never for long.
    return 0 if answered >= sent * 9 // 10 else 1


def udpflows(args):
    """args.count UDP flows, each answered args.packets times, then idle.

    One request at a time: a burst of them all would overflow the server's
    socket buffer.  A lost answer is asked for again, as who_udp() does.
    """
    socks, answered = [], 0
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    for _ in range(args.count):
        s = socket.socket(family_of(args.vip), socket.SOCK_DGRAM)
        s.settimeout(SCALE)
        s.connect((args.vip, args.port))
        socks.append(s)
        for _ in range(args.packets):
            for _ in range(3):
                s.send(b"WHO")
                try:
                    s.recv(2048)
                    answered += 1
                    break
                except OSError:
                    continue
    if args.started:
        open(args.started, "w").close()
    if args.until:
        wait_file(args.until)
    for s in socks:
        s.close()
    print(json.dumps({"flows": args.count, "answered": answered}))
    return 0 if answered == args.count * args.packets else 1


def upload(args):
    s = socket.socket(family_of(args.vip), socket.SOCK_STREAM)
    s.settimeout(60 * SCALE)
    s.connect((args.vip, args.port))
    s.sendall(("PUT %d\n" % args.bytes).encode())
    h = hashlib.sha256()
    for b in pattern(args.bytes):
        s.sendall(b)
        h.update(b)
    answer = readline(s)
    s.close()
    print(json.dumps({"sent": h.hexdigest(), "server": answer}))
    return 0 if answer == h.hexdigest() else 1


def unreach(args):
    """Exit 0 if the VIP's answer is an ICMP port unreachable, as it should."""
    s = socket.socket(family_of(args.vip), socket.SOCK_DGRAM)
    s.settimeout(3 * SCALE)
    s.connect((args.vip, args.port))
    for _ in range(3):
        s.send(b"WHO")
        try:
            s.recv(2048)
            print("answered")
            return 1
        except ConnectionRefusedError:
            print("refused")
            return 0
        except socket.timeout:
            continue
    print("no answer")
    return 1


def flood(args):
    # A new socket each time: a new source port, so a new flow.  Closing it
    # at once keeps within the open-file limit; the datagram is already out.
    for _ in range(args.count):
        s = socket.socket(family_of(args.vip), socket.SOCK_DGRAM)
        s.sendto(b"WHO", (args.vip, args.port))
        s.close()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--name", required=True)
    s.add_argument("--port", type=int, action="append", required=True)
    for name in ("dist", "transfer", "stream", "udpstream", "udpflows",
                 "upload", "flood", "unreach"):
        c = sub.add_parser(name)
        c.add_argument("--vip", required=True)
        c.add_argument("--port", type=int, default=80)
    d = sub.choices["dist"]
    d.add_argument("--proto", choices=("tcp", "udp"), default="tcp")
    d.add_argument("--count", type=int, default=100)
    d.add_argument("--sources", default="")
    d.add_argument("--sport", type=int, default=0)
    d.add_argument("--timeout", type=float, default=2 * SCALE)
    d.add_argument("--size", type=int, default=0,
                   help="UDP: pad each query to this many bytes")
    t = sub.choices["transfer"]
    t.add_argument("--streams", type=int, default=4)
    t.add_argument("--bytes", type=int, default=1 << 20)
    t.add_argument("--rate", type=float, default=0)
    t.add_argument("--started", default="")
    t = sub.choices["stream"]
    t.add_argument("--streams", type=int, default=1)
    t.add_argument("--rate", type=float, default=262144)
    t.add_argument("--until", required=True)
    t.add_argument("--started", default="")
    t.add_argument("--min-bytes", type=int, default=1)
    t.add_argument("--progress", default="",
                   help="file to keep the least bytes any stream received in")
    t = sub.choices["udpstream"]
    t.add_argument("--rate", type=float, default=50)
    t.add_argument("--until", required=True)
    t = sub.choices["udpflows"]
    t.add_argument("--count", type=int, default=100)
    t.add_argument("--packets", type=int, default=2)
    t.add_argument("--started", default="")
    t.add_argument("--until", default="")
    sub.choices["upload"].add_argument("--bytes", type=int, default=4 << 20)
    sub.choices["flood"].add_argument("--count", type=int, default=1000)
    args = p.parse_args()
    random.seed()
    return {"serve": serve, "dist": dist, "transfer": transfer,
            "stream": stream, "udpstream": udpstream, "udpflows": udpflows,
            "upload": upload, "flood": flood,
            "unreach": unreach}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
