#!/bin/sh
# t_quote_concurrency: 8 threads quote through /dev/hrot (each its own fd,
# distinct nonces and PCR masks, every attest checked) while tpm2-tools
# loops use /dev/tpmrm0 (tpm2_pcrread, tpm2_getrandom, tpm2_createprimary +
# tpm2_flushcontext): every quote and every tool run succeeds, and no
# transient object is left in the TPM afterwards.
# vm: tpm=swtpm
# vm: mem=768
# vm: timeout=900
#
# Oracles: hrot_attest stress (raw ioctl, its own attest parser and
# SHA-256), the tools' exit status, /dev/tpm0 for the real transient handles.

# shellcheck source=/dev/null
. /tests/lib.sh

T=quote_concurrency
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"
D=/tmp/hqc
rm -rf "$D"
mkdir -p "$D"
THREADS=${HROT_QC_THREADS:-8}
ITERS=${HROT_QC_ITERS:-75}


# loop NAME CMD...: run CMD until $D/stop exists; count runs and failures
loop() {
	_ln=$1
	shift
	_ok=0
	_bad=0
	while [ ! -e "$D/stop" ]; do
		if "$@" > /dev/null 2>> "$D/$_ln.err"; then
			_ok=$((_ok + 1))
		else
			_bad=$((_bad + 1))
		fi
	done
	echo "$_ok $_bad" > "$D/$_ln.count"
}
primary_cycle() {
	# a transient's context file cannot be flushed by name: -t flushes the
	# connection's transients (tpmrm0 would also on close)
	tpm2_createprimary -C o -G ecc -c "$D/prim.ctx" &&
		tpm2_flushcontext -t
}

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
before=$(dmesg | wc -l | tr -d ' ')

loop pcrread tpm2_pcrread sha256:0,1,2,3,4,5,6,7,13 &
p1=$!
loop getrandom tpm2_getrandom 32 &
p2=$!
loop primary primary_cycle &
p3=$!

sleep 1	# the tool loops are running before the quotes start
relay hrot_attest stress "$THREADS" "$ITERS"
touch "$D/stop"
wait "$p1" "$p2" "$p3"

for l in pcrread getrandom primary; do
	read -r ok bad < "$D/$l.count" || { ok=0; bad=0; }
	echo "  $l: $ok ok, $bad failed"
	if [ "$ok" -gt 0 ] && [ "$bad" -eq 0 ]; then
		pass "$T.tools_$l"
	else
		fail "$T.tools_$l" "$ok ok, $bad failed: $(tail -n 2 "$D/$l.err" 2>/dev/null)"
	fi
done
no_transients "$T.no_transients"
# the module said nothing bad meanwhile
errs=$(dmesg | tail -n +"$((before + 1))" | grep -i 'hrot' | grep -iv 'loaded\|registered' | head -n 3)
expect_eq "$T.no_hrot_kernel_messages" "$errs" ""
# and still works
relay hrot_attest quote ffffff - "$D" | grep -v "^pcr "
no_transients "$T.no_transients_end"

rm -rf "$D"
finish
