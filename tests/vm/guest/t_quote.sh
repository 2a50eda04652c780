#!/bin/sh
# t_quote: hrot's quotes verify with tpm2_checkquote (several selections,
# PCR 13 after extends, more than 8 PCRs, all 24); hrotctl verify-quote
# accepts a tpm2-tools quote and rejects every kind of tampering with its
# own reason; invalid QUOTE inputs fail as documented; no transient object
# is left in the TPM after any quote; a TPM in dictionary-attack lockout
# still quotes (the AK is noDA).
# vm: tpm=swtpm,swtpm-sha256,none
# vm: mem=768
# vm: timeout=600
#
# Oracles: tpm2_checkquote, tpm2_pcrread, tpm2_quote/tpm2_createak,
# hrot_attest (raw ioctls, no libhrot), /dev/tpm0 for the TPM's real
# transient handles (tpmrm0 shows only its own connection's).

# shellcheck source=/dev/null
. /tests/lib.sh

T=quote
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
D=/tmp/hq
rm -rf "$D"
mkdir -p "$D"

# list_to_mask "0,1,13": hex mask
list_to_mask() {
	_m=0
	for _p in $(printf '%s' "$1" | tr ',' ' '); do
		_m=$((_m | (1 << _p)))
	done
	printf '%x' "$_m"
}
# flip FILE OFFSET: xor the byte at OFFSET with 0x01
flip() {
	_b=$(od -An -v -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	_o=$(printf '%03o' $((_b ^ 1)))
	# shellcheck disable=SC2059
	printf "\\$_o" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
filehex() {
	od -An -v -tx1 "$1" | tr -d ' \n'
}

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }

if [ "${HROT_TPM:-}" = none ]; then
	# no TPM: IDENTITY, QUOTE and ACTIVATE_CREDENTIAL are ENODEV
	hrot_attest identity "$D" > "$D/r" 2>&1
	expect_eq "$T.notpm.identity_enodev" "$? $(sed -n 's/^errno=//p' "$D/r")" "2 ENODEV"
	hrot_attest quote 1 00ff "$D" > "$D/r" 2>&1
	expect_eq "$T.notpm.quote_enodev" "$? $(sed -n 's/^errno=//p' "$D/r")" "2 ENODEV"
	# a well-formed credential file with nonsense in it
	printf '\272\334\300\336\000\000\000\001\000\002\253\315\000\002\253\315' > "$D/cred"
	hrot_attest activate "$D/cred" "$D/out" > "$D/r" 2>&1
	expect_eq "$T.notpm.activate_enodev" "$? $(sed -n 's/^errno=//p' "$D/r")" "2 ENODEV"
	rm -rf "$D"
	finish
fi

check "$T.identity" hrot_attest identity "$D"
no_transients "$T.no_transients_after_identity"

# PCR 13: a few extends so it is not zero
i=0
while [ $i -lt 3 ]; do
	tpm2_pcrextend "13:sha256=$(printf 'quote %d' $i | sha256sum | cut -c1-64)" ||
		fail "$T.pcrextend13" "tpm2_pcrextend failed"
	i=$((i + 1))
done

# ---- hrot's quotes, checked by tpm2_checkquote ------------------------------
n=0
for sel in 0 13 0,13 0,1,2,3,4,5,6,7,8,9,10,13 \
	0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23; do
	n=$((n + 1))
	q="$D/q$n"
	mkdir -p "$q"
	mask=$(list_to_mask "$sel")
	nonce=$(printf 'nonce %d %s' $n "$sel" | sha256sum | cut -c1-$((8 * n)))
	if ! relay hrot_attest quote "$mask" "$nonce" "$q" > "$q/out"; then
		cat "$q/out"
		no_transients "$T.s$n.no_transients"
		continue
	fi
	grep -v '^pcr ' "$q/out"
	no_transients "$T.s$n.no_transients"
	# tpm2_checkquote -l with a values file breaks above 8 PCRs
	# ("Failed to hash PCR values related to quote!", tpm2-tools 5.4, even
	# with tpm2_pcrread's own file): there, the serialized file of
	# tpm2_pcrread stands in, and values_eq_pcrread ties it to hrot's values
	if [ "$(printf '%s' "$sel" | tr ',' '\n' | wc -l)" -lt 8 ]; then
		check "$T.s$n.checkquote_pem" tpm2_checkquote -u "$D/ak.pem" \
			-m "$q/quote.msg" -s "$q/quote.sig" -f "$q/quote.vals" \
			-l "sha256:$sel" -g sha256 -q "$nonce"
		check "$T.s$n.checkquote_tss" tpm2_checkquote -u "$D/ak.pub" \
			-m "$q/quote.msg" -s "$q/quote.sig" -f "$q/quote.vals" \
			-l "sha256:$sel" -g sha256 -q "$nonce"
	fi
	if tpm2_pcrread -F serialized -o "$q/pcrread.ser" "sha256:$sel" > /dev/null; then
		check "$T.s$n.checkquote_serialized" tpm2_checkquote -u "$D/ak.pem" \
			-m "$q/quote.msg" -s "$q/quote.sig" -f "$q/pcrread.ser" \
			-g sha256 -q "$nonce"
	else
		fail "$T.s$n.checkquote_serialized" "tpm2_pcrread -F serialized failed"
	fi
	# a wrong nonce is refused by the same oracle (the oracle is awake)
	if tpm2_checkquote -u "$D/ak.pem" -m "$q/quote.msg" -s "$q/quote.sig" \
		-f "$q/quote.vals" -l "sha256:$sel" -g sha256 -q "${nonce}00" \
		> /dev/null 2>&1; then
		fail "$T.s$n.checkquote_wrong_nonce" "tpm2_checkquote accepted a wrong nonce"
	else
		pass "$T.s$n.checkquote_wrong_nonce"
	fi
	# the values are the TPM's
	if tpm2_pcrread -o "$q/pcrread.vals" "sha256:$sel" > /dev/null; then
		check "$T.s$n.values_eq_pcrread" cmp "$q/quote.vals" "$q/pcrread.vals"
	else
		fail "$T.s$n.values_eq_pcrread" "tpm2_pcrread failed"
	fi
done
# PCR 13 quoted value is not zero
p13=$(awk '$1 == "pcr" && $2 == 13 { print $3 }' "$D/q2/out")
case $p13 in
*[1-9a-f]*) pass "$T.pcr13_nonzero" ;;
*) fail "$T.pcr13_nonzero" "PCR 13 quoted as '$p13'" ;;
esac

