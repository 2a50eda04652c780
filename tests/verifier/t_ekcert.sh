#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# EK certificates: TPMs manufactured by swtpm_setup carry their RSA EK's
# certificate, signed by swtpm-localca, in NV.  A verifier with that CA
# (--ek-ca) registers a device whose certificate chains and names its EK,
# and refuses a missing one (--require-ek-cert), one of another CA, one of
# another TPM; then the device lives its whole life through the RSA EK.
# openssl checks the certificates independently of the verifier.
. "$(dirname "$0")/lib.sh"

command -v swtpm_setup >/dev/null || { fail "swtpm_setup not installed"; exit 1; }
bundle=$WORK/ek-ca.pem
ek_ca_bundle "$bundle" || { fail "no swtpm-localca certificates in $EK_CA_DIR"; exit 1; }

# k1, k2: manufactured, RSA EKs with certificates.  n1: a plain swtpm.
for t in k1 k2; do
	manufacture_swtpm $t && start_swtpm $t || { fail "manufactured swtpm $t"; exit 1; }
	eval "EKALG_$t=rsa"
done
start_swtpm n1 || { fail "swtpm n1"; exit 1; }
EKALG_n1=rsa
for t in k1 k2 n1; do
	o=$(att $t init 2>&1) || { fail "init $t: $o"; exit 1; }
	echo "kernel of $t" >"$WORK/dev-$t/kernel"
	att $t measure /boot/vmlinuz "$WORK/dev-$t/kernel" >/dev/null ||
		{ fail "measure $t"; exit 1; }
done
d=$WORK/dev-k1

check "init copied the EK certificate from NV 0x01c00002" test -s "$d/ek.cert"
check "a plain swtpm has none, none is kept" test ! -e "$WORK/dev-n1/ek.cert"
openssl x509 -inform der -in "$d/ek.cert" -out "$WORK/k1-cert.pem" 2>/dev/null
check "openssl: the certificate chains to swtpm-localca" \
	openssl verify -CAfile "$bundle" "$WORK/k1-cert.pem"
TPM2TOOLS_TCTI=$TCTI_k1 tpm2_readpublic -c "0x81010001" -f pem -o "$WORK/k1-ek.pem" >/dev/null
openssl x509 -in "$WORK/k1-cert.pem" -pubkey -noout >"$WORK/k1-cert-key.pem" 2>/dev/null
rsa2048() { openssl pkey -pubin -in "$1" -noout -text 2>/dev/null | grep -q '2048 bit'; }
check "openssl: its key is the EK the attester uses" \
	cmp -s "$WORK/k1-cert-key.pem" "$WORK/k1-ek.pem"
check "openssl: that EK is RSA-2048" rsa2048 "$WORK/k1-ek.pem"

# A certificate of another CA for the same key, made by the openssl CLI.
r=$WORK/rogue
mkdir -p "$r"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$r/ca.key" -out "$r/ca.pem" -subj "/CN=swtpm-localca" -days 1 2>/dev/null
openssl x509 -new -subj "/CN=unknown" -force_pubkey "$WORK/k1-ek.pem" \
	-CA "$r/ca.pem" -CAkey "$r/ca.key" -days 1 -outform der \
	-out "$r/ek.cert" 2>/dev/null
check "rogue certificate: openssl finds it names k1's EK" \
	test "$(openssl x509 -inform der -in "$r/ek.cert" -pubkey -noout 2>/dev/null)" = \
	"$(cat "$WORK/k1-ek.pem")"
check "rogue certificate: openssl finds it does not chain to swtpm-localca" \
	not openssl verify -CAfile "$bundle" <(openssl x509 -inform der -in "$r/ek.cert")

# --ek-ca without --require-ek-cert: a device without a certificate may
# register, one with a certificate must have a good one.
start_verifier ekopt --ek-ca "$bundle" || { fail "verifier start"; exit 1; }
check "certificate optional: a device without one registers" att n1 register
check "certificate optional: a good one registers" att k2 register
cp "$d/ek.cert" "$d/ek.cert.good"
cp "$r/ek.cert" "$d/ek.cert"
check "certificate optional: one of another CA still refused (ek_cert_untrusted)" \
	refused_with ek_cert_untrusted att k1 register
cp "$d/ek.cert.good" "$d/ek.cert"
stop_verifier

start_verifier ek --ek-ca "$bundle" --require-ek-cert ||
	{ fail "verifier start"; exit 1; }
out=$(att n1 register 2>&1)
check "--require-ek-cert: no certificate refused (ek_cert_untrusted)" \
	grep -q 'verdict=fail reason=ek_cert_untrusted .*required' <<<"$out"
