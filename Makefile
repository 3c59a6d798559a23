# Parley - one non-recursive GNU Makefile.
#
#   make            build build/parley
#   make run        install what is missing, build, serve http://127.0.0.1:8080 (data in ./var)
#   make test       install what is missing, build, run every test suite
#   make WERROR=1   warnings are errors          (objects in build/werror)
#   make SANITIZE=address,undefined              (objects in build/sanitize)
#   make BENCH=1    the benchmark build: GET /bench/ceiling (objects in build-bench)
#   make bench-seed the data generator build/parley-bench-seed (bench/seed.c)
#   make bench SIZE=M   seed (cached), serve, run every load script, one table
#
# Dependencies come through pkg-config; scripts/deps.sh installs the Debian
# packages when they are missing.

PKGS      := libmicrohttpd jansson sqlite3 libsodium gdlib libqrencode
CC        ?= cc

ifeq ($(BENCH),1)
BUILD     ?= build-bench
else ifdef SANITIZE
BUILD     ?= build/sanitize
else ifeq ($(WERROR),1)
BUILD     ?= build/werror
else
BUILD     ?= build
endif

CFLAGS    ?= -O2 -g
CFLAGS    += -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter \
             -fno-strict-aliasing -D_FORTIFY_SOURCE=2 -pthread
CPPFLAGS  += -Isrc -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libwslay (WebSocket framing) ships no pkg-config file in Debian: linked by name
LDLIBS    += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lcmark-gfm -lwslay -lpthread -lm
ifeq ($(WERROR),1)
CFLAGS    += -Werror
endif
ifeq ($(BENCH),1)
CPPFLAGS  += -DPARLEY_BENCH
endif
ifdef SANITIZE
CFLAGS    += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=$(SANITIZE)
endif

SRC       := $(sort $(wildcard src/lib/*.c src/http/*.c src/store/*.c src/model/*.c src/jobs/*.c \
                                src/api/*.c src/api/*/*.c src/web/*.c))
OBJ       := $(SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/embedded.o
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

HTMX      := node_modules/htmx.org/dist/htmx.min.js
HTMX_SSE  := node_modules/htmx-ext-sse/dist/sse.min.js
EMBED_IN  := $(sort $(wildcard src/web/templates/*.html src/web/static/*.css src/web/static/*.svg src/web/static/*.png src/web/static/*.js \
                                src/store/migrations/*.sql))
EMBED_ARGS = $(sort $(foreach f,$(EMBED_IN),$(patsubst src/web/%,%,$(patsubst src/store/%,%,$(f)))=$(f)) \
             static/htmx.min.js=$(HTMX) static/htmx-sse.min.js=$(HTMX_SSE))

.PHONY: all deps test-deps run test unit check-banned clean
.DELETE_ON_ERROR:

all: $(BUILD)/parley

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/parley: $(BUILD)/obj/src/main.o $(BUILD)/libparley.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libparley.a: $(OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBED_IN) $(HTMX) $(HTMX_SSE) Makefile
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(EMBED_ARGS)

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -Wall -Wextra -o $@ $<

$(HTMX) $(HTMX_SSE) &: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(HTMX) $(HTMX_SSE)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libparley.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libparley.a $(LDLIBS)

unit: $(UNIT_BIN)

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	$(BUILD)/parley serve --data var

test: test-deps
	@$(MAKE) --no-print-directory all bench-seed unit check-banned
	@BUILD=$(BUILD) tests/run.sh

check-banned:
	@scripts/check-banned.sh

clean:
	rm -rf build build-bench

-include $(OBJ:.o=.d) $(BUILD)/obj/src/main.d $(BUILD)/obj/bench/seed.d

# libFuzzer targets for the parsers that face the network (needs clang with
# libFuzzer: Debian's clang and libclang-rt-14-dev). FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
FUZZ_SRC  := $(filter-out src/web/% src/api/% src/http/server.c src/http/auth.c src/http/response.c src/http/websocket.c src/http/stream.c, $(SRC))
.PHONY: fuzz
fuzz:
	@command -v clang >/dev/null || scripts/deps.sh fuzz
	@mkdir -p build/fuzz
	@for t in tests/fuzz/fuzz_*.c; do \
		n=$$(basename $$t .c); \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc $(shell pkg-config --cflags jansson) \
			$$t $(FUZZ_SRC) build/gen/embedded.c -o build/fuzz/$$n $(LDLIBS) || exit 1; \
		c=tests/fuzz/corpus/$${n#fuzz_}; mkdir -p build/fuzz/corpus-$$n; \
		build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/corpus-$$n $$c || exit 1; \
	done

# Refresh the screenshots in docs/screenshots from the real UI.
.PHONY: screenshots
screenshots: test-deps all
	PARLEY_SCREENSHOTS=1 PARLEY_BIN=$(CURDIR)/$(BUILD)/parley /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/browser/test_browser_screenshots.py

# The benchmarks (issue 8; figures and commands in docs/PERFORMANCE.md).
# `make bench` (SIZE=S, the default) and `make bench SIZE=M|L`: seed an
# organisation through the store layer (cached in var/bench-cache/ by size,
# seed, schema and generator version), build the benchmark build (BENCH=1, with the
# ceiling route), serve it, run every load script (wrk + Lua, bounded in
# time) and print one table. BENCH_SECS seconds per script (default 10).
# `make bench-conversations` is the earlier quick run of the conversation
# scripts. Needs wrk.
SIZE      ?= S
SEED      ?= 1
BENCH_SECS ?= 10
.PHONY: bench bench-seed bench-conversations
bench-seed: $(BUILD)/parley-bench-seed

$(BUILD)/parley-bench-seed: $(BUILD)/obj/bench/seed.o $(BUILD)/libparley.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench: all bench-seed
	@$(MAKE) --no-print-directory BENCH=1 all
	SIZE=$(SIZE) SEED=$(SEED) SECS=$(BENCH_SECS) SEED_BIN=$(BUILD)/parley-bench-seed \
		PARLEY_BIN=build-bench/parley bench/run.sh

bench-conversations: all
	PARLEY_BIN=$(BUILD)/parley bench/home_timeline.sh 5 64 50 2000 20
	PARLEY_BIN=$(BUILD)/parley /usr/bin/python3 bench/post_fanout.py --followers 5000 --streams 50 --rounds 50
	PARLEY_BIN=$(BUILD)/parley /usr/bin/python3 bench/sse_idle.py --streams 500 --idle 16