# ---- hrotctl quote ----------------------------------------------------------
if have_hrotctl quote; then
	hq="$D/hq"
	mkdir -p "$hq"
	nonce=0123456789abcdef0123456789abcdef
	if hrotctl quote --nonce "$nonce" --pcrs 0,7,13,16,23 --out "$hq" > "$hq/out" 2>&1; then
		pass "$T.hrotctl_quote"
		check "$T.hrotctl_quote_checkquote" tpm2_checkquote -u "$hq/ak.pem" \
			-m "$hq/quote.msg" -s "$hq/quote.sig" -f "$hq/quote.pcrs" \
			-g sha256 -q "$nonce"
		check "$T.hrotctl_quote_ak_pem_eq_raw" cmp "$hq/ak.pem" "$D/ak.pem"
		if have_hrotctl verify-quote; then
			check "$T.hrotctl_verifies_own_quote" hrotctl verify-quote \
				--ak "$hq/ak.pem" --msg "$hq/quote.msg" --sig "$hq/quote.sig" \
				--pcrs "$hq/quote.pcrs" --nonce "$nonce"
		fi
	else
		fail "$T.hrotctl_quote" "$(tail -n 3 "$hq/out")"
	fi
	no_transients "$T.hrotctl_quote_no_transients"
else
	fail "$T.hrotctl_quote_available" "hrotctl quote is not in hrotctl --help (command missing?)"
fi

