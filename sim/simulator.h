// The simulator: drives the real engine (src/core) on a virtual clock with a workload, the way the
// SIP server will drive it with real calls, and measures what callers and agents experienced.
//
// A discrete-event loop: the next thing to happen is either one of the workload's (an arrival, an
// agent answering, a caller hanging up or losing patience, a shift or break starting or ending)
// or the engine's own next deadline; time jumps straight to it. No threads, no sleeping, no clock:
// the same scenario and seed give the same result, byte for byte.
//
// Arrivals stop at the end of the period; the calls that arrived before it are followed until they
// end (their wrap-up included), so every offered call is counted with its outcome.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/event.h"
#include "sim/workload.h"

namespace callq::sim {

// What callers and agents experienced, for one queue (or all queues) over one interval (or the
// whole period). Calls are counted in the interval they entered the queue; agent time is split at
// interval boundaries. A caller moved to another queue counts as a visit in each.
struct Figures {
  std::uint64_t offered = 0;      // entered, or were refused
  std::uint64_t answered = 0;     // connected to an agent
  std::uint64_t abandoned = 0;    // hung up while waiting
  std::uint64_t overflowed = 0;   // left by max wait, wait time 1/2 or a refusal's action
  std::uint64_t refused = 0;      // join refused (full, or nobody logged in); also in offered
  std::uint64_t waitedAtAll = 0;  // answered, abandoned or overflowed after waiting > 0
  std::uint64_t answeredWithinThreshold = 0;
  std::uint64_t abandonedWithinThreshold = 0;
  std::uint64_t waitingAtEnd = 0;  // still in the queue when the simulation stopped
  std::uint64_t handled = 0;       // answered calls that ended (talk + wrap-up counted)
  Duration answeredWait{0};        // sum over answered calls
  Duration handleTime{0};          // sum of talk + wrap-up over handled calls
  Duration longestWait{0};         // answered, abandoned or overflowed
  Duration busy{0};                // agents' talk + wrap-up on these calls, inside the interval
  Duration staffed{0};             // agents' time on shift and not on a break (members)

  double serviceLevel() const;  // answered within the threshold / offered
  double pWait() const;         // waited at all / offered
  double asaS() const;          // mean wait of answered calls, seconds
  double ahtS() const;          // mean talk + wrap-up of handled calls, seconds
  double abandonRate() const;   // abandoned / offered
  double occupancy() const;     // busy / staffed
  void add(const Figures& other);
};

struct QueueResult {
  std::string name;
  Duration threshold{0};           // the queue's service-level threshold
  std::vector<Figures> intervals;  // one per report interval
  Figures total;
};

struct SimResult {
  Time start;
  Duration duration{0};
  Duration interval{0};
  std::vector<QueueResult> queues;  // in configuration order
  std::vector<Figures> intervals;   // all queues
  Figures total;
  // Callers waiting (all queues), sampled every `sampleStep` from the start to the end of the
  // period, for plots.
  Duration sampleStep{0};
  std::vector<std::uint32_t> waitingSamples;
  std::uint64_t calls = 0;   // callers who arrived
  std::uint64_t events = 0;  // engine events emitted
};

struct SimOptions {
  // Called with each engine event, in order (for --events).
  std::function<void(const core::Event&)> onEvent;
  // Called now and then with the fraction of simulated time done (0..1), for a progress bar.
  std::function<void(double)> onProgress;
};

// Runs the scenario. Errors: the engine refused the configuration or an input the workload made
// (a bug, reported with the call and time rather than ignored).
Result<SimResult> simulate(const Scenario& scenario, const SimOptions& options = {});

}  // namespace callq::sim
