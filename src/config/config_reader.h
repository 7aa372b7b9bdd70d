// The configuration reader's pieces that the scenario loader (scenario_loader.cc) shares: a
// scenario is a configuration plus [simulation] tables, read with the same rules and errors.
//
// Internal to src/config.
#pragma once

#include <toml++/toml.h>

#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"
#include "core/config.h"

namespace callq::config::internal {

// Parses TOML text; a syntax error is reported as "<source>:<line>: <description>".
Result<toml::table> parseToml(std::string_view text, const std::string& source);

// Reads queues, agents and withdraw reasons from a parsed document, checks them across tables and
// with core::validateConfig. `extraRootKeys` are other top-level keys the caller reads itself.
Result<core::Config> readConfig(const toml::table& table, const std::string& sourceName,
                                std::span<const std::string_view> extraRootKeys);

// Parses `text` and hands the document to `read` (a callable taking const toml::table& and
// returning a Result). toml++ exceptions and running out of memory become errors here: they never
// cross out of src/config.
template <typename Read>
auto parseAndRead(std::string_view text, const std::string& sourceName, Read&& read)
    -> decltype(read(std::declval<const toml::table&>())) {
  try {
    Result<toml::table> table = parseToml(text, sourceName);
    if (!table) {
      return tl::unexpected(table.error());
    }
    return read(*table);
  } catch (const std::exception& e) {
    return makeError(ErrorCode::kInvalidArgument, sourceName + ": " + e.what());
  }
}

// The whole file; errors read "<path>: cannot read <what>: <reason>".
Result<std::string> readTextFile(const std::string& path, std::string_view what);

}  // namespace callq::config::internal
