// Erlang B and C by the textbook recursion; Erlang A from the birth-death chain of M/M/c+M.
//
// Erlang A, with λ arrivals, cμ the service rate of c busy agents and θ = 1/patience:
// - State c+j (all busy, j waiting) is left at rate cμ + jθ. The chain is summed relative to π_c:
//   below c, Σ_{i<c} π_i/π_c = (1 - B)/B with B = Erlang B; above c, r_j = π_{c+j}/π_c is built
//   term by term and the tail is cut once what is left is below kTailTolerance. θ > 0 makes the
//   terms fall eventually. Terms above kRescale are rescaled (a common factor e^logScale), so an
//   overloaded queue with patient callers cannot overflow.
// - An arrival that finds j waiting is answered after its offered wait V_j, the sum of
//   exponential stages of rates cμ + kθ (k = j..0 calls ahead), if its own patience (rate θ)
//   outlasts them. Then P(answered | j) = E[e^{-θ V_j}] = cμ / (cμ + (j+1)θ) (the product
//   telescopes) and E[V_j·1{answered}] = P(answered | j)·Σ_{k=1}^{j+1} 1/(cμ + kθ): both exact,
//   summed with the tail.
// - Summed over j, V has on (0, ∞) the density π_c·cμ·exp(-cμt + (λ/θ)(1 - e^{-θt}))
//   (Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures", 2007, the
//   M/M/n+M case), so P(answered, 0 < wait <= T) = π_c·cμ·∫_0^T e^{φ(t)} dt with
//   φ(t) = -(cμ+θ)t + (λ/θ)(1 - e^{-θt}). φ is concave: the integral is taken by Gauss-Kronrod
//   around its peak (see integrateAroundPeak).
// - P(abandon) = θ·E[queue length]/λ (abandonments per second over arrivals per second).
#include "sim/erlang.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace callq::sim {
namespace {

constexpr double kSecondsPerHour = 3600.0;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// The Erlang A tail is cut when the rest of every sum is below this fraction of the sum.
constexpr double kTailTolerance = 1e-17;
// The longest waiting line the Erlang A chain is followed to (about a tenth of a second of work).
constexpr long kMaxQueueStates = 20'000'000;
// Tail terms above kRescale are divided by it; logScale keeps count.
constexpr double kRescale = 1e200;
// Quadrature: a piece is accepted when its error estimate is below either bound.
constexpr double kRelativeTolerance = 1e-13;
constexpr double kAbsoluteTolerance = 1e-15;  // times the whole integral's first estimate
constexpr int kMaxBisections = 40;

// "35.00" for a load, "3e+200" for an absurd one.
std::string erlangsText(double value) {
  std::array<char, 64> text{};
  const auto result = value < 1e9 ? std::to_chars(text.data(), text.data() + text.size(), value,
                                                  std::chars_format::fixed, 2)
                                  : std::to_chars(text.data(), text.data() + text.size(), value,
                                                  std::chars_format::general, 6);
  return std::string(text.data(), result.ptr);
}

tl::unexpected<Error> invalid(std::string message) {
  return makeError(ErrorCode::kInvalidArgument, std::move(message));
}

tl::unexpected<Error> cannotCarry(int agents, double offered) {
  return invalid(std::to_string(agents) + " agents cannot carry " + erlangsText(offered) +
                 " erlangs: the queue grows without bound");
}

bool positiveFinite(double value) { return std::isfinite(value) && value > 0; }

Result<void> validateInput(const StaffingInput& input) {
  if (!positiveFinite(input.ratePerHour)) {
    return invalid("rate: must be a positive number of calls per hour");
  }
  if (!positiveFinite(input.ahtSeconds)) {
    return invalid("aht: must be a positive number of seconds");
  }
  if (!std::isfinite(input.thresholdSeconds) || input.thresholdSeconds < 0) {
    return invalid("threshold: must be zero or a positive number of seconds");
  }
  if (input.patienceSeconds && !positiveFinite(*input.patienceSeconds)) {
    return invalid("patience: must be a positive number of seconds");
  }
  if (!std::isfinite(offeredErlangs(input))) {
    return invalid("rate x aht: the offered load is too large");
  }
  return {};
}

Result<void> validateAgents(int agents) {
  if (agents < 1 || agents > kMaxAgents) {
    return invalid("agents: must be between 1 and " + std::to_string(kMaxAgents) + " agents");
  }
  return {};
}

// B(0) = 1, B(k) = A·B(k-1) / (k + A·B(k-1)): every step is in [0, 1], nothing overflows.
double erlangBRecursion(int agents, double offered) {
  double blocking = 1.0;
  for (int k = 1; k <= agents; ++k) {
    blocking = offered * blocking / (k + offered * blocking);
  }
  return blocking;
}

StaffingFigures erlangCFigures(const StaffingInput& input, int agents, double offered) {
  const double blocking = erlangBRecursion(agents, offered);
  const double load = offered / agents;
  const double spare = agents - offered;  // idle capacity in erlangs; (cμ - λ) = spare / AHT
  StaffingFigures figures;
  figures.agents = agents;
  figures.offeredErlangs = offered;
  figures.pWait = blocking / (1 - load * (1 - blocking));
  figures.asaSeconds = figures.pWait * input.ahtSeconds / spare;
  figures.serviceLevel =
      1 - figures.pWait * std::exp(-spare * input.thresholdSeconds / input.ahtSeconds);
  figures.occupancy = load;
  return figures;
}

// Per second: arrivals λ, service of c busy agents cμ, abandonment of one waiting caller θ.
struct ErlangARates {
  double arrival = 0;
  double service = 0;
  double abandon = 0;
};

// Sums over the states c+j (j = 0, 1, ...) relative to π_c, all divided by e^logScale.
struct QueueTail {
  double logScale = 0;
  double states = 0;        // Σ r_j                      = P(all busy) / π_c
  double waiting = 0;       // Σ j·r_j                    = E[queue length] / π_c
  double answered = 0;      // Σ r_j·P(answered | j)
  double answeredWait = 0;  // Σ r_j·E[wait·1{answered} | j]
};

void rescale(QueueTail& tail, double& term) {
  term /= kRescale;
  tail.states /= kRescale;
  tail.waiting /= kRescale;
  tail.answered /= kRescale;
  tail.answeredWait /= kRescale;
  tail.logScale += std::log(kRescale);
}

Result<QueueTail> sumQueueTail(const ErlangARates& rates) {
  QueueTail tail;
  double term = 1;        // r_j = π_{c+j} / π_c
  double stagesMean = 0;  // Σ_{k=1}^{j+1} 1/(cμ + kθ): mean offered wait of an answered call
  for (long j = 0;; ++j) {
    const double leave = rates.service + static_cast<double>(j + 1) * rates.abandon;
    stagesMean += 1 / leave;
    const double answered = term * rates.service / leave;
    tail.states += term;
    tail.waiting += static_cast<double>(j) * term;
    tail.answered += answered;
    tail.answeredWait += answered * stagesMean;
    const double ratio = rates.arrival / leave;  // r_{j+1} / r_j, falling in j
    if (ratio < 1) {
      const double rest = term * ratio / (1 - ratio);  // bounds Σ_{k>j} r_k
      if (rest <= kTailTolerance * tail.states &&
          rest * (static_cast<double>(j) + 1 / (1 - ratio)) <= kTailTolerance * tail.waiting) {
        return tail;
      }
    }
    if (j == kMaxQueueStates) {
      return invalid("patience: the waiting line would exceed " + std::to_string(kMaxQueueStates) +
                     " calls; give a shorter patience or more agents");
    }
    term *= ratio;
    if (term > kRescale) {
      rescale(tail, term);
    }
  }
}

// φ(t) = -(cμ+θ)t + (λ/θ)(1 - e^{-θt}) and its derivatives; concave.
struct WaitExponent {
  ErlangARates rates;
  double operator()(double t) const {
    return -(rates.service + rates.abandon) * t -
           rates.arrival / rates.abandon * std::expm1(-rates.abandon * t);
  }
  double slope(double t) const {
    return -(rates.service + rates.abandon) + rates.arrival * std::exp(-rates.abandon * t);
  }
  double curvature(double t) const {
    return -rates.arrival * rates.abandon * std::exp(-rates.abandon * t);
  }
};

struct Estimate {
  double value = 0;
  double error = 0;
};

// 15-point Gauss-Kronrod with its embedded 7-point Gauss rule (QUADPACK's qk15 constants).
template <typename F>
Estimate gaussKronrod15(const F& f, double lo, double hi) {
  static constexpr std::array<double, 8> kNodes = {
      0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
      0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
      0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
      0.207784955007898467600689403773245, 0.0};
  static constexpr std::array<double, 8> kKronrod = {
      0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
      0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
      0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
      0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
  static constexpr std::array<double, 4> kGauss = {
      0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
      0.381830050505118944950369775488975, 0.417959183673469387755102040816327};
  const double center = (lo + hi) / 2;
  const double half = (hi - lo) / 2;
  const double middle = f(center);
  double kronrod = middle * kKronrod[7];
  double gauss = middle * kGauss[3];
  for (int i = 0; i < 7; ++i) {
    const double pair = f(center - half * kNodes[i]) + f(center + half * kNodes[i]);
    kronrod += kKronrod[i] * pair;
    if (i % 2 == 1) {
      gauss += kGauss[i / 2] * pair;
    }
  }
  return {kronrod * half, std::abs(kronrod - gauss) * half};
}

template <typename F>
double integrateAdaptive(const F& f, double lo, double hi, double absoluteTolerance, int depth) {
  const Estimate estimate = gaussKronrod15(f, lo, hi);
  if (depth == 0 ||
      estimate.error <= std::max(kRelativeTolerance * estimate.value, absoluteTolerance)) {
    return estimate.value;
  }
  const double middle = (lo + hi) / 2;
  return integrateAdaptive(f, lo, middle, absoluteTolerance, depth - 1) +
         integrateAdaptive(f, middle, hi, absoluteTolerance, depth - 1);
}

// ∫_0^T e^{φ(t) - φ(peak)} dt for φ concave with its maximum on [0, T] at `peak`. The integrand
// may be a spike far narrower than T: breakpoints at peak ± scale·2^k (scale = the width of the
// spike) give every piece a resolved shape before the adaptive rule runs.
double integrateAroundPeak(const WaitExponent& phi, double peak, double threshold) {
  const double top = phi(peak);
  const auto f = [&phi, top](double t) { return std::exp(phi(t) - top); };
  const double scale = 1 / std::max(std::abs(phi.slope(peak)), std::sqrt(-phi.curvature(peak)));
  std::vector<double> points = {0, peak, threshold};
  for (double step = scale; step < threshold; step *= 2) {
    points.push_back(std::max(0.0, peak - step));
    points.push_back(std::min(threshold, peak + step));
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  double firstEstimate = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    firstEstimate += gaussKronrod15(f, points[i - 1], points[i]).value;
  }
  double integral = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    integral += integrateAdaptive(f, points[i - 1], points[i], kAbsoluteTolerance * firstEstimate,
                                  kMaxBisections);
  }
  return integral;
}

// P(answered, 0 < wait <= T) / π_c, divided by e^logScale like the tail sums.
double answeredWithin(const ErlangARates& rates, double threshold, double logScale) {
  if (threshold <= 0) {
    return 0;
  }
  const WaitExponent phi{rates};
  const double rising = rates.service + rates.abandon;  // φ'(t) = λe^{-θt} - (cμ+θ)
  double peak = 0;
  if (rates.arrival > rising) {
    peak = std::min(threshold, std::log(rates.arrival / rising) / rates.abandon);
  }
  const double integral = integrateAroundPeak(phi, peak, threshold);
  return std::exp(std::log(rates.service) + phi(peak) - logScale + std::log(integral));
}

Result<StaffingFigures> erlangAFigures(const StaffingInput& input, int agents, double offered) {
  const ErlangARates rates{input.ratePerHour / kSecondsPerHour, agents / input.ahtSeconds,
                           1 / *input.patienceSeconds};
  Result<QueueTail> tail = sumQueueTail(rates);
  if (!tail) {
    return tl::unexpected(tail.error());
  }
  const double blocking = erlangBRecursion(agents, offered);
  // Σ_{i<c} π_i / π_c, scaled like the tail; infinite when π_c is below the smallest double.
  const double idle =
      blocking > 0 ? (1 - blocking) / blocking * std::exp(-tail->logScale) : kInfinity;
  const double total = idle + tail->states;  // 1 / π_c, scaled
  const double idleShare = std::isinf(idle) ? 1 : idle / total;
  const double answered = idleShare + tail->answered / total;
  StaffingFigures figures;
  figures.agents = agents;
  figures.offeredErlangs = offered;
  figures.pWait = tail->states / total;
  figures.abandonRate = rates.abandon * (tail->waiting / total) / rates.arrival;
  figures.asaSeconds = tail->answeredWait / total / answered;
  figures.serviceLevel =
      (1 - figures.pWait) + answeredWithin(rates, input.thresholdSeconds, tail->logScale) / total;
  figures.occupancy = offered * answered / agents;
  return figures;
}

bool meets(const StaffingFigures& figures, const StaffingTarget& target) {
  return target.kind == StaffingTarget::Kind::kServiceLevel ? figures.serviceLevel >= target.value
                                                            : figures.asaSeconds <= target.value;
}

Result<void> validateTarget(const StaffingTarget& target) {
  if (target.kind == StaffingTarget::Kind::kServiceLevel &&
      !(target.value > 0 && target.value < 1)) {
    return invalid("target-sl: must be a fraction between 0 and 1 (exclusive)");
  }
  if (target.kind == StaffingTarget::Kind::kMaxAsa && !positiveFinite(target.value)) {
    return invalid("target-asa: must be a positive number of seconds");
  }
  return {};
}

tl::unexpected<Error> tooManyAgents() {
  return invalid("the target needs more than " + std::to_string(kMaxAgents) + " agents");
}

// The first team size worth trying: every smaller one is unstable (Erlang C) or cannot reach a
// service level f because it answers at most c/A of the calls (Erlang A: c < f·A fails).
double firstCandidate(const StaffingInput& input, const StaffingTarget& target, double offered) {
  if (!input.patienceSeconds) {
    return std::floor(offered) + 1;
  }
  if (target.kind == StaffingTarget::Kind::kServiceLevel) {
    return std::max(1.0, std::floor(target.value * offered));
  }
  return 1;
}

// Smallest c in (failing, meeting] that meets the target, given that `failing` does not (or is
// below the first candidate) and `meeting` does. Both figures move monotonically with c.
Result<StaffingFigures> bisect(const StaffingInput& input, const StaffingTarget& target,
                               int failing, StaffingFigures meeting) {
  while (meeting.agents - failing > 1) {
    const int middle = failing + (meeting.agents - failing) / 2;
    Result<StaffingFigures> figures = evaluateStaffing(input, middle);
    if (!figures) {
      return figures;
    }
    if (meets(*figures, target)) {
      meeting = *figures;
    } else {
      failing = middle;
    }
  }
  return meeting;
}

}  // namespace

