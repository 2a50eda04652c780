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

# replay helpers: tpm_banks, eventlog_pcrs, pcrread, replay_check (lib.sh)


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
