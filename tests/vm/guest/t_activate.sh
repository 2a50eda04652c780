#!/bin/sh
# t_activate: ACTIVATE_CREDENTIAL recovers the secret of a MakeCredential
# made for hrot's AK name and EK (by hrotctl makecredential and by
# tpm2_makecredential); hrot's credential is activated by tpm2-tools with
# the same AK re-created by tpm2_createprimary; a credential for another
# name or another EK fails with EIO and a kernel log line; without
# CAP_SYS_ADMIN it is EPERM; a TPM in dictionary-attack lockout still
# activates with the L-1/L-2 EKs (the AK is noDA).  Twice: with the
# runner's RSA L-1 EK (it has a certificate), then with the L-2 ECC EK after
# the certificates are removed.
# vm: tpm=swtpm,swtpm-nocert,swtpm-p384
# vm: mem=768
# vm: timeout=600
#
# Oracles: tpm2_makecredential -T none, tpm2_activatecredential,
# hrot_attest (raw ioctl, no libhrot), cmp.

# shellcheck source=/dev/null
. /tests/lib.sh

T=activate
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
D=/tmp/hact
rm -rf "$D"
mkdir -p "$D"

# expect_fail_eio NAME CRED: hrot refuses CRED with EIO and logs the TPM rc
expect_fail_eio() {
	_before=$(dmesg_lines)
	hrot_attest activate "$2" "$D/x.out" > "$D/x.res" 2>&1
	_st=$?
	expect_eq "$1.eio" "$_st $(kv "$D/x.res" errno)" "2 EIO"
	_l=$(dmesg | tail -n +"$((_before + 1))" | grep -i 'hrot' | grep -i 'rc\|0x' | head -n 1)
	if [ -n "$_l" ]; then
		pass "$1.kernel_log_rc"
		echo "  $1: $_l"
	else
		fail "$1.kernel_log_rc" "no new hrot kernel line with the TPM rc: $(dmesg | tail -n +"$((_before + 1))" | tail -n 2)"
	fi
}

# tools_activate P CRED NAMEHEX EKALG: tpm2_activatecredential with the AK
# re-created by tpm2_createprimary -C e from hrot's AK public area
tools_activate() {
	_p=$1
	_w="$D/tools"
	rm -rf "$_w"
	mkdir -p "$_w"
	_attrs=$(kv "$P/id" ak_attrs)
	_pl=$(kv "$P/id" ak_policy_len)
	_pol=""
	if [ "${_pl:-0}" -gt 0 ]; then
		dd if="$P/ak.tpmt" of="$_w/pol" bs=1 skip=10 count="$_pl" 2>/dev/null
		_pol="-L $_w/pol"
	fi
	for _tcti in device:/dev/tpmrm0 device:/dev/tpm0; do
		if [ "$_tcti" = device:/dev/tpm0 ]; then
			TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -t > /dev/null 2>&1
		fi
		# the module's AK template (kmod/hrot_tpm2_cmd.c): unique.x is
		# "hrot attestation key v1" zero-padded to 32 bytes, unique.y 32
		# zeros; tpm2-tools splits "-u -" stdin data into x and y
		{ printf 'hrot attestation key v1'; dd if=/dev/zero bs=1 count=41 2>/dev/null; } > "$_w/unique"
		# shellcheck disable=SC2086
		if ! TPM2TOOLS_TCTI=$_tcti tpm2_createprimary -C e -g sha256 \
			-G ecc256:ecdsa-sha256:null -a "$_attrs" $_pol -u - \
			-c "$_w/ak.ctx" < "$_w/unique" > "$_w/cp.out" 2>&1; then
			echo "  tpm2_createprimary ($_tcti): $(tail -n 2 "$_w/cp.out")"
			continue
		fi
		TPM2TOOLS_TCTI=$_tcti tpm2_readpublic -c "$_w/ak.ctx" -n "$_w/ak.name" > /dev/null 2>&1
		_n=$(od -An -v -tx1 "$_w/ak.name" | tr -d ' \n')
		if [ "$_n" != "$3" ]; then
			echo "  tpm2_createprimary -C e made name $_n, hrot's AK is $3: cannot re-create the AK with tpm2-tools; tools direction skipped"
			TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -t > /dev/null 2>&1
			return
		fi
		pass "$_p.tpm2_createprimary_recreates_ak"
		[ "$_tcti" = device:/dev/tpm0 ] && TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -t > /dev/null 2>&1
		# the high-range H-3 EK sets userWithAuth: its empty password
		# authorises it; the low-range ones need PolicySecret(endorsement)
		if [ "$4" = ecc384 ]; then
			_auth() { true; }
			_eka=""
		else
			_auth() {
				TPM2TOOLS_TCTI=$_tcti tpm2_startauthsession --policy-session -S "$_w/s.ctx" > /dev/null 2>&1 &&
				TPM2TOOLS_TCTI=$_tcti tpm2_policysecret -S "$_w/s.ctx" -c e > /dev/null 2>&1
			}
			_eka="session:$_w/s.ctx"
		fi
		if TPM2TOOLS_TCTI=$_tcti tpm2_createek -G "$4" -c "$_w/ek.ctx" > /dev/null 2>&1 &&
			{ [ "$_tcti" != device:/dev/tpm0 ] || TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -t; } &&
			_auth &&
			TPM2TOOLS_TCTI=$_tcti tpm2_activatecredential -c "$_w/ak.ctx" -C "$_w/ek.ctx" \
				-i "$2" -o "$_w/secret.out" ${_eka:+-P "$_eka"} > "$_w/ac.out" 2>&1; then
			check "$_p.tpm2_activatecredential_recovers" cmp "$_w/secret.out" "$D/secret"
			TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext "$_w/s.ctx" > /dev/null 2>&1
			TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -t > /dev/null 2>&1
			TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -s > /dev/null 2>&1
			return
		fi
		echo "  tpm2_activatecredential ($_tcti): $(tail -n 2 "$_w/ac.out" 2>/dev/null)"
		TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext "$_w/s.ctx" > /dev/null 2>&1
		TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -t > /dev/null 2>&1
		TPM2TOOLS_TCTI=$_tcti tpm2_flushcontext -s > /dev/null 2>&1
	done
	fail "$_p.tpm2_activatecredential_recovers" "tpm2_activatecredential failed on tpmrm0 and tpm0"
}

