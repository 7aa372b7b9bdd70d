#include "store/store.h"

#include <algorithm>

#include "core/event.h"

namespace callq::store {

Result<std::unique_ptr<Store>> Store::open(const std::string& url, Mode mode) {
  std::unique_ptr<Store> store;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto opened = internal::openPostgres(url, mode == Mode::kCreate);
    if (!opened) {
      return tl::unexpected(opened.error());
    }
    store = std::move(*opened);
  } else {
    const std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
    if (path.empty() || url.find("://") != std::string::npos) {
      return makeError(ErrorCode::kInvalidArgument,
                       "store URL '" + url +
                           "': expected a file (var/callq.db, sqlite:var/callq.db) or "
                           "postgresql://user@host:port/database");
    }
    auto opened = internal::openSqlite(path, mode == Mode::kCreate);
    if (!opened) {
      return tl::unexpected(opened.error());
    }
    store = std::move(*opened);
  }
  if (Result<void> ok = store->loadSpans(); !ok) {
    return tl::unexpected(ok.error());
  }
  return store;
}

void Store::setQueueParams(std::map<std::string, QueueParams> params) {
  tracker_.setQueueParams(std::move(params));
}

Result<void> Store::loadSpans() {
  Result<std::vector<Span>> spans = readSpans();
  if (!spans) {
    return tl::unexpected(spans.error());
  }
  tracker_.setSpans(*spans);
  return {};
}

Result<void> Store::append(Batch& batch) {
  if (batch.empty()) {
    return {};
  }
  delta_.clear();
  // The tracker moves on with the batch's events: if they are not written, it goes back.
  const std::vector<Span> before = tracker_.spans();
  std::optional<std::map<std::string, QueueParams>> paramsBefore;
  if (batch.queueParams) {
    paramsBefore = tracker_.queueParams();
  }
  for (std::size_t i = 0; i <= batch.events.size(); ++i) {
    if (batch.queueParams && i == std::min(batch.queueParamsAt, batch.events.size())) {
      tracker_.setQueueParams(*batch.queueParams);
    }
    if (i < batch.events.size()) {
      tracker_.apply(batch.events[i], delta_);
    }
  }
  Result<void> ok = write(batch, delta_);
  if (!ok) {
    tracker_.setSpans(before);
    if (paramsBefore) {
      tracker_.setQueueParams(std::move(*paramsBefore));
    }
  }
  return ok;
}

Result<EventPage> Store::events(const EventFilter& filter) { return readEvents(filter); }
Result<std::vector<AgentStateRecord>> Store::agentStates() { return readAgentStates(); }
Result<std::vector<QueueStateRecord>> Store::queueStates() { return readQueueStates(); }
Result<std::vector<OpenCall>> Store::openCalls() { return readOpenCalls(); }
Result<std::uint64_t> Store::lastCallId() { return readLastCallId(); }
Result<std::vector<ConfigEntry>> Store::configEntries() { return readConfig(); }
Result<void> Store::replaceConfig(const std::vector<ConfigEntry>& entries) {
  return writeConfig(entries);
}

namespace {

StatsQuery aligned(StatsQuery q) {
  q.fromMs = bucketOf(q.fromMs);
  q.toMs = q.toMs == bucketOf(q.toMs) ? q.toMs : bucketOf(q.toMs) + kBucketMs;
  return q;
}

}  // namespace

Result<std::vector<QueueStatsRow>> Store::queueStats(const StatsQuery& query) {
  const StatsQuery q = aligned(query);
  Grouping<QueueFigures> grouping(q);
  if (Result<void> ok = readQueueBuckets(q.fromMs, q.toMs, q.queue, grouping); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::move(grouping).rows<QueueStatsRow>();
}

Result<std::vector<AgentStatsRow>> Store::agentStats(const StatsQuery& query) {
  const StatsQuery q = aligned(query);
  Grouping<AgentFigures> grouping(q);
  if (Result<void> ok = readAgentBuckets(q.fromMs, q.toMs, q.agent, grouping); !ok) {
    return tl::unexpected(ok.error());
  }
  // Spans still open (an agent logged in or withdrawn now) count up to now, within the period.
  auto spans = readSpans();
  if (!spans) {
    return tl::unexpected(spans.error());
  }
  std::map<std::pair<std::string, std::int64_t>, AgentFigures> open;
  const std::int64_t until = std::min(q.toMs, q.nowMs);
  for (Span span : *spans) {
    if (q.agent && span.agent != *q.agent) {
      continue;
    }
    span.sinceMs = std::max(span.sinceMs, q.fromMs);
    addSpan(open, span, until);
  }
  for (const auto& [key, figures] : open) {
    grouping.at(key.first, key.second).add(figures);
  }
  return std::move(grouping).rows<AgentStatsRow>();
}

namespace internal {

OpenCallChange openCallChange(std::string_view type) {
  const std::optional<core::EventType> t = core::parseEventType(type);
  if (!t) {
    return OpenCallChange::kNone;
  }
  if (*t == core::EventType::kEnterQueue) {
    return OpenCallChange::kOpen;
  }
  if (*t == core::EventType::kConnect) {
    return OpenCallChange::kConnect;
  }
  // (A refused join opened none: closing it finds nothing to close.)
  return core::isTerminal(*t) ? OpenCallChange::kClose : OpenCallChange::kNone;
}

}  // namespace internal

}  // namespace callq::store
