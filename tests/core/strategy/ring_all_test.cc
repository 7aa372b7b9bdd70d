// ring-all: every available agent of the lowest level rings at once; the first answer wins.
#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

using ::testing::UnorderedElementsAre;

class RingAllTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels) {
    return levelsConfig(Strategy::kRingAll, levels);
  }
  int count(const std::string& name) {
    int n = 0;
    for (const std::string& ev : eventNames()) {
      n += ev == name ? 1 : 0;
    }
    return n;
  }
};

TEST_F(RingAllTest, RingsEveryAvailableAgentAtOnce) {
  start(config({0, 0, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), (Names{"a1", "a2", "a3"}));
  for (const RingAgent& r : actionsOf<RingAgent>()) {
    EXPECT_EQ(r.until, at(15));
  }
}

TEST_F(RingAllTest, FirstAnswerWinsAndTheOthersStopWithoutNoAnswer) {
  start(config({0, 0, 0}));
  arrive(0, 1);
  clear();
  answer(4, 1, "a2");
  const auto bridges = actionsOf<Bridge>();
  ASSERT_EQ(bridges.size(), 1u);
  EXPECT_EQ(bridges[0].agent, agent("a2"));
  EXPECT_THAT(stopped(), UnorderedElementsAre("a1", "a3"));
  EXPECT_EQ(eventNames(), Names{"CONNECT"});
  const Event* connect = lastEvent(EventType::kConnect);
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->ring, Duration(4000));
  // The losers' ring timers are gone: nothing happens at the old deadline.
  clear();
  e().advance(at(16));
  EXPECT_TRUE(eventNames().empty());
  // The losers are free again; the winner is on the call.
  arrive(17, 2);
  EXPECT_EQ(rung(), (Names{"a1", "a3"}));
}

TEST_F(RingAllTest, SkipsBusyAndWithdrawnAgents) {
  start(config({0, 0, 0}));
  busy(0, "a1");
  ASSERT_TRUE(e().setPresence(at(0), agent("a3"), Presence::kWithdrawn, "lunch").has_value());
  clear();
  arrive(1, 1);
  EXPECT_EQ(rung(), Names{"a2"});
}

TEST_F(RingAllTest, AgentFreedDuringTheRoundJoinsIt) {
  start(config({0, 0}));
  busy(0, "a2");
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  clear();
  freeUp(5, "a2");
  const auto rings = actionsOf<RingAgent>();
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].agent, agent("a2"));
  EXPECT_EQ(rings[0].until, at(20));
  clear();
  answer(6, 1, "a2");
  EXPECT_EQ(stopped(), Names{"a1"});
  EXPECT_EQ(count("RINGNOANSWER"), 0);
}

TEST_F(RingAllTest, EachLegRingsForItsOwnRingTime) {
  start(config({0, 0, 0}));
  busy(0, "a2");
  busy(0, "a3");
  arrive(0, 1);     // a1 rings until 15
  freeUp(5, "a2");  // joins, rings until 20
  freeUp(8, "a3");  // joins, rings until 23
  ASSERT_TRUE(e().ringFailed(at(9), CallId{1}, agent("a1"), RingFailure::kDeclined).has_value());
  EXPECT_EQ(e().nextDeadline(), at(20)) << "the ring timer follows the earliest leg left";
  clear();
  e().advance(at(19.9));  // nothing is due at a1's old deadline
  EXPECT_TRUE(eventNames().empty());
  e().advance(at(20));
  EXPECT_EQ(eventNames(), Names{"RINGNOANSWER"});
  EXPECT_EQ(lastEvent(EventType::kRingNoAnswer)->agent, agent("a2"));
  EXPECT_EQ(stopped(), Names{"a2"});
  clear();
  e().advance(at(22.9));
  EXPECT_TRUE(eventNames().empty());
  e().advance(at(23));
  EXPECT_EQ(eventNames(), Names{"RINGNOANSWER"});
  EXPECT_EQ(lastEvent(EventType::kRingNoAnswer)->agent, agent("a3"));
  EXPECT_EQ(lastEvent(EventType::kRingNoAnswer)->ring, Duration(15000));
  EXPECT_EQ(e().activeCalls(), 1u);
}

TEST_F(RingAllTest, DeclinedAgentLeavesTheRoundWhileTheOthersKeepRinging) {
  start(config({0, 0, 0}));
  arrive(0, 1);
  clear();
  ASSERT_TRUE(e().ringFailed(at(2), CallId{1}, agent("a2"), RingFailure::kDeclined).has_value());
  const Event* na = lastEvent(EventType::kRingNoAnswer);
  ASSERT_NE(na, nullptr);
  EXPECT_EQ(na->agent, agent("a2"));
  EXPECT_EQ(na->reason, "declined");
  EXPECT_EQ(na->ring, Duration(2000));
  EXPECT_TRUE(rung().empty());  // a2 does not ring again in this round
  clear();
  answer(3, 1, "a3");
  EXPECT_EQ(stopped(), Names{"a1"});
}

TEST_F(RingAllTest, AfterEveryoneRingsOutPausesThenRingsEveryoneAgain) {
  start(config({0, 0}));
  arrive(0, 1);
  clear();
  e().advance(at(15));
  EXPECT_EQ(count("RINGNOANSWER"), 2);
  const Event* noAnswer = lastEvent(EventType::kRingNoAnswer);
  ASSERT_NE(noAnswer, nullptr);
  EXPECT_EQ(noAnswer->ring, Duration(15000));
  EXPECT_TRUE(rung().empty());
  clear();
  e().advance(at(19.9));  // retry pause: 5 s
  EXPECT_TRUE(rung().empty());
  e().advance(at(20));
  EXPECT_EQ(rung(), (Names{"a1", "a2"}));
  EXPECT_EQ(e().activeCalls(), 1u);  // the caller was never lost
  clear();
  answer(21, 1, "a1");
  const Event* connect = lastEvent(EventType::kConnect);
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->wait, Duration(21000));
}

TEST_F(RingAllTest, RingsOnlyTheLowestLevel) {
  start(config({0, 1, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), (Names{"a1", "a3"}));
}

TEST_F(RingAllTest, RingsTheHigherLevelWhenTheLowerIsBusyOrWithdrawn) {
  start(config({0, 0, 1}));
  busy(0, "a1");
  ASSERT_TRUE(e().setPresence(at(0), agent("a2"), Presence::kWithdrawn, "lunch").has_value());
  clear();
  arrive(1, 1);
  EXPECT_EQ(rung(), Names{"a3"});
}

TEST_F(RingAllTest, HigherLevelAgentFreedDuringALowerRoundDoesNotJoin) {
  start(config({0, 1}));
  busy(0, "a2");
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  clear();
  freeUp(5, "a2");
  EXPECT_TRUE(rung().empty());
}

TEST_F(RingAllTest, LowerLevelAgentFreedDuringAHigherRoundJoinsIt) {
  start(config({0, 1}));
  busy(0, "a1");
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a2"});
  clear();
  freeUp(5, "a1");
  EXPECT_EQ(rung(), Names{"a1"});
}

}  // namespace
}  // namespace callq::core::testing
