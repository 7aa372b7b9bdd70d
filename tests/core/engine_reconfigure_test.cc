// A new configuration while running (prepareReconfigure + reconfigure): calls and agents' state
// carry over, ids are renumbered, and what the live state forbids is refused without a change.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class ReconfigureTest : public StrategyTest {
 protected:
  // Both steps at time t, as the server runs them; the events of step 1 are checked by the caller.
  Result<Engine::Renumbering> reconfigure(double t, const Config& next) {
    if (Result<void> ok = e().prepareReconfigure(at(t), next); !ok) {
      return tl::unexpected(ok.error());
    }
    return e().reconfigure(at(t), next);
  }
  void reconfigureOk(double t, const Config& next) {
    Result<Engine::Renumbering> r = reconfigure(t, next);
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  // Everything the engine says about the live state, to compare before and after a refusal.
  std::string picture(double t) {
    std::string out;
    for (std::uint32_t q = 0; q < e().config().queues.size(); ++q) {
      const QueueSnapshot s = e().queueSnapshot(at(t), QueueId{q});
      out += e().config().queues[q].name + ":" + std::to_string(s.callers.size()) + "," +
             std::to_string(s.agents.loggedIn) + "," + std::to_string(s.agents.ready) + ";";
    }
    for (std::uint32_t a = 0; a < e().config().agents.size(); ++a) {
      const AgentSnapshot s = e().agentSnapshot(AgentId{a});
      out += e().config().agents[a].id + ":" + std::string(presenceName(s.presence)) + "," +
             std::string(activityName(s.activity)) + ";";
    }
    return out;
  }
};

// Queues "first" (a1, a2) and "q" (a1..a3 static, ring-all).
Config twoQueues() {
  Config c = makeConfig(3);
  QueueConfig first;
  first.name = "first";
  first.extension = "500";
  first.members = {MemberConfig{"a1", 0, true}, MemberConfig{"a2", 0, false}};
  c.queues.insert(c.queues.begin(), first);
  return c;
}

TEST_F(ReconfigureTest, ANewStaticMemberRingsForTheWaitingCallerAtOnce) {
  Config c = makeConfig(1);
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  arrive(1, 7);
  clear();
  c.agents.push_back(AgentConfig{"new", "New", "299"});
  c.queues[0].members.push_back(MemberConfig{"new", 0, true});
  reconfigureOk(5, c);
  EXPECT_EQ(eventNames(), Names{"ADDMEMBER"});
  EXPECT_EQ(lastEvent(EventType::kAddMember)->reason, "configuration");
  EXPECT_EQ(rung(), Names{"new"});
  answer(6, 7, "new");
  const Event* connect = lastEvent(EventType::kConnect);
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->wait, Duration(5000));  // the caller kept its arrival time
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kWithdrawn);  // kept
}

TEST_F(ReconfigureTest, AStrategyChangeAppliesToTheNextOffer) {
  Config c = makeConfig(3, Strategy::kRingAll);
  start(c);
  c.queues[0].strategy = Strategy::kLinear;
  reconfigureOk(1, c);
  EXPECT_TRUE(e().events().empty());
  arrive(2, 1);
  EXPECT_EQ(rung(), Names{"a1"});  // ring-all would ring all three
}

TEST_F(ReconfigureTest, RemovingAQueueCallersAreInIsRefusedAndChangesNothing) {
  Config c = twoQueues();
  start(c);
  arrive(1, 1, "first");
  clear();
  const std::string before = picture(2);
  Config next = c;
  next.queues.erase(next.queues.begin());
  Result<Engine::Renumbering> r = reconfigure(2, next);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("queue 'first' has callers"), std::string::npos);
  EXPECT_TRUE(e().events().empty());
  EXPECT_TRUE(e().actions().empty());
  EXPECT_EQ(e().config().queues.size(), 2u);
  EXPECT_EQ(picture(2), before);
}

