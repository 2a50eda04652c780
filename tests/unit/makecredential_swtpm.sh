#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cross-checks of libhrot against a real TPM (swtpm), MakeCredential:
# an EK and AK are made on swtpm with tpm2-tools, hrotctl makecredential
# wraps a secret for them, and tpm2_activatecredential must recover it
# byte for byte (RSA and ECC EKs).  Skipped (exit 77) without swtpm or
# tpm2-tools.
#   HROTCTL=build/bin/hrotctl tests/unit/makecredential_swtpm.sh
set -u

HROTCTL=${HROTCTL:?set HROTCTL}
for t in swtpm tpm2_createek tpm2_createak tpm2_activatecredential \
	tpm2_startauthsession tpm2_policysecret tpm2_flushcontext; do
	command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
done

dir=$(mktemp -d)
swtpm_pid=
cleanup() {
	[ -n "$swtpm_pid" ] && kill "$swtpm_pid" 2>/dev/null && wait "$swtpm_pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

port=$(( 20000 + RANDOM % 20000 ))
mkdir "$dir/state"
swtpm socket --tpm2 --server type=tcp,port=$port \
	--ctrl type=tcp,port=$((port + 1)) --flags not-need-init,startup-clear \
	--tpmstate dir="$dir/state" >"$dir/swtpm.log" 2>&1 &
swtpm_pid=$!
export TPM2TOOLS_TCTI="swtpm:port=$port"
for _ in $(seq 50); do
	tpm2_getrandom 4 >/dev/null 2>&1 && break
	sleep 0.1
done

passed=0
failed=0
check() {	# ALG
	local alg=$1 d="$dir/$1"
	mkdir "$d"
	tpm2_createek -c "$d/ek.ctx" -G "$alg" -u "$d/ek.pub" >/dev/null &&
	tpm2_createak -C "$d/ek.ctx" -c "$d/ak.ctx" -G ecc -g sha256 \
		-s ecdsa -u "$d/ak.pub" -n "$d/ak.name" >/dev/null || {
		echo "FAIL $alg: could not create the EK and AK"; failed=$((failed + 1)); return; }
	tpm2_flushcontext -t
	head -c 32 /dev/urandom >"$d/secret"
	"$HROTCTL" makecredential --ek "$d/ek.pub" \
		--name "$(xxd -p -c 256 "$d/ak.name")" --secret "$d/secret" \
		--out "$d/cred" || { echo "FAIL $alg: hrotctl makecredential"; failed=$((failed + 1)); return; }
	tpm2_startauthsession --policy-session -S "$d/session.ctx" &&
	tpm2_policysecret -S "$d/session.ctx" -c e >/dev/null &&
	tpm2_activatecredential -c "$d/ak.ctx" -C "$d/ek.ctx" -i "$d/cred" \
		-o "$d/out" -P "session:$d/session.ctx" >/dev/null 2>"$d/err"
	local rc=$?
	tpm2_flushcontext "$d/session.ctx" 2>/dev/null
	tpm2_flushcontext -t
	if [ $rc -eq 0 ] && cmp -s "$d/secret" "$d/out"; then
		echo "PASS $alg: tpm2_activatecredential recovers hrot's credential"
		passed=$((passed + 1))
	else
		echo "FAIL $alg: tpm2_activatecredential: $(cat "$d/err")"
		failed=$((failed + 1))
	fi
}

# tpm2_quote's files (TPMS_ATTEST, TPMT_SIGNATURE, serialized PCRs with
# more than 8 PCRs, AK as TPM2B_PUBLIC) must pass hrotctl verify-quote, and
# a wrong nonce must be rejected.
quote() {
	local d="$dir/rsa" nonce=00112233445566778899aabbccddeeff out
	tpm2_pcrextend 13:sha256=$(printf '%064x' 7) &&
	tpm2_quote -c "$d/ak.ctx" -l sha256:0,1,2,3,4,5,6,7,8,13 -q $nonce \
		-m "$d/q.msg" -s "$d/q.sig" -o "$d/q.pcrs" -g sha256 >/dev/null || {
		echo "FAIL quote: tpm2_quote"; failed=$((failed + 1)); return; }
	tpm2_flushcontext -t
	if out=$("$HROTCTL" verify-quote --ak "$d/ak.pub" --msg "$d/q.msg" \
		--sig "$d/q.sig" --pcrs "$d/q.pcrs" --nonce $nonce \
		--pcr-list sha256:0,1,2,3,4,5,6,7,8,13) &&
	   ! "$HROTCTL" verify-quote --ak "$d/ak.pub" --msg "$d/q.msg" \
		--sig "$d/q.sig" --pcrs "$d/q.pcrs" --nonce ${nonce%??}00 \
		| grep -q 'quote OK'; then
		echo "PASS quote: hrotctl verify-quote accepts tpm2_quote's files"
		passed=$((passed + 1))
	else
		echo "FAIL quote: $out"
		failed=$((failed + 1))
	fi
}

check rsa
check ecc
# Not ecc384: the high-range EK's admin policy is a PolicyOR that
# PolicySecret alone does not satisfy; P-384 unwrapping is covered by
# test_credential.
quote
echo "makecredential_swtpm: $passed passed, $failed failed"
[ $failed -eq 0 ]
