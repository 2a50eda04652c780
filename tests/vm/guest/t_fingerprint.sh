#!/bin/sh
# t_fingerprint: the hardware fingerprint's components are the platform's
# (DMI from sysfs, CPU from /proc/cpuinfo, the EK from tpm2_createek), the
# overall digest is the documented SHA-256 over the components, hrotctl
# reports the same, and it is stable across calls and a module reload.
# TPM configs: swtpm (the EK component needs a TPM; t_notpm covers none).
# vm: tpm=swtpm
# vm: timeout=600
# vm: smbios=type=1,manufacturer=hrot-lab,product=hrot-test,serial=HROT-SN-0001,uuid=5a1c0de0-1111-4222-8333-944445555666
# vm: smbios=type=2,manufacturer=hrot-board,product=hb1,serial=HROT-BSN-0002
#
# Oracles: /sys/class/dmi/id/*, /proc/cpuinfo, tpm2_createek, sha256sum,
# and hrot_raw (FINGERPRINT without libhrot).  Documented digests
# (Documentation/uapi.md): component = SHA-256(raw value); overall =
# SHA-256(for each component: le32(id) || le32(flags) || digest).

# shellcheck source=/dev/null
. /tests/lib.sh

T=fingerprint
ZERO=0000000000000000000000000000000000000000000000000000000000000000
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"

le32hex() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) \
		$((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
# the documented overall digest, from "component ID FLAGS DIGEST VALUE" lines
fp_recompute() {
	awk '$1 == "component" { print $2, $3, $4 }' "$1" |
	while read -r id flags dig; do
		printf '%s%s%s' "$(le32hex "$id")" "$(le32hex "$flags")" "$dig"
	done | xxd -r -p | sha256sum | cut -c1-64
}
# field of component ID in FILE: flags, digest or value
comp() {
	awk -v id="$2" -v f="$3" '$1 == "component" && $2 == id {
		if (f == "flags") print $3
		else if (f == "digest") print $4
		else { sub(/^([^ ]* ){4}/, ""); print }
	}' "$1"
}
sha() { printf '%s' "$1" | sha256sum | cut -c1-64; }
cpuinfo() { awk -F': ' -v k="$1" '$1 ~ "^"k"[ \t]*$" { print $2; exit }' /proc/cpuinfo; }

check "$T.xxd_available" sh -c 'echo 41 | xxd -r -p | grep -q A'
load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }

hrot_raw info
dmesg | grep -i 'hrot\|tpm'
expect_eq "$T.tpm_present" "$(hrot_raw info | sed -n 's/^tpm_present=//p')" 1
hrot_raw fingerprint > /tmp/fp1 || fail "$T.raw_ioctl" "FINGERPRINT failed"
cat /tmp/fp1

# ---- structure ---------------------------------------------------------------
expect_eq "$T.nr_components" "$(sed -n 's/^nr_components=//p' /tmp/fp1)" 11
expect_eq "$T.ids_ascending_all" \
	"$(awk '$1 == "component" { printf "%s ", $2 }' /tmp/fp1)" \
	"1 2 3 4 5 6 7 8 9 10 11 "
raw=$(sed -n 's/^digest=//p' /tmp/fp1)
expect_eq "$T.digest_recomputed" "$(fp_recompute /tmp/fp1)" "$raw"

