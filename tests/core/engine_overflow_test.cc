// When nobody can take the call: wait time 1 (all Withdrawn), wait time 2 (nobody logged in or all
// Not available), refused joins, and the actions that follow, including queue chains and loops.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class OverflowTest : public EngineTest {
 protected:
  // Queues q0 -> q1 -> q2 (each overflows to the next), one dynamic member each, nobody logged in.
  Config chain(int queues, const std::string& lastTarget) {
    Config c;
    for (int i = 0; i < queues; ++i) {
      c.agents.push_back(AgentConfig{"a" + std::to_string(i), "", std::to_string(200 + i)});
      QueueConfig q;
      q.name = "q" + std::to_string(i);
      q.extension = std::to_string(600 + i);
      q.waitEmpty = Duration(0);
      const std::string next = i + 1 < queues ? "q" + std::to_string(i + 1) : lastTarget;
      q.onOverflow = Destination{DestinationKind::kQueue, next, "moving you"};
      q.members.push_back(MemberConfig{"a" + std::to_string(i), 0, false});
      c.queues.push_back(q);
    }
    return c;
  }
};

TEST_F(OverflowTest, AllWithdrawnWaitsWaitTime1ThenTimeoutAction) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].waitWithdrawn = Duration(30'000);
  c.queues[0].waitEmpty = Duration(5'000);
  c.queues[0].onTimeout = Destination{DestinationKind::kVoicemail, "", ""};
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a2"), Presence::kWithdrawn, "training").has_value());
  arrive(10, 1);
  clear();
  e().advance(at(39.999));
  EXPECT_TRUE(e().events().empty());
  e().advance(at(40));
  const Event* ev = lastEvent(EventType::kExitWithTimeout);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->wait, Duration(30'000));
  EXPECT_EQ(actionsOf<ExitQueue>().at(0).destination.kind, DestinationKind::kVoicemail);
}

TEST_F(OverflowTest, WaitTime1CountsFromWhenEveryoneWithdrew) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].waitWithdrawn = Duration(30'000);
  start(c);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1);  // a1 is Ready but busy: the caller just waits
  ASSERT_TRUE(e().setPresence(at(100), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  e().advance(at(129));
  EXPECT_EQ(e().position(CallId{1}), 1u);
  e().advance(at(130));
  EXPECT_EQ(e().position(CallId{1}), std::nullopt);
}

TEST_F(OverflowTest, AnAgentBackToReadyCancelsWaitTime1) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].waitWithdrawn = Duration(30'000);
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  arrive(0, 1);
  ASSERT_TRUE(e().otherCallStarted(at(5), agent("a1")).has_value());
  ASSERT_TRUE(e().setPresence(at(10), agent("a1"), Presence::kReady).has_value());
  e().advance(at(100));
  EXPECT_EQ(e().position(CallId{1}), 1u);
  EXPECT_EQ(lastEvent(EventType::kExitWithTimeout), nullptr);
}

TEST_F(OverflowTest, AllNotAvailableWaitsWaitTime2ThenOverflowAction) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].waitWithdrawn = Duration(60'000);
  c.queues[0].waitEmpty = Duration(20'000);
  c.queues[0].onOverflow = Destination{DestinationKind::kNumber, "+3225551234", ""};
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kNotAvailable).has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a2"), Presence::kNotAvailable).has_value());
  arrive(0, 1);
  clear();
  e().advance(at(20));
  const Event* ev = lastEvent(EventType::kExitEmpty);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->reason, "number:+3225551234");
  EXPECT_EQ(actionsOf<ExitQueue>().at(0).destination.target, "+3225551234");
}

TEST_F(OverflowTest, NobodyLoggedInWithZeroWaitTime2LeavesAtOnce) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].members[0].isStatic = false;
  c.queues[0].waitEmpty = Duration(0);
  start(c);
  arrive(0, 1);
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"ENTERQUEUE", "EXITEMPTY"}));
  EXPECT_EQ(actionsOf<ExitQueue>().at(0).destination.kind, DestinationKind::kHangup);
}

