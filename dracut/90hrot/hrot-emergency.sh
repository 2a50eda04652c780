#!/bin/sh
# 90hrot emergency hook: dracut runs it before any emergency shell (a
# failed boot, rd.break, rd.shell) and before the rd.emergency action that
# replaces the shell with rd.shell=0.  The stop is measured first, loading
# hrot.ko if the unlock hook has not yet: a root shell in the initramfs
# could otherwise load the module itself, measure the genuine files and
# attest as this boot.
command -v hrot_measure_stop > /dev/null || . /lib/dracut-hrot-lib.sh
hrot_measure_stop "emergency shell" ||
	hrot_say "could not measure the emergency shell"
