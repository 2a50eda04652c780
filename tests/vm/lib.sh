# shellcheck shell=sh disable=SC2034
# /tests/lib.sh: helpers for the hrot guest tests.  Source it:  . /tests/lib.sh
# POSIX sh (dash, which is /bin/sh in the guest, or bash).
#
# Results go to the serial console in the runner's protocol:
#   HROT-RESULT PASS <name>
#   HROT-RESULT FAIL <name> <reason...>
#   HROT-BENCH key=value ...
#
# TESTNAME: /init exports TESTNAME (the name given to the runner: "smoke" for
# /tests/t_smoke.sh, "bench_x" for /tests/bench/x.sh).  Every result name
# starts with it: `pass tpm` in t_smoke.sh prints "smoke.tpm"; a name that
# is $TESTNAME or starts with "$TESTNAME." is left alone, and `pass` without
# a name is the test itself.  Spaces in names become '_'.
#
#   pass NAME                   a passed check
#   fail NAME REASON...         a failed check
#   check NAME CMD...           runs CMD; pass if it exits 0, else fail with
#                               its exit status and the tail of its output
#   expect_eq NAME GOT WANT     pass if the strings are equal
#   relay CMD...                runs a helper that prints "RESULT PASS n" and
#                               "RESULT FAIL n reason" lines (tests/vm/
#                               guest-src) and turns them into pass/fail;
#                               other output passes through; a helper that
#                               exits non-zero without a FAIL line fails
#   bench KEY=VALUE...          prints an HROT-BENCH line
#   load_hrot [PARAM=VALUE...]  modprobe hrot (reloading it if it was loaded,
#                               so the parameters apply), waits for /dev/hrot;
#                               returns non-zero on failure.  The log
#                               starts with one record, the kernel command
#                               line (t_cmdline)
#   unload_hrot                 rmmod hrot, waits for /dev/hrot to go
#   log_bytes                   prints the size of the binary event log
#   net_up                      virtio-net up as 10.0.2.15/24 (runner --net);
#                               the host's loopback is 10.0.2.2
#   finish                      exit 1 if this test printed a FAIL, else 0
#   tpm_banks, eventlog_pcrs, pcrread, replay_check PFX PCR [NBANKS]
#                               the log ($LOG) replayed by tpm2_eventlog and
#                               hrotctl, against tpm2_pcrread
#
# The environment has PATH (with /tests/bin, the helper programs),
# TPM2TOOLS_TCTI=device:/dev/tpmrm0, TMPDIR=/tmp (tmpfs), HROT_TPM (the
# runner's --tpm: swtpm = sha1,sha256,sha384,sha512 banks, swtpm-sha256, or
# none) and HROT_RESULTS, the file where results are also recorded (for
# /init and `finish`).  lib.sh sets HROT_BIN_LOG and HROT_ASCII_LOG, the
# module's two securityfs logs.

HROT_BIN_LOG=/sys/kernel/security/hrot/binary_measurements
HROT_ASCII_LOG=/sys/kernel/security/hrot/ascii_measurements
: "${TESTNAME:=$(basename "$0" .sh | sed 's/^t_//')}"
: "${HROT_RESULTS:=/tmp/hrot-results.$TESTNAME}"

# _hrot_name NAME: the result name as printed.
_hrot_name() {
	_n=$(printf '%s' "$*" | tr ' \t\n' '___')
	case "$_n" in
	"") _n=$TESTNAME ;;
	"$TESTNAME" | "$TESTNAME".*) ;;
	*) _n="$TESTNAME.$_n" ;;
	esac
	printf '%s' "$_n"
}

pass() {
	_n=$(_hrot_name "$1")
	echo "PASS $_n" >> "$HROT_RESULTS"
	echo "HROT-RESULT PASS $_n"
}

fail() {
	_n=$(_hrot_name "$1")
	shift
	_r=$(printf '%s' "$*" | tr '\n' ' ')
	echo "FAIL $_n $_r" >> "$HROT_RESULTS"
	echo "HROT-RESULT FAIL $_n ${_r:-failed}"
}

check() {
	_cn=$1
	shift
	if _out=$("$@" 2>&1); then
		pass "$_cn"
	else
		_st=$?
		fail "$_cn" "'$*' exited $_st: $(printf '%s' "$_out" | tail -n 3)"
	fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
	fi
}

