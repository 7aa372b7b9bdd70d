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

// Each strategy with a memory picks, after the restart, whom it would have picked without one:
// forgotten, the memory would start over and a1 (first in member order) would win every time.
struct MemoryCase {
  Strategy strategy;
  std::vector<double> talks;  // calls served before the restart, one at a time, talking this long
  Names before;               // who took them
  std::string after;          // who takes the next one after the restart
};

TEST_F(RestoreTest, EveryStrategysMemoryCarriesOver) {
  const std::vector<MemoryCase> cases{
      {Strategy::kFewestCalls, {1, 1}, {"a1", "a2"}, "a3"},
      {Strategy::kLeastTalkTime, {100, 10, 50}, {"a1", "a2", "a3"}, "a2"},
      {Strategy::kLongestIdle, {1, 1, 1, 1}, {"a1", "a2", "a3", "a1"}, "a2"},
      {Strategy::kRoundRobin, {1, 1}, {"a1", "a2"}, "a3"},
      {Strategy::kLinear, {1, 1}, {"a1", "a1"}, "a1"},  // no memory: none is invented
  };
  for (const MemoryCase& c : cases) {
    SCOPED_TRACE(strategyName(c.strategy));
    const Config config = levelsConfig(c.strategy, {0, 0, 0});
    start(config);
    Names before;
    double t = 10;
    for (std::size_t i = 0; i < c.talks.size(); ++i) {
      before.push_back(serve(t, i + 1, c.talks[i]));
      t += c.talks[i] + 10;  // the next call once this one is over
    }
    EXPECT_EQ(before, c.before);
    restart(config);
    EXPECT_EQ(serve(10'000, 100), c.after);
  }
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
