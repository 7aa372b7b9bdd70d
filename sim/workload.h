// A simulation scenario: the server's configuration (queues, agents) plus a workload: who calls
// which queue when, how long calls last, how long callers are willing to wait, and when agents
// work. Read from the scenario's [simulation] tables by src/config (scenario_loader.h).
//
// Times are offsets from the start of the simulated period, in milliseconds (the engine's unit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "core/config.h"

namespace callq::sim {

enum class DistributionKind : std::uint8_t { kExponential, kLogNormal, kFixed };

// A positive random duration with the given mean (and standard deviation, for log-normal).
struct DurationDistribution {
  DistributionKind kind = DistributionKind::kExponential;
  double meanS = 0;
  double sdS = 0;  // log-normal only
};

// From `from` on (until the next step), calls arrive as a Poisson process at `perHour`.
struct RateStep {
  Duration from{0};
  double perHour = 0;
};

struct QueueWorkload {
  std::string queue;  // a queue of the scenario's configuration
  // Either a piecewise-constant Poisson rate, or arrival times read from a CSV file.
  std::vector<RateStep> rates;
  std::vector<Duration> arrivals;  // sorted; used when `fromCsv`
  bool fromCsv = false;
  DurationDistribution handle;                   // time connected; the queue's wrap-up follows
  std::optional<DurationDistribution> patience;  // none: callers never hang up while waiting
  int priority = 0;
};

// When an agent works. An agent with no shift works the whole period.
struct Shift {
  std::string agent;
  Duration start{0};
  Duration end{0};
};

// A break: the agent is Withdrawn with `reason` from `start` for `length`.
struct Break {
  std::string agent;
  Duration start{0};
  Duration length{0};
  std::string reason;
};

struct Workload {
  Time start = fromMillis(0);  // wall-clock time of the period's start, for event times
  Duration duration{0};
  Duration interval{15 * 60 * 1000};  // report interval
  Duration answerDelay{0};            // a ringing phone is answered after this long
  std::uint64_t seed = 1;
  std::vector<QueueWorkload> queues;
  std::vector<Shift> shifts;
  std::vector<Break> breaks;
};

struct Scenario {
  core::Config config;
  Workload workload;
};

}  // namespace callq::sim
