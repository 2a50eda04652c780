#!/bin/sh
# t_identity: IDENTITY reports the EK tpm2_createek makes with the template
# of the certificate in NV (RSA L-1 on the runner's swtpm), that
# certificate as tpm2_nvread reads it, and an AK whose name, public area
# and SPKI agree with each other and do not change across module reloads.
# Then the EK certificates are removed from NV and the module must fall
# back to the L-2 ECC P-256 EK with no certificate, the AK unchanged.
# Prints "HROT-BENCH test=identity ak_name=..." for tests/vm/ak_stability.sh
# (the same AK across boots with one swtpm state, another with a fresh one).
# When the TPM state has no certificate already (a reused state), only the
# second part runs.
# vm: tpm=swtpm,swtpm-sha256,swtpm-nocert,swtpm-p384
# vm: mem=768
#
# Oracles: tpm2_createek, tpm2_nvread, tpm2_readpublic, openssl, sha256sum,
# hrot_attest (raw ioctl, no libhrot); hrotctl identity must agree.

# shellcheck source=/dev/null
. /tests/lib.sh

T=identity
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
D=/tmp/hid
rm -rf "$D"
mkdir -p "$D"


# check_ak DIR PFX: the AK's name, TPMT_PUBLIC and SPKI agree
check_ak() {
	_d=$1
	_p=$2
	expect_eq "$_p.ak_type_ecc" "$(kv "$_d/id" ak_type)" 0x0023
	expect_eq "$_p.ak_name_alg_sha256" "$(kv "$_d/id" ak_name_alg)" 0x000b
	# restricted (bit 16) | sign (bit 18) | fixedTPM (1) | fixedParent (4)
	# | sensitiveDataOrigin (5)
	_a=$(($(kv "$_d/id" ak_attrs)))
	expect_eq "$_p.ak_restricted_signing" \
		$(((_a >> 16 & 1) + (_a >> 18 & 1) + (_a >> 1 & 1) + (_a >> 4 & 1) + (_a >> 5 & 1))) 5
	expect_eq "$_p.ak_not_decrypt" $((_a >> 17 & 1)) 0
	expect_eq "$_p.ak_name_len" "$(kv "$_d/id" ak_name_len)" 34
	expect_eq "$_p.ak_name_is_sha256_of_public" "$(kv "$_d/id" ak_name)" \
		"000b$(sha256sum < "$_d/ak.tpmt" | cut -c1-64)"
	# the SPKI is P-256 and its point is the TPMT_PUBLIC's unique x || y
	expect_eq "$_p.ak_spki_len" "$(kv "$_d/id" ak_spki_len)" 91
	_sz=$(wc -c < "$_d/ak.tpmt" | tr -d ' ')
	_x=$(od -An -v -tx1 -j $((_sz - 66)) -N 32 "$_d/ak.tpmt" | tr -d ' \n')
	_y=$(od -An -v -tx1 -j $((_sz - 32)) -N 32 "$_d/ak.tpmt" | tr -d ' \n')
	_xl=$(od -An -v -tx1 -j $((_sz - 68)) -N 2 "$_d/ak.tpmt" | tr -d ' \n')
	expect_eq "$_p.ak_unique_x_is_32_bytes" "$_xl" 0020
	expect_eq "$_p.ak_spki_point_eq_public" \
		"$(od -An -v -tx1 -j 26 "$_d/ak.der" | tr -d ' \n')" "04$_x$_y"
	if command -v openssl > /dev/null 2>&1; then
		if openssl pkey -pubin -inform der -in "$_d/ak.der" -noout -text > "$_d/ak.txt" 2>&1; then
			if grep -q 'prime256v1\|P-256' "$_d/ak.txt"; then
				pass "$_p.ak_spki_openssl_p256"
			else
				fail "$_p.ak_spki_openssl_p256" "$(head -n 3 "$_d/ak.txt")"
			fi
			openssl pkey -pubin -inform der -in "$_d/ak.der" -out "$_d/ak.openssl.pem" 2>/dev/null
			check "$_p.ak_pem_eq_spki" cmp "$_d/ak.openssl.pem" "$_d/ak.pem"
		else
			fail "$_p.ak_spki_openssl_p256" "openssl cannot parse: $(head -n 2 "$_d/ak.txt")"
		fi
	fi
}