# relay CMD...: the helper's RESULT lines become ours.  Its exit status is
# kept in a file because the loop runs in a subshell of the pipe.
relay() {
	_rst=/tmp/.relay.$$
	_before=$(_hrot_fails)
	{ "$@"; echo $? > "$_rst"; } 2>&1 | while IFS= read -r _l; do
		case "$_l" in
		"RESULT PASS "*) pass "${_l#RESULT PASS }" ;;
		"RESULT FAIL "*)
			_rest=${_l#RESULT FAIL }
			_rn=${_rest%% *}
			_rr=${_rest#"$_rn"}
			fail "$_rn" "${_rr# }" ;;
		*) printf '%s\n' "$_l" ;;
		esac
	done
	_st=$(cat "$_rst" 2>/dev/null || echo 127)
	rm -f "$_rst"
	if [ "$_st" != 0 ] && [ "$(_hrot_fails)" = "$_before" ]; then
		fail "$(basename "$1")" "exited $_st without a FAIL line"
	fi
	return "$_st"
}

# _hrot_fails: how many FAILs this test has recorded so far.
_hrot_fails() {
	_c=$(grep -c '^FAIL ' "$HROT_RESULTS" 2>/dev/null)
	echo "${_c:-0}"
}

bench() {
	echo "HROT-BENCH test=$TESTNAME $*"
}

