// The simulator on small scenarios whose outcome can be worked out by hand: fixed arrival times,
// fixed handle times and patience, shifts and breaks, intervals, determinism.
#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callq::sim {
namespace {

Duration s(double seconds) { return Duration(static_cast<std::int64_t>(seconds * 1000)); }

// One queue "q" (longest-idle, threshold 20 s, no wrap-up) with `agents` agents a1..aN.
Scenario smallScenario(int agents, std::vector<double> arrivalsS, double handleS) {
  Scenario sc;
  core::QueueConfig q;
  q.name = "q";
  q.extension = "600";
  q.strategy = core::Strategy::kLongestIdle;
  q.ringTime = s(15);
  q.retry = s(5);
  q.serviceLevel = s(20);
  for (int i = 1; i <= agents; ++i) {
    const std::string id = "a" + std::to_string(i);
    sc.config.agents.push_back(core::AgentConfig{id, id, std::to_string(200 + i)});
    q.members.push_back(core::MemberConfig{id, 0, true});
  }
  sc.config.queues.push_back(q);
  Workload& w = sc.workload;
  w.duration = s(3600);
  w.interval = s(900);
  QueueWorkload qw;
  qw.queue = "q";
  qw.fromCsv = true;
  for (double a : arrivalsS) {
    qw.arrivals.push_back(s(a));
  }
  qw.handle = DurationDistribution{DistributionKind::kFixed, handleS, 0};
  w.queues.push_back(qw);
  return sc;
}

SimResult run(const Scenario& sc) {
  Result<SimResult> r = simulate(sc);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : SimResult{};
}

TEST(Simulator, OneAgentQueuesCallersInOrder) {
  // a1 takes the caller of 0 s until 60 s, the caller of 10 s (waited 50 s) until 120 s, then the
  // caller of 100 s (waited 20 s: exactly the threshold, which counts as within).
  const SimResult r = run(smallScenario(1, {0, 10, 100}, 60));
  const Figures& t = r.total;
  EXPECT_EQ(r.calls, 3u);
  EXPECT_EQ(t.offered, 3u);
  EXPECT_EQ(t.answered, 3u);
  EXPECT_EQ(t.abandoned, 0u);
  EXPECT_EQ(t.waitedAtAll, 2u);
  EXPECT_EQ(t.answeredWithinThreshold, 2u);
  EXPECT_EQ(t.longestWait, s(50));
  EXPECT_DOUBLE_EQ(t.asaS(), 70.0 / 3);
  EXPECT_DOUBLE_EQ(t.serviceLevel(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(t.ahtS(), 60);
  EXPECT_EQ(t.busy, s(180));
  EXPECT_EQ(t.staffed, s(3600));
  EXPECT_DOUBLE_EQ(t.occupancy(), 180.0 / 3600);
  ASSERT_EQ(r.queues.size(), 1u);
  EXPECT_EQ(r.queues[0].total.answered, 3u);
}

TEST(Simulator, WrapUpCountsInHandleTimeAndKeepsTheAgentBusy) {
  Scenario sc = smallScenario(1, {0, 10}, 60);
  sc.config.queues[0].wrapUp = s(30);
  const SimResult r = run(sc);
  EXPECT_EQ(r.total.longestWait, s(80));  // 60 s talk + 30 s wrap-up, from 10 s
  EXPECT_DOUBLE_EQ(r.total.ahtS(), 90);
  EXPECT_EQ(r.total.busy, s(180));
}

TEST(Simulator, ImpatientCallersAbandon) {
  Scenario sc = smallScenario(1, {0, 10, 20}, 60);
  sc.workload.queues[0].patience = DurationDistribution{DistributionKind::kFixed, 30, 0};
  const SimResult r = run(sc);
  EXPECT_EQ(r.total.answered, 1u);
  EXPECT_EQ(r.total.abandoned, 2u);
  EXPECT_EQ(r.total.abandonedWithinThreshold, 0u);
  EXPECT_EQ(r.total.longestWait, s(30));
  EXPECT_DOUBLE_EQ(r.total.abandonRate(), 2.0 / 3);
}

TEST(Simulator, RingAllIsAnsweredOnceWhetherAnswersComeAtOnceOrLater) {
  for (const double delay : {0.0, 2.0}) {
    Scenario sc = smallScenario(3, {0, 1, 2, 3, 4}, 30);
    sc.config.queues[0].strategy = core::Strategy::kRingAll;
    sc.workload.answerDelay = s(delay);
    const SimResult r = run(sc);
    EXPECT_EQ(r.total.answered, 5u) << "answer delay " << delay;
    EXPECT_EQ(r.total.handled, 5u);
    EXPECT_EQ(r.total.busy, s(5 * 30));
  }
}

TEST(Simulator, AnswerDelayIsPartOfTheWait) {
  Scenario sc = smallScenario(2, {0}, 60);
  sc.workload.answerDelay = s(4);
  const SimResult r = run(sc);
  EXPECT_EQ(r.total.answered, 1u);
  EXPECT_DOUBLE_EQ(r.total.asaS(), 4);
}

TEST(Simulator, ShiftsAndBreaksDecideWhoIsThere) {
  // a1 works from 100 s; the caller of 0 s waits for it. a1 breaks from 200 s to 500 s: the caller
  // of 250 s waits until 500 s.
  Scenario sc = smallScenario(1, {0, 250}, 10);
  sc.workload.shifts.push_back(Shift{"a1", s(100), s(3600)});
  sc.workload.breaks.push_back(Break{"a1", s(200), s(300), "lunch"});
  const SimResult r = run(sc);
  EXPECT_EQ(r.total.answered, 2u);
  EXPECT_EQ(r.total.answeredWait, s(100 + 250));
  EXPECT_EQ(r.total.staffed, s(3600 - 100 - 300));
}

TEST(Simulator, DynamicMembersAreLoggedInForTheirShiftsOnly) {
  // a1 and a2 are dynamic members. a1 has no shift: logged in from the start. a2 works 100-200 s
  // and is logged out after. a1 is busy with the caller of 0 s until 1000 s, so the caller of
  // 150 s is a2's, and the caller of 300 s waits for a1.
  Scenario sc = smallScenario(2, {0, 150, 300}, 1000);
  for (core::MemberConfig& m : sc.config.queues[0].members) {
    m.isStatic = false;
  }
  sc.workload.shifts.push_back(Shift{"a2", s(100), s(200)});
  std::vector<std::string> log;
  SimOptions o;
  o.onEvent = [&](const core::Event& e) {
    if (e.agent.valid()) {
      log.push_back(std::string(core::eventName(e.type)) + " a" +
                    std::to_string(e.agent.value() + 1) + " " +
                    std::to_string((e.time - sc.workload.start).count() / 1000));
    }
  };
  Result<SimResult> r = simulate(sc, o);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const std::vector<std::string> expected{
      "ADDMEMBER a1 0",     "UNAVAILABLE a2 0",       "CONNECT a1 0",
      "ADDMEMBER a2 100",   "UNPAUSE a2 100",         "CONNECT a2 150",
      "UNAVAILABLE a2 200", "REMOVEMEMBER a2 200",    "COMPLETECALLER a1 1000",
      "CONNECT a1 1000",    "COMPLETECALLER a2 1150", "COMPLETECALLER a1 2000"};
  EXPECT_EQ(log, expected);
  EXPECT_EQ(r->total.answeredWait, s(700));
}

TEST(Simulator, CallersWithNobodyToTakeThemAreReportedAtTheEnd) {
  Scenario sc = smallScenario(1, {10}, 10);
  sc.workload.shifts.push_back(Shift{"a1", s(3000), s(3010)});  // gone before the call is reached
  sc.workload.queues[0].arrivals = {s(3020)};
  const SimResult r = run(sc);
  EXPECT_EQ(r.total.offered, 1u);
  EXPECT_EQ(r.total.answered, 0u);
  EXPECT_EQ(r.total.waitingAtEnd, 1u);
}

TEST(Simulator, CallsCountInTheIntervalTheyArrived) {
  const SimResult r = run(smallScenario(1, {0, 899, 900, 2000}, 10));
  ASSERT_EQ(r.intervals.size(), 4u);
  EXPECT_EQ(r.intervals[0].offered, 2u);
  EXPECT_EQ(r.intervals[1].offered, 1u);
  EXPECT_EQ(r.intervals[2].offered, 1u);
  EXPECT_EQ(r.intervals[3].offered, 0u);
  EXPECT_EQ(r.intervals[0].staffed, s(900));
  EXPECT_EQ(r.queues[0].intervals[2].offered, 1u);
}

TEST(Simulator, TheSameSeedGivesTheSameRunAndAnotherSeedAnother) {
  Scenario sc = smallScenario(3, {}, 0);
  QueueWorkload& qw = sc.workload.queues[0];
  qw.fromCsv = false;
  qw.rates = {RateStep{Duration(0), 90}};
  qw.handle = DurationDistribution{DistributionKind::kLogNormal, 100, 60};
  qw.patience = DurationDistribution{DistributionKind::kExponential, 40, 0};
  std::vector<std::string> log1, log2;
  SimOptions o1, o2;
  o1.onEvent = [&](const core::Event& e) {
    log1.push_back(std::string(core::eventName(e.type)) + std::to_string(toMillis(e.time)));
  };
  o2.onEvent = [&](const core::Event& e) {
    log2.push_back(std::string(core::eventName(e.type)) + std::to_string(toMillis(e.time)));
  };
  ASSERT_TRUE(simulate(sc, o1).has_value());
  ASSERT_TRUE(simulate(sc, o2).has_value());
  EXPECT_GT(log1.size(), 100u);
  EXPECT_EQ(log1, log2);
  sc.workload.seed = 2;
  log2.clear();
  ASSERT_TRUE(simulate(sc, o2).has_value());
  EXPECT_NE(log1, log2);
}

TEST(Simulator, PoissonArrivalsFollowTheRateOfEachStep) {
  Scenario sc = smallScenario(50, {}, 0);
  sc.workload.duration = s(8 * 3600);
  QueueWorkload& qw = sc.workload.queues[0];
  qw.fromCsv = false;
  qw.rates = {RateStep{Duration(0), 600}, RateStep{s(4 * 3600), 0}, RateStep{s(6 * 3600), 1200}};
  qw.handle = DurationDistribution{DistributionKind::kFixed, 1, 0};
  const SimResult r = run(sc);
  std::uint64_t first = 0, quiet = 0, last = 0;
  for (std::size_t i = 0; i < r.intervals.size(); ++i) {
    const std::uint64_t n = r.intervals[i].offered;
    (i < 16 ? first : i < 24 ? quiet : last) += n;
  }
  EXPECT_NEAR(static_cast<double>(first), 2400, 4 * 49);  // 4 h at 600/h, ±4 sd
  EXPECT_EQ(quiet, 0u);
  EXPECT_NEAR(static_cast<double>(last), 2400, 4 * 49);  // 2 h at 1200/h
}

TEST(Simulator, RefusesAWorkloadForAnUnknownQueue) {
  Scenario sc = smallScenario(1, {0}, 10);
  sc.workload.queues[0].queue = "nope";
  Result<SimResult> r = simulate(sc);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("unknown queue 'nope'"), std::string::npos);
}

}  // namespace
}  // namespace callq::sim