# phase PFX EKALG OTHERALG WANT_TEMPLATE
phase() {
	_pfx=$1
	P="$D/$1"
	mkdir -p "$P"
	if ! hrot_attest identity "$P" > "$P/id"; then
		fail "$_pfx.identity" "$(cat "$P/id")"
		return
	fi
	pass "$_pfx.identity"
	expect_eq "$_pfx.ek_template" "$(kv "$P/id" ek_template)" "$4"
	name=$(kv "$P/id" ak_name)

	# tpm2_makecredential (no TPM) -> hrot
	if tpm2_makecredential -T none -e "$P/ek.pub" -s "$D/secret" -n "$name" \
		-o "$P/tools.cred" > /dev/null 2>&1; then
		if hrot_attest activate "$P/tools.cred" "$P/tools.out" > "$P/ta.log" 2>&1; then
			check "$_pfx.tools_cred_hrot_recovers" cmp "$P/tools.out" "$D/secret"
		else
			fail "$_pfx.tools_cred_hrot_recovers" "$(tr '\n' ' ' < "$P/ta.log")"
		fi
		if have_hrotctl activate-credential; then
			if hrotctl activate-credential --in "$P/tools.cred" --out "$P/tools.h.out" > "$P/h.log" 2>&1; then
				check "$_pfx.tools_cred_hrotctl_recovers" cmp "$P/tools.h.out" "$D/secret"
			else
				fail "$_pfx.tools_cred_hrotctl_recovers" "$(tail -n 2 "$P/h.log")"
			fi
		fi
		# the AK is noDA and the L-1/L-2 EKs take a policy session: a
		# TPM in dictionary-attack lockout still activates (the H-3 EK's
		# empty password is DA-protected: Documentation/identity.md)
		if [ "$2" != ecc384 ]; then
			if da_lockout_begin "$_pfx.da.lockout_entered"; then
				if hrot_attest activate "$P/tools.cred" "$P/da.out" > "$P/da.log" 2>&1; then
					check "$_pfx.da.activate_in_lockout" cmp "$P/da.out" "$D/secret"
				else
					fail "$_pfx.da.activate_in_lockout" "$(tr '\n' ' ' < "$P/da.log")"
				fi
			fi
			da_lockout_end "$_pfx.da.lockout_cleared"
		fi
		# no CAP_SYS_ADMIN: EPERM
		hrot_attest activate --drop-caps "$P/tools.cred" "$P/nocap.out" > "$P/nocap.res" 2>&1
		expect_eq "$_pfx.no_cap_eperm" "$? $(kv "$P/nocap.res" errno)" "2 EPERM"
	else
		fail "$_pfx.tpm2_makecredential" "tpm2_makecredential -T none failed"
	fi
	no_transients "$_pfx.no_transients_after_activate"

	# hrotctl makecredential -> hrot (and -> tpm2-tools)
	if have_hrotctl makecredential; then
		if hrotctl makecredential --ek "$P/ek.pub" --name "$name" --secret "$D/secret" \
			--out "$P/h.cred" > "$P/hm.log" 2>&1; then
			pass "$_pfx.hrotctl_makecredential"
			if hrot_attest activate "$P/h.cred" "$P/h.out" > "$P/ha.log" 2>&1; then
				check "$_pfx.hrotctl_cred_hrot_recovers" cmp "$P/h.out" "$D/secret"
			else
				fail "$_pfx.hrotctl_cred_hrot_recovers" "$(tr '\n' ' ' < "$P/ha.log")"
			fi
			if have_hrotctl activate-credential; then
				if hrotctl activate-credential --in "$P/h.cred" --out "$P/hh.out" > "$P/hh.log" 2>&1; then
					check "$_pfx.hrotctl_roundtrip" cmp "$P/hh.out" "$D/secret"
				else
					fail "$_pfx.hrotctl_roundtrip" "$(tail -n 2 "$P/hh.log")"
				fi
			fi
			tools_activate "$_pfx" "$P/h.cred" "$name" "$2"
		else
			fail "$_pfx.hrotctl_makecredential" "$(tail -n 2 "$P/hm.log")"
		fi
	else
		fail "$_pfx.hrotctl_makecredential_available" "hrotctl makecredential is not in hrotctl --help (command missing?)"
		# hrot's own direction still checked with the tools' credential
		tools_activate "$_pfx" "$P/tools.cred" "$name" "$2"
	fi
	if ! have_hrotctl activate-credential; then
		fail "$_pfx.hrotctl_activate_credential_available" "activate-credential is not in hrotctl --help"
	fi

	# another name: the TPM's integrity check fails
	other="000b$(printf 'not the AK' | sha256sum | cut -c1-64)"
	if tpm2_makecredential -T none -e "$P/ek.pub" -s "$D/secret" -n "$other" \
		-o "$P/other_name.cred" > /dev/null 2>&1; then
		expect_fail_eio "$_pfx.other_name" "$P/other_name.cred"
	else
		fail "$_pfx.other_name" "tpm2_makecredential failed"
	fi
	# another EK (same TPM, other algorithm): the seed does not decrypt
	if tpm2_createek -G "$3" -c "$P/oek.ctx" -u "$P/other_ek.pub" > /dev/null 2>&1 &&
		tpm2_makecredential -T none -e "$P/other_ek.pub" -s "$D/secret" -n "$name" \
			-o "$P/other_ek.cred" > /dev/null 2>&1; then
		expect_fail_eio "$_pfx.other_ek" "$P/other_ek.cred"
	else
		fail "$_pfx.other_ek" "tpm2_createek -G $3 / tpm2_makecredential failed"
	fi
	no_transients "$_pfx.no_transients"
}

