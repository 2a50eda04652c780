#!/bin/sh
# bench_unlock: attested unlock (hrot-unlock open) against Clevis+Tang
# (clevis luks unlock) of the same LUKS2 volume, in one guest, one boot.
# Driven by tests/bench/unlock/run, which starts the verifier and tangd on
# the host (the guest reaches both at 10.0.2.2 through QEMU's user
# networking), prepares the volume and approves this device.
#
# Disks: /dev/vda the LUKS2 volume, made on the host: keyslot 0 the
# provisioning key (job/key), keyslot 1 Clevis's (tang pin, its token 0),
# keyslot 2 a reference keyslot (job/ref.key) with the same PBKDF as the
# hrot keyslot (PBKDF2-SHA256, 1000 iterations) for the KDF+keyslot part;
# /dev/vdb a tar archive (job/): unlock.conf, ca.pem, token.pub.pem, key,
# ref.key, params (REPS, VERIFIER).
#
# Flow: enroll (the host imports this boot's log as the policy and
# approves), bind (keyslot 3), one checked open of each kind, then REPS
# rounds, each timing one `hrot-unlock open` and one `clevis luks unlock`
# (both activate a dm-crypt mapping, closed after each; the order
# alternates per round) and one run of each part: hrotctl quote, the
# reference keyslot with `cryptsetup open --test-passphrase` and with
# activation + close, process start (`hrot-unlock --help`, `cryptsetup
# --version`), Tang's part (`clevis decrypt` of the volume's JWE).  After
# the rounds: HTTPS requests to the verifier (curl's own timers) and one
# open under strace (time inside the QUOTE ioctls and add_key).
# Medians of REPS, process start to exit (hrot_bench: CLOCK_MONOTONIC).
# The HROT-UNLOCK-MARK lines let the host read the verifier's /metrics
# around the timed hrot opens (its server-side time per request).
# vm: tpm=swtpm
# vm: net
# vm: timeout=1200

# shellcheck source=/dev/null
. /tests/lib.sh

JOB=/tmp/unlock-job
ERR=/tmp/unlock-bench.err

# t1 CMD...: one run of CMD, its time in ns on stdout; non-zero if it failed.
t1() {
	hrot_bench time 1 "$@" 2>> "$ERR" | sed -n 's/^best_ns=//p' | grep .
}

# median: the median of the numbers on stdin (mean of the middle two when
# their count is even).
median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }

