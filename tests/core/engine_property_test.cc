// Property test: random configurations driven by long random input sequences. After every step the
// invariants of the engine are checked against an independent model built from the actions and
// events alone (what a driver sees), and against the engine's own snapshots.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/engine.h"
#include "core/rng.h"

namespace callq::core {
namespace {

Destination randomDestination(Rng& r, int queues, int self) {
  switch (r.below(5)) {
    case 0:
      return Destination{DestinationKind::kVoicemail, "", ""};
    case 1:
      return Destination{DestinationKind::kKeepWaiting, "", ""};
    case 2: {
      int other = static_cast<int>(r.below(static_cast<std::uint64_t>(queues)));
      if (other == self) {
        other = (other + 1) % queues;
      }
      return Destination{DestinationKind::kQueue, "q" + std::to_string(other), "sorry"};
    }
    case 3:
      return Destination{DestinationKind::kNumber, "+33123456789", ""};
    default:
      return Destination{};
  }
}

Config randomConfig(Rng& r) {
  Config c;
  c.withdrawReasons = {"lunch", "training"};
  const int agents = 4 + static_cast<int>(r.below(14));
  const int queues = 2 + static_cast<int>(r.below(4));
  for (int i = 0; i < agents; ++i) {
    c.agents.push_back(AgentConfig{"a" + std::to_string(i), "", std::to_string(100 + i)});
  }
  for (int qi = 0; qi < queues; ++qi) {
    QueueConfig q;
    q.name = "q" + std::to_string(qi);
    q.extension = std::to_string(600 + qi);
    q.strategy = static_cast<Strategy>(r.below(8));
    q.ringTime = Duration(1000 + 1000 * static_cast<std::int64_t>(r.below(10)));
    q.retry = Duration(1000 * static_cast<std::int64_t>(r.below(4)));
    q.wrapUp = Duration(1000 * static_cast<std::int64_t>(r.below(6)));
    q.maxWait = r.below(2) ? Duration(20'000 + 1000 * static_cast<std::int64_t>(r.below(100)))
                           : Duration(0);
    q.maxCallers = r.below(3) == 0 ? 2 + static_cast<unsigned>(r.below(6)) : 0;
    q.weight = 0.5 + static_cast<double>(r.below(4));
    q.maxNoAnswer = static_cast<unsigned>(r.below(4));
    if (r.below(2)) {
      q.waitWithdrawn = Duration(1000 * static_cast<std::int64_t>(r.below(30)));
    }
    if (r.below(2)) {
      q.waitEmpty = Duration(1000 * static_cast<std::int64_t>(r.below(30)));
    }
    q.refuseJoinEmpty = r.below(4) == 0;
    q.onTimeout = randomDestination(r, queues, qi);
    q.onOverflow = randomDestination(r, queues, qi);
    q.statsWindow = Duration(60'000 * (1 + static_cast<std::int64_t>(r.below(10))));
    for (int i = 0; i < agents; ++i) {
      if (r.below(3) == 0) {
        q.members.push_back(
            MemberConfig{"a" + std::to_string(i), static_cast<int>(r.below(3)), r.below(2) == 0});
      }
    }
    c.queues.push_back(q);
  }
  return c;
}

// What a driver knows, rebuilt from the engine's outputs; checks the invariants as it goes.
class Model {
 public:
  explicit Model(Engine& e) : e_(e) {}

  void consume() {
    for (const Action& a : e_.actions()) {
      std::visit([this](const auto& x) { onAction(x); }, a);
    }
    for (const Event& ev : e_.events()) {
      onEvent(ev);
    }
    e_.actions().clear();
    e_.events().clear();
  }

  void onAction(const RingAgent& r) {
    ASSERT_FALSE(ringing_.contains(r.agent.value())) << "agent rings for two calls";
    ASSERT_FALSE(talking_.contains(r.agent.value())) << "agent rings while on a queue call";
    ASSERT_EQ(otherCalls_[r.agent.value()], 0) << "agent rings while on another call";
    ringing_[r.agent.value()] = r.call.value();
  }
  void onAction(const StopRinging& s) {
    auto it = ringing_.find(s.agent.value());
    ASSERT_TRUE(it != ringing_.end() && it->second == s.call.value()) << "stop without a ring";
    ringing_.erase(it);
  }
  void onAction(const Bridge& b) {
    auto it = ringing_.find(b.agent.value());
    ASSERT_TRUE(it != ringing_.end() && it->second == b.call.value()) << "bridge without a ring";
    ringing_.erase(it);
    ASSERT_FALSE(talking_.contains(b.agent.value())) << "agent talks on two calls";
    talking_[b.agent.value()] = b.call.value();
    connected_.insert(b.call.value());
  }
  void onAction(const ExitQueue&) {}
  void onAction(const MoveQueue&) {}

  void onEvent(const Event& ev) {
    ASSERT_GE(ev.time, lastTime_) << "events go back in time";
    lastTime_ = ev.time;
    if (!ev.call.valid()) {
      return;
    }
    const std::uint64_t call = ev.call.value();
    if (ev.type == EventType::kEnterQueue) {
      ASSERT_FALSE(open_.contains(call)) << "call in two queues";
      open_[call] = ev.queue.value();
      ++entered_;
    } else if (ev.type == EventType::kJoinRefused) {
      ASSERT_FALSE(open_.contains(call)) << "refused call was in a queue";
      ++terminal_;
    } else if (isTerminal(ev.type)) {
      auto it = open_.find(call);
      ASSERT_TRUE(it != open_.end()) << "terminal event without ENTERQUEUE: " << eventName(ev.type);
      ASSERT_EQ(it->second, ev.queue.value());
      open_.erase(it);
      ++terminal_;
      ++exited_;
      if (connected_.erase(call) > 0) {
        ASSERT_TRUE(ev.agent.valid());
        ASSERT_FALSE(talking_.contains(ev.agent.value())) << "call ended without the test";
      }
    }
  }

  // The ring ended because the test itself reported a failure.
  void ringFailed(std::uint32_t agent) { ringing_.erase(agent); }
  // The test itself ends a connected call: the agent is free before the step's actions are read.
  void callEnding(std::uint64_t call) {
    for (auto it = talking_.begin(); it != talking_.end(); ++it) {
      if (it->second == call) {
        talking_.erase(it);
        return;
      }
    }
  }

  std::map<std::uint32_t, std::uint64_t> ringing_;
  std::map<std::uint32_t, std::uint64_t> talking_;
  std::set<std::uint64_t> connected_;
  std::map<std::uint64_t, std::uint32_t> open_;  // call -> queue it waits or talks in
  std::map<std::uint32_t, int> otherCalls_;
  std::uint64_t entered_ = 0, exited_ = 0, terminal_ = 0;
  Time lastTime_ = fromMillis(0);

 private:
  Engine& e_;
};

class Driver {
 public:
  Driver(std::uint64_t seed) : r_(seed) {
    config_ = randomConfig(r_);
    auto e = Engine::create(config_, EngineOptions{seed});
    EXPECT_TRUE(e.has_value()) << e.error().message;
    engine_ = std::move(*e);
    model_ = std::make_unique<Model>(*engine_);
  }

  template <typename T>
  T pick(const std::map<std::uint32_t, T>& m) {
    auto it = m.begin();
    std::advance(it, static_cast<long>(r_.below(m.size())));
    return it->second;
  }

  AgentId randomAgent() {
    return AgentId{static_cast<std::uint32_t>(r_.below(config_.agents.size()))};
  }
  QueueId randomQueue() {
    return QueueId{static_cast<std::uint32_t>(r_.below(config_.queues.size()))};
  }

  // One random input; returns whether it was accepted.
  bool step() {
    Engine& e = *engine_;
    switch (r_.below(14)) {
      case 0:
      case 1:
        return e
            .callArrived(now_, CallArrival{CallId{nextCall_++}, randomQueue(),
                                           static_cast<int>(r_.below(3)), "c"})
            .has_value();
      case 2:
      case 3: {
        if (model_->ringing_.empty()) {
          return false;
        }
        auto it = model_->ringing_.begin();
        std::advance(it, static_cast<long>(r_.below(model_->ringing_.size())));
        return e.agentAnswered(now_, CallId{it->second}, AgentId{it->first}).has_value();
      }
      case 4: {
        if (model_->ringing_.empty()) {
          return false;
        }
        auto [agent, call] = *model_->ringing_.begin();
        model_->ringFailed(agent);
        return e
            .ringFailed(now_, CallId{call}, AgentId{agent}, static_cast<RingFailure>(r_.below(3)))
            .has_value();
      }
      case 5: {
        if (model_->open_.empty()) {
          return false;
        }
        auto it = model_->open_.begin();
        std::advance(it, static_cast<long>(r_.below(model_->open_.size())));
        model_->callEnding(it->first);
        return e.callerHungUp(now_, CallId{it->first}).has_value();
      }
      case 6: {
        if (model_->talking_.empty()) {
          return false;
        }
        const std::uint64_t call = pick(model_->talking_);
        model_->callEnding(call);
        if (r_.below(4) == 0) {
          return e
              .callTransferred(now_, CallId{call}, static_cast<TransferKind>(r_.below(2)), "601")
              .has_value();
        }
        return e.callEnded(now_, CallId{call}, static_cast<Party>(r_.below(2))).has_value();
      }
      case 7:
        return r_.below(2) ? e.login(now_, randomAgent(), randomQueue()).has_value()
                           : e.logout(now_, randomAgent(), randomQueue()).has_value();
      case 8: {
        static const char* kReasons[] = {"lunch", "training", "bogus"};
        const auto p = static_cast<Presence>(r_.below(3));
        return e.setPresence(now_, randomAgent(), p, kReasons[r_.below(3)]).has_value();
      }
      case 9:
        return e.setRegistered(now_, randomAgent(), r_.below(4) != 0).has_value();
      case 10: {
        const AgentId a = randomAgent();
        int& n = model_->otherCalls_[a.value()];
        if (n > 0 && r_.below(2)) {
          --n;
          return e.otherCallEnded(now_, a).has_value();
        }
        ++n;
        return e.otherCallStarted(now_, a).has_value();
      }
      case 11:
        if (e.nextDeadline() != kNever) {
          now_ = std::max(now_, e.nextDeadline());
          e.advance(now_);
        }
        return true;
      default:
        now_ += Duration(static_cast<std::int64_t>(r_.below(8000)));
        e.advance(now_);
        return true;
    }
  }

  void checkSnapshots() {
    Engine& e = *engine_;
    for (std::uint32_t qi = 0; qi < config_.queues.size(); ++qi) {
      const QueueSnapshot s = e.queueSnapshot(now_, QueueId{qi});
      std::uint32_t pausingAhead = 0;
      for (std::size_t i = 0; i < s.callers.size(); ++i) {
        const WaitingCaller& w = s.callers[i];
        ASSERT_EQ(w.position, i + 1) << "positions have a gap";
        ASSERT_EQ(e.position(w.call), i + 1);
        // A caller may idle only while every free agent is kept for a caller ahead of it that
        // is in the pause between rounds (it keeps its place in line).
        if (!w.ringing && !w.betweenRounds) {
          ASSERT_LE(s.agents.ready, pausingAhead)
              << "caller at position " << w.position << " waits while an agent of queue q" << qi
              << " is free";
        }
        pausingAhead += w.betweenRounds ? 1 : 0;
      }
    }
    for (std::uint32_t a = 0; a < config_.agents.size(); ++a) {
      const AgentSnapshot s = e.agentSnapshot(AgentId{a});
      ASSERT_EQ(s.activity == Activity::kRinging, model_->ringing_.contains(a));
      ASSERT_EQ(s.activity == Activity::kOnCall, model_->talking_.contains(a));
    }
  }

  // Ends every call, lets all timers run out, and checks that nothing is left behind. `stopping`:
  // callq stops first, which closes the waiting callers' visits and rings no phone.
  void drain(bool stopping) {
    Engine& e = *engine_;
    if (stopping) {
      ASSERT_TRUE(e.serverStopping(now_).has_value());
      model_->consume();
      ASSERT_TRUE(model_->ringing_.empty()) << "a phone still rings after the stop";
      for (const auto& [call, queue] : model_->open_) {
        ASSERT_TRUE(model_->connected_.contains(call)) << "call " << call << " still waits";
      }
    }
    for (int guard = 0; guard < 1000 && !model_->open_.empty(); ++guard) {
      const std::uint64_t call = model_->open_.begin()->first;
      model_->callEnding(call);
      ASSERT_TRUE(e.callerHungUp(now_, CallId{call}).has_value());
      model_->consume();
    }
    for (int guard = 0; guard < 1000 && e.nextDeadline() != kNever; ++guard) {
      now_ = e.nextDeadline();
      e.advance(now_);
      model_->consume();
    }
    ASSERT_EQ(e.activeCalls(), 0u);
    ASSERT_EQ(e.nextDeadline(), kNever) << "timers left with no call";
    ASSERT_TRUE(model_->ringing_.empty());
    ASSERT_TRUE(model_->talking_.empty());
    ASSERT_EQ(model_->entered_, model_->exited_);
    for (std::uint32_t a = 0; a < config_.agents.size(); ++a) {
      const Activity act = e.agentSnapshot(AgentId{a}).activity;
      ASSERT_EQ(act, Activity::kIdle) << "agent a" << a << " left busy";
    }
  }

  Rng r_;
  Config config_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Model> model_;
  Time now_ = fromMillis(1'000'000);
  std::uint64_t nextCall_ = 1;
};

TEST(EnginePropertyTest, InvariantsHoldOverRandomInputs) {
  constexpr int kRuns = 40;
  constexpr int kSteps = 2'500;  // 100,000 inputs in all
  std::uint64_t accepted = 0;
  std::uint64_t calls = 0;
  for (int run = 0; run < kRuns; ++run) {
    SCOPED_TRACE("seed " + std::to_string(run + 1));
    Driver d(static_cast<std::uint64_t>(run) + 1);
    for (int i = 0; i < kSteps; ++i) {
      const std::size_t eventsBefore = d.engine_->events().size();
      const bool ok = d.step();
      if (!ok) {
        ASSERT_EQ(d.engine_->events().size(), eventsBefore) << "a refused input changed state";
      }
      accepted += ok ? 1 : 0;
      d.model_->consume();
      d.checkSnapshots();
      if (::testing::Test::HasFatalFailure()) {
        return;
      }
    }
    d.drain(run % 2 == 0);
    calls += d.nextCall_ - 1;
  }
  // The walk must actually exercise the engine, not bounce off errors.
  EXPECT_GT(accepted, 60'000u);
  EXPECT_GT(calls, 10'000u);
}

}  // namespace
}  // namespace callq::core
