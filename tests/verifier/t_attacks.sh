#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The attack catalogue of issue 4: each is refused with its own reason
# code and nothing is issued.  Honest attestations between attacks show
# that the device itself is fine.
. "$(dirname "$0")/lib.sh"

start_verifier atk --nonce-lifetime 4 || { fail "verifier start"; exit 1; }
enroll a1 pol_a1 || { fail "enroll a1"; exit 1; }
enroll a2 pol_a2 || { fail "enroll a2"; exit 1; }

check "honest attestation passes (nonce saved)" \
	att a1 --tamper save-nonce="$WORK/n1" attest
attack "replayed nonce" nonce_unknown a1 --tamper replay-nonce="$WORK/n1" attest
attack "expired nonce" nonce_expired a1 --tamper delay=6 attest
attack "nonce of another device" nonce_wrong_device a1 \
	--tamper other-device-nonce="$(dev_hex a2)" attest
attack "quote by an AK not enrolled" quote_signature a1 --tamper other-ak attest
attack "forged quote (no TPM_GENERATED_VALUE)" quote_not_tpm a1 \
	--tamper forge-quote attest
attack "flipped bit in the quote" quote_signature a1 --tamper flip-attest attest
attack "flipped bit in the signature" quote_signature a1 --tamper flip-sig attest
attack "flipped bit in a PCR value" pcr_digest a1 --tamper flip-pcr attest
attack "flipped bit in the log" 'log_\(malformed\|replay\)' a1 --tamper flip-log attest
attack "metadata signature wrong" metadata_invalid a1 --tamper bad-metadata attest
attack "ephemeral key not the quoted one" qualifying_data a1 --tamper wrong-eph attest
attack "no physical attestation token" physical_token a1 --tamper no-physical attest
check "honest attestation still passes" att a1 attest

# A log that does not replay: PCR 13 has one more extend than the log.
d=$WORK/dev-a1
cp "$d/log.bin" "$d/log.good"
echo "not allowed" >"$WORK/extra"
att a1 measure /usr/bin/extra "$WORK/extra" >/dev/null
cp "$d/log.bin" "$d/log.full"
cp "$d/log.good" "$d/log.bin"
attack "log that does not replay" log_replay a1 attest
# The full log replays, but names a digest the policy does not allow.
cp "$d/log.full" "$d/log.bin"
attack "unknown component digest" policy_unknown_digest a1 attest

# The hardware changed: another product uuid.
d=$WORK/dev-a2
cp "$d/fingerprint.txt" "$d/fingerprint.good"
sed -i 's/^3 .*/3 00000000000000000000000000000000/' "$d/fingerprint.txt"
attack "fingerprint changed" fingerprint_mismatch a2 attest
cp "$d/fingerprint.good" "$d/fingerprint.txt"
check "a2 with its own hardware passes" att a2 attest

# Pending, revoked, unknown devices.
new_device p1 >/dev/null
attack "device pending" device_pending p1 attest
enroll r1 pol_r1 >/dev/null
check "r1 passes before revocation" att r1 attest
admin_curl POST "/v1/admin/devices/$(dev_hex r1)/revoke" '{"reason":"test"}' >/dev/null
attack "device revoked" device_revoked r1 attest
start_swtpm u1 && att u1 init >/dev/null 2>&1
attack "device never registered" device_unknown u1 --tamper no-physical attest

# Reset counter going backwards: keep the TPM's state, reset it twice
# (resetCount +2) and attest, then bring the kept state back (+1 only).
enroll c1 pol_c1 >/dev/null
stop_swtpm c1
cp -a "$WORK/tpm-c1/state" "$WORK/tpm-c1/state.old"
start_swtpm_again c1; stop_swtpm c1
start_swtpm_again c1
att c1 boot >/dev/null
check "c1 passes after two resets" att c1 attest
stop_swtpm c1
rm -rf "$WORK/tpm-c1/state"
cp -a "$WORK/tpm-c1/state.old" "$WORK/tpm-c1/state"
start_swtpm_again c1
att c1 boot >/dev/null
attack "reset counter going backwards" counters_backwards c1 attest
exit 0
