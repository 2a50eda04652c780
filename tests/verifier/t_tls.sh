#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TLS: 1.3 only; the operator API needs a client certificate that chains
# to the verifier's CA with the operator role.
. "$(dirname "$0")/lib.sh"

start_verifier tls || { fail "verifier start"; exit 1; }
hp=127.0.0.1:$V_PORT
ca=$V_STATE/ca.pem

check "TLS 1.3 handshake succeeds" curl -s -o /dev/null --tlsv1.3 --cacert "$ca" "$V_URL/v1/revocations"
s_client_tls12() {
	openssl s_client -connect "$hp" -tls1_2 -CAfile "$ca" </dev/null >/dev/null 2>&1
}
check "TLS 1.2 refused (openssl s_client)" not s_client_tls12
check "TLS 1.2 refused (curl --tls-max 1.2)" \
	not curl -s -o /dev/null --tls-max 1.2 --cacert "$ca" "$V_URL/v1/revocations"
check "TLS 1.1 refused" \
	not curl -s -o /dev/null --tlsv1.1 --tls-max 1.1 --cacert "$ca" "$V_URL/v1/revocations"

code=$(curl -s -o "$WORK/nocert" -w '%{http_code}' --cacert "$ca" "$V_URL/v1/admin/devices")
check "admin call without a client certificate: 401 unauthorized" \
	test "$code" = 401 -a -n "$(grep -o unauthorized "$WORK/nocert")"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" "$V_URL/metrics")
check "/metrics without a client certificate: 401" test "$code" = 401

# An operator certificate from a CA the verifier does not know.
d=$WORK/rogue
mkdir -p "$d"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=rogue CA" -days 1 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$d/op.key" -out "$d/op.csr" -subj "/CN=rogue/OU=operator" 2>/dev/null
openssl x509 -req -in "$d/op.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
	-CAcreateserial -out "$d/op.pem" -days 1 2>/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" --cert "$d/op.pem" \
	--key "$d/op.key" "$V_URL/v1/admin/devices")
check "admin call with an unknown client certificate refused (got ${code:-none})" \
	test "$code" = 000 -o "$code" = 401

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" --cert "$V_STATE/operator.pem" \
	--key "$V_STATE/operator.key" "$V_URL/v1/admin/devices")
check "admin call with the operator certificate: 200" test "$code" = 200

# A certificate of the verifier's CA with another role is not an operator.
if [ -r "$V_STATE/ca.key" ]; then
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/ag.key" -out "$d/ag.csr" -subj "/CN=agent/OU=agent" 2>/dev/null
	openssl x509 -req -in "$d/ag.csr" -CA "$ca" -CAkey "$V_STATE/ca.key" \
		-CAcreateserial -out "$d/ag.pem" -days 1 2>/dev/null
	code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" --cert "$d/ag.pem" \
		--key "$d/ag.key" "$V_URL/v1/admin/devices")
	check "admin call with an agent certificate: 401" test "$code" = 401
fi

# The clients trust the CA they are given and nothing else: not libcurl's
# built-in CA directory (Debian's /etc/ssl/certs), where any public CA would
# vouch for a verifier.  In a private mount namespace, /etc/ssl/certs holds
# the verifier's CA (hashed as OpenSSL looks it up), and the clients are
# given the rogue CA: they must refuse the verifier.
if unshare -m true 2>/dev/null; then
	hash=$(openssl x509 -hash -noout -in "$ca")
	in_ns() {	# CMD...: in a namespace whose /etc/ssl/certs has the CA
		unshare -m bash -c 'mount -t tmpfs hrot-test /etc/ssl/certs &&
			cp "$1" "/etc/ssl/certs/$2.0" && shift 2 && exec "$@"' _ "$ca" "$hash" "$@"
	}
	check "control: OpenSSL verifies the verifier from the namespace's /etc/ssl/certs" \
		in_ns openssl s_client -connect "$hp" -CApath /etc/ssl/certs -verify_return_error \
		-brief </dev/null
	check "hrot-admin given the rogue CA refuses the verifier" \
		not in_ns "$ADMIN" --state "$V_STATE" --verifier "$V_URL" --timeout 10 \
		--ca "$d/ca.pem" device list
	check "control: hrot-admin with the verifier's CA gets through" \
		in_ns "$ADMIN" --state "$V_STATE" --verifier "$V_URL" --timeout 10 device list
	start_swtpm t1 && att t1 init >/dev/null || fail "soft device t1"
	dev_att=("$ATTESTER" --state "$WORK/dev-t1" --tcti "$TCTI_t1" --verifier "$V_URL"
		--token-pub "$V_STATE/token.pub.pem" --ek-alg ecc)
	in_ns "${dev_att[@]}" --ca "$ca" challenge >"$WORK/ch-ok.out" 2>&1; rc=$?
	check "control: the device client reaches the verifier (unknown device, exit 3)" \
		eval 'test $rc -eq 3 && grep -q device_unknown "$WORK/ch-ok.out"'
	in_ns "${dev_att[@]}" --ca "$d/ca.pem" challenge >"$WORK/ch-rogue.out" 2>&1; rc=$?
	check "the device client (libhrot-client) given the rogue CA refuses the verifier" \
		eval 'test $rc -eq 1 && grep -q transport "$WORK/ch-rogue.out"'
fi
exit 0
