// Agents in several queues: one offer at a time, the longest-waiting caller weighted by the
// queues' weights, and login/logout per queue.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class MultiQueueTest : public EngineTest {
 protected:
  Config twoQueues(double weightA, double weightB) {
    Config c = makeConfig(1, Strategy::kLinear);
    c.queues[0].name = "a";
    c.queues[0].weight = weightA;
    QueueConfig b = c.queues[0];
    b.name = "b";
    b.extension = "601";
    b.weight = weightB;
    c.queues.push_back(b);
    return c;
  }
};

TEST_F(MultiQueueTest, FreedAgentTakesTheCallerWhoWaitedLongest) {
  start(twoQueues(1, 1));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1, "b");
  arrive(5, 2, "a");
  clear();
  ASSERT_TRUE(e().otherCallEnded(at(20), agent("a1")).has_value());
  const auto rings = actionsOf<RingAgent>();
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].call, CallId{1});
  EXPECT_EQ(rings[0].queue, queue("b"));
}

TEST_F(MultiQueueTest, QueueWeightScalesTheWait) {
  start(twoQueues(3, 1));  // a's callers count three times their wait
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1, "b");
  arrive(10, 2, "a");
  clear();
  ASSERT_TRUE(e().otherCallEnded(at(20), agent("a1")).has_value());  // b: 20 s x1, a: 10 s x3
  EXPECT_EQ(actionsOf<RingAgent>().at(0).call, CallId{2});
}

TEST_F(MultiQueueTest, PriorityComesBeforeWait) {
  start(twoQueues(1, 1));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1, "b", 0);
  arrive(10, 2, "a", 1);
  clear();
  ASSERT_TRUE(e().otherCallEnded(at(20), agent("a1")).has_value());
  EXPECT_EQ(actionsOf<RingAgent>().at(0).call, CallId{2});
}

TEST_F(MultiQueueTest, AnAgentRingsForOneCallAcrossQueues) {
  start(twoQueues(1, 1));
  arrive(0, 1, "a");
  arrive(0, 2, "b");
  EXPECT_EQ(actionsOf<RingAgent>().size(), 1u);
  clear();
  answer(1, 1, "a1");
  EXPECT_TRUE(rung().empty()) << "on a call from queue a: not offered b's caller";
  ASSERT_TRUE(e().callEnded(at(30), CallId{1}, Party::kAgent).has_value());
  EXPECT_EQ(actionsOf<RingAgent>().at(0).call, CallId{2});
}

TEST_F(MultiQueueTest, DynamicMembersLogInAndOutPerQueue) {
  Config c = twoQueues(1, 1);
  c.queues[0].members[0].isStatic = false;
  c.queues[1].members[0].isStatic = false;
  start(c);
  EXPECT_FALSE(e().isLoggedIn(agent("a1"), queue("a")));
  ASSERT_TRUE(e().login(at(0), agent("a1"), queue("b")).has_value());
  EXPECT_EQ(lastEvent(EventType::kAddMember)->queue, queue("b"));
  clear();
  arrive(1, 1, "a");
  EXPECT_TRUE(rung().empty());
  arrive(2, 2, "b");
  EXPECT_EQ(actionsOf<RingAgent>().at(0).call, CallId{2});
  clear();
  ASSERT_TRUE(e().logout(at(3), agent("a1"), queue("b")).has_value());
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"REMOVEMEMBER", "RINGCANCELED"}));
  EXPECT_EQ(stopped(), std::vector<std::string>{"a1"});
  EXPECT_EQ(lastEvent(EventType::kRingCanceled)->reason, "logged out");
}

TEST_F(MultiQueueTest, LoginErrorsChangeNothing) {
  Config c = twoQueues(1, 1);
  c.queues[1].members.clear();
  start(c);
  clear();
  auto staticLogout = e().logout(at(0), agent("a1"), queue("a"));
  ASSERT_FALSE(staticLogout.has_value());
  EXPECT_EQ(staticLogout.error().code, ErrorCode::kFailedPrecondition);
  auto notMember = e().login(at(0), agent("a1"), queue("b"));
  ASSERT_FALSE(notMember.has_value());
  EXPECT_EQ(notMember.error().code, ErrorCode::kNotFound);
  EXPECT_NE(notMember.error().message.find("not a member"), std::string::npos);
  EXPECT_FALSE(e().login(at(0), AgentId{99}, queue("a")).has_value());
  EXPECT_TRUE(e().events().empty());
  EXPECT_TRUE(e().isLoggedIn(agent("a1"), queue("a")));
}

}  // namespace
}  // namespace callq::core::testing
