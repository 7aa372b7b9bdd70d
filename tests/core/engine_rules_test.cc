// The engine's rules with explicit times: rings and rounds, wrap-up, max wait, priority,
// auto-withdraw after no-answers, and what makes an agent busy.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class RulesTest : public EngineTest {};

TEST_F(RulesTest, NoAnswerMovesToNextAgentAndNeverLosesTheCaller) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].ringTime = Duration(10'000);
  start(c);
  arrive(0, 1);
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
  clear();
  e().advance(at(10));
  EXPECT_EQ(stopped(), std::vector<std::string>{"a1"});
  EXPECT_EQ(rung(), std::vector<std::string>{"a2"});
  const Event* rna = lastEvent(EventType::kRingNoAnswer);
  ASSERT_NE(rna, nullptr);
  EXPECT_EQ(rna->ring, Duration(10'000));
  EXPECT_EQ(rna->reason, "no answer");
  EXPECT_EQ(e().config().agents[rna->agent.value()].id, "a1");
  clear();
  e().advance(at(20));  // a2 rings out too: the round is over, pause 5 s, then a1 again
  EXPECT_TRUE(rung().empty());
  EXPECT_EQ(e().position(CallId{1}), 1u);
  clear();
  e().advance(at(24.999));
  EXPECT_TRUE(rung().empty());
  e().advance(at(25));
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
}

TEST_F(RulesTest, ZeroRetryStartsTheNextRoundAtOnce) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].retry = Duration(0);
  c.queues[0].ringTime = Duration(5'000);
  start(c);
  arrive(0, 1);
  clear();
  e().advance(at(5));
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
}

TEST_F(RulesTest, WrapUpKeepsTheAgentFromQueueCalls) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].wrapUp = Duration(30'000);
  start(c);
  arrive(0, 1);
  answer(1, 1, "a1");
  ASSERT_TRUE(e().callEnded(at(61), CallId{1}, Party::kCaller).has_value());
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kWrapUp);
  clear();
  arrive(70, 2);
  EXPECT_TRUE(rung().empty());
  EXPECT_EQ(e().nextDeadline(), at(91));
  e().advance(at(91));
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kRinging);
}

TEST_F(RulesTest, WrapUpAppliesAcrossQueues) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].wrapUp = Duration(10'000);
  QueueConfig other = c.queues[0];
  other.name = "other";
  other.extension = "601";
  other.wrapUp = Duration(0);
  c.queues.push_back(other);
  start(c);
  arrive(0, 1);
  answer(1, 1, "a1");
  ASSERT_TRUE(e().callEnded(at(2), CallId{1}, Party::kAgent).has_value());
  clear();
  arrive(3, 2, "other");
  EXPECT_TRUE(rung().empty()) << "wrap-up of one queue blocks calls of every queue";
  e().advance(at(12));
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
}

TEST_F(RulesTest, MaxWaitEndsTheWaitWithTheTimeoutAction) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxWait = Duration(60'000);
  c.queues[0].onTimeout = Destination{DestinationKind::kVoicemail, "", "All agents are busy"};
  start(c);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1);
  arrive(10, 2);
  clear();
  e().advance(at(60));
  const Event* ev = lastEvent(EventType::kExitWithTimeout);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->call, CallId{1});
  EXPECT_EQ(ev->wait, Duration(60'000));
  EXPECT_EQ(ev->position, 1u);
  EXPECT_EQ(ev->reason, "voicemail");
  const auto exits = actionsOf<ExitQueue>();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].destination.kind, DestinationKind::kVoicemail);
  EXPECT_EQ(exits[0].destination.message, "All agents are busy");
  EXPECT_EQ(e().position(CallId{2}), 1u);
}

TEST_F(RulesTest, MaxWaitCancelsARingInProgress) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxWait = Duration(20'000);
  c.queues[0].ringTime = Duration(30'000);
  start(c);
  arrive(0, 1);
  clear();
  e().advance(at(20));
  EXPECT_EQ(stopped(), std::vector<std::string>{"a1"});
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"RINGCANCELED", "EXITWITHTIMEOUT"}));
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kIdle);
}

TEST_F(RulesTest, KeepWaitingOnMaxWaitLeavesTheCallerInTheQueue) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxWait = Duration(20'000);
  c.queues[0].onTimeout = Destination{DestinationKind::kKeepWaiting, "", ""};
  start(c);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1);
  e().advance(at(100));
  EXPECT_EQ(e().position(CallId{1}), 1u);
  EXPECT_EQ(lastEvent(EventType::kExitWithTimeout), nullptr);
}

