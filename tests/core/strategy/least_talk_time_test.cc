// least-talk-time: the available agent with the least talk time for this queue in the window.
#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class LeastTalkTimeTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels, double windowSeconds = 86400) {
    return levelsConfig(Strategy::kLeastTalkTime, levels, windowSeconds);
  }
};

TEST_F(LeastTalkTimeTest, OffersTheAgentWithTheLeastTalkTime) {
  start(config({0, 0, 0}));
  EXPECT_EQ(serve(0, 1, 100), "a1");  // all at 0 s: member order
  EXPECT_EQ(serve(200, 2, 10), "a2");
  EXPECT_EQ(serve(300, 3, 50), "a3");
  // a1 100 s, a2 10 s, a3 50 s; one call each; a1 idle the longest, a3 offered last.
  EXPECT_EQ(serve(400, 4, 100), "a2");  // a2 now 110 s
  EXPECT_EQ(serve(600, 5, 10), "a3");   // a3 now 60 s
  EXPECT_EQ(serve(700, 6, 60), "a3");   // still the least, although it just served
  EXPECT_EQ(serve(800, 7, 10), "a1");   // a1 100 s, a2 110 s, a3 120 s
}

TEST_F(LeastTalkTimeTest, RingNoAnswerMovesToTheNextLeast) {
  start(config({0, 0, 0}));
  EXPECT_EQ(serve(0, 1, 30), "a1");
  EXPECT_EQ(serve(100, 2, 20), "a2");
  arrive(200, 3);  // a3 0 s, a2 20 s, a1 30 s
  EXPECT_EQ(rung(), Names{"a3"});
  clear();
  e().advance(at(215));
  expectNoAnswer("a3");
  EXPECT_EQ(rung(), Names{"a2"});
  clear();
  e().advance(at(230));
  EXPECT_EQ(rung(), Names{"a1"});
  EXPECT_EQ(e().activeCalls(), 1u);
}

TEST_F(LeastTalkTimeTest, TalkTimeResetsWhenTheEpochAlignedWindowRollsOver) {
  start(config({0, 0}, 1000));  // windows [0, 1000), [1000, 2000), ...
  EXPECT_EQ(serve(500, 1, 100), "a1");
  EXPECT_EQ(serve(700, 2, 10), "a2");
  EXPECT_EQ(serve(900, 3, 10), "a2");  // a1 100 s, a2 20 s
  // A new window 500 s after the first call: both at 0 s in it; last window breaks the tie (a2).
  EXPECT_EQ(serve(1000, 4, 5), "a2");
  EXPECT_EQ(serve(1100, 5, 5), "a1");  // a1 0 s this window, a2 5 s (without the reset: 25 < 100)
}

TEST_F(LeastTalkTimeTest, HigherLevelOnlyWhenTheLowerLevelIsBusyOrWithdrawn) {
  start(config({1, 0}));
  EXPECT_EQ(serve(0, 1, 100), "a2");
  EXPECT_EQ(serve(200, 2, 100), "a2");  // a1 has 0 s but is level 1
  ASSERT_TRUE(e().otherCallStarted(at(400), agent("a2")).has_value());
  EXPECT_EQ(serve(401, 3, 10), "a1");
  ASSERT_TRUE(e().otherCallEnded(at(500), agent("a2")).has_value());
  ASSERT_TRUE(e().setPresence(at(500), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_EQ(serve(501, 4, 10), "a2");
}

}  // namespace
}  // namespace callq::core::testing
