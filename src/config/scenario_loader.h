// Loads a simulation scenario: the server's configuration (same TOML, same validation) plus the
// [simulation] tables that describe the workload. Errors read like the configuration's:
//   day.toml:31: simulation.arrivals 'sales': rate: must be a finite number, 0 or more
//
// Instead of its own [[queue]] and [[agent]] tables, a scenario may name a configuration file with
// `config = "path"` in [simulation] (relative to the scenario), so a server's real configuration
// can be simulated as it is. CSV arrival files are also relative to the scenario.
//
// Stateless and thread-safe. Never throws.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "sim/workload.h"

namespace callq::config {

Result<sim::Scenario> loadScenarioFile(const std::string& path);

// `baseDir` resolves the relative paths (config, csv) in the text.
Result<sim::Scenario> parseScenario(std::string_view text, const std::string& sourceName,
                                    const std::string& baseDir);

}  // namespace callq::config
