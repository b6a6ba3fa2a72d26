#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may do what.  Every command, reading included, needs CAP_NET_ADMIN in
# the user namespace that owns the network namespace (GENL_UNS_ADMIN_PERM),
# and so does joining the offload events (GENL_MCAST_CAP_NET_ADMIN): lbnic's
# state names clients, backends and MAC addresses, as IPVS's and
# conntrack's do.  The owner of a user namespace administers the network
# namespaces it made, within bounds that keep it from pinning the host's
# memory: conn-max at most conn_max_unpriv, and a reserve of entries all
# such namespaces share, conn_unpriv_total.
# timeout: 120
source "$(dirname "$0")/lib.sh"

require_cmd setpriv unshare python3
lbnic_unload
lbnic_load conn_max_unpriv=4096 conn_unpriv_total=6144 ||
	ksft_fail_all "cannot load lbnic"
on_exit lbnic_unload	# the next test loads it with its defaults
ktap_plan 13

before=$(conn_max)

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$@"
}

for what in info "service show" "conn show"; do
	# shellcheck disable=SC2086
	check_err "an unprivileged user cannot $what" \
		"^Error: Operation not permitted\.$" nobody "$LBNIC" $what
done
check_err "... nor join the offload events" "Operation not permitted" \
	nobody python3 -c '
import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))
# CTRL_CMD_GETFAMILY "lbnic": find the group id of "offload".
name = b"lbnic\0"
attr = struct.pack("=HH", 4 + len(name), 2) + name + b"\0" * (-len(name) % 4)
msg = struct.pack("=BBH", 3, 1, 0) + attr
s.send(struct.pack("=IHHII", 16 + len(msg), 0x10, 1, 1, 0) + msg)
data, off, gid = s.recv(65536), 20, None
def attrs(b, o, end):
    while o + 4 <= end:
        l, t = struct.unpack_from("=HH", b, o)
        yield t & 0x7fff, o + 4, o + l
        o += (l + 3) & ~3
for t, o, e in attrs(data, 20, len(data)):
    if t == 7:                                  # CTRL_ATTR_MCAST_GROUPS
        for _, go, ge in attrs(data, o, e):
            g = dict((tt, data[oo:ee]) for tt, oo, ee in attrs(data, go, ge))
            if g.get(1, b"").rstrip(b"\0") == b"offload":
                gid = struct.unpack("=I", g[2])[0]
s.setsockopt(270, 1, gid)                     # NETLINK_ADD_MEMBERSHIP
print("joined group", gid)'
check_err "an unprivileged user cannot change config" \
	"^Error: Operation not permitted\.$" nobody "$LBNIC" config set conn-max 4096
check_err "root without CAP_NET_ADMIN cannot change config" \
	"^Error: Operation not permitted\.$" \
	setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
	"$LBNIC" config set conn-max 4096
check_err "root of a child user namespace cannot change the host netns" \
	"^Error: Operation not permitted\.$" \
	unshare --user --map-root-user "$LBNIC" config set conn-max 4096
check_eq "refused requests changed nothing" "$(conn_max)" "$before"

# userns SCRIPT: SCRIPT in a new user namespace and network namespace.
userns() {
	unshare --user --map-root-user --net sh -c "LBNIC='$LBNIC'; $1"
}

run userns '$LBNIC config set conn-max 2048 && $LBNIC -j config show'
rc=$?
check_eq "root of a user namespace configures its own netns, within bounds" \
	"$rc $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["conn_max"])' "$OUT" 2>/dev/null)" \
	"0 2048"
check_err "... but not past conn_max_unpriv" "^Error: conn-max is above conn_max_unpriv" \
	userns '$LBNIC config set conn-max 8192'
run userns '$LBNIC -j config show'
check_eq "a new user namespace's netns starts at conn_max_unpriv" \
	"$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["conn_max"])' "$OUT" 2>/dev/null)" 4096

# At most 4096 services in such a namespace (one batch, one process).
batch=$(mktemp)
on_exit rm -f "$batch"
for i in $(seq 1 4096); do
	echo "service add 10.9.$((i / 256)).$((i % 256)):80 proto udp"
done > "$batch"
check_err "its 4097th service is refused" "^Error: namespace has too many services\.$" \
	userns "\$LBNIC -b '$batch' >/dev/null 2>&1 || exit 9; \$LBNIC service add 10.9.99.99:80 proto udp"

# Two such namespaces with tables of 4096 entries: 8192 > 6144 reserved.
hold=$(mktemp -u)
on_exit rm -f "$hold"
bg unshare --user --map-root-user --net sh -c \
	"'$LBNIC' service add 10.0.0.10:80 proto tcp && touch '$hold' && exec sleep 600"
busywait 20000 test -e "$hold" || ksft_fail_all "the first namespace did not start"
check_err "the shared reserve of unprivileged namespaces is bounded" \
	"^Error: the connection entries of namespaces of non-initial user namespaces are all reserved" \
	userns '$LBNIC service add 10.0.0.10:80 proto tcp'

ktap_finished
