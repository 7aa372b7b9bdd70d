// Snapshots: the live picture dashboards show, computed on demand from the engine's state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/time.h"

namespace callq::core {

enum class Presence : std::uint8_t { kReady, kWithdrawn, kNotAvailable };
enum class Activity : std::uint8_t { kIdle, kRinging, kOnCall, kWrapUp };

// One agent's state as a dashboard shows it.
struct AgentSnapshot {
  AgentId agent;
  Presence presence = Presence::kNotAvailable;
  std::string reason;  // the Withdrawn reason
  Activity activity = Activity::kIdle;
  bool onOtherCall = false;  // a direct or outgoing call
  bool registered = false;
  Time since;   // when presence, activity or the other-call flag last changed
  CallId call;  // the queue call ringing or connected, if any
};

// Agents of one queue, counted by state. A logged-in agent counts in exactly one bucket, in this
// order of precedence: notAvailable, onCall (queue or other call), ringing, wrapUp, withdrawn,
// unregistered, ready (= could be offered a call now).
struct AgentCounts {
  std::uint32_t loggedIn = 0;
  std::uint32_t ready = 0;
  std::uint32_t ringing = 0;
  std::uint32_t onCall = 0;
  std::uint32_t wrapUp = 0;
  std::uint32_t withdrawn = 0;
  std::uint32_t notAvailable = 0;
  std::uint32_t unregistered = 0;
};

struct WaitingCaller {
  CallId call;
  std::uint32_t position = 0;  // 1..n
  Duration waited{0};
  bool ringing = false;        // an offer to an agent is in flight
  bool betweenRounds = false;  // every available agent was tried; the pause before the next round
  std::optional<Duration> estimatedWait;
};

struct QueueSnapshot {
  QueueId queue;
  std::vector<WaitingCaller> callers;  // in position order
  Duration longestWait{0};
  AgentCounts agents;
  std::optional<Duration> averageHandleTime;  // recent, for the estimate
};

}  // namespace callq::core
