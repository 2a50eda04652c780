#!/bin/sh
# t_loadunload: 50 load/use/unload cycles leak nothing (the module's own
# allocation count, and kmalloc slab usage), and the module cannot be
# unloaded while /dev/hrot or a log file is open.
# TPM configs: swtpm and none.
# vm: tpm=swtpm,none
# vm: mem=512
# vm: timeout=900

# shellcheck source=/dev/null
. /tests/lib.sh

T=loadunload
CYCLES=${HROT_CYCLES:-50}
BIN=/sys/kernel/security/hrot/binary_measurements
ASCII=/sys/kernel/security/hrot/ascii_measurements
# Growth allowed over all the cycles, in KiB, after a warm-up cycle.
# Measured noise of 50 cycles (swtpm and none): kmalloc caches +8 KiB, Slab
# +24 KiB.  256 KiB is ten times that: it catches a leak of ~5 KiB per
# cycle (a crypto tfm, the TPM chip's device, a seq_file buffer) that the
# module's own allocation count does not see.  Smaller leaks of what the
# module allocates itself are caught exactly by that count ("0 allocations
# outstanding").  vmalloc: the 256 KiB file-read chunk is kvmalloc'ed, so a
# leak of it shows in VmallocUsed, not in the slab.
SLAB_MAX_GROWTH_KIB=${HROT_SLAB_MAX_GROWTH_KIB:-256}
VMALLOC_MAX_GROWTH_KIB=${HROT_VMALLOC_MAX_GROWTH_KIB:-1024}

kmalloc_bytes() {
	awk '/^(dma-)?kmalloc-/ { s += $2 * $4 } END { print s + 0 }' /proc/slabinfo
}
slab_kib() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
vmalloc_kib() { awk '/^VmallocUsed:/ { print $2 }' /proc/meminfo; }
settle() {
	sync
	echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
	sleep 1
}
unloaded_ok() { dmesg | grep -c 'hrot: unloaded, 0 allocations outstanding'; }

printf 'load/unload test file\n' > /tmp/lu.txt

# one_cycle I: load, extend + measure + read the log + fingerprint, unload
# (through hrot_raw: this is about the module, not hrotctl)
one_cycle() {
	load_hrot || { echo "cycle $1: load failed"; return 1; }
	hrot_raw extend "cycle $1" > /dev/null || { echo "cycle $1: extend"; return 1; }
	hrot_raw measure /tmp/lu.txt > /dev/null 2>&1 || { echo "cycle $1: measure"; return 1; }
	cat $BIN > /tmp/lu.bin || { echo "cycle $1: read"; return 1; }
	# the load's command line record, then these two
	[ "$(wc -l < $ASCII)" -eq 3 ] || { echo "cycle $1: ascii lines"; return 1; }
	hrot_raw logdump > /tmp/lu.dump || { echo "cycle $1: bad log"; return 1; }
	grep -q "^records=3$" /tmp/lu.dump || { echo "cycle $1: not 3 records (a fresh log each load)"; return 1; }
	hrot_raw fingerprint > /dev/null || { echo "cycle $1: fingerprint"; return 1; }
	unload_hrot || { echo "cycle $1: unload failed"; return 1; }
	[ ! -e /dev/hrot ] || { echo "cycle $1: /dev/hrot still there"; return 1; }
	[ ! -e $BIN ] || { echo "cycle $1: $BIN still there"; return 1; }
	return 0
}

# ---- warm-up: one-time allocations (crypto algorithms, modules) ---------------
ok0=$(unloaded_ok)
one_cycle warmup || fail "$T.warmup" "see above"
settle
k0=$(kmalloc_bytes)
s0=$(slab_kib)
v0=$(vmalloc_kib)

# ---- the cycles ---------------------------------------------------------------
bad=0
i=1
while [ $i -le "$CYCLES" ]; do
	one_cycle $i || bad=$((bad + 1))
	i=$((i + 1))
done
expect_eq "$T.cycles_ok" "$bad" 0
settle
k1=$(kmalloc_bytes)
s1=$(slab_kib)
v1=$(vmalloc_kib)
echo "  kmalloc caches: $k0 -> $k1 bytes; Slab: $s0 -> $s1 KiB; VmallocUsed: $v0 -> $v1 KiB"
growth=$(((k1 - k0) / 1024))
if [ $growth -le "$SLAB_MAX_GROWTH_KIB" ]; then
	pass "$T.kmalloc_growth"
