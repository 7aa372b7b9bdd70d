// The runtime: real-clock stamping (never backwards), deadlines, and actions and events handed on
// in order, including inputs made by an action's sink while it runs.
#include "runtime/runtime.h"

#include <gtest/gtest.h>

#include <vector>

namespace callq::runtime {
namespace {

core::Config oneQueue() {
  core::Config c;
  c.agents.push_back(core::AgentConfig{"alice", "Alice", "201"});
  core::QueueConfig q;
  q.name = "sales";
  q.extension = "600";
  q.ringTime = Duration(15'000);
  q.members.push_back(core::MemberConfig{"alice", 0, true});
  c.queues.push_back(q);
  return c;
}

struct Recorder : ActionSink {
  Runtime* runtime = nullptr;
  std::vector<core::Action> actions;
  bool failRings = false;
  void apply(const core::Action& a) override {
    actions.push_back(a);
    if (const auto* ring = std::get_if<core::RingAgent>(&a); ring && failRings) {
      // As sip/ does for an agent without phones: an input from inside apply().
      EXPECT_TRUE(runtime
                      ->input([&](core::Engine& e, Time now) {
                        return e.ringFailed(now, ring->call, ring->agent,
                                            core::RingFailure::kUnreachable);
                      })
                      .has_value());
    }
  }
};

TEST(Runtime, StampsInputsWithTheClockNeverBackwardsAndRunsDeadlines) {
  std::int64_t clock = 1'000'000;
  std::vector<core::Event> events;
  Runtime rt(
      core::Engine::create(oneQueue()).value(), [&](const core::Event& e) { events.push_back(e); },
      [&] { return fromMillis(clock); });
  Recorder sink;
  sink.runtime = &rt;
  rt.setActionSink(&sink);
  ASSERT_TRUE(rt.input([](core::Engine& e, Time now) {
                  return e.callArrived(now, core::CallArrival{CallId{1}, QueueId{0}, 0, "x"});
                }).has_value());
  ASSERT_EQ(sink.actions.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<core::RingAgent>(sink.actions[0]));
  EXPECT_EQ(std::get<core::RingAgent>(sink.actions[0]).until, fromMillis(1'015'000));
  EXPECT_EQ(rt.nextDeadline(), fromMillis(1'015'000));
  clock = 900'000;  // the system clock stepped back
  EXPECT_EQ(rt.now(), fromMillis(1'000'000));
  clock = 1'015'000;
  rt.advance();  // the ring times out: RINGNOANSWER and StopRinging
  ASSERT_GE(sink.actions.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<core::StopRinging>(sink.actions[1]));
  bool noAnswer = false;
  for (const core::Event& e : events) {
    noAnswer = noAnswer || e.type == core::EventType::kRingNoAnswer;
  }
  EXPECT_TRUE(noAnswer);
}

TEST(Runtime, AnInputFromInsideApplyIsDispatchedAfterTheCurrentActions) {
  std::int64_t clock = 0;
  std::vector<core::EventType> events;
  Runtime rt(
      core::Engine::create(oneQueue()).value(),
      [&](const core::Event& e) { events.push_back(e.type); }, [&] { return fromMillis(clock); });
  Recorder sink;
  sink.runtime = &rt;
  sink.failRings = true;
  rt.setActionSink(&sink);
  ASSERT_TRUE(rt.input([](core::Engine& e, Time now) {
                  return e.callArrived(now, core::CallArrival{CallId{1}, QueueId{0}, 0, "x"});
                }).has_value());
  // ENTERQUEUE, then the ring failed at once (RINGNOANSWER "unreachable"); the caller waits.
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0], core::EventType::kEnterQueue);
  EXPECT_EQ(events[1], core::EventType::kRingNoAnswer);
  EXPECT_EQ(rt.engine().activeCalls(), 1u);
}

TEST(Runtime, AnInputErrorIsReturnedAndChangesNothing) {
  Runtime rt(core::Engine::create(oneQueue()).value(), {}, [] { return fromMillis(5); });
  Result<void> r =
      rt.input([](core::Engine& e, Time now) { return e.callerHungUp(now, CallId{77}); });
  EXPECT_FALSE(r.has_value());
  EXPECT_EQ(rt.engine().activeCalls(), 0u);
}

}  // namespace
}  // namespace callq::runtime
