#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# hrot-unlock against the real verifier: enroll (register, wait for the
# operator, activate), bind a LUKS2 image file, then the attested open
# path (--test-passphrase: no device-mapper on the host) with its console
# lines, bounded retries and deadline, fail-closed cases and the measured
# recovery.  The device is swtpm through the software attester, linked
# into the test-only build hrot-unlock-soft (HROT_SOFT_STATE); the derived
# key is checked independently with the openssl CLI's HKDF and the
# cryptsetup CLI.
. "$(dirname "$0")/lib.sh"

UNLOCK=$BUILD/tests/verifier/hrot-unlock-soft
for t in "$UNLOCK" "$(command -v cryptsetup)"; do
	[ -x "$t" ] || { fail "missing ${t:-cryptsetup} (make -C userspace unit-tests)"; exit 1; }
done

start_verifier unlock || { fail "verifier start"; exit 1; }
CA=$V_STATE/ca.pem KEY=$V_STATE/token.pub.pem
D=$WORK/dev-u1 IMG=$WORK/disk.img PASS=$WORK/pass
mkdir -p "$D"

start_swtpm u1 || { fail "swtpm"; exit 1; }
att u1 init >/dev/null && echo "kernel of u1" >"$D/kernel" &&
	att u1 measure /boot/vmlinuz "$D/kernel" >/dev/null ||
	{ fail "soft device init"; exit 1; }

# unlock DEV-ARGS...: hrot-unlock on the soft device u1.
unlock() { HROT_SOFT_STATE=$D TPM2TOOLS_TCTI=$TCTI_u1 "$UNLOCK" "$@"; }

# ---- enroll: register, wait for approval, activate ---------------------------
unlock enroll --verifier "$V_URL" --ca "$CA" --token-key "$KEY" \
	--metadata "$WORK/meta.bin" --hostname u1 --wait 60 --poll 1 \
	>"$WORK/enroll.out" 2>&1 &
EPID=$!
remember $EPID
for _ in $(seq 100); do grep -q 'waiting for an operator' "$WORK/enroll.out" && break; sleep 0.1; done
check "enroll registers and waits for the operator" grep -q 'waiting for an operator' "$WORK/enroll.out"
policy_for upol u1 >/dev/null
approve u1 upol | grep -q approved || fail "approve"
wait $EPID; rc=$?
check "enroll finishes after approval (exit 0)" test $rc -eq 0
check "enroll keeps the signed metadata" test "$(stat -c %s "$WORK/meta.bin" 2>/dev/null)" = 164
cp "$WORK/meta.bin" "$D/metadata.bin"	# the soft attester's own attestations

# ---- bind -------------------------------------------------------------------
printf 'operator passphrase' >"$PASS"
truncate -s 24M "$IMG"
cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
	--key-file "$PASS" "$IMG" || { fail "luksFormat"; exit 1; }
cat >"$WORK/unlock.conf" <<CONF
# test configuration
ca = $CA
token_key = $KEY
retries = 2
backoff = 200ms
connect_timeout = 1
timeout = 10
deadline = 30
CONF
CONF="--config $WORK/unlock.conf"

unlock bind "$IMG" $CONF --verifier "$V_URL" --metadata "$WORK/meta.bin" \
	--key-file "$PASS" >"$WORK/bind.out" 2>&1
check "bind adds keyslot 1 and the hrot token" grep -q 'bound .*keyslot 1' "$WORK/bind.out"
unlock status "$IMG" >"$WORK/status.out" 2>&1
check "status names keyslot, verifier, instance" \
	grep -q "^verifier: $V_URL" "$WORK/status.out"
cryptsetup luksDump "$IMG" >"$WORK/dump.txt" 2>&1
check "luksDump lists one hrot token" test "$(grep -c 'hrot' "$WORK/dump.txt")" -ge 1
check "binding twice is refused" not unlock bind "$IMG" $CONF --verifier "$V_URL" \
	--metadata "$WORK/meta.bin" --key-file "$PASS"

# The independent oracle: the instance secret (through the soft attester),
# HKDF by the openssl CLI, the keyslot opened by the cryptsetup CLI.
att u1 attest --out-secret "$WORK/secret" >/dev/null
inst=$(sed -n 's/^instance: //p' "$WORK/status.out")
created=$(sed -n 's/^created_at: //p' "$WORK/status.out")
le=$(printf '%016x' "$created" | sed 's/../& /g' | awk '{for (i = NF; i > 0; i--) printf "%s", $i}')
openssl kdf -keylen 32 -kdfopt digest:SHA256 \
	-kdfopt hexkey:"$(xxd -p -c 64 "$WORK/secret")" -kdfopt hexsalt:"$inst$le" \
	-kdfopt 'info:hrot luks2 keyslot v1' HKDF | tr -d ':\n' | xxd -r -p >"$WORK/key"
check "openssl's HKDF of the secret opens keyslot 1 (cryptsetup CLI)" \
	cryptsetup open --test-passphrase --key-slot 1 --key-file "$WORK/key" "$IMG"
