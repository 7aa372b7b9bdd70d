// Between the engine's values (indexes into the configuration) and the store's (names).
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/event.h"
#include "store/records.h"
#include "store/stats.h"

namespace callq::store {

EventRecord toRecord(const core::Event& e, const core::Config& config);
AgentStateRecord toRecord(const core::AgentDurable& d, const core::Config& config);

// For restoring into `engine`: an agent the configuration no longer has is an error (kNotFound);
// memberships of queues it no longer has are dropped.
Result<core::AgentDurable> fromRecord(const AgentStateRecord& r, const core::Engine& engine);

// Service-level thresholds and wrap-up of every queue, for the statistics.
std::map<std::string, QueueParams> queueParams(const core::Config& config);

}  // namespace callq::store