dd if=/dev/urandom of="$D/secret" bs=32 count=1 2>/dev/null
load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }

if have_nv 0x01c00002 && ! have_nv 0x01c0000a; then
	phase rsa rsa ecc 1
	# SeaBIOS sets a random platform auth at boot, so this normally fails;
	# the runner's swtpm-nocert configuration covers the ECC EK instead
	unload_hrot || fail "$T.unload" "rmmod failed"
	for idx in 0x01c00002 0x01c00016; do
		if have_nv $idx && ! tpm2_nvundefine "$idx" -C p > /dev/null 2>&1; then
			echo "  tpm2_nvundefine $idx -C p refused (platform auth set by firmware): ECC part left to --tpm swtpm-nocert"
			rm -rf "$D"
			finish
		fi
	done
	load_hrot || { fail "$T.reload" "load_hrot failed"; finish; }
elif have_nv 0x01c00016 && ! have_nv 0x01c0000a; then
	# only the ECC P-384 certificate (--tpm swtpm-p384): the H-3 EK, whose
	# policy is PolicySecret(endorsement) too (userWithAuth is also set)
	phase ecc384 ecc384 rsa 3
	rm -rf "$D"
	finish
else
	echo "  no RSA L-1 certificate ($HROT_TPM): ECC part only"
fi
phase ecc ecc rsa 2

rm -rf "$D"
finish
