#!/bin/sh
# t_badinput: raw ioctls with bad input get the documented errno and never
# change the log; the log cap refuses with ENOSPC and keeps every record;
# bad module parameters are refused; hrotctl refuses bad arguments.
# TPM configs: swtpm and none.
# vm: tpm=swtpm,none
# vm: mem=512
# vm: timeout=600
#
# The ioctl cases are in hrot_badinput (tests/vm/guest-src/hrot_badinput.c),
# one result per case; each checks the errno and that binary_measurements
# and INFO's log_entries/log_bytes are unchanged.

# shellcheck source=/dev/null
. /tests/lib.sh

T=badinput
LOG=/sys/kernel/security/hrot/binary_measurements
CAP=4096
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"

# ---- replay helpers (same in t_concurrency.sh and t_badinput.sh) ------------
# banks the TPM has allocated (non-empty PCR selection), one per line
tpm_banks() {
	tpm2_getcap pcrs | awk '
		/^ *- *[a-z0-9_]+: *\[/ {
			b = $0; sub(/^ *- */, "", b); sub(/:.*/, "", b)
			l = $0; sub(/^[^[]*\[/, "", l); gsub(/[] ,]/, "", l)
			if (l != "") print b
		}'
}
# "bank hex" lines for PCR $2 from tpm2_eventlog's "pcrs:" section in $1
eventlog_pcrs() {
	awk -v pcr="$2" '
		/^pcrs:/ { p = 1; next }
		p && /^[^ ]/ { p = 0 }
		p && /^  [a-z0-9_]+: *$/ { b = $1; sub(/:$/, "", b); next }
		p && b != "" {
			l = $0; gsub(/[ \t]/, "", l)
			if (split(l, a, ":") == 2 && a[1] == pcr) {
				v = tolower(a[2]); sub(/^0x/, "", v); print b, v
			}
		}' "$1"
}
# hex value of PCR $2 in bank $1 from tpm2_pcrread
pcrread() {
	tpm2_pcrread "$1:$2" | awk -v pcr="$2" '{
		l = $0; gsub(/[ \t]/, "", l)
		if (split(l, a, ":") == 2 && a[1] == pcr) {
			v = tolower(a[2]); sub(/^0x/, "", v); print v
		}
	}'
}
# replay_check PREFIX PCR [NBANKS_INFO]: tpm2_eventlog parses the log and its
# replay equals tpm2_pcrread in every allocated bank; so does hrotctl replay
replay_check() {
	pfx=$1
	pcr=$2
	tpm_banks > /tmp/tpm_banks
	nb=$(wc -l < /tmp/tpm_banks | tr -d ' ')
	cp "$LOG" /tmp/replay_log.bin
	if ! tpm2_eventlog /tmp/replay_log.bin > /tmp/eventlog.yaml 2> /tmp/eventlog.err; then
		fail "$pfx.eventlog_parses" "tpm2_eventlog: $(head -n 5 /tmp/eventlog.err)"
		return
	fi
	pass "$pfx.eventlog_parses"
	eventlog_pcrs /tmp/eventlog.yaml "$pcr" > /tmp/el_pcrs
	expect_eq "$pfx.eventlog_bank_count" \
		"$(wc -l < /tmp/el_pcrs | tr -d ' ')" "$nb"
	if [ -n "$3" ]; then
		expect_eq "$pfx.info_bank_count" "$3" "$nb"
	fi
	# the runner's TPM configuration says how many banks there must be
	case ${HROT_TPM:-} in
	swtpm) expect_eq "$pfx.tpm_has_4_banks" "$nb" 4 ;;
	swtpm-sha256) expect_eq "$pfx.tpm_has_1_bank" "$(cat /tmp/tpm_banks)" sha256 ;;
	esac
	hrotctl replay > /tmp/hrot_replay 2> /tmp/hrot_replay.err ||
		fail "$pfx.hrotctl_replay_runs" "$(cat /tmp/hrot_replay.err)"
	hrotctl replay --file /tmp/replay_log.bin > /tmp/hrot_replay_file 2>&1 ||
		fail "$pfx.hrotctl_replay_file_runs" "$(cat /tmp/hrot_replay_file)"
	zero=0
	while read -r bank; do
		tpm=$(pcrread "$bank" "$pcr")
		el=$(awk -v b="$bank" '$1 == b { print $2 }' /tmp/el_pcrs)
		hr=$(awk -v k="pcr$pcr" -v b="$bank" '$1 == k && $2 == b { print tolower($3) }' /tmp/hrot_replay)
		hf=$(awk -v k="pcr$pcr" -v b="$bank" '$1 == k && $2 == b { print tolower($3) }' /tmp/hrot_replay_file)
		case $tpm in
		'' | *[!0]*) ;;
		*) zero=1 ;;
		esac
		if [ -z "$tpm" ]; then
			fail "$pfx.$bank.pcrread" "tpm2_pcrread $bank:$pcr gave nothing"
			continue
		fi
		expect_eq "$pfx.$bank.eventlog_replay_eq_pcr" "$el" "$tpm"
		expect_eq "$pfx.$bank.hrotctl_replay_eq_pcr" "$hr" "$tpm"
		expect_eq "$pfx.$bank.hrotctl_replay_file_eq_pcr" "$hf" "$tpm"
	done < /tmp/tpm_banks
	expect_eq "$pfx.pcr_moved" "$zero" 0
	echo "  $pfx: banks $(tr '\n' ' ' < /tmp/tpm_banks)"
	cat /tmp/el_pcrs
}
# ------------------------------------------------------------------------------


