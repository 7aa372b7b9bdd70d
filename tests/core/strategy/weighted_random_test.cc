// weighted-random: a random available agent, weighted 1 / (level + 1). Levels are weights here,
// not tiers (the documented exception in strategy.h): higher levels get calls while level 0 is
// free.
#include <map>
#include <string>
#include <vector>

#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class WeightedRandomTest : public StrategyTest {
 protected:
  static Config config(const std::vector<int>& levels) {
    return levelsConfig(Strategy::kWeightedRandom, levels);
  }
};

TEST_F(WeightedRandomTest, LevelZeroGetsTwiceTheOffersOfLevelOne) {
  start(config({0, 1}), 42);
  auto n = tally(offers(3000));
  // Expected 2000 / 1000 (standard deviation about 26); uniform would be 1500 / 1500 and tiers
  // would give a2 nothing.
  EXPECT_NEAR(n["a1"], 2000, 100);
  EXPECT_NEAR(n["a2"], 1000, 100);
}

TEST_F(WeightedRandomTest, WeightsFollowOneOverLevelPlusOne) {
  start(config({0, 0, 1, 2}), 5);
  auto n = tally(offers(3400));
  // Weights 1, 1, 1/2, 1/3 of 17/6: 6/17, 6/17, 3/17, 2/17.
  const std::map<std::string, double> expected{
      {"a1", 1200}, {"a2", 1200}, {"a3", 600}, {"a4", 400}};
  double chi2 = 0;
  for (const auto& [a, x] : expected) {
    chi2 += (n[a] - x) * (n[a] - x) / x;
  }
  EXPECT_LT(chi2, 16.27) << n["a1"] << " " << n["a2"] << " " << n["a3"] << " " << n["a4"];
}

TEST_F(WeightedRandomTest, SameSeedGivesTheSameSequence) {
  start(config({0, 1, 2}), 11);
  const Names first = offers(40);
  start(config({0, 1, 2}), 11);
  EXPECT_EQ(offers(40), first);
}

TEST_F(WeightedRandomTest, NoAnswerMovesToAnUntriedAgentThenPausesAndStartsOver) {
  expectEachRungOnceThenPause(config({0, 1, 2}));
}

TEST_F(WeightedRandomTest, SkipsBusyAndWithdrawnAgents) {
  start(config({0, 0, 1}), 9);
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  ASSERT_TRUE(e().setPresence(at(0), agent("a3"), Presence::kWithdrawn, "lunch").has_value());
  auto n = tally(offers(50));
  EXPECT_EQ(n["a2"], 50);
}

}  // namespace
}  // namespace callq::core::testing
