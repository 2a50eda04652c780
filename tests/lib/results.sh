# Shared result helpers for the host-side test scripts (sh).
# Each script prints one line per check and ends with `summary`, which
# prints `N passed, N failed` and exits non-zero on any failure.
_passed=0
_failed=0

pass() { _passed=$((_passed + 1)); echo "PASS $1"; }
fail() { n=$1; shift; _failed=$((_failed + 1)); echo "FAIL $n: $*"; }

# check NAME CMD...: pass when CMD exits 0; its output is shown on failure.
check() {
	n=$1; shift
	if out=$("$@" 2>&1); then pass "$n"; else fail "$n" "$* -> $out"; fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

summary() {
	echo "$_passed passed, $_failed failed"
	[ "$_failed" -eq 0 ] && [ "$_passed" -gt 0 ]
}
