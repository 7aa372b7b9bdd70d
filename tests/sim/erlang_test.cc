// The staffing calculator against independent computations written here: Erlang B and C by the
// direct formula (powers and factorials, or their logarithms, in long double), Erlang A by a
// truncated birth-death chain summed naively, the wait of each caller by first-step analysis and
// by uniformization of the small absorbing chain "calls ahead of me". None of them uses the
// shortcuts of sim/erlang.cc (the Erlang B recursion, telescoped closed forms, the density of the
// offered wait and its quadrature).
#include "sim/erlang.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace callq::sim {
namespace {

// --- Independent references -----------------------------------------------------------------

// Erlang C by its textbook formula, A^c / c! literally (small c only).
long double directErlangC(int c, long double a) {
  long double below = 0;
  for (int k = 0; k < c; ++k) {
    below += std::pow(a, k) / std::tgamma(static_cast<long double>(k + 1));
  }
  const long double top =
      std::pow(a, c) / std::tgamma(static_cast<long double>(c + 1)) * c / (c - a);
  return top / (below + top);
}

// The same formula with logarithms (lgamma) and log-sum-exp, for thousands of agents.
long double logSpaceErlangC(int c, long double a) {
  std::vector<long double> logTerms;
  logTerms.reserve(c + 1);
  for (int k = 0; k < c; ++k) {
    logTerms.push_back(k * std::log(a) - std::lgamma(static_cast<long double>(k + 1)));
  }
  const long double logTop = c * std::log(a) - std::lgamma(static_cast<long double>(c + 1)) +
                             std::log(static_cast<long double>(c) / (c - a));
  logTerms.push_back(logTop);
  const long double peak = *std::max_element(logTerms.begin(), logTerms.end());
  long double sum = 0;
  for (long double t : logTerms) {
    sum += std::exp(t - peak);
  }
  return std::exp(logTop - peak) / sum;
}

// P(answered within `threshold` | `ahead` calls ahead, all agents busy) for service rate `busy`
// (cμ) and abandonment rate `theta`, by uniformizing the chain "k calls ahead" (k = ahead..0)
// with absorbing states answered / abandoned.
long double uniformizedAnsweredWithin(int ahead, long double busy, long double theta,
                                      long double threshold) {
  const long double uni = busy + (ahead + 1) * theta;
  const long double mean = uni * threshold;
  std::vector<long double> p(ahead + 1, 0);
  p[ahead] = 1;
  long double answered = 0;
  long double poisson = std::exp(-mean);
  long double result = 0;
  const int steps = static_cast<int>(mean + 14 * std::sqrt(mean) + 40);
  for (int n = 0; n <= steps; ++n) {
    result += poisson * answered;
    answered += p[0] * busy / uni;
    for (int k = 0; k <= ahead; ++k) {
      const long double stay = 1 - (busy + k * theta + theta) / uni;
      const long double fromBehind = k < ahead ? p[k + 1] * (busy + (k + 1) * theta) / uni : 0;
      p[k] = p[k] * stay + fromBehind;  // p[k+1] is still the old value here
    }
    poisson *= mean / (n + 1);
  }
  return result;
}

struct Reference {
  long double pWait = 0;
  long double abandonRate = 0;
  long double asaSeconds = 0;
  long double serviceLevel = 0;
  long double occupancy = 0;  // E[busy agents] / c
};

// Erlang A from the truncated chain, probabilities normalized at the end (long double).
Reference naiveErlangA(const StaffingInput& in, int c) {
  const long double lambda = in.ratePerHour / 3600.0L;
  const long double mu = 1 / static_cast<long double>(in.ahtSeconds);
  const long double theta = 1 / static_cast<long double>(*in.patienceSeconds);
  std::vector<long double> pi = {1};
  long double sum = 1;
  for (int i = 1;; ++i) {
    const long double out = i <= c ? i * mu : c * mu + (i - c) * theta;
    pi.push_back(pi.back() * lambda / out);
    sum += pi.back();
    if (i > c && lambda < out && pi.back() < 1e-24L * sum) {
      break;
    }
  }
  Reference ref;
  long double queue = 0, busy = 0, answered = 0, answeredWait = 0, withinT = 0;
  long double s = 1, m = 0;  // first-step analysis: P(answered), E[wait·1{answered}]
  for (size_t i = 0; i < pi.size(); ++i) {
    const long double p = pi[i] / sum;
    const int j = static_cast<int>(i) - c;  // calls waiting ahead on arrival
    busy += p * std::min<int>(static_cast<int>(i), c);
    if (j < 0) {
      answered += p;
      withinT += p;
      continue;
    }
    const long double rate = c * mu + j * theta + theta;  // next event: advance or hang up
    const long double advance = (c * mu + j * theta) / rate;
    m = advance * (m + s / rate);
    s = advance * s;
    ref.pWait += p;
    queue += p * j;
    answered += p * s;
    answeredWait += p * m;
    withinT += p * uniformizedAnsweredWithin(j, c * mu, theta, in.thresholdSeconds);
  }
  ref.abandonRate = theta * queue / lambda;
  EXPECT_NEAR(static_cast<double>(1 - answered), static_cast<double>(ref.abandonRate), 1e-12);
  ref.asaSeconds = answeredWait / answered;
  ref.serviceLevel = withinT;
  ref.occupancy = busy / c;
  return ref;
}

StaffingInput erlangCInput(double ratePerHour, double aht, double threshold = 20) {
  return StaffingInput{ratePerHour, aht, threshold, std::nullopt};
}

StaffingInput erlangAInput(double ratePerHour, double aht, double patience, double threshold) {
  return StaffingInput{ratePerHour, aht, threshold, patience};
}

void expectRelative(double actual, long double expected, double tolerance) {
  EXPECT_NEAR(actual, static_cast<double>(expected),
              tolerance * std::abs(static_cast<double>(expected)))
      << "relative tolerance " << tolerance;
}

StaffingFigures evaluate(const StaffingInput& in, int agents) {
  Result<StaffingFigures> figures = evaluateStaffing(in, agents);
  EXPECT_TRUE(figures.has_value()) << (figures ? "" : figures.error().message);
  return figures.value_or(StaffingFigures{});
}

// --- Erlang B and C ---------------------------------------------------------------------------

TEST(ErlangTest, ErlangBAndCMatchTextbookValues) {
  EXPECT_NEAR(*erlangB(10, 10), 0.2146, 5e-5);
  EXPECT_NEAR(*erlangC(11, 10), 0.6821, 5e-5);
  EXPECT_NEAR(*erlangC(3, 2), 4.0 / 9, 1e-15);  // M/M/3 at 2 erlangs, exact
  EXPECT_NEAR(*erlangC(1, 0.7), 0.7, 1e-15);    // M/M/1: the utilization
  EXPECT_DOUBLE_EQ(*erlangB(0, 3), 1.0);
}

TEST(ErlangTest, ErlangCMatchesTheDirectFormulaForSmallTeams) {
  for (int c = 1; c <= 30; ++c) {
    for (double load : {0.1, 0.5, 0.8, 0.95, 0.999}) {
      const double a = load * c;
      expectRelative(*erlangC(c, a), directErlangC(c, a), 1e-12);
    }
  }
}

TEST(ErlangTest, ErlangCFiguresFollowTheClosedForms) {
  const StaffingInput in = erlangCInput(360, 300, 20);  // 30 erlangs
  const StaffingFigures f = evaluate(in, 33);
  const long double c = directErlangC(33, 30);
  EXPECT_EQ(f.agents, 33);
  EXPECT_DOUBLE_EQ(f.offeredErlangs, 30);
  expectRelative(f.pWait, c, 1e-12);
  expectRelative(f.asaSeconds, c * 300 / 3, 1e-12);
  expectRelative(f.serviceLevel, 1 - c * std::exp(-3.0L * 20 / 300), 1e-12);
  EXPECT_DOUBLE_EQ(f.occupancy, 30.0 / 33);
  EXPECT_EQ(f.abandonRate, 0);
}

TEST(ErlangTest, ErlangCStaysAccurateForThousandsOfAgents) {
  for (int c : {1000, 2000}) {
    const double a = 0.95 * c;
    const double p = *erlangC(c, a);
    EXPECT_TRUE(std::isfinite(p));
    EXPECT_GT(p, 0);
    EXPECT_LT(p, 1);
    expectRelative(p, logSpaceErlangC(c, a), 1e-9);
  }
  const StaffingInput in = erlangCInput(22800, 300);  // 1,900 erlangs
  StaffingFigures previous = evaluate(in, 1901);
  for (int c = 1902; c <= 2100; ++c) {
    const StaffingFigures f = evaluate(in, c);
    EXPECT_LT(f.pWait, previous.pWait) << c;
    EXPECT_LT(f.asaSeconds, previous.asaSeconds) << c;
    EXPECT_GT(f.serviceLevel, previous.serviceLevel) << c;
    EXPECT_GE(f.pWait, 0);
    EXPECT_LE(f.serviceLevel, 1);
    previous = f;
  }
}

TEST(ErlangTest, ErlangCRefusesATeamThatCannotCarryTheLoad) {
  for (int agents : {29, 30}) {
    Result<StaffingFigures> f = evaluateStaffing(erlangCInput(360, 300), agents);
    ASSERT_FALSE(f.has_value());
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(f.error().message, std::to_string(agents) +
                                     " agents cannot carry 30.00 erlangs: the queue grows "
                                     "without bound");
  }
  EXPECT_FALSE(erlangC(5, 5).has_value());
}

// --- Erlang A ---------------------------------------------------------------------------------

TEST(ErlangTest, ErlangAMatchesANaiveChainAndUniformizedWaits) {
  struct Case {
    StaffingInput in;
    int agents;
  };
  const std::vector<Case> cases = {
      {erlangAInput(60, 180, 120, 20), 3},    // at capacity
      {erlangAInput(200, 120, 30, 15), 5},    // overloaded
      {erlangAInput(50, 200, 300, 30), 4},    // light
      {erlangAInput(20, 300, 600, 60), 1},    // one agent
      {erlangAInput(400, 60, 10, 5), 8},      // impatient callers
      {erlangAInput(100, 100, 0.05, 10), 2},  // callers who hang up almost at once
      {erlangAInput(90, 200, 90, 0), 6},      // threshold 0: answered without waiting
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << c.in.ratePerHour << "/h, " << c.agents << " agents");
    const Reference ref = naiveErlangA(c.in, c.agents);
    const StaffingFigures f = evaluate(c.in, c.agents);
    expectRelative(f.pWait, ref.pWait, 1e-10);
    expectRelative(f.abandonRate, ref.abandonRate, 1e-10);
    expectRelative(f.asaSeconds, ref.asaSeconds, 1e-10);
    expectRelative(f.serviceLevel, ref.serviceLevel, 1e-10);
    expectRelative(f.occupancy, ref.occupancy, 1e-10);
  }
}

