// Engine benchmarks: call lifecycle throughput on a large configuration, and the cost of one
// routing decision as the number of agents grows.
//
// The engine runs on a virtual clock; the driver here plays the SIP layer: it answers every ring
// at once with the first agent rung, hangs up after a fixed talk time and lets the wrap-up
// deadline pass. Every input's Result is checked and the run aborts on the first failure, so a
// benchmark that silently does nothing cannot pass for a fast one.
//
// After the Google Benchmark runs, a fixed run of 200,000 lifecycles prints, as the very last line,
// `lifecycles_per_s=N`. `--fixed_lifecycles=N` changes its size; 0 skips it (for profiling).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/engine.h"

namespace callq::core {
namespace {

constexpr int kAgents = 10'000;
constexpr int kQueues = 1'000;
constexpr std::size_t kMaxMembers = 50;
constexpr Duration kStep{2};        // virtual time between two arrivals
constexpr Duration kTalk{2'000};    // so ~kTalk / kStep = 1,000 calls are connected at any time
constexpr Duration kWrapUp{5'000};  // and ~2,500 agents are in wrap-up
constexpr int kWarmupSteps = 10'000;
constexpr long long kDefaultFixedLifecycles = 200'000;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "core_bench: %s\n", what.c_str());
  std::abort();
}

void require(bool ok, const char* what) {
  if (!ok) {
    fail(what);
  }
}

void check(const Result<void>& r, const char* input) {
  if (!r) {
    fail(std::string(input) + " failed: " + r.error().message);
  }
}

// --- Configurations ---------------------------------------------------------------------------

// "q" + std::to_string(i) would trip g++ 12's -Wrestrict false positive at -O3 (GCC PR 105329).
std::string numbered(std::string_view prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

void addAgents(Config& c, int count) {
  c.agents.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    c.agents.push_back(
        AgentConfig{numbered("a", i), numbered("Agent ", i), std::to_string(1'000'000 + i)});
  }
}

QueueConfig makeQueue(int index, Strategy strategy) {
  QueueConfig q;
  q.name = numbered("q", index);
  q.extension = std::to_string(500'000 + index);
  q.strategy = strategy;
  q.ringTime = Duration(15'000);
  q.retry = Duration(5'000);
  q.wrapUp = kWrapUp;
  return q;
}

// Each agent joins 1-5 distinct queues drawn from a fixed seed; a queue takes at most kMaxMembers.
void assignMembers(Config& c) {
  std::mt19937_64 rng(20240611);
  std::vector<int> mine;
  for (const AgentConfig& a : c.agents) {
    const auto count = 1 + static_cast<int>(rng() % 5);
    mine.clear();
    while (static_cast<int>(mine.size()) < count) {
      const auto q = static_cast<int>(rng() % kQueues);
      auto& members = c.queues[static_cast<std::size_t>(q)].members;
      if (members.size() < kMaxMembers && std::find(mine.begin(), mine.end(), q) == mine.end()) {
        mine.push_back(q);
        members.push_back(MemberConfig{a.id, 0, true});
      }
    }
  }
}

// 10,000 agents in 1,000 queues, the eight strategies round-robin over the queues (or the seven
// that ring one agent at a time, without ring-all, to show what ring-all costs).
Config makeLifecycleConfig(bool withRingAll) {
  Config c;
  addAgents(c, kAgents);
  for (int q = 0; q < kQueues; ++q) {
    const int s = withRingAll ? q % 8 : 1 + q % 7;  // kRingAll is 0
    c.queues.push_back(makeQueue(q, static_cast<Strategy>(s)));
  }
  assignMembers(c);
  for (const QueueConfig& q : c.queues) {
    require(q.members.size() >= 10, "a queue got fewer than 10 members");
  }
  return c;
}

// One queue of `agents` static members.
Config makeRoutingConfig(int agents, Strategy strategy) {
  Config c;
  addAgents(c, agents);
  c.queues.push_back(makeQueue(0, strategy));
  c.queues[0].members.reserve(static_cast<std::size_t>(agents));
  for (const AgentConfig& a : c.agents) {
    c.queues[0].members.push_back(MemberConfig{a.id, 0, true});
  }
  return c;
}

std::unique_ptr<Engine> makeEngine(Config config) {
  auto e = Engine::create(std::move(config), EngineOptions{7});
  if (!e) {
    fail("Engine::create failed: " + e.error().message);
  }
  return std::move(*e);
}

// --- Lifecycle driver -------------------------------------------------------------------------

struct Counts {
  std::int64_t arrived = 0;
  std::int64_t connects = 0;    // CONNECT events
  std::int64_t ended = 0;       // callEnded inputs (= lifecycles once wrap-up has passed)
  std::int64_t waited = 0;      // arrivals that rang nobody at once (all members busy)
  std::int64_t rings = 0;       // RingAgent actions
  std::int64_t unexpected = 0;  // RINGNOANSWER, ABANDON, EXIT*, JOINREFUSED: none should occur
};

class Driver {
 public:
  explicit Driver(bool withRingAll = true) : engine_(makeEngine(makeLifecycleConfig(withRingAll))) {
    arrival_.callerId = "caller";
    queueCount_ = engine_->config().queues.size();
  }

  // One virtual step: due deadlines (wrap-up ends), hang-ups whose talk time is over, and one new
  // caller unless `arrive` is false.
  void tick(bool arrive) {
    now_ += kStep;
    if (engine_->nextDeadline() <= now_) {
      engine_->advance(now_);
      consume();
    }
    while (!connected_.empty() && connected_.front().end <= now_) {
      check(engine_->callEnded(now_, connected_.front().call, Party::kAgent), "callEnded");
      connected_.pop_front();
      ++counts_.ended;
      consume();
    }
    if (arrive) {
      arriveOne();
    }
  }

  // Ends every call and lets every deadline pass; afterwards the engine must be empty, every call
  // must have been connected exactly once, and nothing unexpected may have happened.
  void drain() {
    for (int guard = 0; counts_.ended < counts_.arrived || engine_->nextDeadline() != kNever;
         ++guard) {
      require(guard < 10'000'000, "drain: calls never finish (a caller is stuck waiting?)");
      tick(false);
    }
    require(engine_->activeCalls() == 0, "drain: the engine still holds calls");
    require(counts_.connects == counts_.arrived, "CONNECT events != calls arrived");
    require(counts_.unexpected == 0, "unexpected events (no answer, abandon, exit, refusal)");
  }

  const Counts& counts() const { return counts_; }

 private:
  struct Connected {
    Time end;
    CallId call;
  };

  void arriveOne() {
    arrival_.call = CallId{++lastCall_};
    arrival_.queue = QueueId{static_cast<std::uint32_t>(rng_() % queueCount_)};
    check(engine_->callArrived(now_, arrival_), "callArrived");
    ++counts_.arrived;
    if (!consume()) {
      ++counts_.waited;
    }
  }

  // Reads and clears the engine's output; answers each newly rung call with its first agent, which
  // may ring more calls (agents released from a ring-all round), hence the loop. True when any
  // agent was rung.
  bool consume() {
    bool rang = false;
    for (;;) {
      collect();
      if (rings_.empty()) {
        return rang;
      }
      rang = true;
      answered_.clear();
      for (const RingAgent& r : rings_) {
        if (std::find(answered_.begin(), answered_.end(), r.call) != answered_.end()) {
          continue;  // a ring-all round: the first agent rung answers
        }
        check(engine_->agentAnswered(now_, r.call, r.agent), "agentAnswered");
        answered_.push_back(r.call);
        connected_.push_back(Connected{now_ + kTalk, r.call});
      }
    }
  }

  void collect() {
    rings_.clear();
    for (const Action& a : engine_->actions()) {
      if (const auto* r = std::get_if<RingAgent>(&a)) {
        rings_.push_back(*r);
      }
    }
    for (const Event& e : engine_->events()) {
      countEvent(e.type);
    }
    counts_.rings += static_cast<std::int64_t>(rings_.size());
    engine_->actions().clear();
    engine_->events().clear();
  }

  void countEvent(EventType type) {
    switch (type) {
      case EventType::kConnect:
        ++counts_.connects;
        break;
      case EventType::kRingNoAnswer:
      case EventType::kAbandon:
      case EventType::kExitEmpty:
      case EventType::kExitWithTimeout:
      case EventType::kJoinRefused:
        ++counts_.unexpected;
        break;
      default:
        break;
    }
  }

  std::unique_ptr<Engine> engine_;
  std::size_t queueCount_ = 1;
  Time now_ = fromMillis(1'700'000'000'000);
  std::uint64_t lastCall_ = 0;
  std::mt19937_64 rng_{12345};  // which queue each caller dials
  CallArrival arrival_;
  std::deque<Connected> connected_;
  std::vector<RingAgent> rings_;
  std::vector<CallId> answered_;
  Counts counts_;
};

void BM_Lifecycle(benchmark::State& state, bool withRingAll) {
  Driver d(withRingAll);
  for (int i = 0; i < kWarmupSteps; ++i) {
    d.tick(true);
  }
  const Counts before = d.counts();
  for (auto _ : state) {
    d.tick(true);
  }
  const Counts after = d.counts();
  const std::int64_t lifecycles = after.ended - before.ended;
  state.SetItemsProcessed(lifecycles);
  state.counters["waited%"] =
      100.0 * static_cast<double>(after.waited - before.waited) /
      static_cast<double>(std::max<std::int64_t>(1, after.arrived - before.arrived));
  state.counters["rings/call"] = static_cast<double>(after.rings - before.rings) /
                                 static_cast<double>(std::max<std::int64_t>(1, lifecycles));
  d.drain();
}
BENCHMARK_CAPTURE(BM_Lifecycle, all_8_strategies, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Lifecycle, without_ring_all, false)->Unit(benchmark::kMicrosecond);

// --- Routing decision -------------------------------------------------------------------------

// One decision = a caller arrives and the strategy picks one agent (RingAgent); the caller then
// hangs up so the state returns to where it was. The pair is measured ("decision+cancel").
void decideAndCancel(Engine& engine, Time now, CallArrival& arrival) {
  arrival.call = CallId{arrival.call.value() + 1};
  check(engine.callArrived(now, arrival), "callArrived");
  auto& actions = engine.actions();
  require(actions.size() == 1 && std::holds_alternative<RingAgent>(actions[0]),
          "callArrived did not ring exactly one agent");
  check(engine.callerHungUp(now, arrival.call), "callerHungUp");
  actions.clear();
  engine.events().clear();
}

// The timed step, apart so that callgrind can count it alone: --toggle-collect='*measuredStep*'.
[[gnu::noinline]] void measuredStep(Engine& engine, Time now, CallArrival& arrival) {
  decideAndCancel(engine, now, arrival);
}

// With `newWindow`, every decision falls in a new statistics window (the engine's default window
// is one day): what the first call of each day costs.
void BM_DecisionCancel(benchmark::State& state, Strategy strategy, bool newWindow) {
  auto engine = makeEngine(makeRoutingConfig(static_cast<int>(state.range(0)), strategy));
  const Duration step = newWindow ? engine->config().queues[0].statsWindow : Duration(0);
  Time now = fromMillis(1'700'000'000'000);
  CallArrival arrival{CallId{0}, QueueId{0}, 0, "caller"};
  decideAndCancel(*engine, now, arrival);  // warm-up: the engine's first input rolls the window
  for (auto _ : state) {
    now += step;
    measuredStep(*engine, now, arrival);
  }
  require(engine->activeCalls() == 0, "decision: calls left in the engine");
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("decision+cancel");
}
BENCHMARK_CAPTURE(BM_DecisionCancel, longest_idle, Strategy::kLongestIdle, false)
    ->RangeMultiplier(10)
    ->Range(1'000, 100'000);
BENCHMARK_CAPTURE(BM_DecisionCancel, round_robin, Strategy::kRoundRobin, false)
    ->RangeMultiplier(10)
    ->Range(1'000, 100'000);
BENCHMARK_CAPTURE(BM_DecisionCancel, longest_idle_new_window, Strategy::kLongestIdle, true)
    ->RangeMultiplier(10)
    ->Range(1'000, 100'000)
    ->Unit(benchmark::kMicrosecond);

// --- Fixed run --------------------------------------------------------------------------------

// `count` complete lifecycles (arrival to the end of wrap-up) timed on the wall clock.
std::int64_t fixedLifecyclesPerSecond(long long count) {
  Driver d;
  const auto start = std::chrono::steady_clock::now();
  for (long long i = 0; i < count; ++i) {
    d.tick(true);
  }
  d.drain();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  require(d.counts().ended == count, "fixed run: not every lifecycle completed");
  std::fprintf(stderr, "fixed run: %lld lifecycles in %.3f s, %lld waited, %lld rings\n", count,
               elapsed.count(), static_cast<long long>(d.counts().waited),
               static_cast<long long>(d.counts().rings));
  return static_cast<std::int64_t>(static_cast<double>(count) / elapsed.count());
}

// Takes `--fixed_lifecycles=N` out of argv (Google Benchmark rejects flags it does not know).
long long takeFixedLifecyclesFlag(int& argc, char** argv) {
  constexpr std::string_view kFlag = "--fixed_lifecycles=";
  long long count = kDefaultFixedLifecycles;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with(kFlag)) {
      count = std::atoll(argv[i] + kFlag.size());
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return count;
}

}  // namespace
}  // namespace callq::core

int main(int argc, char** argv) {
  const long long fixed = callq::core::takeFixedLifecyclesFlag(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (fixed <= 0) {
    return 0;
  }
  const std::int64_t rate = callq::core::fixedLifecyclesPerSecond(fixed);
  std::printf("lifecycles_per_s=%lld\n", static_cast<long long>(rate));
  return 0;
}
