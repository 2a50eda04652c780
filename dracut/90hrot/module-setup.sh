#!/bin/bash
# shellcheck disable=SC2154  # moddir, initdir, hostonly: set by dracut
# dracut module 90hrot: unlock an hrot-bound LUKS2 root before it is
# mounted, only after the verifier has attested this boot (hrot-unlock
# open).  See dracut/README.md.
#
# dracut conf variables (set them in a dracut.conf.d file):
#   hrot_confdir   where unlock.conf, ca.pem, token.pub.pem come from
#                  (default /etc/hrot); every regular file there goes to
#                  /etc/hrot in the image and is measured at boot
#   hrot_bindir    where hrot-unlock and hrotctl are looked for first
#                  (default: PATH)

# The programs the hook runs, found in $hrot_bindir first, then PATH.
hrot_find() {
	if [[ -n ${hrot_bindir-} && -x ${hrot_bindir}/$1 ]]; then
		echo "${hrot_bindir}/$1"
	else
		find_binary "$1"
	fi
}

# called by dracut
check() {
	local b
	for b in hrot-unlock hrotctl; do
		[[ -n $(hrot_find "$b") ]] || {
			derror "90hrot: $b not found (hrot_bindir or PATH)"
			return 1
		}
	done
	require_binaries cryptsetup blkid || return 1
	# Only on request (-a hrot, or add_dracutmodules+=" hrot "), or on a
	# host that has a bound configuration.
	[[ $hostonly && -f ${hrot_confdir:-/etc/hrot}/unlock.conf ]] && return 0
	return 255
}

# called by dracut
depends() {
	echo crypt network
	return 0
}

# called by dracut: hrot.ko with the TPM drivers and dm-crypt.
installkernel() {
	hostonly='' instmods hrot dm_crypt tpm_tis tpm_crb
}

hrot_install_config() {
	local dir=${hrot_confdir:-/etc/hrot} f
	[[ -f $dir/unlock.conf ]] || {
		dfatal "90hrot: $dir/unlock.conf missing (hrot-unlock bind writes it)"
		return 1
	}
	inst_dir /etc/hrot
	for f in "$dir"/*; do
		[[ -f $f ]] || continue
		inst_simple "$f" "/etc/hrot/${f##*/}"
	done
}

# called by dracut
install() {
	hrot_install_config || return 1
	inst_binary "$(hrot_find hrot-unlock)" /usr/bin/hrot-unlock
	inst_binary "$(hrot_find hrotctl)" /usr/bin/hrotctl
	inst_multiple cryptsetup blkid modprobe sort mount grep awk flock
	# The token plugin, when built: cryptsetup --token-only uses it.
	inst_libdir_file "cryptsetup/libcryptsetup-token-hrot.so"
	inst_simple "$moddir/hrot-lib.sh" /lib/dracut-hrot-lib.sh
	# initqueue/online runs when an interface is up; settled catches a
	# disk that appears after the network.
	inst_hook initqueue/online 60 "$moddir/hrot-unlock.sh"
	inst_hook initqueue/settled 60 "$moddir/hrot-unlock.sh"
	# Before any emergency shell: the stop is measured.
	inst_hook emergency 50 "$moddir/hrot-emergency.sh"
	# Attestation needs the network in the initramfs.
	mkdir -p "$initdir/etc/cmdline.d"
	echo "rd.neednet=1" > "$initdir/etc/cmdline.d/90hrot.conf"
	dracut_need_initqueue
}
