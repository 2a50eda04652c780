# shellcheck shell=bash
# shellcheck disable=SC2154  # work, logs, v_pid: set by tests/e2e/run
# tests/e2e/attested.sh: the attested cases of tests/e2e/run (sourced).
# One verifier and one provisioned disk (bound with hrot-unlock by a first
# guest boot) serve all of them, in the order of E2E_ALL; `revoked` is last
# because it revokes the device.  They need $BUILD/bin/hrot-unlock.

E2E_HOST=verifier.hrot-e2e.test		# the guest's /etc/hosts: 10.0.2.2
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
		'usr/lib/dracut-hrot-lib.sh' 'lib/dracut-hrot-lib.sh' \
		'usr/lib/dracut/hooks/emergency/*' 'lib/dracut/hooks/emergency/*' < "$1")
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
	adm policy import e2e --version 1 --from-log "$A/reference.log" \
		--from-list "$A/cmdlines.list" --no-physical > /dev/null || return 1
	a_dev=$(approve_next_registered 300) && [ -n "$a_dev" ]
}

# approve_next_registered SECONDS: approve (policy e2e) the first device
# that registers and waits for an operator; prints its id.
approve_next_registered() {
	local t0=$SECONDS dev
	while [ $((SECONDS - t0)) -lt "$1" ]; do
		dev=$(adm --json device list 2> /dev/null |
			jq -r '.devices[] | select(.state != "approved" and .state != "enrolled") | .device' |
			head -n1)
		if [ -n "$dev" ]; then
			adm device approve "$dev" --policy e2e > /dev/null && { echo "$dev"; return 0; }
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
	# The programs every image of this run gets: a snapshot, so that a
	# rebuild of build/bin during the run cannot change what is measured.
	mkdir -p "$A/bin"
	cp "$BUILD/bin/hrot-unlock" "$BUILD/bin/hrotctl" "$A/bin/" || return 1
	cp "$BUILD/lib/libcryptsetup-token-hrot.so" "$A/bin/" 2> /dev/null
	e2e_poweroff_dir "$A/extra"
	a_img_args=(--hrot "$A/conf" --include "$A/hosts" /etc/hosts
		--include "$A/extra/poweroff" /usr/sbin/poweroff)
	E2E_HROT_BINDIR=$A/bin e2e_dracut "$A/good.img" "${a_img_args[@]}" || return 1
	extract_measured "$A/good.img" "$A/job/image" || return 1
	# modified-initramfs's image: one more file, measured
	echo "one more file, measured" > "$A/extra.conf"
	E2E_HROT_BINDIR=$A/bin e2e_dracut "$A/modified.img" "${a_img_args[@]}" \
		--include "$A/extra.conf" /etc/hrot/extra.conf || return 1
	# The LUKS2 UUID is chosen here, so that the kernel command lines of the
	# attested boots (root=/dev/mapper/luks-UUID) are known before the
	# policy is made: the provisioning guest's log has its own command
	# line (the test guest's), and the policy also allows the two dracut
	# images' command lines (they differ by the image size in initrdmem=).
	a_uuid=$(cat /proc/sys/kernel/random/uuid)
	attested_cmdlines > "$A/cmdlines.list" || return 1
	a_marker=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
	e2e_root_fs "$A/job/root.ext2" "$a_marker" > /dev/null || return 1
	head -c 32 /dev/urandom > "$A/job/key"
	# a passphrase an operator could type, for the recovery case
	printf 'e2e recovery words %s' "$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')" \
		> "$A/job/recovery.pass"
	cp "$A/hosts" "$A/job/hosts"
	truncate -s 40M "$A/disk.img"
	cat > "$A/job/job.sh" <<JOB
check luks-format cryptsetup luksFormat --type luks2 -q --pbkdf pbkdf2 \\
	--pbkdf-force-iterations 1000 --uuid $a_uuid --key-file key /dev/vda
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
base64 < /etc/hrot/metadata.bin | sed 's/^/HROT-E2E-META /'
check bind hrot-unlock bind /dev/vda --key-file key
check recovery-slot cryptsetup luksAddKey --key-file key --pbkdf pbkdf2 \\
	--pbkdf-force-iterations 1000 /dev/vda recovery.pass
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
	[ "$(console "$logs/$c.provision.log" | sed -n 's/^HROT-E2E-LUKS-UUID //p' | head -n1)" = "$a_uuid" ] ||
		fail "$c.uuid" "the provisioned volume's UUID is not $a_uuid" "$logs/$c.provision.log"
	# the enrolled machine's /etc/hrot/metadata.bin, for hrot-agent (agent)
	console "$logs/$c.provision.log" | sed -n 's/^HROT-E2E-META //p' | base64 -d > "$A/metadata.bin"
	[ "$rc" = 0 ] && [ -n "$a_dev" ]
}

