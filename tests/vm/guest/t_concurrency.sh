#!/bin/sh
# t_concurrency: 8 writer threads (EXTEND and MEASURE_FD mixed) against
# readers of binary_measurements and ascii_measurements; no read ever sees a
# torn record, every operation lands exactly once, and the log still
# replays to the TPM's PCR in every bank.
# TPM configs: swtpm (four banks).  One module load in this boot.
# vm: tpm=swtpm
# vm: mem=512
# vm: timeout=900
#
# The checks on the reads and on the records are in hrot_stress
# (tests/vm/guest-src/hrot_stress.c); the replay uses tpm2-tools.

# shellcheck source=/dev/null
. /tests/lib.sh

T=concurrency
LOG=/sys/kernel/security/hrot/binary_measurements
WRITERS=8
N=${HROT_STRESS_OPS:-100}
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


load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
pcr=$(hrot_raw info | sed -n 's/^pcr_index=//p')
nbanks=$(hrot_raw info | sed -n 's/^nr_banks=//p')

start=$(cut -d' ' -f1 /proc/uptime)
relay hrot_stress -w $WRITERS -n "$N"
echo "  hrot_stress took $(awk -v s="$start" '{ print $1 - s }' /proc/uptime) s"

# 1 Spec ID event + the load's command line record + WRITERS * N records,
# by three counts
records=$(hrot_raw logdump | sed -n 's/^records=//p')
expect_eq "$T.records_plus_spec_id" "$((records + 1))" "$((2 + WRITERS * N))"
expect_eq "$T.info_log_entries" \
	"$(hrot_raw info | sed -n 's/^log_entries=//p')" "$((1 + WRITERS * N))"
expect_eq "$T.ascii_one_line_per_record" \
	"$(wc -l < /sys/kernel/security/hrot/ascii_measurements | tr -d ' ')" \
	"$((1 + WRITERS * N))"

replay_check "$T" "$pcr" "$nbanks"

# the kernel said nothing alarming
if dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|hrot: .*TPM.*(fail|error)' > /tmp/dmesg.bad; then
	fail "$T.dmesg_clean" "$(head -n 3 /tmp/dmesg.bad)"
else
	pass "$T.dmesg_clean"
fi
finish
