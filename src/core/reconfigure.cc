// A new configuration while running: queues, agents and memberships added, changed or removed
// without losing a call or an agent's state (Engine::prepareReconfigure, Engine::reconfigure).
#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

#include "core/engine_impl.h"

namespace callq::core::internal {
namespace {

constexpr std::string_view kConfigurationReason = "configuration";

std::optional<MemberIndex> memberIndexOf(const QueueConfig& q, std::string_view agent) {
  for (MemberIndex i = 0; i < q.members.size(); ++i) {
    if (q.members[i].agent == agent) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Engine::Renumbering> EngineImpl::renumber(const Config& next) const {
  if (Result<void> ok = validateConfig(next); !ok) {
    return tl::unexpected(ok.error());
  }
  std::unordered_map<std::string_view, std::uint32_t> queues;
  std::unordered_map<std::string_view, std::uint32_t> agents;
  for (std::uint32_t i = 0; i < next.queues.size(); ++i) {
    queues.emplace(next.queues[i].name, i);
  }
  for (std::uint32_t i = 0; i < next.agents.size(); ++i) {
    agents.emplace(next.agents[i].id, i);
  }
  Engine::Renumbering r;
  for (const QueueConfig& q : config_.queues) {
    auto it = queues.find(q.name);
    r.queues.push_back(it == queues.end() ? std::nullopt : std::optional(QueueId{it->second}));
  }
  for (const AgentConfig& a : config_.agents) {
    auto it = agents.find(a.id);
    r.agents.push_back(it == agents.end() ? std::nullopt : std::optional(AgentId{it->second}));
  }
  return r;
}

bool EngineImpl::keepsMembership(const Config& next, const Engine::Renumbering& r, QueueId queue,
                                 AgentId agent) const {
  const std::optional<QueueId> q = r.queues[queue.value()];
  return q && r.agents[agent.value()] &&
         memberIndexOf(next.queues[q->value()], config_.agents[agent.value()].id).has_value();
}

Result<void> EngineImpl::checkLiveState(const Config& next, const Engine::Renumbering& r) const {
  for (const auto& [id, call] : calls_) {
    if (!r.queues[call.queue.value()]) {
      return makeError(ErrorCode::kFailedPrecondition,
                       "queue '" + config_.queues[call.queue.value()].name +
                           "' has callers: remove it once they are gone");
    }
    if (call.phase == CallPhase::kConnected && !keepsMembership(next, r, call.queue, call.agent)) {
      return makeError(ErrorCode::kFailedPrecondition,
                       "agent '" + config_.agents[call.agent.value()].id +
                           "' is on a call of queue '" + config_.queues[call.queue.value()].name +
                           "': try again after it");
    }
  }
  for (std::uint32_t i = 0; i < agents_.size(); ++i) {
    if (!r.agents[i] && agents_[i].otherCalls > 0) {
      return makeError(ErrorCode::kFailedPrecondition,
                       "agent '" + config_.agents[i].id + "' is on a call: try again after it");
    }
  }
  return {};
}

Result<void> EngineImpl::prepareReconfigure(const Config& next) {
  Result<Engine::Renumbering> r = renumber(next);
  if (!r) {
    return tl::unexpected(r.error());
  }
  if (Result<void> ok = checkLiveState(next, *r); !ok) {
    return ok;
  }
  // First every membership that goes is out of its queue, then their rings end: a caller moving
  // on from an ended ring is not offered to another member who is leaving too.
  std::vector<std::pair<AgentId, QueueId>> left;
  for (std::uint32_t qi = 0; qi < queues_.size(); ++qi) {
    QueueState& q = queues_[qi];
    for (MemberIndex mi = 0; mi < q.members.size(); ++mi) {
      MemberState& m = q.members[mi];
      if (m.loggedIn && !keepsMembership(next, *r, QueueId{qi}, m.agent)) {
        m.loggedIn = false;
        emitAgent(EventType::kRemoveMember, m.agent, QueueId{qi}).reason = kConfigurationReason;
        refreshMember(q, mi);
        left.emplace_back(m.agent, QueueId{qi});
      }
    }
  }
  for (const auto& [agent, queue] : left) {
    endRingIn(agent, queue, kConfigurationReason);
    refreshAgent(agent);
  }
  return {};
}

Result<Engine::Renumbering> EngineImpl::reconfigure(Config next) {
  Result<Engine::Renumbering> renumbered = renumber(next);
  if (!renumbered) {
    return renumbered;
  }
  const Engine::Renumbering& r = *renumbered;
  if (Result<void> ok = checkLiveState(next, r); !ok) {
    return tl::unexpected(ok.error());
  }
  for (std::uint32_t qi = 0; qi < queues_.size(); ++qi) {
    for (const MemberState& m : queues_[qi].members) {
      // (A member who rings is logged in: a logout ends its rings.)
      if (m.loggedIn && !keepsMembership(next, r, QueueId{qi}, m.agent)) {
        return makeError(ErrorCode::kFailedPrecondition,
                         "agent '" + config_.agents[m.agent.value()].id + "' is still in queue '" +
                             config_.queues[qi].name + "': prepareReconfigure first");
      }
    }
  }
  Config previous = std::exchange(config_, std::move(next));
  std::vector<QueueState> oldQueues = std::exchange(queues_, {});
  renumberAgents(r);
  const std::vector<std::pair<AgentId, QueueId>> addedStatic =
      rebuildQueues(r, previous, oldQueues);
  renumberCalls(r, previous, oldQueues);
  for (const auto& [agent, queue] : addedStatic) {
    emitAgent(EventType::kAddMember, agent, queue).reason = kConfigurationReason;
  }
  // Whoever can take a call now is offered one; callers held back may go.
  for (std::uint32_t i = 0; i < agents_.size(); ++i) {
    if (canTakeQueueCall(agents_[i])) {
      pendingPulls_.push_back(AgentId{i});
    }
  }
  for (std::uint32_t i = 0; i < queues_.size(); ++i) {
    pendingQueues_.push_back(QueueId{i});
  }
  return renumbered;
}

void EngineImpl::renumberAgents(const Engine::Renumbering& r) {
  agentById_.clear();
  for (std::uint32_t i = 0; i < config_.agents.size(); ++i) {
    agentById_.emplace(config_.agents[i].id, i);
  }
  // The state of those kept; new ones start as at creation. Memberships come with the queues.
  std::vector<AgentState> agents(config_.agents.size());
  std::vector<bool> kept(agents.size());
  for (std::uint32_t old = 0; old < agents_.size(); ++old) {
    if (const std::optional<AgentId> id = r.agents[old]) {
      kept[id->value()] = true;
      agents[id->value()] = std::move(agents_[old]);
      agents[id->value()].memberships.clear();
    }
  }
  for (std::uint32_t i = 0; i < agents.size(); ++i) {
    if (!kept[i]) {
      agents[i].presence = initialPresence_;
      agents[i].registered = initiallyRegistered_;
      agents[i].since = now_;
    }
  }
  agents_ = std::move(agents);
  timers_.renumberAgents([&](std::uint32_t old) {
    const std::optional<AgentId> now = old < r.agents.size() ? r.agents[old] : std::nullopt;
    return now ? now->value() : std::numeric_limits<std::uint32_t>::max();
  });
}

std::vector<std::pair<AgentId, QueueId>> EngineImpl::rebuildQueues(
    const Engine::Renumbering& r, const Config& previous, std::vector<QueueState>& oldQueues) {
  queueByName_.clear();
  for (std::uint32_t i = 0; i < config_.queues.size(); ++i) {
    queueByName_.emplace(config_.queues[i].name, i);
  }
  std::vector<std::optional<std::uint32_t>> oldQueueOf(config_.queues.size());
  for (std::uint32_t old = 0; old < r.queues.size(); ++old) {
    if (r.queues[old]) {
      oldQueueOf[r.queues[old]->value()] = old;
    }
  }
  std::vector<std::pair<AgentId, QueueId>> addedStatic;
  queues_.reserve(config_.queues.size());
  for (std::uint32_t qi = 0; qi < config_.queues.size(); ++qi) {
    QueueState& q = addQueue(qi);
    const QueueConfig* oldConfig = oldQueueOf[qi] ? &previous.queues[*oldQueueOf[qi]] : nullptr;
    for (MemberState& m : q.members) {
      const std::optional<MemberIndex> before =
          oldConfig ? memberIndexOf(*oldConfig, config_.agents[m.agent.value()].id) : std::nullopt;
      const bool wasLoggedIn = before && oldQueues[*oldQueueOf[qi]].members[*before].loggedIn;
      if (before) {  // the strategies' counters carry on
        const MemberState& o = oldQueues[*oldQueueOf[qi]].members[*before];
        m.windowIndex = o.windowIndex;
        m.callsInWindow = o.callsInWindow;
        m.talkInWindowMs = o.talkInWindowMs;
      }
      m.loggedIn = wasLoggedIn || m.isStatic;
      if (m.loggedIn && !wasLoggedIn) {
        addedStatic.emplace_back(m.agent, QueueId{qi});
      }
    }
    // Staffing from the members, before the callers are back (no wait timer moves meanwhile); a
    // queue as staffed as it was keeps the time it has been so.
    for (MemberIndex mi = 0; mi < q.members.size(); ++mi) {
      refreshMember(q, mi);
    }
    if (oldConfig == nullptr) {
      continue;
    }
    QueueState& old = oldQueues[*oldQueueOf[qi]];
    if (q.condition == old.condition) {
      q.conditionSince = old.conditionSince;
    }
    q.lastOfferedOrder = carriedRoundRobin(old, *oldConfig, *q.config);
    q.handleTimeMs = old.handleTimeMs;
    q.callers = std::move(old.callers);
    q.offerable = std::move(old.offerable);
  }
  return addedStatic;
}

std::int64_t EngineImpl::carriedRoundRobin(const QueueState& old, const QueueConfig& before,
                                           const QueueConfig& after) {
  // The member last offered a call, or if it left, the next one after it still there.
  const std::size_t n = old.members.size();
  for (std::size_t k = 0; old.lastOfferedOrder >= 0 && k < n; ++k) {
    const std::size_t i = (static_cast<std::size_t>(old.lastOfferedOrder) + k) % n;
    if (const std::optional<MemberIndex> now = memberIndexOf(after, before.members[i].agent)) {
      return static_cast<std::int64_t>(*now) - (k == 0 ? 0 : 1);
    }
  }
  return -1;
}

void EngineImpl::renumberCalls(const Engine::Renumbering& r, const Config& previous,
                               const std::vector<QueueState>& oldQueues) {
  const auto newMember = [&](const CallState& call, QueueId oldQueue,
                             MemberIndex oldMember) -> std::optional<MemberIndex> {
    const AgentId oldAgent = oldQueues[oldQueue.value()].members[oldMember].agent;
    return memberIndexOf(config_.queues[call.queue.value()], previous.agents[oldAgent.value()].id);
  };
  for (auto& [id, call] : calls_) {
    const QueueId oldQueue = call.queue;
    call.queue = *r.queues[oldQueue.value()];
    if (call.phase == CallPhase::kConnected) {
      call.member = *newMember(call, oldQueue, call.member);
      call.agent = *r.agents[call.agent.value()];
      continue;
    }
    for (RingLeg& leg : call.rings) {
      leg.member = *newMember(call, oldQueue, leg.member);
      leg.agent = *r.agents[leg.agent.value()];
    }
    std::vector<MemberIndex> tried;
    for (MemberIndex m : call.tried) {
      if (const std::optional<MemberIndex> now = newMember(call, oldQueue, m)) {
        tried.push_back(*now);
      }
    }
    call.tried = std::move(tried);
    std::erase_if(call.visited, [&](QueueId q) { return !r.queues[q.value()]; });
    for (QueueId& q : call.visited) {
      q = *r.queues[q.value()];
    }
    QueueState& q = queueOf(call);
    // Only ring-all lets others join a call that rings (dispatch.cc): under a strategy that
    // rings one at a time, a ringing call waits for its ring to end.
    if (call.phase == CallPhase::kRinging && !q.strategy->ringsAll()) {
      q.offerable.erase(call.key);
    }
    // The waiting limits of the new settings, counted from the caller's arrival.
    timers_.cancel(call.maxWaitTimer);
    if (q.config->maxWait > Duration::zero()) {
      call.maxWaitTimer =
          timers_.arm(call.enteredAt + q.config->maxWait, TimerKind::kMaxWait, call.id.value());
    }
    armWaitTime(call);
  }
}

}  // namespace callq::core::internal