# attested_cmdlines: sha256sum lines "HEX  kernel command line" for the
# command lines attested_boot gives the good and the modified image.
attested_cmdlines() {
	local img cl
	for img in "$A/good.img" "$A/modified.img"; do
		cl=$(dracut_cmdline "$img" 180 "$(attested_append)") || return 1
		printf '%s  kernel command line\n' "$(printf %s "$cl" | sha256sum | cut -c1-64)"
	done
}

attested_append() { echo "root=/dev/mapper/luks-$a_uuid rd.luks=0 ip=dhcp ${1:-}"; }

# attested_boot CASE IMAGE [APPEND [VMRUN ARGS...]]: the dracut boot of the
# bound disk.
attested_boot() {
	local c=$1 img=$2 app=${3:-}
	shift 2
	[ $# -gt 0 ] && shift
	dracut_boot "$logs/$c.log" "$img" "$A/disk.img" 180 "$(attested_append "$app")" \
		--net --swtpm-state "$A/tpm" "$@"
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
	[ "${E2E_DEMO:-0}" = 1 ] && demo_verdict
	return 0
}

# make demo (tests/e2e/demo): what the verifier says about the boot.
demo_verdict() {
	echo
	echo "=== the verifier's view (hrot-admin)"
	adm device list
	echo
	adm audit --limit 40
	echo
}

case_modified_initramfs() {
	local c=modified-initramfs
	need_setup "$c" || return
	attested_boot "$c" "$A/modified.img"
	# The first record the policy does not allow is the extra file's.
	expect "$c.refused-by-policy" "$logs/$c.log" \
		"^hrot-unlock: attempt 1/[0-9]+: verifier refused: policy_unknown_digest: component /etc/hrot/extra.conf "
	expect_not "$c.no-retry" "$logs/$c.log" "^hrot-unlock: attempt 2/"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
}

# The kernel command line is measured by hrot.ko at load: the good image
# booted with one more argument (rd.break=pre-mount would give a root shell
# on the unlocked root) is refused on policy, naming the command line, and
# the volume stays locked.
case_cmdline_changed() {
	local c=cmdline-changed
	need_setup "$c" || return
	attested_boot "$c" "$A/good.img" "rd.break=pre-mount"
	expect "$c.refused-by-policy" "$logs/$c.log" \
		"^hrot-unlock: attempt 1/[0-9]+: verifier refused: policy_unknown_digest: component kernel.040command.040line "
	expect_not "$c.no-retry" "$logs/$c.log" "^hrot-unlock: attempt 2/"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
}

# Recovery through dracut: the verifier down, the operator boots with
# rd.hrot.recovery; after hrot-unlock's attempts fail it measures the
# recovery and asks on the console (the initqueue has no terminal of its
# own); the passphrase typed there (through the serial console) opens the
# root, and the boot goes on.  No 90crypt prompt appears.
case_recovery() {
	local c=recovery fifo typist rc
	need_setup "$c" || return
	verifier_stop
	fifo=$A/console.in
	rm -f "$fifo"
	mkfifo "$fifo"
	exec 3<> "$fifo"
	rm -f "$logs/$c.log"
	# the operator: types the passphrase once the prompt is on the console
	(
		for _ in $(seq 600); do
			console "$logs/$c.log" | grep -a -q 'Recovery passphrase: ' && break
			sleep 0.25
		done
		printf '%s\n' "$(cat "$A/job/recovery.pass")" > "$fifo"
	) &
	typist=$!
	attested_boot "$c" "$A/good.img" \
		"rd.hrot.recovery rd.hrot.retries=0 rd.hrot.timeout=2 rd.hrot.deadline=10" \
		--console-input "$fifo"
	rc=$?
	kill "$typist" 2> /dev/null
	wait "$typist" 2> /dev/null
	exec 3>&-
	verifier_start "$a_port" || fail "$c.restart" "the verifier did not come back on $a_port"
	[ "$rc" = 0 ] || fail "$c.boot" "the boot did not finish (runner exit $rc)"
	expect "$c.attempt" "$logs/$c.log" "^hrot-unlock: attempt 1/1: attest: transport: "
	expect "$c.measured-first" "$logs/$c.log" "recovery requested: measuring it, then asking for the passphrase"
	expect "$c.prompt" "$logs/$c.log" "Recovery passphrase: "
	expect "$c.unlocked" "$logs/$c.log" "^hrot: /dev/vda unlocked as /dev/mapper/luks-$a_uuid"
	expect "$c.root-marker" "$logs/$c.log" "^HROT-E2E-ROOT-MARKER $a_marker\$"
	expect_not "$c.no-crypt-prompt" "$logs/$c.log" "Enter passphrase for"
	expect_not "$c.no-passphrase-on-console" "$logs/$c.log" "e2e recovery words"
}

# 4. Verifier down: rd.hrot.retries=2 is three attempts (M = retries + 1),
# each a transport failure, no fourth; hrot-unlock gives up within
# rd.hrot.deadline (the hook prints how long open took), the boot stops.
case_verifier_down() {
	local c=verifier-down took
	need_setup "$c" || return
	verifier_stop
	attested_boot "$c" "$A/good.img" "rd.hrot.retries=2 rd.hrot.timeout=3 rd.hrot.deadline=20"
	verifier_start "$a_port" || fail "$c.restart" "the verifier did not come back on $a_port"
	expect "$c.attempt-1" "$logs/$c.log" "^hrot-unlock: attempt 1/3: attest: transport: "
	expect "$c.attempt-2" "$logs/$c.log" "^hrot-unlock: attempt 2/3: attest: transport: "
	expect "$c.attempt-3" "$logs/$c.log" "^hrot-unlock: attempt 3/3: attest: transport: "
	expect_not "$c.no-attempt-4" "$logs/$c.log" "^hrot-unlock: attempt 4/"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
	took=$(console "$logs/$c.log" |
		sed -n 's|^hrot: hrot-unlock open /dev/vda: exit [0-9]* after \([0-9]*\) s$|\1|p' | head -n1)
	if [ -n "$took" ] && [ "$took" -le 20 ]; then
		pass "$c.within-deadline"
	else
		fail "$c.within-deadline" "hrot-unlock open took ${took:-?}s, the deadline is 20s" "$logs/$c.log"
	fi
}

# guest_job CASE SCRIPT [FILE...]: a guest job on the bound disk (test
# guest, same TPM, network, config); the FILEs go into its directory.
# With GUEST_JOB_BARE=1 the job itself loads hrot.ko and measures.
guest_job() {
	local c=$1 script=$2 d=$A/job-$1
	shift 2
	rm -rf "$d"
	mkdir -p "$d"
	cp -a "$A/job/image" "$A/job/hosts" "$@" "$d/"
	mkdir -p "$d/plugin"
	cp "$A/bin/libcryptsetup-token-hrot.so" "$d/plugin/" 2> /dev/null
	{
		echo 'cp -a image/. / && cat hosts >> /etc/hosts'
		echo 'check net net_up'
		if [ "${GUEST_JOB_BARE:-0}" != 1 ]; then
			echo 'check load load_hrot'
			echo '. /lib/dracut-hrot-lib.sh'
			echo 'check measure hrot_measure_boot'
		fi
		cat "$script"
	} > "$d/job.sh"
	provision "$c" "$logs/$c.log" "$A/disk.img" "$d" --net --swtpm-state "$A/tpm"
}

# 5. One token, one unlock: the token `open` got (and the kernel accepted)
# is added again, described by its id as the kernel demands, (a) at once:
# its quote's qualifying data was used up by the first acceptance, and (b)
# after a later quote: it names another quote.  Both must be refused with
# EKEYREJECTED and the module's log line saying why.
case_token_replay() {
	local c=token-replay
	need_setup "$c" || return
	cat > "$A/replay.sh" <<JOB
check open hrot-unlock open /dev/vda e2e --token-out /tmp/token.bin
check token-valid sh -c 'hrotctl info | grep -qx "token valid"'
check close cryptsetup close e2e
check token-size test "\$(wc -c < /tmp/token.bin)" -eq 292
id=\$(od -An -tx1 -j16 -N16 /tmp/token.bin | tr -d ' \n')
kr=\$(cat /sys/kernel/security/hrot/keyring)
# replay NAME: add the saved token again; the kernel must refuse it.
replay() {
	if out=\$(keyctl padd hrot_token "\$id" "\$kr" < /tmp/token.bin 2>&1); then
		fail "\$1" "the kernel accepted a replayed token: \$out"
		return
	fi
	echo "HROT-E2E-REPLAY-\$1 \$out"
	dmesg | grep "hrot: token \$id refused" | tail -n 1 | sed "s/^/HROT-E2E-KLOG-\$1 /"
	case "\$out" in *"ey was rejected"*) pass "\$1" ;;
	*) fail "\$1" "wrong error: \$out" ;; esac
}
replay used-up
check requote hrotctl quote --nonce 00112233445566778899aabbccddeeff --pcrs 13 --out /tmp/q
replay later-quote
JOB
	guest_job "$c" "$A/replay.sh"
	expect "$c.used-up" "$logs/$c.log" "^HROT-E2E-REPLAY-used-up .*[Kk]ey was rejected"
	expect "$c.used-up-why" "$logs/$c.log" \
		"^HROT-E2E-KLOG-used-up .*refused: not for this module's latest quote \\(there is none, or it was used\\)"
	expect "$c.later-quote" "$logs/$c.log" "^HROT-E2E-REPLAY-later-quote .*[Kk]ey was rejected"
	expect "$c.later-quote-why" "$logs/$c.log" \
		"^HROT-E2E-KLOG-later-quote .*refused: not for this module's latest quote\$"
}

