// Callers: entering a queue (or being refused), waiting, leaving by every exit, and the timers
// that drive those exits.
#include <algorithm>

#include "common/check.h"
#include "core/engine_impl.h"

namespace callq::core::internal {

CallState* EngineImpl::findCall(CallId id) {
  auto it = calls_.find(id.value());
  return it == calls_.end() ? nullptr : &it->second;
}

CallState& EngineImpl::storeCall(CallState&& incoming) {
  if (spareCalls_.empty()) {
    return calls_.emplace(incoming.id.value(), std::move(incoming)).first->second;
  }
  auto node = std::move(spareCalls_.back());
  spareCalls_.pop_back();
  CallState& c = node.mapped();
  // Keep the spare's vectors and their capacity: the next offer fills them again (a ring-all
  // offer with one entry per agent rung).
  auto rings = std::move(c.rings);
  auto tried = std::move(c.tried);
  c = std::move(incoming);
  CALLQ_DCHECK(c.rings.empty() && c.tried.empty());
  rings.clear();
  tried.clear();
  c.rings = std::move(rings);
  c.tried = std::move(tried);
  node.key() = c.id.value();
  return calls_.insert(std::move(node)).position->second;
}

void EngineImpl::dropCall(CallId id) {
  auto node = calls_.extract(id.value());
  if (spareCalls_.size() < kMaxSpareCalls) {
    spareCalls_.push_back(std::move(node));
  }
}

Event& EngineImpl::emit(EventType type, const CallState* call, AgentId agent) {
  Event& e = events_.emplace_back();
  e.time = now_;
  e.type = type;
  if (call != nullptr) {
    e.call = call->id;
    e.queue = call->queue;
  }
  e.agent = agent;
  return e;
}

Event& EngineImpl::emitAgent(EventType type, AgentId agent, QueueId queue) {
  Event& e = emit(type, nullptr, agent);
  e.queue = queue;
  return e;
}

Result<void> EngineImpl::callArrived(const CallArrival& arrival) {
  if (arrival.queue.value() >= queues_.size()) {
    return makeError(ErrorCode::kNotFound, "unknown queue");
  }
  if (!arrival.call.valid() || calls_.contains(arrival.call.value())) {
    return makeError(ErrorCode::kAlreadyExists,
                     "call " + std::to_string(arrival.call.value()) + " is already in progress");
  }
  CallState call;
  call.id = arrival.call;
  call.priority = arrival.priority;
  call.callerId = arrival.callerId;
  return enter(std::move(call), arrival.queue);
}

Result<void> EngineImpl::enter(CallState incoming, QueueId queue) {
  QueueState& q = queues_[queue.value()];
  incoming.queue = queue;
  if (q.config->maxCallers > 0 && q.callers.size() >= q.config->maxCallers) {
    return refuse(std::move(incoming), "full");
  }
  if (q.config->refuseJoinEmpty && q.condition == QueueCondition::kEmpty) {
    return refuse(std::move(incoming), "empty");
  }
  incoming.key = CallKey{-incoming.priority, nextSeq_++, incoming.id.value()};
  incoming.enteredAt = now_;
  incoming.phase = CallPhase::kWaiting;
  incoming.tried.clear();
  CallState& call = storeCall(std::move(incoming));
  q.callers.insert(call.key);
  call.originalPosition = static_cast<std::uint32_t>(q.callers.order_of_key(call.key)) + 1;
  Event& e = emit(EventType::kEnterQueue, &call, AgentId{});
  e.position = call.originalPosition;
  e.originalPosition = call.originalPosition;
  e.reason = call.callerId;
  if (q.config->maxWait > Duration::zero()) {
    call.maxWaitTimer = timers_.arm(now_ + q.config->maxWait, TimerKind::kMaxWait, call.id.value());
  }
  armWaitTime(call);
  offer(call);
  return {};
}

Result<void> EngineImpl::refuse(CallState call, const char* reason) {
  emit(EventType::kJoinRefused, &call, AgentId{}).reason = reason;
  Destination d = queueOf(call).config->onOverflow;
  if (d.kind == DestinationKind::kKeepWaiting) {
    d.kind = DestinationKind::kHangup;  // a queue that refuses the caller cannot keep them
  }
  const QueueId from = call.queue;
  d = resolveLoops(call, d);
  route(std::move(call), from, d);
  return {};
}

Destination EngineImpl::resolveLoops(const CallState& call, Destination d) const {
  if (d.kind != DestinationKind::kQueue) {
    return d;
  }
  const auto target = queueByName_.find(d.target);
  CALLQ_CHECK(target != queueByName_.end());  // validateConfig checked queue destinations
  const QueueId to{target->second};
  if (to == call.queue ||
      std::find(call.visited.begin(), call.visited.end(), to) != call.visited.end()) {
    return Destination{DestinationKind::kHangup, "", d.message};  // a loop: end it here
  }
  return d;
}

void EngineImpl::route(CallState call, QueueId from, const Destination& destination) {
  if (destination.kind != DestinationKind::kQueue) {
    actions_.push_back(ExitQueue{call.id, from, destination});
    return;
  }
  const QueueId to{queueByName_.at(destination.target)};
  call.visited.push_back(from);
  actions_.push_back(MoveQueue{call.id, from, to, destination.message});
  (void)enter(std::move(call), to);
}

void EngineImpl::armWaitTime(CallState& call) {
  timers_.cancel(call.waitTimeTimer);
  const QueueState& q = queueOf(call);
  std::optional<Duration> wait;
  if (q.condition == QueueCondition::kAllWithdrawn) {
    wait = q.config->waitWithdrawn;
  } else if (q.condition == QueueCondition::kEmpty) {
    wait = q.config->waitEmpty;
  }
  if (wait) {
    const Time from = std::max(q.conditionSince, call.enteredAt);
    call.waitTimeTimer = timers_.arm(from + *wait, TimerKind::kWaitTime, call.id.value());
  }
}

void EngineImpl::leaveQueueStructures(CallState& call) {
  QueueState& q = queueOf(call);
  if (call.phase == CallPhase::kPausing) {
    pendingQueues_.push_back(call.queue);  // callers it held back may go now
  }
  q.callers.erase(call.key);
  q.offerable.erase(call.key);
  timers_.cancel(call.pauseTimer);
  timers_.cancel(call.maxWaitTimer);
  timers_.cancel(call.waitTimeTimer);
}

void EngineImpl::exitQueue(CallState& call, EventType type, Destination destination, char key) {
  CALLQ_DCHECK(call.rings.empty());
  destination = resolveLoops(call, destination);
  Event& e = emit(type, &call, AgentId{});
  e.key = key;
  e.position = *positionOf(call);
  e.originalPosition = call.originalPosition;
  e.wait = now_ - call.enteredAt;
  e.reason = formatDestination(destination);
  leaveQueueStructures(call);
  const QueueId from = call.queue;
  CallState moved = std::move(call);
  dropCall(moved.id);
  route(std::move(moved), from, destination);
}

void EngineImpl::endWaiting(CallState& call, EventType type, std::string_view ringReason,
                            std::string reason) {
  cancelRings(call, ringReason);
  Event& e = emit(type, &call, AgentId{});
  e.position = *positionOf(call);
  e.originalPosition = call.originalPosition;
  e.wait = now_ - call.enteredAt;
  e.reason = std::move(reason);
  leaveQueueStructures(call);
  dropCall(call.id);
}

void EngineImpl::onGiveUp(CallState& call, EventType type, const Destination& destination) {
  if (destination.kind == DestinationKind::kKeepWaiting) {
    return;
  }
  cancelRings(call, "timeout");
  exitQueue(call, type, destination);
}

void EngineImpl::onTimer(const Timer& t) {
  if (t.kind == TimerKind::kWrapUpEnd) {
    onWrapUpEnd(AgentId{t.agent});
    return;
  }
  CallState* call = findCall(CallId{t.subject});
  CALLQ_CHECK(call != nullptr);  // a call's timers are cancelled when it ends
  const QueueState& q = queueOf(*call);
  switch (t.kind) {
    case TimerKind::kRingTimeout:
      onRingTimeout(*call);
      break;
    case TimerKind::kRoundPause:
      onRoundPauseEnd(*call);
      break;
    case TimerKind::kMaxWait:
      call->maxWaitTimer.reset();
      onGiveUp(*call, EventType::kExitWithTimeout, q.config->onTimeout);
      break;
    case TimerKind::kWaitTime:
      call->waitTimeTimer.reset();
      if (q.condition == QueueCondition::kAllWithdrawn) {
        onGiveUp(*call, EventType::kExitWithTimeout, q.config->onTimeout);
      } else {
        onGiveUp(*call, EventType::kExitEmpty, q.config->onOverflow);
      }
      break;
    case TimerKind::kWrapUpEnd:
      break;
  }
}

void EngineImpl::connect(CallState& call, std::size_t leg) {
  RingLeg answered = std::move(call.rings[leg]);
  call.rings.erase(call.rings.begin() + static_cast<std::ptrdiff_t>(leg));
  timers_.cancel(call.ringTimer);
  Event& e = emit(EventType::kConnect, &call, answered.agent);
  e.wait = now_ - call.enteredAt;
  e.ring = now_ - answered.started;
  e.position = *positionOf(call);
  e.originalPosition = call.originalPosition;
  actions_.emplace_back(std::in_place_type<Bridge>, call.id, answered.agent);
  leaveQueueStructures(call);
  call.phase = CallPhase::kConnected;
  call.agent = answered.agent;
  call.member = answered.member;
  call.connectedAt = now_;
  // The others stop ringing; losing a ring-all race is not a no-answer.
  for (RingLeg& other : call.rings) {
    actions_.emplace_back(std::in_place_type<StopRinging>, call.id, other.agent);
    setActivity(other.agent, Activity::kIdle, CallId{});
  }
  call.rings.clear();
  QueueState& q = queueOf(call);
  MemberState& m = q.members[answered.member];
  rollWindow(q, m);
  ++m.callsInWindow;
  agents_[answered.agent.value()].noAnswers = 0;
  setActivity(answered.agent, Activity::kOnCall, call.id);
}

void EngineImpl::finishConnected(CallState& call, EventType type, std::string reason) {
  Event& e = emit(type, &call, call.agent);
  e.wait = call.connectedAt - call.enteredAt;
  e.talk = now_ - call.connectedAt;
  e.originalPosition = call.originalPosition;
  e.reason = std::move(reason);
  agentCallFinished(call.agent, call);
  dropCall(call.id);
}

Result<void> EngineImpl::callerHungUp(CallId id) {
  CallState* call = findCall(id);
  if (call == nullptr) {
    return makeError(ErrorCode::kNotFound, "unknown call " + std::to_string(id.value()));
  }
  if (call->phase == CallPhase::kConnected) {
    finishConnected(*call, EventType::kCompleteCaller, {});
  } else {
    endWaiting(*call, EventType::kAbandon, "caller hung up", {});
  }
  return {};
}

Result<void> EngineImpl::serverStopping() {
  // In arrival order, so that the events read as the queue did. Agents freed by a cancelled ring
  // are pulled only after the input (settle), when no waiting caller is left. The driver hangs up
  // on each (ExitQueue).
  std::vector<std::pair<std::uint64_t, CallId>> waiting;
  for (const auto& [id, call] : calls_) {
    if (call.phase != CallPhase::kConnected) {
      waiting.emplace_back(call.key.seq, call.id);
    }
  }
  std::sort(waiting.begin(), waiting.end());
  for (const auto& [seq, id] : waiting) {
    CallState& call = *findCall(id);
    const QueueId queue = call.queue;
    endWaiting(call, EventType::kServerRestart, "callq stopped",
               "callq stopped while the caller was waiting");
    actions_.push_back(ExitQueue{id, queue, Destination{}});  // hang up
  }
  return {};
}

Result<void> EngineImpl::digitPressed(CallId id, char key) {
  CallState* call = findCall(id);
  if (call == nullptr) {
    return makeError(ErrorCode::kNotFound, "unknown call " + std::to_string(id.value()));
  }
  if (!isDialKey(key)) {
    return makeError(ErrorCode::kInvalidArgument, "not a key: '" + std::string(1, key) + "'");
  }
  if (call->phase == CallPhase::kConnected) {
    return {};
  }
  for (const ExitKey& k : queueOf(*call).config->exitKeys) {
    if (k.key == key) {
      cancelRings(*call, "exit key");
      exitQueue(*call, EventType::kExitWithKey, k.destination, key);
      break;
    }
  }
  return {};
}

Result<EngineImpl::Leg> EngineImpl::ringingLeg(CallId id, AgentId agent) {
  CallState* call = findCall(id);
  const std::size_t leg = call == nullptr ? 0 : legOf(*call, agent);
  if (call == nullptr || leg == call->rings.size()) {
    return makeError(ErrorCode::kFailedPrecondition,
                     "agent is not ringing for call " + std::to_string(id.value()));
  }
  return Leg{call, leg};
}

Result<void> EngineImpl::agentAnswered(CallId id, AgentId agent) {
  auto leg = ringingLeg(id, agent);
  if (!leg) {
    return tl::unexpected(leg.error());
  }
  connect(*leg->call, leg->index);
  return {};
}

Result<void> EngineImpl::ringFailed(CallId id, AgentId agent, RingFailure why) {
  auto leg = ringingLeg(id, agent);
  if (!leg) {
    return tl::unexpected(leg.error());
  }
  static constexpr std::string_view kReasons[] = {"busy", "declined", "unreachable"};
  // Only an unreachable phone counts toward auto-withdraw: busy and declined are the agent's
  // answer.
  endLeg(*leg->call, leg->index,
         LegEnd{EventType::kRingNoAnswer, kReasons[static_cast<int>(why)],
                why == RingFailure::kUnreachable, false});
  afterLegEnded(*leg->call);
  return {};
}

Result<void> EngineImpl::callEnded(CallId id, Party who) {
  CallState* call = findCall(id);
  if (call == nullptr || call->phase != CallPhase::kConnected) {
    return makeError(ErrorCode::kFailedPrecondition,
                     "call " + std::to_string(id.value()) + " is not connected");
  }
  finishConnected(
      *call, who == Party::kAgent ? EventType::kCompleteAgent : EventType::kCompleteCaller, {});
  return {};
}

Result<void> EngineImpl::callTransferred(CallId id, TransferKind kind, const std::string& target) {
  CallState* call = findCall(id);
  if (call == nullptr || call->phase != CallPhase::kConnected) {
    return makeError(ErrorCode::kFailedPrecondition, "call " + std::to_string(id.value()) +
                                                         " is not connected: transfer only "
                                                         "after answering");
  }
  if (target.empty()) {
    return makeError(ErrorCode::kInvalidArgument, "transfer target is empty");
  }
  finishConnected(
      *call,
      kind == TransferKind::kBlind ? EventType::kBlindTransfer : EventType::kAttendedTransfer,
      target);
  return {};
}

}  // namespace callq::core::internal