TEST_F(ReconfigureTest, RemovingAQueueRenumbersTheOthersWithTheirCallers) {
  Config c = twoQueues();
  start(c);
  ASSERT_TRUE(e().login(at(0), agent("a2"), queue("first")).has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a3"), Presence::kNotAvailable).has_value());
  arrive(1, 1, "q");
  answer(2, 1, "a1");
  clear();
  arrive(3, 2, "q");  // rings a2 (a3 is not available)
  EXPECT_EQ(rung(), Names{"a2"});
  clear();
  Config next = c;
  next.queues.erase(next.queues.begin());
  ASSERT_TRUE(e().prepareReconfigure(at(4), next).has_value());
  // a2 was logged in to "first": logged out of it (a1 is static there, and on a call of "q").
  EXPECT_EQ(eventNames(), (Names{"REMOVEMEMBER", "REMOVEMEMBER"}));
  clear();
  Result<Engine::Renumbering> r = e().reconfigure(at(4), next);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->queues[0].has_value());
  EXPECT_EQ(r->queues[1], QueueId{0});
  EXPECT_EQ(queue("q"), QueueId{0});
  EXPECT_FALSE(e().findQueue("first").has_value());
  EXPECT_EQ(e().position(CallId{2}), 1u);
  EXPECT_EQ(e().agentSnapshot(agent("a2")).activity, Activity::kRinging);  // still ringing
  answer(5, 2, "a2");
  ASSERT_TRUE(e().callEnded(at(6), CallId{1}, Party::kAgent).has_value());
  const Event* done = lastEvent(EventType::kCompleteAgent);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->queue, queue("q"));
  EXPECT_EQ(done->agent, agent("a1"));
  EXPECT_EQ(done->talk, Duration(4000));
}

TEST_F(ReconfigureTest, RemovingARingingAgentEndsItsRingAndTheCallerGoesOn) {
  Config c = makeConfig(2, Strategy::kLinear);
  start(c);
  arrive(1, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  clear();
  Config next = c;
  next.agents.erase(next.agents.begin());
  next.queues[0].members.erase(next.queues[0].members.begin());
  ASSERT_TRUE(e().prepareReconfigure(at(2), next).has_value());
  EXPECT_EQ(stopped(), Names{"a1"});
  EXPECT_EQ(rung(), Names{"a2"});  // the caller goes on to the next member at once
  const Event* canceled = lastEvent(EventType::kRingCanceled);
  ASSERT_NE(canceled, nullptr);
  EXPECT_EQ(canceled->reason, "configuration");
  clear();
  Result<Engine::Renumbering> r = e().reconfigure(at(2), next);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->agents[0].has_value());
  EXPECT_EQ(r->agents[1], AgentId{0});
  EXPECT_EQ(e().agentSnapshot(agent("a2")).activity, Activity::kRinging);
  answer(3, 1, "a2");
  EXPECT_EQ(e().activeCalls(), 1u);
}

TEST_F(ReconfigureTest, AnAgentOnACallKeepsItsMembershipUntilTheCallEnds) {
  Config c = makeConfig(2);
  start(c);
  arrive(1, 1);
  answer(2, 1, "a2");
  clear();
  Config withoutMember = c;
  withoutMember.queues[0].members.pop_back();
  Config withoutAgent = withoutMember;
  withoutAgent.agents.pop_back();
  for (const Config& next : {withoutMember, withoutAgent}) {
    Result<Engine::Renumbering> r = reconfigure(3, next);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("agent 'a2' is on a call of queue 'q'"), std::string::npos);
    EXPECT_TRUE(e().events().empty());
  }
  ASSERT_TRUE(e().otherCallStarted(at(4), agent("a1")).has_value());
  Config noA1 = c;
  noA1.agents.erase(noA1.agents.begin());
  noA1.queues[0].members.erase(noA1.queues[0].members.begin());
  Result<Engine::Renumbering> r = reconfigure(5, noA1);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("agent 'a1' is on a call"), std::string::npos);
  ASSERT_TRUE(e().callEnded(at(6), CallId{1}, Party::kCaller).has_value());
  reconfigureOk(7, withoutAgent);
  EXPECT_EQ(e().config().agents.size(), 1u);
}

