// Actions: what the engine asks its driver to do, in order. The driver (runtime/ for SIP, sim/ for
// the simulator) turns them into effects and reports the outcomes back as inputs.
#pragma once

#include <variant>

#include "common/ids.h"
#include "common/time.h"
#include "core/config.h"

namespace callq::core {

// Ring every registered phone of `agent` for `call`. The engine itself ends the ring at `until`
// (RINGNOANSWER) unless the driver reports the answer or a failure first.
struct RingAgent {
  CallId call;
  QueueId queue;
  AgentId agent;
  Time until;
};

// Stop ringing `agent` for `call` (another agent answered, the caller left, a timeout).
struct StopRinging {
  CallId call;
  AgentId agent;
};

// Connect the caller's media to the agent who answered.
struct Bridge {
  CallId call;
  AgentId agent;
};

// The caller leaves the queue for `destination` (hang up, voicemail, an extension, a number).
// Never kQueue (the engine moves callers between queues itself) nor kKeepWaiting.
struct ExitQueue {
  CallId call;
  QueueId queue;
  Destination destination;
};

// The caller was moved from one queue to another by a timeout or overflow action; hold audio and
// announcements now follow `to`. `message` is the timeout message to play first, if any.
struct MoveQueue {
  CallId call;
  QueueId from;
  QueueId to;
  std::string message;
};

using Action = std::variant<RingAgent, StopRinging, Bridge, ExitQueue, MoveQueue>;

}  // namespace callq::core
