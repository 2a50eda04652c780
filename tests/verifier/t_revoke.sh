#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Revocations through hrot-admin: a revoked token id and a revoked device
# are published on GET /v1/revocations (read as a device would, without a
# client certificate); the device is refused from then on, the refusal is
# in the audit log with its reason and counted in /metrics; a revoked
# physical token no longer opens a release; all of it survives a restart.
. "$(dirname "$0")/lib.sh"

start_verifier rev || { fail "verifier start"; exit 1; }
enroll v1 pol_v1 || { fail "enroll v1"; exit 1; }
enroll v2 pol_v2 || { fail "enroll v2"; exit 1; }
hex=$(dev_hex v1)
hex2=$(dev_hex v2)

# GET /v1/revocations as the device sees it: no client certificate.
revocations() {
	curl -s -m 10 --cacert "$V_STATE/ca.pem" "$V_URL/v1/revocations"
}
# in_list FIELD HEX: HEX is in the revocation list's FIELD array.
list_of() { revocations | tr -d ' \n' | grep -o "\"$1\":\[[^]]*\]"; }
in_list() { list_of "$1" | grep -q "\"$2\""; }
# The counter of refusals with REASON, from the operator's /metrics.
refusals() {
	adm metrics | awk -v r="$1" -F' ' \
		'$1 == "hrot_attestations_total{result=\"fail\",reason=\"" r "\"}" { print $2 }'
}

out=$(att v1 --tamper save-request="$WORK/attest.json" attest --out-token "$WORK/t1" 2>&1)
check "v1 attests" grep -q 'verdict=pass' <<<"$out"
# Token id: bytes 16..31 of struct hrot_token (uapi hrot_token.h).
tid=$(xxd -p -s 16 -l 16 "$WORK/t1")
check "token id at bytes 16..31 is the one the client reports" \
	grep -q "token_id=$tid " <<<"$out"
check "empty revocation lists at first" \
	test "$(list_of devices)$(list_of tokens)" = '"devices":[]"tokens":[]'

check "hrot-admin token revoke" adm token revoke "$tid"
check "revocations list the token id" in_list tokens "$tid"
check "hrot-admin revocations shows it too" grep -q "$tid" <(adm revocations)
check "a revoked token does not revoke its device" not in_list devices "$hex"
check "hrot-admin token revoke: a malformed id is a usage error (exit 2)" \
	test "$(adm token revoke 1234 >/dev/null 2>&1; echo $?)" = 2

# A physical token revoked before it expires opens nothing.
check "v1 gets a physical token" att v1 physical --out-token "$WORK/p1"
check "v1 gets another" att v1 physical --out-token "$WORK/p2"
check "an unrevoked saved physical token is accepted" \
	att v1 --tamper physical-token="$WORK/p2" attest
adm token revoke "$(xxd -p -s 16 -l 16 "$WORK/p1")" >/dev/null
attack "revoked physical token" physical_token v1 --tamper physical-token="$WORK/p1" attest

before=$(refusals device_revoked)
check "/metrics has the device_revoked counter" test -n "$before"
check "hrot-admin device revoke" \
	grep -q 'state revoked' <(adm device revoke "$hex" --reason "stolen laptop")
check "revocations list the device" in_list devices "$hex"
check "and still the token" in_list tokens "$tid"
check "not the other device" not in_list devices "$hex2"
attack "revoked device after a pass" device_revoked v1 attest
attack "revoked device, again" device_revoked v1 attest
check "v2 still attests" att v2 attest

adm audit --device "$hex" >"$WORK/audit"
check "hrot-admin audit --device: the revocation with the operator's reason" \
	grep -q 'revoke .*stolen laptop' "$WORK/audit"
check "hrot-admin audit --device: nothing of v2" not grep -q "$hex2" "$WORK/audit"
# The client's attestation starts with POST /v1/challenge, which refuses
# a revoked device by itself: that refusal is audited and counted too.
check "hrot-admin audit --device: the refusals with their reason" \
	grep -q '  challenge  *fail  *device_revoked ' "$WORK/audit"
after=$(refusals device_revoked)
check "/metrics: device_revoked refusals $before -> $after (+2)" \
	test -n "$after" -a "$after" = $((before + 2))

# The appraisal's own refusal: v1's last evidence sent again, as is.
code=$(curl -s -m 10 -o "$WORK/replay.out" -w '%{http_code}' --cacert "$V_STATE/ca.pem" \
	-H 'Content-Type: application/json' --data-binary @"$WORK/attest.json" "$V_URL/v1/attest")
check "v1's saved evidence sent again: 403 device_revoked (got $code)" \
	test "$code" = 403 -a "$(tr -d ' ' <"$WORK/replay.out" | grep -o '"error":"[a-z_]*"')" = '"error":"device_revoked"'
check "... and no token in the answer" not grep -q '"token"' "$WORK/replay.out"
check "hrot-admin audit --device: that refusal with its reason" \
	grep -q '  attest  *fail  *device_revoked  *device revoked: stolen laptop' \
	<(adm audit --device "$hex")
last=$(refusals device_revoked)
check "/metrics: hrot_attestations_total{result=\"fail\",reason=\"device_revoked\"} $after -> $last" \
	test -n "$last" -a "$last" = $((after + 1))
raw=$(admin_curl GET /metrics | grep -F 'hrot_attestations_total{result="fail",reason="device_revoked"}' | awk '{print $2}')
check "raw /metrics with the operator certificate agrees ($raw)" test "$raw" = "$last"

check "re-registering does not lift the revocation" \
	grep -q 'state=revoked' <(att v1 register 2>&1)
check "nor does activating again" refused_with '[a-z_]*' att v1 activate
check "hrot-admin device list: v1 revoked" grep -q "^$hex  *revoked " <(adm device list)

stop_verifier
start_verifier rev || { fail "verifier restart"; exit 1; }
check "after a restart: the device is still listed" in_list devices "$hex"
check "after a restart: the token is still listed" in_list tokens "$tid"
attack "after a restart: still refused" device_revoked v1 attest
exit 0
