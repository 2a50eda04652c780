#!/bin/sh
# t_keyring: the .hrot keyring and its key types.  The keyring takes only
# hrot_anchor and hrot_token keys; only CAP_SYS_ADMIN adds an anchor; a
# token signed (openssl, ECDSA P-256) by an anchor, for this AK and the
# qualifying data of the latest quote, is accepted (checked by the TPM),
# reads back as its claims, sets INFO's HROT_INFO_TOKEN_VALID, is revoked by
# keyctl revoke and expires by itself; every other token is refused with
# its errno and one kernel log line: flipped signature or claim, unknown
# signer, wrong device, wrong or used-up quote, expired, issued in the
# future, kind PHYSICAL, wrong size, wrong description, no CAP_SYS_ADMIN,
# revoked anchor; without a TPM, ENODEV.  A netlink listener (hrotctl
# monitor) hears each add, revoke and expiry, and no refusal.  Unloading
# with keys present leaks nothing, leaves no transient object in the TPM
# and no oops.
# vm: tpm=swtpm,swtpm-nocert,none
# vm: mem=768
# vm: timeout=600
#
# Oracles: openssl (keys, signatures), keyctl (keyutils), hrot_keytool
# (raw add_key and INFO, no libkeyutils, no libhrot), hrot_attest identity
# (the AK name), tpm2_getcap on /dev/tpm0 (transient handles).

# shellcheck source=/dev/null
. /tests/lib.sh

T=keyring
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
D=/tmp/hkr
rm -rf "$D"
mkdir -p "$D"
KRFILE=/sys/kernel/security/hrot/keyring
NOBODY=65534

filehex() {
	od -An -v -tx1 "$1" | tr -d ' \n'
}
# flip FILE OFFSET: xor the byte at OFFSET with 0x01
flip() {
	_b=$(od -An -v -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	_o=$(printf '%03o' $((_b ^ 1)))
	# shellcheck disable=SC2059
	printf "\\$_o" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# refused NAME FILE ERRNO LOGTEXT [DESC [PREFIX...]]: adding the token
# fails with ERRNO and the kernel logs exactly one line about it, which
# contains LOGTEXT
refused() {
	_rn=$1 _rf=$2 _re=$3 _rl=$4 _rd=${5:--}
	shift 4
	[ $# -gt 0 ] && shift
	_before=$(dmesg_lines)
	add "$_rn" hrot_token "$_rd" "$_rf" "$KR" "$@"
	expect_eq "$T.$_rn.errno" "$(kv "$D/$_rn.res" errno)" "$_re"
	dmesg | tail -n +"$((_before + 1))" | grep 'hrot: token' > "$D/$_rn.log"
	_c=$(wc -l < "$D/$_rn.log" | tr -d ' ')
	if [ "$_c" = 1 ] && grep -qF "$_rl" "$D/$_rn.log"; then
		pass "$T.$_rn.log_line"
		echo "  $_rn: $(cat "$D/$_rn.log")"
	else
		fail "$T.$_rn.log_line" "want one line with '$_rl', got $_c: $(head -n 2 "$D/$_rn.log")"
	fi
}

command -v keyctl > /dev/null || fail "$T.keyctl_present" "keyctl is not in the guest (keyutils on the host?)"
load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }

# ---- the keyring ------------------------------------------------------------
KR=$(cat "$KRFILE")
case $KR in
'' | *[!0-9]*) fail "$T.serial" "keyring file says '$KR'" ;;
*) pass "$T.serial" ;;
esac
desc=$(keyctl rdescribe "$KR" 2>&1)
expect_eq "$T.keyring_described" "$desc" "keyring;0;0;0f0f0000;.hrot"
printf 'not a key' > "$D/user.bin"
add user_type user nope "$D/user.bin" "$KR"
expect_eq "$T.restrict.user_type" "$(kv "$D/user_type.res" errno)" EPERM
add keyring_type keyring sub /dev/null "$KR"
expect_eq "$T.restrict.keyring_type" "$(kv "$D/keyring_type.res" errno)" EPERM
if keyctl link "$KR" @s > /dev/null 2>&1; then
	fail "$T.keyring_not_linkable" "keyctl link .hrot @s succeeded"
else
	pass "$T.keyring_not_linkable"
fi

