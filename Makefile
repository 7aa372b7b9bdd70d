# callq: `make run` and `make test` are all a newcomer needs (see README.md).
BUILD ?= build
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
SOURCE_DIRS := $(wildcard src tests bench sim)

.PHONY: all deps build test test-sanitize run bench-core bench-sim bench-sip bench-store format clean

all: build

# Missing Debian packages (apt-get runs only when something is missing).
deps:
	scripts/install-deps

# Configure once (later builds let CMake re-run itself when a CMakeLists.txt changes), then build.
build: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then cmake -S . -B $(BUILD) $(CMAKE_FLAGS); fi
	cmake --build $(BUILD) -j2
	scripts/build-web

test: build test-sanitize
	ctest --test-dir $(BUILD) --output-on-failure -j2
	scripts/lint

# The engine's tests again under AddressSanitizer and UndefinedBehaviorSanitizer (STYLE.md).
SAN_BUILD ?= build-asan
test-sanitize: deps
	@if [ ! -f $(SAN_BUILD)/build.ninja ]; then cmake -S . -B $(SAN_BUILD) -G Ninja \
	  -DCMAKE_BUILD_TYPE=Debug -DCALLQ_SANITIZE=ON -DCALLQ_BENCH=OFF; fi
	cmake --build $(SAN_BUILD) -j2 --target core_test
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ./$(SAN_BUILD)/tests/core/core_test --gtest_brief=1

# Serves the demo configuration until Ctrl-C: SIP on 127.0.0.1:5060 (UDP and TCP), everything kept
# in var/callq.db (SQLite), events also appended to var/events.jsonl. README "Calling in" shows how
# to register a softphone and call a queue; "Reports" how to read the database back.
run: build
	./$(BUILD)/callq check config/demo.toml
	mkdir -p var
	@echo "Console: http://127.0.0.1:8080/ (sign in as manager / demo, or as an agent: alice / demo201, bob / demo202, carol / demo203, dave / demo204). API: http://127.0.0.1:8080/api/v1 (docs/api.md)."
	./$(BUILD)/callq serve config/demo.toml --store var/callq.db --events var/events.jsonl

bench-core: build
	./$(BUILD)/bench/bench_core

# One simulated day of a 1,000-agent centre (~300,000 calls): wall time and events per second.
bench-sim: build
	bench/sim_day.sh ./$(BUILD)/callq $(BUILD)/bench

# Queue calls through `callq serve` on loopback, SIPp as callers and as 1,000 auto-answering agent
# phones (bench/sip_bench.py): RATE calls/s (default 1000) for 10 s, 200 ms talk, signalling
# only. RTP=1: both sides echo RTP, 1 s talk, 2,000 agents. SEARCH=1: the highest rate with under
# 0.1 % failed calls, starting from RATE. Last line: calls_per_s=N failed=N p50_ms=X p99_ms=Y.
RATE ?= 1000
bench-sip: build
	bench/sip_bench.py ./$(BUILD)/callq $(BUILD)/bench/sip --rate $(RATE) \
	  $(if $(RTP),--rtp --talk-ms 1000 --agents 2000) $(if $(SEARCH),--search)

# Events appended per second on SQLite and on a throwaway PostgreSQL (1,000,000 events in batches
# of 1,000), then a month's statistics over 10,000,000 events (SQLite). A few minutes.
bench-store: build
	bench/store_bench.sh ./$(BUILD)/bench/bench_store $(BUILD)/bench/store

format:
	find $(SOURCE_DIRS) -type f \( -name '*.h' -o -name '*.cc' \) -exec clang-format -i {} +

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
