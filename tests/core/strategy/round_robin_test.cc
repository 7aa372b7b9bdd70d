// round-robin: the next member after the one offered last, in member order, wrapping around; the
// memory persists across calls.
#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class RoundRobinTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels) {
    return levelsConfig(Strategy::kRoundRobin, levels);
  }
  Names serveMany(double from, std::uint64_t firstCall, int n) {
    Names got;
    for (int i = 0; i < n; ++i) {
      got.push_back(serve(from + 10.0 * i, firstCall + static_cast<std::uint64_t>(i)));
    }
    return got;
  }
};

TEST_F(RoundRobinTest, ResumesAfterTheLastOfferedAgentAndWrapsAround) {
  start(config({0, 0, 0}));
  EXPECT_EQ(serveMany(0, 1, 5), (Names{"a1", "a2", "a3", "a1", "a2"}));
}

TEST_F(RoundRobinTest, SkipsUnavailableMembers) {
  start(config({0, 0, 0}));
  ASSERT_TRUE(e().setPresence(at(0), agent("a2"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_EQ(serveMany(1, 1, 3), (Names{"a1", "a3", "a1"}));
  ASSERT_TRUE(e().setPresence(at(40), agent("a2"), Presence::kReady).has_value());
  EXPECT_EQ(serveMany(41, 4, 2), (Names{"a2", "a3"}));
}

TEST_F(RoundRobinTest, NoAnswerMovesToTheNextAndTheMemoryFollows) {
  start(config({0, 0, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  clear();
  e().advance(at(15));
  expectNoAnswer("a1");
  EXPECT_EQ(rung(), Names{"a2"});
  answer(16, 1, "a2");
  ASSERT_TRUE(e().callEnded(at(20), CallId{1}, Party::kAgent).has_value());
  // a2 was offered last: the next call starts at a3, not at a1 (linear) nor at a2.
  EXPECT_EQ(serve(30, 2), "a3");
}

TEST_F(RoundRobinTest, EveryoneRingsOutThenPauseAndTheCallerIsKept) {
  start(config({0, 0}));
  arrive(0, 1);
  e().advance(at(15));
  e().advance(at(30));
  EXPECT_EQ(rung(), (Names{"a1", "a2"}));
  clear();
  e().advance(at(34.9));
  EXPECT_TRUE(rung().empty());
  e().advance(at(35));
  EXPECT_EQ(rung(), Names{"a1"});  // after a2, wrapping around
  EXPECT_EQ(e().activeCalls(), 1u);
}

TEST_F(RoundRobinTest, HigherLevelOnlyWhenTheLowerLevelIsBusy) {
  start(config({0, 1, 0}));
  EXPECT_EQ(serveMany(0, 1, 3), (Names{"a1", "a3", "a1"}));
  busy(30, "a1");
  busy(30, "a3");
  EXPECT_EQ(serve(31, 4), "a2");
  ASSERT_TRUE(e().otherCallEnded(at(40), agent("a1")).has_value());
  ASSERT_TRUE(e().otherCallEnded(at(40), agent("a3")).has_value());
  // a2 (order 2) was offered last: the next level-0 member after it is a3.
  EXPECT_EQ(serve(41, 5), "a3");
}

}  // namespace
}  // namespace callq::core::testing