info() { hrot_raw info | sed -n "s/^$1=//p"; }
unloads=0

# ---- the log cap (first load of this boot: the PCR replays) ----------------
load_hrot log_max_bytes=$CAP || { fail "$T.load_cap" "load_hrot failed"; exit 1; }
tpm=$(info tpm_present)
relay hrot_badinput cap $CAP
expect_eq "$T.cap_file_within_cap" \
	"$(test "$(wc -c < $LOG)" -le $CAP && echo yes)" yes
if [ "$tpm" = 1 ]; then
	replay_check "$T.cap" "$(info pcr_index)" "$(info nr_banks)"
else
	# no TPM: the log still parses for tpm2_eventlog, sha256 bank only
	check "$T.cap.eventlog_parses" tpm2_eventlog $LOG
	expect_eq "$T.cap.banks" "$(info banks)" sha256
fi
unload_hrot
unloads=$((unloads + 1))

# ---- every bad ioctl ---------------------------------------------------------
load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
relay hrot_badinput

# ---- hrotctl refuses bad arguments, and the log does not change ---------------
# refused NAME ARGS...: hrotctl exits non-zero, says something, log unchanged
refused() {
	rname=$1
	shift
	b0=$(info log_bytes)
	e0=$(info log_entries)
	hrotctl "$@" > /tmp/out 2> /tmp/err
	rrc=$?
	if [ $rrc -eq 0 ]; then
		fail "$T.hrotctl.$rname" "exit 0: $(head -c 200 /tmp/out)"
	elif [ $rrc -ge 126 ]; then
		fail "$T.hrotctl.$rname" "exit $rrc (not run, or killed): $(head -c 200 /tmp/err)"
	elif [ ! -s /tmp/err ]; then
		fail "$T.hrotctl.$rname" "failed without a message"
	elif [ "$(info log_bytes)" != "$b0" ] || [ "$(info log_entries)" != "$e0" ]; then
		fail "$T.hrotctl.$rname" "the log changed"
	else
		pass "$T.hrotctl.$rname"
	fi
	printf '  %s\n' "hrotctl $rname: $(head -n 1 /tmp/err)"
}
long=$(head -c 4097 /dev/zero | tr '\0' x)
refused extend_type_no_action extend --type 3 "no action"
refused extend_empty_description extend ""
refused extend_description_4097 extend "$long"
refused extend_digest_not_hex extend --digest zz "bad digest"
refused extend_digest_short extend --digest 0123456789abcdef "short digest"
refused extend_digest_long extend --digest "$(head -c 66 /dev/zero | tr '\0' a)" "long digest"
refused unknown_command frobnicate
refused measure_no_file measure
# the longest description is accepted
e0=$(info log_entries)
if hrotctl extend "$(head -c 4096 /dev/zero | tr '\0' y)" > /dev/null 2> /tmp/err; then
	pass "$T.hrotctl.extend_description_4096"
else
	fail "$T.hrotctl.extend_description_4096" "$(head -c 200 /tmp/err)"
fi
expect_eq "$T.hrotctl.extend_description_4096_logged" "$(info log_entries)" "$((e0 + 1))"
check "$T.log_valid_at_end" hrot_raw logdump
unload_hrot
unloads=$((unloads + 1))

# ---- bad module parameters are refused ----------------------------------------
# bad_param NAME PARAM: modprobe fails and leaves no module and no device
bad_param() {
	if modprobe hrot "$2" 2> /tmp/err; then
		fail "$T.param.$1" "modprobe hrot $2 succeeded"
		rmmod hrot
		unloads=$((unloads + 1))
	elif lsmod | grep -q '^hrot ' || [ -e /dev/hrot ]; then
		fail "$T.param.$1" "modprobe failed but hrot is loaded"
	else
		pass "$T.param.$1"
	fi
}
bad_param pcr_24 pcr=24
bad_param pcr_huge pcr=4294967295
bad_param pcr_negative pcr=-1
bad_param log_max_below_header log_max_bytes=16
# PCR 23 is the last one: accepted, reported and used
if load_hrot pcr=23; then
	expect_eq "$T.param.pcr_23" "$(info pcr_index)" 23
	hrot_raw extend "pcr 23" > /dev/null
	# every record (the load's command line, this one) names PCR 23
	expect_eq "$T.param.pcr_23_logged" \
		"$(hrot_raw logdump | awk '$1 == "rec" { print $3 }' | sort -u)" 23
	unload_hrot
	unloads=$((unloads + 1))
else
	fail "$T.param.pcr_23" "load_hrot pcr=23 failed"
fi

# ---- the kernel log ------------------------------------------------------------
expect_eq "$T.no_leak_on_unload" \
	"$(dmesg | grep -c 'hrot: unloaded, 0 allocations outstanding')" "$unloads"
if dmesg | grep -E 'WARNING:|BUG:|Oops|general protection' > /tmp/dmesg.bad; then
	fail "$T.dmesg_clean" "$(head -n 3 /tmp/dmesg.bad)"
else
	pass "$T.dmesg_clean"
fi
finish
