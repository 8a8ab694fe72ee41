# SPDX-License-Identifier: GPL-2.0
# xdplb build: BPF objects (clang -target bpf) -> libbpf skeletons (bpftool) -> xdplb binary.
# All output goes to build/. `make V=1` shows the commands.

VERSION     := 0.1.0
BUILD       := build
CLANG       ?= clang
CC          ?= cc
BPFTOOL     ?= bpftool
PKGS        := libbpf libxdp
ARCH        := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

# What needs the toolchain is asked for when a recipe first uses it, never while the
# Makefile is read: `make demo` parses it before tests/deps.sh has installed gcc and
# pkg-config. (`lazy` runs the command once, on first use, and keeps its output.)
lazy         = $(eval $(1) := $$(shell $(2)))$($(1))
MULTIARCH    = $(call lazy,MULTIARCH,$(CC) -dumpmachine)
PKG_CFLAGS   = $(call lazy,PKG_CFLAGS,pkg-config --cflags $(PKGS))
PKG_LIBS     = $(call lazy,PKG_LIBS,pkg-config --libs $(PKGS))
BPF_CFLAGS   = -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -MMD -MP \
               -I/usr/include/$(MULTIARCH)
CFLAGS      ?= -O2 -g
CFLAGS      += -Wall -Wextra -Werror -MMD -MP -I. -Iuser -I$(BUILD) -DXDPLB_VERSION='"$(VERSION)"' \
               $(PKG_CFLAGS)
LDLIBS      += $(PKG_LIBS) -lpcap -lelf -lz -lm

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

KERN_OBJS   := $(BUILD)/xdplb.bpf.o $(BUILD)/xdplb_explain.bpf.o $(BUILD)/xdplb_events.bpf.o \
               $(BUILD)/xdplb_probe.bpf.o
SKELS       := $(KERN_OBJS:.bpf.o=.skel.h)
# user/ in layers: cmd/ (one mode each) over core/ (instances, tables) over sys/ (the
# kernel and the OS); a file includes its own layer and those below (tests/test_layers.sh).
USER_SRCS   := $(wildcard user/*.c user/cmd/*.c user/core/*.c user/sys/*.c)
USER_OBJS   := $(USER_SRCS:%.c=$(BUILD)/%.o)
LIB_OBJS    := $(filter-out $(BUILD)/user/main.o,$(USER_OBJS))
TEST_SRCS   := $(wildcard tests/test_*.c)
TEST_BINS   := $(TEST_SRCS:%.c=$(BUILD)/%)
TEST_LIB    := $(BUILD)/tests/harness.o $(patsubst %.c,$(BUILD)/%.o,$(filter-out tests/harness.c tests/%.bpf.c $(TEST_SRCS),$(wildcard tests/*.c)))
TEST_BPF    := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/*.bpf.c))
BENCH_BPF   := $(wildcard bench/*.bpf.c)
BENCH_SKELS := $(BENCH_BPF:%.bpf.c=$(BUILD)/%.skel.h)
BENCH_BINS  := $(patsubst %.c,$(BUILD)/%,$(filter-out $(BENCH_BPF) bench/decision_xdpbench.c bench/decision_frames.c,$(wildcard bench/*.c)))

# Install layout. The configuration stays in /etc whatever the prefix: the unit reads it
# there, as operators expect. DESTDIR stages the tree for a package.
PREFIX      ?= /usr/local
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR     ?= $(PREFIX)/lib/systemd/system
DOCDIR      ?= $(PREFIX)/share/doc/xdplb
SYSCONFDIR  ?= /etc
EXAMPLES    := README.md exabgp/exabgp.conf kubernetes/xdplb-daemonset.yaml
INSTALLED   := $(SBINDIR)/xdplb $(MANDIR)/man8/xdplb.8 $(BASHCOMPDIR)/xdplb \
               $(UNITDIR)/xdplb@.service $(UNITDIR)/xdplb-balance@.service \
               $(DOCDIR)/examples/eth0.conf $(addprefix $(DOCDIR)/examples/,$(EXAMPLES))

.DELETE_ON_ERROR:
.PHONY: all test demo bench clean tests-build install uninstall
.SECONDARY:

all: $(BUILD)/xdplb $(TEST_BINS) $(TEST_BPF) $(BENCH_BINS)

$(BUILD)/%.bpf.o: kern/%.bpf.c | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.bpf.o: tests/%.bpf.c
	@mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.bpf.o: bench/%.bpf.c
	@mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst .bpf.o,,$(notdir $<)) > $@

$(BUILD)/%.o: %.c $(SKELS) $(BENCH_SKELS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/xdplb: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_LIB) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/bench/%: $(BUILD)/bench/%.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# decision_cost times the real program as the C suites load it.
$(BUILD)/bench/decision_cost: $(BUILD)/bench/decision_xdpbench.o $(BUILD)/bench/decision_frames.o $(TEST_LIB) $(LIB_OBJS)
$(BUILD)/bench/decision_ab: $(BUILD)/bench/decision_xdpbench.o $(BUILD)/bench/decision_frames.o $(TEST_LIB) $(LIB_OBJS)
$(BUILD)/bench/balance_cost: $(TEST_LIB) $(LIB_OBJS)

$(BUILD):
	@mkdir -p $@

# The unit names the installed binary and configuration, so it is made at install time, for
# the layout asked for then.
install: $(BUILD)/xdplb
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		systemd/xdplb@.service.in > $(BUILD)/xdplb@.service
	$(Q)sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		systemd/xdplb-balance@.service.in > $(BUILD)/xdplb-balance@.service
	$(Q)install -D -m 0755 $(BUILD)/xdplb $(DESTDIR)$(SBINDIR)/xdplb
	$(Q)install -D -m 0644 doc/xdplb.8 $(DESTDIR)$(MANDIR)/man8/xdplb.8
	$(Q)install -D -m 0644 completion/xdplb $(DESTDIR)$(BASHCOMPDIR)/xdplb
	$(Q)install -D -m 0644 $(BUILD)/xdplb@.service $(DESTDIR)$(UNITDIR)/xdplb@.service
	$(Q)install -D -m 0644 $(BUILD)/xdplb-balance@.service $(DESTDIR)$(UNITDIR)/xdplb-balance@.service
	$(Q)install -D -m 0644 systemd/xdplb.conf.example $(DESTDIR)$(DOCDIR)/examples/eth0.conf
	$(Q)for f in $(EXAMPLES); do \
		install -D -m 0644 doc/examples/$$f $(DESTDIR)$(DOCDIR)/examples/$$f || exit 1; done
	$(Q)install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/xdplb

# Removes what install put, and xdplb's own directories; the configuration directory only
# when empty, so an operator's files stay.
uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(Q)rmdir $(DESTDIR)$(DOCDIR)/examples/exabgp $(DESTDIR)$(DOCDIR)/examples/kubernetes \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/xdplb \
		2>/dev/null || true

test: all
	bash tests/run.sh

# The demo installs what a fresh Debian 12 machine lacks before building.
demo:
	bash tests/deps.sh
	$(MAKE) all
	bash tests/demo.sh

bench: all
	bash bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.d $(BUILD)/*/*.d $(BUILD)/*/*/*.d)