TEST_F(RulesTest, MaxCallersRefusesTheNextCaller) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxCallers = 2;
  c.queues[0].onOverflow = Destination{DestinationKind::kExtension, "299", ""};
  start(c);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1);
  arrive(1, 2);
  clear();
  arrive(2, 3);
  EXPECT_EQ(eventNames(), std::vector<std::string>{"JOINREFUSED"});
  EXPECT_EQ(lastEvent(EventType::kJoinRefused)->reason, "full");
  const auto exits = actionsOf<ExitQueue>();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].destination.target, "299");
  EXPECT_EQ(e().activeCalls(), 2u);
}

TEST_F(RulesTest, HigherPriorityCallersGoFirst) {
  start(makeConfig(1, Strategy::kLinear));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1, "q", 0);
  arrive(1, 2, "q", 0);
  arrive(2, 3, "q", 5);
  EXPECT_EQ(e().position(CallId{3}), 1u);
  EXPECT_EQ(e().position(CallId{1}), 2u);
  EXPECT_EQ(e().position(CallId{2}), 3u);
  EXPECT_EQ(lastEvent(EventType::kEnterQueue)->position, 1u);
  clear();
  ASSERT_TRUE(e().otherCallEnded(at(3), agent("a1")).has_value());
  const auto rings = actionsOf<RingAgent>();
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].call, CallId{3});
}

TEST_F(RulesTest, AgentIsWithdrawnAfterNConsecutiveNoAnswers) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].maxNoAnswer = 2;
  c.queues[0].ringTime = Duration(10'000);
  c.queues[0].retry = Duration(0);
  start(c);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a2")).has_value());
  arrive(0, 1);
  e().advance(at(10));  // a1 misses once; retry 0: rung again
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
  clear();
  e().advance(at(20));  // misses twice: withdrawn with reason "no answer"
  const AgentSnapshot s = e().agentSnapshot(agent("a1"));
  EXPECT_EQ(s.presence, Presence::kWithdrawn);
  EXPECT_EQ(s.reason, "no answer");
  const Event* pause = lastEvent(EventType::kPause);
  ASSERT_NE(pause, nullptr);
  EXPECT_EQ(pause->reason, "no answer");
  EXPECT_TRUE(rung().empty());
  EXPECT_EQ(e().position(CallId{1}), 1u) << "the caller keeps waiting";
}

TEST_F(RulesTest, WithdrawnExactlyAtTheNthNoAnswer) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxNoAnswer = 3;
  c.queues[0].ringTime = Duration(10'000);
  c.queues[0].retry = Duration(0);
  start(c);
  arrive(0, 1);
  e().advance(at(20));  // two misses
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kRinging);
  e().advance(at(30));  // the third
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kWithdrawn);
  EXPECT_EQ(e().agentSnapshot(agent("a1")).reason, "no answer");
}

TEST_F(RulesTest, OnlyAnUnreachablePhoneCountsTowardAutoWithdraw) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxNoAnswer = 2;
  c.queues[0].retry = Duration(0);
  start(c);
  arrive(0, 1);
  for (RingFailure why : {RingFailure::kBusy, RingFailure::kDeclined, RingFailure::kBusy}) {
    ASSERT_TRUE(e().ringFailed(at(1), CallId{1}, agent("a1"), why).has_value());
  }
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
  ASSERT_TRUE(e().ringFailed(at(2), CallId{1}, agent("a1"), RingFailure::kUnreachable).has_value());
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
  ASSERT_TRUE(e().ringFailed(at(3), CallId{1}, agent("a1"), RingFailure::kUnreachable).has_value());
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kWithdrawn);
}

TEST_F(RulesTest, MissesInAQueueWithoutALimitDoNotCountTowardAnotherQueues) {
  // a1 serves q (no limit) and q2 (max_no_answer 2): two misses in q, then one in q2.
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].ringTime = Duration(10'000);
  c.queues[0].retry = Duration(0);
  QueueConfig q2 = c.queues[0];
  q2.name = "q2";
  q2.extension = "601";
  q2.maxNoAnswer = 2;
  c.queues.push_back(q2);
  start(c);
  arrive(0, 1, "q");
  e().advance(at(20));  // two misses in q
  ASSERT_TRUE(e().callerHungUp(at(20), CallId{1}).has_value());
  arrive(21, 2, "q2");
  e().advance(at(31));  // one miss in q2
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
  e().advance(at(41));  // the second in q2: its limit
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kWithdrawn);
}

TEST_F(RulesTest, AnAnswerResetsTheNoAnswerCount) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].maxNoAnswer = 2;
  c.queues[0].ringTime = Duration(10'000);
  c.queues[0].retry = Duration(0);
  start(c);
  arrive(0, 1);
  e().advance(at(10));  // one miss
  answer(12, 1, "a1");
  ASSERT_TRUE(e().callEnded(at(20), CallId{1}, Party::kAgent).has_value());
  arrive(20, 2);
  e().advance(at(30));  // one miss again: not two in a row
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
}