setup_disks() {
	modprobe -a virtio_pci virtio_blk dm_crypt || return 1
	_i=0
	until [ -b /dev/vda ] && [ -b /dev/vdb ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || { echo "no /dev/vda and /dev/vdb" >&2; return 1; }
		sleep 0.1
	done
	mkdir -p "$JOB" && tar -xf /dev/vdb -C "$JOB"
}

install_conf() {
	mkdir -p /etc/hrot &&
		cp "$JOB/unlock.conf" "$JOB/ca.pem" "$JOB/token.pub.pem" /etc/hrot/
}

# The reference log for the policy: what this boot has measured, plus the
# event every open adds ("unlocked <UUID>"), so that the opens after the
# first still match the policy.
export_log() {
	hrotctl extend "unlocked $(cryptsetup luksUUID /dev/vda)" > /dev/null || return 1
	echo HROT-UNLOCK-LOG-BEGIN
	base64 < "$HROT_BIN_LOG" | sed 's/^/HROT-UNLOCK-B64 /'
	echo HROT-UNLOCK-LOG-END
}

# A checked open of each kind, before anything is timed.
first_opens() {
	check hrot-open hrot-unlock open /dev/vda hb
	check hrot-mapped test -b /dev/mapper/hb
	cryptsetup close hb 2> /dev/null
	check clevis-open clevis luks unlock -d /dev/vda -n cb
	check clevis-mapped test -b /dev/mapper/cb
	cryptsetup close cb 2> /dev/null
}

# timed_round I: one hrot open and one Clevis open, hrot first in odd rounds.
timed_round() {
	if [ $(($1 % 2)) = 1 ]; then
		time_hrot && time_clevis
	else
		time_clevis && time_hrot
	fi
}

time_hrot() {
	t1 hrot-unlock open /dev/vda hb >> /tmp/hrot.ns &&
		test -b /dev/mapper/hb && cryptsetup close hb
}

time_clevis() {
	t1 clevis luks unlock -d /dev/vda -n cb >> /tmp/clevis.ns &&
		test -b /dev/mapper/cb && cryptsetup close cb
}

timed_rounds() {
	echo "HROT-UNLOCK-MARK begin"
	sleep 3		# the host reads /metrics now
	_i=1
	while [ "$_i" -le "$REPS" ]; do
		timed_round "$_i" && part_round ||
			{ fail round "round $_i failed: $(tail -n 3 "$ERR")"; break; }
		_i=$((_i + 1))
	done
	echo "HROT-UNLOCK-MARK end"
	sleep 3
	[ "$_i" -gt "$REPS" ] && pass rounds
}

# part NAME CMD...: one run of CMD, its ns appended to /tmp/NAME.ns.
part() {
	_n=$1
	shift
	t1 "$@" >> "/tmp/$_n.ns" || { echo "part $_n: '$*' failed" >> "$ERR"; return 1; }
}

# The parts, one run each per round, so that they share the rounds' load
# (none of them talks to the verifier: its /metrics window stays clean).
part_round() {
	part quote hrotctl quote --nonce 00112233445566778899aabbccddeeff \
		--pcrs 13 --out /tmp/q &&
		part keyslot cryptsetup open --test-passphrase --key-slot 2 \
			--key-file "$JOB/ref.key" /dev/vda &&
		part activate /tmp/ref-activate &&
		part start hrot-unlock --help &&
		part csstart cryptsetup --version &&
		part tang /tmp/tang-decrypt
}

# Compound commands to time, as scripts (hrot_bench runs one program).
helper_scripts() {
	cat > /tmp/ref-activate <<EOS
#!/bin/sh
cryptsetup open --key-slot 2 --key-file $JOB/ref.key /dev/vda rb &&
	cryptsetup close rb
EOS
	cat > /tmp/tang-decrypt <<EOS
#!/bin/sh
clevis decrypt < /tmp/clevis.jwe > /dev/null
EOS
	chmod 755 /tmp/ref-activate /tmp/tang-decrypt
}

# curl's timers for one HTTPS request to the verifier (TCP connect, TLS 1.3
# handshake, whole request) in ms, medians of REPS.
https_parts() {
	_i=0
	while [ "$_i" -lt "$REPS" ]; do
		curl -s -o /dev/null --cacert /etc/hrot/ca.pem \
			-w '%{time_connect} %{time_appconnect} %{time_total}\n' \
			"$VERIFIER/v1/revocations"
		_i=$((_i + 1))
	done > /tmp/https.s
	for _c in 1 2 3; do
		awk -v c="$_c" '{ printf "%.0f\n", $c * 1e9 }' /tmp/https.s | median
	done | tr '\n' ' '
}

clevis_jwe() {
	cryptsetup token export --token-id 0 /dev/vda | jose fmt -j- -Og jwe -o- |
		jose jwe fmt -i- -c > /tmp/clevis.jwe
}

all_parts() {
	for _n in quote keyslot activate start csstart tang; do
		median < "/tmp/$_n.ns" > "/tmp/$_n.median"
	done
	# shellcheck disable=SC2046
	set -- $(https_parts)
	tcp_ns=$1 tls_ns=$2 https_ns=$3
}

# traced_open: one more open under strace, for what only the process sees:
# the time spent in the QUOTE ioctls (0xb8, nr 5) and in add_key of the
# hrot_token (the kernel has the TPM verify its signature).  strace slows
# the process, not the time inside a system call.
traced_open() {
	quote_in_ns=0 keyring_in_ns=0
	command -v strace > /dev/null || return 0
	strace -f -T -o /tmp/open.strace hrot-unlock open /dev/vda hb 2> /dev/null &&
		cryptsetup close hb
	quote_in_ns=$(awk '/ioctl\(.*0xb8, 0x5,/ { sub(/.*</, ""); sub(/>.*/, ""); s += $0 }
		END { printf "%.0f", s * 1e9 }' /tmp/open.strace)
	keyring_in_ns=$(awk '/add_key\("hrot_(token|anchor)"/ { sub(/.*</, ""); sub(/>.*/, ""); s += $0 }
		END { printf "%.0f", s * 1e9 }' /tmp/open.strace)
	grep -E 'ioctl\(.*0xb8|add_key|connect\(' /tmp/open.strace | cut -c1-160 | sed 's/^/strace: /'
}

main() {
	setup_disks || { fail disks "no disks or no job archive"; finish; }
	# shellcheck source=/dev/null
	. "$JOB/params"
	: "${REPS:=7}" "${VERIFIER:?}"
	check conf install_conf
	check net net_up
	load_hrot || { fail load "load_hrot failed"; finish; }
	export_log || { fail log "exporting the log failed"; finish; }
	check enroll hrot-unlock enroll --wait 300 --poll 1
	check bind hrot-unlock bind /dev/vda --key-file "$JOB/key"
	hrot-unlock status /dev/vda
	cryptsetup luksDump /dev/vda | sed -n '/^Keyslots:/,/^Digests:/p' |
		grep -E '^  [0-9]+:|PBKDF|Iterations|Hash' | sed 's/^/luks: /'
	first_opens
	helper_scripts
	clevis_jwe
	for _n in hrot clevis quote keyslot activate start csstart tang; do
		: > "/tmp/$_n.ns"
	done
	timed_rounds
	all_parts
	traced_open
	hrot_ns=$(median < /tmp/hrot.ns) clevis_ns=$(median < /tmp/clevis.ns)
	echo "runs: hrot_ns=$(tr '\n' ' ' < /tmp/hrot.ns)"
	echo "runs: clevis_ns=$(tr '\n' ' ' < /tmp/clevis.ns)"
	bench hrot_ms="$(ms "$hrot_ns")" clevis_ms="$(ms "$clevis_ns")" \
		ratio="$(awk -v a="$clevis_ns" -v b="$hrot_ns" 'BEGIN { printf "%.1f", a / b }')" \
		reps="$REPS" quote_ms="$(ms "$(cat /tmp/quote.median)")" \
		tcp_ms="$(ms "$tcp_ns")" tls_ms="$(ms "$tls_ns")" https_ms="$(ms "$https_ns")" \
		keyslot_ms="$(ms "$(cat /tmp/keyslot.median)")" \
		activate_ms="$(ms "$(cat /tmp/activate.median)")" \
		tang_ms="$(ms "$(cat /tmp/tang.median)")" \
		start_ms="$(ms "$(cat /tmp/start.median)")" \
		csstart_ms="$(ms "$(cat /tmp/csstart.median)")" \
		quote_ioctl_ms="$(ms "$quote_in_ns")" keyring_ms="$(ms "$keyring_in_ns")"
	unload_hrot
	finish
}

main