TEST(ErlangTest, ErlangAHandlesAnOverloadedQueueOfPatientCallers) {
  // 600 erlangs on one agent with 1,000 s of patience: ~600 callers wait and the chain's terms
  // reach about e^590, beyond any double: the tail sums must be rescaled.
  const StaffingInput in = erlangAInput(2160, 1000, 1000, 2);
  const Reference ref = naiveErlangA(in, 1);
  const StaffingFigures f = evaluate(in, 1);
  expectRelative(f.pWait, ref.pWait, 1e-10);
  expectRelative(f.abandonRate, ref.abandonRate, 1e-10);
  expectRelative(f.asaSeconds, ref.asaSeconds, 1e-9);
  expectRelative(f.occupancy, ref.occupancy, 1e-10);
  EXPECT_NEAR(f.serviceLevel, static_cast<double>(ref.serviceLevel), 1e-12);
  EXPECT_NEAR(f.abandonRate, 1 - 1.0 / 600, 1e-6);  // the agent answers 1 erlang of 600
}

TEST(ErlangTest, ErlangAConvergesToErlangCAsPatienceGrows) {
  const StaffingFigures erlangCFigures = evaluate(erlangCInput(360, 300, 20), 33);
  const StaffingFigures patient = evaluate(erlangAInput(360, 300, 1e12, 20), 33);
  expectRelative(patient.pWait, erlangCFigures.pWait, 1e-8);
  expectRelative(patient.asaSeconds, erlangCFigures.asaSeconds, 1e-8);
  expectRelative(patient.serviceLevel, erlangCFigures.serviceLevel, 1e-8);
  expectRelative(patient.occupancy, erlangCFigures.occupancy, 1e-8);
  EXPECT_LT(patient.abandonRate, 1e-9);
  // The gap is first order in 1/patience: ten times the patience, a tenth of the gap.
  double previousGap = 0;
  for (double patience : {1e5, 1e6, 1e7, 1e8, 1e9}) {
    const StaffingFigures f = evaluate(erlangAInput(360, 300, patience, 20), 33);
    const double gap = std::abs(f.asaSeconds - erlangCFigures.asaSeconds);
    if (previousGap > 0) {
      EXPECT_NEAR(previousGap / gap, 10, 0.5) << patience;
    }
    previousGap = gap;
  }
}