check "and not keyslot 0" \
	not cryptsetup open --test-passphrase --key-slot 0 --key-file "$WORK/key" "$IMG"

# ---- open -------------------------------------------------------------------
unlock open "$IMG" root --test-passphrase --no-keyring $CONF >"$WORK/open.out" 2>&1; rc=$?
check "open attests and the key opens the token's keyslot (exit 0)" test $rc -eq 0
check "one console line for the attempt" \
	grep -q '^hrot-unlock: attempt 1/3: attested: key released' "$WORK/open.out"

# The physical token only when the device's policy asks for one: the
# challenge says so, and the device saves a challenge, a quote and a request.
audits() { adm audit --device "$(dev_hex u1)" --limit 1000 | grep -c "  $1  "; }
check "a policy requiring a PAT: the challenge says so" \
	grep -q 'physical_required=1' <(att u1 challenge)
check "... and open fetched one (audited physical)" test "$(audits physical)" -ge 1
POLICY_PHYSICAL=false policy_for upol-np u1 >/dev/null
adm device bind "$(dev_hex u1)" upol-np >/dev/null || fail "bind policy upol-np"
check "a policy without: the challenge says so" \
	grep -q 'physical_required=0' <(att u1 challenge)
phys=$(audits physical) passes=$(audits attest)
unlock open "$IMG" root --test-passphrase --no-keyring $CONF >"$WORK/open-np.out" 2>&1; rc=$?
check "open under a policy without PAT (exit 0)" test $rc -eq 0
check "... attested once more ($passes -> $(audits attest)), no physical token fetched" \
	test "$(audits attest)" -eq $((passes + 1)) -a "$(audits physical)" -eq "$phys"
adm device bind "$(dev_hex u1)" upol >/dev/null || fail "bind policy upol again"

unlock open "$IMG" root --test-passphrase --keyring-file "$WORK/no-such-keyring" $CONF \
	>"$WORK/open-kr.out" 2>&1; rc=$?
check "without the kernel keyring it fails closed (exit 1)" test $rc -eq 1
check "... naming the keyring and --no-keyring" \
	grep -q 'attempt 1/3: keyring: keyring_refused: .*no-such-keyring.*--no-keyring' "$WORK/open-kr.out"
check "... after one attempt only" test "$(grep -c 'attempt ' "$WORK/open-kr.out")" -eq 1
check "... the volume stays locked" grep -q 'stays locked' "$WORK/open-kr.out"

# Another CA than the volume was bound to: no attempt at all.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=other \
	-keyout "$WORK/o.key" -out "$WORK/other-ca.pem" -days 1 2>/dev/null
sed "s|^ca = .*|ca = $WORK/other-ca.pem|" "$WORK/unlock.conf" >"$WORK/other.conf"
unlock open "$IMG" root --test-passphrase --no-keyring --config "$WORK/other.conf" \
	>"$WORK/open-ca.out" 2>&1; rc=$?
check "a CA the volume does not pin is refused (exit 1, pin_mismatch)" \
	eval 'test $rc -eq 1 && grep -q "configuration: pin_mismatch: CA .* is not the one" "$WORK/open-ca.out"'
# The pinned CA with another one appended: curl would trust both.
cat "$CA" "$WORK/other-ca.pem" >"$WORK/two-ca.pem"
sed "s|^ca = .*|ca = $WORK/two-ca.pem|" "$WORK/unlock.conf" >"$WORK/two.conf"
unlock open "$IMG" root --test-passphrase --no-keyring --config "$WORK/two.conf" \
	>"$WORK/open-two.out" 2>&1; rc=$?
check "the pinned CA plus another in one file is refused (exit 1), no retry" \
	eval 'test $rc -eq 1 && grep -q "pin_mismatch: .*more than one certificate" "$WORK/open-two.out" &&
		test "$(grep -c "attempt " "$WORK/open-two.out")" -eq 1'
# ... also when the other one is a "TRUSTED CERTIFICATE" block (OpenSSL's
# CA file reader, which curl uses, takes those too)
{ openssl x509 -in "$WORK/other-ca.pem" -trustout; cat "$CA"; } >"$WORK/two-ca.pem"
unlock open "$IMG" root --test-passphrase --no-keyring --config "$WORK/two.conf" \
	>"$WORK/open-trusted.out" 2>&1; rc=$?
check "... also when the other is a TRUSTED CERTIFICATE block, before it" \
	eval 'test $rc -eq 1 && grep -q "more than one certificate" "$WORK/open-trusted.out"'

# Verifier down: the configured retries, then stop.
down=$(free_port)
sed "s|^retries = .*|retries = 2\nverifier = https://127.0.0.1:$down|" "$WORK/unlock.conf" >"$WORK/down.conf"
start=$(date +%s%N)
unlock open "$IMG" root --test-passphrase --no-keyring --config "$WORK/down.conf" \
	>"$WORK/open-down.out" 2>&1; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "verifier down: exit 1" test $rc -eq 1
check "verifier down: 3 attempts, each a transport line" \
	test "$(grep -c '^hrot-unlock: attempt [123]/3: attest: transport: ' "$WORK/open-down.out")" -eq 3
