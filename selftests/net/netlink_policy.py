#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
"""Malformed generic netlink requests sent straight to lbnic.ko.

Each case builds a request byte by byte, as a buggy or hostile program
could, and asserts the errno and the extended ACK message.  Afterwards the
configuration must be unchanged.  Constants mirror include/uapi/linux/lbnic.h
(read from it, so the two cannot drift).
"""
import errno
import os
import re
import socket
import struct
import subprocess
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE = 0x1, 0x4, 0x400
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_MISS_TYPE = 1, 5
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2


def uapi_constants():
    """Enum values and defines of the UAPI header, by name."""
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "../../include/uapi/linux/lbnic.h")).read()
    consts = {}
    for body in re.findall(r"enum \w+ \{(.*?)\};", text, re.S):
        value = 0
        for line in body.splitlines():
            m = re.match(r"\s*(\w+)(?:\s*=\s*([^,/]+?))?\s*,?\s*(?:/\*.*)?$", line)
            if not m:
                continue
            if m.group(2):
                value = eval(m.group(2), {}, consts)
            consts[m.group(1)] = value
            value += 1
    for name, expr in re.findall(r"#define (\w+)\s+\(?([0-9][0-9U <]*)\)?\n", text):
        consts[name] = eval(expr.replace("U", ""))
    return consts


C = uapi_constants()


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def u32(atype, value):
    return nla(atype, struct.pack("=I", value))


