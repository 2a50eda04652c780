#!/bin/sh
# t_measure: `hrotctl measure` hashes files like sha256sum does, fails
# clearly on what it cannot measure, and every measured file is in the log.
# TPM configs: swtpm only (nothing here depends on the TPM).
# vm: tpm=swtpm
# vm: mem=768
# vm: timeout=900
#
# Oracles: coreutils sha256sum for the digests, and hrot_raw logdump (a
# parser that shares nothing with libhrot) for the log.

# shellcheck source=/dev/null
. /tests/lib.sh

T=measure
D=/tmp/hrot-measure
mkdir -p "$D"

# log_entries from INFO, read by hrot_raw (not hrotctl)
entries() { hrot_raw info | sed -n 's/^log_entries=//p'; }

# in_log PATH HEX SIZE: the raw log has a file record with this path,
# SHA-256 and size (PATH as hrot_raw logdump prints it: backslash as \\,
# newline as \n; passed through the environment, which awk does not unescape)
in_log() {
	hrot_raw logdump > /tmp/logdump.txt || return 1
	P=$1 H=$2 S=$3 awk '
		$1 == "rec" && $5 == "file" && $6 == ENVIRON["H"] && $7 == ENVIRON["S"] {
			n = $0; sub(/^([^ ]+ ){7}/, "", n)
			if (n == ENVIRON["P"]) found = 1
		}
		END { exit !found }' /tmp/logdump.txt
}

load_hrot || { fail "$T.load" "load_hrot failed"; exit 1; }

# ---- the files ------------------------------------------------------------
: > "$D/empty"
printf 'hello, hrot\n' > "$D/small"
printf 'a file name with spaces\n' > "$D/with space"
# 100 MiB, random (urandom under TCG takes a few seconds)
dd if=/dev/urandom of="$D/big" bs=1048576 count=100 2>/dev/null
truncate -s 64M "$D/sparse"
# sizes around the module's 256 KiB read chunk
dd if=/dev/urandom of="$D/chunk" bs=1024 count=256 2>/dev/null
dd if=/dev/urandom of="$D/chunk1" bs=1 count=1 2>/dev/null
cat "$D/chunk" "$D/chunk1" > "$D/chunkplus1"

check "$T.files_created" test "$(stat -c %s "$D/big")" -eq 104857600 \
	-a "$(stat -c %s "$D/sparse")" -eq 67108864

# ---- one file at a time: output is exactly sha256sum's --------------------
for f in empty small "with space" big sparse chunk chunkplus1; do
	name=$(echo "$f" | tr ' ' '_')
	before=$(entries)
	got=$(hrotctl measure "$D/$f" 2>/tmp/err)
	rc=$?
	want=$(sha256sum "$D/$f")
	if [ $rc -ne 0 ]; then
		fail "$T.$name" "hrotctl measure exit $rc: $(cat /tmp/err)"
		continue
	fi
	expect_eq "$T.$name" "$got" "$want"
	after=$(entries)
	expect_eq "$T.$name.one_record" "$after" "$((before + 1))"
	hex=${want%% *}
	size=$(stat -c %s "$D/$f")
	check "$T.$name.in_raw_log" in_log "$D/$f" "$hex" "$size"
	# hrotctl log shows the path and the digest on one line
	if hrotctl log > /tmp/hlog.txt 2>/tmp/err; then
		if grep -F -- "$hex" /tmp/hlog.txt | grep -qF -- "$D/$f"; then
			pass "$T.$name.in_hrotctl_log"
		elif [ "$f" = "with space" ] &&
			grep -F -- "$hex" /tmp/hlog.txt | grep -qF -- "$D/with\\040space"; then
			pass "$T.$name.in_hrotctl_log"
		else
			fail "$T.$name.in_hrotctl_log" "no line with $D/$f and $hex"
		fi
	else
		fail "$T.$name.in_hrotctl_log" "hrotctl log: $(cat /tmp/err)"
	fi
done

# ---- names sha256sum escapes: newline and backslash ---------------------------
nl="$D/new
line"
bs="$D/back\\slash"
printf 'newline\n' > "$nl"
printf 'backslash\n' > "$bs"
expect_eq "$T.name_with_newline" "$(hrotctl measure "$nl" 2>&1)" "$(sha256sum "$nl")"
expect_eq "$T.name_with_backslash" "$(hrotctl measure "$bs" 2>&1)" "$(sha256sum "$bs")"
check "$T.name_with_newline.in_raw_log" in_log "$D/new\\nline" \
	"$(sha256sum < "$nl" | cut -c1-64)" "$(stat -c %s "$nl")"
check "$T.name_with_backslash.in_raw_log" in_log "$D/back\\\\slash" \
	"$(sha256sum < "$bs" | cut -c1-64)" "$(stat -c %s "$bs")"
rm -f "$nl" "$bs"

# ---- several files in one call ---------------------------------------------
before=$(entries)
got=$(hrotctl measure "$D/small" "$D/empty" "$D/chunk" "$D/with space" 2>/tmp/err)
rc=$?
want=$(sha256sum "$D/small" "$D/empty" "$D/chunk" "$D/with space")
expect_eq "$T.multi.exit" "$rc" 0
expect_eq "$T.multi" "$got" "$want"
expect_eq "$T.multi.four_records" "$(entries)" "$((before + 4))"

