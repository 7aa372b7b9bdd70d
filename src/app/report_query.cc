#include "app/report_query.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "core/event.h"
#include "store/report_format.h"

namespace callq::app {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::set<std::string> eventTypeNames() {
  std::set<std::string> names;
  for (std::size_t t = 0; t < core::kEventTypeCount; ++t) {
    names.emplace(core::eventName(static_cast<core::EventType>(t)));
  }
  return names;
}

Result<std::pair<std::int64_t, std::int64_t>> reportPeriod(std::string_view period,
                                                           std::string_view from,
                                                           std::string_view to,
                                                           std::string* field) {
  if (!period.empty()) {
    *field = "period";
    if (!from.empty() || !to.empty()) {
      return makeError(ErrorCode::kInvalidArgument, "give a period or from/to, not both");
    }
    return store::periodRange(period, nowMs());
  }
  std::pair<std::int64_t, std::int64_t> range{std::numeric_limits<std::int64_t>::min(),
                                              nowMs() + 1};
  if (!from.empty()) {
    *field = "from";
    Result<std::int64_t> t = store::parseTime(from);
    if (!t) {
      return tl::unexpected(t.error());
    }
    range.first = *t;
  }
  if (!to.empty()) {
    *field = "to";
    Result<std::int64_t> t = store::parseTime(to);
    if (!t) {
      return tl::unexpected(t.error());
    }
    range.second = *t;
  }
  if (range.second <= range.first) {
    *field = "to";
    return makeError(ErrorCode::kInvalidArgument, "must be after from");
  }
  field->clear();
  return range;
}

Result<store::EventFilter> eventFilter(const ReportFilters& f, std::string* field) {
  auto range = reportPeriod(f.period, f.from, f.to, field);
  if (!range) {
    return tl::unexpected(range.error());
  }
  store::EventFilter filter;
  const std::set<std::string> known = eventTypeNames();
  for (const std::string& type : f.types) {
    if (!known.contains(type)) {
      *field = "type";
      std::string names;
      for (const std::string& name : known) {
        names += (names.empty() ? "" : ", ") + name;
      }
      return makeError(ErrorCode::kInvalidArgument,
                       "unknown event '" + type + "'; events are: " + names);
    }
    filter.types.push_back(type);
  }
  if (range->first != std::numeric_limits<std::int64_t>::min()) {
    filter.fromMs = range->first;
  }
  filter.toMs = range->second;
  if (!f.queue.empty()) {
    filter.queue = f.queue;
  }
  if (!f.agent.empty()) {
    filter.agent = f.agent;
  }
  if (f.call != 0) {
    filter.call = f.call;
  }
  return filter;
}

Result<store::StatsQuery> statsQuery(const ReportFilters& f, std::string_view interval,
                                     std::string* field) {
  auto range = reportPeriod(f.period, f.from, f.to, field);
  if (!range) {
    return tl::unexpected(range.error());
  }
  const std::optional<store::Interval> parsed = store::parseInterval(interval);
  if (!parsed) {
    *field = "interval";
    return makeError(ErrorCode::kInvalidArgument,
                     "expected 15min, hour, day or total (got '" + std::string(interval) + "')");
  }
  store::StatsQuery q;
  q.interval = *parsed;
  q.nowMs = nowMs();
  q.fromMs = std::max<std::int64_t>(range->first, 0);
  q.toMs = std::min(range->second, q.nowMs + store::kBucketMs);
  if (!f.queue.empty()) {
    q.queue = f.queue;
  }
  if (!f.agent.empty()) {
    q.agent = f.agent;
  }
  return q;
}

Result<void> forEachPage(store::Store& store, store::EventFilter filter,
                         const std::function<bool(const store::EventPage&)>& sink) {
  if (filter.limit == 0) {
    filter.limit = 10'000;
  }
  for (;;) {
    Result<store::EventPage> page = store.events(filter);
    if (!page) {
      return tl::unexpected(page.error());
    }
    if (!sink(*page) || page->nextAfterId == 0) {
      return {};
    }
    filter.afterId = page->nextAfterId;
  }
}

}  // namespace callq::app