# ---- dictionary-attack lockout -----------------------------------------------
# The AK is noDA (Documentation/identity.md): a TPM in lockout still quotes.
if da_lockout_begin "$T.da.lockout_entered"; then
	lq="$D/lq"
	mkdir -p "$lq"
	nonce=da10c0a7da10c0a7da10c0a7da10c0a7
	if relay hrot_attest quote 2000 "$nonce" "$lq" > "$lq/out"; then
		pass "$T.da.quote_in_lockout"
		check "$T.da.quote_in_lockout_checkquote" tpm2_checkquote -u "$D/ak.pem" \
			-m "$lq/quote.msg" -s "$lq/quote.sig" -f "$lq/quote.vals" \
			-l sha256:13 -g sha256 -q "$nonce"
	else
		fail "$T.da.quote_in_lockout" "$(grep -v '^pcr ' "$lq/out" | tail -n 3 | tr '\n' ' ')"
	fi
	no_transients "$T.da.no_transients"
fi
da_lockout_end "$T.da.lockout_cleared"

# ---- hrotctl verify-quote on tpm2-tools quotes -------------------------------
V="$D/v"
mkdir -p "$V"
tpm2_createek -c "$V/ek.ctx" -G rsa -u "$V/ek.pub" > /dev/null ||
	fail "$T.tpm2_createek" "failed"
tpm2_createak -C "$V/ek.ctx" -c "$V/ak.ctx" -G ecc -g sha256 -s ecdsa \
	-u "$V/ak.pem" -f pem -n "$V/ak.name" > /dev/null ||
	fail "$T.tpm2_createak" "failed"
tpm2_createak -C "$V/ek.ctx" -c "$V/ak2.ctx" -G ecc -g sha256 -s ecdsa \
	-u "$V/ak2.pem" -f pem -n "$V/ak2.name" > /dev/null ||
	fail "$T.tpm2_createak2" "failed"
vn=feedfacecafebeef00112233445566778899aabbccddeeff
tpm2_quote -c "$V/ak.ctx" -l sha256:0,13 -q "$vn" -m "$V/quote.msg" \
	-s "$V/quote.sig" -o "$V/quote.pcrs" -g sha256 > /dev/null ||
	fail "$T.tpm2_quote" "failed"
check "$T.tpm2_quote_self_check" tpm2_checkquote -u "$V/ak.pem" -m "$V/quote.msg" \
	-s "$V/quote.sig" -f "$V/quote.pcrs" -g sha256 -q "$vn"
# unrestricted signing key: signs anything, including a fake attest
if ! { tpm2_createprimary -C o -c "$V/prim.ctx" > /dev/null &&
	tpm2_create -C "$V/prim.ctx" -G ecc -u "$V/k.pub" -r "$V/k.priv" > /dev/null &&
	tpm2_load -C "$V/prim.ctx" -u "$V/k.pub" -r "$V/k.priv" -c "$V/k.ctx" > /dev/null &&
	tpm2_readpublic -c "$V/k.ctx" -f pem -o "$V/k.pem" > /dev/null; }; then
	fail "$T.unrestricted_key" "tpm2_create/load/readpublic failed"
fi
cp "$V/quote.msg" "$V/fake.msg"
printf '\000' | dd of="$V/fake.msg" bs=1 seek=0 conv=notrunc 2>/dev/null
tpm2_sign -c "$V/k.ctx" -g sha256 -s ecdsa -o "$V/fake.sig" "$V/fake.msg" > /dev/null ||
	fail "$T.tpm2_sign" "failed"
tpm2_flushcontext -t > /dev/null 2>&1
no_transients "$T.tpm2_tools_no_transients"

# verify NAME WANT(0|1) ARGS...: run verify-quote, check exit and text, keep
# the rejection reason in $V/reasons
verify() {
	_n=$1
	_want=$2
	shift 2
	hrotctl verify-quote "$@" > "$V/$_n.out" 2>&1
	_st=$?
	_txt=$(head -n 1 "$V/$_n.out")
	if [ "$_want" = 0 ]; then
		if [ $_st -eq 0 ] && grep -q '^quote OK' "$V/$_n.out"; then
			pass "$T.verify.$_n"
		else
			fail "$T.verify.$_n" "exit $_st: $(tail -n 2 "$V/$_n.out")"
		fi
		return
	fi
	_r=$(sed -n 's/^quote REJECTED: //p' "$V/$_n.out" | head -n 1)
	if [ $_st -eq 1 ] && [ -n "$_r" ]; then
		pass "$T.verify.$_n"
		echo "  $_n: $_r"
		printf '%s\t%s\n' "$_n" "$_r" >> "$V/reasons"
	else
		fail "$T.verify.$_n" "exit $_st, want 1 with 'quote REJECTED: reason': $_txt"
	fi
}

