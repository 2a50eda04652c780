#!/bin/sh
# Install the Debian packages hrot needs to build, test and demo itself.
# Idempotent: packages already installed are not touched and apt is only
# asked when something is missing.  Run as root on Debian 12.
set -eu

# clevis, clevis-luks, jose, tang, socat: bench-unlock's Clevis+Tang side
# (tangd runs under socat, not systemd).  Never clevis-dracut or
# clevis-initramfs: they would hook into the host's own initramfs.

PKGS="build-essential pkg-config kmod cpio gzip xz-utils zstd file
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	qemu-system-x86 swtpm swtpm-tools tpm2-tools busybox-static
	libcmocka-dev libssl-dev libjson-c-dev sparse clang
	libclang-rt-14-dev cppcheck clang-tidy openssl
	dkms dwarves libevent-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev
	curl libcryptsetup-dev cryptsetup-bin libkeyutils-dev keyutils
	libnl-genl-3-dev jq
	dracut-core dracut-network
	clevis clevis-luks jose tang socat"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root)" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
