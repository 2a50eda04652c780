#!/bin/sh
# t_netlink: the generic netlink family "hrot".  Without the module there
# is no family (hrotctl monitor says so); a listener (hrotctl monitor) hears
# every EXTEND and MEASURE_FD once, as its record is in the log: index,
# PCR, type, kind, SHA-256 and name equal the log's record at that index;
# concurrent writers' events arrive in log order (consecutive indices);
# --json gives the same as one object per line; joining without
# CAP_SYS_ADMIN is refused; the module unloads cleanly with a listener
# attached.  (Token events: t_keyring.)
# vm: tpm=swtpm
# vm: mem=768
# vm: timeout=600
#
# Oracles: hrot_raw logdump (a log parser sharing nothing with libhrot),
# coreutils sha256sum, setpriv (util-linux) for the capability drop.

# shellcheck source=/dev/null
. /tests/lib.sh

T=netlink
D=/tmp/hnl
rm -rf "$D"
mkdir -p "$D"

# start_monitor NAME ARGS...: hrotctl monitor in the background ($MON),
# output in $D/NAME.out; returns once it has joined the group
start_monitor() {
	_n=$1
	shift
	hrotctl monitor "$@" > "$D/$_n.out" 2> "$D/$_n.err" &
	MON=$!
	_i=0
	while [ $_i -lt 100 ] && ! grep -q 'listening' "$D/$_n.err"; do
		kill -0 "$MON" 2> /dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	grep -q 'listening' "$D/$_n.err"
}

# want_line INDEX: the monitor line the log's record INDEX should give
want_line() {
	awk -v i="$1" '$1 == "rec" && $2 == i' "$D/logdump" > "$D/rec"
	read -r _ _idx _pcr _type _kind _sha _size _name < "$D/rec" || return 1
	printf 'measurement index=%s pcr=%s type=0x%08x kind=%s sha256=%s name=%s\n' \
		"$_idx" "$_pcr" "$((_type))" "$_kind" "$_sha" "$_name"
}

# matches_log NAME: every line of $D/NAME.out is the log's record
matches_log() {
	hrot_raw logdump > "$D/logdump" || return 1
	: > "$D/$1.want"
	while read -r _ev _ix _rest; do
		want_line "${_ix#index=}" >> "$D/$1.want" || return 1
	done < "$D/$1.out"
	cmp -s "$D/$1.want" "$D/$1.out"
}

# ---- no module: no family -------------------------------------------------
[ -d /sys/module/hrot ] && unload_hrot
hrotctl monitor --count 1 --timeout 2 > "$D/nomod.out" 2>&1
expect_eq "$T.no_module.exit" "$?" 1
if grep -q 'no netlink family "hrot" (is hrot.ko loaded?)' "$D/nomod.out"; then
	pass "$T.no_module.says_why"
else
	fail "$T.no_module.says_why" "$(cat "$D/nomod.out")"
fi

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
PCR=$(hrotctl info | sed -n 's/^pcr //p')

# ---- extend and measure: one event each, equal to the log --------------------
if start_monitor m1 --count 3 --timeout 60; then
	pass "$T.listening"
else
	fail "$T.listening" "$(cat "$D/m1.err")"
fi
i1=$(hrotctl extend "netlink one")
printf 'hello, netlink\n' > "$D/file"
hrotctl measure "$D/file" > /dev/null || fail "$T.measure" "hrotctl measure failed"
d3=$(printf 'three' | sha256sum | cut -c1-64)
i3=$(hrotctl extend --type 0x0d --digest "$d3" "netlink three")
wait "$MON"
expect_eq "$T.m1.exit" "$?" 0
expect_eq "$T.m1.lines" "$(wc -l < "$D/m1.out" | tr -d ' ')" 3
expect_eq "$T.m1.extend" "$(sed -n 1p "$D/m1.out")" \
	"measurement index=$i1 pcr=$PCR type=0x00000006 kind=extend sha256=$(printf 'netlink one' | sha256sum | cut -c1-64) name=netlink one"