TEST_F(ReconfigureTest, StepTwoAloneRefusesWhileARemovedMembershipIsLoggedIn) {
  Config c = makeConfig(2);
  start(c);
  Config next = c;
  next.queues[0].members.pop_back();
  Result<Engine::Renumbering> r = e().reconfigure(at(1), next);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("prepareReconfigure first"), std::string::npos);
  EXPECT_EQ(e().config().queues[0].members.size(), 2u);
  EXPECT_TRUE(e().isLoggedIn(agent("a2"), queue("q")));
}

TEST_F(ReconfigureTest, AnInvalidConfigurationIsRefusedWithValidateConfigsMessage) {
  Config c = makeConfig(2);
  start(c);
  Config next = c;
  next.queues[0].members.push_back(MemberConfig{"ghost", 0, false});
  Result<void> r = e().prepareReconfigure(at(1), next);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("ghost"), std::string::npos);
  EXPECT_EQ(e().config().queues[0].members.size(), 2u);
}

TEST_F(ReconfigureTest, DynamicLoginsPresenceAndWrapUpCarryOverAcrossRenumbering) {
  Config c = makeConfig(3);
  c.queues[0].wrapUp = Duration(10'000);
  c.queues[0].members[2].isStatic = false;
  start(c);
  ASSERT_TRUE(e().login(at(0), agent("a3"), queue("q")).has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a2"), Presence::kWithdrawn, "lunch").has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kNotAvailable).has_value());
  arrive(1, 1);
  answer(2, 1, "a3");
  ASSERT_TRUE(e().callEnded(at(3), CallId{1}, Party::kCaller).has_value());  // wrap-up to 13 s
  // a1 (index 0) is removed: a3 becomes index 1, and its wrap-up timer must follow it.
  Config next = c;
  next.agents.erase(next.agents.begin());
  next.queues[0].members.erase(next.queues[0].members.begin());
  reconfigureOk(4, next);
  EXPECT_EQ(agent("a3"), AgentId{1});
  EXPECT_TRUE(e().isLoggedIn(agent("a3"), queue("q")));
  EXPECT_EQ(e().agentSnapshot(agent("a2")).reason, "lunch");
  EXPECT_EQ(e().agentSnapshot(agent("a3")).activity, Activity::kWrapUp);
  clear();
  arrive(5, 2);
  EXPECT_TRUE(rung().empty());
  e().advance(at(12.9));
  EXPECT_TRUE(rung().empty());
  e().advance(at(13));  // the end of a3's wrap-up, renumbered with it
  EXPECT_EQ(rung(), Names{"a3"});
}

TEST_F(ReconfigureTest, AWrapUpTimerOfARemovedAgentEndsNobodysWrapUp) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].wrapUp = Duration(10'000);
  start(c);
  arrive(1, 1);  // a1
  answer(1, 1, "a1");
  ASSERT_TRUE(e().otherCallStarted(at(1.5), agent("a1")).has_value());  // keeps a1 off call 2
  arrive(2, 2);                                                         // a2
  answer(2, 2, "a2");
  ASSERT_TRUE(e().otherCallEnded(at(2.5), agent("a1")).has_value());
  ASSERT_TRUE(e().callEnded(at(3), CallId{2}, Party::kAgent).has_value());  // a2: wrap-up to 13
  ASSERT_TRUE(e().callEnded(at(8), CallId{1}, Party::kAgent).has_value());  // a1: wrap-up to 18
  Config next = c;
  next.agents.pop_back();
  next.queues[0].members.pop_back();
  reconfigureOk(4, next);
  e().advance(at(13.5));  // a2's timer fired: it must not end a1's wrap-up
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kWrapUp);
  e().advance(at(18));
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kIdle);
}

