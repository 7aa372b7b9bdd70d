// What `callq report` and the API's reports share: the period of a query and the event names.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/stats.h"
#include "store/store.h"

namespace callq::app {

std::int64_t nowMs();

// Every name core::eventName knows, for checking event types asked for.
std::set<std::string> eventTypeNames();

// A report's filters as given, by the command line or the API.
struct ReportFilters {
  std::string period;
  std::string from;
  std::string to;
  std::vector<std::string> types;
  std::string queue;
  std::string agent;
  std::uint64_t call = 0;
};

// The store's event filter (no page yet). On error `field` names the filter at fault: "period",
// "from", "to" or "type".
Result<store::EventFilter> eventFilter(const ReportFilters& f, std::string* field);

// The statistics query over the period, bounded to what can hold figures (the epoch to the current
// bucket), of f.queue or f.agent when given. `interval`: 15min, hour, day or total.
Result<store::StatsQuery> statsQuery(const ReportFilters& f, std::string_view interval,
                                     std::string* field);

// The events of `filter` from filter.afterId on, in pages of filter.limit (0: 10,000): `sink` gets
// each page and returns whether to go on.
Result<void> forEachPage(store::Store& store, store::EventFilter filter,
                         const std::function<bool(const store::EventPage&)>& sink);

// A report's period [from, to): a preset (store::periodRange), or from/to (either may be empty:
// the beginning, now). On error `field` is set to the parameter at fault: "period", "from" or
// "to".
Result<std::pair<std::int64_t, std::int64_t>> reportPeriod(std::string_view period,
                                                           std::string_view from,
                                                           std::string_view to, std::string* field);

}  // namespace callq::app