# Continuous attestation (hrot-agent), in a boot of the enrolled machine
# that passes: a component attestation (seed 002) gives hrot_keytool, the
# measured and allowed program, its key from the TPM, and a one-byte-longer
# copy of it nothing; one runtime attestation gives a kernel-checked token
# and no secret; then the agent runs with a 10-minute interval and a measurement
# the policy does not know is made: the module's netlink event wakes it,
# it attests within seconds, is refused with the policy's reason naming
# the record, and revokes its kernel token.  The verifier records both
# runtime verdicts (audit, the device's last verdict); the refusal took
# the component's key away too.
case_agent() {
	local c=agent kdig
	need_setup "$c" || return
	# the component of seed 002: the test guest's hrot_keytool, allowed by
	# a rollout of the policy that keeps what it allowed
	kdig=$(sha256sum "$BUILD/tests/guest-bin/hrot_keytool" | cut -c1-64)
	printf '%s  /tests/bin/hrot_keytool\n' "$kdig" > "$A/component.list"
	adm policy import e2e --version 2 --component-list "$A/component.list" \
		--no-physical --keep-previous > /dev/null &&
		adm device bind "$a_dev" e2e > /dev/null ||
		fail "$c.policy" "policy e2e 2 with the component: import or bind failed"
	cat > "$A/agent.sh" <<'JOB'
cp metadata.bin /etc/hrot/metadata.bin
# seed 002: a component token for hrot_keytool, and its key from the TPM
check component-once hrot-agent --once --component /tests/bin/hrot_keytool
echo "HROT-E2E-CKEY $(hrot_keytool component-key app)"
cp /tests/bin/hrot_keytool /tmp/other && printf '\0' >> /tmp/other
echo "HROT-E2E-CKEY-OTHER $(/tmp/other component-key app)"
check once hrot-agent --once
check token-valid sh -c 'hrotctl info | grep -qx "token valid"'
# an allowed file the policy does not mark for keys: refused, a verdict on
# the program, not on the machine: the tokens stay
hrot-agent --once --component /usr/bin/hrot-unlock > /tmp/notallowed.out 2>&1
sed 's/^/HROT-E2E-NOTALLOWED /' /tmp/notallowed.out
check still-valid sh -c 'hrotctl info | grep -qx "token valid"'
hrot-agent --interval 600 --settle 500ms --count 2 > /tmp/agent.out 2>&1 &
apid=$!
i=0
while [ $i -lt 300 ] && ! grep -q '^hrot-agent: pass' /tmp/agent.out; do
	sleep 0.1
	i=$((i + 1))
done
check first-round grep -q '^hrot-agent: pass' /tmp/agent.out
hrotctl extend agent-test-extra > /dev/null
i=0
while [ $i -lt 300 ] && kill -0 $apid 2> /dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $apid 2> /dev/null; then
	fail woken "the agent did not attest again within 30 s of the measurement"
	kill $apid
fi
wait $apid
echo "HROT-E2E-AGENT-EXIT $?"
sed 's/^/HROT-E2E-AGENT /' /tmp/agent.out
check token-revoked sh -c 'hrotctl info | grep -qx "token none"'
echo "HROT-E2E-CKEY-AFTER $(hrot_keytool component-key app)"
JOB
	guest_job "$c" "$A/agent.sh" "$A/metadata.bin"
	expect "$c.pass" "$logs/$c.log" "^HROT-E2E-AGENT hrot-agent: pass: token [0-9a-f]{32} until [0-9]+ \(kernel key [0-9]+\)"
	expect "$c.refused" "$logs/$c.log" \
		"^HROT-E2E-AGENT hrot-agent: refused: policy_unknown_digest: component agent-test-extra "
	expect "$c.revoked" "$logs/$c.log" "^HROT-E2E-AGENT hrot-agent: kernel token [0-9]+ revoked"
	expect "$c.exit" "$logs/$c.log" "^HROT-E2E-AGENT-EXIT 1\$"
	expect "$c.component-key" "$logs/$c.log" "^HROT-E2E-CKEY component=$kdig key=[0-9a-f]{64}\$"
	expect "$c.other-executable" "$logs/$c.log" "^HROT-E2E-CKEY-OTHER errno=EACCES\$"
	expect "$c.component-revoked" "$logs/$c.log" "^HROT-E2E-CKEY-AFTER errno=EACCES\$"
	expect "$c.not-marked" "$logs/$c.log" \
		"^HROT-E2E-NOTALLOWED hrot-agent: refused: component_not_allowed: component [0-9a-f]{64}: no entry of policy 'e2e' allows it component keys\$"
	adm audit --device "$a_dev" > "$A/agent.audit" 2>&1
	if grep -q "  runtime  *ok  .*runtime token " "$A/agent.audit" &&
		grep -q "  runtime  *fail  *policy_unknown_digest  *component agent-test-extra" "$A/agent.audit"; then
		pass "$c.audited"
	else
		fail "$c.audited" "no runtime pass and refusal in the audit: $(tail -n 4 "$A/agent.audit" | tr '\n' '|')"
	fi
	if adm device list 2> /dev/null | grep -q "^$a_dev .* fail "; then
		pass "$c.last-verdict"
	else
		fail "$c.last-verdict" "$(adm device list 2>&1 | grep "$a_dev")"
	fi
}

