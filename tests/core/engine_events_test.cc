// Every event of SPEC.md's table with its details, so a report can be built from events alone.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class EventsTest : public EngineTest {};

TEST_F(EventsTest, EnterQueueCarriesPositionAndCallerId) {
  start(makeConfig(1, Strategy::kLinear));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1);
  ASSERT_TRUE(
      e().callArrived(at(1), CallArrival{CallId{2}, queue("q"), 0, "+3312345"}).has_value());
  const Event* ev = lastEvent(EventType::kEnterQueue);
  EXPECT_EQ(ev->call, CallId{2});
  EXPECT_EQ(ev->queue, queue("q"));
  EXPECT_EQ(ev->position, 2u);
  EXPECT_EQ(ev->originalPosition, 2u);
  EXPECT_EQ(ev->reason, "+3312345");
  EXPECT_EQ(ev->time, at(1));
}

TEST_F(EventsTest, AbandonWhileRingingCancelsTheRings) {
  start(makeConfig(2, Strategy::kRingAll));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a2")).has_value());
  arrive(0, 1);
  arrive(1, 2);
  ASSERT_TRUE(e().otherCallEnded(at(2), agent("a1")).has_value());
  ASSERT_TRUE(e().otherCallEnded(at(2), agent("a2")).has_value());
  clear();
  ASSERT_TRUE(e().callerHungUp(at(6), CallId{1}).has_value());
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"RINGCANCELED", "RINGCANCELED", "ABANDON"}));
  EXPECT_EQ(e().events()[0].ring, Duration(4000));
  EXPECT_EQ(e().events()[0].reason, "caller hung up");
  const Event* ab = lastEvent(EventType::kAbandon);
  EXPECT_EQ(ab->position, 1u);
  EXPECT_EQ(ab->originalPosition, 1u);
  EXPECT_EQ(ab->wait, Duration(6000));
  // The freed agents go straight to the next caller.
  EXPECT_EQ(actionsOf<RingAgent>().size(), 2u);
  EXPECT_EQ(actionsOf<RingAgent>()[0].call, CallId{2});
}

TEST_F(EventsTest, StoppingClosesEveryWaitingVisitWithoutAnAbandonOrANewRing) {
  start(makeConfig(3, Strategy::kRingAll));
  arrive(0, 1);
  answer(1, 1, "a1");  // connected: left to end as usual
  ASSERT_TRUE(e().otherCallStarted(at(1), agent("a3")).has_value());
  arrive(2, 2);  // rings a2
  arrive(3, 3);  // waits: a3 is busy
  clear();
  ASSERT_TRUE(e().serverStopping(at(8)).has_value());
  EXPECT_EQ(eventNames(),
            (std::vector<std::string>{"RINGCANCELED", "SERVERRESTART", "SERVERRESTART"}));
  EXPECT_EQ(e().events()[0].agent, agent("a2"));
  EXPECT_EQ(e().events()[0].reason, "callq stopped");
  const Event& second = e().events()[1];
  EXPECT_EQ(second.call, CallId{2});
  EXPECT_EQ(second.position, 1u);
  EXPECT_EQ(second.wait, Duration(6000));
  EXPECT_EQ(second.reason, "callq stopped while the caller was waiting");
  const Event& third = e().events()[2];
  EXPECT_EQ(third.call, CallId{3});
  EXPECT_EQ((std::pair{third.position, third.originalPosition}), (std::pair{1u, 2u}));
  EXPECT_EQ(third.wait, Duration(5000));
  // a2, freed by the cancelled ring, is not offered call 3 on the way.
  EXPECT_TRUE(actionsOf<RingAgent>().empty());
  EXPECT_EQ(actionsOf<StopRinging>().size(), 1u);
  // The driver hangs up on both (ExitQueue with the default destination: hang up).
  ASSERT_EQ(actionsOf<ExitQueue>().size(), 2u);
  EXPECT_EQ(actionsOf<ExitQueue>()[0].call, CallId{2});
  EXPECT_EQ(actionsOf<ExitQueue>()[1].destination.kind, DestinationKind::kHangup);
  // The connected call is still there and ends as any other.
  ASSERT_TRUE(e().callEnded(at(9), CallId{1}, Party::kAgent).has_value());
  EXPECT_NE(lastEvent(EventType::kCompleteAgent), nullptr);
  EXPECT_FALSE(e().callerHungUp(at(9), CallId{2}).has_value());
}

