#!/bin/sh
# The test world itself: the TPM the runner promised, the tools and modules
# the other tests rely on, and (when hrot.ko is in the guest) one load and
# unload through lib.sh.
# vm: tpm=swtpm,swtpm-sha256,none
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# Banks with PCRs allocated, e.g. "sha1 sha256 sha384 sha512".
allocated_banks() {
	tpm2_getcap pcrs | sed -n 's/^ *- \([a-z0-9_]*\): \[ *\([0-9].*\)\]$/\1/p' | tr '\n' ' ' |
		sed 's/ $//'
}

check_tpm() {
	case "$HROT_TPM" in
	none)
		check no-tpm0 test ! -e /dev/tpm0
		return
		;;
	swtpm) want="sha1 sha256 sha384 sha512" ;;
	swtpm-sha256) want="sha256" ;;
	*) fail tpm-config "unknown HROT_TPM '$HROT_TPM'"; return ;;
	esac
	check tpm0 test -c /dev/tpm0
	check tpmrm0 test -c /dev/tpmrm0
	check pcrread tpm2_pcrread sha256:0
	expect_eq banks "$(allocated_banks)" "$want"
	# swtpm_setup stored EK certificates (RSA-2048 and ECC P-384) in NV.
	check ek-cert-rsa tpm2_nvreadpublic 0x1c00002
	check ek-cert-ecc tpm2_nvreadpublic 0x1c00016
}

check_tools() {
	check kmod-modprobe sh -c 'readlink -f "$(command -v modprobe)" | grep -q /kmod$'
	check modprobe-sha512 modprobe sha512_generic
	check coreutils-sha256sum sh -c 'sha256sum --version | grep -q coreutils'
	expect_eq sha256-empty "$(printf '' | sha256sum | cut -d' ' -f1)" \
		e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	check securityfs test -d /sys/kernel/security
	# Tests write a 256 MiB file to /tmp.
	free_kib=$(df -k /tmp | awk 'NR == 2 { print $4 }')
	check tmp-space test "$free_kib" -ge $((300 * 1024))
}

check_module() {
	if [ ! -f "/lib/modules/$(uname -r)/extra/hrot.ko" ]; then
		echo "t_smoke: hrot.ko not in this guest, module checks skipped"
		return
	fi
	check load load_hrot
	check log-not-empty test "$(log_bytes)" -gt 0
	check unload unload_hrot
}

check_tpm
check_tools
check_module
finish
