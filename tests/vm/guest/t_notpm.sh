#!/bin/sh
# t_notpm: without a TPM the module loads, says so once in dmesg, reports no
# TPM in INFO, still logs measurements (one sha256 bank), and FINGERPRINT
# works without the EK component.
# TPM configs: none.
# vm: tpm=none
# vm: timeout=300

# shellcheck source=/dev/null
. /tests/lib.sh

T=notpm
LOG=/sys/kernel/security/hrot/binary_measurements
ZERO=0000000000000000000000000000000000000000000000000000000000000000

info() { hrot_raw info | sed -n "s/^$1=//p"; }
le32hex() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) \
		$((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
fp_recompute() {
	awk '$1 == "component" { print $2, $3, $4 }' "$1" |
	while read -r id flags dig; do
		printf '%s%s%s' "$(le32hex "$id")" "$(le32hex "$flags")" "$dig"
	done | xxd -r -p | sha256sum | cut -c1-64
}

# the configuration really has no TPM
check "$T.no_tpm_device" sh -c '[ ! -e /dev/tpm0 ] && [ ! -e /dev/tpmrm0 ]'

dmesg > /tmp/dmesg.before
load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
check "$T.device" test -c /dev/hrot

# ---- dmesg: one line saying there is no TPM -----------------------------------------
dmesg | tail -n +"$(($(wc -l < /tmp/dmesg.before) + 1))" > /tmp/dmesg.load
cat /tmp/dmesg.load
n=$(grep -ci 'hrot.*no tpm' /tmp/dmesg.load)
check "$T.dmesg_says_no_tpm" test "$n" -ge 1
check "$T.dmesg_no_errors" sh -c '! grep -v "module verification failed" /tmp/dmesg.load | grep -iE "hrot.*(error|fail)|WARNING:|BUG:"'

# ---- INFO ------------------------------------------------------------------------
expect_eq "$T.info_flag_no_tpm" "$(info tpm_present)" 0
expect_eq "$T.info_one_bank" "$(info nr_banks) $(info banks)" "1 sha256"
if hrotctl info --json > /tmp/info.json 2> /tmp/err; then
	cat /tmp/info.json
	flat=$(tr -d ' \n\t' < /tmp/info.json)
	case $flat in
	*'"tpm_present":false'* | *'"tpm":false'* | *'"tpm":null'*) pass "$T.hrotctl_json_no_tpm" ;;
	*) fail "$T.hrotctl_json_no_tpm" "no false TPM flag in $flat" ;;
	esac
else
	fail "$T.hrotctl_json_no_tpm" "hrotctl info --json: $(cat /tmp/err)"
fi
if hrotctl info > /tmp/info.txt 2> /tmp/err; then
	check "$T.hrotctl_info_says_no_tpm" grep -qiE 'no tpm|tpm[^a-z]*(no|none|absent|false|not present)' /tmp/info.txt
else
	fail "$T.hrotctl_info_runs" "$(cat /tmp/err)"
fi

# ---- measure and extend still log --------------------------------------------------
b0=$(info log_bytes)
printf 'no tpm here\n' > /tmp/notpm.txt
got=$(hrotctl measure /tmp/notpm.txt)
expect_eq "$T.measure" "$got" "$(sha256sum /tmp/notpm.txt)"
check "$T.extend" hrotctl extend "no tpm extend"
# the load's command line record, then these two
expect_eq "$T.log_entries" "$(info log_entries)" 3
check "$T.log_grew" test "$(info log_bytes)" -gt "$b0"
expect_eq "$T.log_bytes_is_file_size" "$(wc -c < $LOG | tr -d ' ')" "$(info log_bytes)"
hrot_raw logdump > /tmp/dump || fail "$T.raw_log_valid" "invalid log"
expect_eq "$T.log_sha256_bank_only" "$(sed -n 's/^banks=//p' /tmp/dump)" sha256
# tpm2_eventlog parses it and replays one bank; hrotctl replay agrees
pcr=$(info pcr_index)
if tpm2_eventlog $LOG > /tmp/el.yaml 2> /tmp/el.err; then
	pass "$T.eventlog_parses"
	el=$(awk -v pcr="$pcr" '
		/^pcrs:/ { p = 1; next }
		p && /^  [a-z0-9_]+: *$/ { b = $1; sub(/:$/, "", b); next }
		p && b != "" { l = $0; gsub(/[ \t]/, "", l)
			if (split(l, a, ":") == 2 && a[1] == pcr) { v = tolower(a[2]); sub(/^0x/, "", v); print b, v } }' /tmp/el.yaml)
	expect_eq "$T.eventlog_one_bank" "$(echo "$el" | awk '{ print $1 }')" sha256
	hr=$(hrotctl replay | awk -v k="pcr$pcr" '$1 == k { print $2, tolower($3) }')
	expect_eq "$T.hrotctl_replay_eq_eventlog" "$hr" "$el"
else
	fail "$T.eventlog_parses" "$(head -n 3 /tmp/el.err)"
fi

# ---- fingerprint without the EK -------------------------------------------------------
if hrot_raw fingerprint > /tmp/fp; then
	pass "$T.fingerprint_works"
	cat /tmp/fp
	expect_eq "$T.fingerprint_no_ek" \
		"$(awk '$1 == "component" && $2 == 11 { print $3, $4 }' /tmp/fp)" "0 $ZERO"
	raw=$(sed -n 's/^digest=//p' /tmp/fp)
	expect_eq "$T.fingerprint_digest_recomputed" "$(fp_recompute /tmp/fp)" "$raw"
	if hrotctl fingerprint --json > /tmp/fp.json 2> /tmp/err; then
		check "$T.hrotctl_fingerprint_digest" grep -qi "$raw" /tmp/fp.json
	else
		fail "$T.hrotctl_fingerprint_runs" "$(cat /tmp/err)"
	fi
else
	fail "$T.fingerprint_works" "FINGERPRINT failed"
fi

unload_hrot
check "$T.unload_no_leak" sh -c 'dmesg | grep -q "hrot: unloaded, 0 allocations outstanding"'
finish
