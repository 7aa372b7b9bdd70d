// Scenarios: a configuration plus [simulation] tables. What a good scenario becomes, and every
// mistake with its line, table and field.
#include "config/scenario_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/report.h"

namespace callq::config {
namespace {

// Lines 1-11: two agents and a queue; the scenario's own lines start at line 12.
constexpr const char* kHead = R"(withdraw_reasons = ["lunch"]
[[agent]]
id = "alice"
extension = "201"
[[agent]]
id = "bob"
extension = "202"
[[queue]]
name = "sales"
extension = "600"
members = [{ agent = "alice" }, { agent = "bob", static = true }]
)";

Result<sim::Scenario> parse(const std::string& tail, const std::string& baseDir = "") {
  return parseScenario(std::string(kHead) + tail, "s.toml", baseDir);
}

std::string errorOf(const std::string& tail) {
  Result<sim::Scenario> r = parse(tail);
  return r ? "(no error)" : r.error().message;
}

constexpr const char* kGood = R"([simulation]
duration = 7200
seed = 42
interval = 600
answer_delay = 2
start = 2026-03-02T09:30:00+01:00
[[simulation.arrivals]]
queue = "sales"
rates = [{ from = 600, rate = 30 }, { from = 3600, rate = 0.5 }]
handle_time = { distribution = "lognormal", mean = 200, sd = 80 }
patience = { mean = 45 }
priority = 2
[[simulation.shift]]
agent = "alice"
start = 0
end = 3600
[[simulation.break]]
agent = "bob"
start = 1800
length = 900
reason = "lunch"
)";