TEST(ErlangTest, ErlangAServiceLevelTendsToTheAnsweredShare) {
  // With an endless threshold every answered call counts: the quadrature of the wait density
  // must meet the tail sums, even when the density is a narrow spike in a long interval.
  for (double patience : {0.01, 5.0, 60.0, 3600.0}) {
    const StaffingFigures f = evaluate(erlangAInput(720, 300, patience, 1e6), 55);
    EXPECT_NEAR(f.serviceLevel, 1 - f.abandonRate, 1e-12) << patience;
  }
}

TEST(ErlangTest, ErlangAImprovesWithEveryAgent) {
  const StaffingInput in = erlangAInput(360, 300, 120, 20);  // 30 erlangs
  StaffingFigures previous = evaluate(in, 1);
  for (int c = 2; c <= 60; ++c) {
    const StaffingFigures f = evaluate(in, c);
    EXPECT_LT(f.abandonRate, previous.abandonRate) << c;
    EXPECT_LT(f.pWait, previous.pWait) << c;
    EXPECT_LT(f.asaSeconds, previous.asaSeconds) << c;
    EXPECT_GT(f.serviceLevel, previous.serviceLevel) << c;
    EXPECT_LE(f.serviceLevel, 1 - f.abandonRate);
    // Carried load two ways: answered share of the offered erlangs, and busy agents.
    EXPECT_NEAR(f.occupancy * c / 30, 1 - f.abandonRate, 1e-12) << c;
    previous = f;
  }
}

