// The staffing calculator: Erlang B, Erlang C (M/M/c) and Erlang A (M/M/c+M, callers who hang up).
//
// Pure functions of their arguments: no I/O, no global state, no exceptions; invalid input is an
// ErrorCode::kInvalidArgument error. Safe to call from any thread.
//
// The model: calls arrive as a Poisson stream, handle times are exponential, c agents serve one
// queue first come first served. With a patience, every caller hangs up after an exponential time
// of that mean unless an agent answers first (Erlang A); without one nobody hangs up (Erlang C).
// Every figure is a long-run average over all offered calls, exactly as the simulator reports it.
// Numerically stable for any team size up to kMaxAgents (no A^c, no c!): see erlang.cc.
#pragma once

#include <optional>

#include "common/result.h"

namespace callq::sim {

// Largest team the calculator evaluates or searches.
inline constexpr int kMaxAgents = 1'000'000;

// What the queue is offered, and how its service level is measured.
struct StaffingInput {
  double ratePerHour = 0;        // arrival rate λ, calls per hour (> 0)
  double ahtSeconds = 0;         // mean handle time (> 0), exponentially distributed
  double thresholdSeconds = 20;  // service-level threshold T (>= 0)
  // Mean patience (> 0); the abandonment rate is 1/patience. Absent: nobody abandons (Erlang C).
  std::optional<double> patienceSeconds;
};

// The long-run figures of one team size. Fractions are of all offered calls unless stated.
struct StaffingFigures {
  int agents = 0;
  double offeredErlangs = 0;  // A = λ·AHT
  double pWait = 0;           // an arriving call finds every agent busy
  double asaSeconds = 0;      // mean wait of the calls that are answered
  double serviceLevel = 0;    // answered, after waiting at most the threshold
  double abandonRate = 0;     // hang up before an answer (0 in Erlang C)
  double occupancy = 0;       // carried load per agent: λ·(1 - abandonRate)·AHT / agents
};

// What a search must reach.
struct StaffingTarget {
  enum class Kind {
    kServiceLevel,  // serviceLevel >= value, value in (0, 1)
    kMaxAsa,        // asaSeconds <= value, value > 0
  };
  Kind kind = Kind::kServiceLevel;
  double value = 0;
};

// Erlang B: the probability that a call finds all `agents` busy in a loss system offered
// `offeredErlangs`. agents >= 0, offeredErlangs >= 0 and finite.
Result<double> erlangB(int agents, double offeredErlangs);

// Erlang C: the probability that a call waits in M/M/c. Requires 1 <= agents and
// offeredErlangs < agents (otherwise the queue grows without bound).
Result<double> erlangC(int agents, double offeredErlangs);

// λ·AHT of `input`, in erlangs (not validated).
double offeredErlangs(const StaffingInput& input);

// The figures of a team of `agents` (1..kMaxAgents): Erlang A with a patience, Erlang C without
// (where agents <= offered erlangs is an error: the queue would grow without bound).
Result<StaffingFigures> evaluateStaffing(const StaffingInput& input, int agents);

// The smallest team that meets `target`, and its figures. Team sizes below the first stable one
// (Erlang C) never qualify. An error if the input is invalid or more than kMaxAgents are needed.
Result<StaffingFigures> findStaffing(const StaffingInput& input, const StaffingTarget& target);

}  // namespace callq::sim
