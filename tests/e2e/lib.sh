# shellcheck shell=bash
# tests/e2e/lib.sh: host-side helpers of the end-to-end tests (sourced by
# tests/e2e/run): the dracut image built with the real dracut from this
# repository's module, without touching the host's /usr/lib/dracut or
# /lib/modules.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$top/build}
KVER=${KVER:-$(ls -d /usr/src/linux-headers-6.1*-amd64 2> /dev/null | sort -V |
	tail -n1 | sed 's,.*/linux-headers-,,')}
export BUILD KVER

# The dracut modules of the e2e images.  network-legacy: ip= and dhclient,
# no NetworkManager or systemd in the initramfs.
E2E_DRACUT_MODULES="base rootfs-block crypt network network-legacy"
E2E_DRACUT_DRIVERS="virtio_pci virtio_blk virtio_net dm_crypt ext4"

# e2e_dracut_base DIR: a dracut base directory (what dracut calls
# $dracutbasedir) that is the host's /usr/lib/dracut with this repository's
# dracut/90hrot added, made of symlinks.
e2e_dracut_base() {
	local dir=$1 e
	mkdir -p "$dir/modules.d"
	for e in /usr/lib/dracut/*; do
		[ "${e##*/}" = modules.d ] && continue
		ln -sfn "$e" "$dir/${e##*/}"
	done
	for e in /usr/lib/dracut/modules.d/*; do
		ln -sfn "$e" "$dir/modules.d/${e##*/}"
	done
	rm -rf "$dir/modules.d/90hrot"
	cp -r "$top/dracut/90hrot" "$dir/modules.d/90hrot"
}

# The guest kernel's modules an e2e image may hold: the disk, network and
# filesystem drivers the guest uses, dm-crypt and every crypto module (it
# loads ciphers by name), with their dependencies.  Without this list
# dracut's network and block modules take every driver of the kernel (about
# 50 MB), which a TCG guest then spends seconds unpacking at each boot.
E2E_KMODS="virtio_pci virtio_blk virtio_net dm_crypt ext4"
E2E_KMOD_DIRS="crypto arch/x86/crypto lib"

# e2e_kmoddir DIR: DIR/lib/modules/KVER, those modules of the guest kernel
# (symlinks) plus the tree's hrot.ko as extra/hrot.ko, with its own depmod.
# Prints the module directory (dracut --kmoddir).
e2e_kmoddir() {
	local base=$1 src=/lib/modules/$KVER m=$1/lib/modules/$KVER f d rel
	mkdir -p "$m/extra"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$src/$f" "$m/"
	done
	{
		for d in $E2E_KMOD_DIRS; do
			find "$src/kernel/$d" -name '*.ko*'
		done
		for f in $E2E_KMODS; do
			modprobe -S "$KVER" --show-depends "$f" | awk '$1 == "insmod" { print $2 }'
		done
	} | sort -u | while read -r f; do
		rel=${f#"$src"/}
		mkdir -p "$m/${rel%/*}"
		ln -sfn "$f" "$m/$rel"
	done
	cp "$top/hrot.ko" "$m/extra/hrot.ko"
	depmod -b "$base" "$KVER" || return 1
	echo "$m"
}

# e2e_dracut OUT [--hrot CONFDIR] [--include SRC DEST]... : build a guest
# initramfs with the real dracut.  --hrot adds the 90hrot module with its
# configuration from CONFDIR.  Logs to OUT.log.
e2e_dracut() {
	local out=$1 work mods=$E2E_DRACUT_MODULES args=() confdir="" kmod
	shift
	while [ $# -gt 0 ]; do
		case "$1" in
		--hrot) confdir=$2; mods="$mods hrot"; shift ;;
		--include) args+=(--include "$2" "$3"); shift 2 ;;
		*) echo "e2e_dracut: $1?" >&2; return 2 ;;
		esac
		shift
	done
	work=$(mktemp -d "${TMPDIR:-/tmp}/hrot-dracut.XXXXXX") || return 1
	e2e_dracut_base "$work/base"
	kmod=$(e2e_kmoddir "$work/kmod") || { rm -rf "$work"; return 1; }
	mkdir -p "$work/conf.d"
	{
		echo "hrot_confdir=\"$confdir\""
		echo "hrot_bindir=\"${E2E_HROT_BINDIR:-$BUILD/bin}\""
	} > "$work/conf.d/hrot-e2e.conf"
	# --nostrip: the image's hrot-unlock must be byte for byte the file the
	# policy was made from.  --no-compress: the TCG guest unpacks faster.
	dracutbasedir="$work/base" dracut --force --no-hostonly --no-hostonly-cmdline \
		--no-early-microcode --nostrip --no-compress --reproducible \
		--conf /dev/null --confdir "$work/conf.d" --tmpdir "$work" \
		--kver "$KVER" --kmoddir "$kmod" -m "$mods" \
		--add-drivers "$E2E_DRACUT_DRIVERS" "${args[@]}" \
		"$out" > "$out.log" 2>&1
	local rc=$?
	rm -rf "$work"
	[ "$rc" = 0 ] || { tail -n 20 "$out.log" >&2; return 1; }
}

# e2e_root_fs OUT MARKER: an ext2 image of a tiny root filesystem whose
# /sbin/init prints "HROT-E2E-ROOT-MARKER MARKER" (read from the root
# filesystem itself) and powers off.
e2e_root_fs() {
	local out=$1 marker=$2 d
	d=$(mktemp -d "${TMPDIR:-/tmp}/hrot-e2e-root.XXXXXX") || return 1
	mkdir -p "$d"/{bin,sbin,proc,sys,dev,etc,tmp,run}
	cp /bin/busybox "$d/bin/busybox"
	ln -s busybox "$d/bin/sh"
	cat > "$d/sbin/init" <<'INIT'
#!/bin/busybox sh
echo "HROT-E2E-ROOT-MARKER $(/bin/busybox cat /etc/hrot-e2e-marker)"
/bin/busybox sync
/bin/busybox poweroff -f
INIT
	chmod 755 "$d/sbin/init"
	echo "$marker" > "$d/etc/hrot-e2e-marker"
	rm -f "$out"
	mke2fs -q -t ext2 -L hrot-e2e-root -d "$d" "$out" 8M > /dev/null
	local rc=$?
	rm -rf "$d"
	return $rc
}

# e2e_poweroff_dir DIR: DIR/poweroff, for dracut's rd.emergency=poweroff
# (the image has no poweroff of its own without systemd or busybox).
e2e_poweroff_dir() {
	mkdir -p "$1"
	printf '#!/bin/sh\necho o > /proc/sysrq-trigger\nsleep 10\n' > "$1/poweroff"
	chmod 755 "$1/poweroff"
}
