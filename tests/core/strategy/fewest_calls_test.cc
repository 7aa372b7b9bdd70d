// fewest-calls: the available agent who answered the fewest calls of this queue in the current
// stats window; the counters start again when the window (aligned to the epoch) rolls over.
#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class FewestCallsTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels, double windowSeconds = 86400) {
    return levelsConfig(Strategy::kFewestCalls, levels, windowSeconds);
  }
};

TEST_F(FewestCallsTest, OffersTheAgentWithFewestAnsweredCallsUntilCaughtUp) {
  start(config({0, 0}));
  busy(0, "a1");
  EXPECT_EQ(serve(1, 1), "a2");
  EXPECT_EQ(serve(10, 2), "a2");
  freeUp(20, "a1");
  // a1 has 0 calls, a2 has 2: a1 gets the next ones although it has just served (longest-idle
  // and round-robin would alternate) and talked longer (least-talk-time would pick a2).
  EXPECT_EQ(serve(30, 3, 50), "a1");
  EXPECT_EQ(serve(100, 4), "a1");
  EXPECT_EQ(serve(110, 5), "a1");  // tie 2-2: member order
  EXPECT_EQ(serve(120, 6), "a2");  // a1: 3, a2: 2
}

TEST_F(FewestCallsTest, RingNoAnswerMovesOnAndDoesNotCountAsACall) {
  start(config({0, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  clear();
  e().advance(at(15));
  expectNoAnswer("a1");
  EXPECT_EQ(rung(), Names{"a2"});
  answer(16, 1, "a2");
  ASSERT_TRUE(e().callEnded(at(20), CallId{1}, Party::kAgent).has_value());
  EXPECT_EQ(serve(30, 2), "a1");  // a1: 0 answered, a2: 1
  EXPECT_EQ(serve(40, 3), "a1");  // tie 1-1: member order
}

TEST_F(FewestCallsTest, CountersResetWhenTheEpochAlignedWindowRollsOver) {
  start(config({0, 0}, 3600));  // windows [0, 3600), [3600, 7200), ...
  busy(3000, "a2");
  EXPECT_EQ(serve(3000, 1), "a1");
  EXPECT_EQ(serve(3010, 2), "a1");
  freeUp(3020, "a2");
  EXPECT_EQ(serve(3500, 3), "a2");  // a1: 2, a2: 0
  // a1: 2, a2: 1 -- still the first window at 3599 s (the caller hangs up while a2 rings).
  clear();
  arrive(3599, 4);
  EXPECT_EQ(rung(), Names{"a2"});
  ASSERT_TRUE(e().callerHungUp(at(3599.5), CallId{4}).has_value());
  // 3700 is only 700 s after the first call, but a new epoch-aligned window: both have 0 calls in
  // it; last window's count breaks the tie (a2 had fewer).
  EXPECT_EQ(serve(3700, 5), "a2");
  EXPECT_EQ(serve(3710, 6), "a1");  // a1: 0 this window, a2: 1
  EXPECT_EQ(serve(3720, 7), "a1");  // 1 - 1: member order (without the reset a2 would have 2 - 3)
}

TEST_F(FewestCallsTest, CountsOnlyThisQueuesCalls) {
  Config c = config({0, 0});
  QueueConfig q2 = c.queues[0];
  q2.name = "q2";
  q2.extension = "601";
  q2.members.resize(1);  // a1 only
  c.queues.push_back(q2);
  start(c);
  for (std::uint64_t call = 1; call <= 2; ++call) {
    clear();
    arrive(10.0 * static_cast<double>(call), call, "q2");
    ASSERT_EQ(rung(), Names{"a1"});
    answer(10.0 * static_cast<double>(call) + 1, call, "a1");
    ASSERT_TRUE(e().callEnded(at(10.0 * static_cast<double>(call) + 2), CallId{call}, Party::kAgent)
                    .has_value());
  }
  EXPECT_EQ(serve(50, 3), "a1");  // 0 - 0 in q: member order
  EXPECT_EQ(serve(60, 4), "a2");
}

TEST_F(FewestCallsTest, LowerLevelWinsOverFewerCallsAtAHigherLevel) {
  start(config({0, 1}));
  EXPECT_EQ(serve(0, 1), "a1");
  EXPECT_EQ(serve(10, 2), "a1");  // a2 has 0 calls but is level 1
  ASSERT_TRUE(e().setPresence(at(20), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_EQ(serve(21, 3), "a2");
  busy(30, "a2");
  ASSERT_TRUE(e().setPresence(at(30), agent("a1"), Presence::kReady).has_value());
  EXPECT_EQ(serve(31, 4), "a1");
}

}  // namespace
}  // namespace callq::core::testing