# A stopped boot stays stopped: hrot_stop, as the hook calls it when an
# unlock fails, measures the stop before dracut's emergency shell (stubbed
# here; without rd.shell=0 it is a root shell in the initramfs, where the
# genuine hrot-unlock could be run again).  hrot-unlock run afterwards in
# the same boot is refused on policy, naming the stop, the first record the
# policy does not know.  (token-replay's open in a boot like this one,
# without the stop, is the control.)
case_stopped_boot() {
	local c=stopped-boot
	need_setup "$c" || return
	cat > "$A/stopped.sh" <<JOB
emergency_shell() { echo "HROT-E2E-EMERGENCY \$*"; }
mkdir -p /tmp/hrot
HROT_STATE=/tmp/hrot hrot_stop /dev/vda 1
$(refused_open_job after-stop-refused AFTERSTOP)
JOB
	guest_job "$c" "$A/stopped.sh"
	expect "$c.stop-shell" "$logs/$c.log" "^HROT-E2E-EMERGENCY hrot: attested unlock of /dev/vda failed"
	expect "$c.after-stop" "$logs/$c.log" \
		"^HROT-E2E-AFTERSTOP hrot-unlock: attempt 1/[0-9]+: verifier refused: policy_unknown_digest: component boot.040stopped:.040unlock.040of.040/dev/vda.040failed "
	expect_not "$c.stays-locked" "$logs/$c.log" "^HROT-E2E-AFTERSTOP hrot-unlock: attempt [0-9/]+: attested"
}