# hrotctl_identity DIR PFX: hrotctl identity --out agrees with the raw files
hrotctl_identity() {
	if ! have_hrotctl identity; then
		fail "$2.hrotctl_identity_available" "hrotctl identity is not in hrotctl --help (command missing?)"
		return
	fi
	mkdir -p "$1/h"
	if ! hrotctl identity --out "$1/h" > "$1/h.out" 2>&1; then
		fail "$2.hrotctl_identity" "$(tail -n 3 "$1/h.out")"
		return
	fi
	pass "$2.hrotctl_identity"
	check "$2.hrotctl_ek_pub" cmp "$1/h/ek.pub" "$1/ek.pub"
	check "$2.hrotctl_ak_pub" cmp "$1/h/ak.pub" "$1/ak.pub"
	if command -v openssl > /dev/null 2>&1; then
		check "$2.hrotctl_ak_pem" cmp "$1/h/ak.pem" "$1/ak.openssl.pem"
	fi
	# ak.name: binary (as tpm2_createak -n writes it) or hex text
	if [ "$(wc -c < "$1/h/ak.name" | tr -d ' ')" = 34 ]; then
		_hn=$(od -An -v -tx1 "$1/h/ak.name" | tr -d ' \n')
	else
		_hn=$(tr -d ' \n' < "$1/h/ak.name" | tr 'A-F' 'a-f')
	fi
	expect_eq "$2.hrotctl_ak_name" "$_hn" "$(kv "$1/id" ak_name)"
	if [ -f "$1/tk.pem" ]; then
		check "$2.hrotctl_ek_pem_eq_tpm2_readpublic" cmp "$1/h/ek.pem" "$1/tk.pem"
	fi
	if [ -f "$1/ek.crt" ]; then
		check "$2.hrotctl_ek_crt" cmp "$1/h/ek.crt" "$1/ek.crt"
	else
		expect_eq "$2.hrotctl_no_ek_crt" "$([ -s "$1/h/ek.crt" ] && echo present)" ""
	fi
	if hrotctl identity --json > "$1/h.json" 2>&1; then
		if command -v jq > /dev/null 2>&1; then
			check "$2.hrotctl_json_parses" jq -e . "$1/h.json"
		fi
		if grep -qi "$(kv "$1/id" ak_name)" "$1/h.json"; then
			pass "$2.hrotctl_json_ak_name"
		else
			fail "$2.hrotctl_json_ak_name" "AK name not in the JSON"
		fi
	else
		fail "$2.hrotctl_identity_json" "$(tail -n 3 "$1/h.json")"
	fi
}

# ek_check DIR PFX ALG: the EK equals tpm2_createek -G ALG's
ek_check() {
	if tpm2_createek -G "$3" -c "$1/tk.ctx" -u "$1/tk.pub" > /dev/null 2>&1; then
		check "$2.ek_eq_tpm2_createek_$3" cmp "$1/ek.pub" "$1/tk.pub"
		tpm2_readpublic -c "$1/tk.ctx" -f pem -o "$1/tk.pem" > /dev/null 2>&1
	else
		fail "$2.ek_eq_tpm2_createek_$3" "tpm2_createek -G $3 failed"
	fi
}

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }

