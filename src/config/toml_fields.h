// Typed reading of TOML tables for the configuration loader, reporting every mistake with its line.
//
// Internal to src/config (namespace internal): with config_loader.cc and queue_reader.cc, the only
// code that sees toml++. Not thread-safe; one Diagnostics and its readers serve one parse.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace callq::config::internal {

// Longest duration a field accepts, so that milliseconds and `now + duration` never overflow.
inline constexpr std::int64_t kMaxSeconds = 365LL * 24 * 3600;

// Keeps the error to report for one parse: the one on the lowest line, so a person fixing the file
// from the top meets them in order. Messages are formatted "<source>:<line>: <message>".
class Diagnostics {
 public:
  explicit Diagnostics(std::string source) : source_(std::move(source)) {}

  void report(int line, std::string message);
  bool failed() const { return line_.has_value(); }
  Error error() const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::optional<int> line_;
  std::string message_;
};

// The line a node starts on (1-based; 0 when toml++ knows no position).
int lineOf(const toml::node& node);
// "string", "integer", "float", "boolean", "array", "table", "date", "time", "date-time".
std::string_view typeName(const toml::node& node);
// The allowed name closest to `name` when it looks like a typo of it, else empty.
std::string_view closestName(std::string_view name, std::span<const std::string_view> allowed);
// "a, b, c".
std::string joinNames(std::span<const std::string_view> names);

// Reads the fields of one table. Getters return nullopt when the key is absent or wrong; a wrong
// value is reported to Diagnostics as "<line of key>: <context>: <key>: <reason>", so callers write
// `q.retry = reader.seconds("retry", 0).value_or(q.retry);` and check Diagnostics once at the end.
class TableReader {
 public:
  // `context` names the table in messages ("queue 'sales'"); empty for the document root.
  TableReader(const toml::table& table, std::string context, Diagnostics& diag)
      : table_(table), context_(std::move(context)), diag_(diag) {}

  void setContext(std::string context) { context_ = std::move(context); }
  const std::string& context() const { return context_; }
  Diagnostics& diagnostics() const { return diag_; }
  // Reports the first key (by line) not in `allowed`, with a suggestion and the allowed list.
  void rejectUnknownKeys(std::span<const std::string_view> allowed);

  int line() const { return internal::lineOf(table_); }  // the header line
  int lineOf(std::string_view key) const;  // the key's line, or the header line when absent
  bool has(std::string_view key) const { return table_.contains(key); }

  // Reports "<line of key>: <context>: <key>: <reason>".
  void fail(std::string_view key, std::string_view reason);
  // Reports "<line>: <context>: <message>".
  void failAt(int line, std::string_view message);

  std::optional<std::string> string(std::string_view key);
  // The string at `key`, or nullopt (absent, or not a string), without reporting anything.
  std::optional<std::string> peekString(std::string_view key) const;
  // Absent -> "<key>: required" on the header line (unless the table has an unknown key, likely
  // the misspelt required one); empty -> "must not be empty".
  std::optional<std::string> requiredString(std::string_view key);
  // Integers in [min, max].
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  // Whole seconds in [minSeconds, kMaxSeconds], returned as milliseconds.
  std::optional<Duration> seconds(std::string_view key, std::int64_t minSeconds);
  // Integer or float, finite and greater than 0.
  std::optional<double> positiveNumber(std::string_view key) { return number(key, false); }
  // Integer or float, finite and at least 0.
  std::optional<double> nonNegativeNumber(std::string_view key) { return number(key, true); }
  std::optional<bool> boolean(std::string_view key);
  // An extension or code: up to 32 digits, '*' and '#'. `required` as in requiredString().
  std::optional<std::string> dialable(std::string_view key, bool required);
  // Present and an array; a value of another type is reported with `expected`.
  const toml::array* array(std::string_view key, std::string_view expected);
  // The tables of `[[key]]` (or `key = [{...}]`), in order; a value of another type, or an item
  // that is not a table, is reported with `expected` (e.g. "[[queue]] tables").
  std::vector<const toml::table*> tables(std::string_view key, std::string_view expected);
  // Present and a table (inline or not); a value of another type is reported with `expected`.
  const toml::table* table(std::string_view key, std::string_view expected);

 private:
  const toml::node* find(std::string_view key) const { return table_.get(key); }
  std::optional<double> number(std::string_view key, bool zeroAllowed);
  void failType(std::string_view key, std::string_view expected, const toml::node& got);
  void failBelow(std::string_view key, std::int64_t min, std::string_view unit);

  const toml::table& table_;
  std::string context_;
  Diagnostics& diag_;
  bool hasUnknownKey_ = false;
};

}  // namespace callq::config::internal
