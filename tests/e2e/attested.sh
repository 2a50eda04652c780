# shellcheck shell=bash
# shellcheck disable=SC2154  # work, logs, v_pid: set by tests/e2e/run
# tests/e2e/attested.sh: the attested cases of tests/e2e/run (sourced).
# One verifier and one provisioned disk (bound with hrot-unlock by a first
# guest boot) serve all of them, in the order of E2E_ALL; `revoked` is last
# because it revokes the device.  They need $BUILD/bin/hrot-unlock.

E2E_HOST=verifier.hrot-e2e.test		# the guest's /etc/hosts: 10.0.2.2
E2E_BIND_ARGS=${E2E_BIND_ARGS:---key-file key}	# how bind proves the old key
E2E_TOKEN_OUT=${E2E_TOKEN_OUT:---token-out}	# open's option to save the token
A=""	# the shared state directory, once set up
a_uuid="" a_marker="" a_port="" a_dev=""

adm() {
	"$BUILD/bin/hrot-admin" --state "$A/verifier" --timeout 20 \
		--verifier "https://127.0.0.1:$a_port" "$@"
}

# verifier_start [PORT]: hrot-verifierd on every address (the guest comes
# from 10.0.2.2 through QEMU's user networking), the given or any port.
verifier_start() {
	local _
	rm -f "$A/port"
	"$BUILD/bin/hrot-verifierd" --state "$A/verifier" --listen "0.0.0.0:${1:-0}" \
		--port-file "$A/port" --foreground --config /dev/null \
		--hostname "$E2E_HOST" >> "$A/verifier.log" 2>&1 &
	v_pid=$!
	for _ in $(seq 100); do
		[ -s "$A/port" ] && break
		kill -0 "$v_pid" 2> /dev/null || break
		sleep 0.1
	done
	[ -s "$A/port" ] || { tail -n 5 "$A/verifier.log" >&2; return 1; }
	a_port=$(cat "$A/port")
}

verifier_stop() {
	kill "$v_pid" 2> /dev/null
	wait "$v_pid" 2> /dev/null
	v_pid=""
}

# The files of the initramfs that the hook measures, and the hook's library,
# taken out of a dracut image (uncompressed cpio) into DIR.
extract_measured() {
	mkdir -p "$2"
	(cd "$2" && cpio -idm --quiet 'usr/bin/hrot-unlock' 'etc/hrot/*' \
		'usr/lib/dracut-hrot-lib.sh' 'lib/dracut-hrot-lib.sh' < "$1")
}

# approve_when_registered LOG: import the policy from the log the guest
# exports on its console, then approve the device as soon as it registers.
approve_when_registered() {
	local log=$1 t0=$SECONDS
	until console "$log" | grep -q '^HROT-E2E-LOG-END'; do
		[ $((SECONDS - t0)) -lt 240 ] || { echo "no exported log" >&2; return 1; }
		sleep 1
	done
	console "$log" | sed -n 's/^HROT-E2E-B64 //p' | base64 -d > "$A/reference.log" || return 1
	adm policy import e2e --version 1 --from-log "$A/reference.log" --no-physical > /dev/null ||
		return 1
	while [ $((SECONDS - t0)) -lt 300 ]; do
		a_dev=$(adm --json device list 2> /dev/null |
			jq -r '.devices[] | select(.state != "approved" and .state != "enrolled") | .device' |
			head -n1)
		if [ -n "$a_dev" ]; then
			adm device approve "$a_dev" --policy e2e > /dev/null && return 0
		fi
		sleep 1
	done
	return 1
}