expect_eq "$T.m1.file" "$(sed -n 2p "$D/m1.out")" \
	"measurement index=$((i1 + 1)) pcr=$PCR type=0x0000000d kind=file sha256=$(sha256sum "$D/file" | cut -c1-64) name=$D/file"
expect_eq "$T.m1.extend_digest" "$(sed -n 3p "$D/m1.out")" \
	"measurement index=$i3 pcr=$PCR type=0x0000000d kind=extend sha256=$d3 name=netlink three"
if matches_log m1; then
	pass "$T.m1.equals_log"
else
	fail "$T.m1.equals_log" "$(diff "$D/m1.want" "$D/m1.out" | head -n 4 | tr '\n' ' ')"
fi

# ---- concurrent writers: every event once, in log order ------------------------
N=4 K=25
start_monitor m2 --count $((N * K)) --timeout 120 || fail "$T.m2.listening" "$(cat "$D/m2.err")"
w=0 writers=""
while [ $w -lt $N ]; do
	(
		j=0
		while [ $j -lt $K ]; do
			hrot_raw extend "writer $w $j" > /dev/null || exit 1
			j=$((j + 1))
		done
	) &
	writers="$writers $!"
	w=$((w + 1))
done
wait_writers=0
for p in $writers; do
	wait "$p" || wait_writers=1
done
expect_eq "$T.m2.writers" "$wait_writers" 0
wait "$MON"
expect_eq "$T.m2.exit" "$?" 0
expect_eq "$T.m2.count" "$(wc -l < "$D/m2.out" | tr -d ' ')" $((N * K))
if awk '{ i = substr($2, 7) + 0 } NR > 1 && i != prev + 1 { bad = 1 } { prev = i } END { exit bad }' "$D/m2.out"; then
	pass "$T.m2.log_order"
else
	fail "$T.m2.log_order" "indices not consecutive: $(awk '{ printf "%s ", $2 }' "$D/m2.out" | head -c 300)"
fi
if matches_log m2; then
	pass "$T.m2.equals_log"
else
	fail "$T.m2.equals_log" "$(diff "$D/m2.want" "$D/m2.out" | head -n 4 | tr '\n' ' ')"
fi

# ---- --json: one object per line -------------------------------------------------
start_monitor m3 --json --count 1 --timeout 60 || fail "$T.m3.listening" "$(cat "$D/m3.err")"
i4=$(hrotctl extend "json four")
wait "$MON"
expect_eq "$T.json.exit" "$?" 0
expect_eq "$T.json.line" "$(cat "$D/m3.out")" \
	"{\"event\":\"measurement\",\"index\":$i4,\"pcr\":$PCR,\"type\":6,\"kind\":\"extend\",\"sha256\":\"$(printf 'json four' | sha256sum | cut -c1-64)\",\"name\":\"json four\"}"

# ---- no CAP_SYS_ADMIN: refused -------------------------------------------------
if command -v setpriv > /dev/null; then
	setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
		hrotctl monitor --count 1 --timeout 2 > "$D/nocap.out" 2>&1
	expect_eq "$T.nocap.exit" "$?" 1
	if grep -q 'joining "hrot" events' "$D/nocap.out"; then
		pass "$T.nocap.refused"
	else
		fail "$T.nocap.refused" "$(cat "$D/nocap.out")"
	fi
else
	fail "$T.nocap.setpriv" "setpriv is not in the guest"
fi

# ---- unload with a listener attached ---------------------------------------------
start_monitor m4 --timeout 60 || fail "$T.m4.listening" "$(cat "$D/m4.err")"
if unload_hrot; then
	pass "$T.unload_with_listener"
else
	fail "$T.unload_with_listener" "rmmod failed"
fi
kill "$MON" 2> /dev/null
wait "$MON" 2> /dev/null
expect_no_leak "$T.unloaded_zero"
expect_dmesg_clean "$T.dmesg_clean"

rm -rf "$D"
finish
