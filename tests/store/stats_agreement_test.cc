// The store's statistics and the simulator count a visit by the same rules (store/stats.h): a
// simulated day's events, fed to the store's StatsTracker, give the simulator's own figures, per
// queue and per report interval. Guards against the two drifting apart.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/scenario_loader.h"
#include "sim/simulator.h"
#include "store/convert.h"
#include "store/stats.h"

namespace callq::store {
namespace {

TEST(StatsAgreement, AStoredDayGivesTheSimulatorsFiguresPerQueueAndInterval) {
  Result<sim::Scenario> scenario =
      config::loadScenarioFile(CALLQ_SOURCE_DIR "/config/demo-day.toml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  StatsTracker tracker;
  tracker.setQueueParams(queueParams(scenario->config));
  StatsDelta delta;
  sim::SimOptions options;
  options.onEvent = [&](const core::Event& e) {
    tracker.apply(toRecord(e, scenario->config), delta);
  };
  Result<sim::SimResult> result = sim::simulate(*scenario, options);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const std::int64_t start = toMillis(result->start);
  const std::int64_t interval = result->interval.count();
  ASSERT_EQ(start % kBucketMs, 0);  // buckets fall within the simulator's intervals
  ASSERT_EQ(interval % kBucketMs, 0);

  // The store's 15-minute buckets, added up into the simulator's intervals.
  std::map<std::pair<std::string, std::int64_t>, QueueFigures> stored;
  for (const auto& [key, figures] : delta.queues) {
    stored[{key.first, (key.second - start) / interval}].add(figures);
  }
  std::uint64_t compared = 0;
  for (const sim::QueueResult& q : result->queues) {
    for (std::size_t i = 0; i < q.intervals.size(); ++i) {
      SCOPED_TRACE(q.name + " interval " + std::to_string(i));
      const sim::Figures& want = q.intervals[i];
      const QueueFigures& got = stored[{q.name, static_cast<std::int64_t>(i)}];
      EXPECT_EQ(got.offered, want.offered);
      EXPECT_EQ(got.refused, want.refused);
      EXPECT_EQ(got.answered, want.answered);
      EXPECT_EQ(got.answeredWithinSl, want.answeredWithinThreshold);
      EXPECT_EQ(got.abandoned, want.abandoned);
      EXPECT_EQ(got.abandonedWithinSl, want.abandonedWithinThreshold);
      EXPECT_EQ(got.exited, want.overflowed);
      EXPECT_EQ(got.handled, want.handled);
      EXPECT_EQ(got.answeredWaitMs, want.answeredWait.count());
      EXPECT_EQ(got.handleMs, want.handleTime.count());
      EXPECT_EQ(got.longestWaitMs, want.longestWait.count());
      compared += want.offered;
    }
  }
  // A day with every kind of visit, or the comparison proves little.
  const sim::Figures& total = result->total;
  EXPECT_GT(total.answered, 100u);
  EXPECT_GT(total.abandoned, 0u);
  EXPECT_GT(total.overflowed, 0u);
  EXPECT_GT(total.handled, 0u);
  EXPECT_EQ(compared, total.offered);
}

}  // namespace
}  // namespace callq::store
