#include "store/convert.h"

namespace callq::store {

EventRecord toRecord(const core::Event& e, const core::Config& config) {
  EventRecord r;
  r.timeMs = toMillis(e.time);
  r.type = core::eventName(e.type);
  r.call = e.call.valid() ? e.call.value() : 0;
  if (e.queue.valid() && e.queue.value() < config.queues.size()) {
    r.queue = config.queues[e.queue.value()].name;
  }
  if (e.agent.valid() && e.agent.value() < config.agents.size()) {
    r.agent = config.agents[e.agent.value()].id;
  }
  r.position = e.position;
  r.originalPosition = e.originalPosition;
  r.waitMs = e.wait.count();
  r.talkMs = e.talk.count();
  r.ringMs = e.ring.count();
  if (e.key != 0) {
    r.key = std::string(1, e.key);
  }
  r.reason = e.reason;
  return r;
}

AgentStateRecord toRecord(const core::AgentDurable& d, const core::Config& config) {
  AgentStateRecord r;
  r.agent = config.agents.at(d.agent.value()).id;
  r.presence = core::presenceName(d.presence);
  r.reason = d.reason;
  r.sinceMs = toMillis(d.since);
  r.lastCallEndMs = toMillis(d.lastCallEnd);
  r.members.reserve(d.members.size());
  for (const core::MemberDurable& m : d.members) {
    r.members.push_back(MemberStateRecord{config.queues.at(m.queue.value()).name, m.loggedIn,
                                          m.windowIndex, m.callsInWindow, m.talkInWindowMs});
  }
  return r;
}

Result<core::AgentDurable> fromRecord(const AgentStateRecord& r, const core::Engine& engine) {
  const std::optional<AgentId> agent = engine.findAgent(r.agent);
  if (!agent) {
    return makeError(ErrorCode::kNotFound, "agent '" + r.agent + "' is no longer configured");
  }
  core::AgentDurable d;
  d.agent = *agent;
  const std::optional<core::Presence> presence = core::parsePresence(r.presence);
  if (!presence) {
    return makeError(ErrorCode::kInvalidArgument,
                     "agent '" + r.agent + "': unknown presence '" + r.presence + "'");
  }
  d.presence = *presence;
  d.reason = r.reason;
  d.since = fromMillis(r.sinceMs);
  d.lastCallEnd = fromMillis(r.lastCallEndMs);
  for (const MemberStateRecord& m : r.members) {
    if (const std::optional<QueueId> queue = engine.findQueue(m.queue)) {
      d.members.push_back(core::MemberDurable{*queue, m.loggedIn, m.windowIndex, m.callsInWindow,
                                              m.talkInWindowMs});
    }
  }
  return d;
}

std::map<std::string, QueueParams> queueParams(const core::Config& config) {
  std::map<std::string, QueueParams> out;
  for (const core::QueueConfig& q : config.queues) {
    out[q.name] = QueueParams{q.serviceLevel.count(), q.wrapUp.count()};
  }
  return out;
}

}  // namespace callq::store