TEST_F(EventsTest, AnAgentWhoseLastPhoneGoesStopsRingingWithoutANoAnswer) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].maxNoAnswer = 1;
  start(std::move(c));
  arrive(0, 1);  // rings a1
  clear();
  ASSERT_TRUE(e().setRegistered(at(3), agent("a1"), false).has_value());
  const Event* ended = lastEvent(EventType::kRingNoAnswer);
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->agent, agent("a1"));
  EXPECT_EQ(ended->reason, "unreachable");
  EXPECT_EQ(ended->ring, Duration(3000));
  EXPECT_EQ(lastEvent(EventType::kPause), nullptr);  // not counted towards max_no_answer
  ASSERT_EQ(actionsOf<StopRinging>().size(), 1u);
  EXPECT_EQ(actionsOf<StopRinging>()[0].agent, agent("a1"));
  // The caller goes on to the next agent.
  ASSERT_EQ(actionsOf<RingAgent>().size(), 1u);
  EXPECT_EQ(actionsOf<RingAgent>()[0].agent, agent("a2"));
  // Registered again, a1 is offered calls again; a phone of an agent not ringing changes nothing.
  ASSERT_TRUE(e().setRegistered(at(4), agent("a1"), true).has_value());
  clear();
  ASSERT_TRUE(e().setRegistered(at(5), agent("a1"), false).has_value());
  EXPECT_TRUE(e().events().empty());
}

TEST_F(EventsTest, AbandonReportsCurrentAndOriginalPosition) {
  start(makeConfig(1, Strategy::kLinear));
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  arrive(0, 1);
  arrive(1, 2);
  arrive(2, 3);
  ASSERT_TRUE(e().callerHungUp(at(3), CallId{1}).has_value());
  clear();
  ASSERT_TRUE(e().callerHungUp(at(10), CallId{3}).has_value());
  const Event* ab = lastEvent(EventType::kAbandon);
  EXPECT_EQ(ab->position, 2u);
  EXPECT_EQ(ab->originalPosition, 3u);
  EXPECT_EQ(ab->wait, Duration(8000));
  EXPECT_EQ(e().position(CallId{2}), 1u);
}

