#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole device life: register, refused while pending, approved,
# activated (MakeCredential on swtpm), challenged, attested; the token
# checks out with the openssl CLI and the secret is the instance's.  A
# runtime attestation (hrot-agent's) gets a token and no secret, and is
# refused and audited like any other.
. "$(dirname "$0")/lib.sh"

start_verifier flow || { fail "verifier start"; exit 1; }

new_device d1 || { fail "device d1: swtpm, init or register"; exit 1; }
pass "register: device $(dev_hex d1) pending"

check "attest while pending is refused (device_pending)" \
	refused_with device_pending att d1 attest --out-token "$WORK/t0" --out-secret "$WORK/s0"
check "nothing issued while pending" test ! -e "$WORK/t0" -a ! -e "$WORK/s0"
check "activate while pending is refused" \
	refused_with '[a-z_]*' att d1 activate

# The operator's side through hrot-admin: the policy comes from the
# reference machine's log (here the device's own), approval binds it.
hex=$(dev_hex d1)
check "hrot-admin device list: d1 pending" \
	grep -q "^$hex  *pending " <(adm device list)
check "hrot-admin policy import --from-log" \
	adm policy import flowpol --version 1 --from-log "$WORK/dev-d1/log.bin"
check "hrot-admin policy list names it" grep -q flowpol <(adm policy list)
check "hrot-admin device approve --policy" \
	grep -q 'state approved' <(adm device approve "$hex" --policy flowpol)
check "approving an unknown device fails (exit 1, not_found)" \
	grep -q ': not_found: ' <(adm device approve "000b$(printf '%064d' 0)" 2>&1)

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

# A runtime attestation (hrot-agent's): the same appraisal, a token, and
# no secret (the client refuses an answer that carries one).
rm -f "$WORK/s3"
check "runtime attestation passes" \
	att d1 attest --runtime --out-token "$WORK/t3" --out-secret "$WORK/s3"
check "runtime: the token verifies with openssl" token_sig_ok "$WORK/t3" "$V_STATE/token.pub.pem"
check "runtime: the token names the device" \
	test "$(xxd -p -s 32 -l 34 -c 64 "$WORK/t3")" = "$(dev_hex d1)"
check "runtime: no secret" test ! -s "$WORK/s3"
check "runtime: token kind is runtime (3)" test "$(xxd -p -s 8 -l 1 "$WORK/t3")" = 03
check "runtime: audited as runtime, with its token" \
	grep -q "  runtime  *ok  .*runtime token $(xxd -p -s 16 -l 16 "$WORK/t3")" \
	<(adm audit --device "$(dev_hex d1)")

check "hrot-admin device list: d1 enrolled, last verdict pass" \
	grep -q "^$hex  *enrolled  *flowpol .* pass  " <(adm device list)
# The admin API itself, raw: what hrot-admin reads.
admin_curl GET "/v1/admin/devices/$hex" >"$WORK/dev.json"
check "raw admin API: device record with last verdict pass" \
	grep -q '"last_verdict": *"pass"' "$WORK/dev.json"

# A component attestation (seed 002): a token of kind COMPONENT naming a
# file this boot measured and the policy lets have keys, and no secret;
# one the policy does not mark, or that was not measured: refused.
kdig=$(sha256sum "$WORK/dev-d1/kernel" | cut -c1-64)
attack "component attestation for a measured file the policy does not mark" \
	component_not_allowed d1 attest --component "$kdig"
check "... the refusal says the policy allows it no keys" \
	grep -q "  component  *fail  *component_not_allowed  *component $kdig: no entry of policy 'flowpol' allows it component keys" \
	<(adm audit --device "$(dev_hex d1)")
printf '%s  /boot/vmlinuz\n' "$kdig" >"$WORK/programs.list"
check "hrot-admin policy import --component-list marks the program" \
	adm policy import flowpol --version 2 --from-log "$WORK/dev-d1/log.bin" \
		--component-list "$WORK/programs.list"
admin_curl GET /v1/admin/policies >"$WORK/pol2.json"
check "... one entry, with component_key" \
	test "$(jq -r '.policies[] | select(.name == "flowpol" and .version == "2") | .entries[] | select(.component_key == true) | .component' \
		"$WORK/pol2.json")" = /boot/vmlinuz
adm device bind "$(dev_hex d1)" flowpol >/dev/null
rm -f "$WORK/s4"
check "component attestation for the measured, marked program passes" \
	att d1 attest --component "$kdig" --out-token "$WORK/t4" --out-secret "$WORK/s4"
