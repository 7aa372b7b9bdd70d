#include "config/scenario_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "config/config_loader.h"
#include "config/config_reader.h"
#include "config/toml_fields.h"

namespace callq::config {
namespace {

using internal::Diagnostics;
using internal::TableReader;

constexpr std::array<std::string_view, 1> kExtraRootKeys{"simulation"};
constexpr std::array<std::string_view, 9> kSimulationKeys{"duration",     "seed",  "interval",
                                                          "answer_delay", "start", "config",
                                                          "arrivals",     "shift", "break"};
constexpr std::array<std::string_view, 7> kArrivalKeys{"queue",       "rate",     "rates",   "csv",
                                                       "handle_time", "patience", "priority"};
constexpr std::array<std::string_view, 3> kDistributionKeys{"distribution", "mean", "sd"};
constexpr std::array<std::string_view, 3> kDistributionNames{"exponential", "lognormal", "fixed"};
constexpr std::array<std::string_view, 2> kStepKeys{"from", "rate"};
constexpr std::array<std::string_view, 3> kShiftKeys{"agent", "start", "end"};
constexpr std::array<std::string_view, 4> kBreakKeys{"agent", "start", "length", "reason"};

// 2026-01-05 (a Monday) 08:00 UTC: event times need a date; a scenario may set its own `start`.
constexpr std::int64_t kDefaultStartMs = 1'767'600'000'000;

std::string resolve(const std::string& baseDir, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() || baseDir.empty() ? path : (std::filesystem::path(baseDir) / p).string();
}

class ScenarioReader {
 public:
  ScenarioReader(const std::string& source, const std::string& baseDir, const core::Config& config)
      : diag_(source), baseDir_(baseDir), config_(config) {}

  Result<sim::Workload> read(const toml::table& sim) {
    TableReader r(sim, "simulation", diag_);
    r.rejectUnknownKeys(kSimulationKeys);
    if (!r.has("duration")) {
      r.failAt(r.line(), "duration: required (seconds to simulate)");
    }
    w_.duration = r.seconds("duration", 1).value_or(w_.duration);
    w_.seed = static_cast<std::uint64_t>(
        r.integer("seed", 0, std::numeric_limits<std::int64_t>::max()).value_or(1));
    w_.interval = r.seconds("interval", 1).value_or(w_.interval);
    w_.answerDelay = r.seconds("answer_delay", 0).value_or(w_.answerDelay);
    w_.start = readStart(r, sim).value_or(fromMillis(kDefaultStartMs));
    for (const toml::table* t : r.tables("arrivals", "[[simulation.arrivals]] tables")) {
      readArrivals(*t);
    }
    if (!r.has("arrivals")) {
      r.failAt(r.line(), "arrivals: required (at least one [[simulation.arrivals]] table)");
    }
    for (const toml::table* t : r.tables("shift", "[[simulation.shift]] tables")) {
      readShift(*t);
    }
    for (const toml::table* t : r.tables("break", "[[simulation.break]] tables")) {
      readBreak(*t);
    }
    if (diag_.failed()) {
      return makeError(diag_.error().code, diag_.error().message);
    }
    return std::move(w_);
  }

 private:
  std::optional<Time> readStart(TableReader& r, const toml::table& sim) {
    const toml::node* node = sim.get("start");
    if (node == nullptr) {
      return std::nullopt;
    }
    const auto* dt = node->as_date_time();
    if (dt == nullptr || !dt->get().offset) {
      r.fail("start", "expected a date-time with a time zone, e.g. 2026-01-05T08:00:00Z");
      return std::nullopt;
    }
    const toml::date_time& v = dt->get();
    namespace c = std::chrono;
    const c::sys_days date =
        c::year_month_day{c::year{v.date.year}, c::month{v.date.month}, c::day{v.date.day}};
    const auto local = date + c::hours{v.time.hour} + c::minutes{v.time.minute} +
                       c::seconds{v.time.second} + c::nanoseconds{v.time.nanosecond};
    return c::time_point_cast<c::milliseconds>(local - c::minutes{v.offset->minutes});
  }

