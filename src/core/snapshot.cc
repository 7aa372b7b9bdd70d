// Snapshots and estimates: read-only views computed from the engine's state.
#include "core/engine_impl.h"

namespace callq::core::internal {

std::optional<std::uint32_t> EngineImpl::positionOf(const CallState& call) const {
  if (call.phase == CallPhase::kConnected) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(queues_[call.queue.value()].callers.order_of_key(call.key)) + 1;
}

// Estimated wait at `position`: that many handle times shared among the queue's Ready agents.
std::optional<Duration> EngineImpl::estimateWait(const QueueState& q,
                                                 std::uint32_t position) const {
  if (!q.handleTimeMs || q.staffedReady == 0) {
    return std::nullopt;
  }
  return Duration(static_cast<std::int64_t>(*q.handleTimeMs * position / q.staffedReady));
}

QueueSnapshot EngineImpl::queueSnapshot(QueueId queue, Time now) const {
  const QueueState& q = queues_[queue.value()];
  QueueSnapshot s;
  s.queue = queue;
  s.averageHandleTime = q.handleTimeMs
                            ? std::optional<Duration>(static_cast<std::int64_t>(*q.handleTimeMs))
                            : std::nullopt;
  std::uint32_t position = 0;
  for (const CallKey& key : q.callers) {
    const CallState& c = calls_.at(key.call);
    WaitingCaller w{c.id,
                    ++position,
                    now - c.enteredAt,
                    c.phase == CallPhase::kRinging,
                    c.phase == CallPhase::kPausing,
                    estimateWait(q, position),
                    c.callerId};
    s.longestWait = std::max(s.longestWait, w.waited);
    s.callers.push_back(std::move(w));
  }
  for (const MemberState& m : q.members) {
    if (!m.loggedIn) {
      continue;
    }
    const AgentState& a = agents_[m.agent.value()];
    AgentCounts& n = s.agents;
    ++n.loggedIn;
    if (a.presence == Presence::kNotAvailable) {
      ++n.notAvailable;
    } else if (a.activity == Activity::kOnCall || a.otherCalls > 0) {
      ++n.onCall;
    } else if (a.activity == Activity::kRinging) {
      ++n.ringing;
    } else if (a.activity == Activity::kWrapUp) {
      ++n.wrapUp;
    } else if (a.presence == Presence::kWithdrawn) {
      ++n.withdrawn;
    } else if (!a.registered) {
      ++n.unregistered;
    } else {
      ++n.ready;
    }
  }
  return s;
}

AgentSnapshot EngineImpl::agentSnapshot(AgentId agent) const {
  const AgentState& a = agents_[agent.value()];
  return AgentSnapshot{agent,        a.presence, a.reason, a.activity, a.otherCalls > 0,
                       a.registered, a.since,    a.call};
}

}  // namespace callq::core::internal
