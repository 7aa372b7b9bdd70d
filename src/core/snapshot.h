// Snapshots: the live picture dashboards show, computed on demand from the engine's state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/time.h"

namespace callq::core {

enum class Presence : std::uint8_t { kReady, kWithdrawn, kNotAvailable };
enum class Activity : std::uint8_t { kIdle, kRinging, kOnCall, kWrapUp };

// The names of presences and activities wherever callq writes them (store, API, reports).
constexpr std::string_view presenceName(Presence p) {
  switch (p) {
    case Presence::kReady:
      return "ready";
    case Presence::kWithdrawn:
      return "withdrawn";
    case Presence::kNotAvailable:
      break;
  }
  return "not available";
}
constexpr std::optional<Presence> parsePresence(std::string_view name) {
  for (Presence p : {Presence::kReady, Presence::kWithdrawn, Presence::kNotAvailable}) {
    if (presenceName(p) == name) {
      return p;
    }
  }
  return std::nullopt;
}
constexpr std::string_view activityName(Activity a) {
  switch (a) {
    case Activity::kIdle:
      return "idle";
    case Activity::kRinging:
      return "ringing";
    case Activity::kOnCall:
      return "on call";
    case Activity::kWrapUp:
      break;
  }
  return "wrap-up";
}

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
  std::string callerId;
};

// What of an agent must survive a restart (the store keeps it, the server restores it at start):
// presence and reason, dynamic logins, and the counters strategies rank members by. Activity,
// registrations and calls are not in it: they start afresh.
struct MemberDurable {
  QueueId queue;
  bool loggedIn = false;         // dynamic members; static members are always logged in
  std::int64_t windowIndex = 0;  // statsWindow period the counters belong to
  std::uint32_t callsInWindow = 0;
  std::int64_t talkInWindowMs = 0;
};

struct AgentDurable {
  AgentId agent;
  Presence presence = Presence::kReady;
  std::string reason;  // the Withdrawn reason
  Time since;          // when presence last changed (or the last activity, as in AgentSnapshot)
  Time lastCallEnd;    // longest-idle ranks by it
  std::vector<MemberDurable> members;  // one per membership, in the agent's membership order
};

struct QueueSnapshot {
  QueueId queue;
  std::vector<WaitingCaller> callers;  // in position order
  Duration longestWait{0};
  AgentCounts agents;
  std::optional<Duration> averageHandleTime;  // recent, for the estimate
};

}  // namespace callq::core
