# hrot top-level Makefile.  `make` builds the module and the userspace
# tools; `make check` runs every test; `make demo` runs the main job.
# Kernel-module part of the build is in Kbuild (kbuild reads it first).

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= $(TOP)/build

# The kernel to build against: the running one if its headers are
# installed, else the newest installed Debian 6.1 headers.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /usr/src/linux-headers-6.1*-amd64 2>/dev/null | sort -V | \
	tail -n1 | sed 's,.*/linux-headers-,,'; fi)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build) /usr/src/linux-headers-$(KVER))

PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell cat $(TOP)/VERSION)

export KVER KDIR BUILD

.PHONY: dkms-source dkms-install
.PHONY: all deps module userspace clean install install-module install-userspace \
	guest-bin e2e analyze check unit unit-asan fuzz-smoke install-test vmtest lint checkpatch sparse demo demo-measure bench bench-measure bench-quote bench-verifier bench-unlock

all: deps module userspace

deps:
	@$(TOP)/scripts/install-deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

userspace:
	$(MAKE) -C $(TOP)/userspace BUILD=$(BUILD)
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(BUILD)

install: install-module install-userspace

install-module: module
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

install-userspace: userspace
	$(MAKE) -C $(TOP)/userspace BUILD=$(BUILD) install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD) install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# DKMS source tree: what dkms needs to build the module, nothing more.
DKMS_SRC ?= /usr/src/hrot-$(VERSION)
dkms-source:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(TOP)/Kbuild $(TOP)/dkms.conf $(TOP)/kmod $(DKMS_SRC)/

dkms-install: dkms-source
	dkms add -m hrot -v $(VERSION)
	dkms install -m hrot -v $(VERSION)

# ---- tests ---------------------------------------------------------------

unit: deps
	$(MAKE) -C $(TOP)/userspace BUILD=$(BUILD) check
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD) check

unit-asan: deps
	$(MAKE) -C $(TOP)/userspace BUILD=$(BUILD)/asan SANITIZE=1 check
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD)/asan SANITIZE=1 check

guest-bin:
	$(MAKE) -C $(TOP)/tests/vm/guest-src BUILD=$(BUILD)

vmtest: all guest-bin
	$(TOP)/tests/vm/check

checkpatch: deps
	$(TOP)/scripts/checkpatch.sh

# Userspace static analysis: cppcheck and clang-tidy.
analyze: deps
	$(MAKE) -C $(TOP)/userspace BUILD=$(BUILD) cppcheck tidy
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD) cppcheck tidy
	$(MAKE) -C $(TOP)/tests/bench/verifier BUILD=$(BUILD) cppcheck tidy

sparse: deps
	@mkdir -p $(BUILD)
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 CF="-D__CHECK_ENDIAN__" modules 2>&1 | \
		tee $(BUILD)/sparse.log; \
	if grep -E 'warning:|error:' $(BUILD)/sparse.log | grep -v '^scripts/' ; then \
		echo "sparse: warnings above"; exit 1; fi

lint: checkpatch sparse analyze

fuzz-smoke: deps
	$(MAKE) -C $(TOP)/userspace BUILD=$(BUILD)/fuzz fuzz-smoke
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD)/fuzz fuzz-smoke

install-test: all
	KVER=$(KVER) $(TOP)/tests/install/dkms.sh

# End to end: dracut/90hrot in a real dracut image, a LUKS2 root, the
# verifier on the host (tests/e2e/README.md).  `tests/e2e/run all` runs
# the cases that cannot pass yet too.
e2e: all guest-bin
	$(TOP)/tests/e2e/run

check: all guest-bin
	$(TOP)/tests/run-suites

demo: all guest-bin
	$(TOP)/tests/e2e/demo

# The measurement device alone: a guest measures, prints the log and the PCR.
demo-measure: all guest-bin
	$(TOP)/tests/vm/demo

bench: bench-measure bench-quote bench-verifier bench-unlock

bench-measure: all guest-bin
	$(TOP)/tests/bench/measure

bench-quote: all guest-bin
	$(TOP)/tests/bench/quote

# The verifier under load on loopback (not a test: make check skips it).
bench-verifier: userspace
	$(MAKE) -C $(TOP)/verifier BUILD=$(BUILD) $(BUILD)/tests/verifier/hrot-soft-attester
	$(MAKE) -C $(TOP)/tests/bench/verifier BUILD=$(BUILD)
	BUILD=$(BUILD) $(TOP)/tests/bench/verifier/run

# hrot-unlock open against clevis luks unlock (tang on the host) of one
# LUKS2 volume in one guest (not a test: make check skips it).
bench-unlock: all guest-bin
	$(TOP)/tests/bench/unlock/run