TEST_F(OverflowTest, UnsetWaitTimesKeepTheCallerWaiting) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].members[0].isStatic = false;
  start(c);
  arrive(0, 1);
  e().advance(at(10'000));
  EXPECT_EQ(e().position(CallId{1}), 1u);
  clear();
  ASSERT_TRUE(e().login(at(10'001), agent("a1"), queue("q")).has_value());
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
}

TEST_F(OverflowTest, JoinRefusedWhenEmptyAndConfigured) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].members[0].isStatic = false;
  c.queues[0].refuseJoinEmpty = true;
  c.queues[0].onOverflow = Destination{DestinationKind::kVoicemail, "600", ""};
  start(c);
  arrive(0, 1);
  EXPECT_EQ(eventNames(), std::vector<std::string>{"JOINREFUSED"});
  EXPECT_EQ(lastEvent(EventType::kJoinRefused)->reason, "empty");
  EXPECT_EQ(actionsOf<ExitQueue>().at(0).destination.target, "600");
  clear();
  ASSERT_TRUE(e().login(at(1), agent("a1"), queue("q")).has_value());
  ASSERT_TRUE(e().setPresence(at(1), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  arrive(2, 2);  // all Withdrawn is not empty: the caller may join
  EXPECT_EQ(lastEvent(EventType::kEnterQueue)->call, CallId{2});
}

TEST_F(OverflowTest, OverflowToAnotherQueueMovesTheCaller) {
  Config c = chain(2, "q0");
  start(c);
  ASSERT_TRUE(e().login(at(0), agent("a1"), queue("q1")).has_value());
  clear();
  ASSERT_TRUE(e().callArrived(at(1), CallArrival{CallId{7}, queue("q0"), 0, "c"}).has_value());
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"ENTERQUEUE", "EXITEMPTY", "ENTERQUEUE"}));
  const auto moves = actionsOf<MoveQueue>();
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].from, queue("q0"));
  EXPECT_EQ(moves[0].to, queue("q1"));
  EXPECT_EQ(moves[0].message, "moving you");
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
}

TEST_F(OverflowTest, ChainsAreFollowedAndLoopsEndInHangup) {
  start(chain(3, "q0"));  // q0 -> q1 -> q2 -> q0: a loop, nobody logged in anywhere
  clear();
  ASSERT_TRUE(e().callArrived(at(0), CallArrival{CallId{1}, queue("q0"), 0, "c"}).has_value());
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"ENTERQUEUE", "EXITEMPTY", "ENTERQUEUE",
                                                    "EXITEMPTY", "ENTERQUEUE", "EXITEMPTY"}));
  EXPECT_EQ(actionsOf<MoveQueue>().size(), 2u);
  const auto exits = actionsOf<ExitQueue>();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].destination.kind, DestinationKind::kHangup);
  EXPECT_EQ(exits[0].queue, queue("q2"));
  EXPECT_EQ(e().activeCalls(), 0u);
}

TEST_F(OverflowTest, RefusedJoinsFollowTheChainToo) {
  Config c = chain(2, "q0");
  for (auto& q : c.queues) {
    q.refuseJoinEmpty = true;
  }
  start(c);
  clear();
  ASSERT_TRUE(e().callArrived(at(0), CallArrival{CallId{1}, queue("q0"), 0, "c"}).has_value());
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"JOINREFUSED", "JOINREFUSED"}));
  EXPECT_EQ(actionsOf<ExitQueue>().at(0).destination.kind, DestinationKind::kHangup);
}

TEST_F(OverflowTest, UnregisteredAgentsDoNotStaffTheQueue) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].waitEmpty = Duration(10'000);
  start(c);
  ASSERT_TRUE(e().setRegistered(at(0), agent("a1"), false).has_value());
  arrive(0, 1);
  e().advance(at(10));
  EXPECT_NE(lastEvent(EventType::kExitEmpty), nullptr);
}

}  // namespace
}  // namespace callq::core::testing
