#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""HTTP clients for the L7 tests, with control over segmentation.

  req   sends a request (--data, Python escapes allowed, or a generated
        header) in pieces of --split bytes, each its own segment (the next
        goes once the previous is acknowledged), then reads the answer to
        its end (or in two, split --at a byte; --shut half-closes after
        sending); prints {"status", "body", "reset", "bytes_acked"} as JSON.
  hold  sends --data, then keeps the connection open until stdin closes.
  many  sends --count requests on one connection, one after the other or
        all at once (--pipeline), each with a body of --body bytes, to
        paths --path followed by the request's number, with the Host fields
        of --hosts in turn; prints
        {"ok", "statuses", "backends", "xff", "bad"}: ok counts the
        responses that saw exactly one X-Forwarded-For (--field real_ip:
        X-Real-IP), the client's own address, their path and their body;
        bad tells the first that did not.
  serve an HTTP/1.1 backend (keep-alive) named --name on --port: every
        answer is JSON with the backend's name, the X-Forwarded-For and
        X-Real-IP fields it received (xff, real_ip), the path, and the
        body's length and md5; /bytes/N answers N bytes of pattern()
        instead, /reset resets the connection, /upgrade answers 101 and
        echoes what follows until the client's FIN.  --log FILE: a line per
        request, as a web server's access log.

