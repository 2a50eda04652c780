#!/bin/bash
# tests/vm/ak_stability.sh: hrot's AK is the same across guest boots that
# share one swtpm state (the AK is a primary re-created from a fixed
# template in the endorsement hierarchy), and different with a fresh TPM.
#
#   tests/vm/ak_stability.sh
#
# Three boots of guest/t_identity.sh: two with --swtpm-state DIR (the first
# manufactures it), one with a fresh TPM.  Each prints
# "HROT-BENCH test=identity ak_name=HEX ..."; the first such line of each
# boot is compared.  Output: one PASS/FAIL line per check, then
# "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
state=$(mktemp -d "${TMPDIR:-/tmp}/hrot-ak-state.XXXXXX")
logs=$(mktemp -d "${TMPDIR:-/tmp}/hrot-ak-logs.XXXXXX")
trap 'rm -rf "$state" "$logs"' EXIT
npass=0 nfail=0

pass() { echo "PASS $1"; npass=$((npass + 1)); }
fail() { echo "FAIL $1 ${*:2}"; nfail=$((nfail + 1)); }

# boot N ARGS...: run t_identity, print its AK name
boot() {
	local n=$1 name
	shift
	"$top/tests/vm/run" "$@" --log "$logs/boot$n.console" identity > "$logs/boot$n.out" 2>&1
	echo "  boot $n: $(tail -n 1 "$logs/boot$n.out")" >&2
	if grep -q '^FAIL' "$logs/boot$n.out"; then
		grep '^FAIL' "$logs/boot$n.out" | sed 's/^/  /' >&2
	fi
	name=$(sed -n 's/.*HROT-BENCH test=identity ak_name=\([0-9a-f]*\).*/\1/p' "$logs/boot$n.out" | head -n 1)
	echo "$name"
}

a=$(boot 1 --swtpm-state "$state")
b=$(boot 2 --swtpm-state "$state")
c=$(boot 3)
echo "  AK names: state boot 1 $a, state boot 2 $b, fresh $c"

for v in a b c; do
	if [[ ${!v} =~ ^000b[0-9a-f]{64}$ ]]; then
		pass "ak_stability.boot_$v.ak_name"
	else
		fail "ak_stability.boot_$v.ak_name" "no AK name from boot $v ('${!v}')"
	fi
done
if [ -n "$a" ] && [ "$a" = "$b" ]; then
	pass ak_stability.same_state_same_ak
else
	fail ak_stability.same_state_same_ak "boot 1 '$a', boot 2 '$b'"
fi
if [ -n "$a" ] && [ -n "$c" ] && [ "$a" != "$c" ]; then
	pass ak_stability.fresh_state_other_ak
else
	fail ak_stability.fresh_state_other_ak "state '$a', fresh '$c'"
fi
# each boot's own t_identity passed too
for n in 1 2 3; do
	if grep -q '^[0-9]* passed, 0 failed$' "$logs/boot$n.out"; then
		pass "ak_stability.boot$n.identity_test"
	else
		fail "ak_stability.boot$n.identity_test" "$(tail -n 1 "$logs/boot$n.out")"
	fi
done
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