TEST(ErlangTest, ErlangAStaysFiniteForThousandsOfAgents) {
  for (double erlangs : {1900.0, 3000.0}) {
    const StaffingFigures f = evaluate(erlangAInput(erlangs * 12, 300, 180, 20), 2000);
    for (double value : {f.pWait, f.abandonRate, f.serviceLevel, f.occupancy}) {
      EXPECT_TRUE(std::isfinite(value));
      EXPECT_GT(value, 0);
      EXPECT_LE(value, 1);
    }
    EXPECT_TRUE(std::isfinite(f.asaSeconds));
    EXPECT_GT(f.asaSeconds, 0);
    EXPECT_NEAR(f.occupancy * 2000 / erlangs, 1 - f.abandonRate, 1e-9);
  }
  // 3,000 erlangs on 2,000 agents: everyone is always busy, a third of the callers hang up.
  const StaffingFigures overloaded = evaluate(erlangAInput(36000, 300, 180, 20), 2000);
  EXPECT_NEAR(overloaded.abandonRate, 1.0 / 3, 1e-9);
  EXPECT_NEAR(overloaded.occupancy, 1, 1e-9);
  // Light load: the chance of waiting is below the smallest double, and that is fine.
  const StaffingFigures light = evaluate(erlangAInput(36, 300, 60, 20), 2000);
  EXPECT_EQ(light.pWait, 0);
  EXPECT_EQ(light.serviceLevel, 1);
  EXPECT_EQ(light.abandonRate, 0);
  EXPECT_EQ(light.asaSeconds, 0);
  EXPECT_DOUBLE_EQ(light.occupancy, 3.0 / 2000);
}

// --- Search -----------------------------------------------------------------------------------

bool meetsTarget(const Result<StaffingFigures>& f, const StaffingTarget& target) {
  if (!f) {
    return false;  // unstable
  }
  return target.kind == StaffingTarget::Kind::kServiceLevel ? f->serviceLevel >= target.value
                                                            : f->asaSeconds <= target.value;
}

