#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""HTTP clients for the L7 tests, with control over segmentation.

  req   sends a request (--data, Python escapes allowed, or a generated
        header) in pieces of --split bytes, each its own segment (the next
        goes once the previous is acknowledged), then reads the answer to
        its end; prints {"status", "body", "reset", "bytes_acked"} as JSON.
  hold  sends --data, then keeps the connection open until stdin closes.

Timeouts are ceilings for a stuck peer, scaled by LBNIC_TIMEOUT_SCALE.
"""
import argparse
import json
import os
import socket
import struct
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
    try:
        for i in range(0, len(data), args.split or len(data) or 1):
            s.sendall(data[i:i + (args.split or len(data))])
            if args.split:
                wait_acked(s, args.timeout * SCALE)
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
    args = p.parse_args()
    return {"req": req, "hold": hold}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
