# SPDX-License-Identifier: GPL-2.0
#
# make                  build lbnic.ko for KDIR and the userspace tools
# make install          install both (DESTDIR, PREFIX honoured)
# make check            install test dependencies, build for every supported
#                       kernel, run static checks and the VM suite
# make check-debug      the VM suite on a KASAN/lockdep/kmemleak 6.12 kernel
#                       built from linux-source-6.12 (about 10 min more)
# make demo             boot a VM and show lbnic at work
# make bench            lbnic beside IPVS, nftables and plain forwarding,
#                       in one VM (about an hour; QUICK=1: fewer rounds);
#                       see Documentation/performance.rst
# make checkpatch       run checkpatch.pl --strict over the kernel sources
# make fuzz             fuzz the HTTP request parser in userspace, FUZZ_RUNS
#                       executions (10 million, a few minutes)

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr
DESTDIR ?=

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

install: module-install userspace-install

module-install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install

userspace-install: userspace
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -D -m 0644 Documentation/lbnic.8 $(DESTDIR)$(PREFIX)/share/man/man8/lbnic.8
	install -D -m 0644 Documentation/lbnicd.8 $(DESTDIR)$(PREFIX)/share/man/man8/lbnicd.8

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C bench clean
	$(MAKE) -C selftests/http clean
	rm -rf build

check:
	scripts/check.sh

check-debug:
	scripts/deps.sh
	LBNIC_TIMEOUT_SCALE=4 \
		selftests/vm/run.sh -k $$(scripts/debug-kernel.sh | tail -n 1)

demo:
	scripts/demo.sh

bench:
	BENCH_QUICK=$(or $(QUICK),$(BENCH_QUICK)) bench/run.sh

checkpatch:
	scripts/checkpatch.sh

fuzz:
	scripts/deps.sh
	$(MAKE) -C selftests/http fuzz $(if $(FUZZ_RUNS),FUZZ_RUNS=$(FUZZ_RUNS))

.PHONY: all module userspace install module-install userspace-install \
	clean check check-debug demo bench checkpatch fuzz