# ---- anchors ------------------------------------------------------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$D/k.pem" 2> /dev/null &&
	openssl pkey -in "$D/k.pem" -pubout -outform DER -out "$D/k.spki" &&
	openssl ecparam -name prime256v1 -genkey -noout -out "$D/k2.pem" 2> /dev/null &&
	openssl pkey -in "$D/k2.pem" -pubout -outform DER -out "$D/k2.spki" ||
	fail "$T.openssl_keys" "openssl could not make P-256 keys"
KID=$(sha256sum "$D/k.spki" | cut -c1-64)
head -c 90 "$D/k.spki" > "$D/short.spki"
openssl ecparam -name secp384r1 -genkey -noout -out "$D/k384.pem" 2> /dev/null &&
	openssl pkey -in "$D/k384.pem" -pubout -outform DER -out "$D/k384.spki"

add anchor_short hrot_anchor verifier "$D/short.spki" "$KR"
expect_eq "$T.anchor.short_einval" "$(kv "$D/anchor_short.res" errno)" EINVAL
add anchor_p384 hrot_anchor verifier "$D/k384.spki" "$KR"
expect_eq "$T.anchor.p384_einval" "$(kv "$D/anchor_p384.res" errno)" EINVAL
add anchor_nocap hrot_anchor verifier "$D/k.spki" "$KR" hrot_keytool nocap
expect_eq "$T.anchor.nocap_eperm" "$(kv "$D/anchor_nocap.res" errno)" EPERM
add anchor_nobody hrot_anchor verifier "$D/k.spki" "$KR" \
	hrot_keytool asuser $NOBODY
expect_eq "$T.anchor.nobody_eacces" "$(kv "$D/anchor_nobody.res" errno)" EACCES
# the type itself wants CAP_SYS_ADMIN, in any keyring
add anchor_nobody_own hrot_anchor verifier "$D/k.spki" @s \
	hrot_keytool asuser $NOBODY
expect_eq "$T.anchor.nobody_own_keyring_eperm" "$(kv "$D/anchor_nobody_own.res" errno)" EPERM
expect_eq "$T.anchor.none_yet" "$(keyctl rlist "$KR" 2>&1)" ""

add anchor hrot_anchor verifier "$D/k.spki" "$KR"
A=$(kv "$D/anchor.res" serial)
if [ -n "$A" ]; then
	pass "$T.anchor.added"
	keyctl pipe "$A" > "$D/anchor.read"
	check "$T.anchor.reads_spki" cmp "$D/anchor.read" "$D/k.spki"
	expect_eq "$T.anchor.describe" "$(keyctl rdescribe "$A" | cut -d';' -f1,5)" "hrot_anchor;verifier"
	expect_eq "$T.anchor.search_by_id" "$(keyctl search "$KR" hrot_anchor "id:$KID" 2>&1)" "$A"
	expect_eq "$T.anchor.search_by_desc" "$(keyctl search "$KR" hrot_anchor verifier 2>&1)" "$A"
	keyctl show "$KR" > "$D/show" 2>&1
	# its id is the SHA-256 of what reading it gives (the SPKI DER)
	if grep -q "hrot_anchor: verifier" "$D/show" &&
		[ "$(keyctl pipe "$A" | sha256sum | cut -c1-64)" = "$KID" ]; then
		pass "$T.anchor.listed"
	else
		fail "$T.anchor.listed" "$(cat "$D/show")"
	fi
else
	fail "$T.anchor.added" "$(cat "$D/anchor.err")"
fi

expect_eq "$T.token_valid_none" "$(token_valid)" 0

# ---- no TPM: tokens cannot be checked -------------------------------------------
if [ "${HROT_TPM:-}" = none ]; then
	now=$(date +%s)
	mktoken notpm "$D/k.pem" "$D/k.spki" --device "000b$(printf '%064d' 0)" \
		--qualifying "$(printf '%064d' 0)" --issued $((now - 5)) \
		--expires $((now + 600)) || fail "$T.mktoken" "notpm"
	refused notpm "$D/notpm.bin" ENODEV "no TPM to verify it"
	expect_eq "$T.notpm.token_valid" "$(token_valid)" 0
	unload_hrot || fail "$T.unload" "unload_hrot failed"
	expect_no_leak "$T.notpm.unloaded_zero"
	rm -rf "$D"
	finish
fi

# ---- tokens -------------------------------------------------------------------
mkdir -p "$D/id"
hrot_attest identity "$D/id" > "$D/id.out" 2>&1 || fail "$T.identity" "$(tail -n 2 "$D/id.out")"
AK=$(kv "$D/id.out" ak_name)
expect_eq "$T.ak_name_len" "${#AK}" 68
OTHER_DEV="000b$(printf '%064d' 7)"

