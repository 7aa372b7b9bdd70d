// The simulator's outputs that other tools read: the JSON keys, which must be the ones
// `callq erlang --json` uses. (Its event log is written by store::appendJsonLine.)
#include "sim/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace callq::sim {
namespace {

TEST(Report, JsonUsesTheStaffingCalculatorsKeyNames) {
  SimResult r;
  r.start = fromMillis(0);
  r.duration = Duration(900'000);
  r.interval = Duration(900'000);
  r.total.offered = 4;
  r.total.answered = 3;
  r.total.abandoned = 1;
  r.total.waitedAtAll = 2;
  r.total.answeredWithinThreshold = 2;
  r.total.answeredWait = Duration(9'000);
  r.intervals.push_back(r.total);
  r.queues.push_back(QueueResult{"sales", Duration(20'000), {r.total}, r.total});
  const nlohmann::json j = nlohmann::json::parse(formatJson(r));
  for (const nlohmann::json* f : {&j["total"], &j["intervals"][0], &j["queues"][0]["total"]}) {
    EXPECT_DOUBLE_EQ((*f)["p_wait"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ((*f)["asa_s"].get<double>(), 3.0);
    EXPECT_DOUBLE_EQ((*f)["service_level"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ((*f)["abandon_rate"].get<double>(), 0.25);
  }
  EXPECT_EQ(j["queues"][0]["name"], "sales");
  EXPECT_EQ(j["intervals"][0]["start"], "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace callq::sim