  bool checkAgent(TableReader& r, const std::optional<std::string>& agent) {
    if (!agent) {
      return false;
    }
    const bool known = std::any_of(config_.agents.begin(), config_.agents.end(),
                                   [&](const core::AgentConfig& a) { return a.id == *agent; });
    if (!known) {
      r.fail("agent", "unknown agent '" + *agent + "'");
    }
    return known;
  }

  void readArrivals(const toml::table& t) {
    TableReader r(t, "simulation.arrivals #" + std::to_string(w_.queues.size() + 1), diag_);
    if (auto name = r.peekString("queue")) {
      r.setContext("simulation.arrivals '" + *name + "'");
    }
    r.rejectUnknownKeys(kArrivalKeys);
    sim::QueueWorkload q;
    const std::optional<std::string> queue = r.requiredString("queue");
    if (queue) {
      const bool known = std::any_of(config_.queues.begin(), config_.queues.end(),
                                     [&](const core::QueueConfig& c) { return c.name == *queue; });
      if (!known) {
        r.fail("queue", "unknown queue '" + *queue + "'");
      }
      q.queue = *queue;
    }
    const int sources = (r.has("rate") ? 1 : 0) + (r.has("rates") ? 1 : 0) + (r.has("csv") ? 1 : 0);
    if (sources != 1) {
      r.failAt(r.line(), sources == 0 ? "rate: required (or rates, or csv)"
                                      : "give only one of rate, rates and csv");
    } else if (r.has("rate")) {
      if (auto rate = r.nonNegativeNumber("rate")) {
        q.rates.push_back(sim::RateStep{Duration(0), *rate});
      }
    } else if (r.has("rates")) {
      readRates(r, q);
    } else if (auto csv = r.string("csv")) {
      readCsv(r, *csv, q);
    }
    if (const toml::node* h = t.get("handle_time")) {
      q.handle = readDistribution(r, "handle_time", *h).value_or(q.handle);
    } else {
      r.failAt(r.line(),
               "handle_time: required, e.g. { distribution = \"exponential\", mean = 180 }");
    }
    if (const toml::node* p = t.get("patience")) {
      q.patience = readDistribution(r, "patience", *p);
    }
    q.priority = static_cast<int>(r.integer("priority", -1000, 1000).value_or(0));
    w_.queues.push_back(std::move(q));
  }

  void readRates(TableReader& r, sim::QueueWorkload& q) {
    const toml::array* steps = r.array("rates", "an array of { from = SECONDS, rate = PER_HOUR }");
    if (steps == nullptr) {
      return;
    }
    for (const toml::node& item : *steps) {
      const toml::table* step = item.as_table();
      if (step == nullptr) {
        r.failAt(internal::lineOf(item), "rates: expected { from = SECONDS, rate = PER_HOUR }");
        continue;
      }
      TableReader s(*step, r.context() + ": rates", diag_);
      s.rejectUnknownKeys(kStepKeys);
      const auto from = s.seconds("from", 0);
      const auto rate = s.nonNegativeNumber("rate");
      if (!s.has("from") || !s.has("rate")) {
        s.failAt(internal::lineOf(item), "each step needs from and rate");
        continue;
      }
      if (!from || !rate) {
        continue;
      }
      if (!q.rates.empty() && *from <= q.rates.back().from) {
        s.fail("from", "steps must be in increasing order of from");
        continue;
      }
      if (q.rates.empty() && *from > Duration(0)) {
        q.rates.push_back(sim::RateStep{Duration(0), 0});  // nobody calls before the first step
      }
      q.rates.push_back(sim::RateStep{*from, *rate});
    }
    if (steps->empty()) {
      r.fail("rates", "must not be empty");
    }
  }

