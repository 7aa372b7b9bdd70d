#include "config/toml_fields.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace callq::config::internal {
namespace {

// Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool isDialable(std::string_view number) {
  constexpr std::size_t kMaxDialable = 32;
  return !number.empty() && number.size() <= kMaxDialable &&
         std::all_of(number.begin(), number.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; });
}

}  // namespace

void Diagnostics::report(int line, std::string message) {
  if (!line_ || line < *line_) {
    line_ = line;
    message_ = std::move(message);
  }
}

Error Diagnostics::error() const {
  return Error{ErrorCode::kInvalidArgument,
               source_ + ":" + std::to_string(line_.value_or(0)) + ": " + message_};
}

int lineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string_view typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string_view closestName(std::string_view name, std::span<const std::string_view> allowed) {
  // A typo is a few edits away, or an abbreviation ("exten" for "extension").
  std::string_view best;
  std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : allowed) {
    const std::size_t d = editDistance(name, candidate);
    const bool close = d <= std::max<std::size_t>(2, std::max(name.size(), candidate.size()) / 3);
    const bool abbreviation = name.size() >= 3 && candidate.starts_with(name);
    if ((close || abbreviation) && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

std::string joinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) {
      out += ", ";
    }
    out += name;
  }
  return out;
}

void TableReader::rejectUnknownKeys(std::span<const std::string_view> allowed) {
  // The table iterates in key order; report the first unknown key by line instead.
  const toml::key* first = nullptr;
  for (auto&& [key, value] : table_) {
    const bool known = std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end();
    if (!known && (first == nullptr || key.source().begin.line < first->source().begin.line)) {
      first = &key;
    }
  }
  if (first == nullptr) {
    return;
  }
  hasUnknownKey_ = true;
  std::string message = "unknown key '" + std::string(first->str()) + "'";
  if (std::string_view guess = closestName(first->str(), allowed); !guess.empty()) {
    message += " (did you mean '" + std::string(guess) + "'?)";
  }
  message += "; allowed keys: " + joinNames(allowed);
  failAt(static_cast<int>(first->source().begin.line), message);
}

int TableReader::lineOf(std::string_view key) const {
  const auto it = table_.find(key);
  if (it == table_.end()) {
    return line();
  }
  return static_cast<int>(it->first.source().begin.line);
}

void TableReader::fail(std::string_view key, std::string_view reason) {
  failAt(lineOf(key), std::string(key) + ": " + std::string(reason));
}

void TableReader::failAt(int line, std::string_view message) {
  diag_.report(line,
               context_.empty() ? std::string(message) : context_ + ": " + std::string(message));
}

void TableReader::failType(std::string_view key, std::string_view expected, const toml::node& got) {
  fail(key, "expected " + std::string(expected) + ", got " + std::string(typeName(got)));
}

void TableReader::failBelow(std::string_view key, std::int64_t min, std::string_view unit) {
  if (min == 1) {
    fail(key, "must be greater than 0");
  } else if (min == 0) {
    fail(key, "must not be negative");
  } else {
    fail(key, "must be at least " + std::to_string(min) + std::string(unit));
  }
}

std::optional<std::string> TableReader::string(std::string_view key) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  if (const auto* text = node->as_string()) {
    return text->get();
  }
  failType(key, "a string", *node);
  return std::nullopt;
}

std::optional<std::string> TableReader::peekString(std::string_view key) const {
  const toml::node* node = find(key);
  if (node == nullptr || !node->is_string()) {
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<std::string> TableReader::requiredString(std::string_view key) {
  if (!has(key)) {
    if (!hasUnknownKey_) {
      failAt(line(), std::string(key) + ": required");
    }
    return std::nullopt;
  }
  std::optional<std::string> text = string(key);
  if (text && text->empty()) {
    fail(key, "must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  const auto* number = node->as_integer();
  if (number == nullptr) {
    failType(key, "an integer", *node);
    return std::nullopt;
  }
  const std::int64_t value = number->get();
  if (value < min) {
    failBelow(key, min, "");
    return std::nullopt;
  }
  if (value > max) {
    fail(key, "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> TableReader::seconds(std::string_view key, std::int64_t minSeconds) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  const auto* number = node->as_integer();
  if (number == nullptr) {
    failType(key, "an integer number of seconds", *node);
    return std::nullopt;
  }
  const std::int64_t value = number->get();
  if (value < minSeconds) {
    failBelow(key, minSeconds, " seconds");
    return std::nullopt;
  }
  if (value > kMaxSeconds) {
    fail(key, "must be at most " + std::to_string(kMaxSeconds) + " seconds (365 days)");
    return std::nullopt;
  }
  return Duration(value * 1000);
}

namespace {

std::optional<double> numberOf(const toml::node& node) {
  if (const auto* integral = node.as_integer()) {
    return static_cast<double>(integral->get());
  }
  if (const auto* floating = node.as_floating_point()) {
    return floating->get();
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> TableReader::number(std::string_view key, bool zeroAllowed) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  const std::optional<double> value = numberOf(*node);
  if (!value) {
    failType(key, "a number", *node);
    return std::nullopt;
  }
  if (!std::isfinite(*value) || *value < 0.0 || (*value == 0.0 && !zeroAllowed)) {
    fail(key, zeroAllowed ? "must be a finite number, 0 or more"
                          : "must be a finite number greater than 0");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  if (const auto* flag = node->as_boolean()) {
    return flag->get();
  }
  failType(key, "true or false", *node);
  return std::nullopt;
}

std::optional<std::string> TableReader::dialable(std::string_view key, bool required) {
  std::optional<std::string> text = required ? requiredString(key) : string(key);
  if (text && !isDialable(*text)) {
    fail(key, "'" + *text + "' is not dialable (use up to 32 digits, '*' and '#')");
    return std::nullopt;
  }
  return text;
}

const toml::array* TableReader::array(std::string_view key, std::string_view expected) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return nullptr;
  }
  if (const auto* items = node->as_array()) {
    return items;
  }
  failType(key, expected, *node);
  return nullptr;
}

std::vector<const toml::table*> TableReader::tables(std::string_view key,
                                                    std::string_view expected) {
  std::vector<const toml::table*> out;
  const toml::array* items = array(key, expected);
  if (items == nullptr) {
    return out;
  }
  for (const toml::node& item : *items) {
    if (const toml::table* t = item.as_table()) {
      out.push_back(t);
    } else {
      failAt(internal::lineOf(item), std::string(key) + ": expected " + std::string(expected) +
                                         ", got " + std::string(typeName(item)));
    }
  }
  return out;
}

const toml::table* TableReader::table(std::string_view key, std::string_view expected) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return nullptr;
  }
  if (const auto* fields = node->as_table()) {
    return fields;
  }
  failType(key, expected, *node);
  return nullptr;
}

}  // namespace callq::config::internal
