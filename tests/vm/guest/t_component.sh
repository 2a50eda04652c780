#!/bin/sh
# t_component: component keys (seed 002, HROT_IOC_COMPONENT_KEY).  A
# program gets a key from the TPM only while a verifier token of kind
# COMPONENT naming its executable's SHA-256 is in the keyring: refused
# (EACCES, one kernel line) with no token, with a release token, with a
# component token for another executable (a one-byte-longer copy of the
# same program), after keyctl revoke; the key is the same for the same
# executable and label, another for another label; the kernel's digest is
# sha256sum's; tpm2_createprimary + tpm2_hmac with the documented template
# give the same key; without CAP_SYS_ADMIN it is EPERM; a bad label is
# EINVAL; a component token that names no component, and a release token
# that names one, are refused; no transient object is left in the TPM.
# vm: tpm=swtpm,none
# vm: mem=768
# vm: timeout=600
#
# Oracles: sha256sum, openssl (the verifier's key), tpm2_createprimary and
# tpm2_hmac (the key), hrot_keytool (raw ioctl and add_key).

# shellcheck source=/dev/null
. /tests/lib.sh

T=component
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
D=/tmp/hcomp
rm -rf "$D"
mkdir -p "$D"

# ckey NAME LABEL [PROGRAM]: PROGRAM component-key LABEL into $D/NAME.res
ckey() {
	"${3:-hrot_keytool}" component-key "$2" > "$D/$1.res" 2> "$D/$1.err"
}

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
SELF=$(command -v hrot_keytool)
DIGEST=$(sha256sum "$SELF" | cut -c1-64)

if [ "${HROT_TPM:-}" = none ]; then
	ckey notpm app
	expect_eq "$T.notpm.enodev" "$(kv "$D/notpm.res" errno)" ENODEV
	rm -rf "$D"
	finish
fi

# ---- no token at all -----------------------------------------------------------
before=$(dmesg_lines)
ckey none app
expect_eq "$T.no_token.eacces" "$(kv "$D/none.res" errno)" EACCES
if dmesg | tail -n +"$((before + 1))" | grep -q "hrot: component key refused: no valid token for $DIGEST"; then
	pass "$T.no_token.kernel_line"
else
	fail "$T.no_token.kernel_line" "$(dmesg | tail -n 2 | tr '\n' ' ')"
fi

# ---- an anchor, the AK, a quote -----------------------------------------------
KR=$(cat /sys/kernel/security/hrot/keyring)
openssl ecparam -name prime256v1 -genkey -noout -out "$D/k.pem" 2> /dev/null &&
	openssl pkey -in "$D/k.pem" -pubout -outform DER -out "$D/k.spki" ||
	fail "$T.openssl" "no P-256 key"
add anchor hrot_anchor verifier "$D/k.spki" "$KR"
mkdir -p "$D/id"
hrot_attest identity "$D/id" > "$D/id.out" 2>&1 || fail "$T.identity" "$(tail -n 2 "$D/id.out")"
AK=$(kv "$D/id.out" ak_name)
n=0
# token NAME [hrot_keytool tbs options]: a fresh quote, then the token
token() {
	_tn=$1
	shift
	n=$((n + 1))
	_q=$(printf 'component nonce %d' "$n" | sha256sum | cut -c1-64)
	hrotctl quote --nonce "$_q" --pcrs 13 --out "$D/q$n" > "$D/q$n.out" 2>&1 ||
		fail "$T.quote" "$(tail -n 2 "$D/q$n.out")"
	_now=$(date +%s)
	mktoken "$_tn" "$D/k.pem" "$D/k.spki" --device "$AK" --qualifying "$_q" \
		--issued $((_now - 5)) --expires $((_now + 600)) "$@" ||
		fail "$T.mktoken" "$_tn"
	add "$_tn" hrot_token - "$D/$_tn.bin" "$KR"
}

# a release token (a pass, naming no component) opens nothing
token release
[ -n "$(kv "$D/release.res" serial)" ] || fail "$T.release.added" "$(cat "$D/release.err")"
ckey release_only app
expect_eq "$T.release_token.eacces" "$(kv "$D/release_only.res" errno)" EACCES

