# lcmtui — see README.md. `make run` and `make check` are the two commands a newcomer needs.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
CC         ?= cc
BUILD      ?= build
PKGS       := ncursesw sqlite3 libcurl libconfig jansson libical libpq
# Every Debian package the build, the tests, the benchmarks and CI use (beyond the ones Debian
# installs everywhere; libclang-rt-dev is clang's sanitizer and libFuzzer runtimes, only
# recommended by clang); tests/e2e_deps.sh fails when a script uses a command that none of
# them brings.
DEBS       := build-essential pkg-config libncurses-dev libsqlite3-dev libcurl4-openssl-dev \
              libconfig-dev libjansson-dev libical-dev libcsv-dev libcmocka-dev \
              clang clang-tools clang-format libclang-rt-dev \
              sqlite3 tmux python3 python3-aiosmtpd radicale tidy curl openssl procps time \
              groff-base git bc gettext locales libpq-dev postgresql dovecot-imapd pgbouncer
WARN       := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Werror
OPT        ?= -O2 -g
CFLAGS_ALL := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(OPT) \
              -DLCM_VERSION='"$(VERSION)"' -DLCM_DATADIR='"$(PREFIX)/share/lcmtui"' \
              -DLCM_LOCALEDIR='"$(PREFIX)/share/locale"' \
              -Icore -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS       := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
TEST_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null)

