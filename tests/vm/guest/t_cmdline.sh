#!/bin/sh
# t_cmdline: the module measures the kernel command line at load, as the
# log's first record, always (no parameter turns it off: modprobe would
# apply one from the command line it hides): the record is named
# "kernel command line", its
# content digest is SHA-256 of /proc/cmdline without its newline
# (sha256sum is the oracle), the log replays to the TPM's PCR 13 (tpm2_eventlog
# and tpm2_pcrread), and a file mounted over /proc/cmdline does not change
# what is measured (the module reads its own procfs instance).
# vm: tpm=swtpm
# vm: mem=512

# shellcheck source=/dev/null
. /tests/lib.sh

T=cmdline
LOG=/sys/kernel/security/hrot/binary_measurements
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
want=$(printf %s "$(cat /proc/cmdline)" | sha256sum | cut -c1-64)

# record_digest: the content digest hrotctl log shows for the command line
# (after the bank digests: "extend sha256:HEX SIZE NAME")
record_digest() {
	hrotctl log | grep -F 'kernel\040command\040line' |
		grep -o 'extend sha256:[0-9a-f]\{64\}' | head -n 1 | cut -c15-
}

# PCR 13 of the sha256 bank from tpm2_eventlog's replay (lib.sh's helpers)
eventlog_pcr13() {
	cp "$LOG" /tmp/cl.bin && tpm2_eventlog /tmp/cl.bin > /tmp/cl.yaml 2> /dev/null &&
		eventlog_pcrs /tmp/cl.yaml 13 | awk '$1 == "sha256" { print $2 }'
}

# ---- the default: measured ---------------------------------------------------
[ -d /sys/module/hrot ] && unload_hrot
modprobe hrot || { fail "$T.load" "modprobe hrot failed"; finish; }
i=0
while [ ! -c /dev/hrot ] && [ "$i" -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
check "$T.no_off_switch" test ! -e /sys/module/hrot/parameters/measure_cmdline
expect_eq "$T.one_record" "$(hrotctl log | grep -c .)" 1
expect_eq "$T.content_digest" "$(record_digest)" "$want"
el=$(eventlog_pcr13)
check "$T.eventlog_parses" test -n "$el"
expect_eq "$T.replays_to_pcr13" "$el" "$(pcrread sha256 13)"

# ---- /proc/cmdline replaced in this mount namespace: not what is measured ----
unload_hrot
printf 'console=ttyS0 quiet' > /tmp/fake-cmdline
if mount --bind /tmp/fake-cmdline /proc/cmdline; then
	check "$T.fake_mounted" grep -q quiet /proc/cmdline
	load_hrot || fail "$T.reload" "load_hrot failed"
	expect_eq "$T.fake_ignored" "$(record_digest)" "$want"
	umount /proc/cmdline
else
	fail "$T.fake_mounted" "mount --bind over /proc/cmdline failed"
fi

# ---- no parameter turns it off (the kernel ignores unknown ones) -------------
unload_hrot
load_hrot measure_cmdline=0 || fail "$T.reload_param" "load_hrot failed"
expect_eq "$T.still_measured" "$(record_digest)" "$want"
unload_hrot
finish
