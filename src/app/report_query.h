// What `callq report` and the API's reports share: the period of a query and the event names.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace callq::app {

std::int64_t nowMs();

// Every name core::eventName knows, for checking event types asked for.
std::set<std::string> eventTypeNames();

// A report's period [from, to): a preset (store::periodRange), or from/to (either may be empty:
// the beginning, now). On error `field` is set to the parameter at fault: "period", "from" or
// "to".
Result<std::pair<std::int64_t, std::int64_t>> reportPeriod(std::string_view period,
                                                           std::string_view from,
                                                           std::string_view to, std::string* field);

}  // namespace callq::app