# malformed: a component token naming none, a release token naming one
token noname --kind 4
expect_eq "$T.kind4_without_component" "$(kv "$D/noname.res" errno)" EKEYREJECTED
token named --kind 1 --component "$DIGEST"
expect_eq "$T.kind1_with_component" "$(kv "$D/named.res" errno)" EKEYREJECTED

# ---- the component token --------------------------------------------------------
token comp --kind 4 --component "$DIGEST"
S=$(kv "$D/comp.res" serial)
if [ -n "$S" ]; then pass "$T.comp.added"; else fail "$T.comp.added" "$(cat "$D/comp.err")"; fi
case $(keyctl print "$S" 2>&1) in
*" kind=component "*"component=$DIGEST "*) pass "$T.comp.claims" ;;
*) fail "$T.comp.claims" "$(keyctl print "$S" 2>&1)" ;;
esac

ckey k1 app
expect_eq "$T.key.component_is_sha256sum" "$(sed -n 's/^component=\([0-9a-f]*\) .*/\1/p' "$D/k1.res")" "$DIGEST"
K1=$(sed -n 's/.* key=//p' "$D/k1.res")
expect_eq "$T.key.length" "${#K1}" 64
ckey k2 app
expect_eq "$T.key.same_again" "$(sed -n 's/.* key=//p' "$D/k2.res")" "$K1"
ckey k3 other
K3=$(sed -n 's/.* key=//p' "$D/k3.res")
if [ -n "$K3" ] && [ "$K3" != "$K1" ]; then pass "$T.key.other_label"; else fail "$T.key.other_label" "$K3"; fi
no_transients "$T.no_transients"

# The TPM's own answer, with the documented template (tpm2-tools 5.4 takes
# a keyed-hash unique from stdin).
# unhex HEX: the bytes (dash's printf knows octal escapes only)
unhex() {
	_h=$1
	while [ -n "$_h" ]; do
		_b=${_h%"${_h#??}"}
		_h=${_h#??}
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "0x$_b")"
	done
}
if unhex "$DIGEST" > "$D/unique" &&
	tpm2_createprimary -C o -G hmac -g sha256 \
		-a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|sign' \
		-u - -c "$D/ck.ctx" < "$D/unique" > "$D/cp.out" 2>&1 &&
	printf app | tpm2_hmac -c "$D/ck.ctx" -g sha256 -o "$D/mac" > "$D/hm.out" 2>&1; then
	expect_eq "$T.key.tpm2_hmac_agrees" "$(od -An -v -tx1 "$D/mac" | tr -d ' \n')" "$K1"
else
	fail "$T.key.tpm2_hmac_agrees" "$(tail -n 2 "$D/cp.out" "$D/hm.out" | tr '\n' ' ')"
fi
tpm2_flushcontext -t > /dev/null 2>&1

# another executable: the same program, one byte longer
cp "$SELF" "$D/copy"
printf '\0' >> "$D/copy"
chmod 755 "$D/copy"
ckey copy app "$D/copy"
expect_eq "$T.other_executable.eacces" "$(kv "$D/copy.res" errno)" EACCES
# the same bytes under another name are the same component
cp "$SELF" "$D/same"
ckey same app "$D/same"
expect_eq "$T.same_bytes_other_path" "$(sed -n 's/.* key=//p' "$D/same.res")" "$K1"

# bad input, and no CAP_SYS_ADMIN
ckey long "$(printf '%065d' 0)"
expect_eq "$T.label_too_long" "$(kv "$D/long.res" errno)" EINVAL
ckey empty ""
expect_eq "$T.label_empty" "$(kv "$D/empty.res" errno)" EINVAL
hrot_keytool nocap hrot_keytool component-key app > "$D/nocap.res" 2>&1
expect_eq "$T.nocap.eperm" "$(kv "$D/nocap.res" errno)" EPERM

# revoked: the TPM is not asked any more
keyctl revoke "$S" || fail "$T.revoke" "keyctl revoke failed"
ckey revoked app
expect_eq "$T.revoked.eacces" "$(kv "$D/revoked.res" errno)" EACCES
no_transients "$T.no_transients_end"

unload_hrot || fail "$T.unload" "unload failed"
expect_no_leak "$T.unloaded_zero"
rm -rf "$D"
finish
