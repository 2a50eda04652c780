#!/bin/sh
# bench_measure: how fast the module measures, in the guest (QEMU TCG, so
# absolute numbers are slow; the ratio is what compares).
#   measure_ratio  = best sha256sum time / best `hrotctl measure` time on the
#                    same 256 MiB file, warm page cache, best of 3 each
#                    (>= 1: hrot is as fast as coreutils or faster)
#   extends_per_s  = EXTEND ioctls per second for ~2 s (hrot_bench), each
#                    one a TPM2_PCR_Extend in every bank plus a log record
#   listener_ratio = extends per second with a netlink listener attached
#                    (hrotctl monitor, an event per extend) / without, same
#                    run (1: the events cost nothing measurable)
# Timing is CLOCK_MONOTONIC through hrot_bench (busybox date has no %N).
# Run by tests/bench/measure (host) as `tests/vm/run --mem 1536 bench_measure`.
# vm: tpm=swtpm
# vm: mem=1536
# vm: timeout=900

# shellcheck source=/dev/null
. /tests/lib.sh

F=/tmp/bench-256m.bin
MIB=256
REPS=3
EXTEND_SECS=2

load_hrot || { fail load "load_hrot failed"; finish; }

dd if=/dev/urandom of=$F bs=1048576 count=$MIB 2>/dev/null
expect_eq file_size "$(stat -c %s $F)" $((MIB * 1048576))
# warm the page cache, and check that both agree before timing them
want=$(sha256sum $F)
got=$(hrotctl measure $F)
expect_eq digest_matches "$got" "$want"

best() { sed -n 's/^best_ns=//p'; }
sha_ns=$(hrot_bench time $REPS sha256sum $F | tee /tmp/sha.runs | best)
hrot_ns=$(hrot_bench time $REPS hrotctl measure $F | tee /tmp/hrot.runs | best)
raw_ns=$(hrot_bench time $REPS hrot_raw measure $F | best)
echo "sha256sum ($(readlink -f "$(command -v sha256sum)")):"
cat /tmp/sha.runs
echo "hrotctl measure:"
cat /tmp/hrot.runs
# the SHA-256 implementation the module chose at load (hrot_hash_select.c)
drv=$(dmesg | sed -n 's/.*hrot: file contents hashed by \([^ ]*\).*/\1/p' | tail -n 1)
if [ -n "$sha_ns" ] && [ -n "$hrot_ns" ] && [ "$hrot_ns" -gt 0 ]; then
	pass timed
	ratio=$(awk -v a="$sha_ns" -v b="$hrot_ns" 'BEGIN { printf "%.3f", a / b }')
else
	fail timed "sha256sum '$sha_ns' ns, hrotctl '$hrot_ns' ns"
	ratio=0
fi

ext=$(hrot_bench extends $EXTEND_SECS)
echo "$ext"
eps=$(echo "$ext" | sed -n 's/.*extends_per_s=\([0-9.]*\).*/\1/p')
if [ -n "$eps" ]; then pass extends; else fail extends "hrot_bench: $ext"; eps=0; fi

# the same with a listener: every extend also builds and sends an event
hrotctl monitor > /tmp/monitor.out 2> /tmp/monitor.err &
mon=$!
i=0
while [ $i -lt 50 ] && ! grep -q listening /tmp/monitor.err; do
	sleep 0.1
	i=$((i + 1))
done
ext_l=$(hrot_bench extends $EXTEND_SECS)
kill $mon 2> /dev/null
wait $mon 2> /dev/null
echo "with a listener: $ext_l"
eps_l=$(echo "$ext_l" | sed -n 's/.*extends_per_s=\([0-9.]*\).*/\1/p')
heard=$(wc -l < /tmp/monitor.out | tr -d ' ')
if [ -n "$eps_l" ] && [ "${heard:-0}" -gt 0 ]; then
	pass extends_listened
	lratio=$(awk -v a="$eps_l" -v b="$eps" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print 0 }')
else
	fail extends_listened "hrot_bench: $ext_l, events heard: $heard"
	lratio=0
fi

mbps() { awk -v ns="$1" -v mib="$MIB" 'BEGIN { if (ns > 0) printf "%.1f", mib / (ns / 1e9); else print 0 }'; }
bench measure_ratio="$ratio" extends_per_s="$eps" \
	listener_ratio="$lratio" extends_listened_per_s="$eps_l" events_heard="$heard" \
	sha256sum_ns="$sha_ns" hrotctl_ns="$hrot_ns" raw_ioctl_ns="$raw_ns" \
	sha256sum_mib_s="$(mbps "$sha_ns")" hrotctl_mib_s="$(mbps "$hrot_ns")" \
	file_mib=$MIB reps=$REPS kernel_sha256="$drv" tpm="${HROT_TPM:-?}" \
	banks="$(hrot_raw info | sed -n 's/^banks=//p')"
rm -f $F
unload_hrot
finish
