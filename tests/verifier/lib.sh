# SPDX-License-Identifier: GPL-2.0
# Shared by the service tests (sourced): processes they start, the verifier,
# the software attester, the operator API, and PASS/FAIL lines.
#
# The runner exports BUILD, WORK (a private temporary directory) and
# PIDFILE (every process started here is written to it, and the runner
# kills what is left).

: "${BUILD:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}"
: "${WORK:?run through tests/verifier/run}"
: "${PIDFILE:=$WORK/pids}"
VERIFIERD=$BUILD/bin/hrot-verifierd
ADMIN=$BUILD/bin/hrot-admin
ATTESTER=$BUILD/tests/verifier/hrot-soft-attester
TEST=$(basename "$0" .sh)

pass() { echo "PASS $TEST: $*"; }
fail() { echo "FAIL $TEST: $*"; }
not() { ! "$@"; }
# check NAME CMD...: PASS when CMD succeeds.  What CMD prints is shown
# (its last lines) only when it fails.  CMD runs in a subshell: it cannot
# set the test's variables.
check() {
	local n=$1 out; shift
	if out=$("$@" 2>&1); then
		pass "$n"
	else
		fail "$n"
		[ -z "$out" ] || tail -5 <<<"$out" | sed 's/^/   | /'
	fi
}
# known_bug WHY NAME CMD...: a check that fails because of a known bug
# (WHY says which, and where the fix goes).  It prints XFAIL, which the
# runner counts neither way, while the bug is there, and a PASS saying
# so once it is fixed: then turn it into a check.
known_bug() {
	local why=$1 n=$2; shift 2
	if "$@" >/dev/null 2>&1; then
		pass "$n (known bug fixed, make this a check: $why)"
	else
		echo "XFAIL $TEST: $n (known bug: $why)"
	fi
}

