#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rollback floors (seed 004): a rollout policy allows a component's old and
# new version (policy import --keep-previous); a device that passed with
# the new one is refused the old one (reason rollback, naming both
# versions), by an unlock and by a runtime attestation alike, also after a
# verifier restart; hrot-admin device show lists the floor, and
# device floors-reset lowers it on purpose (audited).  Versions compare
# numerically by part: 1.10 is newer than 1.9.
. "$(dirname "$0")/lib.sh"

start_verifier rollback || { fail "verifier start"; exit 1; }

F=$WORK/fw
mkdir -p "$F"
echo "firmware 1.9" >"$F/fw-1.9"
echo "firmware 1.10" >"$F/fw-1.10"

# boot DEV FILE: a new boot of DEV (an orderly TPM reset, as a reboot
# does; a killed TPM counts against dictionary-attack protection) measuring
# FILE as /boot/fw
boot() {
	local d=$WORK/dev-$1 tcti=TCTI_$1
	tpm2_shutdown -T "${!tcti}" >/dev/null 2>&1
	stop_swtpm "$1" && start_swtpm_again "$1" || return 1
	cp "$d/log.hdr" "$d/log.bin" && : >"$d/extends.bin" &&
		att "$1" measure /boot/fw "$2" >/dev/null
}

# floor_of DEV [POLICY]: the /boot/fw floor hrot-admin device show prints
floor_of() {
	adm device show "$(dev_hex "$1")" |
		awk -v p="${2:-fwpol}" '$1 == p && $2 == "/boot/fw" { print $3 }'
}

start_swtpm r1 && att r1 init >/dev/null || { fail "device r1"; exit 1; }
cp "$WORK/dev-r1/log.bin" "$WORK/dev-r1/log.hdr"
att r1 measure /boot/fw "$F/fw-1.9" >/dev/null && att r1 register >/dev/null ||
	{ fail "device r1: measure, register"; exit 1; }
hex=$(dev_hex r1)

list() { sed "s|  .*|  /boot/fw|" <(sha256sum "$1"); }
list "$F/fw-1.9" >"$WORK/v1.list"
list "$F/fw-1.10" >"$WORK/v2.list"
check "policy fwpol 1.9" adm policy import fwpol --version 1.9 --from-list "$WORK/v1.list" --no-physical
adm device approve "$hex" --policy fwpol >/dev/null
check "r1 activates" att r1 activate
check "passes with fw 1.9" att r1 attest
check "hrot-admin device show: floor /boot/fw 1.9" test "$(floor_of r1)" = 1.9

# The rollout: 1.10, and 1.9 kept for the machines not yet updated.
check "policy import --keep-previous: fwpol 1.10" \
	adm policy import fwpol --version 1.10 --from-list "$WORK/v2.list" --no-physical --keep-previous
admin_curl GET /v1/admin/policies >"$WORK/policies.json"
check "fwpol 1.10 allows both digests, each with its version" \
	test "$(jq -r '.policies[] | select(.name == "fwpol" and .version == "1.10") | .entries[] | .version' \
		"$WORK/policies.json" | sort | tr '\n' ' ')" = "1.10 1.9 "
check "--keep-previous without an earlier version: not_found" \
	grep -q 'not_found: keep_previous: no earlier version' \
	<(adm policy import nosuch --version 1 --from-list "$WORK/v1.list" --keep-previous 2>&1)
adm device bind "$hex" fwpol >/dev/null

boot r1 "$F/fw-1.9" || { fail "boot r1 with 1.9"; exit 1; }
check "fw 1.9 still passes under the rollout policy (floor 1.9)" att r1 attest
boot r1 "$F/fw-1.10" || { fail "boot r1 with 1.10"; exit 1; }
check "passes with fw 1.10" att r1 attest
check "floor raised to 1.10 (1.10 is newer than 1.9)" test "$(floor_of r1)" = 1.10

boot r1 "$F/fw-1.9" || { fail "boot r1 with 1.9 again"; exit 1; }
attack "back to fw 1.9: rollback" rollback r1 attest
check "the refusal names both versions" \
	grep -q '  attest  *fail  *rollback  *component /boot/fw version 1.9 is older than version 1.10' \
	<(adm audit --device "$hex")
attack "a runtime attestation of that boot: rollback too" rollback r1 attest --runtime

stop_verifier
start_verifier rollback || { fail "verifier restart"; exit 1; }
attack "after a verifier restart: still rollback" rollback r1 attest
check "... and the floor is still 1.10" test "$(floor_of r1)" = 1.10

# Another policy name is another versioning scheme: not compared.
check "policy other 1 (fw 1.9)" adm policy import other --version 1 --from-list "$WORK/v1.list" --no-physical
adm device bind "$hex" other >/dev/null
check "under another policy name, fw 1.9 passes (fwpol's floor not compared)" att r1 attest
check "... and gets a floor of its own there" test "$(floor_of r1 other)" = 1
adm device bind "$hex" fwpol >/dev/null

# The next rollout keeps 1.10, not 1.9 (what 1.10 had kept in turn).
echo "firmware 1.11" >"$F/fw-1.11"
list "$F/fw-1.11" >"$WORK/v3.list"
check "policy import --keep-previous: fwpol 1.11" \
	adm policy import fwpol --version 1.11 --from-list "$WORK/v3.list" --no-physical --keep-previous
admin_curl GET /v1/admin/policies >"$WORK/policies.json"
check "fwpol 1.11 allows 1.11 and 1.10, not 1.9" \
	test "$(jq -r '.policies[] | select(.name == "fwpol" and .version == "1.11") | .entries[] | .version' \
		"$WORK/policies.json" | sort | tr '\n' ' ')" = "1.10 1.11 "
adm device bind "$hex" fwpol >/dev/null

check "floors-reset without a component or --all: usage error (exit 2)" \
	test "$(adm device floors-reset "$hex" >/dev/null 2>&1; echo $?)" = 2
check "floors-reset '*': usage error, --all is the word for all" \
	test "$(adm device floors-reset "$hex" '*' >/dev/null 2>&1; echo $?)" = 2
check "hrot-admin device floors-reset ID /boot/fw: 2 removed (fwpol, other)" \
	grep -q 'floors removed 2' <(adm device floors-reset "$hex" /boot/fw)
check "... audited" grep -q '  floors_reset  *ok .*floors of /boot/fw' <(adm audit --device "$hex")
boot r1 "$F/fw-1.9" || { fail "boot r1 with 1.9 once more"; exit 1; }
adm policy import fwpol --version 1.12 --from-list "$WORK/v1.list" --no-physical --keep-previous >/dev/null
adm device bind "$hex" fwpol >/dev/null
check "fw 1.9 passes after the reset (a policy allowing it again)" att r1 attest
check "the floor is 1.12 now (1.9's file under 1.12)" test "$(floor_of r1)" = 1.12
check "floors-reset --all" adm device floors-reset "$hex" --all
check "... no floor left" test -z "$(floor_of r1)"
exit 0
