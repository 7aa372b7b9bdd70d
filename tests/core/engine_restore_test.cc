// Durable state: what durableState() returns, restore() puts back in a new engine (a restart),
// without events, so that logins, presence and the strategies' memory carry on.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class RestoreTest : public StrategyTest {
 protected:
  // Saves every agent's durable state and the round-robin position, starts a new engine on the
  // same configuration (as a restarted server does) and restores them there.
  void restart(const Config& config) {
    std::vector<AgentDurable> saved;
    for (std::uint32_t i = 0; i < config.agents.size(); ++i) {
      saved.push_back(e().durableState(AgentId{i}));
    }
    const std::int64_t rr = e().roundRobinPosition(queue("q"));
    start(config);
    for (const AgentDurable& d : saved) {
      ASSERT_TRUE(e().restore(at(1000), d).has_value());
    }
    ASSERT_TRUE(e().restoreRoundRobin(queue("q"), rr).has_value());
    EXPECT_TRUE(e().events().empty());
  }
};

TEST_F(RestoreTest, DynamicLoginsAndPresenceComeBackWithoutEvents) {
  Config c = makeConfig(3);
  c.queues[0].members[1].isStatic = false;  // a2 dynamic
  c.queues[0].members[2].isStatic = false;  // a3 dynamic, stays logged out
  start(c);
  ASSERT_TRUE(e().login(at(1), agent("a2"), queue("q")).has_value());
  ASSERT_TRUE(e().setPresence(at(2), agent("a1"), Presence::kWithdrawn, "lunch").has_value());
  ASSERT_TRUE(e().setPresence(at(3), agent("a3"), Presence::kNotAvailable).has_value());
  restart(c);
  EXPECT_TRUE(e().isLoggedIn(agent("a1"), queue("q")));  // static
  EXPECT_TRUE(e().isLoggedIn(agent("a2"), queue("q")));
  EXPECT_FALSE(e().isLoggedIn(agent("a3"), queue("q")));
  EXPECT_EQ(e().agentSnapshot(agent("a1")).presence, Presence::kWithdrawn);
  EXPECT_EQ(e().agentSnapshot(agent("a1")).reason, "lunch");
  EXPECT_EQ(e().agentSnapshot(agent("a1")).since, at(2));
  EXPECT_EQ(e().agentSnapshot(agent("a3")).presence, Presence::kNotAvailable);
  // Only a2 is logged in and Ready: the next caller rings a2 alone.
  arrive(1001, 1);
  EXPECT_EQ(rung(), Names{"a2"});
  EXPECT_EQ(e().queueSnapshot(at(1001), queue("q")).agents.loggedIn, 2u);
}

TEST_F(RestoreTest, FewestCallsCountersCarryOver) {
  const Config c = levelsConfig(Strategy::kFewestCalls, {0, 0, 0});
  start(c);
  EXPECT_EQ(serve(10, 1), "a1");
  EXPECT_EQ(serve(20, 2), "a2");
  restart(c);
  // a1 and a2 took one call each before the restart: a3 has the fewest.
  EXPECT_EQ(serve(1010, 3), "a3");
}

TEST_F(RestoreTest, LongestIdleRemembersWhoseCallEndedLongestAgo) {
  const Config c = levelsConfig(Strategy::kLongestIdle, {0, 0, 0});
  start(c);
  EXPECT_EQ(serve(10, 1), "a1");
  EXPECT_EQ(serve(20, 2), "a2");
  EXPECT_EQ(serve(30, 3), "a3");
  EXPECT_EQ(serve(40, 4), "a1");
  restart(c);
  // Without the restored end times all three would tie and a1 (first in order) would win.
  EXPECT_EQ(serve(1010, 5), "a2");
}

TEST_F(RestoreTest, RoundRobinContinuesAfterTheLastAgentOffered) {
  const Config c = levelsConfig(Strategy::kRoundRobin, {0, 0, 0});
  start(c);
  EXPECT_EQ(serve(10, 1), "a1");
  EXPECT_EQ(serve(20, 2), "a2");
  restart(c);
  EXPECT_EQ(serve(1010, 3), "a3");
  EXPECT_EQ(serve(1020, 4), "a1");
}

TEST_F(RestoreTest, MembershipsNoLongerConfiguredAreSkipped) {
  Config c = makeConfig(2);
  c.queues[0].members[1].isStatic = false;
  start(c);
  ASSERT_TRUE(e().login(at(1), agent("a2"), queue("q")).has_value());
  const AgentDurable saved = e().durableState(agent("a2"));
  Config smaller = c;
  smaller.queues[0].members.pop_back();  // a2 is no longer a member
  start(smaller);
  ASSERT_TRUE(e().restore(at(100), saved).has_value());
  EXPECT_FALSE(e().isLoggedIn(agent("a2"), queue("q")));
  AgentDurable unknown = saved;
  unknown.agent = AgentId{7};
  EXPECT_FALSE(e().restore(at(100), unknown).has_value());
  EXPECT_FALSE(e().restoreRoundRobin(QueueId{3}, 0).has_value());
}

}  // namespace
}  // namespace callq::core::testing
