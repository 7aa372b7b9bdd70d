// Helpers for engine tests: build small configurations, feed inputs at explicit times (seconds),
// and read back the actions and events produced.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/engine.h"

namespace callq::core::testing {

using Names = std::vector<std::string>;

inline Time at(double seconds) { return fromMillis(static_cast<std::int64_t>(seconds * 1000)); }

// A queue with `agents` members a1..aN (static, level 0), all Ready and registered.
inline Config makeConfig(int agents, Strategy strategy = Strategy::kRingAll) {
  Config c;
  QueueConfig q;
  q.name = "q";
  q.extension = "600";
  q.strategy = strategy;
  q.retry = Duration(5000);
  for (int i = 1; i <= agents; ++i) {
    c.agents.push_back(AgentConfig{"a" + std::to_string(i), "Agent " + std::to_string(i),
                                   std::to_string(200 + i)});
    q.members.push_back(MemberConfig{"a" + std::to_string(i), 0, true});
  }
  c.queues.push_back(q);
  c.withdrawReasons = {"lunch", "training"};
  return c;
}

class EngineTest : public ::testing::Test {
 protected:
  void start(Config config, std::uint64_t seed = 1) {
    auto e = Engine::create(std::move(config), EngineOptions{seed});
    ASSERT_TRUE(e.has_value()) << e.error().message;
    engine_ = std::move(*e);
  }

  Engine& e() { return *engine_; }
  AgentId agent(const std::string& id) { return *engine_->findAgent(id); }
  QueueId queue(const std::string& name) { return *engine_->findQueue(name); }

  void arrive(double t, std::uint64_t call, const std::string& q = "q", int priority = 0) {
    ASSERT_TRUE(engine_->callArrived(at(t), CallArrival{CallId{call}, queue(q), priority, "caller"})
                    .has_value());
  }
  void answer(double t, std::uint64_t call, const std::string& a) {
    auto r = engine_->agentAnswered(at(t), CallId{call}, agent(a));
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }

  // Agents rung (RingAgent actions) since the last clear, in order.
  std::vector<std::string> rung() {
    std::vector<std::string> out;
    for (const Action& a : engine_->actions()) {
      if (const auto* r = std::get_if<RingAgent>(&a)) {
        out.push_back(engine_->config().agents[r->agent.value()].id);
      }
    }
    return out;
  }
  std::vector<std::string> stopped() {
    std::vector<std::string> out;
    for (const Action& a : engine_->actions()) {
      if (const auto* r = std::get_if<StopRinging>(&a)) {
        out.push_back(engine_->config().agents[r->agent.value()].id);
      }
    }
    return out;
  }
  // Event names since the last clear, e.g. {"ENTERQUEUE", "CONNECT"}.
  std::vector<std::string> eventNames() {
    std::vector<std::string> out;
    for (const Event& ev : engine_->events()) {
      out.emplace_back(eventName(ev.type));
    }
    return out;
  }
  const Event* lastEvent(EventType type) {
    const Event* found = nullptr;
    for (const Event& ev : engine_->events()) {
      if (ev.type == type) {
        found = &ev;
      }
    }
    return found;
  }
  // The last RINGNOANSWER is agent `a`'s, after ringing `ringSeconds` (a full ring by default).
  void expectNoAnswer(const std::string& a, double ringSeconds = 15) {
    const Event* na = lastEvent(EventType::kRingNoAnswer);
    ASSERT_NE(na, nullptr) << "no RINGNOANSWER";
    EXPECT_EQ(na->agent, agent(a));
    EXPECT_EQ(na->ring, Duration(static_cast<std::int64_t>(ringSeconds * 1000)));
  }
  template <typename T>
  std::vector<T> actionsOf() {
    std::vector<T> out;
    for (const Action& a : engine_->actions()) {
      if (const auto* x = std::get_if<T>(&a)) {
        out.push_back(*x);
      }
    }
    return out;
  }
  void clear() {
    engine_->actions().clear();
    engine_->events().clear();
  }

  std::unique_ptr<Engine> engine_;
};

// Queue "q" (ring time 15 s, retry 5 s) using `strategy`, with members a1..aN at the given levels.
inline Config levelsConfig(Strategy strategy, const std::vector<int>& levels) {
  Config c = makeConfig(static_cast<int>(levels.size()), strategy);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    c.queues[0].members[i].level = levels[i];
  }
  return c;
}

// The same with the queue's stats window (fewest-calls, least-talk-time) set to `windowSeconds`.
inline Config levelsConfig(Strategy strategy, const std::vector<int>& levels,
                           double windowSeconds) {
  Config c = levelsConfig(strategy, levels);
  c.queues[0].statsWindow = Duration(static_cast<std::int64_t>(windowSeconds * 1000));
  return c;
}

// Helpers shared by the tests of the individual strategies (tests/core/strategy).
class StrategyTest : public EngineTest {
 protected:
  // Call `call` arrives at t and must ring exactly one agent, who answers 1 s later and hangs up
  // `talk` s after that. Returns that agent.
  std::string serve(double t, std::uint64_t call, double talk = 1) {
    clear();
    arrive(t, call);
    const Names r = rung();
    if (r.size() != 1) {
      ADD_FAILURE() << "call " << call << " rang " << r.size() << " agents";
      return "";
    }
    answer(t + 1, call, r[0]);
    EXPECT_TRUE(e().callEnded(at(t + 1 + talk), CallId{call}, Party::kAgent).has_value());
    clear();
    return r[0];
  }
  // Agent `a` starts / ends a call outside the queues at t.
  void busy(double t, const std::string& a) {
    ASSERT_TRUE(e().otherCallStarted(at(t), agent(a)).has_value());
  }
  void freeUp(double t, const std::string& a) {
    ASSERT_TRUE(e().otherCallEnded(at(t), agent(a)).has_value());
  }
  // Offers `n` callers one at a time, each hanging up while its first agent rings; returns who
  // was offered each call.
  Names offers(int n) {
    Names picks;
    for (int i = 1; i <= n; ++i) {
      const auto call = static_cast<std::uint64_t>(i);
      clear();
      arrive(i, call);
      const Names r = rung();
      if (r.size() != 1) {
        ADD_FAILURE() << "call " << call << " rang " << r.size() << " agents";
        return picks;
      }
      picks.push_back(r[0]);
      EXPECT_TRUE(e().callerHungUp(at(i + 0.5), CallId{call}).has_value());
    }
    clear();
    return picks;
  }
  // For the random strategies, over 20 seeds: with three members (started from `config`) who never
  // answer, a caller rings each once in some order, then pauses (retry 5 s), then rings again.
  void expectEachRungOnceThenPause(const Config& config) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      SCOPED_TRACE(seed);
      start(config, seed);
      arrive(0, 1);
      e().advance(at(15));
      e().advance(at(30));
      const Names round = rung();
      ASSERT_EQ(round.size(), 3u);
      EXPECT_EQ(tally(round).size(), 3u);  // a permutation of a1, a2, a3
      clear();
      e().advance(at(45));
      expectNoAnswer(round[2]);
      EXPECT_TRUE(rung().empty());  // retry pause
      e().advance(at(50));
      EXPECT_EQ(rung().size(), 1u);
      EXPECT_EQ(e().activeCalls(), 1u);
    }
  }
  // How many times each agent appears in `picks`.
  static std::map<std::string, int> tally(const Names& picks) {
    std::map<std::string, int> n;
    for (const std::string& p : picks) {
      ++n[p];
    }
    return n;
  }
};

}  // namespace callq::core::testing
