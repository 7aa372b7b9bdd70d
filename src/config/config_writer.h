// Writes a ServerConfig back out as TOML: the inverse of parseServerConfig (server_config.h), for
// `callq export-config` and for the store, which keeps the configuration as entries (one per agent,
// queue and music class, plus root settings) and assembles them into a document again.
//
// Only fields that differ from the parser's defaults are written (a queue with defaults is just its
// name and extension), so parseServerConfig(toToml(c)) == c field by field for every configuration
// the parser itself produces. Strings are written as TOML basic strings with quotes, backslashes
// and control characters escaped and UTF-8 kept as is.
//
// What does not round-trip (none of it can come out of the parser; only a config built in code):
//  - durations that are not whole seconds: the file has whole seconds only. They are written as
//    decimal seconds (`ring_time = 1.5`), which the parser refuses with a file:line error instead
//    of silently rounding. Negative or over-365-day durations are refused in the same way;
//  - values the parser refuses: empty login/logout codes, levels above 1,000,000, non-positive or
//    non-finite weights, invalid UTF-8, a music class named "ringback". parseServerConfig also
//    refuses voicemail and number destinations and timeout/overflow messages (parseConfig, the
//    engine's reader, accepts them and they round-trip through it);
//  - exit keys come back in key order ("#", "*", "0"-"9", "A"-"D"), whatever order they had; an
//    exit key's destination message and the target of "hangup" or "wait" have no field: dropped;
//  - an empty agent name reads back as the agent's id; passwords beyond the agents are dropped;
//  - relative music paths are resolved again against the reader's base directory (the parser makes
//    them absolute, so that only matters for a config read with an empty base directory).
//
// Stateless and thread-safe. Does not use toml++ (the text is formatted here).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/server_config.h"

namespace callq::config {

// One entity of the configuration as TOML text, as the store keeps it (store::ConfigEntry):
//   kind "settings", name "withdraw_reasons", body `withdraw_reasons = ["lunch"]` (root keys);
//   kind "music", name = class, body `"class" = "/abs/file.wav"` (its line of [music]);
//   kind "agent", name = id, body = the contents of its [[agent]] table, password included;
//   kind "queue", name = queue name, body = the contents of its [[queue]] table, members included.
// `position` is the index in the configuration's order (agents, queues, music classes by name).
// Every body is a TOML document on its own.
struct ConfigEntryText {
  std::string kind;
  std::string name;
  std::int64_t position = 0;
  std::string body;
};

// TOML text that parseServerConfig reads back to `config`. The tables only the file holds, [sip]
// and [store], are written only if `withServerTables` (and only when they differ from the
// defaults); without them the reader gets the default SipSettings and StoreSettings.
std::string toToml(const ServerConfig& config, bool withServerTables);

// The configuration cut into entries: settings, then music classes, agents and queues.
std::vector<ConfigEntryText> toEntries(const ServerConfig& config);

// A TOML basic string with its quotes ('"', '\\' and control characters escaped, UTF-8 kept).
std::string tomlString(std::string_view text);
// A key: bare when TOML allows it (A-Z a-z 0-9 _ -), else quoted.
std::string tomlKey(std::string_view key);

// The [sip] table: its header and the fields that differ from the defaults; "" when none does.
std::string toToml(const SipSettings& sip);
// The [store] table, in the same way.
std::string toToml(const StoreSettings& store);
std::string toToml(const ApiSettings& api);
// [sip], [store] and [api] (the tables that are the machine's, never in the database), each left
// out when all default.
std::string serverTablesToml(const ServerConfig& config);

// The TOML document of `entries`, in any order: settings bodies at the root (by position), then
// `sipToml` verbatim, then [music], the [[agent]] and the [[queue]] tables, each kind by position.
// `sipToml` holds whole tables with their headers ("[sip]\n...", and [store] if wanted), e.g. taken
// from the file or from toToml(SipSettings): those tables never come from the database. An entry of
// an unknown kind becomes a `[[kind]]` table, which the parser reports as an unknown key rather
// than losing it silently.
std::string entriesToToml(const std::vector<ConfigEntryText>& entries,
                          std::string_view sipToml = {});

}  // namespace callq::config