def nest(atype, *attrs):
    return nla(atype | NLA_F_NESTED, b"".join(attrs))


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.seq = 1
        self.family = self._family_id()

    def raw(self, msg_type, cmd, payload=b"", version=1, reserved=0,
            flags=NLM_F_REQUEST | NLM_F_ACK, length=None):
        """Sends one message; returns (errno, extack message, missing type)."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        hdr_len = 16 + len(body) if length is None else length
        self.sock.send(struct.pack("=IHHII", hdr_len, msg_type, flags, self.seq, 0) + body)
        replies = []
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, _, _ = struct.unpack_from("=IHHII", data, off)
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", data, off + 16)[0]
                    msg, miss = "", None
                    if mflags & NLM_F_ACK_TLVS:
                        aoff = off + 16 + 4 + 16
                        while aoff + 4 <= off + mlen:
                            alen, atype = struct.unpack_from("=HH", data, aoff)
                            val = data[aoff + 4:aoff + alen]
                            if atype == NLMSGERR_ATTR_MSG:
                                msg = val.rstrip(b"\0").decode()
                            elif atype == NLMSGERR_ATTR_MISS_TYPE:
                                miss = struct.unpack("=I", val)[0]
                            aoff += (alen + 3) & ~3
                    return err, msg, miss, replies
                replies.append(data[off + 20:off + mlen])
                off += (mlen + 3) & ~3

    def _family_id(self):
        err, msg, _, replies = self.raw(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                        nla(CTRL_ATTR_FAMILY_NAME, b"lbnic\0"))
        if err:
            raise OSError(err, "family lbnic: " + (msg or os.strerror(err)))
        for atype, val in attrs(replies[0]):
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack("=H", val[:2])[0]
        raise OSError(errno.ENOENT, "no family id")

    def send(self, cmd, payload=b"", **kw):
        return self.raw(self.family, cmd, payload, **kw)


def attrs(payload):
    off = 0
    while off + 4 <= len(payload):
        alen, atype = struct.unpack_from("=HH", payload, off)
        yield atype & ~NLA_F_NESTED, payload[off + 4:off + alen]
        off += (alen + 3) & ~3


def conn_max(genl):
    err, _, _, replies = genl.send(C["LBNIC_CMD_GET_INFO"])
    assert err == 0, os.strerror(err)
    for atype, val in attrs(replies[0]):
        if atype == C["LBNIC_A_CONFIG"]:
            for t, v in attrs(val):
                if t == C["LBNIC_CONFIG_A_CONN_MAX"]:
                    return struct.unpack("=I", v)[0]
    raise AssertionError("no conn_max in GET_INFO reply")


SET, GET = C["LBNIC_CMD_SET_CONFIG"], C["LBNIC_CMD_GET_INFO"]
A_CONFIG, A_CONN_MAX = C["LBNIC_A_CONFIG"], C["LBNIC_CONFIG_A_CONN_MAX"]
MIN, MAX = C["LBNIC_CONN_MAX_MIN"], C["LBNIC_CONN_MAX_MAX"]
NEW_SVC, A_SVC = C["LBNIC_CMD_NEW_SERVICE"], C["LBNIC_A_SERVICE"]


def u16(atype, value):
    return nla(atype, struct.pack("=H", value))


def u8(atype, value):
    return nla(atype, struct.pack("=B", value))


VIP = bytes([10, 0, 0, 99])


def svc(addr=VIP, port=80, proto=6, *extra):
    """A NEW_SERVICE body for 10.0.0.99:80/tcp, parts replaceable."""
    attrs = []
    if addr is not None:
        attrs.append(nla(C["LBNIC_SERVICE_A_ADDR"], addr))
    if port is not None:
        attrs.append(u16(C["LBNIC_SERVICE_A_PORT"], port))
    if proto is not None:
        attrs.append(u8(C["LBNIC_SERVICE_A_PROTO"], proto))
    return nest(A_SVC, *(attrs + list(extra)))

SET_FLOW, A_FLOW = C["LBNIC_CMD_SET_FLOW"], C["LBNIC_A_FLOW"]


def flow(state=1, *extra):
    """A SET_FLOW body for a flow that does not exist, parts replaceable."""
    attrs = [nla(C["LBNIC_FLOW_A_COOKIE"], struct.pack("=Q", 1)),
             u8(C["LBNIC_FLOW_A_PROTO"], 6),
             nla(C["LBNIC_FLOW_A_CLIENT_ADDR"], bytes([10, 0, 1, 2])),
             u16(C["LBNIC_FLOW_A_CLIENT_PORT"], 40000),
             nla(C["LBNIC_FLOW_A_VIP_ADDR"], VIP),
             u16(C["LBNIC_FLOW_A_VIP_PORT"], 80)]
    if state is not None:
        attrs.append(u8(C["LBNIC_FLOW_A_STATE"], state))
    return nest(A_FLOW, *(attrs + list(extra)))


# (description, send() arguments, expected errno, regex the message must match)
CASES = [
    ("unknown command", (C["LBNIC_CMD_MAX"] + 1,), errno.EOPNOTSUPP, r""),
    ("command 0 (UNSPEC)", (0,), errno.EOPNOTSUPP, r""),
    ("set without the config attribute", (SET,), errno.EINVAL,
     r"^missing config attribute$"),
    ("config nest holding no setting", (SET, nest(A_CONFIG)), errno.EINVAL,
     r"holds no setting"),
    ("nest without NLA_F_NESTED", (SET, nla(A_CONFIG, u32(A_CONN_MAX, 4096))),
     errno.EINVAL, r"NLA_F_NESTED"),
    ("config given as a u32, not a nest", (SET, u32(A_CONFIG, 4096)),
     errno.EINVAL, r"\S"),
    ("conn_max of 2 bytes", (SET, nest(A_CONFIG, nla(A_CONN_MAX, b"\x00\x10"))),
     errno.EINVAL, r"length"),
    ("conn_max of 8 bytes", (SET, nest(A_CONFIG, nla(A_CONN_MAX, struct.pack("=Q", 4096)))),
     errno.EINVAL, r"length"),
    ("conn_max of 0", (SET, nest(A_CONFIG, u32(A_CONN_MAX, 0))),
     errno.ERANGE, r"out of range"),
    ("conn_max just below the minimum", (SET, nest(A_CONFIG, u32(A_CONN_MAX, MIN - 1))),
     errno.ERANGE, r"out of range"),
    ("conn_max just above the maximum", (SET, nest(A_CONFIG, u32(A_CONN_MAX, MAX + 1))),
     errno.ERANGE, r"out of range"),
    ("unknown attribute inside the nest", (SET, nest(A_CONFIG, u32(A_CONN_MAX, 4096), u32(99, 1))),
     errno.EINVAL, r"[Uu]nknown attribute"),
    ("unknown top-level attribute", (SET, nest(A_CONFIG, u32(A_CONN_MAX, 4096)) + u32(99, 1)),
     errno.EINVAL, r"[Uu]nknown attribute"),
    ("attribute type 0", (SET, u32(0, 1) + nest(A_CONFIG, u32(A_CONN_MAX, 4096))),
     errno.EINVAL, r"[Uu]nknown attribute"),
    ("attribute longer than the message", (SET, struct.pack("=HH", 64, A_CONFIG) + b"\0" * 4),
     errno.EINVAL, r""),
    ("get_info with an attribute", (GET, u32(A_CONFIG, 1)), errno.EINVAL, r"\S"),
    ("reserved genl header field set", (SET, nest(A_CONFIG, u32(A_CONN_MAX, 4096))),
     errno.EINVAL, r"reserved"),
    ("reserved nlmsg flag set", (SET, nest(A_CONFIG, u32(A_CONN_MAX, 4096))),
     errno.EINVAL, r"flags"),
    ("message shorter than the genl header", (SET,), errno.EINVAL, r""),
    ("new service without the service attribute", (NEW_SVC,), errno.EINVAL,
     r"^missing service attribute$"),
    ("service without a port", (NEW_SVC, svc(port=None)), errno.EINVAL,
     r"^missing service port$"),
    ("service port 0", (NEW_SVC, svc(port=0)), errno.ERANGE, r"out of range"),
    ("service address of 5 bytes", (NEW_SVC, svc(addr=b"\x0a" * 5)),
     errno.EAFNOSUPPORT, r"4 \(IPv4\) or 16 \(IPv6\) bytes"),
    ("service protocol ICMP", (NEW_SVC, svc(proto=1)), errno.EPROTONOSUPPORT,
     r"TCP \(6\) or UDP \(17\)"),
    ("service mode out of range",
     (NEW_SVC, svc(VIP, 80, 6, u8(C["LBNIC_SERVICE_A_MODE"], 9))),
     errno.ERANGE, r"out of range"),
    ("service flags with an unknown bit",
     (NEW_SVC, svc(VIP, 80, 17, u32(C["LBNIC_SERVICE_A_FLAGS"], 1 << 7))),
     errno.EINVAL, r"reserved bit"),
    ("service with read-only stats given",
     (NEW_SVC, svc(VIP, 80, 6, u32(C["LBNIC_SERVICE_A_STATS"], 0))),
     errno.EINVAL, r"read-only"),
    ("read-only config attribute given", (SET, nest(A_CONFIG, u32(C["LBNIC_CONFIG_A_CONN_COUNT"], 1))),
     errno.EINVAL, r"read-only"),
    ("offload threshold above the maximum",
     (SET, nest(A_CONFIG, u32(C["LBNIC_CONFIG_A_OFFLOAD_PACKETS"],
                              C["LBNIC_OFFLOAD_PACKETS_MAX"] + 1))),
     errno.ERANGE, r"out of range"),
    ("flow report without the flow attribute", (SET_FLOW,), errno.EINVAL,
     r"^missing flow attribute$"),
    ("flow report without a state", (SET_FLOW, flow(state=None)), errno.EINVAL,
     r"cookie, tuple or state"),
    ("flow report with a state out of range", (SET_FLOW, flow(state=9)),
     errno.ERANGE, r"out of range"),
    ("flow report with the rule's match given", (SET_FLOW, flow(2, u32(C["LBNIC_FLOW_A_ORIG"], 0))),
     errno.EINVAL, r"read-only"),
    ("flow report on no such flow", (SET_FLOW, flow()), errno.ENOENT,
     r"no offload candidate"),
    ("a timeout past 2^31 jiffies at HZ=1000",
     (SET, nest(A_CONFIG, u32(C["LBNIC_CONFIG_A_TIMEOUT_TCP_EST"], C["LBNIC_TIMEOUT_MAX"] + 1))),
     errno.ERANGE, r"out of range"),
    ("an SNAT port range with one end only",
     (NEW_SVC, svc(VIP, 80, 6, u8(C["LBNIC_SERVICE_A_MODE"], C["LBNIC_MODE_FULLNAT"]),
                   nla(C["LBNIC_SERVICE_A_SNAT_ADDR"], bytes([10, 0, 2, 1])),
                   u16(C["LBNIC_SERVICE_A_SNAT_PORT_MIN"], 2000))),
     errno.EINVAL, r"needs both its ends"),
    ("read-only datapath counters given", (SET, nest(A_CONFIG, u32(C["LBNIC_CONFIG_A_CONN_MAX"], 4096))
                                           + nest(C["LBNIC_A_NET_STATS"])),
     errno.EINVAL, r"\S"),
]
# Per-case extra arguments for the header-level cases.
EXTRA = {
    "reserved genl header field set": {"reserved": 1},
    "reserved nlmsg flag set": {"flags": NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE},
    "message shorter than the genl header": {"length": 18},
}


def main():
    try:
        genl = Genl()
    except OSError as e:
        # The module was just loaded: no family means lbnic is broken.
        print("TAP version 13\n1..1\n# %s\nnot ok 1 netlink_policy" % e)
        return 1
    before = conn_max(genl)
    total = len(CASES) + 2
    print("TAP version 13\n1..%d" % total)
    failed = 0
    for n, (desc, args, want_err, want_msg) in enumerate(CASES, 1):
        err, msg, miss, _ = genl.send(*args, **EXTRA.get(desc, {}))
        ok = err == want_err and re.search(want_msg, msg)
        if desc == "set without the config attribute":
            ok = ok and miss == A_CONFIG
        if not ok:
            failed += 1
            print("# got errno %s msg %r missing-type %r; expected %s, /%s/"
                  % (errno.errorcode.get(err, err), msg, miss,
                     errno.errorcode[want_err], want_msg))
        print("%s %d %s%s" % ("ok" if ok else "not ok", n, desc,
                              (": " + msg) if msg else ""))
    n = len(CASES) + 1
    ok = conn_max(genl) == before
    failed += not ok
    print("%s %d rejected requests changed nothing" % ("ok" if ok else "not ok", n))
    err, msg, _, _ = genl.send(SET, nest(A_CONFIG, u32(A_CONN_MAX, MIN)))
    ok = err == 0 and conn_max(genl) == MIN
    failed += not ok
    print("%s %d a well-formed request after them is applied" % ("ok" if ok else "not ok", n + 1))
    genl.send(SET, nest(A_CONFIG, u32(A_CONN_MAX, before)))
    print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0" % (total - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("TAP version 13\n1..1\nok 1 netlink_policy # SKIP needs root")
        sys.exit(4)
    # The module is loaded here so the script runs on its own too.
    subprocess.run(["bash", "-c", 'source "$0"/lib.sh >/dev/null; lbnic_load',
                    os.path.dirname(os.path.abspath(__file__))], check=False)
    sys.exit(main())