attested_setup() {
	[ -n "$A" ] && return 0
	[ -x "$BUILD/bin/hrot-unlock" ] || { echo "no $BUILD/bin/hrot-unlock" >&2; return 1; }
	A=$work/attested
	mkdir -p "$A/verifier" "$A/conf" "$A/job" "$A/tpm"
	chmod 700 "$A/verifier"
	verifier_start || return 1
	cp "$A/verifier/ca.pem" "$A/conf/ca.pem"
	cp "$A/verifier/token.pub.pem" "$A/conf/token.pub.pem"
	cat > "$A/conf/unlock.conf" <<CONF
verifier = https://$E2E_HOST:$a_port
ca = /etc/hrot/ca.pem
token_key = /etc/hrot/token.pub.pem
connect_timeout = 2
timeout = 10
retries = 3
backoff = 1
deadline = 40
CONF
	echo "10.0.2.2 $E2E_HOST" > "$A/hosts"
	e2e_poweroff_dir "$A/extra"
	a_img_args=(--hrot "$A/conf" --include "$A/hosts" /etc/hosts
		--include "$A/extra/poweroff" /usr/sbin/poweroff)
	e2e_dracut "$A/good.img" "${a_img_args[@]}" || return 1
	extract_measured "$A/good.img" "$A/job/image" || return 1
	a_marker=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
	e2e_root_fs "$A/job/root.ext2" "$a_marker" > /dev/null || return 1
	head -c 32 /dev/urandom > "$A/job/key"
	cp "$A/hosts" "$A/job/hosts"
	truncate -s 40M "$A/disk.img"
	cat > "$A/job/job.sh" <<JOB
check luks-format cryptsetup luksFormat --type luks2 -q --pbkdf pbkdf2 \\
	--pbkdf-force-iterations 1000 --key-file key /dev/vda
check luks-open cryptsetup open --key-file key /dev/vda e2eroot
check root-copy dd if=root.ext2 of=/dev/mapper/e2eroot bs=1M conv=fsync
check luks-close cryptsetup close e2eroot
cp -a image/. / && cat hosts >> /etc/hosts
check net net_up
check load load_hrot
. /lib/dracut-hrot-lib.sh
check measure hrot_measure_boot
echo HROT-E2E-LOG-BEGIN
base64 < "\$HROT_BIN_LOG" | sed 's/^/HROT-E2E-B64 /'
echo HROT-E2E-LOG-END
check enroll hrot-unlock enroll
check bind hrot-unlock bind /dev/vda $E2E_BIND_ARGS
hrot-unlock status /dev/vda
echo "HROT-E2E-LUKS-UUID \$(cryptsetup luksUUID /dev/vda)"
sync
JOB
	local c=attested-setup rc
	rm -f "$logs/$c.provision.log"
	provision "$c" "$logs/$c.provision.log" "$A/disk.img" "$A/job" \
		--net --swtpm-state "$A/tpm" &
	local ppid=$!
	sleep 2
	approve_when_registered "$logs/$c.provision.log" ||
		fail "$c.approve" "policy import or approval failed" "$A/verifier.log"
	wait "$ppid"
	rc=$?
	a_uuid=$(console "$logs/$c.provision.log" | sed -n 's/^HROT-E2E-LUKS-UUID //p' | head -n1)
	[ "$rc" = 0 ] && [ -n "$a_uuid" ] && [ -n "$a_dev" ]
}

# attested_boot CASE IMAGE [APPEND]: the dracut boot of the bound disk.
attested_boot() {
	dracut_boot "$logs/$1.log" "$2" "$A/disk.img" 180 \
		"root=/dev/mapper/luks-$a_uuid rd.luks=0 ip=dhcp ${3:-}" \
		--net --swtpm-state "$A/tpm"
}

# need_setup CASE: the shared set-up, or one FAIL for this case.
need_setup() {
	attested_setup && return 0
	fail "$1" "attested set-up failed (see attested-setup lines)"
	A=${A:-none}
	return 1
}

case_attested_root() {
	local c=attested-root
	need_setup "$c" || return
	attested_boot "$c" "$A/good.img"
	expect "$c.unlocked" "$logs/$c.log" "^hrot: /dev/vda unlocked as /dev/mapper/luks-$a_uuid"
	expect "$c.root-marker" "$logs/$c.log" "^HROT-E2E-ROOT-MARKER $a_marker\$"
	expect_not "$c.no-passphrase-prompt" "$logs/$c.log" "Enter passphrase"
	expect_not "$c.kernel-log" "$logs/$c.log" "Oops|BUG:|WARNING:|Call Trace|Kernel panic"
}

case_modified_initramfs() {
	local c=modified-initramfs
	need_setup "$c" || return
	echo "one more file, measured" > "$A/extra.conf"
	e2e_dracut "$A/modified.img" "${a_img_args[@]}" --include "$A/extra.conf" /etc/hrot/extra.conf ||
		{ fail "$c.dracut" "dracut failed"; return; }
	attested_boot "$c" "$A/modified.img"
	expect "$c.refused-by-policy" "$logs/$c.log" "^hrot-unlock: attempt [0-9]+/[0-9]+: .*policy"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
}