CORE_SRC   := $(sort $(wildcard core/*/*.c))
TUI_SRC    := $(sort $(wildcard tui/*.c))
CLI_SRC    := $(sort $(wildcard cli/*.c))
TEST_SRC   := $(sort $(wildcard tests/test_*.c))
CORE_OBJ   := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ    := $(TUI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ    := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN   := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIBCORE    := $(BUILD)/libcore.a
LIBTUI     := $(BUILD)/libtui.a
BIN        := $(BUILD)/lcmtui
# The catalogs: po/lcmtui.pot from the sources (make pot), po/LANG.po translated, compiled to
# BUILD/locale/LANG/LC_MESSAGES/lcmtui.mo (found there by BUILD/lcmtui: make run).
LINGUAS    := fr
I18N_SRC   := $(sort $(wildcard core/*/*.[ch] tui/*.[ch] cli/*.[ch]))
MO         := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/lcmtui.mo)
XGETTEXT   := xgettext --from-code=UTF-8 --language=C -k_ -kN_ -kLCM_N_ -kngettext:1,2 \
              --flag=_:1:pass-c-format --flag=tui_state_msg:3:c-format --flag=lcm_err_set:3:c-format --flag=form_hint:2:c-format --flag=form_title:2:c-format --flag=rich_line_addf:3:c-format \
              --sort-output --add-location=file --package-name=lcmtui \
              --package-version=$(VERSION) --msgid-bugs-address=lcmtui@example.org
FORMAT_SRC := $(sort $(wildcard core/*/*.[ch] tui/*.[ch] cli/*.[ch] tests/*.[ch] tests/fuzz/*.[ch]))
# libFuzzer targets (tests/fuzz/fuzz_NAME.c): `make fuzz` builds them with clang in build-fuzz/
# (the library with -fsanitize=fuzzer-no-link so coverage reaches it) and runs each for
# FUZZ_SECONDS; FUZZ_TARGETS="when csv" picks some.
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_SECONDS ?= 10
FUZZ_JOBS  ?= 1
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps run check test asan lint bench screens install uninstall clean format fuzz \
        fuzz-bins pot

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(LIBTUI): $(TUI_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIBTUI) $(LIBCORE) | $(MO)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/tests/%: tests/%.c $(LIBTUI) $(LIBCORE) tests/testutil.h tests/db_fixture.h tests/store_fixture.h
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS_ALL) -Itests -o $@ $< $(LIBTUI) $(LIBCORE) $(LIBS) $(TEST_LIBS) $(LDFLAGS)

# A fuzz target: the harness with libFuzzer's main, over the instrumented archives.
$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIBTUI) $(LIBCORE)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(CC) $(CFLAGS_ALL) -Itests -fsanitize=fuzzer -o $@ $< $(LIBTUI) $(LIBCORE) $(LIBS) $(LDFLAGS)

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%)

$(BUILD)/locale/%/LC_MESSAGES/lcmtui.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $<"
	@msgfmt -c --statistics -o $@ $<

# Regenerates po/lcmtui.pot from the sources and merges it into each po/LANG.po (then
# translate what is new: tests/e2e_po.sh fails on any msgid missing, untranslated or fuzzy).
pot:
	@echo "  XGETTEXT po/lcmtui.pot"
	@$(XGETTEXT) -o po/lcmtui.pot $(I18N_SRC)
	@for l in $(LINGUAS); do msgmerge -q --update --backup=none --no-wrap po/$$l.po po/lcmtui.pot; done

# Installs the Debian packages that are missing (as root), or says exactly what to run.
deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "deps: missing packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
	fi

# Opens the TUI. With no config and no database yet, it builds the demo database first.
run: deps
	@$(MAKE) --no-print-directory all
	@$(BIN) $(ARGS)

# The whole suite: unit tests (cmocka) then the end-to-end scripts in tests/*.sh, with a
# throwaway PostgreSQL server for the run (tests/pg_cluster.sh; test_db's PostgreSQL half).
check: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@./tests/pg_cluster.sh run ./tests/run_all.sh $(BUILD)

test: all $(TEST_BIN)
	@./tests/pg_cluster.sh run ./tests/run_all.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/lcmtui $(TEST_SRC:tests/%.c=build-asan/tests/%)
	@ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1 ./tests/pg_cluster.sh run ./tests/run_all.sh build-asan

# Each libFuzzer target for FUZZ_SECONDS (ASan+UBSan); see README "Fuzzing" for long runs.
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  OPT="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" LDFLAGS="$(FUZZ_SAN)" \
	  FUZZ_TARGETS="$(FUZZ_TARGETS)" fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh build-fuzz $(FUZZ_TARGETS)

# Static checks: the layer rules (tests/check_layers.sh), the committed format (clang-format),
# and clang's static analyser over the program (core, tui, cli: the tests are left out, as
# cmocka's assertions do not tell the analyser they stop the test) built from scratch in
# build-scan/ with clang. Any finding fails the target; the HTML reports stay in
# build-scan/report/.
lint: deps
	@tests/check_layers.sh
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "clang-format: ok ($(words $(FORMAT_SRC)) files)"
	@rm -rf build-scan
	@scan-build --use-cc=clang --status-bugs -o build-scan/report \
	  $(MAKE) --no-print-directory BUILD=build-scan all
	@echo "scan-build: no finding"
	@tests/check_names.sh build-scan

bench: all
	@./bench/run.sh $(BIN)

# Rewrites tests/screens/*.screen from the current binary (tests/e2e_screens.sh compares them);
# review the change with `git diff tests/screens`.
screens: all
	@LCMTUI=$(CURDIR)/$(BIN) SCREENS_UPDATE=1 ./tests/e2e_screens.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/lcmtui
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/lcmtui
	install -m 644 doc/lcmtui.1 $(DESTDIR)$(PREFIX)/share/man/man1/lcmtui.1
	cp -R themes data $(DESTDIR)$(PREFIX)/share/lcmtui/
	@for l in $(LINGUAS); do \
	  install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/lcmtui.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/lcmtui.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lcmtui $(DESTDIR)$(PREFIX)/share/man/man1/lcmtui.1
	rm -rf $(DESTDIR)$(PREFIX)/share/lcmtui
	rm -f $(LINGUAS:%=$(DESTDIR)$(PREFIX)/share/locale/%/LC_MESSAGES/lcmtui.mo)

format:
	clang-format -i $(FORMAT_SRC)

# `make -s print-DEBS` prints a variable's value (tests/e2e_deps.sh reads DEBS and CC so).
print-%:
	@echo $($*)

clean:
	rm -rf build build-*

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
