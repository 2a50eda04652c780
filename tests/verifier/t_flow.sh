#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole device life: register, refused while pending, approved,
# activated (MakeCredential on swtpm), challenged, attested; the token
# checks out with the openssl CLI and the secret is the instance's.
. "$(dirname "$0")/lib.sh"

start_verifier flow || { fail "verifier start"; exit 1; }

new_device d1 || { fail "device d1: swtpm, init or register"; exit 1; }
pass "register: device $(dev_hex d1) pending"

check "attest while pending is refused (device_pending)" \
	refused_with device_pending att d1 attest --out-token "$WORK/t0" --out-secret "$WORK/s0"
check "nothing issued while pending" test ! -e "$WORK/t0" -a ! -e "$WORK/s0"
check "activate while pending is refused" \
	refused_with '[a-z_]*' att d1 activate

policy_for flowpol d1 >"$WORK/policy.json"
check "policy created" grep -q '"id"\|"name"' "$WORK/policy.json"
approve d1 flowpol >"$WORK/approve.json"
check "operator approves" grep -q '"approved"' "$WORK/approve.json"

check "credential activation enrolls" att d1 activate
check "signed metadata kept" test -s "$WORK/dev-d1/metadata.bin"

check "attest passes" att d1 attest --out-token "$WORK/t1" --out-secret "$WORK/s1"
check "token is 292 bytes" test "$(stat -c %s "$WORK/t1" 2>/dev/null)" = 292
check "token signature verifies with openssl" token_sig_ok "$WORK/t1" "$V_STATE/token.pub.pem"
cp "$WORK/t1" "$WORK/t1.bad" 2>/dev/null &&
	printf '\xff' | dd of="$WORK/t1.bad" bs=1 seek=100 conv=notrunc 2>/dev/null
check "a changed token does not verify with openssl" \
	not token_sig_ok "$WORK/t1.bad" "$V_STATE/token.pub.pem"
check "token names the device" \
	test "$(xxd -p -s 32 -l 34 -c 64 "$WORK/t1")" = "$(dev_hex d1)"
check "token kind is release" test "$(xxd -p -s 8 -l 1 "$WORK/t1")" = 01

check "second attestation passes" att d1 attest --out-token "$WORK/t2" --out-secret "$WORK/s2"
check "secret is 32 bytes" test "$(stat -c %s "$WORK/s1" 2>/dev/null)" = 32
check "same instance secret across attestations" cmp -s "$WORK/s1" "$WORK/s2"
check "each attestation gets its own token" not cmp -s "$WORK/t1" "$WORK/t2"

admin_curl GET "/v1/admin/devices/$(dev_hex d1)" >"$WORK/dev.json"
check "operator sees last verdict pass" grep -q '"pass"' "$WORK/dev.json"
exit 0
