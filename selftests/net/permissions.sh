#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reading is open to everyone; changing needs CAP_NET_ADMIN in the user
# namespace that owns the network namespace (GENL_UNS_ADMIN_PERM).
source "$(dirname "$0")/lib.sh"

require_cmd setpriv unshare python3
lbnic_load || ksft_fail_all "cannot load lbnic"
ktap_plan 8

before=$(conn_max)

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$@"
}

check_ok "an unprivileged user can read info" nobody "$LBNIC" info
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

# The owner of a user namespace administers the netns it created.
run unshare --user --map-root-user --net sh -c \
	"'$LBNIC' config set conn-max 4096 && '$LBNIC' -j config show"
rc=$?
check_eq "root of a user namespace can configure its own netns" "$rc" 0
check_eq "and sees its own value" \
	"$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["conn_max"])' "$OUT" 2>/dev/null)" 4096
check_eq "the host netns is still untouched" "$(conn_max)" "$before"

ktap_finished
