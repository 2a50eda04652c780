#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Seed 001, sealing an image ahead of its machine: the operator creates an
# instance (hrot-admin instance create), seals a plain image on the host
# (hrot-unlock seal-image), a software-TPM device enrolls claiming that
# instance, the operator approves, and the sealed image's keyslot opens
# through attestation (--test-passphrase: no device-mapper on the host).
# A second device claiming the same instance is refused (instance_claimed),
# an unknown instance too (instance_unknown).  Oracles independent of
# hrot: openssl's HKDF and the cryptsetup CLI (keyslot, and an offline
# `cryptsetup reencrypt --decrypt` giving back the plain image).
. "$(dirname "$0")/lib.sh"

UNLOCK=$BUILD/tests/verifier/hrot-unlock-soft
for t in "$UNLOCK" "$(command -v cryptsetup)"; do
	[ -x "$t" ] || { fail "missing ${t:-cryptsetup} (make -C userspace unit-tests)"; exit 1; }
done

start_verifier seal || { fail "verifier start"; exit 1; }
CA=$V_STATE/ca.pem KEY=$V_STATE/token.pub.pem
PLAIN=$WORK/plain.img IMG=$WORK/sealed.img INST=$WORK/instance.json

# ---- operator: an instance ------------------------------------------------
adm instance create --out "$INST" >"$WORK/create.out" 2>&1
check "instance create writes the instance file" grep -q 'instance [0-9a-f]\{32\} created' "$WORK/create.out"
check "... mode 0600" test "$(stat -c %a "$INST" 2>/dev/null)" = 600
inst=$(sed -n 's/.*"instance_hex": *"\([0-9a-f]*\)".*/\1/p' "$INST")
created=$(sed -n 's/.*"created_at": *\([0-9]*\).*/\1/p' "$INST")
secret=$(sed -n 's/.*"secret": *"\([^"]*\)".*/\1/p' "$INST")
check "... with id, creation time and a 32-byte secret" \
	test ${#inst} -eq 32 -a -n "$created" -a "$(printf %s "$secret" | base64 -d | wc -c)" -eq 32
adm audit >"$WORK/audit.out" 2>&1
check "the creation is audited, without the secret" \
	eval 'grep -q "instance_create.*$inst" "$WORK/audit.out" && ! grep -q "$secret" "$WORK/audit.out"'

# ---- host: seal a plain image ------------------------------------------------
python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    for i in range(4096):
        f.write((b"HROTSEALPATTERN%08d" % i).ljust(4096, b"."))
' "$PLAIN"
"$UNLOCK" seal-image "$PLAIN" "$IMG" --instance-file "$INST" --verifier "$V_URL" \
	--ca "$CA" --token-key "$KEY" --config /dev/null >"$WORK/seal.out" 2>&1; rc=$?
check "seal-image (exit 0)" test $rc -eq 0
check "... names keyslot and instance" grep -q "keyslot 0, instance $inst" "$WORK/seal.out"
cryptsetup luksDump "$IMG" >"$WORK/dump.txt" 2>&1
check "luksDump: LUKS2, one hrot token" \
	eval 'grep -q "^Version:.*2" "$WORK/dump.txt" && test "$(grep -c ": hrot" "$WORK/dump.txt")" -eq 1'
cryptsetup token export --token-id 0 "$IMG" >"$WORK/token.json" 2>&1
check "the token names the instance, no device yet" \
	eval 'grep -q "\"instance\":\"$inst\"" "$WORK/token.json" && ! grep -q "\"device\"" "$WORK/token.json"'
check "the pattern is gone from the sealed image" not grep -q HROTSEALPATTERN "$IMG"
"$UNLOCK" status "$IMG" --config /dev/null >"$WORK/status.out" 2>&1
check "status: sealed, no device yet, the instance" \
	eval 'grep -q "^device: none yet (sealed image" "$WORK/status.out" && grep -q "^instance: $inst" "$WORK/status.out"'

le=$(printf '%016x' "$created" | sed 's/../& /g' | awk '{for (i = NF; i > 0; i--) printf "%s", $i}')
openssl kdf -keylen 32 -kdfopt digest:SHA256 \
	-kdfopt hexkey:"$(printf %s "$secret" | base64 -d | xxd -p -c 64)" -kdfopt hexsalt:"$inst$le" \
	-kdfopt 'info:hrot luks2 keyslot v1' HKDF | tr -d ':\n' | xxd -r -p >"$WORK/key"
check "openssl's HKDF of the secret opens keyslot 0 (cryptsetup CLI)" \
	cryptsetup open --test-passphrase --key-slot 0 --key-file "$WORK/key" "$IMG"
cp "$IMG" "$WORK/dec.img"
cryptsetup reencrypt --decrypt --header "$WORK/dec.hdr" --force-offline-reencrypt \
	--batch-mode --key-file "$WORK/key" "$WORK/dec.img" >"$WORK/dec.out" 2>&1
check "cryptsetup's offline decryption gives the plain image back" \
	cmp -n "$(stat -c %s "$PLAIN")" "$WORK/dec.img" "$PLAIN"
rm -f "$WORK/dec.img" "$WORK/dec.hdr"

# ---- the new machine: enroll claiming the instance ------------------------
D=$WORK/dev-s1
mkdir -p "$D"
start_swtpm s1 || { fail "swtpm"; exit 1; }
att s1 init >/dev/null && echo "kernel of s1" >"$D/kernel" &&
	att s1 measure /boot/vmlinuz "$D/kernel" >/dev/null ||
	{ fail "soft device init"; exit 1; }
unlock_s1() { HROT_SOFT_STATE=$D TPM2TOOLS_TCTI=$TCTI_s1 "$UNLOCK" "$@"; }

unlock_s1 enroll --verifier "$V_URL" --ca "$CA" --token-key "$KEY" --config /dev/null \
	--metadata "$WORK/meta.bin" --hostname s1 --wait 60 --poll 1 --instance "$inst" \
	>"$WORK/enroll.out" 2>&1 &
EPID=$!
remember $EPID
for _ in $(seq 100); do grep -q 'waiting for an operator' "$WORK/enroll.out" && break; sleep 0.1; done
policy_for spol s1 >/dev/null
approve s1 spol | grep -q approved || fail "approve"
wait $EPID; rc=$?
check "enroll --instance claims it after approval (exit 0)" test $rc -eq 0
check "... its metadata names the instance" \
	test "$(xxd -p -s 8 -l 16 "$WORK/meta.bin" 2>/dev/null)" = "$inst"
cp "$WORK/meta.bin" "$D/metadata.bin"
adm device show "$(dev_hex s1)" --json >"$WORK/show.json" 2>&1 ||
	admin_curl GET "/v1/admin/devices/$(dev_hex s1)" >"$WORK/show.json"
check "the verifier lists the device with that instance" grep -q "$inst" "$WORK/show.json"

cat >"$WORK/unlock.conf" <<CONF
ca = $CA
token_key = $KEY
retries = 1
backoff = 200ms
timeout = 10
deadline = 30
CONF
unlock_s1 open "$IMG" vm --test-passphrase --no-keyring --config "$WORK/unlock.conf" \
	--metadata "$WORK/meta.bin" >"$WORK/open.out" 2>&1; rc=$?
check "the sealed image opens through attestation (exit 0)" test $rc -eq 0
check "... after an attestation" grep -q 'attempt 1/2: attested: key released' "$WORK/open.out"

# Metadata of another instance: refused before any attestation.
cp "$WORK/meta.bin" "$WORK/meta-other.bin"
printf '\xff' | dd of="$WORK/meta-other.bin" bs=1 seek=8 conv=notrunc 2>/dev/null
unlock_s1 open "$IMG" vm --test-passphrase --no-keyring --config "$WORK/unlock.conf" \
	--metadata "$WORK/meta-other.bin" >"$WORK/open-other.out" 2>&1; rc=$?
check "another instance's metadata: refused (exit 1), locked" \
	eval 'test $rc -eq 1 && grep -q "stays locked" "$WORK/open-other.out"'
check "... saying this machine did not claim it, before any attempt" \
	eval 'grep -q "did not claim the image" "$WORK/open-other.out" && ! grep -q "attempt " "$WORK/open-other.out"'

# ---- a second machine claiming the same instance -----------------------------
new_device s2 || { fail "second device"; exit 1; }
policy_for spol2 s2 >/dev/null
approve s2 spol2 | grep -q approved || fail "approve s2"
D2=$WORK/dev-s2
HROT_SOFT_STATE=$D2 TPM2TOOLS_TCTI=$TCTI_s2 "$UNLOCK" enroll --verifier "$V_URL" --ca "$CA" \
	--token-key "$KEY" --config /dev/null --metadata "$WORK/meta2.bin" --hostname s2 \
	--wait 5 --poll 1 --instance "$inst" >"$WORK/enroll2.out" 2>&1; rc=$?
check "a second claim of the instance is refused (exit 1)" test $rc -eq 1
check "... with its reason, instance_claimed" grep -q 'activate: instance_claimed' "$WORK/enroll2.out"
check "... and no metadata kept" test ! -e "$WORK/meta2.bin"
HROT_SOFT_STATE=$D2 TPM2TOOLS_TCTI=$TCTI_s2 "$UNLOCK" enroll --verifier "$V_URL" --ca "$CA" \
	--token-key "$KEY" --config /dev/null --metadata "$WORK/meta2.bin" --hostname s2 \
	--wait 5 --poll 1 --instance 00000000000000000000000000000000 >"$WORK/enroll3.out" 2>&1; rc=$?
check "an unknown instance is refused (exit 1, instance_unknown)" \
	eval 'test $rc -eq 1 && grep -q "activate: instance_unknown" "$WORK/enroll3.out"'
adm audit >"$WORK/audit2.out" 2>&1
check "the refused claim is audited" grep -q 'instance_claimed' "$WORK/audit2.out"
exit 0
