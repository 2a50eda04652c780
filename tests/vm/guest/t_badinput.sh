#!/bin/sh
# t_badinput: raw ioctls with bad input get the documented errno and never
# change the log; the log cap refuses with ENOSPC and keeps every record;
# bad module parameters are refused; hrotctl refuses bad arguments.
# TPM configs: swtpm and none.
# vm: tpm=swtpm,none
# vm: mem=512
# vm: timeout=600
#
# The ioctl cases are in hrot_badinput (tests/vm/guest-src/hrot_badinput.c),
# one result per case; each checks the errno and that binary_measurements
# and INFO's log_entries/log_bytes are unchanged.

# shellcheck source=/dev/null
. /tests/lib.sh

T=badinput
LOG=/sys/kernel/security/hrot/binary_measurements
CAP=4096
export TPM2TOOLS_TCTI="${TPM2TOOLS_TCTI:-device:/dev/tpmrm0}"

# replay helpers: tpm_banks, eventlog_pcrs, pcrread, replay_check (lib.sh)


info() { hrot_raw info | sed -n "s/^$1=//p"; }
unloads=0

# ---- the log cap (first load of this boot: the PCR replays) ----------------
load_hrot log_max_bytes=$CAP || { fail "$T.load_cap" "load_hrot failed"; exit 1; }
tpm=$(info tpm_present)
relay hrot_badinput cap $CAP
expect_eq "$T.cap_file_within_cap" \
	"$(test "$(wc -c < $LOG)" -le $CAP && echo yes)" yes
if [ "$tpm" = 1 ]; then
	replay_check "$T.cap" "$(info pcr_index)" "$(info nr_banks)"
else
	# no TPM: the log still parses for tpm2_eventlog, sha256 bank only
	check "$T.cap.eventlog_parses" tpm2_eventlog $LOG
	expect_eq "$T.cap.banks" "$(info banks)" sha256
fi
unload_hrot
unloads=$((unloads + 1))

# ---- every bad ioctl ---------------------------------------------------------
load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }
relay hrot_badinput

# ---- hrotctl refuses bad arguments, and the log does not change ---------------
# refused NAME ARGS...: hrotctl exits non-zero, says something, log unchanged
refused() {
	rname=$1
	shift
	b0=$(info log_bytes)
	e0=$(info log_entries)
	hrotctl "$@" > /tmp/out 2> /tmp/err
	rrc=$?
	if [ $rrc -eq 0 ]; then
		fail "$T.hrotctl.$rname" "exit 0: $(head -c 200 /tmp/out)"
	elif [ $rrc -ge 126 ]; then
		fail "$T.hrotctl.$rname" "exit $rrc (not run, or killed): $(head -c 200 /tmp/err)"
	elif [ ! -s /tmp/err ]; then
		fail "$T.hrotctl.$rname" "failed without a message"
	elif [ "$(info log_bytes)" != "$b0" ] || [ "$(info log_entries)" != "$e0" ]; then
		fail "$T.hrotctl.$rname" "the log changed"
	else
		pass "$T.hrotctl.$rname"
	fi
	printf '  %s\n' "hrotctl $rname: $(head -n 1 /tmp/err)"
}
long=$(head -c 4097 /dev/zero | tr '\0' x)
refused extend_type_no_action extend --type 3 "no action"
refused extend_empty_description extend ""
refused extend_description_4097 extend "$long"
refused extend_digest_not_hex extend --digest zz "bad digest"
refused extend_digest_short extend --digest 0123456789abcdef "short digest"
refused extend_digest_long extend --digest "$(head -c 66 /dev/zero | tr '\0' a)" "long digest"
refused unknown_command frobnicate
refused measure_no_file measure
# the longest description is accepted
e0=$(info log_entries)
if hrotctl extend "$(head -c 4096 /dev/zero | tr '\0' y)" > /dev/null 2> /tmp/err; then
	pass "$T.hrotctl.extend_description_4096"
else
	fail "$T.hrotctl.extend_description_4096" "$(head -c 200 /tmp/err)"
fi
expect_eq "$T.hrotctl.extend_description_4096_logged" "$(info log_entries)" "$((e0 + 1))"
check "$T.log_valid_at_end" hrot_raw logdump
unload_hrot
unloads=$((unloads + 1))

# ---- bad module parameters are refused ----------------------------------------
# bad_param NAME PARAM: modprobe fails and leaves no module and no device
bad_param() {
	if modprobe hrot "$2" 2> /tmp/err; then
		fail "$T.param.$1" "modprobe hrot $2 succeeded"
		rmmod hrot
		unloads=$((unloads + 1))
	elif lsmod | grep -q '^hrot ' || [ -e /dev/hrot ]; then
		fail "$T.param.$1" "modprobe failed but hrot is loaded"
	else
		pass "$T.param.$1"
	fi
}
bad_param pcr_24 pcr=24
bad_param pcr_huge pcr=4294967295
bad_param pcr_negative pcr=-1
bad_param log_max_below_header log_max_bytes=16
# PCR 23 is the last one: accepted, reported and used
if load_hrot pcr=23; then
	expect_eq "$T.param.pcr_23" "$(info pcr_index)" 23
	hrot_raw extend "pcr 23" > /dev/null
	# every record (the load's command line, this one) names PCR 23
	expect_eq "$T.param.pcr_23_logged" \
		"$(hrot_raw logdump | awk '$1 == "rec" { print $3 }' | sort -u)" 23
	unload_hrot
	unloads=$((unloads + 1))
else
	fail "$T.param.pcr_23" "load_hrot pcr=23 failed"
fi

# ---- the kernel log ------------------------------------------------------------
expect_eq "$T.no_leak_on_unload" \
	"$(dmesg | grep -c 'hrot: unloaded, 0 allocations outstanding')" "$unloads"
if dmesg | grep -E 'WARNING:|BUG:|Oops|general protection' > /tmp/dmesg.bad; then
	fail "$T.dmesg_clean" "$(head -n 3 /tmp/dmesg.bad)"
else
	pass "$T.dmesg_clean"
fi
finish