  void readCsv(TableReader& r, const std::string& path, sim::QueueWorkload& q) {
    const std::string file = resolve(baseDir_, path);
    Result<std::string> text = internal::readTextFile(file, "arrivals");
    if (!text) {
      r.fail("csv", text.error().message);
      return;
    }
    q.fromCsv = true;
    std::size_t pos = 0;
    int line = 0;
    while (pos < text->size()) {
      std::size_t end = text->find('\n', pos);
      end = end == std::string::npos ? text->size() : end;
      std::string_view row(text->data() + pos, end - pos);
      pos = end + 1;
      ++line;
      if (!row.empty() && row.back() == '\r') {
        row.remove_suffix(1);
      }
      const std::string_view field = row.substr(0, row.find(','));
      if (field.empty()) {
        continue;
      }
      double seconds = 0;
      const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), seconds);
      if (ec != std::errc() || ptr != field.data() + field.size()) {
        if (line == 1) {
          continue;  // a header row
        }
        r.fail("csv", file + ":" + std::to_string(line) + ": '" + std::string(field) +
                          "' is not a number of seconds since the start");
        return;
      }
      if (!std::isfinite(seconds) || seconds < 0) {
        r.fail("csv", file + ":" + std::to_string(line) + ": time must not be negative");
        return;
      }
      const Duration t(static_cast<std::int64_t>(std::llround(seconds * 1000)));
      if (!q.arrivals.empty() && t < q.arrivals.back()) {
        r.fail("csv", file + ":" + std::to_string(line) + ": times must not go backwards");
        return;
      }
      q.arrivals.push_back(t);
    }
  }

  std::optional<sim::DurationDistribution> readDistribution(TableReader& parent,
                                                            std::string_view key,
                                                            const toml::node& node) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      parent.fail(key, "expected a table such as { distribution = \"exponential\", mean = 180 }");
      return std::nullopt;
    }
    TableReader r(*t, parent.context() + ": " + std::string(key), diag_);
    r.rejectUnknownKeys(kDistributionKeys);
    sim::DurationDistribution d;
    const std::string name = r.string("distribution").value_or("exponential");
    const auto it = std::find(kDistributionNames.begin(), kDistributionNames.end(), name);
    if (it == kDistributionNames.end()) {
      r.fail("distribution", "unknown distribution '" + name + "'; one of " +
                                 internal::joinNames(kDistributionNames));
      return std::nullopt;
    }
    d.kind = static_cast<sim::DistributionKind>(it - kDistributionNames.begin());
    if (!r.has("mean")) {
      r.failAt(internal::lineOf(node), "mean: required (seconds)");
      return std::nullopt;
    }
    const auto mean = r.positiveNumber("mean");
    if (!mean) {
      return std::nullopt;
    }
    d.meanS = *mean;
    if (d.kind == sim::DistributionKind::kLogNormal) {
      if (!r.has("sd")) {
        r.failAt(internal::lineOf(node), "sd: required for a log-normal distribution (seconds)");
        return std::nullopt;
      }
      d.sdS = r.positiveNumber("sd").value_or(0);
    } else if (r.has("sd")) {
      r.fail("sd", "only a log-normal distribution has a standard deviation");
    }
    return d;
  }

  // The fields a shift and a break share: whose, from when, and a second time (`end` or `length`).
  struct AgentSpan {
    std::string agent;
    Duration start{0};
    Duration second{0};
  };
  std::optional<AgentSpan> readSpan(TableReader& r, std::span<const std::string_view> keys,
                                    std::string_view secondKey, std::string_view required) {
    r.rejectUnknownKeys(keys);
    const auto agent = r.requiredString("agent");
    const bool known = checkAgent(r, agent);
    const auto start = r.seconds("start", 0);
    const auto second = r.seconds(secondKey, 1);
    if (!r.has("start") || !r.has(secondKey)) {
      r.failAt(r.line(), required);
      return std::nullopt;
    }
    if (!known || !start || !second) {
      return std::nullopt;
    }
    return AgentSpan{*agent, *start, *second};
  }

  void readShift(const toml::table& t) {
    TableReader r(t, "simulation.shift", diag_);
    const auto span = readSpan(
        r, kShiftKeys, "end", "start and end: required (seconds from the start of the simulation)");
    if (!span) {
      return;
    }
    if (span->second <= span->start) {
      r.fail("end", "must be after start");
      return;
    }
    w_.shifts.push_back(sim::Shift{span->agent, span->start, span->second});
  }

  void readBreak(const toml::table& t) {
    TableReader r(t, "simulation.break", diag_);
    const auto span = readSpan(r, kBreakKeys, "length", "start and length: required (seconds)");
    // The engine's rule for a Withdrawn reason: one of withdraw_reasons, or any non-empty text
    // when none are configured.
    const auto& reasons = config_.withdrawReasons;
    const std::optional<std::string> given = r.string("reason");
    std::string reason = given.value_or(reasons.empty() ? "break" : "");
    if (!given && !reasons.empty()) {
      r.failAt(r.line(), "reason: required (one of withdraw_reasons)");
      return;
    }
    if (reason.empty()) {
      r.fail("reason", "must not be empty");
      return;
    }
    if (!reasons.empty() && std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
      r.fail("reason", "'" + reason + "' is not in withdraw_reasons");
      return;
    }
    if (span) {
      w_.breaks.push_back(sim::Break{span->agent, span->start, span->second, reason});
    }
  }

  Diagnostics diag_;
  std::string baseDir_;
  const core::Config& config_;
  sim::Workload w_;
};