# quote NAME NONCE: hrotctl quote, the module remembers NONCE
quote() {
	hrotctl quote --nonce "$2" --pcrs 13 --out "$D/$1" > "$D/$1.out" 2>&1 ||
		fail "$T.$1" "hrotctl quote: $(tail -n 2 "$D/$1.out")"
}
N1=$(printf 'nonce one' | sha256sum | cut -c1-64)
N2=$(printf 'nonce two' | sha256sum | cut -c1-64)
quote q1 "$N1"
now=$(date +%s)
good_args="--device $AK --qualifying $N1 --issued $((now - 5)) --expires $((now + 600))"

# shellcheck disable=SC2086
{
	mktoken good "$D/k.pem" "$D/k.spki" $good_args &&
		mktoken unknown "$D/k2.pem" "$D/k2.spki" $good_args &&
		mktoken otherdev "$D/k.pem" "$D/k.spki" --device "$OTHER_DEV" \
			--qualifying "$N1" --issued $((now - 5)) --expires $((now + 600)) &&
		mktoken otherq "$D/k.pem" "$D/k.spki" --device "$AK" \
			--qualifying "$N2" --issued $((now - 5)) --expires $((now + 600)) &&
		mktoken expired "$D/k.pem" "$D/k.spki" --device "$AK" \
			--qualifying "$N1" --issued $((now - 100)) --expires $((now - 10)) &&
		mktoken future "$D/k.pem" "$D/k.spki" --device "$AK" \
			--qualifying "$N1" --issued $((now + 1000)) --expires $((now + 1200)) &&
		mktoken toolong "$D/k.pem" "$D/k.spki" --device "$AK" \
			--qualifying "$N1" --issued $((now - 5)) --expires $((now + 90000)) &&
		mktoken physical "$D/k.pem" "$D/k.spki" $good_args --kind 2
} || fail "$T.mktoken" "could not make the tokens"
GOOD_ID=$(token_id "$D/good.bin")

cp "$D/good.bin" "$D/badsig.bin"
flip "$D/badsig.bin" 250
cp "$D/good.bin" "$D/badclaim.bin"
flip "$D/badclaim.bin" 70			# in the instance id
head -c 291 "$D/good.bin" > "$D/short.bin"
{ cat "$D/good.bin"; printf 'x'; } > "$D/long.bin"

refused badsig "$D/badsig.bin" EKEYREJECTED "bad signature"
refused badclaim "$D/badclaim.bin" EKEYREJECTED "bad signature"
refused unknown "$D/unknown.bin" ENOKEY "no anchor"
refused otherdev "$D/otherdev.bin" EKEYREJECTED "issued to device $OTHER_DEV"
refused otherq "$D/otherq.bin" EKEYREJECTED "not for this module's latest quote"
refused expired "$D/expired.bin" EKEYEXPIRED "expired at"
refused future "$D/future.bin" EKEYREJECTED "in the future"
refused toolong "$D/toolong.bin" EKEYREJECTED "lifetime"
refused physical "$D/physical.bin" EKEYREJECTED "kind 2 is not a release, runtime or component token"
refused short "$D/short.bin" EINVAL "291 bytes"
refused long "$D/long.bin" EINVAL "293 bytes"
refused wrongdesc "$D/good.bin" EINVAL "is not its id" "0123abcd"
add nocap_token hrot_token - "$D/good.bin" "$KR" hrot_keytool nocap
expect_eq "$T.nocap_token.errno" "$(kv "$D/nocap_token.res" errno)" EPERM
expect_eq "$T.token_valid_after_refusals" "$(token_valid)" 0
no_transients "$T.no_transients_after_refusals"

# netlink: a listener hears the token events from here on, and none of the
# refusals above (it joins after them; none of them would be announced)
hrotctl monitor --count 6 --timeout 90 > "$D/mon.out" 2> "$D/mon.err" &
MON=$!
i=0
while [ $i -lt 50 ] && ! grep -q 'listening' "$D/mon.err"; do
	sleep 0.1
	i=$((i + 1))
done
grep -q 'listening' "$D/mon.err" || fail "$T.netlink.listening" "$(cat "$D/mon.err")"

