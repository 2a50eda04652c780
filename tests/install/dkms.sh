#!/bin/sh
# DKMS and `make install` on the host: the module builds through DKMS for
# the target kernel, installs where modprobe finds it, and goes away again.
# The host kernel cannot load modules, so loading is the VM tests' job;
# here modprobe resolves `hrot` to the DKMS-built file.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/results.sh"

kver=${KVER:?KVER must be set}
version=$(cat "$top/VERSION")
src=/usr/src/hrot-$version

cleanup() {
	dkms remove -m hrot -v "$version" --all >/dev/null 2>&1
	rm -rf "$src" "$stage"
	depmod -a "$kver" 2>/dev/null
}
stage=$(mktemp -d)
trap cleanup EXIT

cleanup
make -s -C "$top" dkms-source DKMS_SRC="$src" >/dev/null
check dkms-add dkms add -m hrot -v "$version"
check dkms-build dkms build -m hrot -v "$version" -k "$kver"
check dkms-install dkms install -m hrot -v "$version" -k "$kver" --force
ko=$(modprobe -S "$kver" --show-depends hrot 2>/dev/null | awk '/hrot/ {print $2}')
case "$ko" in
*/updates/dkms/hrot.ko*) pass modprobe-finds-dkms-module ;;
*) fail modprobe-finds-dkms-module "modprobe resolved hrot to '$ko'" ;;
esac
vm=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{print $1}')
expect_eq dkms-vermagic "$vm" "$kver"
check dkms-remove dkms remove -m hrot -v "$version" --all
if modprobe -S "$kver" --show-depends hrot >/dev/null 2>&1; then
	fail dkms-removed "hrot still resolvable after dkms remove"
else
	pass dkms-removed
fi

# make install into a staging root honours DESTDIR and PREFIX.
make -s -C "$top" install DESTDIR="$stage" PREFIX=/usr >/dev/null 2>&1
check install-hrotctl test -x "$stage/usr/bin/hrotctl"
check install-module test -f "$stage/lib/modules/$kver/extra/hrot.ko"
check install-uapi-header test -f "$stage/usr/include/linux/hrot.h"
check install-netlink-header test -f "$stage/usr/include/linux/hrot_netlink.h"
check install-agent test -x "$stage/usr/bin/hrot-agent"
check install-agent-unit grep -q '^ExecStart=/usr/bin/hrot-agent$' \
	"$stage/lib/systemd/system/hrot-agent.service"

summary
