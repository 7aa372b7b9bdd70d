// Events: the engine's record of every step, rich enough to build reports from events alone.
//
// Names follow Asterisk's queue_log where it has one. Each caller's visit to a queue produces
// exactly one ENTERQUEUE (or a JOINREFUSED instead) and exactly one terminal event: ABANDON,
// EXITEMPTY, EXITWITHTIMEOUT, EXITWITHKEY, COMPLETEAGENT, COMPLETECALLER, BLINDTRANSFER,
// ATTENDEDTRANSFER (or JOINREFUSED itself), or SERVERRESTART if callq stopped in between.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ids.h"
#include "common/time.h"

namespace callq::core {

enum class EventType : std::uint8_t {
  kEnterQueue,        // position, reason = caller id
  kConnect,           // agent, wait, ring (this offer's ring time), position, originalPosition
  kAbandon,           // position, originalPosition, wait
  kExitEmpty,         // position, originalPosition, wait, reason = destination
  kExitWithTimeout,   // position, originalPosition, wait, reason = destination
  kExitWithKey,       // key, position, originalPosition, wait, reason = destination
  kJoinRefused,       // reason = "full" or "empty"; no ENTERQUEUE before it
  kRingNoAnswer,      // agent, ring, reason = "no answer" | "busy" | "declined" | "unreachable"
  kRingCanceled,      // agent, ring, reason = "caller hung up" | "timeout" | "exit key" |
                      //   "logged out" | "callq stopped"
  kCompleteAgent,     // agent, wait, talk, originalPosition
  kCompleteCaller,    // agent, wait, talk, originalPosition
  kBlindTransfer,     // agent, wait, talk, originalPosition, reason = target
  kAttendedTransfer,  // agent, wait, talk, originalPosition, reason = target
  kAddMember,         // agent (logged in to queue)
  kRemoveMember,      // agent (logged out of queue)
  kPause,             // agent, reason: Withdrawn with a reason (no queue)
  kUnpause,           // agent: Ready again, reason = the reason it had (no queue)
  kUnavailable,       // agent: Not available (no queue)
  // callq stopped during the visit. The engine emits it for a caller still waiting when callq
  // stops (serverStopping: position, originalPosition, wait); at start, the server closes each
  // visit the store still had open after a crash. wait, agent (if connected), reason = what it
  // was doing.
  kServerRestart,
};

inline constexpr std::size_t kEventTypeCount =
    static_cast<std::size_t>(EventType::kServerRestart) + 1;

std::string_view eventName(EventType type);
// The type named `name` (eventName's inverse), or nullopt.
std::optional<EventType> parseEventType(std::string_view name);

// True for the events that end a caller's visit to a queue.
bool isTerminal(EventType type);

// What an event is to a queue's visit figures: the one rule the store's statistics and the
// simulator both count by (offered = entered + refused; answered, abandoned and exited visits
// count in the interval they entered; handled when a connected call ends).
enum class VisitStep : std::uint8_t {
  kNone,      // not a step of a visit (rings, agent events)
  kEntered,   // ENTERQUEUE
  kRefused,   // JOINREFUSED (offered, never admitted)
  kAnswered,  // CONNECT
  kAbandoned,
  kExited,           // timeout, empty queue, exit key
  kHandled,          // a connected call ended (talk + wrap-up is its handle time)
  kClosedAtRestart,  // SERVERRESTART: a waiting one exited; a connected one was answered already
};
VisitStep visitStep(EventType type);
// Answered or abandoned within the queue's service-level threshold: at the threshold counts.
constexpr bool withinServiceLevel(Duration wait, Duration threshold) { return wait <= threshold; }

// Which durations an event of this type carries (the others are 0 and not reported).
struct EventDurations {
  bool wait = false;  // CONNECT and every ending of a visit but a refused join
  bool talk = false;  // the endings of a connected call
  bool ring = false;  // CONNECT and the ends of an offer
};
EventDurations eventDurations(EventType type);

// True for the events after which the agent's durable state (AgentDurable) may have changed:
// the server saves it then.
bool changesDurableState(EventType type);

struct Event {
  Time time;
  EventType type;
  CallId call;    // invalid for agent events
  QueueId queue;  // invalid for presence events
  AgentId agent;  // invalid when no agent is involved
  std::uint32_t position = 0;
  std::uint32_t originalPosition = 0;
  Duration wait{0};
  Duration talk{0};
  Duration ring{0};
  char key = 0;  // EXITWITHKEY: the key the caller pressed
  std::string reason;
};

}  // namespace callq::core