# relative paths: printed as given (like sha256sum), logged absolute
before=$(entries)
got=$(cd "$D" && hrotctl measure small 2>/tmp/err)
want=$(cd "$D" && sha256sum small)
expect_eq "$T.relative" "$got" "$want"
check "$T.relative.logged_absolute" in_log "$D/small" "${want%% *}" \
	"$(stat -c %s "$D/small")"

# a symlink: the kernel logs the file it opened
ln -sf small "$D/link"
got=$(hrotctl measure "$D/link" 2>/tmp/err)
want=$(sha256sum "$D/link")
expect_eq "$T.symlink" "$got" "$want"
check "$T.symlink.logs_target" in_log "$D/small" "${want%% *}" \
	"$(stat -c %s "$D/small")"

# ---- what cannot be measured -----------------------------------------------
# fails_clearly NAME PATH...: non-zero exit, a message naming the path on
# stderr, no digest on stdout, and no record added
fails_clearly() {
	fname=$1
	shift
	before=$(entries)
	# bounded: a FIFO must be refused, not read until a writer comes
	timeout 30 hrotctl measure "$@" > /tmp/out 2> /tmp/err
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 143 ]; then
		fail "$T.$fname" "hrotctl measure $* still running after 30 s"
	elif [ $rc -eq 0 ]; then
		fail "$T.$fname" "exit 0 for $*: $(cat /tmp/out)"
	elif [ ! -s /tmp/err ]; then
		fail "$T.$fname" "exit $rc but no message on stderr"
	elif ! grep -qF -- "$1" /tmp/err; then
		fail "$T.$fname" "message does not name $1: $(cat /tmp/err)"
	elif grep -q '^[0-9a-f]\{64\} ' /tmp/out; then
		fail "$T.$fname" "printed a digest: $(cat /tmp/out)"
	else
		pass "$T.$fname"
	fi
	expect_eq "$T.$fname.no_record" "$(entries)" "$before"
	printf '  %s\n' "$fname: exit $rc: $(head -n 3 /tmp/err)"
}
fails_clearly missing "$D/does-not-exist"
check "$T.missing.says_why" grep -qi 'no such file\|not found\|does not exist' /tmp/err
fails_clearly directory "$D"
check "$T.directory.says_why" grep -qi 'directory\|not a regular file\|invalid argument' /tmp/err
# sha256sum would block on a FIFO; hrotctl cannot measure one, so it must
# say so instead of waiting for a writer
mkfifo "$D/fifo"
fails_clearly fifo "$D/fifo"
fails_clearly dev_null /dev/null
# a missing file among good ones: the call fails and names it; whatever it
# did print is right (sha256sum goes on past a bad file; stopping is fine
# too), and exactly the printed files were logged
before=$(entries)
hrotctl measure "$D/small" "$D/nope" "$D/empty" > /tmp/out 2> /tmp/err
rc=$?
check "$T.mixed.exit_nonzero" test $rc -ne 0
check "$T.mixed.names_missing" grep -qF "$D/nope" /tmp/err
sha256sum "$D/small" "$D/empty" > /tmp/want
printed=$(grep -c '^[0-9a-f]\{64\} ' /tmp/out)
bad=$(grep '^[0-9a-f]\{64\} ' /tmp/out | grep -vxF -f /tmp/want)
expect_eq "$T.mixed.printed_lines_right" "$bad" ""
expect_eq "$T.mixed.printed_files_logged" "$(entries)" "$((before + printed))"
echo "  mixed: exit $rc, $printed digest line(s) printed"

# ---- the log as a whole ----------------------------------------------------
check "$T.raw_log_valid" hrot_raw logdump
n=$(hrot_raw logdump | sed -n 's/^records=//p')
expect_eq "$T.log_entries_match_info" "$n" "$(entries)"
# documented escaping (Documentation/uapi.md): a space in a name is \040
check "$T.ascii_escapes_space" grep -qF "$D/with\\040space" \
	/sys/kernel/security/hrot/ascii_measurements
expect_eq "$T.ascii_one_line_per_record" \
	"$(wc -l < /sys/kernel/security/hrot/ascii_measurements | tr -d ' ')" "$n"

unload_hrot

# ---- which SHA-256 implementation hashes files (hrot_hash_select.c) ---------
# default: timed at load, named in one kernel line
chosen() { dmesg | sed -n 's/.*hrot: file contents hashed by \([^ ]*\) .*/\1/p' | tail -n 1; }
load_hrot || fail "$T.load_default" "load_hrot failed"
check "$T.driver_chosen_at_load" test -n "$(chosen)"
echo "  default choice: $(chosen)"
unload_hrot
# forced: the generic C one, and files still hash to sha256sum's digest
load_hrot sha256_driver=sha256-generic || fail "$T.load_forced" "load failed"
expect_eq "$T.driver_forced" "$(chosen)" sha256-generic
head -c 3000000 /dev/urandom > "$D/forced"
expect_eq "$T.forced_driver_digest" "$(hrotctl measure "$D/forced")" \
	"$(sha256sum "$D/forced")"
unload_hrot
# a driver the kernel does not have: the module refuses to load, and says why
if modprobe hrot sha256_driver=no-such-sha256 2> /dev/null; then
	fail "$T.unknown_driver_refused" "modprobe succeeded"
	unload_hrot
else
	pass "$T.unknown_driver_refused"
fi
check "$T.unknown_driver_named" sh -c \
	'dmesg | grep -q "hrot: sha256_driver=no-such-sha256: not available"'
check "$T.no_device_after_refusal" test ! -e /dev/hrot

rm -rf "$D"
finish
