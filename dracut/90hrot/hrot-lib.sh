#!/bin/sh
# /lib/dracut-hrot-lib.sh: the 90hrot hook's functions (POSIX sh).  Sourced
# by the hook inside dracut's initqueue, where dracut-lib.sh (getarg,
# getargbool, emergency_shell) is loaded; hrot_measure_boot is also used on
# its own by the e2e provisioning guest to record the same measurements.
#
# State across initqueue rounds lives in /tmp/hrot/:
#   measured        the boot measurements were made
#   done.UUID       the volume with LUKS UUID is open
#   stopped         an unlock failed: the boot is stopped, nothing more runs

HROT_STATE=/tmp/hrot

# One console line, also in the kernel log.
hrot_say() {
	echo "hrot: $*" >&2
	echo "<29>hrot: $*" > /dev/kmsg 2> /dev/null
}

# The files this initramfs measures before it asks for its key: the
# unlock program and every regular file of /etc/hrot (configuration and
# trust anchors), in a fixed order.  An initramfs with one more file there
# logs one more record, which the verifier's policy does not allow.
hrot_measured_files() {
	echo /usr/bin/hrot-unlock
	for _hr_f in /etc/hrot/*; do
		[ -f "$_hr_f" ] && echo "$_hr_f"
	done | LC_ALL=C sort
}

# hrot_measure_boot: MEASURE_FD of each file (the module hashes it itself).
hrot_measure_boot() {
	for _hr_f in $(hrot_measured_files); do
		hrotctl measure "$_hr_f" > /dev/null || {
			hrot_say "could not measure $_hr_f"
			return 1
		}
	done
}

# hrot_securityfs: the module's measurement log and keyring serial live in
# securityfs, which dracut (without systemd) does not mount.
hrot_securityfs() {
	[ -d /sys/kernel/security/hrot ] && return 0
	grep -q ' /sys/kernel/security securityfs ' /proc/mounts 2> /dev/null ||
		mount -t securityfs securityfs /sys/kernel/security || {
		hrot_say "cannot mount securityfs"
		return 1
	}
	[ -d /sys/kernel/security/hrot ] || {
		hrot_say "no /sys/kernel/security/hrot"
		return 1
	}
}

# hrot_load: the module and its device node (up to 10 s), and securityfs.
hrot_load() {
	_hr_i=0
	[ -c /dev/hrot ] && { hrot_securityfs; return; }
	modprobe -q dm_crypt
	modprobe hrot || { hrot_say "modprobe hrot failed"; return 1; }
	while [ ! -c /dev/hrot ]; do
		_hr_i=$((_hr_i + 1))
		[ "$_hr_i" -le 100 ] || { hrot_say "no /dev/hrot"; return 1; }
		sleep 0.1
	done
	hrot_securityfs
}

# Whether the network is up (network-legacy and 40network mark each
# configured interface with /tmp/net.IFACE.did-setup).
hrot_net_ready() {
	for _hr_f in /tmp/net.*.did-setup; do
		[ -e "$_hr_f" ] && return 0
	done
	return 1
}

# hrot_bound DEV: DEV is LUKS2 with a token of type hrot.
hrot_bound() {
	cryptsetup luksDump "$1" 2> /dev/null |
		awk '/^Tokens:/ { t = 1; next } /^[A-Z]/ { t = 0 }
			t && $1 ~ /^[0-9]+:$/ && $2 == "hrot" { found = 1 }
			END { exit !found }'
}

# hrot_measure_stop WHY: extend "boot stopped: WHY", loading the module
# first if it is not yet (the emergency hook may run before the unlock hook
# did).
hrot_measure_stop() {
	[ -c /dev/hrot ] || hrot_load || return 1
	hrotctl extend "boot stopped: $1" > /dev/null
}

# hrot_stop DEV RC: the volume stays locked and the boot stops here.  With
# rd.shell=0 dracut does not give a shell: it runs rd.emergency (halt by
# default).  Without it, dracut's emergency shell is a root shell in this
# initramfs, where the genuine hrot-unlock could be run again: so the stop
# is measured first, and no later attestation of this boot passes (the
# record stays in PCR 13 until the TPM resets, whatever happens to the log).
hrot_stop() {
	mkdir -p "$HROT_STATE"
	: > "$HROT_STATE/stopped"
	hrot_measure_stop "unlock of $1 failed" || hrot_say "could not measure the stop"
	hrot_say "$1 stays locked (hrot-unlock exit $2): boot stopped"
	{
		flock -s 9
		emergency_shell "hrot: attested unlock of $1 failed"
	} 9> /.console_lock
}

# Whole seconds since boot (the console shows how long an unlock took).
hrot_uptime() {
	read -r _hr_up _ < /proc/uptime
	echo "${_hr_up%%.*}"
}

# hrot_unlock_one DEV
hrot_unlock_one() {
	_hr_dev=$1
	_hr_uuid=$(cryptsetup luksUUID "$_hr_dev" 2> /dev/null) || return 0
	[ -e "$HROT_STATE/done.$_hr_uuid" ] && return 0
	_hr_name=luks-$_hr_uuid
	hrot_bound "$_hr_dev" || return 0
	if [ -b "/dev/mapper/$_hr_name" ]; then
		# Opened by something else (90crypt's passphrase prompt when
		# rd.luks=0 is missing, a key file): not through attestation,
		# so the next attestation must show it.
		if ! hrotctl extend "opened outside hrot: $_hr_uuid" > /dev/null; then
			hrot_say "could not measure that $_hr_dev was opened outside hrot"
			hrot_stop "$_hr_dev" 1
			return 0
		fi
		hrot_say "$_hr_dev was opened outside hrot (measured)"
		: > "$HROT_STATE/done.$_hr_uuid"
		return 0
	fi
	hrot_say "attested unlock of $_hr_dev ($_hr_name)"
	_hr_t0=$(hrot_uptime)
	if getargbool 0 rd.hrot.recovery; then
		# hrot-unlock may ask for the recovery passphrase on the
		# console: hold it, as 90crypt does for its prompt.
		{
			flock -x 9
			hrot-unlock open "$_hr_dev" "$_hr_name"
		} 9> /.console_lock
	else
		hrot-unlock open "$_hr_dev" "$_hr_name"
	fi
	_hr_rc=$?
	hrot_say "hrot-unlock open $_hr_dev: exit $_hr_rc after $(($(hrot_uptime) - _hr_t0)) s"
	if [ "$_hr_rc" = 0 ] && [ -b "/dev/mapper/$_hr_name" ]; then
		: > "$HROT_STATE/done.$_hr_uuid"
		hrot_say "$_hr_dev unlocked as /dev/mapper/$_hr_name"
		return 0
	fi
	hrot_stop "$_hr_dev" "$_hr_rc"
}

# hrot_unlock_all: one initqueue round.  Returns quickly when there is
# nothing to do yet (no network, no disk); the initqueue calls it again.
hrot_unlock_all() {
	getargbool 1 rd.hrot || return 0
	mkdir -p "$HROT_STATE"
	[ -e "$HROT_STATE/stopped" ] && return 0
	hrot_net_ready || return 0
	hrot_load || { hrot_stop "(module)" 1; return 0; }
	if [ ! -e "$HROT_STATE/measured" ]; then
		hrot_measure_boot || { hrot_stop "(measurement)" 1; return 0; }
		: > "$HROT_STATE/measured"
	fi
	for _hr_dev in $(blkid -t TYPE=crypto_LUKS -o device 2> /dev/null); do
		hrot_unlock_one "$_hr_dev"
		[ -e "$HROT_STATE/stopped" ] && return 0
	done
	return 0
}