if have_nv 0x01c00002 || have_nv 0x01c00016 || have_nv 0x01c0000a; then
	# ---- part 1: the runner's swtpm, RSA L-1 and ECC H-3 certificates ----
	A="$D/a"
	mkdir -p "$A"
	if hrot_attest identity "$A" > "$A/id"; then
		pass "$T.certs.identity"
	else
		fail "$T.certs.identity" "$(cat "$A/id")"
	fi
	cat "$A/id"
	no_transients "$T.certs.no_transients"
	if have_nv 0x01c0000a; then
		want_t=2 want_i=0x01c0000a alg=ecc
	elif have_nv 0x01c00002; then
		want_t=1 want_i=0x01c00002 alg=rsa
	else
		want_t=3 want_i=0x01c00016 alg=ecc384
	fi
	expect_eq "$T.certs.ek_template" "$(kv "$A/id" ek_template)" "$want_t"
	expect_eq "$T.certs.ek_cert_flag" "$(kv "$A/id" flags)" 1
	expect_eq "$T.certs.ek_cert_index" "$(kv "$A/id" ek_cert_index)" "$want_i"
	ek_check "$A" "$T.certs" "$alg"
	if tpm2_nvread -C o -o "$A/nv.crt" "$want_i" > /dev/null 2>&1; then
		check "$T.certs.ek_crt_eq_nvread" cmp "$A/ek.crt" "$A/nv.crt"
	else
		fail "$T.certs.ek_crt_eq_nvread" "tpm2_nvread $want_i failed"
	fi
	if command -v openssl > /dev/null 2>&1; then
		if openssl x509 -inform der -in "$A/ek.crt" -noout -pubkey > "$A/crt.pem" 2> "$A/x509.err"; then
			pass "$T.certs.ek_crt_parses"
			# the certificate certifies this EK
			check "$T.certs.ek_crt_key_eq_ek" cmp "$A/crt.pem" "$A/tk.pem"
		else
			fail "$T.certs.ek_crt_parses" "$(head -n 2 "$A/x509.err")"
		fi
	fi
	check_ak "$A" "$T.certs"
	hrotctl_identity "$A" "$T.certs"
	bench "ak_name=$(kv "$A/id" ak_name)" "phase=certs"

	# same AK (and EK) after unload and reload
	B="$D/b"
	mkdir -p "$B"
	{ unload_hrot && load_hrot; } || fail "$T.reload" "unload/load failed"
	hrot_attest identity "$B" > "$B/id" || fail "$T.reload.identity" "$(cat "$B/id")"
	check "$T.reload.same_ak_public" cmp "$A/ak.tpmt" "$B/ak.tpmt"
	expect_eq "$T.reload.same_ak_name" "$(kv "$B/id" ak_name)" "$(kv "$A/id" ak_name)"
	check "$T.reload.same_ek_public" cmp "$A/ek.pub" "$B/ek.pub"
	check "$T.reload.same_ek_cert" cmp "$A/ek.crt" "$B/ek.crt"
	ak_before=$(kv "$A/id" ak_name)

	# ---- remove the certificates: the module must pick the L-2 ECC EK ----
	# SeaBIOS sets a random platform auth at boot, so this normally fails;
	# the runner's swtpm-nocert configuration covers that case instead
	unload_hrot || fail "$T.unload" "rmmod failed"
	for idx in 0x01c00002 0x01c00016 0x01c0000a; do
		if have_nv $idx && ! tpm2_nvundefine "$idx" -C p > /dev/null 2>&1; then
			echo "  tpm2_nvundefine $idx -C p refused (platform auth set by firmware): no-certificate part left to --tpm swtpm-nocert"
			no_transients "$T.no_transients_end"
			rm -rf "$D"
			finish
		fi
	done
	load_hrot || { fail "$T.reload_nocert" "load_hrot failed"; finish; }
else
	echo "  no EK certificate in NV ($HROT_TPM): no-certificate part only"
	ak_before=""
fi

# ---- part 2: no certificate: ECC P-256 L-2 ----------------------------------
C="$D/c"
mkdir -p "$C"
if hrot_attest identity "$C" > "$C/id"; then
	pass "$T.nocert.identity"
else
	fail "$T.nocert.identity" "$(cat "$C/id")"
fi
cat "$C/id"
no_transients "$T.nocert.no_transients"
expect_eq "$T.nocert.ek_template_l2" "$(kv "$C/id" ek_template)" 2
expect_eq "$T.nocert.no_cert_flag" "$(kv "$C/id" flags)" 0
expect_eq "$T.nocert.cert_index_0" "$(kv "$C/id" ek_cert_index)" 0x00000000
expect_eq "$T.nocert.cert_len_0" "$(kv "$C/id" ek_cert_len)" 0
expect_eq "$T.nocert.ek_type_ecc" "$(kv "$C/id" ek_type)" 0x0023
ek_check "$C" "$T.nocert" ecc
check_ak "$C" "$T.nocert"
hrotctl_identity "$C" "$T.nocert"
if [ -n "$ak_before" ]; then
	# the AK lives under the endorsement hierarchy, not under the EK cert
	expect_eq "$T.nocert.same_ak" "$(kv "$C/id" ak_name)" "$ak_before"
else
	bench "ak_name=$(kv "$C/id" ak_name)" "phase=nocert"
fi
no_transients "$T.no_transients_end"

rm -rf "$D"
finish
