// Helpers for engine tests: build small configurations, feed inputs at explicit times (seconds),
// and read back the actions and events produced.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/engine.h"

namespace callq::core::testing {

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

}  // namespace callq::core::testing