check "verifier down: backoff respected ($ms ms >= 600)" test "$ms" -ge 600

# The deadline bounds everything, whatever the retries.
{ cat "$WORK/unlock.conf"; printf 'retries = 100\nbackoff = 1s\ndeadline = 3\nverifier = https://127.0.0.1:%s\n' "$down"; } \
	>"$WORK/deadline.conf"	# the later line wins
start=$(date +%s%N)
unlock open "$IMG" root --test-passphrase --no-keyring --config "$WORK/deadline.conf" \
	>"$WORK/open-dl.out" 2>&1; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "deadline 3 s: stops in $ms ms (< 4500), exit 1" test $rc -eq 1 -a "$ms" -lt 4500
check "deadline: says so" grep -q 'deadline: deadline: no time left' "$WORK/open-dl.out"

# A verifier that answers slowly and then hangs in the middle of the
# attestation (fixtures/slow_proxy.py: answers held back 0.3 s, nothing
# forwarded after the client's first 2500 bytes: the challenge gets through,
# the attest request never gets an answer).  The deadline bounds the
# attempt's requests together: each request's timeout is cut to what is
# left, not to what was left when the attempt began.
slow=$(free_port)
# (its output away from the runner's pipe, which would wait for it)
python3 "$(dirname "$0")/fixtures/slow_proxy.py" "$slow" "$V_PORT" 0.3 2500 60 \
	>/dev/null 2>&1 &
slow_pid=$!
remember $slow_pid
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$slow) 2>/dev/null && break; sleep 0.1; done
{ cat "$WORK/unlock.conf"; printf 'retries = 0\ntimeout = 20\ndeadline = 4\nverifier = https://127.0.0.1:%s\n' "$slow"; } \
	>"$WORK/slow.conf"
start=$(date +%s%N)
unlock open "$IMG" root --test-passphrase --no-keyring --config "$WORK/slow.conf" \
	>"$WORK/open-slow.out" 2>&1; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "a verifier hanging mid-attestation: deadline 4 s holds ($ms ms < 5000), exit 1" \
	test $rc -eq 1 -a "$ms" -lt 5000
check "... the attempt failed in transport on the attest request, locked" \
	eval 'grep -q "attempt 1/1: attest: transport: .*/v1/attest: " "$WORK/open-slow.out" && grep -q "stays locked" "$WORK/open-slow.out"'
kill $slow_pid 2>/dev/null

# Wrong configuration keys are named, and stop before anything happens.
printf 'retries = 2\ntimout = 3\n' >"$WORK/bad.conf"
unlock open "$IMG" root --test-passphrase --config "$WORK/bad.conf" >"$WORK/bad.out" 2>&1; rc=$?
check "a bad config key is named (exit 2)" \
	eval 'test $rc -eq 2 && grep -q "bad.conf:2: unknown key .timout." "$WORK/bad.out"'

# A modified boot: one extra measured file, the verifier refuses on policy.
echo "an extra module" >"$D/extra"
att u1 measure /lib/modules/extra.ko "$D/extra" >/dev/null
unlock open "$IMG" root --test-passphrase --no-keyring $CONF >"$WORK/open-pol.out" 2>&1; rc=$?
check "policy refusal: exit 1, locked" test $rc -eq 1
check "policy refusal: the reason on the console" \
	grep -q '^hrot-unlock: attempt 1/3: verifier refused: policy_unknown_digest: ' "$WORK/open-pol.out"
check "policy refusal: no retry of a refusal on the merits" \
	test "$(grep -c 'attempt ' "$WORK/open-pol.out")" -eq 1

# Recovery: only when asked for, and measured before the passphrase.
before=$("$BUILD/bin/hrotctl" log --file "$D/log.bin" | grep -c 'recovery.040passphrase.040used')
unlock open "$IMG" root --test-passphrase --no-keyring --recovery \
	--recovery-key-file "$PASS" $CONF >"$WORK/open-rec.out" 2>&1; rc=$?
after=$("$BUILD/bin/hrotctl" log --file "$D/log.bin" | grep -c 'recovery.040passphrase.040used')
check "recovery: the passphrase opens the volume (exit 0)" test $rc -eq 0
check "recovery: its use is measured into the log" test "$after" -eq $((before + 1))
printf 'wrong' >"$WORK/wrong"
unlock open "$IMG" root --test-passphrase --no-keyring --recovery \
	--recovery-key-file "$WORK/wrong" $CONF >"$WORK/open-rec2.out" 2>&1; rc=$?
check "recovery: a wrong passphrase stays locked" \
	eval 'test $rc -eq 1 && grep -q "opens no keyslot" "$WORK/open-rec2.out"'

# ---- unbind -----------------------------------------------------------------
check "unbind" unlock unbind "$IMG"
check "status after unbind: not bound" not unlock status "$IMG"
check "the derived key no longer opens anything" \
	not cryptsetup open --test-passphrase --key-file "$WORK/key" "$IMG"
check "the operator passphrase still does" \
	cryptsetup open --test-passphrase --key-file "$PASS" "$IMG"
exit 0