if have_hrotctl verify-quote; then
	A="--ak $V/ak.pem"
	rm -f "$V/reasons"
	# shellcheck disable=SC2086
	verify tpm2_quote_ok 0 $A --msg "$V/quote.msg" --sig "$V/quote.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn"
	# shellcheck disable=SC2086
	verify pcr_list_match_ok 0 $A --msg "$V/quote.msg" --sig "$V/quote.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn" --pcr-list 0,13
	msz=$(wc -c < "$V/quote.msg" | tr -d ' ')
	cp "$V/quote.msg" "$V/bad.msg"
	flip "$V/bad.msg" $((msz / 2))
	# shellcheck disable=SC2086
	verify flipped_msg 1 $A --msg "$V/bad.msg" --sig "$V/quote.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn"
	ssz=$(wc -c < "$V/quote.sig" | tr -d ' ')
	cp "$V/quote.sig" "$V/bad.sig"
	flip "$V/bad.sig" $((ssz - 3))
	# shellcheck disable=SC2086
	verify flipped_sig 1 $A --msg "$V/quote.msg" --sig "$V/bad.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn"
	# one bit of PCR 13's value, found in the serialized file
	v13=$(tpm2_pcrread sha256:13 | awk '{ l = $0; gsub(/[ \t]/, "", l)
		if (split(l, a, ":") == 2 && a[1] == 13) { v = tolower(a[2]); sub(/^0x/, "", v); print v } }')
	idx=$(filehex "$V/quote.pcrs" | awk -v v="$v13" '{ print index($0, v) }')
	if [ -n "$v13" ] && [ "${idx:-0}" -gt 0 ]; then
		cp "$V/quote.pcrs" "$V/bad.pcrs"
		flip "$V/bad.pcrs" $(((idx - 1) / 2 + 5))
		# shellcheck disable=SC2086
		verify flipped_pcr_value 1 $A --msg "$V/quote.msg" --sig "$V/quote.sig" \
			--pcrs "$V/bad.pcrs" --nonce "$vn"
	else
		fail "$T.verify.flipped_pcr_value" "PCR 13 value not found in quote.pcrs"
	fi
	# shellcheck disable=SC2086
	verify flipped_nonce 1 $A --msg "$V/quote.msg" --sig "$V/quote.sig" \
		--pcrs "$V/quote.pcrs" --nonce "feedfacecafebeef00112233445566778899aabbccddeefe"
	verify other_ak 1 --ak "$V/ak2.pem" --msg "$V/quote.msg" --sig "$V/quote.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn"
	verify not_tpm_generated 1 --ak "$V/k.pem" --msg "$V/fake.msg" --sig "$V/fake.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn"
	# shellcheck disable=SC2086
	verify pcr_list_mismatch 1 $A --msg "$V/quote.msg" --sig "$V/quote.sig" \
		--pcrs "$V/quote.pcrs" --nonce "$vn" --pcr-list 0,1
	# a flipped message, a flipped signature and another AK can all only
	# be "bad signature"; the other kinds each need their own reason
	if [ -f "$V/reasons" ]; then
		grep -E '^(flipped_msg|flipped_pcr_value|flipped_nonce|not_tpm_generated|pcr_list_mismatch)	' \
			"$V/reasons" | cut -f 2 > "$V/kinds"
		expect_eq "$T.verify.reasons_distinct" \
			"$(sort -u "$V/kinds" | wc -l | tr -d ' ')" \
			"$(wc -l < "$V/kinds" | tr -d ' ')"
	fi
else
	fail "$T.hrotctl_verify_quote_available" "hrotctl verify-quote is not in hrotctl --help (command missing?)"
fi

# ---- invalid inputs (raw ioctl) ------------------------------------------------
relay hrot_attest badquote
no_transients "$T.no_transients_after_badquote"

rm -rf "$D"
finish