// Checks the search against a plain upward scan from one agent.
void expectSmallestTeam(const StaffingInput& in, const StaffingTarget& target) {
  Result<StaffingFigures> found = findStaffing(in, target);
  ASSERT_TRUE(found.has_value()) << found.error().message;
  const int c = found->agents;
  EXPECT_TRUE(meetsTarget(evaluateStaffing(in, c), target));
  EXPECT_FALSE(meetsTarget(evaluateStaffing(in, c - 1), target));
  if (c <= 300) {
    int scanned = 1;
    while (!meetsTarget(evaluateStaffing(in, scanned), target)) {
      ++scanned;
    }
    EXPECT_EQ(scanned, c);
  }
}

TEST(ErlangTest, SearchFindsTheSmallestTeamThatMeetsTheTarget) {
  const StaffingTarget sl80{StaffingTarget::Kind::kServiceLevel, 0.8};
  const StaffingTarget asa15{StaffingTarget::Kind::kMaxAsa, 15};
  for (double rate : {10.0, 100.0, 360.0, 1000.0, 22800.0, 228000.0}) {
    for (double aht : {60.0, 300.0}) {
      for (const StaffingTarget& target : {sl80, asa15}) {
        SCOPED_TRACE(testing::Message()
                     << rate << "/h, AHT " << aht << ", target " << target.value);
        expectSmallestTeam(erlangCInput(rate, aht, 20), target);
        expectSmallestTeam(erlangAInput(rate, aht, 120, 20), target);
      }
    }
  }
}

TEST(ErlangTest, SearchKnownStaffing) {
  // 360 calls/h of 300 s = 30 erlangs, 80% within 20 s: 35 agents answer 79.6%, 36 answer 85.8%
  // in Erlang C (mpmath, 40 digits).
  Result<StaffingFigures> f =
      findStaffing(erlangCInput(360, 300, 20), {StaffingTarget::Kind::kServiceLevel, 0.8});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->agents, 36);
}

// --- Invalid input ----------------------------------------------------------------------------

void expectInvalid(const Result<StaffingFigures>& f, const std::string& start) {
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(f.error().message.rfind(start, 0), 0u) << f.error().message;
}

TEST(ErlangTest, InvalidInputIsRefused) {
  const double nan = std::nan("");
  const double inf = HUGE_VAL;
  for (double rate : {-1.0, 0.0, nan, inf}) {
    expectInvalid(evaluateStaffing(erlangCInput(rate, 300), 10), "rate:");
  }
  for (double aht : {-5.0, 0.0, nan}) {
    expectInvalid(evaluateStaffing(erlangCInput(100, aht), 10), "aht:");
  }
  expectInvalid(evaluateStaffing(erlangCInput(100, 300, -1), 10), "threshold:");
  for (double patience : {0.0, -3.0, inf}) {
    expectInvalid(evaluateStaffing(erlangAInput(100, 300, patience, 20), 10), "patience:");
  }
  expectInvalid(evaluateStaffing(erlangAInput(100, 300, 60, 20), 0), "agents:");
  expectInvalid(evaluateStaffing(erlangCInput(100, 300), kMaxAgents + 1), "agents:");
  expectInvalid(evaluateStaffing(erlangCInput(1e308, 1e308), 10), "rate x aht:");
  for (double fraction : {0.0, 1.0, 1.5, nan}) {
    expectInvalid(
        findStaffing(erlangCInput(100, 300), {StaffingTarget::Kind::kServiceLevel, fraction}),
        "target-sl:");
  }
  for (double asa : {0.0, -1.0, inf}) {
    expectInvalid(
        findStaffing(erlangAInput(100, 300, 60, 20), {StaffingTarget::Kind::kMaxAsa, asa}),
        "target-asa:");
  }
  expectInvalid(findStaffing(erlangCInput(1e12, 300), {StaffingTarget::Kind::kServiceLevel, 0.8}),
                "the target needs more than");
  EXPECT_FALSE(erlangB(-1, 2).has_value());
  EXPECT_FALSE(erlangB(3, -2).has_value());
  EXPECT_FALSE(erlangC(0, 0.5).has_value());
}

}  // namespace
}  // namespace callq::sim
