#!/bin/sh
# The demo (`make demo`, tests/vm/demo): load hrot over swtpm, measure a
# file, extend an event, and show that three independent readings agree:
# the module's log replayed by hrotctl, the same log replayed by tpm2-tools'
# tpm2_eventlog, and the PCR read from the TPM with tpm2_pcrread.
# vm: demo-only
# vm: tpm=swtpm
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

say() { printf '\n===== %s\n' "$*"; }

# show CMD...: print the command, then run it.
show() {
	echo "# $*"
	"$@"
}

# The PCR value of bank BANK in PCR N from tpm2_eventlog's replay (YAML).
eventlog_pcr() {
	tpm2_eventlog "$HROT_BIN_LOG" 2>/dev/null | awk -v bank="$1:" -v pcr="$2" '
		/^pcrs:/ { inpcrs = 1; next }
		inpcrs && $1 == bank { inbank = 1; next }
		inpcrs && inbank && $1 == pcr { print tolower($NF); exit }
		inpcrs && inbank && $1 ~ /:$/ && $1 !~ /^[0-9]/ { inbank = 0 }'
}

# The PCR value from the TPM.
tpm_pcr() {
	tpm2_pcrread "$1:$2" | awk -v pcr="$2:" '$1 == pcr { print tolower($2) }'
}

# The PCR value from hrotctl replay ("pcrN BANK HEX").
replay_pcr() {
	hrotctl replay | awk -v p="pcr$2" -v b="$1" '$1 == p && $2 == b { print "0x" tolower($3) }'
}

main() {
	say "load the module (modprobe hrot)"
	load_hrot || { fail load "modprobe hrot failed"; finish; }
	show hrotctl info
	pcr=$(hrotctl info | awk '$1 == "pcr" { print $2 }')
	banks=$(hrotctl info | sed -n 's/^banks //p')

	say "measure a file: the kernel reads and hashes it itself"
	echo "demo configuration, $(date)" > /tmp/demo.conf
	show hrotctl measure /tmp/demo.conf
	show sha256sum /tmp/demo.conf

	say "extend an event"
	show hrotctl extend "demo: reached the application stage"

	say "the event log (hrotctl log)"
	show hrotctl log

	say "the same binary log through tpm2-tools (tpm2_eventlog)"
	show tpm2_eventlog "$HROT_BIN_LOG"

	say "replay (hrotctl replay) against the TPM (tpm2_pcrread) for PCR $pcr"
	show hrotctl replay
	for bank in $banks; do
		show tpm2_pcrread "$bank:$pcr"
		tpm=$(tpm_pcr "$bank" "$pcr")
		expect_eq "$bank-replay-matches-tpm" "$(replay_pcr "$bank" "$pcr")" "$tpm"
		expect_eq "$bank-eventlog-matches-tpm" "$(eventlog_pcr "$bank" "$pcr")" "$tpm"
	done
	unload_hrot
	finish
}

main
