// Dispatch: offering waiting calls to available agents, ringing, and the end of each ring.
//
// Two directions meet here. A call that becomes offerable asks its queue's strategy for members to
// ring (offer). An agent who becomes available takes the best offerable call among its queues:
// highest priority first, then the longest wait multiplied by the queue's weight (pull).
#include <algorithm>

#include "common/check.h"
#include "core/engine_impl.h"

namespace callq::core::internal {

void EngineImpl::rollWindow(const QueueState& q, MemberState& m) {
  const std::int64_t index = toMillis(now_) / q.config->statsWindow.count();
  if (m.windowIndex != index) {
    m.windowIndex = index;
    m.callsInWindow = 0;
    m.talkInWindowMs = 0;
  }
}

MemberMetrics EngineImpl::metricsOf(const MemberState& m) const {
  return MemberMetrics{toMillis(agents_[m.agent.value()].lastCallEnd), m.windowIndex,
                       m.callsInWindow, m.talkInWindowMs, m.order};
}

std::size_t EngineImpl::pausingAhead(const QueueState& q, const CallKey& key) const {
  std::size_t n = 0;
  for (auto it = q.offerable.begin(); it != q.offerable.end() && *it < key; ++it) {
    n += calls_.at(it->call).phase == CallPhase::kPausing ? 1 : 0;
  }
  return n;
}

void EngineImpl::offer(CallState& call) {
  QueueState& q = queueOf(call);
  CALLQ_DCHECK(call.rings.empty());
  // A caller in the pause between rounds keeps one available agent for itself: a caller behind
  // it starts a round only while more agents are available than such callers ahead (FIFO).
  if (call.tried.empty() && !q.available.empty() &&
      q.available.size() <= pausingAhead(q, call.key)) {
    call.phase = CallPhase::kWaiting;
    q.offerable.insert(call.key);
    return;
  }
  q.available.purge();  // strategies read an exact index
  for (int round = 0; round < 2; ++round) {
    chosen_.clear();
    CALLQ_DCHECK(q.available.purged());
    OfferContext ctx{q.available, call.tried, q.lastOfferedOrder, rng_};
    q.strategy->choose(ctx, chosen_);
    if (!chosen_.empty()) {
      call.phase = CallPhase::kRinging;
      if (q.strategy->ringsAll()) {
        call.roundLevel = q.members[chosen_.front()].level;
        q.offerable.insert(call.key);  // others may still join this round
      } else {
        q.offerable.erase(call.key);
      }
      for (MemberIndex m : chosen_) {  // startRing never chooses: chosen_ stays as it is
        startRing(call, m);
      }
      return;
    }
    if (call.tried.empty()) {
      break;  // nobody available: wait for an agent to free up
    }
    // Everyone available was tried this round: pause, then start the next round.
    call.tried.clear();
    if (q.config->retry > Duration::zero()) {
      call.phase = CallPhase::kPausing;  // stays in `offerable`: it keeps its place in line
      q.offerable.insert(call.key);
      call.pauseTimer =
          timers_.arm(now_ + q.config->retry, TimerKind::kRoundPause, call.id.value());
      return;
    }
  }
  call.phase = CallPhase::kWaiting;
  q.offerable.insert(call.key);
}

void EngineImpl::startRing(CallState& call, MemberIndex member) {
  QueueState& q = queueOf(call);
  const MemberState& m = q.members[member];
  const Time until = now_ + q.config->ringTime;
  call.tried.push_back(member);
  call.rings.push_back(RingLeg{member, m.agent, now_, until});
  if (!call.ringTimer || until < call.ringTimer->at) {
    rearmRingTimer(call);
  }
  q.lastOfferedOrder = m.order;
  actions_.emplace_back(std::in_place_type<RingAgent>, call.id, call.queue, m.agent, until);
  setActivity(m.agent, Activity::kRinging, call.id);
}

std::size_t EngineImpl::legOf(const CallState& call, AgentId agent) const {
  for (std::size_t i = 0; i < call.rings.size(); ++i) {
    if (call.rings[i].agent == agent) {
      return i;
    }
  }
  return call.rings.size();
}

void EngineImpl::endLeg(CallState& call, std::size_t leg, const LegEnd& how) {
  CALLQ_CHECK(leg < call.rings.size());
  RingLeg ended = std::move(call.rings[leg]);
  call.rings.erase(call.rings.begin() + static_cast<std::ptrdiff_t>(leg));
  if (call.ringTimer && ended.until <= call.ringTimer->at) {
    rearmRingTimer(call);  // it was set for this leg
  }
  Event& e = emit(how.event, &call, ended.agent);
  e.ring = now_ - ended.started;
  e.reason = how.reason;
  if (how.stopRinging) {
    actions_.emplace_back(std::in_place_type<StopRinging>, call.id, ended.agent);
  }
  AgentState& a = agents_[ended.agent.value()];
  // Only queues with a limit count: a miss in a queue without one never withdraws the agent
  // from another.
  const unsigned limit = queueOf(call).config->maxNoAnswer;
  const bool counts = how.countsNoAnswer && limit > 0;
  a.noAnswers += counts ? 1 : 0;
  if (counts && a.noAnswers >= limit) {
    a.noAnswers = 0;
    a.activity = Activity::kIdle;
    a.call = CallId{};
    withdraw(ended.agent, std::string(kNoAnswerReason));  // refreshes the agent everywhere
  } else {
    setActivity(ended.agent, Activity::kIdle, CallId{});
  }
}

void EngineImpl::afterLegEnded(CallState& call) {
  if (call.rings.empty() && call.phase == CallPhase::kRinging) {
    offer(call);  // the next member of this round, or the pause before the next round
  }
}

void EngineImpl::cancelRings(CallState& call, std::string_view reason) {
  // Every leg goes: the timer once, not re-armed for what is left after each one (ring-all's
  // legs share a deadline, so each endLeg would otherwise re-arm it).
  timers_.cancel(call.ringTimer);
  while (!call.rings.empty()) {
    endLeg(call, call.rings.size() - 1, LegEnd{EventType::kRingCanceled, reason, false, true});
  }
}

// One timer per call, at its earliest leg's ring deadline; none when nothing rings.
void EngineImpl::rearmRingTimer(CallState& call) {
  timers_.cancel(call.ringTimer);
  if (call.rings.empty()) {
    return;
  }
  Time next = call.rings.front().until;
  for (const RingLeg& l : call.rings) {
    next = std::min(next, l.until);
  }
  call.ringTimer = timers_.arm(next, TimerKind::kRingTimeout, call.id.value());
}

void EngineImpl::onRingTimeout(CallState& call) {
  call.ringTimer.reset();  // fired
  // Every leg whose ring time is over, in the order they started ringing.
  for (std::size_t leg = 0; leg < call.rings.size();) {
    if (call.rings[leg].until <= now_) {
      endLeg(call, leg, LegEnd{EventType::kRingNoAnswer, "no answer", true, true});
    } else {
      ++leg;
    }
  }
  rearmRingTimer(call);
  afterLegEnded(call);
}

void EngineImpl::onRoundPauseEnd(CallState& call) {
  call.pauseTimer.reset();
  call.phase = CallPhase::kWaiting;
  offer(call);
}

void EngineImpl::offerHeld(QueueState& q) {
  while (!q.available.empty()) {
    CallState* next = nullptr;
    for (const CallKey& key : q.offerable) {
      CallState& c = calls_.at(key.call);
      if (c.phase == CallPhase::kWaiting) {
        next = &c;
        break;
      }
    }
    if (next == nullptr) {
      return;
    }
    offer(*next);
    if (next->phase == CallPhase::kWaiting) {
      return;  // still held for a caller ahead
    }
  }
}

CallState* EngineImpl::bestCallFor(AgentId agent, MemberIndex* member) {
  CallState* best = nullptr;
  double bestWeightedWait = 0;
  for (const Membership& ms : agents_[agent.value()].memberships) {
    QueueState& q = queues_[ms.queue.value()];
    const MemberState& m = q.members[ms.member];
    if (!m.loggedIn) {
      continue;
    }
    std::size_t pausing = 0;
    for (const CallKey& key : q.offerable) {
      CallState& c = calls_.at(key.call);
      if (c.phase == CallPhase::kPausing) {
        ++pausing;  // keeps an available agent for itself (see offer)
        continue;
      }
      if (c.phase == CallPhase::kRinging &&
          (wasTried(c.tried, ms.member) || m.level > c.roundLevel)) {
        continue;  // a ring-all round this member cannot join
      }
      if (q.available.size() <= pausing) {
        break;  // every available agent of this queue is kept for a caller ahead
      }
      const double weighted = static_cast<double>((now_ - c.enteredAt).count()) * q.config->weight;
      if (best == nullptr || c.priority > best->priority ||
          (c.priority == best->priority &&
           (weighted > bestWeightedWait ||
            (weighted == bestWeightedWait && c.key.seq < best->key.seq)))) {
        best = &c;
        bestWeightedWait = weighted;
        *member = ms.member;
      }
      break;  // the first acceptable caller is this queue's best
    }
  }
  return best;
}

void EngineImpl::pull(AgentId agent) {
  // Each pass either rings this agent or moves another caller out of the offerable set, so the
  // loop ends; it repeats only when the strategy preferred another available member.
  while (canTakeQueueCall(agents_[agent.value()])) {
    MemberIndex member = 0;
    CallState* call = bestCallFor(agent, &member);
    if (call == nullptr) {
      return;
    }
    if (call->phase == CallPhase::kRinging) {
      startRing(*call, member);  // join the ring-all round
    } else {
      offer(*call);
      if (call->phase == CallPhase::kWaiting) {
        return;  // held back for a caller ahead: nothing more this agent can do now
      }
    }
  }
}

void EngineImpl::drainPulls() {
  for (std::size_t i = 0; i < pendingPulls_.size(); ++i) {
    pull(pendingPulls_[i]);
  }
  pendingPulls_.clear();
  for (std::size_t i = 0; i < pendingQueues_.size(); ++i) {
    offerHeld(queues_[pendingQueues_[i].value()]);
  }
  pendingQueues_.clear();
}

}  // namespace callq::core::internal
