// longest-idle: the available agent whose last queue call (in any queue) ended longest ago.
#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class LongestIdleTest : public StrategyTest {
 protected:
  // Queue "q" (ring time 15 s, retry 5 s, no wrap-up) with members a1..aN at the given levels.
  static Config config(const std::vector<int>& levels) {
    return levelsConfig(Strategy::kLongestIdle, levels);
  }
  // Call `call` arrives at t in `q` and must ring exactly one agent, who answers 1 s later.
  std::string take(double t, std::uint64_t call, const std::string& q = "q") {
    clear();
    arrive(t, call, q);
    const Names r = rung();
    if (r.size() != 1) {
      ADD_FAILURE() << "call " << call << " rang " << r.size() << " agents";
      return "";
    }
    answer(t + 1, call, r[0]);
    clear();
    return r[0];
  }
  void end(double t, std::uint64_t call) {
    ASSERT_TRUE(e().callEnded(at(t), CallId{call}, Party::kAgent).has_value());
  }
};

TEST_F(LongestIdleTest, OffersTheAgentWhoseLastCallEndedLongestAgo) {
  start(config({0, 0, 0}));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  EXPECT_EQ(take(0, 1), "a2");  // agents who never had a call tie: member order
  EXPECT_EQ(take(2, 2), "a3");
  ASSERT_TRUE(e().otherCallEnded(at(50), agent("a1")).has_value());
  EXPECT_EQ(take(50, 3), "a1");
  end(100, 2);  // a3 idle the longest (talked 97 s)
  end(110, 1);  // a2 talked 109 s
  end(120, 3);  // a1 idle the shortest, although it talked the least (69 s)
  Names got;
  for (std::uint64_t call = 4; call <= 6; ++call) {
    got.push_back(take(200 + static_cast<double>(call), call));
  }
  // Linear, fewest-calls and least-talk-time would start with a1, round-robin with a2.
  EXPECT_EQ(got, (Names{"a3", "a2", "a1"}));
}

TEST_F(LongestIdleTest, JustFinishedAgentGoesBehindIdleOnes) {
  start(config({0, 0}));
  EXPECT_EQ(take(0, 1), "a1");
  end(10, 1);
  EXPECT_EQ(take(20, 2), "a2");
  end(30, 2);
  EXPECT_EQ(take(40, 3), "a1");
}

TEST_F(LongestIdleTest, CountsQueueCallsFromOtherQueues) {
  Config c = config({0, 0});
  QueueConfig q2 = c.queues[0];
  q2.name = "q2";
  q2.extension = "601";
  q2.members.resize(1);  // a1 only
  c.queues.push_back(q2);
  start(c);
  EXPECT_EQ(take(0, 1), "a1");
  end(10, 1);
  EXPECT_EQ(take(11, 2), "a2");
  end(20, 2);
  EXPECT_EQ(take(21, 3, "q2"), "a1");
  end(30, 3);  // a1's last queue call (in q2) ended after a2's
  EXPECT_EQ(take(40, 4), "a2");
}

TEST_F(LongestIdleTest, DirectCallsDoNotCountAsQueueCalls) {
  start(config({0, 0}));
  EXPECT_EQ(take(0, 1), "a1");
  end(10, 1);
  EXPECT_EQ(take(11, 2), "a2");
  end(20, 2);
  ASSERT_TRUE(e().otherCallStarted(at(25), agent("a1")).has_value());
  ASSERT_TRUE(e().otherCallEnded(at(30), agent("a1")).has_value());
  EXPECT_EQ(take(40, 3), "a1");
}

TEST_F(LongestIdleTest, NoAnswerMovesToTheNextLongestIdle) {
  start(config({0, 0, 0}));
  EXPECT_EQ(take(0, 1), "a1");
  EXPECT_EQ(take(2, 2), "a2");
  EXPECT_EQ(take(4, 3), "a3");
  end(100, 2);
  end(110, 3);
  end(120, 1);
  arrive(200, 4);
  EXPECT_EQ(rung(), Names{"a2"});
  clear();
  e().advance(at(215));
  expectNoAnswer("a2");
  EXPECT_EQ(rung(), Names{"a3"});
  clear();
  e().advance(at(230));
  EXPECT_EQ(rung(), Names{"a1"});
  EXPECT_EQ(e().activeCalls(), 1u);
}

TEST_F(LongestIdleTest, IdlerHigherLevelAgentWaitsWhileALowerLevelAgentIsAvailable) {
  start(config({0, 1}));
  EXPECT_EQ(take(0, 1), "a1");
  end(10, 1);
  EXPECT_EQ(take(20, 2), "a1");  // a2 never had a call, but it is level 1
  end(30, 2);
  ASSERT_TRUE(e().setPresence(at(31), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_EQ(take(40, 3), "a2");
}

}  // namespace
}  // namespace callq::core::testing