# dracut's own emergency shell (a failed boot, rd.break) comes before the
# unlock hook ever loaded hrot.ko: the 90hrot emergency hook, as dracut
# sources it, loads the module and measures the stop; whoever then measures
# the genuine files and runs hrot-unlock in that shell is refused on
# policy, naming "boot stopped: emergency shell".
case_emergency_hook() {
	local c=emergency-hook
	need_setup "$c" || return
	cat > "$A/emergency.sh" <<JOB
check no-module-yet test ! -c /dev/hrot
for h in /lib/dracut/hooks/emergency/*hrot*.sh; do . "\$h"; done
check module-loaded test -c /dev/hrot
hrotctl log | grep -q 'boot\\\\040stopped:\\\\040emergency\\\\040shell' && pass stop-measured ||
	fail stop-measured "no 'boot stopped: emergency shell' record"
check measure hrot_measure_boot
$(refused_open_job after-emergency-refused EMERGENCY)
JOB
	GUEST_JOB_BARE=1 guest_job "$c" "$A/emergency.sh"
	expect "$c.refused" "$logs/$c.log" \
		"^HROT-E2E-EMERGENCY hrot-unlock: attempt 1/[0-9]+: verifier refused: policy_unknown_digest: component boot.040stopped:.040emergency.040shell "
}

# The bound volume opened by something other than hrot (here a key file, as
# 90crypt would with rd.luks.key when rd.luks=0 is missing): the hook does
# not take it silently, it measures "opened outside hrot: UUID", so the
# next attestation shows it (refused on policy, naming that record).
case_opened_outside() {
	local c=opened-outside
	need_setup "$c" || return
	cp "$A/job/key" "$A/outside.key"
	cat > "$A/outside.sh" <<JOB
check outside-open cryptsetup open --key-file outside.key /dev/vda luks-$a_uuid
mkdir -p /tmp/hrot
HROT_STATE=/tmp/hrot hrot_unlock_one /dev/vda
hrotctl log | grep -q 'opened\\\\040outside\\\\040hrot' && pass outside-measured ||
	fail outside-measured "no 'opened outside hrot' record in the log"
check outside-close cryptsetup close luks-$a_uuid
$(refused_open_job outside-refused OUTSIDE)
JOB
	guest_job "$c" "$A/outside.sh" "$A/outside.key"
	expect "$c.said" "$logs/$c.log" "^hrot: /dev/vda was opened outside hrot \\(measured\\)"
	expect "$c.refused" "$logs/$c.log" \
		"^HROT-E2E-OUTSIDE hrot-unlock: attempt 1/[0-9]+: verifier refused: policy_unknown_digest: component opened.040outside.040hrot:.040$a_uuid "
}

# refused_open_job CHECK TAG: guest job lines that run the genuine
# hrot-unlock open on /dev/vda, a PASS of CHECK when it stays locked, and
# its lines prefixed HROT-E2E-TAG (the host expects the refusal's reason).
refused_open_job() {
	cat <<JOB
if out=\$(hrot-unlock open /dev/vda again 2>&1); then
	fail $1 "hrot-unlock opened the volume"
	cryptsetup close again
else
	pass $1
fi
printf '%s\n' "\$out" | sed 's/^/HROT-E2E-$2 /'
JOB
}

# plugin_open_job NAME TAG MARKER: guest job lines that open /dev/vda as NAME
# with `cryptsetup open --token-only` (the plugin), print what it said,
# then HROT-E2E-TAG-LABEL with the plaintext's ext2 volume name (superblock
# offset 1024 + 120) and HROT-E2E-TAG-MARKER if MARKER is in the plaintext.
# (NULs made newlines: busybox grep stops a line at a NUL.)
plugin_open_job() {
	cat <<JOB
if out=\$(cryptsetup open --token-only /dev/vda $1 2>&1); then
	pass token-only-open
else
	fail token-only-open "cryptsetup exited \$?"
fi
printf '%s\n' "\$out"
echo "HROT-E2E-$2-LABEL \$(dd if=/dev/mapper/$1 bs=1 skip=1144 count=16 2> /dev/null | tr -d '\\0')"
if dd if=/dev/mapper/$1 bs=1M count=8 2> /dev/null | tr '\\0' '\\n' | grep -q -F $3; then
	echo "HROT-E2E-$2-MARKER $3"
fi
JOB
}

# 6. The same volume opened by `cryptsetup open --token-only` through
# libcryptsetup-token-hrot.so: the plugin's attempt line (through
# libcryptsetup's log), then the plaintext is the root filesystem (the
# label in its superblock, and its marker file, which the encrypted disk
# does not show).
# (The test guest has no ext4 driver to mount it.)
case_token_plugin() {
	local c=token-plugin
	need_setup "$c" || return
	if grep -a -q -F "$a_marker" "$A/disk.img"; then
		fail "$c.ciphertext" "the marker is readable in the encrypted disk image"
		return
	fi
	cat > "$A/plugin.sh" <<JOB
plugdir=/usr/lib/x86_64-linux-gnu/cryptsetup
mkdir -p "\$plugdir" && cp plugin/*.so "\$plugdir/"
$(plugin_open_job plug PLUGIN "$a_marker")
check close cryptsetup close plug
JOB
	guest_job "$c" "$A/plugin.sh"
	expect "$c.attempt-line" "$logs/$c.log" "^hrot-unlock: attempt 1/[0-9]+: attested: key released"
	expect "$c.filesystem" "$logs/$c.log" '^HROT-E2E-PLUGIN-LABEL hrot-e2e-root$'
	expect "$c.marker" "$logs/$c.log" "^HROT-E2E-PLUGIN-MARKER $a_marker\$"
}

# 7. Seed 001 through systemd-cryptsetup's path: the operator creates an
# instance, the host seals a plain image to it (hrot-unlock seal-image), and
# a new machine (its own TPM) boots with it as /dev/vda.  Before it enrols,
# `cryptsetup open --token-only` through the plugin refuses (this machine
# did not claim the image); after `hrot-unlock enroll --instance` and the
# operator's approval, the plugin completes the token from the machine's
# /etc/hrot/metadata.bin and the plaintext is the plain image (its label
# and marker).
case_sealed_plugin() {
	local c=sealed-plugin d inst marker ppid rc dev
	need_setup "$c" || return
	d=$A/sealed
	rm -rf "$d"
	mkdir -p "$d/job" "$d/tpm"
	adm instance create --out "$d/instance.json" > /dev/null ||
		{ fail "$c.instance" "hrot-admin instance create failed"; return; }
	inst=$(jq -r .instance_hex "$d/instance.json")
	marker=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
	e2e_root_fs "$d/plain.img" "$marker" ||
		{ fail "$c.plain" "mke2fs -d failed"; return; }
	"$A/bin/hrot-unlock" seal-image "$d/plain.img" "$d/sealed.img" \
		--instance-file "$d/instance.json" --verifier "https://$E2E_HOST:$a_port" \
		--ca "$A/conf/ca.pem" --token-key "$A/conf/token.pub.pem" --config /dev/null \
		> "$d/seal.out" 2>&1 ||
		{ fail "$c.seal-image" "hrot-unlock seal-image: $(tail -n 1 "$d/seal.out")"; return; }
	if grep -a -q -F "$marker" "$d/sealed.img"; then
		fail "$c.ciphertext" "the marker is readable in the sealed image"
		return
	fi
	pass "$c.seal-image"
	cp -a "$A/job/image" "$A/job/hosts" "$d/job/"
	mkdir -p "$d/job/plugin"
	cp "$A/bin/libcryptsetup-token-hrot.so" "$d/job/plugin/"
	cat > "$d/job/job.sh" <<JOB
cp -a image/. / && cat hosts >> /etc/hosts
check net net_up
check load load_hrot
. /lib/dracut-hrot-lib.sh
check measure hrot_measure_boot
plugdir=/usr/lib/x86_64-linux-gnu/cryptsetup
mkdir -p "\$plugdir" && cp plugin/*.so "\$plugdir/"
# Not claimed yet: the plugin must refuse, and say why.
if out=\$(cryptsetup open --token-only /dev/vda sealed 2>&1); then
	fail unclaimed-refused "cryptsetup opened an image this machine did not claim"
	cryptsetup close sealed
else
	pass unclaimed-refused
fi
printf '%s\n' "\$out" | sed 's/^/HROT-E2E-UNCLAIMED /'
hrot-unlock enroll --instance $inst > /tmp/enroll.out 2>&1 && pass enroll ||
	fail enroll "hrot-unlock enroll failed"
cat /tmp/enroll.out
$(plugin_open_job sealed SEALED "$marker")
check close cryptsetup close sealed
JOB
	rm -f "$logs/$c.log"
	provision "$c" "$logs/$c.log" "$d/sealed.img" "$d/job" --net --swtpm-state "$d/tpm" &
	ppid=$!
	sleep 2
	dev=$(approve_next_registered 300) ||
		fail "$c.approve" "the new machine did not register" "$A/verifier.log"
	wait "$ppid"
	rc=$?
	[ "$rc" = 0 ] || return
	if [ -n "$dev" ] && [ "$dev" != "$a_dev" ]; then
		pass "$c.new-device"
	else
		fail "$c.new-device" "approved '$dev', not a new machine"
	fi
	expect "$c.unclaimed-why" "$logs/$c.log" "^HROT-E2E-UNCLAIMED .*did not claim the image"
	expect "$c.claims" "$logs/$c.log" "^enrolled: instance $inst, metadata in /etc/hrot/metadata.bin"
	expect "$c.attempt-line" "$logs/$c.log" "^hrot-unlock: attempt 1/[0-9]+: attested: key released"
	expect "$c.filesystem" "$logs/$c.log" '^HROT-E2E-SEALED-LABEL hrot-e2e-root$'
	expect "$c.marker" "$logs/$c.log" "^HROT-E2E-SEALED-MARKER $marker\$"
}

case_revoked() {
	local c=revoked
	need_setup "$c" || return
	adm device revoke "$a_dev" --reason "e2e revocation" > /dev/null ||
		{ fail "$c.revoke" "hrot-admin device revoke failed"; return; }
	attested_boot "$c" "$A/good.img"
	expect "$c.refused" "$logs/$c.log" \
		"^hrot-unlock: attempt 1/[0-9]+: verifier refused: device_revoked: device $a_dev is revoked"
	expect_not "$c.no-retry" "$logs/$c.log" "^hrot-unlock: attempt 2/"
	expect "$c.boot-stopped" "$logs/$c.log" "^hrot: /dev/vda stays locked .*boot stopped"
	expect_not "$c.stays-locked" "$logs/$c.log" "HROT-E2E-ROOT-MARKER"
}
