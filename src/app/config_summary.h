// A human-readable summary of a configuration, as `callq check` prints it: each queue with its
// numbers, strategy, timings, what happens when nobody can take a call, and its members; then the
// agents and the withdraw reasons. Pure formatting: no I/O.
#pragma once

#include <string>

#include "core/config.h"

namespace callq::app {

std::string formatConfigSummary(const core::Config& config);

}  // namespace callq::app