else
	fail "$T.kmalloc_growth" "kmalloc caches grew by $growth KiB over $CYCLES cycles (max $SLAB_MAX_GROWTH_KIB)"
fi
sgrowth=$((s1 - s0))
if [ $sgrowth -le "$SLAB_MAX_GROWTH_KIB" ]; then
	pass "$T.slab_growth"
else
	fail "$T.slab_growth" "Slab grew by $sgrowth KiB over $CYCLES cycles (max $SLAB_MAX_GROWTH_KIB)"
fi

vgrowth=$((v1 - v0))
if [ $vgrowth -le "$VMALLOC_MAX_GROWTH_KIB" ]; then
	pass "$T.vmalloc_growth"
else
	fail "$T.vmalloc_growth" "VmallocUsed grew by $vgrowth KiB over $CYCLES cycles (max $VMALLOC_MAX_GROWTH_KIB)"
fi

# every unload reported 0 allocations outstanding, and nothing else complained
expect_eq "$T.unloaded_zero_outstanding" "$(($(unloaded_ok) - ok0))" "$((CYCLES + 1))"
expect_eq "$T.no_nonzero_outstanding" \
	"$(dmesg | grep 'hrot: unloaded, ' | grep -vc 'hrot: unloaded, 0 allocations outstanding')" 0
if dmesg | grep -iE 'leak|WARNING:|BUG:|Oops|refcount|use-after-free|double free' > /tmp/dmesg.bad; then
	fail "$T.dmesg_clean" "$(head -n 3 /tmp/dmesg.bad)"
else
	pass "$T.dmesg_clean"
fi

# ---- rmmod while /dev/hrot is open ----------------------------------------------
load_hrot || fail "$T.load" "load_hrot failed"
exec 7< /dev/hrot
if rmmod hrot 2> /tmp/err; then
	fail "$T.rmmod_refused_while_open" "rmmod succeeded with /dev/hrot open"
else
	pass "$T.rmmod_refused_while_open"
	printf '  %s\n' "rmmod: $(cat /tmp/err)"
fi
check "$T.module_stays" sh -c 'lsmod | grep -q "^hrot "'
check "$T.device_stays" test -c /dev/hrot
check "$T.still_works" hrot_raw extend "after refused rmmod"
exec 7<&-
if rmmod hrot 2> /tmp/err; then
	pass "$T.rmmod_after_close"
else
	fail "$T.rmmod_after_close" "$(cat /tmp/err)"
fi
check "$T.gone_after_rmmod" sh -c '! lsmod | grep -q "^hrot " && [ ! -e /dev/hrot ]'

# the same with an fd held by another process, in the middle of nothing
load_hrot || fail "$T.load" "load_hrot failed"
hrot_raw hold 30 &
holder=$!
sleep 1
if rmmod hrot 2> /dev/null; then
	fail "$T.rmmod_refused_other_process" "rmmod succeeded while pid $holder holds /dev/hrot"
else
	pass "$T.rmmod_refused_other_process"
fi
kill $holder
wait $holder 2> /dev/null
check "$T.rmmod_after_holder_exits" rmmod hrot

# ---- rmmod while a log file is open: refused (the files pin the module) ----------
for f in binary_measurements ascii_measurements; do
	load_hrot || fail "$T.load" "load_hrot failed"
	hrot_raw extend "before holding $f" > /dev/null
	exec 8< /sys/kernel/security/hrot/$f
	if rmmod hrot 2> /dev/null; then
		fail "$T.rmmod_refused_$f" "rmmod succeeded with $f open"
		# reading the orphaned file must not crash the kernel
		cat <&8 > /dev/null 2>&1
	else
		pass "$T.rmmod_refused_$f"
		check "$T.read_held_$f" sh -c "cat <&8 > /dev/null"
	fi
	exec 8<&-
	if lsmod | grep -q '^hrot '; then
		check "$T.rmmod_after_closing_$f" rmmod hrot
	fi
done
if dmesg | grep -E 'WARNING:|BUG:|Oops|general protection' > /tmp/dmesg.bad; then
	fail "$T.dmesg_clean_at_end" "$(head -n 3 /tmp/dmesg.bad)"
else
	pass "$T.dmesg_clean_at_end"
fi
expect_eq "$T.no_leak_at_end" \
	"$(dmesg | grep 'hrot: unloaded, ' | grep -vc 'hrot: unloaded, 0 allocations outstanding')" 0
finish
