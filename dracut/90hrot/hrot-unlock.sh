#!/bin/sh
# 90hrot initqueue hook (online and settled): unlock every hrot-bound LUKS2
# volume through attestation before the root is mounted.  The work is in
# /lib/dracut-hrot-lib.sh; this runs once per initqueue round.
command -v hrot_unlock_all > /dev/null || . /lib/dracut-hrot-lib.sh
hrot_unlock_all
