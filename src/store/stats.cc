#include "store/stats.h"

#include <algorithm>
#include <ctime>
#include <unordered_map>

#include "core/event.h"

namespace callq::store {

void QueueFigures::add(const QueueFigures& o) {
  offered += o.offered;
  refused += o.refused;
  answered += o.answered;
  answeredWithinSl += o.answeredWithinSl;
  abandoned += o.abandoned;
  abandonedWithinSl += o.abandonedWithinSl;
  exited += o.exited;
  handled += o.handled;
  answeredWaitMs += o.answeredWaitMs;
  handleMs += o.handleMs;
  longestWaitMs = std::max(longestWaitMs, o.longestWaitMs);
}

double QueueFigures::serviceLevel() const {
  return offered == 0 ? 0.0 : static_cast<double>(answeredWithinSl) / static_cast<double>(offered);
}

double QueueFigures::asaS() const {
  return answered == 0 ? 0.0 : static_cast<double>(answeredWaitMs) / 1000.0 / answered;
}

double QueueFigures::ahtS() const {
  return handled == 0 ? 0.0 : static_cast<double>(handleMs) / 1000.0 / handled;
}

void AgentFigures::add(const AgentFigures& o) {
  answered += o.answered;
  handled += o.handled;
  noAnswers += o.noAnswers;
  talkMs += o.talkMs;
  handleMs += o.handleMs;
  loggedInMs += o.loggedInMs;
  for (const auto& [reason, ms] : o.withdrawnMs) {
    withdrawnMs[reason] += ms;
  }
}

double AgentFigures::ahtS() const {
  return handled == 0 ? 0.0 : static_cast<double>(handleMs) / 1000.0 / handled;
}

// --- StatsTracker
// ----------------------------------------------------------------------------------

namespace {

constexpr std::string_view kWithdrawn = "withdrawn";
constexpr std::string_view kLoggedIn = "loggedin";
constexpr std::string_view kLoginPrefix = "login:";

}  // namespace

void StatsTracker::setSpans(const std::vector<Span>& spans) {
  open_.clear();
  for (const Span& s : spans) {
    open_[{s.agent, s.kind}] = s;
  }
}

std::vector<Span> StatsTracker::spans() const {
  std::vector<Span> out;
  out.reserve(open_.size());
  for (const auto& [key, span] : open_) {
    out.push_back(span);
  }
  return out;
}

QueueParams StatsTracker::paramsOf(const std::string& queue) const {
  auto it = params_.find(queue);
  return it == params_.end() ? QueueParams{} : it->second;
}

void addSpan(std::map<std::pair<std::string, std::int64_t>, AgentFigures>& buckets,
             const Span& span, std::int64_t to) {
  const bool loggedIn = span.kind == kLoggedIn;
  if (!loggedIn && span.kind != kWithdrawn) {
    return;  // per-queue logins only track whether the agent is logged in anywhere
  }
  for (std::int64_t from = span.sinceMs; from < to;) {
    const std::int64_t bucket = bucketOf(from);
    const std::int64_t end = std::min(to, bucket + kBucketMs);
    AgentFigures& f = buckets[{span.agent, bucket}];
    if (loggedIn) {
      f.loggedInMs += end - from;
    } else {
      f.withdrawnMs[span.reason] += end - from;
    }
    from = end;
  }
}

void StatsTracker::open(StatsDelta& delta, const std::string& agent, const std::string& kind,
                        const std::string& reason, std::int64_t at) {
  Span span{agent, kind, reason, at};
  open_[{agent, kind}] = span;
  delta.spans[{agent, kind}] = std::move(span);
}

void StatsTracker::close(StatsDelta& delta, const std::string& agent, const std::string& kind,
                         std::int64_t at) {
  auto it = open_.find({agent, kind});
  if (it == open_.end()) {
    return;
  }
  addSpan(delta.agents, it->second, at);
  open_.erase(it);
  delta.spans[{agent, kind}] = std::nullopt;
}

bool StatsTracker::loggedInAnywhere(const std::string& agent) const {
  for (auto it = open_.lower_bound({agent, std::string(kLoginPrefix)});
       it != open_.end() && it->first.first == agent; ++it) {
    if (it->first.second.starts_with(kLoginPrefix)) {
      return true;
    }
  }
  return false;
}

void StatsTracker::apply(const EventRecord& e, StatsDelta& delta) {
  const std::optional<core::EventType> type = core::parseEventType(e.type);
  if (!type) {
    return;  // not an event the statistics know (a newer callq's)
  }
  using T = core::EventType;
  // A visit counts in the bucket it entered the queue: its endings carry the wait (and talk).
  auto entered = [&](std::int64_t since) -> QueueFigures& {
    return delta.queues[{e.queue, bucketOf(since)}];
  };
  const QueueParams p = paramsOf(e.queue);
  const core::VisitStep step = core::visitStep(*type);
  const bool withinSl = core::withinServiceLevel(Duration(e.waitMs), Duration(p.serviceLevelMs));
  using S = core::VisitStep;
  switch (step) {
    case S::kEntered:
    case S::kRefused: {
      QueueFigures& f = entered(e.timeMs);
      ++f.offered;
      f.refused += step == S::kRefused ? 1 : 0;
      break;
    }
    case S::kAnswered: {
      QueueFigures& f = entered(e.timeMs - e.waitMs);
      ++f.answered;
      f.answeredWithinSl += withinSl ? 1 : 0;
      f.answeredWaitMs += e.waitMs;
      f.longestWaitMs = std::max(f.longestWaitMs, e.waitMs);
      break;
    }
    case S::kAbandoned: {
      QueueFigures& f = entered(e.timeMs - e.waitMs);
      ++f.abandoned;
      f.abandonedWithinSl += withinSl ? 1 : 0;
      f.longestWaitMs = std::max(f.longestWaitMs, e.waitMs);
      break;
    }
    case S::kExited: {
      QueueFigures& f = entered(e.timeMs - e.waitMs);
      ++f.exited;
      f.longestWaitMs = std::max(f.longestWaitMs, e.waitMs);
      break;
    }
    case S::kClosedAtRestart:
      // A waiting caller left; a connected one was answered and counted already. Its wait runs
      // through the downtime: not a wait to report as the longest.
      if (e.agent.empty()) {
        ++entered(e.timeMs - e.waitMs).exited;
      }
      break;
    case S::kHandled: {
      QueueFigures& f = entered(e.timeMs - e.talkMs - e.waitMs);
      ++f.handled;
      f.handleMs += e.talkMs + p.wrapUpMs;
      break;
    }
    case S::kNone:
      break;
  }
  // The agents' figures and spans.
  switch (*type) {
    case T::kConnect:
      ++delta.agents[{e.agent, bucketOf(e.timeMs)}].answered;
      break;
    case T::kCompleteAgent:
    case T::kCompleteCaller:
    case T::kBlindTransfer:
    case T::kAttendedTransfer: {
      AgentFigures& a = delta.agents[{e.agent, bucketOf(e.timeMs)}];
      ++a.handled;
      a.talkMs += e.talkMs;
      a.handleMs += e.talkMs + p.wrapUpMs;
      break;
    }
    case T::kRingNoAnswer:
      // Busy, declined and unreachable phones end the offer too, but are not an agent who let
      // it ring (the engine does not count them toward max_no_answer either).
      if (e.reason == "no answer") {
        ++delta.agents[{e.agent, bucketOf(e.timeMs)}].noAnswers;
      }
      break;
    case T::kAddMember:
      if (!loggedInAnywhere(e.agent)) {
        open(delta, e.agent, std::string(kLoggedIn), "", e.timeMs);
      }
      if (!open_.contains({e.agent, std::string(kLoginPrefix) + e.queue})) {
        open(delta, e.agent, std::string(kLoginPrefix) + e.queue, "", e.timeMs);
      }
      break;
    case T::kRemoveMember:
      close(delta, e.agent, std::string(kLoginPrefix) + e.queue, e.timeMs);
      if (!loggedInAnywhere(e.agent)) {
        close(delta, e.agent, std::string(kLoggedIn), e.timeMs);
      }
      break;
    case T::kPause:
      close(delta, e.agent, std::string(kWithdrawn), e.timeMs);
      open(delta, e.agent, std::string(kWithdrawn), e.reason, e.timeMs);
      break;
    case T::kUnpause:
    case T::kUnavailable:
      close(delta, e.agent, std::string(kWithdrawn), e.timeMs);
      break;
    default:  // the visit's steps without an agent figure, counted above
      break;
  }
}

// --- Queries
// ---------------------------------------------------------------------------------------

std::optional<Interval> parseInterval(std::string_view text) {
  if (text == "15min") {
    return Interval::k15Min;
  }
  if (text == "hour") {
    return Interval::kHour;
  }
  if (text == "day") {
    return Interval::kDay;
  }
  if (text == "total") {
    return Interval::kWhole;
  }
  return std::nullopt;
}

std::int64_t intervalStart(Interval interval, std::int64_t ms, std::int64_t fromMs) {
  switch (interval) {
    case Interval::k15Min:
      return bucketOf(ms);
    case Interval::kWhole:
      return bucketOf(fromMs);
    case Interval::kHour:
    case Interval::kDay:
      break;
  }
  const std::time_t t = static_cast<std::time_t>(bucketOf(ms) / 1000);
  std::tm local{};
  localtime_r(&t, &local);
  if (interval == Interval::kHour) {
    // Local hours: in zones with half-hour offsets they do not fall on UTC hours.
    return (bucketOf(ms) / 1000 - local.tm_min * 60 - local.tm_sec) * 1000;
  }
  local.tm_hour = 0;
  local.tm_min = 0;
  local.tm_sec = 0;
  local.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&local)) * 1000;
}

template <typename Figures>
Figures& Grouping<Figures>::at(std::string_view name, std::int64_t bucket) {
  // Many rows share a bucket (one per queue or agent), and local time is costly: once each.
  auto start = starts_.find(bucket);
  if (start == starts_.end()) {
    start = starts_.emplace(bucket, intervalStart(query_.interval, bucket, query_.fromMs)).first;
  }
  auto named = byName_.find(name);
  if (named == byName_.end()) {
    named = byName_.emplace(std::string(name), std::map<std::int64_t, Figures>()).first;
  }
  return named->second[start->second];
}

template <typename Figures>
template <typename Row>
std::vector<Row> Grouping<Figures>::rows() && {
  std::vector<Row> out;
  for (auto& [name, intervals] : byName_) {
    for (auto& [start, figures] : intervals) {
      out.push_back(Row{name, start, std::move(figures)});
    }
  }
  return out;
}

template class Grouping<QueueFigures>;
template class Grouping<AgentFigures>;
template std::vector<QueueStatsRow> Grouping<QueueFigures>::rows<QueueStatsRow>() &&;
template std::vector<AgentStatsRow> Grouping<AgentFigures>::rows<AgentStatsRow>() &&;

}  // namespace callq::store