TEST_F(EventsTest, CompleteCallerAndAgentCarryWaitAndTalk) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(0, 1);
  answer(4, 1, "a1");
  clear();
  ASSERT_TRUE(e().callerHungUp(at(34), CallId{1}).has_value());
  const Event* ev = lastEvent(EventType::kCompleteCaller);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->agent, agent("a1"));
  EXPECT_EQ(ev->wait, Duration(4000));
  EXPECT_EQ(ev->talk, Duration(30'000));
  EXPECT_FALSE(e().callEnded(at(35), CallId{1}, Party::kAgent).has_value());
}

TEST_F(EventsTest, TransfersEndTheQueueCallWithTheTarget) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(0, 1);
  answer(1, 1, "a1");
  ASSERT_TRUE(e().callTransferred(at(11), CallId{1}, TransferKind::kBlind, "601").has_value());
  const Event* blind = lastEvent(EventType::kBlindTransfer);
  ASSERT_NE(blind, nullptr);
  EXPECT_EQ(blind->reason, "601");
  EXPECT_EQ(blind->talk, Duration(10'000));
  arrive(20, 2);
  answer(21, 2, "a1");
  ASSERT_TRUE(
      e().callTransferred(at(31), CallId{2}, TransferKind::kAttended, "+3225551234").has_value());
  EXPECT_EQ(lastEvent(EventType::kAttendedTransfer)->reason, "+3225551234");
  EXPECT_EQ(e().agentSnapshot(agent("a1")).activity, Activity::kIdle);
}

TEST_F(EventsTest, TransferBeforeAnswerIsRefused) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(0, 1);
  clear();
  EXPECT_FALSE(e().callTransferred(at(1), CallId{1}, TransferKind::kBlind, "601").has_value());
  EXPECT_TRUE(e().events().empty());
}

TEST_F(EventsTest, PresenceChangesArePauseUnpauseUnavailable) {
  start(makeConfig(1, Strategy::kLinear));
  ASSERT_TRUE(e().setPresence(at(1), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  ASSERT_TRUE(e().setPresence(at(2), agent("a1"), Presence::kWithdrawn, "training").has_value());
  ASSERT_TRUE(e().setPresence(at(3), agent("a1"), Presence::kReady).has_value());
  ASSERT_TRUE(e().setPresence(at(4), agent("a1"), Presence::kReady).has_value());  // no change
  ASSERT_TRUE(e().setPresence(at(5), agent("a1"), Presence::kNotAvailable).has_value());
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"PAUSE", "PAUSE", "UNPAUSE", "UNAVAILABLE"}));
  EXPECT_EQ(e().events()[0].reason, "lunch");
  EXPECT_EQ(e().events()[1].reason, "training");
  EXPECT_EQ(e().events()[2].reason, "training") << "UNPAUSE says which withdrawal ended";
  EXPECT_EQ(e().events()[3].agent, agent("a1"));
  EXPECT_EQ(e().agentSnapshot(agent("a1")).since, at(5));
}

TEST_F(EventsTest, UnknownWithdrawReasonIsRefused) {
  start(makeConfig(1, Strategy::kLinear));
  clear();
  auto r = e().setPresence(at(1), agent("a1"), Presence::kWithdrawn, "nap");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(e().events().empty());
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kReady);
}

TEST_F(EventsTest, EventNamesMatchTheQueueLog) {
  EXPECT_EQ(eventName(EventType::kExitWithTimeout), "EXITWITHTIMEOUT");
  EXPECT_EQ(eventName(EventType::kRingCanceled), "RINGCANCELED");
  EXPECT_EQ(eventName(EventType::kAttendedTransfer), "ATTENDEDTRANSFER");
  EXPECT_TRUE(isTerminal(EventType::kAbandon));
  EXPECT_FALSE(isTerminal(EventType::kConnect));
}

TEST_F(EventsTest, EveryEventTypeReadsBackFromItsName) {
  for (std::size_t t = 0; t < kEventTypeCount; ++t) {
    const auto type = static_cast<EventType>(t);
    EXPECT_EQ(parseEventType(eventName(type)), type) << eventName(type);
  }
  EXPECT_EQ(parseEventType("SERVERRESTART"), EventType::kServerRestart);  // the last one
  EXPECT_EQ(parseEventType("CONNECTED"), std::nullopt);
  EXPECT_EQ(parseEventType(""), std::nullopt);
}

TEST_F(EventsTest, DurationsAreThoseTheEngineFillsIn) {
  EXPECT_TRUE(eventDurations(EventType::kConnect).wait);
  EXPECT_TRUE(eventDurations(EventType::kConnect).ring);
  EXPECT_FALSE(eventDurations(EventType::kConnect).talk);
  EXPECT_TRUE(eventDurations(EventType::kCompleteCaller).talk);
  EXPECT_FALSE(eventDurations(EventType::kJoinRefused).wait);  // never entered
  EXPECT_TRUE(eventDurations(EventType::kServerRestart).wait);
  // Every ending of a visit but a refused join carries the wait.
  for (std::size_t t = 0; t < kEventTypeCount; ++t) {
    const auto type = static_cast<EventType>(t);
    EXPECT_EQ(eventDurations(type).wait,
              type == EventType::kConnect || (isTerminal(type) && type != EventType::kJoinRefused))
        << eventName(type);
  }
}

}  // namespace
}  // namespace callq::core::testing