load_hrot() {
	if [ -d /sys/module/hrot ]; then
		echo "load_hrot: hrot was loaded; reloading" >&2
		unload_hrot || return 1
	fi
	modprobe hrot "$@" || { echo "load_hrot: modprobe hrot $* failed" >&2; return 1; }
	_i=0
	while [ ! -c /dev/hrot ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || { echo "load_hrot: no /dev/hrot after 10 s" >&2; return 1; }
		sleep 0.1
	done
}

unload_hrot() {
	rmmod hrot || { echo "unload_hrot: rmmod hrot failed" >&2; return 1; }
	_i=0
	while [ -e /dev/hrot ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || { echo "unload_hrot: /dev/hrot still there" >&2; return 1; }
		sleep 0.1
	done
}

# securityfs files report size 0 to stat: count the bytes.
log_bytes() {
	wc -c < "$HROT_BIN_LOG" | tr -d ' '
}

net_up() {
	# No udev in the guest: load the PCI transport by hand.
	modprobe -a virtio_pci virtio_net || return 1
	_i=0
	until ip link show eth0 >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ "$_i" -le 50 ] || { echo "net_up: no eth0 (runner --net?)" >&2; return 1; }
		sleep 0.1
	done
	ip addr add 10.0.2.15/24 dev eth0 &&
		ip link set eth0 up &&
		ip route add default via 10.0.2.2
}

finish() {
	[ "$(_hrot_fails)" = 0 ] || exit 1
	exit 0
}

# ---- TPM and tool helpers shared by the identity, quote and keyring tests ----

# no_transients NAME: the TPM itself holds no transient object
no_transients() {
	_h=$(TPM2TOOLS_TCTI=device:/dev/tpm0 tpm2_getcap handles-transient 2>&1)
	_st=$?
	if [ $_st -ne 0 ]; then
		fail "$1" "tpm2_getcap handles-transient on /dev/tpm0 exited $_st: $_h"
	elif [ -n "$_h" ]; then
		fail "$1" "transient handles left: $(printf '%s' "$_h" | tr '\n' ' ')"
	else
		pass "$1"
	fi
}

# da_lockout_begin NAME: put the TPM into dictionary-attack lockout (maxTries
# 1, then one wrong password on a DA-protected key) and show it is real:
# tpm2_getcap says inLockout and the key refuses even its right password.
# A power loss after a DA-protected use does the same on a real machine.
da_lockout_begin() {
	_dl=/tmp/hrot-da
	rm -rf "$_dl"
	mkdir -p "$_dl"
	if ! tpm2_dictionarylockout -s -n 1 -t 1000 -l 1000 > "$_dl/out" 2>&1 ||
		! tpm2_createprimary -C o -p right -c "$_dl/p.ctx" >> "$_dl/out" 2>&1; then
		fail "$1" "tpm2_dictionarylockout -s / tpm2_createprimary: $(tail -n 2 "$_dl/out" | tr '\n' ' ')"
		return 1
	fi
	tpm2_create -C "$_dl/p.ctx" -P wrong -G ecc -u "$_dl/k.pub" -r "$_dl/k.priv" > /dev/null 2>&1
	tpm2_getcap properties-variable > "$_dl/cap" 2>&1
	if ! grep -q 'inLockout: *1' "$_dl/cap"; then
		fail "$1" "not in lockout after a wrong password: $(grep -i 'lockout' "$_dl/cap" | tr '\n' ' ')"
		return 1
	fi
	if tpm2_create -C "$_dl/p.ctx" -P right -G ecc -u "$_dl/k.pub" -r "$_dl/k.priv" > "$_dl/out" 2>&1 ||
		! grep -qi 'lockout\|0x921' "$_dl/out"; then
		fail "$1" "a DA-protected key was not refused in lockout: $(tail -n 1 "$_dl/out")"
		return 1
	fi
	pass "$1"
}

# da_lockout_end NAME: swtpm's defaults again (maxTries 3) and no lockout
da_lockout_end() {
	if tpm2_dictionarylockout -s -n 3 -t 1000 -l 1000 > "$_dl/out" 2>&1 &&
		tpm2_dictionarylockout -c >> "$_dl/out" 2>&1 &&
		tpm2_getcap properties-variable | grep -q 'inLockout: *0'; then
		pass "$1"
	else
		fail "$1" "lockout not cleared: $(tail -n 2 "$_dl/out" | tr '\n' ' ')"
	fi
	rm -rf "$_dl"
}

# ---- verifier tokens made in the guest (hrot_keytool, openssl) -------------
# The files go to $D, the calling test's directory.

token_valid() {
	hrot_keytool token-valid | sed -n 's/^token_valid=//p'
}
# token_id FILE: the token id of a token file, in hex (bytes 16..31)
token_id() {
	od -An -v -tx1 -j 16 -N 16 "$1" | tr -d ' \n'
}
# tok_expires FILE: the token's expires_at (le64 at offset 188; its low
# half on this little-endian guest, the high half being zero until 2106)
tok_expires() {
	od -An -v -tu4 -j 188 -N 4 "$1" | tr -d ' \n'
}
dmesg_lines() {
	dmesg | wc -l | tr -d ' '
}

# add NAME TYPE DESC FILE RING [PREFIX...]: add_key; NAME.res has
# serial= or errno=
add() {
	_n=$1
	shift
	_t=$1 _d=$2 _f=$3 _r=$4
	shift 4
	"$@" hrot_keytool add "$_t" "$_d" "$_f" "$_r" > "$D/$_n.res" 2> "$D/$_n.err"
}

# mktoken NAME KEYPEM SPKI [hrot_keytool tbs options...]: $D/NAME.bin
mktoken() {
	_n=$1 _k=$2 _s=$3
	shift 3
	hrot_keytool tbs "$D/$_n.tbs" --spki "$_s" "$@" &&
		openssl dgst -sha256 -sign "$_k" -out "$D/$_n.der" "$D/$_n.tbs" &&
		hrot_keytool finish "$D/$_n.tbs" "$D/$_n.der" "$D/$_n.bin"
}

# expect_no_leak NAME: the last unload freed everything it allocated
expect_no_leak() {
	expect_eq "$1" "$(dmesg | grep 'hrot: unloaded, ' | tail -n 1 | sed 's/.*hrot: //')" \
		"unloaded, 0 allocations outstanding"
}

# expect_dmesg_clean NAME: no warning, oops or refcount complaint so far
expect_dmesg_clean() {
	_bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|refcount' | head -n 3)
	if [ -n "$_bad" ]; then
		fail "$1" "$_bad"
	else
		pass "$1"
	fi
}

# kv FILE KEY: value of KEY=... in FILE
kv() {
	sed -n "s/^$2=//p" "$1" | head -n 1
}

have_nv() {
	tpm2_nvreadpublic "$1" > /dev/null 2>&1
}

# hrotctl has subcommand $1 (hrotctl --help lists "  NAME ..." lines)
have_hrotctl() {
	hrotctl --help 2>&1 | grep -q "^  $1\( \|\$\)"
}

# ---- replay helpers (t_replay, t_concurrency, t_badinput, t_cmdline): the
# binary log ($LOG) replayed by tpm2_eventlog and hrotctl against tpm2_pcrread
# banks the TPM has allocated (non-empty PCR selection), one per line
tpm_banks() {
	tpm2_getcap pcrs | awk '
		/^ *- *[a-z0-9_]+: *\[/ {
			b = $0; sub(/^ *- */, "", b); sub(/:.*/, "", b)
			l = $0; sub(/^[^[]*\[/, "", l); gsub(/[] ,]/, "", l)
			if (l != "") print b
		}'
}
# "bank hex" lines for PCR $2 from tpm2_eventlog's "pcrs:" section in $1
eventlog_pcrs() {
	awk -v pcr="$2" '
		/^pcrs:/ { p = 1; next }
		p && /^[^ ]/ { p = 0 }
		p && /^  [a-z0-9_]+: *$/ { b = $1; sub(/:$/, "", b); next }
		p && b != "" {
			l = $0; gsub(/[ \t]/, "", l)
			if (split(l, a, ":") == 2 && a[1] == pcr) {
				v = tolower(a[2]); sub(/^0x/, "", v); print b, v
			}
		}' "$1"
}
# hex value of PCR $2 in bank $1 from tpm2_pcrread
pcrread() {
	tpm2_pcrread "$1:$2" | awk -v pcr="$2" '{
		l = $0; gsub(/[ \t]/, "", l)
		if (split(l, a, ":") == 2 && a[1] == pcr) {
			v = tolower(a[2]); sub(/^0x/, "", v); print v
		}
	}'
}
# replay_check PREFIX PCR [NBANKS_INFO]: tpm2_eventlog parses the log and its
# replay equals tpm2_pcrread in every allocated bank; so does hrotctl replay
replay_check() {
	pfx=$1
	pcr=$2
	tpm_banks > /tmp/tpm_banks
	nb=$(wc -l < /tmp/tpm_banks | tr -d ' ')
	cp "$LOG" /tmp/replay_log.bin
	if ! tpm2_eventlog /tmp/replay_log.bin > /tmp/eventlog.yaml 2> /tmp/eventlog.err; then
		fail "$pfx.eventlog_parses" "tpm2_eventlog: $(head -n 5 /tmp/eventlog.err)"
		return
	fi
	pass "$pfx.eventlog_parses"
	eventlog_pcrs /tmp/eventlog.yaml "$pcr" > /tmp/el_pcrs
	expect_eq "$pfx.eventlog_bank_count" \
		"$(wc -l < /tmp/el_pcrs | tr -d ' ')" "$nb"
	if [ -n "$3" ]; then
		expect_eq "$pfx.info_bank_count" "$3" "$nb"
	fi
	# the runner's TPM configuration says how many banks there must be
	case ${HROT_TPM:-} in
	swtpm) expect_eq "$pfx.tpm_has_4_banks" "$nb" 4 ;;
	swtpm-sha256) expect_eq "$pfx.tpm_has_1_bank" "$(cat /tmp/tpm_banks)" sha256 ;;
	esac
	hrotctl replay > /tmp/hrot_replay 2> /tmp/hrot_replay.err ||
		fail "$pfx.hrotctl_replay_runs" "$(cat /tmp/hrot_replay.err)"
	hrotctl replay --file /tmp/replay_log.bin > /tmp/hrot_replay_file 2>&1 ||
		fail "$pfx.hrotctl_replay_file_runs" "$(cat /tmp/hrot_replay_file)"
	zero=0
	while read -r bank; do
		tpm=$(pcrread "$bank" "$pcr")
		el=$(awk -v b="$bank" '$1 == b { print $2 }' /tmp/el_pcrs)
		hr=$(awk -v k="pcr$pcr" -v b="$bank" '$1 == k && $2 == b { print tolower($3) }' /tmp/hrot_replay)
		hf=$(awk -v k="pcr$pcr" -v b="$bank" '$1 == k && $2 == b { print tolower($3) }' /tmp/hrot_replay_file)
		case $tpm in
		'' | *[!0]*) ;;
		*) zero=1 ;;
		esac
		if [ -z "$tpm" ]; then
			fail "$pfx.$bank.pcrread" "tpm2_pcrread $bank:$pcr gave nothing"
			continue
		fi
		expect_eq "$pfx.$bank.eventlog_replay_eq_pcr" "$el" "$tpm"
		expect_eq "$pfx.$bank.hrotctl_replay_eq_pcr" "$hr" "$tpm"
		expect_eq "$pfx.$bank.hrotctl_replay_file_eq_pcr" "$hf" "$tpm"
	done < /tmp/tpm_banks
	expect_eq "$pfx.pcr_moved" "$zero" 0
	echo "  $pfx: banks $(tr '\n' ' ' < /tmp/tpm_banks)"
	cat /tmp/el_pcrs
}
