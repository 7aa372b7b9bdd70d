// random: a uniformly random available agent of the lowest level, drawn from the engine's seeded
// generator (same seed, same choices).
#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class RandomTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels) {
    return levelsConfig(Strategy::kRandom, levels);
  }
};

TEST_F(RandomTest, PicksUniformlyAmongAvailableAgents) {
  start(config({0, 0, 0}), 42);
  const Names picks = offers(3000);
  auto n = tally(picks);
  double chi2 = 0;
  for (const char* a : {"a1", "a2", "a3"}) {
    EXPECT_NEAR(n[a], 1000, 100) << a;
    chi2 += (n[a] - 1000.0) * (n[a] - 1000.0) / 1000.0;
  }
  EXPECT_LT(chi2, 13.82);  // chi-square, 2 degrees of freedom, p = 0.001
  // Independent draws: the same agent twice in a row about 1/3 of the time (round-robin: never).
  int repeats = 0;
  for (std::size_t i = 1; i < picks.size(); ++i) {
    repeats += picks[i] == picks[i - 1] ? 1 : 0;
  }
  EXPECT_NEAR(repeats, 1000, 120);
}

TEST_F(RandomTest, SameSeedGivesTheSameSequence) {
  start(config({0, 0, 0}), 7);
  const Names first = offers(40);
  start(config({0, 0, 0}), 7);
  EXPECT_EQ(offers(40), first);
  start(config({0, 0, 0}), 8);
  EXPECT_NE(offers(40), first);
}

TEST_F(RandomTest, NoAnswerMovesToAnUntriedAgentThenPausesAndStartsOver) {
  expectEachRungOnceThenPause(config({0, 0, 0}));
}

TEST_F(RandomTest, HigherLevelOnlyWhenEveryLowerLevelAgentIsBusyOrWithdrawn) {
  start(config({0, 0, 1}), 3);
  auto n = tally(offers(300));
  EXPECT_EQ(n.count("a3"), 0u);
  EXPECT_GT(n["a1"], 100);
  EXPECT_GT(n["a2"], 100);
  ASSERT_TRUE(e().otherCallStarted(at(400), agent("a1")).has_value());
  ASSERT_TRUE(e().setPresence(at(400), agent("a2"), Presence::kWithdrawn, "lunch").has_value());
  clear();
  arrive(401, 1000);
  EXPECT_EQ(rung(), Names{"a3"});
}

}  // namespace
}  // namespace callq::core::testing
