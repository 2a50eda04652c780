#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kill -9 of hrot-verifierd under a load of registrations and
# attestations: after a restart every request that was answered with a
# success is in the store, and the store passes integrity_check.
. "$(dirname "$0")/lib.sh"

start_verifier dur || { fail "verifier start"; exit 1; }
enroll e1 pol_e1 || { fail "enroll e1"; exit 1; }
enroll e2 pol_e2 || { fail "enroll e2"; exit 1; }

# Registrations need only the identity files: 24 AKs made one after the
# other on one TPM, registered all at once.
start_swtpm reg
N=24
for i in $(seq $N); do
	eval "TPM_r$i=reg"
	att "r$i" init >/dev/null 2>&1 || { fail "init r$i"; exit 1; }
done

out=$WORK/load
mkdir -p "$out"
load=()
for d in e1 e2; do
	( for k in $(seq 40); do att $d attest >>"$out/att.$d" 2>&1 || true; done ) &
	load+=($!)
done
sleep 1
for i in $(seq $N); do
	att "r$i" register >"$out/reg.$i" 2>&1 &
	load+=($!)
done
# Kill while registrations are in flight, but not before one was
# answered: a check of "every answered registration" over none is empty.
for _ in $(seq 100); do
	grep -qs '^register ok' "$out"/reg.* && break
	sleep 0.05
done
kill -9 "$V_PID"
# Only the load: swtpm and the verifier are children of this shell too.
wait "${load[@]}"

regs=$(grep -h '^register ok' "$out"/reg.* | sed 's/.*device=//')
nreg=$(echo "$regs" | grep -c .)
declare -A passes
for d in e1 e2; do passes[$d]=$(grep -c 'verdict=pass' "$out/att.$d" 2>/dev/null); done
echo "   before the kill: $nreg registrations answered, ${passes[e1]}+${passes[e2]} attestations passed"

check "store passes integrity_check after kill -9" \
	test "$(sqlite3 "file:$V_STATE/hrot.db?mode=ro" 'PRAGMA integrity_check' 2>&1)" = ok

start_verifier dur || { fail "verifier restart"; exit 1; }
admin_curl GET /v1/admin/devices >"$WORK/devices.json"
missing=0
for h in $regs; do
	grep -q "$h" "$WORK/devices.json" || { missing=$((missing + 1)); echo "   lost: $h"; }
done
check "every answered registration is in the store ($nreg)" test "$missing" -eq 0 -a "$nreg" -gt 0

# The audit record of a pass names the release token it issued.
for d in e1 e2; do
	admin_curl GET "/v1/admin/audit?device=$(dev_hex $d)&limit=1000" >"$WORK/audit.$d"
	lost=0
	for id in $(grep -o 'token_id=[0-9a-f]*' "$out/att.$d" | cut -d= -f2); do
		grep -q "release token $id" "$WORK/audit.$d" || { lost=$((lost + 1)); echo "   lost token $id"; }
	done
	check "every token answered to $d is in the store (${passes[$d]} answered, $lost lost)" \
		test "$lost" -eq 0 -a "${passes[$d]}" -gt 0
done
check "the restarted verifier attests" att e1 attest
check "store passes integrity_check after restart" \
	test "$(sqlite3 "file:$V_STATE/hrot.db?mode=ro" 'PRAGMA integrity_check' 2>&1)" = ok
exit 0
