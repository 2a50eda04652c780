# mk/c-flags.mk: what the C Makefiles of userspace/, verifier/ and
# tests/bench/verifier/ share, so that they build with one warning set:
# the tools, kernel-style output lines, -Werror warnings, sanitizers.
# Included after TOP is set; the includer adds its own -I and libraries.

CC ?= cc
FUZZ_CC ?= clang
CPPCHECK ?= cppcheck
CLANG_TIDY ?= clang-tidy
PKG_CONFIG ?= pkg-config

ifeq ($(V),1)
Q :=
else
Q := @
endif
# $(call msg,WHAT,TARGET): one kernel-style line per step unless V=1.
msg = $(if $(Q),@printf '  %-7s %s\n' '$(1)' '$(2)')

# $(call pc,MODULES,FALLBACK): pkg-config --libs MODULES, else FALLBACK.
pc = $(or $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null),$(2))

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
	-Wformat=2 -Wvla -Wundef -Wwrite-strings -Wcast-align \
	-Wnull-dereference -Wdouble-promotion
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 $(WARNINGS) -fstack-protector-strong
DEPFLAGS = -MMD -MP

# SANITIZE=1 adds ASan and UBSan to everything, aborting on the first report.
ifeq ($(SANITIZE),1)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
CFLAGS += $(SAN)
LDFLAGS += $(SAN)
else
CPPFLAGS += -D_FORTIFY_SOURCE=2
endif