TEST_F(ReconfigureTest, RoundRobinGoesOnFromTheAgentLastOffered) {
  Config c = makeConfig(3, Strategy::kRoundRobin);
  start(c);
  EXPECT_EQ(serve(1, 1), "a1");
  // A member inserted in front does not make a1 the next again.
  Config inserted = c;
  inserted.agents.push_back(AgentConfig{"new", "New", "299"});
  inserted.queues[0].members.insert(inserted.queues[0].members.begin(),
                                    MemberConfig{"new", 0, true});
  reconfigureOk(10, inserted);
  clear();
  EXPECT_EQ(serve(11, 2), "a2");
  // The member last offered leaves: the next one after it is next.
  Config removed = inserted;
  removed.queues[0].members.erase(removed.queues[0].members.begin() + 2);  // a2
  reconfigureOk(20, removed);
  clear();
  EXPECT_EQ(serve(21, 3), "a3");
  EXPECT_EQ(serve(31, 4), "new");
}

TEST_F(ReconfigureTest, ARingAllCallChangedToLinearRingsOneAtATime) {
  Config c = makeConfig(3, Strategy::kRingAll);
  start(c);
  busy(0, "a2");
  busy(0, "a3");
  arrive(1, 1);
  EXPECT_EQ(rung(), Names{"a1"});
  Config next = c;
  next.queues[0].strategy = Strategy::kLinear;
  reconfigureOk(2, next);
  clear();
  freeUp(3, "a2");  // ring-all would add a2 to the ringing round
  EXPECT_TRUE(rung().empty());
  e().advance(at(16));  // a1's ring time is over: linear goes on to a2
  EXPECT_EQ(rung(), Names{"a2"});
}

TEST_F(ReconfigureTest, CallersKeepTheirPriorityOrder) {
  Config c = makeConfig(1);
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  arrive(1, 1, "q", 0);
  arrive(2, 2, "q", 5);
  Config next = c;
  next.queues[0].retry = Duration(1000);
  reconfigureOk(3, next);
  EXPECT_EQ(e().position(CallId{2}), 1u);
  EXPECT_EQ(e().position(CallId{1}), 2u);
  clear();
  ASSERT_TRUE(e().setPresence(at(4), agent("a1"), Presence::kReady).has_value());
  ASSERT_EQ(actionsOf<RingAgent>().size(), 1u);
  EXPECT_EQ(actionsOf<RingAgent>()[0].call, CallId{2});
}

TEST_F(ReconfigureTest, WaitLimitsAreReArmedFromTheCallersArrival) {
  Config c = makeConfig(1);
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  arrive(10, 1);
  arrive(50, 2);
  clear();
  Config next = c;
  next.queues[0].maxWait = Duration(60'000);
  reconfigureOk(60, next);
  EXPECT_TRUE(eventNames().empty());
  e().advance(at(70));  // call 1 has waited 60 s
  EXPECT_EQ(eventNames(), Names{"EXITWITHTIMEOUT"});
  EXPECT_EQ(e().activeCalls(), 1u);
  clear();
  e().advance(at(110));
  EXPECT_EQ(eventNames(), Names{"EXITWITHTIMEOUT"});
  EXPECT_EQ(e().activeCalls(), 0u);
}

TEST_F(ReconfigureTest, AQueueThatStaysEmptyKeepsItsEmptySince) {
  Config c = makeConfig(1);
  c.queues[0].members[0].isStatic = false;
  c.queues[0].waitEmpty = Duration(100'000);
  start(c);
  ASSERT_TRUE(e().login(at(0), agent("a1"), queue("q")).has_value());
  busy(5, "a1");  // staffed, but cannot take the caller
  arrive(10, 1);
  ASSERT_TRUE(e().logout(at(20), agent("a1"), queue("q")).has_value());  // empty since 20 s
  clear();
  Config next = c;
  next.queues[0].waitEmpty = Duration(30'000);
  reconfigureOk(30, next);
  e().advance(at(49.9));
  EXPECT_TRUE(eventNames().empty());
  e().advance(at(50));  // 30 s after the queue became empty (not after the caller came)
  EXPECT_EQ(eventNames(), Names{"EXITEMPTY"});
}

}  // namespace
}  // namespace callq::core::testing
