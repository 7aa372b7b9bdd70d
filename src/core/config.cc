#include "core/config.h"

#include <array>
#include <set>
#include <utility>

namespace callq::core {
namespace {

constexpr std::array<std::pair<Strategy, std::string_view>, 8> kStrategyNames{{
    {Strategy::kRingAll, "ring-all"},
    {Strategy::kLongestIdle, "longest-idle"},
    {Strategy::kFewestCalls, "fewest-calls"},
    {Strategy::kLeastTalkTime, "least-talk-time"},
    {Strategy::kRandom, "random"},
    {Strategy::kWeightedRandom, "weighted-random"},
    {Strategy::kRoundRobin, "round-robin"},
    {Strategy::kLinear, "linear"},
}};

bool isInternational(std::string_view number) {
  if (number.size() < 3 || number[0] != '+') {
    return false;
  }
  for (char c : number.substr(1)) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return number.size() <= 16;  // E.164: at most 15 digits
}

Result<void> fail(const std::string& where, const std::string& what) {
  return makeError(ErrorCode::kInvalidArgument, where + ": " + what);
}

Result<void> validateQueue(const QueueConfig& q, const std::set<std::string>& agents,
                           const std::set<std::string>& queues) {
  const std::string where = "queue '" + q.name + "'";
  if (q.extension.empty()) {
    return fail(where, "extension: required");
  }
  if (q.ringTime <= Duration::zero()) {
    return fail(where, "ring_time: must be greater than 0");
  }
  if (q.retry < Duration::zero() || q.wrapUp < Duration::zero() || q.maxWait < Duration::zero() ||
      q.serviceLevel < Duration::zero()) {
    return fail(where, "durations must not be negative");
  }
  if ((q.waitWithdrawn && *q.waitWithdrawn < Duration::zero()) ||
      (q.waitEmpty && *q.waitEmpty < Duration::zero())) {
    return fail(where, "wait times must not be negative");
  }
  if (!(q.weight > 0.0)) {
    return fail(where, "weight: must be greater than 0");
  }
  if (q.statsWindow <= Duration::zero()) {
    return fail(where, "stats_window: must be greater than 0");
  }
  std::vector<const Destination*> destinations{&q.onTimeout, &q.onOverflow};
  std::set<char> keys;
  for (const ExitKey& k : q.exitKeys) {
    if (!isDialKey(k.key)) {
      return fail(where, "exit_keys: '" + std::string(1, k.key) +
                             "' is not a key (expected 0-9, *, # or A-D)");
    }
    if (!keys.insert(k.key).second) {
      return fail(where, "exit_keys: key '" + std::string(1, k.key) + "' is given twice");
    }
    if (k.destination.kind == DestinationKind::kKeepWaiting) {
      return fail(where, "exit_keys: key '" + std::string(1, k.key) +
                             "': \"wait\" is not a destination for a key");
    }
    destinations.push_back(&k.destination);
  }
  for (const Destination* d : destinations) {
    if (d->kind == DestinationKind::kQueue && !queues.contains(d->target)) {
      return fail(where, "destination names unknown queue '" + d->target + "'");
    }
    if (d->kind == DestinationKind::kNumber && !isInternational(d->target)) {
      return fail(where,
                  "destination number '" + d->target + "' is not in +<country><number> form");
    }
  }
  std::set<std::string> seen;
  for (const MemberConfig& m : q.members) {
    if (!agents.contains(m.agent)) {
      return fail(where, "members: unknown agent '" + m.agent + "'");
    }
    if (!seen.insert(m.agent).second) {
      return fail(where, "members: agent '" + m.agent + "' is listed twice");
    }
    if (m.level < 0) {
      return fail(where, "members: level of '" + m.agent + "' must not be negative");
    }
  }
  return {};
}

}  // namespace

std::string_view strategyName(Strategy s) {
  for (const auto& [strategy, name] : kStrategyNames) {
    if (strategy == s) {
      return name;
    }
  }
  return "?";
}

std::optional<Strategy> parseStrategy(std::string_view name) {
  for (const auto& [strategy, text] : kStrategyNames) {
    if (text == name) {
      return strategy;
    }
  }
  return std::nullopt;
}

bool isDialKey(char key) {
  return (key >= '0' && key <= '9') || key == '*' || key == '#' || (key >= 'A' && key <= 'D');
}

Result<Destination> parseDestination(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const std::string target =
      colon == std::string_view::npos ? "" : std::string(text.substr(colon + 1));
  Destination d;
  d.target = target;
  if (kind == "hangup" || kind == "wait") {
    d.kind = kind == "hangup" ? DestinationKind::kHangup : DestinationKind::kKeepWaiting;
    if (!target.empty()) {
      std::string message(kind);  // appended, not "'" + ...: g++ 12 -O3 -Wrestrict misfires
      message.append(" takes no target");
      return makeError(ErrorCode::kInvalidArgument, std::move(message));
    }
    return d;
  }
  if (kind == "voicemail") {
    d.kind = DestinationKind::kVoicemail;
    return d;
  }
  if (kind == "extension" || kind == "number" || kind == "queue") {
    d.kind = kind == "extension" ? DestinationKind::kExtension
             : kind == "number"  ? DestinationKind::kNumber
                                 : DestinationKind::kQueue;
    if (target.empty()) {
      std::string message(kind);
      message.append(" needs a target, as in ").append(kind).append(":<target>");
      return makeError(ErrorCode::kInvalidArgument, std::move(message));
    }
    if (d.kind == DestinationKind::kNumber && !isInternational(target)) {
      return makeError(ErrorCode::kInvalidArgument,
                       "number '" + target + "' is not in +<country><number> form");
    }
    return d;
  }
  return makeError(ErrorCode::kInvalidArgument,
                   "unknown action '" + std::string(text) +
                       "' (expected hangup, voicemail[:box], extension:<ext>, number:+<digits>, "
                       "queue:<name> or wait)");
}

std::string formatDestination(const Destination& d) {
  switch (d.kind) {
    case DestinationKind::kHangup:
      return "hangup";
    case DestinationKind::kKeepWaiting:
      return "wait";
    case DestinationKind::kVoicemail:
      return d.target.empty() ? "voicemail" : "voicemail:" + d.target;
    case DestinationKind::kExtension:
      return "extension:" + d.target;
    case DestinationKind::kNumber:
      return "number:" + d.target;
    case DestinationKind::kQueue:
      return "queue:" + d.target;
  }
  return "?";
}

Result<void> validateConfig(const Config& config) {
  std::set<std::string> agentIds;
  std::set<std::string> extensions;
  for (const AgentConfig& a : config.agents) {
    if (a.id.empty()) {
      return fail("agent", "id: required");
    }
    if (!agentIds.insert(a.id).second) {
      return fail("agent '" + a.id + "'", "id: duplicate");
    }
    if (a.extension.empty()) {
      return fail("agent '" + a.id + "'", "extension: required");
    }
    if (!extensions.insert(a.extension).second) {
      return fail("agent '" + a.id + "'", "extension '" + a.extension + "' is already used");
    }
  }
  std::set<std::string> queueNames;
  for (const QueueConfig& q : config.queues) {
    if (q.name.empty()) {
      return fail("queue", "name: required");
    }
    if (!queueNames.insert(q.name).second) {
      return fail("queue '" + q.name + "'", "name: duplicate");
    }
    if (!q.extension.empty() && !extensions.insert(q.extension).second) {
      return fail("queue '" + q.name + "'", "extension '" + q.extension + "' is already used");
    }
  }
  for (const QueueConfig& q : config.queues) {
    if (auto ok = validateQueue(q, agentIds, queueNames); !ok) {
      return ok;
    }
  }
  std::set<std::string> reasons;
  for (const std::string& r : config.withdrawReasons) {
    if (r.empty() || !reasons.insert(r).second) {
      return fail("withdraw_reasons", "reasons must be non-empty and unique");
    }
  }
  return {};
}

}  // namespace callq::core
