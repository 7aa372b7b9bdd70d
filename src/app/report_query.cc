#include "app/report_query.h"

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

}  // namespace callq::app
