// Events: the engine's record of every step, rich enough to build reports from events alone.
//
// Names follow Asterisk's queue_log where it has one. Each caller's visit to a queue produces
// exactly one ENTERQUEUE (or a JOINREFUSED instead) and exactly one terminal event: ABANDON,
// EXITEMPTY, EXITWITHTIMEOUT, EXITWITHKEY, COMPLETEAGENT, COMPLETECALLER, BLINDTRANSFER,
// ATTENDEDTRANSFER (or JOINREFUSED itself), or SERVERRESTART if callq stopped in between.
#pragma once

#include <cstdint>
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
                      //   "logged out"
  kCompleteAgent,     // agent, wait, talk, originalPosition
  kCompleteCaller,    // agent, wait, talk, originalPosition
  kBlindTransfer,     // agent, wait, talk, originalPosition, reason = target
  kAttendedTransfer,  // agent, wait, talk, originalPosition, reason = target
  kAddMember,         // agent (logged in to queue)
  kRemoveMember,      // agent (logged out of queue)
  kPause,             // agent, reason: Withdrawn with a reason (no queue)
  kUnpause,           // agent: Ready again, reason = the reason it had (no queue)
  kUnavailable,       // agent: Not available (no queue)
  // Never emitted by the engine: at start, the server closes each visit the store still had open
  // (callq stopped without ending it). wait, agent (if connected), reason = what it was doing.
  kServerRestart,
};

std::string_view eventName(EventType type);

// True for the events that end a caller's visit to a queue.
bool isTerminal(EventType type);

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