# the good one, named by its id
add good hrot_token "$GOOD_ID" "$D/good.bin" "$KR"
S=$(kv "$D/good.res" serial)
if [ -n "$S" ]; then
	pass "$T.good.added"
else
	fail "$T.good.added" "$(cat "$D/good.err")"
fi
expect_eq "$T.good.token_valid" "$(token_valid)" 1
expect_eq "$T.good.hrotctl_info_token" "$(hrotctl info | sed -n 's/^token //p')" valid
expect_eq "$T.good.description" "$(keyctl rdescribe "$S" 2>&1 | cut -d';' -f1,5)" "hrot_token;$GOOD_ID"
keyctl print "$S" > "$D/claims" 2>&1
claims=$(cat "$D/claims")
case $claims in
"token=$GOOD_ID kind=release device=$AK instance="*" issued=$((now - 5)) expires=$((now + 600)) signer=$KID")
	pass "$T.good.claims" ;;
*) fail "$T.good.claims" "$claims" ;;
esac
echo "  claims: $claims"
if grep -q "$(filehex "$D/good.bin" | cut -c$((456 + 1))-$((456 + 32)))" "$D/claims"; then
	fail "$T.good.no_signature_in_claims" "the signature shows in the claims"
else
	pass "$T.good.no_signature_in_claims"
fi
exp=$(awk -v s="$(printf '%08x' "$S")" '$1 == s { print $4 }' /proc/keys)
case $exp in
*m | *s | *h) pass "$T.good.expiry_set" ;;
*) fail "$T.good.expiry_set" "/proc/keys timeout column '$exp'" ;;
esac

# the same token again: the quote is used up
refused replay_same_quote "$D/good.bin" EKEYREJECTED "there is none, or it was used"
# a new quote, and the token of the old one is refused
quote q2 "$N2"
refused replay_old_quote "$D/good.bin" EKEYREJECTED "not for this module's latest quote"

# revoke: INFO says no valid token, the key cannot be read
keyctl revoke "$S" || fail "$T.revoke" "keyctl revoke failed"
expect_eq "$T.revoked.token_valid" "$(token_valid)" 0
expect_eq "$T.revoked.hrotctl_info_token" "$(hrotctl info | sed -n 's/^token //p')" none
if keyctl print "$S" > /dev/null 2>&1; then
	fail "$T.revoked.unreadable" "keyctl print read a revoked token"
else
	pass "$T.revoked.unreadable"
fi

# expiry: a token of 3 s
N3=$(printf 'nonce three' | sha256sum | cut -c1-64)
quote q3 "$N3"
now=$(date +%s)
mktoken short_life "$D/k.pem" "$D/k.spki" --device "$AK" --qualifying "$N3" \
	--issued $((now - 1)) --expires $((now + 3)) || fail "$T.mktoken" "short_life"
add short_life hrot_token - "$D/short_life.bin" "$KR"
S3=$(kv "$D/short_life.res" serial)
if [ -n "$S3" ]; then
	pass "$T.expiry.added"
	expect_eq "$T.expiry.token_valid_before" "$(token_valid)" 1
	# The owner may make the key permanent: the token's own expiry holds.
	keyctl timeout "$S3" 0 || fail "$T.expiry.timeout" "keyctl timeout refused"
	sleep 4
	expect_eq "$T.expiry.token_valid_after" "$(token_valid)" 0
	if keyctl print "$S3" > "$D/s3" 2>&1; then
		fail "$T.expiry.unreadable" "keyctl print read an expired token"
	else
		pass "$T.expiry.unreadable"
		echo "  expired: $(cat "$D/s3")"
	fi
else
	fail "$T.expiry.added" "$(cat "$D/short_life.err")"
fi

# expiry with the key's own timeout left alone: the key is reaped at its
# expiry, and its expiry is announced all the same
N5=$(printf 'nonce five' | sha256sum | cut -c1-64)
quote q5 "$N5"
now=$(date +%s)
mktoken reaped "$D/k.pem" "$D/k.spki" --device "$AK" --qualifying "$N5" \
	--issued $((now - 1)) --expires $((now + 3)) || fail "$T.mktoken" "reaped"
add reaped hrot_token - "$D/reaped.bin" "$KR"
S5=$(kv "$D/reaped.res" serial)
[ -n "$S5" ] || fail "$T.reaped.added" "$(cat "$D/reaped.err")"
sleep 5
expect_eq "$T.reaped.token_valid_after" "$(token_valid)" 0