Timeouts are ceilings for a stuck peer, scaled by LBNIC_TIMEOUT_SCALE.
"""
import argparse
import hashlib
import http.server
import json
import os
import socket
import struct
import socketserver
import sys
import time

SCALE = int(os.environ.get("LBNIC_TIMEOUT_SCALE", "1"))
TCP_INFO_UNACKED = 24   # offset of tcpi_unacked in struct tcp_info
TCP_INFO_BYTES_ACKED = 120


def tcp_info(s, off, fmt="I"):
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return struct.unpack_from(fmt, raw, off)[0] if len(raw) >= off + 8 else 0


def wait_acked(s, ceiling):
    """Until everything sent is acknowledged, so the next send is a segment."""
    end = time.monotonic() + ceiling
    while tcp_info(s, TCP_INFO_UNACKED):
        if time.monotonic() > end:
            raise TimeoutError("not acknowledged")
        time.sleep(0.001)


def connect(args):
    family = socket.AF_INET6 if ":" in args.vip else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.settimeout(args.timeout * SCALE)
    s.connect((args.vip, args.port))
    return s


def payload(args):
    if args.header_bytes:
        head = b"GET / HTTP/1.1\r\nHost: a\r\nX-Pad: "
        return head + b"v" * (args.header_bytes - len(head) - 4) + b"\r\n\r\n"
    if args.fields:
        return (b"GET / HTTP/1.1\r\nHost: a\r\n" +
                b"".join(b"X-%d: v\r\n" % i for i in range(1, args.fields)) + b"\r\n")
    return args.data.encode("latin-1").decode("unicode_escape").encode("latin-1")


def req(args):
    s = connect(args)
    data = payload(args)
    out = {"reset": False}
    if args.at:
        pieces = [data[:args.at], data[args.at:]]
    else:
        step = args.split or len(data) or 1
        pieces = [data[i:i + step] for i in range(0, len(data), step)]
    try:
        for piece in pieces:
            s.sendall(piece)
            if len(pieces) > 1:
                wait_acked(s, args.timeout * SCALE)
        if args.shut:
            s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass  # lbnic may answer before all is sent
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except ConnectionResetError:
        out["reset"] = True
    except socket.timeout:
        out["timeout"] = True
    head, _, body = got.partition(b"\r\n\r\n")
    line = head.split(b"\r\n", 1)[0].split(b" ")
    out["status"] = int(line[1]) if len(line) > 1 and line[1].isdigit() else 0
    out["body"] = body.decode("latin-1")
    out["bytes_acked"] = tcp_info(s, TCP_INFO_BYTES_ACKED, "Q")
    s.close()
    print(json.dumps(out))
    return 0


def hold(args):
    s = connect(args)
    s.sendall(payload(args))
    print(json.dumps({"port": s.getsockname()[1]}), flush=True)
    sys.stdin.read()
    s.close()
    return 0


def pattern(n):
    """N bytes no two requests could mix up unnoticed: offsets in hex."""
    line = b"".join(b"%015x\n" % i for i in range(0, 4096, 16))
    return (line * (n // len(line) + 1))[:n]


class Backend(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.server.log:
            self.server.log.write('%s %s "%s %s" host=%s x-forwarded-for=%s\n' % (
                self.server.name, self.client_address[0].removeprefix("::ffff:"),
                self.command, self.path, self.headers.get("Host", "-"),
                ",".join(self.headers.get_all("X-Forwarded-For") or ["-"])))
        if self.path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if self.path == "/upgrade":
            self.tunnel()
            return
        if self.path.startswith("/bytes/"):
            out = pattern(int(self.path[7:]))
        else:
            out = json.dumps({
                "backend": self.server.name,
                "xff": self.headers.get_all("X-Forwarded-For") or [],
                "real_ip": self.headers.get_all("X-Real-IP") or [],
                "path": self.path,
                "len": len(body),
                "md5": hashlib.md5(body).hexdigest(),
            }).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        # HTTP/1.0 keeps a connection only if both sides say so (ab -k).
        if self.request_version == "HTTP/1.0" and not self.close_connection:
            self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.wfile.write(out)

    def tunnel(self):
        """101, then the connection is an echo of what the client sends."""
        self.send_response(101)
        self.send_header("Connection", "Upgrade")
        self.send_header("Upgrade", self.headers.get("Upgrade", ""))
        self.end_headers()
        self.wfile.flush()
        while True:
            b = self.rfile.read1(65536)  # what the header's read left first
            if not b:
                break
            self.wfile.write(b)
        self.close_connection = True

    do_GET = do_POST = do_PUT = answer


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that resets (wrk's at its end, a test's own) is no error.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def serve(args):
    srv = Server(("::", args.port), Backend)
    srv.name = args.name
    srv.log = open(args.log, "a", buffering=1) if args.log else None
    srv.serve_forever()


def read_response(f):
    line = f.readline()
    parts = line.split(b" ")
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    n = 0
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, _, v = h.partition(b":")
        if k.strip().lower() == b"content-length":
            n = int(v)
    return status, f.read(n)


def many(args):
    s = connect(args)
    me = s.getsockname()[0]
    f = s.makefile("rb")
    body = pattern(args.body)
    hosts = args.hosts.encode().split(b",")
    path = args.path.encode()
    one = [b"%s %s%d HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s" %
           (b"POST" if body else b"GET", path, i, hosts[i % len(hosts)],
            len(body), body) for i in range(args.count)]
    out = {"ok": 0, "statuses": [], "backends": [], "xff": []}
    if args.pipeline:
        s.sendall(b"".join(one))
    for i in range(args.count):
        if not args.pipeline:
            s.sendall(one[i])
        try:
            status, got = read_response(f)
        except (ConnectionResetError, socket.timeout) as e:
            out.setdefault("bad", "request %d: %s" % (i, e))
            break
        out["statuses"].append(status)
        try:
            j = json.loads(got)
        except ValueError:
            out.setdefault("bad", "request %d: status %d, %r" % (i, status, got[:200]))
            continue
        out["backends"].append(j["backend"])
        out["xff"].append(j["xff"])
        if (j[args.field] == [me] and j["path"] == "%s%d" % (args.path, i) and
                j["md5"] == hashlib.md5(body).hexdigest()):
            out["ok"] += 1
        else:
            out.setdefault("bad", "request %d: %r" % (i, j))
    out["backends"] = sorted(set(out["backends"]))
    out["xff"] = [list(x) for x in {tuple(x) for x in out["xff"]}]
    s.close()
    print(json.dumps(out))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("req", "hold"):
        s = sub.add_parser(name)
        s.add_argument("--vip", required=True)
        s.add_argument("--port", type=int, default=80)
        s.add_argument("--data", default="GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n")
        s.add_argument("--header-bytes", type=int, default=0)
        s.add_argument("--fields", type=int, default=0)
        s.add_argument("--timeout", type=float, default=30)
    sub.choices["req"].add_argument("--split", type=int, default=0)
    sub.choices["req"].add_argument("--at", type=int, default=0)
    sub.choices["req"].add_argument("--shut", action="store_true")
    s = sub.add_parser("many")
    s.add_argument("--vip", required=True)
    s.add_argument("--port", type=int, default=80)
    s.add_argument("--count", type=int, default=100)
    s.add_argument("--body", type=int, default=0)
    s.add_argument("--pipeline", action="store_true")
    s.add_argument("--field", choices=("xff", "real_ip"), default="xff",
                   help="the field each request must bring, once")
    s.add_argument("--hosts", default="a")
    s.add_argument("--path", default="/r/")
    s.add_argument("--timeout", type=float, default=30)
    s = sub.add_parser("serve")
    s.add_argument("--name", required=True)
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--log")
    s = sub.add_parser("pattern")
    s.add_argument("bytes", type=int)
    args = p.parse_args()
    if args.cmd == "pattern":
        sys.stdout.buffer.write(pattern(args.bytes))
        return 0
    return {"req": req, "hold": hold, "many": many, "serve": serve}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
