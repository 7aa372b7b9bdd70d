// make bench-store: how fast the store appends events, and how fast a month's statistics come
// back over 10 million events.
//
//   store_bench --sqlite FILE [--postgres URL] [--events N] [--month-events M]
//
// Appends N events (default 1,000,000) in batches of 1,000 through Store::append, as the store
// thread does: a day of queue calls (ENTERQUEUE, RINGNOANSWER, CONNECT, COMPLETECALLER per call,
// agents' pauses now and then, and a durable-state record per answered call). Then fills a
// second SQLite file with M events (default 10,000,000) spread over 31 days and times the month's
// per-queue and per-agent statistics, the last call id (read at every start) and one agent's
// day of events. Prints the figures, then the last line
//   sqlite_events_per_s=N postgres_events_per_s=M
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/store.h"

namespace {

using callq::store::Batch;
using callq::store::EventRecord;
using callq::store::Store;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kStart = 1'767'225'600'000;  // 2026-01-01T00:00Z
constexpr int kQueues = 20;
constexpr int kAgents = 1000;

// The events of call `n`, which arrives at `at`: 4 events, plus a pause every 50th call.
void callEvents(std::uint64_t n, std::int64_t at, Batch& b) {
  const std::string queue = "queue-" + std::to_string(n % kQueues);
  const std::string agent = "agent-" + std::to_string(n % kAgents);
  const std::int64_t wait = static_cast<std::int64_t>((n * 7919) % 60'000);
  auto add = [&](std::int64_t t, const char* type) -> EventRecord& {
    EventRecord& e = b.events.emplace_back();
    e.timeMs = t;
    e.type = type;
    e.call = n;
    e.queue = queue;
    return e;
  };
  add(at, "ENTERQUEUE").reason = "+3225550000";
  EventRecord& rna = add(at + wait / 2, "RINGNOANSWER");
  rna.agent = "agent-" + std::to_string((n + 1) % kAgents);
  rna.ringMs = 15'000;
  rna.reason = "no answer";
  EventRecord& c = add(at + wait, "CONNECT");
  c.agent = agent;
  c.waitMs = wait;
  EventRecord& done = add(at + wait + 180'000, "COMPLETECALLER");
  done.agent = agent;
  done.waitMs = wait;
  done.talkMs = 180'000;
  if (n % 50 == 0) {
    EventRecord& p = b.events.emplace_back();
    p.timeMs = at + 1000;
    p.type = "PAUSE";
    p.agent = agent;
    p.reason = "lunch";
  }
  b.agents.push_back(callq::store::AgentStateRecord{
      agent, "ready", "", at, at + wait + 180'000, {{queue, true, 1, 3, 540'000}}});
}

std::unique_ptr<Store> open(const std::string& url) {
  auto s = Store::open(url);
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().message.c_str());
    std::exit(1);
  }
  return std::move(*s);
}

// Appends about `events` events, calls spread evenly over `spanMs`; returns events per second.
double fill(Store& store, std::uint64_t events, std::int64_t spanMs, bool progress) {
  const std::uint64_t calls = events * 50 / 201;  // 4.02 events per call
  Batch b;
  std::uint64_t written = 0;
  const auto t0 = Clock::now();
  for (std::uint64_t n = 1; n <= calls; ++n) {
    callEvents(
        n, kStart + static_cast<std::int64_t>(n * static_cast<std::uint64_t>(spanMs) / calls), b);
    if (b.events.size() >= 1000 || n == calls) {
      written += b.events.size();
      if (auto ok = store.append(b); !ok) {
        std::fprintf(stderr, "append: %s\n", ok.error().message.c_str());
        std::exit(1);
      }
      b.clear();
      if (progress && n % 250'000 < 250) {
        std::fprintf(stderr, "\r  %llu events", static_cast<unsigned long long>(written));
      }
    }
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (progress) {
    std::fprintf(stderr, "\n");
  }
  return static_cast<double>(written) / s;
}

void removeSqlite(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string sqlite;
  std::string postgres;
  std::uint64_t events = 1'000'000;
  std::uint64_t monthEvents = 10'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--sqlite") {
      sqlite = argv[i + 1];
    } else if (arg == "--postgres") {
      postgres = argv[i + 1];
    } else if (arg == "--events") {
      events = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (arg == "--month-events") {
      monthEvents = std::strtoull(argv[i + 1], nullptr, 10);
    }
  }
  if (sqlite.empty()) {
    std::fprintf(stderr,
                 "usage: store_bench --sqlite FILE [--postgres URL] [--events N] "
                 "[--month-events M]\n");
    return 2;
  }
  const std::int64_t day = 86'400'000;
  removeSqlite(sqlite);
  const double sqliteRate = fill(*open(sqlite), events, day, false);
  std::printf("SQLite: %.0f events/s appended (%llu events, batches of 1,000)\n", sqliteRate,
              static_cast<unsigned long long>(events));
  double postgresRate = 0;
  if (!postgres.empty()) {
    postgresRate = fill(*open(postgres), events, day, false);
    std::printf("PostgreSQL: %.0f events/s appended\n", postgresRate);
  }
  std::fflush(stdout);

  // A month of 10 million events, then its statistics.
  const std::string month = sqlite + ".month";
  removeSqlite(month);
  std::fprintf(stderr, "filling a month of %llu events...\n",
               static_cast<unsigned long long>(monthEvents));
  std::unique_ptr<Store> store = open(month);
  fill(*store, monthEvents, 31 * day, true);
  callq::store::StatsQuery q;
  q.fromMs = kStart;
  q.toMs = kStart + 31 * day;
  q.nowMs = q.toMs;
  q.interval = callq::store::Interval::kDay;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Clock::now();
    auto queues = store->queueStats(q);
    const double queueMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    t0 = Clock::now();
    auto agents = store->agentStats(q);
    const double agentMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!queues || !agents) {
      std::fprintf(stderr, "stats failed\n");
      return 1;
    }
    std::printf(
        "month statistics over %llu events: per queue and day %.1f ms (%zu rows), per "
        "agent and day %.1f ms (%zu rows)\n",
        static_cast<unsigned long long>(monthEvents), queueMs, queues->size(), agentMs,
        agents->size());
  }
  // What a start and an agent's report read from the same month.
  for (int round = 0; round < 3; ++round) {
    auto t0 = Clock::now();
    auto last = store->lastCallId();
    const double lastMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    callq::store::EventFilter f;
    f.agent = "agent-7";
    f.fromMs = kStart + 4 * day;
    f.toMs = kStart + 5 * day;
    t0 = Clock::now();
    auto page = store->events(f);
    const double agentMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!last || !page) {
      std::fprintf(stderr, "reads failed\n");
      return 1;
    }
    std::printf("last call id at start %.2f ms; one agent's day of events %.1f ms (%zu events)\n",
                lastMs, agentMs, page->events.size());
  }
  std::printf("sqlite_events_per_s=%.0f postgres_events_per_s=%.0f\n", sqliteRate, postgresRate);
  return 0;
}