# netlink: exactly the six token events, in order, naming key and token
wait "$MON"
expect_eq "$T.netlink.monitor_exit" "$?" 0
SHORT_ID=$(token_id "$D/short_life.bin")
REAPED_ID=$(token_id "$D/reaped.bin")
printf '%s\n' \
	"token-added token=$GOOD_ID key=$S expires=$(tok_expires "$D/good.bin")" \
	"token-revoked token=$GOOD_ID key=$S" \
	"token-added token=$SHORT_ID key=$S3 expires=$(tok_expires "$D/short_life.bin")" \
	"token-expired token=$SHORT_ID key=$S3 expires=$(tok_expires "$D/short_life.bin")" \
	"token-added token=$REAPED_ID key=$S5 expires=$(tok_expires "$D/reaped.bin")" \
	"token-expired token=$REAPED_ID key=$S5 expires=$(tok_expires "$D/reaped.bin")" \
	> "$D/mon.want"
if cmp -s "$D/mon.want" "$D/mon.out"; then
	pass "$T.netlink.token_events"
else
	fail "$T.netlink.token_events" "got: $(tr '\n' '|' < "$D/mon.out") want: $(tr '\n' '|' < "$D/mon.want") ($(tr '\n' ' ' < "$D/mon.err"))"
fi

# a revoked anchor no longer vouches for anything
N4=$(printf 'nonce four' | sha256sum | cut -c1-64)
quote q4 "$N4"
now=$(date +%s)
mktoken after_anchor "$D/k.pem" "$D/k.spki" --device "$AK" --qualifying "$N4" \
	--issued $((now - 1)) --expires $((now + 600)) || fail "$T.mktoken" "after_anchor"
keyctl revoke "$A" || fail "$T.anchor.revoke" "keyctl revoke failed"
refused revoked_anchor "$D/after_anchor.bin" ENOKEY "no anchor"

# an anchor that is no curve point: accepted as DER, refused by the TPM
{ head -c 27 "$D/k.spki"; head -c 64 /dev/zero | tr '\0' '\1'; } > "$D/offcurve.spki"
add offcurve_anchor hrot_anchor offcurve "$D/offcurve.spki" "$KR"
mktoken offcurve "$D/k.pem" "$D/offcurve.spki" --device "$AK" --qualifying "$N4" \
	--issued $((now - 1)) --expires $((now + 600)) || fail "$T.mktoken" "offcurve"
refused offcurve "$D/offcurve.bin" EKEYREJECTED "not a P-256 point"

# a second anchor: tokens of the second key now pass
add anchor2 hrot_anchor verifier2 "$D/k2.spki" "$KR"
now=$(date +%s)
mktoken by_k2 "$D/k2.pem" "$D/k2.spki" --device "$AK" --qualifying "$N4" \
	--issued $((now - 1)) --expires $((now + 600)) || fail "$T.mktoken" "by_k2"
add by_k2 hrot_token - "$D/by_k2.bin" "$KR"
S4=$(kv "$D/by_k2.res" serial)
if [ -n "$S4" ]; then pass "$T.anchor2.token_added"; else fail "$T.anchor2.token_added" "$(cat "$D/by_k2.err")"; fi
expect_eq "$T.anchor2.token_valid" "$(token_valid)" 1
no_transients "$T.no_transients_at_end"

# ---- unload with keys present ------------------------------------------------------
keyctl show "$KR" 2>&1 | sed 's/^/  /'
unload_hrot || fail "$T.unload" "unload_hrot failed"
expect_no_leak "$T.unloaded_zero"
if keyctl rdescribe "$KR" > /dev/null 2>&1; then
	fail "$T.keyring_gone" "keyring $KR still readable after unload"
else
	pass "$T.keyring_gone"
fi
if keyctl print "$S4" > /dev/null 2>&1; then
	fail "$T.token_gone" "token $S4 still readable after unload"
else
	pass "$T.token_gone"
fi
load_hrot || fail "$T.reload" "load_hrot failed"
KR2=$(cat "$KRFILE")
if [ -n "$KR2" ] && [ "$KR2" != "$KR" ]; then pass "$T.reload.new_keyring"; else fail "$T.reload.new_keyring" "'$KR2'"; fi
expect_eq "$T.reload.token_valid" "$(token_valid)" 0
unload_hrot || fail "$T.unload2" "unload_hrot failed"
expect_dmesg_clean "$T.dmesg_clean"
rm -rf "$D"
finish