# A TCP port nothing listens on (and the next one, for swtpm's control),
# below the kernel's ephemeral range so that no client connection of the
# tests takes it between the check and the bind.
free_port() {
	local p lo
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range
	[ "$lo" -gt 12000 ] || lo=32768
	for _ in $(seq 50); do
		p=$((10000 + RANDOM % (lo - 10002)))
		(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && continue
		(exec 3<>/dev/tcp/127.0.0.1/$((p + 1))) 2>/dev/null && continue
		echo "$p"; return 0
	done
	return 1
}

remember() { echo "$1" >>"$PIDFILE"; }

# manufacture_swtpm NAME: the state of $WORK/tpm-NAME as a TPM leaves the
# factory (start_swtpm NAME then runs it): an RSA-2048 EK with its
# certificate at NV 0x01c00002 and an ECC P-384 one at 0x01c00016, both
# signed by swtpm-localca (ek_ca_bundle gives its CA certificates).
EK_CA_DIR=${EK_CA_DIR:-/var/lib/swtpm-localca}
manufacture_swtpm() {
	local dir=$WORK/tpm-$1
	mkdir -p "$dir/state"
	swtpm_setup --tpm2 --tpmstate "$dir/state" --create-ek-cert \
		--pcr-banks sha256 --overwrite >"$dir/setup.log" 2>&1 ||
		{ echo "swtpm_setup $1:" >&2; tail -3 "$dir/setup.log" >&2; return 1; }
}
ek_ca_bundle() {	# FILE
	cat "$EK_CA_DIR/issuercert.pem" "$EK_CA_DIR/swtpm-localca-rootca-cert.pem" >"$1"
}

# start_swtpm NAME: a fresh TPM in $WORK/tpm-NAME; sets TCTI_<NAME>.
# A port taken in between (another test's process) means another try.
start_swtpm() {
	local name=$1 dir=$WORK/tpm-$1 port
	mkdir -p "$dir/state"
	for _ in 1 2 3 4 5; do
		port=$(free_port) || return 1
		echo "$port" >"$dir/port"
		start_swtpm_again "$name" && break
		port=
	done
	[ -n "$port" ] || return 1
	eval "TCTI_$name=swtpm:host=127.0.0.1,port=$port"
}

# stop_swtpm NAME: a clean stop (state saved); start_swtpm_again NAME.
stop_swtpm() {
	local dir=$WORK/tpm-$1
	kill "$(cat "$dir/pid")" 2>/dev/null
	wait "$(cat "$dir/pid")" 2>/dev/null
	while kill -0 "$(cat "$dir/pid")" 2>/dev/null; do sleep 0.1; done
}
start_swtpm_again() {
	local name=$1 dir=$WORK/tpm-$1 port
	port=$(cat "$dir/port")
	swtpm socket --tpm2 --server type=tcp,port="$port" \
		--ctrl type=tcp,port=$((port + 1)) \
		--flags not-need-init,startup-clear \
		--tpmstate dir="$dir/state" >>"$dir/swtpm.log" 2>&1 &
	echo $! >"$dir/pid"
	remember $!
	for _ in $(seq 50); do
		kill -0 "$(cat "$dir/pid")" 2>/dev/null || return 1
		TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$port \
			tpm2_getrandom 4 >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# start_verifier NAME [ARGS...]: hrot-verifierd on 127.0.0.1, port 0,
# state in $WORK/v-NAME; sets V_URL, V_STATE, V_PID.
start_verifier() {
	local name=$1; shift
	V_STATE=$WORK/v-$name
	mkdir -p "$V_STATE"
	chmod 700 "$V_STATE"
	rm -f "$V_STATE.port"
	"$VERIFIERD" --state "$V_STATE" --listen 127.0.0.1:0 \
		--port-file "$V_STATE.port" --foreground "$@" \
		>>"$V_STATE.log" 2>&1 &
	V_PID=$!
	remember $V_PID
	for _ in $(seq 100); do
		[ -s "$V_STATE.port" ] && break
		kill -0 $V_PID 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$V_STATE.port" ] || { echo "verifier did not start:"; tail -5 "$V_STATE.log"; return 1; }
	V_PORT=$(cat "$V_STATE.port")
	V_URL=https://127.0.0.1:$V_PORT
	# Answering, not only listening.
	for _ in $(seq 50); do
		curl -s -o /dev/null --cacert "$V_STATE/ca.pem" "$V_URL/v1/revocations" && break
		sleep 0.1
	done
}

stop_verifier() {
	kill "$V_PID" 2>/dev/null
	wait "$V_PID" 2>/dev/null
}

# att DEV ARGS...: the software attester of device DEV (state in
# $WORK/dev-DEV) on TPM TPM_<DEV> (default: a TPM named DEV), with the EK
# algorithm EKALG_<DEV> (default ecc).
att() {
	local dev=$1; shift
	local tpm_var="TPM_$dev" alg_var="EKALG_$dev" tcti_var
	local tpm=${!tpm_var:-$dev}
	tcti_var="TCTI_$tpm"
	mkdir -p "$WORK/dev-$dev"
	"$ATTESTER" --state "$WORK/dev-$dev" --tcti "${!tcti_var}" \
		--verifier "$V_URL" --ca "$V_STATE/ca.pem" \
		--token-pub "$V_STATE/token.pub.pem" --ek-alg "${!alg_var:-ecc}" "$@"
}

# new_device DEV: swtpm, EK, AK, a measured file, registered.
new_device() {
	local dev=$1 o
	start_swtpm "$dev" || return 1
	o=$(att "$dev" init 2>&1) || { echo "$dev: $o" >&2; return 1; }
	echo "kernel of $dev" >"$WORK/dev-$dev/kernel"
	o=$(att "$dev" measure /boot/vmlinuz "$WORK/dev-$dev/kernel" 2>&1) ||
		{ echo "$dev: $o" >&2; return 1; }
	o=$(att "$dev" register 2>&1) || { echo "$dev: $o" >&2; return 1; }
}

dev_hex() { att "$1" device; }

# hrot-admin against the running verifier, with the first-start operator
# certificate of its state directory.
adm() { "$ADMIN" --state "$V_STATE" --verifier "$V_URL" --timeout 20 "$@"; }

# The operator API, mutual TLS with the first-start operator certificate.
admin_curl() {	# METHOD PATH [BODY]
	local args=(-s --cacert "$V_STATE/ca.pem" --cert "$V_STATE/operator.pem"
		--key "$V_STATE/operator.key" -X "$1" "$V_URL$2")
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' -d "$3")
	curl "${args[@]}"
}

# A policy allowing every measurement in DEV's log; bound on approval.
policy_for() {	# NAME DEV...   (POLICY_PHYSICAL=false: no PAT required)
	local name=$1 entries="" d; shift
	for d in "$@"; do
		while read -r _ _ _ _ _ digest _ path; do
			entries+="${entries:+,}{\"component\":\"$path\",\"version\":\"1\",\"sha256_hex\":\"${digest#sha256:}\"}"
		done < <("$BUILD/bin/hrotctl" log --file "$WORK/dev-$d/log.bin")
	done
	admin_curl POST /v1/admin/policies \
		"{\"name\":\"$name\",\"version\":\"1\",\"entries\":[$entries],\"require_physical\":${POLICY_PHYSICAL:-true}}"
}

approve() {	# DEV [POLICY]
	local body=""
	[ -n "${2:-}" ] && body="{\"policy\":\"$2\"}"
	admin_curl POST "/v1/admin/devices/$(dev_hex "$1")/approve" "${body:-{\}}"
}

# enroll DEV POLICY: new device, policy, approval, activation.
# What failed goes to stderr (the runner keeps it in out-NAME.err).
enroll() {
	local o
	new_device "$1" || { echo "enroll $1: new_device failed" >&2; return 1; }
	o=$(policy_for "$2" "$1") || { echo "enroll $1: policy: $o" >&2; return 1; }
	o=$(approve "$1" "$2"); grep -q approved <<<"$o" ||
		{ echo "enroll $1: approve: $o" >&2; return 1; }
	o=$(att "$1" activate 2>&1) || { echo "enroll $1: activate: $o" >&2; return 1; }
}

# token_sig_ok TOKEN PUBKEY: the token's ECDSA signature checked by the
# openssl CLI (an implementation independent of libhrot): SHA-256 over
# its first 228 bytes, raw r || s turned into DER.
token_sig_ok() {
	local tok=$1 pub=$2 d
	d=$(mktemp -d "$WORK/sig.XXXXXX")
	head -c 228 "$tok" >"$d/signed"
	printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' \
		"$(xxd -p -s 228 -l 32 -c 64 "$tok")" \
		"$(xxd -p -s 260 -l 32 -c 64 "$tok")" >"$d/conf"
	openssl asn1parse -genconf "$d/conf" -out "$d/sig.der" >/dev/null &&
	openssl dgst -sha256 -verify "$pub" -signature "$d/sig.der" \
		"$d/signed" >/dev/null
}

# refused_with CODE CMD...: CMD exits 3 (a refusal) naming reason CODE.
# Prints the attester's line on failure.
refused_with() {
	local code=$1 out rc; shift
	out=$("$@" 2>&1); rc=$?
	GOT_REASON=$(grep -o 'reason=[a-z_]*' <<<"$out" | tail -1 | cut -d= -f2)
	if [ $rc -eq 3 ] && grep -q "reason=$code " <<<"$out"; then
		return 0
	fi
	echo "   want $code, got (exit $rc): $out" >&2
	return 1
}

# attack NAME CODE DEV ATTESTER-ARGS...: the attestation is refused with
# CODE and neither a token nor a secret comes out.
attack() {
	local name=$1 code=$2 dev=$3 t s; shift 3
	t=$WORK/atk-token.$RANDOM s=$WORK/atk-secret.$RANDOM
	if refused_with "$code" att "$dev" "$@" --out-token "$t" --out-secret "$s" &&
	   [ ! -e "$t" ] && [ ! -e "$s" ]; then
		pass "$name: refused ($GOT_REASON), nothing issued"
	else
		fail "$name: want $code and nothing issued"
	fi
}

# At the end of every test: a sanitizer report in a verifier's log (an
# ASan/UBSan build) is a failure even if every answer was right.
sanitizer_reports() {
	local f
	for f in "$WORK"/v-*.log; do
		[ -f "$f" ] || continue
		grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$f" &&
			{ fail "sanitizer report in $(basename "$f")"; grep -m3 'ERROR\|runtime error' "$f" | sed 's/^/   | /'; }
	done
	return 0
}
trap sanitizer_reports EXIT