# ---- DMI components against sysfs ---------------------------------------------
# id:file for the eight DMI components
for pair in 1:sys_vendor 2:product_name 3:product_uuid 4:product_serial \
	5:board_vendor 6:board_name 7:board_serial 8:chassis_serial; do
	id=${pair%%:*}
	f=${pair#*:}
	v=$(cat "/sys/class/dmi/id/$f" 2>/dev/null)
	printf '  %s\n' "dmi $f: '$v'"
	if [ -n "$v" ]; then
		expect_eq "$T.$f.present" "$(comp /tmp/fp1 "$id" flags)" 1
		expect_eq "$T.$f.value" "$(comp /tmp/fp1 "$id" value)" \
			"$(printf '%s' "$v" | head -c 63)"
		expect_eq "$T.$f.digest" "$(comp /tmp/fp1 "$id" digest)" "$(sha "$v")"
	else
		expect_eq "$T.$f.absent" "$(comp /tmp/fp1 "$id" flags) $(comp /tmp/fp1 "$id" digest)" \
			"0 $ZERO"
	fi
done
# Without the runner's --smbios type=1,serial=...,uuid=... QEMU gives no
# UUID or serial: the absent-component path was checked for those instead.
if [ -z "$(cat /sys/class/dmi/id/product_uuid 2>/dev/null)" ] &&
	[ -z "$(cat /sys/class/dmi/id/product_serial 2>/dev/null)" ]; then
	echo "  note: no DMI product uuid/serial in this VM (run with --smbios to check present ones)"
fi

# ---- CPU components against /proc/cpuinfo ---------------------------------------
vendor=$(cpuinfo vendor_id)
expect_eq "$T.cpu_vendor.value" "$(comp /tmp/fp1 9 value)" "$vendor"
expect_eq "$T.cpu_vendor.digest" "$(comp /tmp/fp1 9 digest)" "$(sha "$vendor")"
sig="family $(cpuinfo 'cpu family') model $(cpuinfo model) stepping $(cpuinfo stepping)"
expect_eq "$T.cpu_signature.value" "$(comp /tmp/fp1 10 value)" "$sig"
expect_eq "$T.cpu_signature.digest" "$(comp /tmp/fp1 10 digest)" "$(sha "$sig")"

# ---- the EK against tpm2_createek -------------------------------------------------
ekalg=$(comp /tmp/fp1 11 value)
ekdig=$(comp /tmp/fp1 11 digest)
expect_eq "$T.ek.present" "$(comp /tmp/fp1 11 flags)" 1
case $ekalg in
ecc-nist-p256) G=ecc ;;
ecc-nist-p384) G=ecc384 ;;
rsa-2048) G=rsa ;;
*) G= ; fail "$T.ek.alg" "EK value '$ekalg'" ;;
esac
# the EK is the certified one: swtpm_setup certifies RSA L-1 (0x01c00002)
# and ECC P-384 H-3, no ECC P-256 L-2 (0x01c0000a), so RSA comes first
if tpm2_nvreadpublic 0x01c0000a > /dev/null 2>&1; then
	expect_eq "$T.ek.is_certified_one" "$ekalg" ecc-nist-p256
elif tpm2_nvreadpublic 0x01c00002 > /dev/null 2>&1; then
	expect_eq "$T.ek.is_certified_one" "$ekalg" rsa-2048
else
	expect_eq "$T.ek.is_certified_one" "$ekalg" ecc-nist-p256
fi
if [ -n "$G" ]; then
	# TPM2B_PUBLIC from the TCG default EK template; the module hashes the
	# TPMT_PUBLIC inside it (without the 2-byte size)
	if tpm2_createek -G $G -c /tmp/ek.ctx -u /tmp/ek.pub > /dev/null 2> /tmp/err; then
		expect_eq "$T.ek.digest_is_tpmt_public" \
			"$(tail -c +3 /tmp/ek.pub | sha256sum | cut -c1-64)" "$ekdig"
	else
		fail "$T.ek.digest_is_tpmt_public" "tpm2_createek: $(cat /tmp/err)"
	fi
fi

# ---- hrotctl reports the same ------------------------------------------------------
if hrotctl fingerprint --json > /tmp/fp.json 2> /tmp/err; then
	pass "$T.hrotctl_json_runs"
	cat /tmp/fp.json
	tr -d ' \n\t' < /tmp/fp.json > /tmp/fp.flat
	check "$T.hrotctl_json_digest" grep -qi "$raw" /tmp/fp.flat
	# every present component's digest, and the DMI uuid/serial values
	for id in 1 2 3 4 5 6 7 8 9 10 11; do
		[ "$(comp /tmp/fp1 $id flags)" = 1 ] || continue
		check "$T.hrotctl_json_component_$id" grep -qi "$(comp /tmp/fp1 $id digest)" /tmp/fp.flat
	done
	for f in product_uuid product_serial; do
		v=$(cat "/sys/class/dmi/id/$f" 2>/dev/null)
		[ -n "$v" ] || continue
		check "$T.hrotctl_json_$f" grep -qF -- "$(printf '%s' "$v" | tr -d ' \t')" /tmp/fp.flat
	done
else
	fail "$T.hrotctl_json_runs" "$(cat /tmp/err)"
fi
if hrotctl fingerprint > /tmp/fp.txt 2> /tmp/err; then
	check "$T.hrotctl_text_digest" grep -qi "$raw" /tmp/fp.txt
else
	fail "$T.hrotctl_text_runs" "$(cat /tmp/err)"
fi

# ---- stable -------------------------------------------------------------------------
hrot_raw fingerprint > /tmp/fp2
check "$T.stable_same_load" cmp /tmp/fp1 /tmp/fp2
unload_hrot
load_hrot || { fail "$T.reload" "load_hrot failed"; exit 1; }
hrot_raw fingerprint > /tmp/fp3
expect_eq "$T.ek_stable_across_reload" "$(comp /tmp/fp3 11 digest)" "$ekdig"
expect_eq "$T.stable_across_reload" "$(sed -n 's/^digest=//p' /tmp/fp3)" "$raw"
check "$T.components_stable_across_reload" cmp /tmp/fp1 /tmp/fp3
# FINGERPRINT is not privileged and does not touch the log (its one
# record is the command line, measured at load)
expect_eq "$T.no_log_records" "$(hrot_raw info | sed -n 's/^log_entries=//p')" 1
unload_hrot
finish