cp "$r/ek.cert" "$d/ek.cert"
out=$(att k1 register 2>&1)
check "certificate of another CA for the same EK: ek_cert_untrusted" \
	grep -q 'verdict=fail reason=ek_cert_untrusted .*does not chain' <<<"$out"
cp "$WORK/dev-k2/ek.cert" "$d/ek.cert"
check "swtpm-localca certificate of another TPM's EK: ek_cert_mismatch" \
	refused_with ek_cert_mismatch att k1 register
head -c 400 /dev/urandom >"$d/ek.cert"
check "bytes that are no certificate: bad_request" \
	refused_with bad_request att k1 register
check "no refused registration is stored" \
	test "$(adm --json device list | grep -c '"device"')" = 0

cp "$d/ek.cert.good" "$d/ek.cert"
check "its own certificate: registered, pending" \
	grep -q '^register ok state=pending' <(att k1 register 2>&1)
hex=$(dev_hex k1)
stored=$(sqlite3 "file:$V_STATE/hrot.db?mode=ro" \
	"SELECT hex(ek_cert) FROM devices WHERE hex(id) = upper('$hex')" 2>/dev/null)
check "the store keeps the certificate as read from NV" \
	test -n "$stored" -a "$stored" = "$(xxd -p -u -c 4096 "$d/ek.cert")"

# The rest of its life through the RSA EK: MakeCredential is RSA-OAEP.
check "policy import --from-log of the device's own log" \
	adm policy import ekpol --version 1 --from-log "$d/log.bin"
check "operator approves (hrot-admin)" adm device approve "$hex" --policy ekpol
check "activation through the RSA EK" att k1 activate
check "attest passes" att k1 attest --out-token "$WORK/t1" --out-secret "$WORK/s1"
check "token signature verifies with openssl" token_sig_ok "$WORK/t1" "$V_STATE/token.pub.pem"
check "secret is 32 bytes" test "$(stat -c %s "$WORK/s1" 2>/dev/null)" = 32

# The ECC P-384 EK of the high range (template H-3) and its certificate
# at 0x01c00016: MakeCredential by ECDH on P-384.
manufacture_swtpm p1 && start_swtpm p1 || { fail "manufactured swtpm p1"; exit 1; }
EKALG_p1=ecc384
o=$(att p1 init 2>&1) || { fail "init p1 (P-384 EK): $o"; exit 1; }
att p1 measure /boot/vmlinuz "$WORK/dev-k1/kernel" >/dev/null
p=$WORK/dev-p1
openssl x509 -inform der -in "$p/ek.cert" -out "$WORK/p1-cert.pem" 2>/dev/null
check "P-384: the certificate from NV 0x01c00016 chains (openssl)" \
	openssl verify -CAfile "$bundle" "$WORK/p1-cert.pem"
TPM2TOOLS_TCTI=$TCTI_p1 tpm2_readpublic -c "0x81010001" -f pem -o "$WORK/p1-ek.pem" >/dev/null
check "P-384: its key is the EK the attester uses (openssl)" \
	cmp -s <(openssl x509 -in "$WORK/p1-cert.pem" -pubkey -noout 2>/dev/null) "$WORK/p1-ek.pem"
check "P-384: that EK is on P-384" \
	grep -q 'P-384' <(openssl pkey -pubin -in "$WORK/p1-ek.pem" -noout -text 2>/dev/null)
check "P-384: registered with its certificate" att p1 register
adm device approve "$(dev_hex p1)" --policy ekpol >/dev/null
check "P-384: activation through the H-3 EK" att p1 activate
check "P-384: attest passes" att p1 attest

# The point of the certificate: an AK cannot borrow a certified EK.  i1
# has its own TPM and AK but presents k2's EK and certificate; they
# check out, the credential is made to k2's EK, and i1's TPM cannot
# activate it: i1 is never enrolled.
start_swtpm i1 && EKALG_i1=rsa && att i1 init >/dev/null 2>&1 ||
	{ fail "swtpm i1"; exit 1; }
cp "$WORK/dev-k2/ek.pub" "$WORK/dev-k2/ek.cert" "$WORK/dev-i1/"
check "impostor with another TPM's certified EK registers" att i1 register
adm device approve "$(dev_hex i1)" --policy ekpol >/dev/null
out=$(att i1 activate 2>&1); rc=$?
check "impostor cannot activate the credential (exit $rc, not a pass)" \
	test "$rc" -ne 0 -a -z "$(grep 'activate ok' <<<"$out")"
check "impostor stays approved, never enrolled" \
	grep -q '"state": *"approved"' <(adm --json device show "$(dev_hex i1)")
attack "impostor cannot attest" device_pending i1 attest
exit 0
