#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input at the HTTP level: oversized bodies, garbage connections,
# slow clients.
. "$(dirname "$0")/lib.sh"

start_verifier robust --read-timeout 2 || { fail "verifier start"; exit 1; }
ca=$V_STATE/ca.pem
# alive: the verifier answers a request within 3 tries of 5 s (a loaded
# 2-core machine may still be busy with the burst's last handshakes).
alive() {
	local i
	for i in 1 2 3; do
		curl -s -o /dev/null -m 5 --cacert "$ca" "$V_URL/v1/revocations" && return 0
		sleep 1
	done
	return 1
}

head -c $((2 << 20)) /dev/zero | tr '\0' 'a' >"$WORK/big"
# curl sends "Expect: 100-continue" for a body this size: the server can
# refuse from the headers alone, as protocol.md says it does.
code=$(curl -s -o "$WORK/big.out" -w '%{http_code}' -m 20 --cacert "$ca" \
	-H 'Content-Type: application/json' \
	--data-binary @"$WORK/big" "$V_URL/v1/register")
check "2 MiB body: 413 (got $code)" test "$code" = 413
# (the 413 of an announced oversized body is libevent's, before any
# handler runs: its body is not the JSON error; Documentation/protocol.md)
check "413 before the body was read: nothing registered" \
	test "$(curl -s --cacert "$ca" --cert "$V_STATE/operator.pem" --key "$V_STATE/operator.key" \
		"$V_URL/v1/admin/devices" | grep -c '"device"')" = 0

code=$(curl -s -o "$WORK/bad.out" -w '%{http_code}' --cacert "$ca" \
	-H 'Content-Type: application/json' -d '{"device": 5' "$V_URL/v1/challenge")
check "truncated JSON: 400 bad_request" test "$code" = 400 -a -n "$(grep -o bad_request "$WORK/bad.out")"

# 200 plain-TCP connections of random bytes, 50 TLS ones of garbage HTTP.
# (wait for these only: the verifier is a child of this shell too)
jobs_=()
for i in $(seq 200); do
	(timeout 5 bash -c "head -c 600 /dev/urandom >/dev/tcp/127.0.0.1/$V_PORT") 2>/dev/null &
	jobs_+=($!)
done
for i in $(seq 50); do
	(head -c 300 /dev/urandom | timeout 5 openssl s_client -quiet \
		-connect 127.0.0.1:"$V_PORT" -CAfile "$ca" >/dev/null 2>&1) &
	jobs_+=($!)
done
wait "${jobs_[@]}"
check "still answering after a burst of garbage connections" alive
check "verifier process alive" kill -0 "$V_PID"

# A client that sends half a request and then nothing: dropped after the
# read timeout (2 s), long before it gives up itself (12 s).
start=$(date +%s)
(printf 'POST /v1/challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"dev'; sleep 12) |
	{ timeout 15 openssl s_client -quiet -connect 127.0.0.1:"$V_PORT" -CAfile "$ca" \
	>/dev/null 2>&1; date +%s >"$WORK/slow.end"; }
took=$(( $(cat "$WORK/slow.end") - start ))
check "slow client dropped by the server (after ${took}s)" test "$took" -lt 10
check "still answering after the slow client" alive
exit 0
