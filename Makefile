# callq: `make run` and `make test` are all a newcomer needs (see README.md).
BUILD ?= build
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
SOURCE_DIRS := $(wildcard src tests bench sim)

.PHONY: all deps build test test-sanitize run bench-core bench-sim format clean

all: build

# Missing Debian packages (apt-get runs only when something is missing).
deps:
	scripts/install-deps

# Configure once (later builds let CMake re-run itself when a CMakeLists.txt changes), then build.
build: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then cmake -S . -B $(BUILD) $(CMAKE_FLAGS); fi
	cmake --build $(BUILD) -j2

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

# Serves the demo configuration until Ctrl-C: SIP on 127.0.0.1:5060 (UDP and TCP), events appended
# to var/events.jsonl. README "Calling in" shows how to register a softphone and call a queue.
run: build
	./$(BUILD)/callq check config/demo.toml
	mkdir -p var
	./$(BUILD)/callq serve config/demo.toml --events var/events.jsonl

bench-core: build
	./$(BUILD)/bench/bench_core

# One simulated day of a 1,000-agent centre (~300,000 calls): wall time and events per second.
bench-sim: build
	bench/sim_day.sh ./$(BUILD)/callq $(BUILD)/bench

format:
	find $(SOURCE_DIRS) -type f \( -name '*.h' -o -name '*.cc' \) -exec clang-format -i {} +

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
