// Loads callq's TOML configuration (queues, agents, withdraw reasons) into a core::Config.
//
// Errors name the file, the line, the table, the field and the reason, as in
//   demo.toml:12: queue 'sales': ring_time: must be greater than 0
// Unknown keys, wrong types, out-of-range values, unknown strategies or actions, unknown member
// agents, and clashing names, extensions and login/logout codes are all rejected; the result has
// also passed core::validateConfig. Durations are whole seconds in the file, milliseconds in
// Config. The schema is documented in README.md and config/examples/full.toml.
//
// Stateless and thread-safe. Never throws: toml++ exceptions are caught here.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "core/config.h"

namespace callq::config {

// Reads and parses the file at `path`; `path` names the file in error messages.
Result<core::Config> loadConfigFile(const std::string& path);

// Parses configuration text; `sourceName` names it in error messages.
Result<core::Config> parseConfig(std::string_view text, const std::string& sourceName);

}  // namespace callq::config