case_verifier_down() {
	local c=verifier-down t0 secs
	need_setup "$c" || return
	verifier_stop
	t0=$SECONDS
	attested_boot "$c" "$A/good.img" "rd.hrot.retries=2 rd.hrot.timeout=3 rd.hrot.deadline=20"
	secs=$((SECONDS - t0))
	verifier_start "$a_port" || fail "$c.restart" "the verifier did not come back on $a_port"
	expect "$c.attempt-1" "$logs/$c.log" "^hrot-unlock: attempt 1/2: "
	expect "$c.attempt-2" "$logs/$c.log" "^hrot-unlock: attempt 2/2: "
	expect_not "$c.no-attempt-3" "$logs/$c.log" "^hrot-unlock: attempt 3/"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
	# 20 s deadline + boot to the initqueue (about 30 s under TCG) + margin.
	if [ "$secs" -le 90 ]; then pass "$c.within-deadline"; else
		fail "$c.within-deadline" "boot took ${secs}s"; fi
}

# A guest job on the bound disk (test guest, same TPM, network, config).
guest_job() {
	local c=$1 script=$2 d=$A/job-$1
	rm -rf "$d"
	mkdir -p "$d"
	cp -a "$A/job/image" "$A/job/hosts" "$d/"
	mkdir -p "$d/plugin"
	cp "$BUILD"/lib/libcryptsetup-token-hrot.so "$d/plugin/" 2> /dev/null
	{
		echo 'cp -a image/. / && cat hosts >> /etc/hosts'
		echo 'check net net_up'
		echo 'check load load_hrot'
		echo '. /lib/dracut-hrot-lib.sh'
		echo 'check measure hrot_measure_boot'
		cat "$script"
	} > "$d/job.sh"
	provision "$c" "$logs/$c.log" "$A/disk.img" "$d" --net --swtpm-state "$A/tpm"
}

case_token_replay() {
	local c=token-replay
	need_setup "$c" || return
	cat > "$A/replay.sh" <<JOB
check open hrot-unlock open /dev/vda e2e $E2E_TOKEN_OUT /tmp/token.bin
cryptsetup close e2e
# A later quote: the saved token names the earlier one's qualifying data.
check requote hrotctl quote --nonce 00112233445566778899aabbccddeeff > /dev/null
kr=\$(cat /sys/kernel/security/hrot/keyring)
if out=\$(keyctl padd hrot_token replay "\$kr" < /tmp/token.bin 2>&1); then
	fail keyring-refuses "the kernel accepted a replayed token: \$out"
else
	echo "HROT-E2E-REPLAY \$out"
	case "\$out" in *"rejected"*) pass keyring-refuses ;;
	*) fail keyring-refuses "wrong error: \$out" ;; esac
fi
JOB
	guest_job "$c" "$A/replay.sh"
	expect "$c.console" "$logs/$c.log" "^HROT-E2E-REPLAY .*[Kk]ey was rejected"
}

case_token_plugin() {
	local c=token-plugin
	need_setup "$c" || return
	cat > "$A/plugin.sh" <<JOB
plugdir=\$(ls -d /usr/lib/*/cryptsetup 2> /dev/null | head -n1)
plugdir=\${plugdir:-/usr/lib/x86_64-linux-gnu/cryptsetup}
mkdir -p "\$plugdir" && cp plugin/*.so "\$plugdir/"
check token-only-open cryptsetup open --token-only /dev/vda plug
mkdir -p /mnt/root
check mount mount -o ro /dev/mapper/plug /mnt/root
echo "HROT-E2E-PLUGIN-MARKER \$(cat /mnt/root/etc/hrot-e2e-marker)"
umount /mnt/root
cryptsetup close plug
JOB
	guest_job "$c" "$A/plugin.sh"
	expect "$c.marker" "$logs/$c.log" "^HROT-E2E-PLUGIN-MARKER $a_marker\$"
}

case_revoked() {
	local c=revoked
	need_setup "$c" || return
	adm device revoke "$a_dev" --reason "e2e revocation" > /dev/null ||
		{ fail "$c.revoke" "hrot-admin device revoke failed"; return; }
	attested_boot "$c" "$A/good.img"
	expect "$c.refused" "$logs/$c.log" "^hrot-unlock: attempt [0-9]+/[0-9]+: .*revoked"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
}
