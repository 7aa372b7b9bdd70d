// linear: members in list order, starting from the first member for every call.
#include <string>
#include <tuple>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class LinearTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels) {
    return levelsConfig(Strategy::kLinear, levels);
  }
};

TEST_F(LinearTest, StartsFromTheFirstMemberForEveryCall) {
  start(config({0, 0, 0}));
  Names got;
  for (std::uint64_t call = 1; call <= 4; ++call) {
    got.push_back(serve(10.0 * static_cast<double>(call), call));
  }
  EXPECT_EQ(got, (Names{"a1", "a1", "a1", "a1"}));
}

TEST_F(LinearTest, ConcurrentCallGoesToTheNextFreeMemberThenBackToTheFirst) {
  start(config({0, 0, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  answer(1, 1, "a1");
  clear();
  arrive(2, 2);
  EXPECT_EQ(rung(), Names{"a2"});
  answer(3, 2, "a2");
  ASSERT_TRUE(e().callEnded(at(10), CallId{1}, Party::kAgent).has_value());
  ASSERT_TRUE(e().callEnded(at(11), CallId{2}, Party::kAgent).has_value());
  // Round-robin would now offer a3; linear starts again from a1.
  EXPECT_EQ(serve(20, 3), "a1");
}

TEST_F(LinearTest, NoAnswerMovesDownTheListThenPausesAndStartsOver) {
  start(config({0, 0, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  for (const auto& [t, rang, next] : {std::tuple{15.0, "a1", "a2"}, std::tuple{30.0, "a2", "a3"}}) {
    clear();
    e().advance(at(t));
    expectNoAnswer(rang);
    EXPECT_EQ(rung(), Names{next});
  }
  clear();
  e().advance(at(45));
  const Event* noAnswer = lastEvent(EventType::kRingNoAnswer);
  ASSERT_NE(noAnswer, nullptr);
  EXPECT_EQ(noAnswer->agent, agent("a3"));
  EXPECT_TRUE(rung().empty());  // retry pause
  e().advance(at(50));
  EXPECT_EQ(rung(), Names{"a1"});
  clear();
  answer(52, 1, "a1");
  EXPECT_EQ(actionsOf<Bridge>().size(), 1u);
  const Event* connect = lastEvent(EventType::kConnect);
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->wait, Duration(52000));
}

TEST_F(LinearTest, SkipsAWithdrawnFirstMember) {
  start(config({0, 0, 0}));
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_EQ(serve(1, 1), "a2");
  EXPECT_EQ(serve(5, 2), "a2");
}

TEST_F(LinearTest, LowerLevelBeatsListOrder) {
  start(config({1, 0, 0}));
  EXPECT_EQ(serve(0, 1), "a2");
  EXPECT_EQ(serve(5, 2), "a2");
}

TEST_F(LinearTest, HigherLevelOnlyWhenEveryLowerLevelMemberIsBusyOrWithdrawn) {
  start(config({1, 0, 0}));
  busy(0, "a2");
  EXPECT_EQ(serve(1, 1), "a3");
  ASSERT_TRUE(e().setPresence(at(5), agent("a3"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_EQ(serve(6, 2), "a1");
}

TEST_F(LinearTest, NoAnswerAtTheLowerLevelMovesOnToTheHigherLevel) {
  // strategy.h: the lowest level that has an untried available member.
  start(config({1, 0}));
  arrive(0, 1);
  EXPECT_EQ(rung(), Names{"a2"});
  clear();
  e().advance(at(15));
  EXPECT_EQ(rung(), Names{"a1"});
}

TEST_F(LinearTest, CallerInItsRetryPauseKeepsItsPlaceAheadOfALaterCaller) {
  start(config({0}));
  arrive(0, 1);
  arrive(1, 2);  // nobody free: waits behind call 1
  clear();
  e().advance(at(15));  // a1 rings out on call 1; call 1 pauses 5 s
  EXPECT_TRUE(actionsOf<RingAgent>().empty());
  e().advance(at(20));
  const auto rings = actionsOf<RingAgent>();
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].call, CallId{1});
}

}  // namespace
}  // namespace callq::core::testing