Result<sim::Scenario> readScenario(const toml::table& table, const std::string& sourceName,
                                   const std::string& baseDir) {
  const toml::node* simNode = table.get("simulation");
  const toml::table* sim = simNode == nullptr ? nullptr : simNode->as_table();
  if (sim == nullptr) {
    const int line = simNode == nullptr ? 1 : internal::lineOf(*simNode);
    return makeError(ErrorCode::kInvalidArgument,
                     sourceName + ":" + std::to_string(line) +
                         ": simulation: required (a [simulation] table with the workload)");
  }
  sim::Scenario scenario;
  if (const toml::node* configNode = sim->get("config")) {
    const auto* path = configNode->as_string();
    const int line = internal::lineOf(*configNode);
    const std::string where = sourceName + ":" + std::to_string(line) + ": simulation: config: ";
    if (path == nullptr || path->get().empty()) {
      return makeError(ErrorCode::kInvalidArgument, where + "expected a file name");
    }
    const toml::key* first = nullptr;  // the other top-level key written first
    for (auto&& [key, value] : table) {
      if (key.str() != "simulation" &&
          (first == nullptr || key.source().begin.line < first->source().begin.line)) {
        first = &key;
      }
    }
    if (first != nullptr) {
      return makeError(ErrorCode::kInvalidArgument,
                       sourceName + ":" + std::to_string(first->source().begin.line) + ": '" +
                           std::string(first->str()) +
                           "': a scenario that names a configuration file (simulation.config) "
                           "has only the [simulation] table");
    }
    Result<core::Config> config = loadConfigFile(resolve(baseDir, path->get()));
    if (!config) {
      return makeError(config.error().code, where + config.error().message);
    }
    scenario.config = std::move(*config);
  } else {
    Result<core::Config> config = internal::readConfig(table, sourceName, kExtraRootKeys);
    if (!config) {
      return tl::unexpected(config.error());
    }
    scenario.config = std::move(*config);
  }
  ScenarioReader reader(sourceName, baseDir, scenario.config);
  Result<sim::Workload> workload = reader.read(*sim);
  if (!workload) {
    return tl::unexpected(workload.error());
  }
  scenario.workload = std::move(*workload);
  return scenario;
}

}  // namespace

Result<sim::Scenario> parseScenario(std::string_view text, const std::string& sourceName,
                                    const std::string& baseDir) {
  return internal::parseAndRead(text, sourceName, [&](const toml::table& table) {
    return readScenario(table, sourceName, baseDir);
  });
}

Result<sim::Scenario> loadScenarioFile(const std::string& path) {
  Result<std::string> text = internal::readTextFile(path, "scenario");
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parseScenario(*text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace callq::config
