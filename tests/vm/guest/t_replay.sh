#!/bin/sh
# t_replay: after a few hundred mixed EXTENDs and MEASURE_FDs, the log
# replays to the TPM's PCR in every bank the TPM has.
# TPM configs: swtpm (four banks: sha1, sha256, sha384, sha512) and
# swtpm-sha256 (one bank).  One module load in this boot: the PCR is not
# reset by a reload, so a second load's log would not replay to it.
# vm: tpm=swtpm,swtpm-sha256
# vm: mem=512
# vm: timeout=900
#
# Oracles: tpm2_eventlog (replays the binary log), tpm2_pcrread (the TPM),
# tpm2_getcap pcrs (the allocated banks), hrot_raw (INFO and a strict log
# parser, no libhrot).  hrotctl replay must agree with all of them.

# shellcheck source=/dev/null
. /tests/lib.sh

T=replay
LOG=/sys/kernel/security/hrot/binary_measurements
OPS=${HROT_REPLAY_OPS:-300}
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"

# replay helpers: tpm_banks, eventlog_pcrs, pcrread, replay_check (lib.sh)

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
check "$T.tpm_device" test -c /dev/tpmrm0

pcr=$(hrot_raw info | sed -n 's/^pcr_index=//p')
nbanks=$(hrot_raw info | sed -n 's/^nr_banks=//p')
expect_eq "$T.info_tpm_present" "$(hrot_raw info | sed -n 's/^tpm_present=//p')" 1
# hrotctl info reports the same PCR (JSON number)
jpcr=$(hrotctl info --json | tr -d '\n' | sed -n 's/.*"pcr[a-z_]*" *: *\([0-9][0-9]*\).*/\1/p')
expect_eq "$T.hrotctl_info_pcr" "$jpcr" "$pcr"
echo "  PCR $pcr, $nbanks bank(s): $(hrot_raw info | sed -n 's/^banks=//p')"

# Before the operations the log holds the load's own record, the kernel
# command line; tpm2_eventlog's replay from a zero PCR (fresh swtpm each
# boot) matching the TPM at the end covers it too.
expect_eq "$T.starts_with_cmdline" "$(hrot_raw info | sed -n 's/^log_entries=//p')" 1

# ---- OPS mixed operations ---------------------------------------------------
D=/tmp/hrot-replay
mkdir -p "$D"
i=0
while [ $i -lt 10 ]; do
	dd if=/dev/urandom of="$D/f$i" bs=1024 count=$((i * 7 + 1)) 2>/dev/null
	i=$((i + 1))
done
errs=0
i=0
while [ $i -lt "$OPS" ]; do
	case $((i % 5)) in
	0 | 3) hrotctl extend "replay op $i" > /dev/null 2>> /tmp/ops.err ;;
	1) hrotctl extend --type 5 \
		--digest "$(printf 'digest %d' $i | sha256sum | cut -c1-64)" \
		"replay action $i" > /dev/null 2>> /tmp/ops.err ;;
	2) hrotctl measure "$D/f$((i % 10))" > /dev/null 2>> /tmp/ops.err ;;
	4) hrotctl extend --type 305419896 "replay odd type $i" > /dev/null 2>> /tmp/ops.err ;;
	esac || errs=$((errs + 1))
	i=$((i + 1))
done
expect_eq "$T.ops_succeeded" "$errs" 0
[ $errs -eq 0 ] || head -n 5 /tmp/ops.err

entries=$(hrot_raw info | sed -n 's/^log_entries=//p')
expect_eq "$T.log_entries" "$entries" "$((OPS + 1))"
check "$T.raw_log_valid" hrot_raw logdump
expect_eq "$T.raw_log_records" "$(hrot_raw logdump | sed -n 's/^records=//p')" "$((OPS + 1))"
expect_eq "$T.ascii_one_line_per_record" \
	"$(wc -l < /sys/kernel/security/hrot/ascii_measurements | tr -d ' ')" "$((OPS + 1))"
# the ascii view names the same event types and contents, in order
hrot_raw logdump | awk '$1 == "rec" { printf "%s %s\n", $4, $6 }' > /tmp/raw_types
awk '{ t = $2; sub(/^0x0*/, "", t); if (t == "") t = "0"; c = $5; sub(/^sha256:/, "", c)
	printf "0x%s %s\n", t, c }' /sys/kernel/security/hrot/ascii_measurements > /tmp/ascii_types
check "$T.ascii_matches_binary" cmp /tmp/raw_types /tmp/ascii_types
# the extend --digest digest is logged as given
want=$(printf 'digest %d' 1 | sha256sum | cut -c1-64)
expect_eq "$T.extend_digest_logged" "$(hrot_raw logdump | grep '^rec 2 ')" \
	"rec 2 $pcr 0x5 extend $want 0 replay action 1"

replay_check "$T" "$pcr" "$nbanks"

# a copy with one byte of event data changed (the last record's last name
# byte): its bank digests no longer match it, which hrotctl must notice
# (tpm2_eventlog only replays the digests, so it cannot)
cp /tmp/replay_log.bin /tmp/tampered.bin
size=$(wc -c < /tmp/tampered.bin | tr -d ' ')
printf 'X' | dd of=/tmp/tampered.bin bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
if cmp -s /tmp/replay_log.bin /tmp/tampered.bin; then
	fail "$T.tampered_copy" "could not change the copy"
elif hrotctl replay --file /tmp/tampered.bin > /tmp/t.out 2> /tmp/t.err &&
	hrotctl log --file /tmp/tampered.bin > /dev/null 2>> /tmp/t.err; then
	fail "$T.hrotctl_detects_tampered_event" "replay and log accept it: $(head -n 2 /tmp/t.out)"
else
	pass "$T.hrotctl_detects_tampered_event"
	printf '  %s\n' "tampered: $(head -n 2 /tmp/t.err)"
fi

rm -rf "$D"
finish
