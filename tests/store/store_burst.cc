// For the kill -9 test (kill9_test.py): appends ENTERQUEUE events for calls 1, 2, 3... through
// the store thread (StoreWriter, as callq serve does) at `rate` per second until killed, and
// after each millisecond's events prints "<last call handed over> <CLOCK_MONOTONIC ms>", so the
// test knows what had been handed over when it sent SIGKILL; after each commit, the store thread
// prints "committed <last call>", so it knows what the store had said was durable.
// Usage: store_burst URL RATE
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "store/writer.h"

int main(int argc, char** argv) {
  using namespace callq::store;
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_burst URL RATE\n");
    return 2;
  }
  auto store = Store::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  const long rate = std::atol(argv[2]);
  StoreWriter::Options options;
  options.onError = [](const std::string& m) { std::fprintf(stderr, "store: %s\n", m.c_str()); };
  // One write(2) per line: the two threads' lines never interleave within a line.
  options.onCommitted = [](const std::vector<EventRecord>& batch) {
    char line[64];
    const int n = std::snprintf(line, sizeof line, "committed %llu\n",
                                static_cast<unsigned long long>(batch.back().call));
    [[maybe_unused]] const ssize_t w = write(1, line, static_cast<std::size_t>(n));
  };
  StoreWriter writer(std::move(*store), options);
  std::printf("ready\n");
  std::fflush(stdout);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::uint64_t call = 0;
  for (long ms = 1;; ++ms) {
    const std::uint64_t due = static_cast<std::uint64_t>(rate * ms / 1000);
    while (call < due) {
      ++call;
      EventRecord e;
      e.timeMs = 1'767'225'600'000 + static_cast<std::int64_t>(call);
      e.type = "ENTERQUEUE";
      e.call = call;
      e.queue = "sales";
      e.position = 1;
      e.reason = "+3225550000";
      if (!writer.add(std::move(e))) {
        std::fprintf(stderr, "queue full at call %llu\n", static_cast<unsigned long long>(call));
        return 1;
      }
    }
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    char line[64];
    const int n =
        std::snprintf(line, sizeof line, "%llu %lld\n", static_cast<unsigned long long>(call),
                      static_cast<long long>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000);
    if (write(1, line, static_cast<std::size_t>(n)) != n) {
      return 1;
    }
    std::this_thread::sleep_until(start + std::chrono::milliseconds(ms));
  }
}
