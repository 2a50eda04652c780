#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Maintenance: the motherboard of an enrolled device is replaced (another
# product uuid).  It is refused (fingerprint_mismatch) until the operator
# re-registers the new fingerprint with hrot-admin; then it passes again,
# and the old hardware no longer does.
. "$(dirname "$0")/lib.sh"

start_verifier fp || { fail "verifier start"; exit 1; }
enroll f1 pol_f1 || { fail "enroll f1"; exit 1; }
enroll f2 pol_f2 || { fail "enroll f2"; exit 1; }
hex=$(dev_hex f1)
d=$WORK/dev-f1

check "f1 attests on its registered hardware" att f1 attest
att f1 fingerprint >"$WORK/old.json" || fail "fingerprint of f1"
cp "$d/fingerprint.txt" "$d/fingerprint.old"
newuuid=$(head -c 16 /dev/urandom | xxd -p)
sed -i "s/^3 .*/3 $newuuid/" "$d/fingerprint.txt"
att f1 fingerprint >"$WORK/new.json" || fail "fingerprint of f1"
check "the new fingerprint has another digest" \
	not cmp -s <(grep -o '"digest_hex": *"[0-9a-f]*"' "$WORK/old.json" | head -1) \
	<(grep -o '"digest_hex": *"[0-9a-f]*"' "$WORK/new.json" | head -1)

out=$(att f1 attest 2>&1)
check "after the repair: fingerprint_mismatch" grep -q 'reason=fingerprint_mismatch ' <<<"$out"
check "the refusal names the component that changed (product_uuid)" \
	grep -q 'detail=.*product_uuid' <<<"$out"

# A file whose digest does not match its components is refused by the
# verifier and changes nothing.
sed 's/"digest_hex": *"\([0-9a-f]\)/"digest_hex": "0/' "$WORK/new.json" >"$WORK/bad.json"
if cmp -s "$WORK/new.json" "$WORK/bad.json"; then
	sed -i '0,/"digest_hex": *"0/s//"digest_hex": "1/' "$WORK/bad.json"
fi
out=$(adm device fingerprint "$hex" "$WORK/bad.json" 2>&1); rc=$?
check "hrot-admin device fingerprint: wrong digest refused (exit $rc, bad_request)" \
	test "$rc" = 1 -a -n "$(grep ': bad_request: ' <<<"$out")"
attack "still refused after the bad update" fingerprint_mismatch f1 attest

check "hrot-admin device fingerprint with the new one" \
	adm device fingerprint "$hex" "$WORK/new.json"
check "attest passes again" att f1 attest --out-token "$WORK/t1" --out-secret "$WORK/s1"
check "token signature verifies with openssl" token_sig_ok "$WORK/t1" "$V_STATE/token.pub.pem"
check "the device record shows the new product uuid" \
	grep -q "$newuuid" <(adm --json device show "$hex")
check "hrot-admin audit --device: the fingerprint update is audited" \
	grep -q 'fingerprint' <(adm audit --device "$hex" | grep -v '  attest  \|  physical  ')
check "f2 is not affected" att f2 attest

cp "$d/fingerprint.txt" "$d/fingerprint.new"
cp "$d/fingerprint.old" "$d/fingerprint.txt"
attack "the old motherboard is refused now" fingerprint_mismatch f1 attest
cp "$d/fingerprint.new" "$d/fingerprint.txt"

# The other form hrot-admin takes: the object under "fingerprint".
cp "$d/fingerprint.old" "$d/fingerprint.txt"
{ printf '{"fingerprint": '; cat "$WORK/old.json"; printf '}\n'; } >"$WORK/wrapped.json"
check "hrot-admin device fingerprint, {\"fingerprint\": ...} form: back to the old board" \
	adm device fingerprint "$hex" "$WORK/wrapped.json"
check "the old board attests again" att f1 attest
exit 0
