#!/bin/sh
# bench_quote: quote latency through /dev/hrot against tpm2_quote on the same
# TPM in the same guest.  Both sides are one process per quote, with the same
# PCR selection and a fresh nonce each time:
#   hrot:  hrotctl quote (the module re-creates its AK, quotes, reads PCRs)
#   tpm2:  tpm2_quote -c ak.ctx (tpm2-tools loads a saved AK, quotes, reads PCRs)
# Best of REPS for each, CLOCK_MONOTONIC through hrot_bench.
#   ratio = hrot_quote_ms / tpm2_quote_ms  (<= 1: hrot is as fast or faster)
# vm: tpm=swtpm
# vm: timeout=600

# shellcheck source=/dev/null
. /tests/lib.sh

REPS=15
PCRS=0,1,2,3,7,13
NONCE=00112233445566778899aabbccddeeff

load_hrot || { fail load "load_hrot failed"; finish; }
cd /tmp || exit 1
export TPM2TOOLS_TCTI=device:/dev/tpmrm0

tpm2_createek -G ecc -c ek.ctx -u ek.pub > /dev/null 2>&1 &&
	tpm2_createak -C ek.ctx -c ak.ctx -G ecc -g sha256 -s ecdsa -u ak.pub \
		-n ak.name > /dev/null 2>&1
check tpm2_ak_ready test -s ak.ctx

check hrot_quote_works hrotctl quote --nonce $NONCE --pcrs $PCRS --out /tmp/hq
check tpm2_quote_works tpm2_quote -c ak.ctx -l sha256:$PCRS -q $NONCE \
	-m /tmp/tq.msg -s /tmp/tq.sig -o /tmp/tq.pcrs

best() { sed -n 's/^best_ns=//p'; }
hrot_ns=$(hrot_bench time $REPS hrotctl quote --nonce $NONCE --pcrs $PCRS \
	--out /tmp/hq | best)
tpm2_ns=$(hrot_bench time $REPS tpm2_quote -c ak.ctx -l sha256:$PCRS \
	-q $NONCE -m /tmp/tq.msg -s /tmp/tq.sig -o /tmp/tq.pcrs | best)

ms() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e6 }'; }
if [ -n "$hrot_ns" ] && [ -n "$tpm2_ns" ] && [ "$tpm2_ns" -gt 0 ]; then
	pass timed
	ratio=$(awk -v a="$hrot_ns" -v b="$tpm2_ns" 'BEGIN { printf "%.3f", a / b }')
else
	fail timed "hrot '$hrot_ns' ns, tpm2_quote '$tpm2_ns' ns"
	ratio=0
fi
# no transient object left behind by either side (tpm2-tools' own are in
# its resource-manager space and gone with its process)
expect_eq no_transient_left "$(tpm2_getcap handles-transient 2>/dev/null)" ""
bench hrot_quote_ms="$(ms "$hrot_ns")" tpm2_quote_ms="$(ms "$tpm2_ns")" \
	ratio="$ratio" reps=$REPS pcrs=$PCRS tpm="${HROT_TPM:-?}"
unload_hrot
finish
