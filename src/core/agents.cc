// Agent state: presence, activity, memberships, and keeping the AvailableIndex and the queues'
// staffing (for wait time 1 / 2) in step with it.
#include <algorithm>

#include "core/engine_impl.h"

namespace callq::core::internal {

bool EngineImpl::canTakeQueueCall(const AgentState& a) const {
  return a.presence == Presence::kReady && a.registered && a.activity == Activity::kIdle &&
         a.otherCalls == 0;
}

std::optional<MemberIndex> EngineImpl::memberOf(AgentId agent, QueueId queue) const {
  for (const Membership& m : agents_[agent.value()].memberships) {
    if (m.queue == queue) {
      return m.member;
    }
  }
  return std::nullopt;
}

void EngineImpl::refreshAgent(AgentId agent) {
  AgentState& a = agents_[agent.value()];
  for (const Membership& m : a.memberships) {
    refreshMember(queues_[m.queue.value()], m.member);
  }
  if (canTakeQueueCall(a)) {
    pendingPulls_.push_back(agent);
  }
}

void EngineImpl::refreshMember(QueueState& q, MemberIndex mi) {
  updateIndex(q, mi);
  noteStaffing(q, q.members[mi]);
}

void EngineImpl::updateIndex(QueueState& q, MemberIndex mi) {
  const MemberState& m = q.members[mi];
  const bool available = m.loggedIn && canTakeQueueCall(agents_[m.agent.value()]);
  if (available != q.available.contains(mi)) {
    if (available) {
      q.available.makeAvailable(IndexEntry{q.strategy->metric(metricsOf(m)), m.order, mi});
    } else {
      q.available.makeUnavailable(mi);
    }
  }
}

void EngineImpl::noteStaffing(QueueState& q, MemberState& m) {
  const AgentState& a = agents_[m.agent.value()];
  Staffing s = Staffing::kReady;
  if (!m.loggedIn || !a.registered || a.presence == Presence::kNotAvailable) {
    s = Staffing::kAbsent;
  } else if (a.presence == Presence::kWithdrawn) {
    s = Staffing::kWithdrawn;
  }
  if (s == m.staffing) {
    return;
  }
  auto counter = [&q](Staffing st) -> std::uint32_t* {
    return st == Staffing::kReady       ? &q.staffedReady
           : st == Staffing::kWithdrawn ? &q.staffedWithdrawn
                                        : nullptr;
  };
  if (auto* c = counter(m.staffing)) {
    --*c;
  }
  if (auto* c = counter(s)) {
    ++*c;
  }
  m.staffing = s;
  updateCondition(q);
}

void EngineImpl::updateCondition(QueueState& q) {
  const QueueCondition c = q.staffedReady > 0       ? QueueCondition::kStaffed
                           : q.staffedWithdrawn > 0 ? QueueCondition::kAllWithdrawn
                                                    : QueueCondition::kEmpty;
  if (c == q.condition) {
    return;
  }
  q.condition = c;
  q.conditionSince = now_;
  for (const CallKey& key : q.callers) {
    armWaitTime(calls_.at(key.call));
  }
}

void EngineImpl::setActivity(AgentId agent, Activity activity, CallId call) {
  AgentState& a = agents_[agent.value()];
  const bool wasAvailable = canTakeQueueCall(a);
  a.activity = activity;
  a.call = call;
  a.since = now_;
  // Activity feeds only availability (staffing reads presence, registration and logins), so the
  // queues' staffing needs no update, and when availability stays the same (ringing -> on a call
  // -> wrap-up) neither do their indexes.
  if (canTakeQueueCall(a) == wasAvailable) {
    return;
  }
  for (const Membership& m : a.memberships) {
    updateIndex(queues_[m.queue.value()], m.member);
  }
  if (!wasAvailable) {
    pendingPulls_.push_back(agent);
  }
}

void EngineImpl::withdraw(AgentId agent, std::string reason) {
  AgentState& a = agents_[agent.value()];
  a.presence = Presence::kWithdrawn;
  a.reason = std::move(reason);
  a.since = now_;
  emitAgent(EventType::kPause, agent, QueueId{}).reason = a.reason;
  refreshAgent(agent);
}

void EngineImpl::agentCallFinished(AgentId agent, const CallState& call) {
  AgentState& a = agents_[agent.value()];
  QueueState& q = queueOf(call);
  const Duration talk = now_ - call.connectedAt;
  MemberState& m = q.members[call.member];
  rollWindow(q, m);
  m.talkInWindowMs += talk.count();
  const double handle = static_cast<double>((talk + q.config->wrapUp).count());
  q.handleTimeMs = q.handleTimeMs ? (3 * *q.handleTimeMs + handle) / 4 : handle;
  a.lastCallEnd = now_;
  if (q.config->wrapUp > Duration::zero()) {
    // Never cancelled: wrap-up always runs its course.
    timers_.arm(now_ + q.config->wrapUp, TimerKind::kWrapUpEnd, 0, agent.value());
    setActivity(agent, Activity::kWrapUp, CallId{});
  } else {
    setActivity(agent, Activity::kIdle, CallId{});
  }
}

void EngineImpl::onWrapUpEnd(AgentId agent) {
  if (validAgent(agent)) {  // not an agent a new configuration removed
    setActivity(agent, Activity::kIdle, CallId{});
  }
}

Result<MemberState*> EngineImpl::dynamicMember(AgentId agent, QueueId queue, bool loggedIn) {
  if (!validAgent(agent) || queue.value() >= queues_.size()) {
    return makeError(ErrorCode::kNotFound, "unknown agent or queue");
  }
  QueueState& q = queues_[queue.value()];
  const auto mi = memberOf(agent, queue);
  const auto fail = [&](ErrorCode code, const std::string& what) {
    return makeError(code, "agent '" + config_.agents[agent.value()].id + "' " + what);
  };
  if (!mi) {
    return fail(ErrorCode::kNotFound, "is not a member of queue '" + q.config->name + "'");
  }
  MemberState& m = q.members[*mi];
  if (m.isStatic) {
    return fail(ErrorCode::kFailedPrecondition, "is a static member: always logged in");
  }
  if (m.loggedIn != loggedIn) {
    return fail(ErrorCode::kFailedPrecondition,
                loggedIn ? "is not logged in" : "is already logged in");
  }
  return &m;
}

Result<void> EngineImpl::login(AgentId agent, QueueId queue) {
  auto m = dynamicMember(agent, queue, false);
  if (!m) {
    return tl::unexpected(m.error());
  }
  (*m)->loggedIn = true;
  emitAgent(EventType::kAddMember, agent, queue);
  refreshAgent(agent);
  return {};
}

Result<void> EngineImpl::logout(AgentId agent, QueueId queue) {
  auto m = dynamicMember(agent, queue, true);
  if (!m) {
    return tl::unexpected(m.error());
  }
  (*m)->loggedIn = false;
  emitAgent(EventType::kRemoveMember, agent, queue);
  endRingIn(agent, queue, "logged out");
  refreshAgent(agent);
  return {};
}

void EngineImpl::endRingAt(AgentId agent, std::string_view reason) {
  const AgentState& a = agents_[agent.value()];
  if (a.activity != Activity::kRinging) {
    return;
  }
  if (CallState* call = findCall(a.call)) {
    endLeg(*call, legOf(*call, agent), LegEnd{EventType::kRingNoAnswer, reason, false, true});
    afterLegEnded(*call);
  }
}

void EngineImpl::endRingIn(AgentId agent, QueueId queue, std::string_view reason) {
  const AgentState& a = agents_[agent.value()];
  if (a.activity != Activity::kRinging) {
    return;
  }
  CallState* call = findCall(a.call);
  if (call != nullptr && call->queue == queue) {
    endLeg(*call, legOf(*call, agent), LegEnd{EventType::kRingCanceled, reason, false, true});
    afterLegEnded(*call);
  }
}

Result<void> EngineImpl::setPresence(AgentId agent, Presence presence, std::string reason) {
  if (!validAgent(agent)) {
    return makeError(ErrorCode::kNotFound, "unknown agent");
  }
  AgentState& a = agents_[agent.value()];
  if (presence != Presence::kWithdrawn) {
    reason.clear();
  } else {
    const auto& reasons = config_.withdrawReasons;
    const bool known = reason == kNoAnswerReason ||
                       std::find(reasons.begin(), reasons.end(), reason) != reasons.end() ||
                       (reasons.empty() && !reason.empty());
    if (!known) {
      return makeError(ErrorCode::kInvalidArgument,
                       "withdraw reason '" + reason + "' is not in withdraw_reasons");
    }
  }
  if (a.presence == presence && a.reason == reason) {
    return {};
  }
  if (presence == Presence::kWithdrawn) {
    withdraw(agent, std::move(reason));
    return {};
  }
  const std::string previous = a.reason;
  a.presence = presence;
  a.reason.clear();
  a.since = now_;
  if (presence == Presence::kReady) {
    a.noAnswers = 0;
    emitAgent(EventType::kUnpause, agent, QueueId{}).reason = previous;
  } else {
    emitAgent(EventType::kUnavailable, agent, QueueId{});
  }
  refreshAgent(agent);
  return {};
}

Result<void> EngineImpl::setRegistered(AgentId agent, bool registered) {
  if (!validAgent(agent)) {
    return makeError(ErrorCode::kNotFound, "unknown agent");
  }
  AgentState& a = agents_[agent.value()];
  if (!registered) {
    endRingAt(agent, "unreachable");  // no phone left to ring (the phones' rings are stopped)
  }
  if (a.registered != registered) {
    a.registered = registered;
    a.since = now_;
    refreshAgent(agent);
  }
  return {};
}

Result<void> EngineImpl::otherCallStarted(AgentId agent) {
  if (!validAgent(agent)) {
    return makeError(ErrorCode::kNotFound, "unknown agent");
  }
  AgentState& a = agents_[agent.value()];
  ++a.otherCalls;
  a.since = now_;
  // The agent picked up another line instead: this offer is over, without counting a no-answer.
  endRingAt(agent, "busy");
  refreshAgent(agent);
  return {};
}

Result<void> EngineImpl::otherCallEnded(AgentId agent) {
  if (!validAgent(agent)) {
    return makeError(ErrorCode::kNotFound, "unknown agent");
  }
  AgentState& a = agents_[agent.value()];
  if (a.otherCalls == 0) {
    return makeError(ErrorCode::kFailedPrecondition, "agent has no other call in progress");
  }
  --a.otherCalls;
  a.since = now_;
  refreshAgent(agent);
  return {};
}

AgentDurable EngineImpl::durableState(AgentId agent) const {
  AgentDurable d;
  if (!validAgent(agent)) {
    return d;
  }
  const AgentState& a = agents_[agent.value()];
  d.agent = agent;
  d.presence = a.presence;
  d.reason = a.reason;
  d.since = a.since;
  d.lastCallEnd = a.lastCallEnd;
  d.members.reserve(a.memberships.size());
  for (const Membership& ms : a.memberships) {
    const MemberState& m = queues_[ms.queue.value()].members[ms.member];
    d.members.push_back(
        MemberDurable{ms.queue, m.loggedIn, m.windowIndex, m.callsInWindow, m.talkInWindowMs});
  }
  return d;
}

Result<void> EngineImpl::restore(const AgentDurable& d) {
  if (!validAgent(d.agent)) {
    return makeError(ErrorCode::kNotFound, "unknown agent");
  }
  AgentState& a = agents_[d.agent.value()];
  a.presence = d.presence;
  a.reason = d.presence == Presence::kWithdrawn ? d.reason : std::string();
  a.since = d.since;
  a.lastCallEnd = d.lastCallEnd;
  for (const MemberDurable& md : d.members) {
    if (md.queue.value() >= queues_.size()) {
      continue;
    }
    const std::optional<MemberIndex> mi = memberOf(d.agent, md.queue);
    if (!mi) {
      continue;
    }
    QueueState& q = queues_[md.queue.value()];
    // The index ranks by these counters: take the member out while they change.
    if (q.available.contains(*mi)) {
      q.available.makeUnavailable(*mi);
    }
    MemberState& m = q.members[*mi];
    m.loggedIn = m.isStatic || md.loggedIn;
    m.windowIndex = md.windowIndex;
    m.callsInWindow = md.callsInWindow;
    m.talkInWindowMs = md.talkInWindowMs;
  }
  refreshAgent(d.agent);
  return {};
}

}  // namespace callq::core::internal
