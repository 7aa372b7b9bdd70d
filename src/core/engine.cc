#include "core/engine.h"

#include <algorithm>

#include "core/engine_impl.h"

namespace callq::core {
namespace internal {

EngineImpl::EngineImpl(Config config, const EngineOptions& options)
    : config_(std::move(config)),
      rng_(options.seed),
      initialPresence_(options.initialPresence),
      initiallyRegistered_(options.initiallyRegistered) {
  agents_.resize(config_.agents.size());
  for (std::uint32_t i = 0; i < config_.agents.size(); ++i) {
    agentById_.emplace(config_.agents[i].id, i);
    agents_[i].presence = options.initialPresence;
    agents_[i].registered = options.initiallyRegistered;
  }
  queues_.reserve(config_.queues.size());
  for (std::uint32_t qi = 0; qi < config_.queues.size(); ++qi) {
    queueByName_.emplace(config_.queues[qi].name, qi);
    addQueue(qi);
  }
  for (auto& q : queues_) {
    for (MemberIndex mi = 0; mi < q.members.size(); ++mi) {
      refreshMember(q, mi);
    }
  }
  pendingPulls_.clear();  // no caller is waiting yet
}

QueueState& EngineImpl::addQueue(std::uint32_t qi) {
  const QueueConfig& qc = config_.queues[qi];
  std::vector<int> levels;
  for (const MemberConfig& mc : qc.members) {
    levels.push_back(mc.level);
  }
  QueueState& q = queues_.emplace_back(qc, makeStrategy(qc.strategy), levels);
  for (std::uint32_t mi = 0; mi < qc.members.size(); ++mi) {
    const MemberConfig& mc = qc.members[mi];
    MemberState m;
    m.agent = AgentId{agentById_.at(mc.agent)};
    m.level = mc.level;
    m.order = mi;
    m.isStatic = mc.isStatic;
    m.loggedIn = mc.isStatic;
    q.members.push_back(m);
    agents_[m.agent.value()].memberships.push_back(Membership{QueueId{qi}, mi});
  }
  return q;
}

void EngineImpl::advanceTo(Time now) {
  now = std::max(now, now_);
  drainPulls();
  while (auto t = timers_.popDue(now)) {
    now_ = std::max(now_, t->at);
    onTimer(*t);
    drainPulls();
  }
  now_ = now;
}

void EngineImpl::settle() { advanceTo(now_); }

}  // namespace internal

Result<std::unique_ptr<Engine>> Engine::create(Config config, EngineOptions options) {
  if (auto ok = validateConfig(config); !ok) {
    return tl::unexpected(ok.error());
  }
  auto impl = std::make_unique<internal::EngineImpl>(std::move(config), options);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::Engine(std::unique_ptr<internal::EngineImpl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const Config& Engine::config() const { return impl_->config_; }

std::optional<QueueId> Engine::findQueue(std::string_view name) const {
  auto it = impl_->queueByName_.find(std::string(name));
  return it == impl_->queueByName_.end() ? std::nullopt : std::optional(QueueId{it->second});
}

std::optional<AgentId> Engine::findAgent(std::string_view id) const {
  auto it = impl_->agentById_.find(std::string(id));
  return it == impl_->agentById_.end() ? std::nullopt : std::optional(AgentId{it->second});
}

namespace {

// Runs one input: due deadlines first, then the input, then whatever it made due.
template <typename F>
auto apply(internal::EngineImpl& impl, Time now, F&& input) -> decltype(input()) {
  impl.advanceTo(now);
  auto result = input();
  impl.settle();
  return result;
}

}  // namespace

Result<void> Engine::callArrived(Time now, const CallArrival& arrival) {
  return apply(*impl_, now, [&] { return impl_->callArrived(arrival); });
}
Result<void> Engine::callerHungUp(Time now, CallId call) {
  return apply(*impl_, now, [&] { return impl_->callerHungUp(call); });
}
Result<void> Engine::serverStopping(Time now) {
  return apply(*impl_, now, [&] { return impl_->serverStopping(); });
}
Result<void> Engine::digitPressed(Time now, CallId call, char key) {
  return apply(*impl_, now, [&] { return impl_->digitPressed(call, key); });
}
Result<void> Engine::agentAnswered(Time now, CallId call, AgentId agent) {
  return apply(*impl_, now, [&] { return impl_->agentAnswered(call, agent); });
}
Result<void> Engine::ringFailed(Time now, CallId call, AgentId agent, RingFailure why) {
  return apply(*impl_, now, [&] { return impl_->ringFailed(call, agent, why); });
}
Result<void> Engine::callEnded(Time now, CallId call, Party who) {
  return apply(*impl_, now, [&] { return impl_->callEnded(call, who); });
}
Result<void> Engine::callTransferred(Time now, CallId call, TransferKind kind,
                                     const std::string& target) {
  return apply(*impl_, now, [&] { return impl_->callTransferred(call, kind, target); });
}
Result<void> Engine::login(Time now, AgentId agent, QueueId queue) {
  return apply(*impl_, now, [&] { return impl_->login(agent, queue); });
}
Result<void> Engine::logout(Time now, AgentId agent, QueueId queue) {
  return apply(*impl_, now, [&] { return impl_->logout(agent, queue); });
}
Result<void> Engine::setPresence(Time now, AgentId agent, Presence presence, std::string reason) {
  return apply(*impl_, now, [&] { return impl_->setPresence(agent, presence, std::move(reason)); });
}
Result<void> Engine::setRegistered(Time now, AgentId agent, bool registered) {
  return apply(*impl_, now, [&] { return impl_->setRegistered(agent, registered); });
}
Result<void> Engine::otherCallStarted(Time now, AgentId agent) {
  return apply(*impl_, now, [&] { return impl_->otherCallStarted(agent); });
}
Result<void> Engine::otherCallEnded(Time now, AgentId agent) {
  return apply(*impl_, now, [&] { return impl_->otherCallEnded(agent); });
}
void Engine::advance(Time now) { impl_->advanceTo(now); }

Time Engine::nextDeadline() const { return impl_->timers_.next(); }
std::vector<Action>& Engine::actions() { return impl_->actions_; }
std::vector<Event>& Engine::events() { return impl_->events_; }

QueueSnapshot Engine::queueSnapshot(Time now, QueueId queue) const {
  return impl_->queueSnapshot(queue, std::max(now, impl_->now_));
}
AgentSnapshot Engine::agentSnapshot(AgentId agent) const { return impl_->agentSnapshot(agent); }

std::optional<std::uint32_t> Engine::position(CallId call) const {
  auto it = impl_->calls_.find(call.value());
  return it == impl_->calls_.end() ? std::nullopt : impl_->positionOf(it->second);
}

std::optional<Duration> Engine::estimatedWait(CallId call) const {
  auto it = impl_->calls_.find(call.value());
  if (it == impl_->calls_.end()) {
    return std::nullopt;
  }
  const auto pos = impl_->positionOf(it->second);
  return pos ? impl_->estimateWait(impl_->queues_[it->second.queue.value()], *pos) : std::nullopt;
}

bool Engine::isLoggedIn(AgentId agent, QueueId queue) const {
  const auto mi = impl_->memberOf(agent, queue);
  return mi && impl_->queues_[queue.value()].members[*mi].loggedIn;
}

std::optional<Engine::CallInfo> Engine::callInfo(CallId call) const {
  auto it = impl_->calls_.find(call.value());
  if (it == impl_->calls_.end()) {
    return std::nullopt;
  }
  const internal::CallState& c = it->second;
  return CallInfo{c.queue, c.callerId, c.phase == internal::CallPhase::kConnected};
}

std::size_t Engine::activeCalls() const { return impl_->calls_.size(); }

AgentDurable Engine::durableState(AgentId agent) const { return impl_->durableState(agent); }

std::int64_t Engine::roundRobinPosition(QueueId queue) const {
  return queue.value() < impl_->queues_.size() ? impl_->queues_[queue.value()].lastOfferedOrder
                                               : -1;
}

Result<void> Engine::restore(Time now, const AgentDurable& state) {
  return apply(*impl_, now, [&] { return impl_->restore(state); });
}

Result<void> Engine::prepareReconfigure(Time now, const Config& next) {
  return apply(*impl_, now, [&] { return impl_->prepareReconfigure(next); });
}

Result<Engine::Renumbering> Engine::reconfigure(Time now, Config next) {
  return apply(*impl_, now, [&] { return impl_->reconfigure(std::move(next)); });
}

Result<void> Engine::restoreRoundRobin(QueueId queue, std::int64_t position) {
  if (queue.value() >= impl_->queues_.size()) {
    return makeError(ErrorCode::kNotFound, "unknown queue");
  }
  internal::QueueState& q = impl_->queues_[queue.value()];
  q.lastOfferedOrder =
      std::clamp<std::int64_t>(position, -1, static_cast<std::int64_t>(q.members.size()) - 1);
  return {};
}

}  // namespace callq::core