Result<double> erlangB(int agents, double offeredErlangs) {
  if (agents < 0 || agents > kMaxAgents) {
    return invalid("agents: must be between 0 and " + std::to_string(kMaxAgents) + " agents");
  }
  if (!std::isfinite(offeredErlangs) || offeredErlangs < 0) {
    return invalid("offered load: must be zero or a positive number of erlangs");
  }
  return erlangBRecursion(agents, offeredErlangs);
}

Result<double> erlangC(int agents, double offeredErlangs) {
  if (Result<void> valid = validateAgents(agents); !valid) {
    return tl::unexpected(valid.error());
  }
  if (!std::isfinite(offeredErlangs) || offeredErlangs < 0) {
    return invalid("offered load: must be zero or a positive number of erlangs");
  }
  if (offeredErlangs >= agents) {
    return cannotCarry(agents, offeredErlangs);
  }
  const double blocking = erlangBRecursion(agents, offeredErlangs);
  return blocking / (1 - offeredErlangs / agents * (1 - blocking));
}

double offeredErlangs(const StaffingInput& input) {
  return input.ratePerHour / kSecondsPerHour * input.ahtSeconds;
}

Result<StaffingFigures> evaluateStaffing(const StaffingInput& input, int agents) {
  if (Result<void> valid = validateInput(input); !valid) {
    return tl::unexpected(valid.error());
  }
  if (Result<void> valid = validateAgents(agents); !valid) {
    return tl::unexpected(valid.error());
  }
  const double offered = offeredErlangs(input);
  if (input.patienceSeconds) {
    return erlangAFigures(input, agents, offered);
  }
  if (offered >= agents) {
    return cannotCarry(agents, offered);
  }
  return erlangCFigures(input, agents, offered);
}

Result<StaffingFigures> findStaffing(const StaffingInput& input, const StaffingTarget& target) {
  if (Result<void> valid = validateInput(input); !valid) {
    return tl::unexpected(valid.error());
  }
  if (Result<void> valid = validateTarget(target); !valid) {
    return tl::unexpected(valid.error());
  }
  const double first = firstCandidate(input, target, offeredErlangs(input));
  if (first > kMaxAgents) {
    return tooManyAgents();
  }
  // Gallop up from the first candidate (steps 1, 2, 4...), then bisect the last step.
  int failing = static_cast<int>(first) - 1;
  int candidate = static_cast<int>(first);
  for (int step = 1;; step *= 2) {
    Result<StaffingFigures> figures = evaluateStaffing(input, candidate);
    if (!figures) {
      return figures;
    }
    if (meets(*figures, target)) {
      return bisect(input, target, failing, *figures);
    }
    if (candidate == kMaxAgents) {
      return tooManyAgents();
    }
    failing = candidate;
    candidate = std::min(kMaxAgents, candidate + step);
  }
}

}  // namespace callq::sim