TEST_F(RulesTest, ZeroMaxNoAnswerNeverWithdraws) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].retry = Duration(0);
  c.queues[0].ringTime = Duration(1'000);
  start(c);
  arrive(0, 1);
  e().advance(at(50));
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
}

TEST_F(RulesTest, DirectAndOutgoingCallsMakeTheAgentBusyWhateverThePresence) {
  start(makeConfig(1, Strategy::kLinear));
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  EXPECT_TRUE(e().otherCallStarted(at(1), agent("a1")).has_value());
  EXPECT_TRUE(e().agentSnapshot(agent("a1")).onOtherCall);
  ASSERT_TRUE(e().setPresence(at(2), agent("a1"), Presence::kReady).has_value());
  clear();
  arrive(3, 1);
  EXPECT_TRUE(rung().empty());
  ASSERT_TRUE(e().otherCallEnded(at(4), agent("a1")).has_value());
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
  EXPECT_FALSE(e().otherCallEnded(at(5), agent("a1")).has_value());
}

TEST_F(RulesTest, AnOutgoingCallWhileRingingEndsTheOfferWithoutANoAnswer) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].maxNoAnswer = 1;
  start(c);
  arrive(0, 1);
  clear();
  ASSERT_TRUE(e().otherCallStarted(at(2), agent("a1")).has_value());
  EXPECT_EQ(stopped(), std::vector<std::string>{"a1"});
  EXPECT_EQ(rung(), std::vector<std::string>{"a2"});
  EXPECT_EQ(lastEvent(EventType::kRingNoAnswer)->reason, "busy");
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
}

TEST_F(RulesTest, RingFailureMovesOnAtOnce) {
  start(makeConfig(2, Strategy::kLinear));
  arrive(0, 1);
  clear();
  ASSERT_TRUE(e().ringFailed(at(1), CallId{1}, agent("a1"), RingFailure::kDeclined).has_value());
  EXPECT_TRUE(stopped().empty()) << "the phone already ended that leg";
  EXPECT_EQ(rung(), std::vector<std::string>{"a2"});
  EXPECT_EQ(lastEvent(EventType::kRingNoAnswer)->reason, "declined");
}

TEST_F(RulesTest, OnlyReadyRegisteredAgentsAreOffered) {
  start(makeConfig(3, Strategy::kLinear));
  ASSERT_TRUE(e().setPresence(at(0), agent("a1"), Presence::kNotAvailable).has_value());
  ASSERT_TRUE(e().setRegistered(at(0), agent("a2"), false).has_value());
  clear();
  arrive(1, 1);
  EXPECT_EQ(rung(), std::vector<std::string>{"a3"});
}

TEST_F(RulesTest, AnAgentIsOfferedOneCallAtATime) {
  start(makeConfig(1, Strategy::kRingAll));
  arrive(0, 1);
  arrive(0, 2);
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
  EXPECT_EQ(e().queueSnapshot(at(0), queue("q")).callers[1].ringing, false);
}

TEST_F(RulesTest, LateAnswerIsRefusedAndChangesNothing) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].ringTime = Duration(5'000);
  start(c);
  arrive(0, 1);
  e().advance(at(5));
  clear();
  auto r = e().agentAnswered(at(6), CallId{1}, agent("a1"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(e().events().empty());
  EXPECT_TRUE(e().actions().empty());
}

TEST_F(RulesTest, TimeNeverGoesBack) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(10, 1);
  arrive(5, 2);  // taken as time 10
  EXPECT_EQ(e().events().back().time, at(10));
}

TEST_F(RulesTest, CallersHeldForAPausingCallerGoWhenItLeaves) {
  Config c = makeConfig(1, Strategy::kLinear);
  c.queues[0].ringTime = Duration(10'000);
  start(c);
  arrive(0, 1);
  arrive(1, 2);
  e().advance(at(10));  // a1 rings out on call 1: call 1 pauses and keeps a1 for itself
  clear();
  ASSERT_TRUE(e().callerHungUp(at(12), CallId{1}).has_value());
  const auto rings = actionsOf<RingAgent>();
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].call, CallId{2});
}

TEST_F(RulesTest, APausingCallerHoldsOnlyOneAgent) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].ringTime = Duration(10'000);
  start(c);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a2")).has_value());
  arrive(0, 1);         // rings a1
  arrive(1, 2);         // waits
  e().advance(at(10));  // call 1 pauses, holding a1
  clear();
  ASSERT_TRUE(e().otherCallEnded(at(12), agent("a2")).has_value());
  const auto rings = actionsOf<RingAgent>();
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].call, CallId{2}) << "two free agents, one kept: call 2 may go";
}

}  // namespace
}  // namespace callq::core::testing