check "component: token kind is component (4)" test "$(xxd -p -s 8 -l 1 "$WORK/t4")" = 04
check "component: the token names it" test "$(xxd -p -s 148 -l 32 -c 64 "$WORK/t4")" = "$kdig"
check "component: the token verifies with openssl" token_sig_ok "$WORK/t4" "$V_STATE/token.pub.pem"
check "component: no secret" test ! -s "$WORK/s4"
check "component: audited as component" \
	grep -q "  component  *ok  .*component token $(xxd -p -s 16 -l 16 "$WORK/t4") for $kdig" \
	<(adm audit --device "$(dev_hex d1)")
# Re-imported with --keep-previous but without --component-list: the mark
# goes (the new version's entry for the file counts, not the old one's).
check "policy import --keep-previous without --component-list" \
	adm policy import flowpol --version 3 --from-log "$WORK/dev-d1/log.bin" --keep-previous
admin_curl GET /v1/admin/policies >"$WORK/pol3.json"
check "... no entry of flowpol 3 is marked" \
	test "$(jq '[.policies[] | select(.name == "flowpol" and .version == "3") | .entries[] | select(.component_key == true)] | length' \
		"$WORK/pol3.json")" = 0
adm device bind "$(dev_hex d1)" flowpol >/dev/null
attack "... and the kernel gets no component token any more" component_not_allowed \
	d1 attest --component "$kdig"
attack "component attestation for a file this boot did not measure" component_not_allowed \
	d1 attest --component "$(printf 'not measured' | sha256sum | cut -c1-64)"

# A policy from a list of file digests (sha256sum output) instead of a
# log: d2 measures files under the names that are their paths, as the
# module logs them.
start_swtpm d2 && att d2 init >/dev/null || { fail "device d2"; exit 1; }
f=$WORK/files
mkdir -p "$f"
echo "kernel 6.1" >"$f/vmlinuz"; echo "initrd 6.1" >"$f/initrd.img"
echo "cryptsetup" >"$f/cryptsetup"
for x in vmlinuz initrd.img cryptsetup; do
	att d2 measure "$f/$x" "$f/$x" >/dev/null || fail "measure $x"
done
att d2 register >/dev/null
hex2=$(dev_hex d2)
sha256sum "$f/vmlinuz" "$f/initrd.img" "$f/cryptsetup" >"$WORK/list"
sha256sum "$f/vmlinuz" "$f/initrd.img" >"$WORK/list.short"
check "hrot-admin policy import --from-list of sha256sum output" \
	adm policy import listpol --version 1 --from-list "$WORK/list"
check "hrot-admin policy import --from-list, one file short" \
	adm policy import shortpol --version 1 --from-list "$WORK/list.short"
adm device approve "$hex2" --policy shortpol >/dev/null
check "d2 activates" att d2 activate
attack "policy from a list without cryptsetup" policy_unknown_digest d2 attest
attack "runtime attestation, same policy" policy_unknown_digest d2 attest --runtime
check "runtime refusal: audited as runtime, with its reason" \
	grep -q "  runtime  *fail  *policy_unknown_digest" <(adm audit --device "$hex2")
check "runtime refusal: the device's last verdict" \
	grep -q "^$hex2  *enrolled  *shortpol .* fail " <(adm device list)
check "hrot-admin device bind to the full list's policy" adm device bind "$hex2" listpol
check "attest passes under the list's policy" att d2 attest

# Retention: hrot-admin prune forgets the passing runtime and component
# verdicts (none of the tokens has expired yet); the refusals, the unlock
# passes and the operator's actions stay.  sqlite3 reads the store.
q() { sqlite3 "$V_STATE/hrot.db" "$1"; }
rt=$(q "SELECT count(*) FROM audit WHERE ok = 1 AND action IN ('runtime', 'component')")
other=$(q "SELECT count(*) FROM audit WHERE NOT (ok = 1 AND action IN ('runtime', 'component'))")
check "prune --older-than 0: $rt runtime records, no token" \
	grep -qx "pruned: 0 expired tokens, $rt runtime audit records" <(adm prune --older-than 0)
check "... the runtime passes are gone" \
	test "$(q "SELECT count(*) FROM audit WHERE ok = 1 AND action IN ('runtime', 'component')")" = 0
check "... everything else stayed, and the prune is audited" \
	test "$(q "SELECT count(*) FROM audit WHERE action != 'prune'")" = "$other" \
	-a "$(q "SELECT count(*) FROM audit WHERE action = 'prune'")" = 1
check "prune without --older-than: usage error (exit 2)" \
	test "$(adm prune >/dev/null 2>&1; echo $?)" = 2
exit 0
