#!/bin/sh
# The provisioning boot of the end-to-end tests (tests/e2e/run), not a test
# of its own.  The runner attaches the disk to provision as /dev/vda and a
# tar archive as /dev/vdb holding job.sh and what it needs; this script
# unpacks the archive into /tmp/e2e and runs job.sh there with lib.sh's
# helpers (job.sh prints the results).
# vm: demo-only
# vm: net
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

modprobe -a virtio_pci virtio_blk dm_crypt || { fail disks "modprobe failed"; finish; }
i=0
until [ -b /dev/vdb ] && [ -b /dev/vda ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || { fail disks "no /dev/vda and /dev/vdb (runner --drive)"; finish; }
	sleep 0.1
done
mkdir -p /tmp/e2e
tar -xf /dev/vdb -C /tmp/e2e || { fail unpack "tar -xf /dev/vdb failed"; finish; }
cd /tmp/e2e || finish
# shellcheck disable=SC1091
. ./job.sh
finish
