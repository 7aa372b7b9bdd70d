// Dashboards: waiting callers, longest wait, agents by state, estimated wait.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class SnapshotTest : public EngineTest {};

TEST_F(SnapshotTest, QueueShowsCallersAndAgentsByState) {
  Config c = makeConfig(5, Strategy::kLinear);
  c.queues[0].members[4].isStatic = false;  // a5: dynamic, not logged in
  c.queues[0].wrapUp = Duration(10'000);
  start(c);
  ASSERT_TRUE(e().setPresence(at(0), agent("a2"), Presence::kWithdrawn, "lunch").has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a3"), Presence::kNotAvailable).has_value());
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a4")).has_value());
  arrive(0, 1);  // rings a1
  arrive(5, 2);  // waits
  const QueueSnapshot s = e().queueSnapshot(at(12), queue("q"));
  ASSERT_EQ(s.callers.size(), 2u);
  EXPECT_TRUE(s.callers[0].ringing);
  EXPECT_FALSE(s.callers[1].ringing);
  EXPECT_EQ(s.longestWait, Duration(12'000));
  EXPECT_EQ(s.agents.loggedIn, 4u);
  EXPECT_EQ(s.agents.ringing, 1u);
  EXPECT_EQ(s.agents.withdrawn, 1u);
  EXPECT_EQ(s.agents.notAvailable, 1u);
  EXPECT_EQ(s.agents.onCall, 1u);
  EXPECT_EQ(s.agents.ready, 0u);
}

TEST_F(SnapshotTest, AgentSnapshotSaysStateAndSince) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(3, 1);
  answer(7, 1, "a1");
  const AgentSnapshot s = e().agentSnapshot(agent("a1"));
  EXPECT_EQ(s.activity, Activity::kOnCall);
  EXPECT_EQ(s.call, CallId{1});
  EXPECT_EQ(s.since, at(7));
  EXPECT_EQ(s.presence, Presence::kReady);
}

TEST_F(SnapshotTest, EstimatedWaitComesFromRecentHandleTimes) {
  Config c = makeConfig(2, Strategy::kLinear);
  c.queues[0].wrapUp = Duration(10'000);
  start(c);
  EXPECT_EQ(e().queueSnapshot(at(0), queue("q")).averageHandleTime, std::nullopt);
  arrive(0, 1);
  answer(0, 1, "a1");
  ASSERT_TRUE(e().callEnded(at(110), CallId{1}, Party::kAgent).has_value());  // handle 120 s
  ASSERT_TRUE(e().otherCallStarted(at(200), agent("a1")).has_value());
  ASSERT_TRUE(e().otherCallStarted(at(200), agent("a2")).has_value());
  arrive(200, 2);
  arrive(200, 3);
  const QueueSnapshot s = e().queueSnapshot(at(200), queue("q"));
  EXPECT_EQ(s.averageHandleTime, Duration(120'000));
  // Two Ready agents share the work: position p waits about p x 120 s / 2.
  EXPECT_EQ(e().estimatedWait(CallId{2}), Duration(60'000));
  EXPECT_EQ(e().estimatedWait(CallId{3}), Duration(120'000));
  EXPECT_EQ(s.callers[1].estimatedWait, Duration(120'000));
}

TEST_F(SnapshotTest, NoEstimateWithoutReadyAgents) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(0, 1);
  answer(0, 1, "a1");
  ASSERT_TRUE(e().callEnded(at(60), CallId{1}, Party::kAgent).has_value());
  ASSERT_TRUE(e().setPresence(at(61), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  arrive(62, 2);
  EXPECT_EQ(e().estimatedWait(CallId{2}), std::nullopt);
}

}  // namespace
}  // namespace callq::core::testing