TEST(ScenarioLoader, ReadsEveryField) {
  Result<sim::Scenario> r = parse(kGood);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const sim::Workload& w = r->workload;
  EXPECT_EQ(r->config.queues.size(), 1u);
  EXPECT_EQ(w.duration, Duration(7'200'000));
  EXPECT_EQ(w.seed, 42u);
  EXPECT_EQ(w.interval, Duration(600'000));
  EXPECT_EQ(w.answerDelay, Duration(2'000));
  EXPECT_EQ(sim::isoTime(w.start), "2026-03-02T08:30:00.000Z");
  ASSERT_EQ(w.queues.size(), 1u);
  const sim::QueueWorkload& q = w.queues[0];
  EXPECT_EQ(q.queue, "sales");
  ASSERT_EQ(q.rates.size(), 3u);  // nobody calls before the first step
  EXPECT_EQ(q.rates[0].from, Duration(0));
  EXPECT_EQ(q.rates[0].perHour, 0);
  EXPECT_EQ(q.rates[1].from, Duration(600'000));
  EXPECT_EQ(q.rates[1].perHour, 30);
  EXPECT_EQ(q.rates[2].perHour, 0.5);
  EXPECT_EQ(q.handle.kind, sim::DistributionKind::kLogNormal);
  EXPECT_EQ(q.handle.meanS, 200);
  EXPECT_EQ(q.handle.sdS, 80);
  ASSERT_TRUE(q.patience.has_value());
  EXPECT_EQ(q.patience->kind, sim::DistributionKind::kExponential);
  EXPECT_EQ(q.priority, 2);
  ASSERT_EQ(w.shifts.size(), 1u);
  EXPECT_EQ(w.shifts[0].end, Duration(3'600'000));
  ASSERT_EQ(w.breaks.size(), 1u);
  EXPECT_EQ(w.breaks[0].reason, "lunch");
}

TEST(ScenarioLoader, ReadsArrivalTimesFromACsvFileNextToTheScenario) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "callq-scenario-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "calls.csv") << "seconds,note\n0.5,first\n60\n60\n125.25,last\n";
  Result<sim::Scenario> r = parse(R"([simulation]
duration = 600
[[simulation.arrivals]]
queue = "sales"
csv = "calls.csv"
handle_time = { distribution = "fixed", mean = 30 }
)",
                                  dir.string());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const sim::QueueWorkload& q = r->workload.queues[0];
  EXPECT_TRUE(q.fromCsv);
  EXPECT_EQ(q.arrivals, (std::vector<Duration>{Duration(500), Duration(60'000), Duration(60'000),
                                               Duration(125'250)}));
  std::ofstream(dir / "calls.csv") << "10\n5\n";
  r = parse(R"([simulation]
duration = 600
[[simulation.arrivals]]
queue = "sales"
csv = "calls.csv"
handle_time = { mean = 30 }
)",
            dir.string());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("calls.csv:2: times must not go backwards"), std::string::npos)
      << r.error().message;
  std::filesystem::remove_all(dir);
}

TEST(ScenarioLoader, MayNameTheServersConfigurationFile) {
  const std::string demoDir = std::string(CALLQ_SOURCE_DIR) + "/config";
  Result<sim::Scenario> r = loadScenarioFile(demoDir + "/demo-day.toml");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->config.queues.size(), 2u);
  EXPECT_EQ(r->config.agents.size(), 4u);
}

struct ErrorCase {
  const char* name;
  std::string tail;
  std::string message;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class ScenarioErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ScenarioErrorTest, NamesFileLineTableAndField) {
  EXPECT_EQ(errorOf(GetParam().tail), GetParam().message);
}

const std::string kArrivals = R"([[simulation.arrivals]]
queue = "sales"
rate = 10
handle_time = { mean = 100 }
)";

INSTANTIATE_TEST_SUITE_P(
    Mistakes, ScenarioErrorTest,
    ::testing::Values(
        ErrorCase{"NoSimulation", "",
                  "s.toml:1: simulation: required (a [simulation] table with the workload)"},
        ErrorCase{"NoDuration", "[simulation]\n" + kArrivals,
                  "s.toml:12: simulation: duration: required (seconds to simulate)"},
        ErrorCase{"UnknownKey", "[simulation]\nduration = 60\nseeds = 3\n" + kArrivals,
                  "s.toml:14: simulation: unknown key 'seeds' (did you mean 'seed'?); allowed "
                  "keys: duration, seed, interval, answer_delay, start, config, arrivals, shift, "
                  "break"},
        ErrorCase{"StartWithoutZone",
                  "[simulation]\nduration = 60\nstart = 2026-01-05T08:00:00\n" + kArrivals,
                  "s.toml:14: simulation: start: expected a date-time with a time zone, e.g. "
                  "2026-01-05T08:00:00Z"},
        ErrorCase{"NoArrivals", "[simulation]\nduration = 60\n",
                  "s.toml:12: simulation: arrivals: required (at least one "
                  "[[simulation.arrivals]] table)"},
        ErrorCase{"UnknownQueue",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sale\"\nrate "
                  "= 1\nhandle_time = { mean = 9 }\n",
                  "s.toml:15: simulation.arrivals 'sale': queue: unknown queue 'sale'"},
        ErrorCase{"TwoSources",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrate "
                  "= 1\nrates = [{ from = 0, rate = 2 }]\nhandle_time = { mean = 9 }\n",
                  "s.toml:14: simulation.arrivals 'sales': give only one of rate, rates and csv"},
        ErrorCase{"NegativeRate",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrate "
                  "= -1\nhandle_time = { mean = 9 }\n",
                  "s.toml:16: simulation.arrivals 'sales': rate: must be a finite number, 0 or "
                  "more"},
        ErrorCase{"StepsOutOfOrder",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrates "
                  "= [\n{ from = 10, rate = 2 },\n{ from = 5, rate = 2 },\n]\nhandle_time = { "
                  "mean = 9 }\n",
                  "s.toml:18: simulation.arrivals 'sales': rates: from: steps must be in "
                  "increasing order of from"},
        ErrorCase{"NoHandleTime",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrate "
                  "= 1\n",
                  "s.toml:14: simulation.arrivals 'sales': handle_time: required, e.g. { "
                  "distribution = \"exponential\", mean = 180 }"},
        ErrorCase{"UnknownDistribution",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrate "
                  "= 1\nhandle_time = { distribution = \"normal\", mean = 9 }\n",
                  "s.toml:17: simulation.arrivals 'sales': handle_time: distribution: unknown "
                  "distribution 'normal'; one of exponential, lognormal, fixed"},
        ErrorCase{"LogNormalWithoutSd",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrate "
                  "= 1\nhandle_time = { distribution = \"lognormal\", mean = 9 }\n",
                  "s.toml:17: simulation.arrivals 'sales': handle_time: sd: required for a "
                  "log-normal distribution (seconds)"},
        ErrorCase{"ZeroPatience",
                  "[simulation]\nduration = 60\n[[simulation.arrivals]]\nqueue = \"sales\"\nrate "
                  "= 1\nhandle_time = { mean = 9 }\npatience = { mean = 0 }\n",
                  "s.toml:18: simulation.arrivals 'sales': patience: mean: must be a finite "
                  "number greater than 0"},
        ErrorCase{"ShiftOfUnknownAgent",
                  "[simulation]\nduration = 60\n" + kArrivals +
                      "[[simulation.shift]]\nagent = \"carol\"\nstart = 0\nend = 10\n",
                  "s.toml:19: simulation.shift: agent: unknown agent 'carol'"},
        ErrorCase{"ShiftEndsBeforeItStarts",
                  "[simulation]\nduration = 60\n" + kArrivals +
                      "[[simulation.shift]]\nagent = \"bob\"\nstart = 50\nend = 10\n",
                  "s.toml:21: simulation.shift: end: must be after start"},
        ErrorCase{"BreakReasonNotConfigured",
                  "[simulation]\nduration = 60\n" + kArrivals +
                      "[[simulation.break]]\nagent = \"bob\"\nstart = 5\nlength = 10\nreason = "
                      "\"nap\"\n",
                  "s.toml:22: simulation.break: reason: 'nap' is not in withdraw_reasons"},
        ErrorCase{"ConfigAndOwnQueues",
                  "[simulation]\nconfig = \"demo.toml\"\nduration = 60\n" + kArrivals,
                  "s.toml:1: 'withdraw_reasons': a scenario that names a configuration file "
                  "(simulation.config) has only the [simulation] table"}),
    [](const ::testing::TestParamInfo<ErrorCase>& param) { return param.param.name; });

}  // namespace
}  // namespace callq::config
