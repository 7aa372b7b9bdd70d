#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <system_error>

#include "app/commands.h"
#include "sim/erlang.h"

namespace callq::app {
namespace {

// The raw command line. Validators reject bad numbers while parsing (CLI11's errors and exit
// codes); presence is read from the options themselves.
struct ErlangOptions {
  double rate = 0;
  double aht = 0;
  double threshold = 20;
  double patience = 0;
  int agents = 0;
  double targetSl = 0;
  double targetAsa = 0;
  bool json = false;
  CLI::Option* patienceOption = nullptr;
  CLI::Option* agentsOption = nullptr;
  CLI::Option* targetSlOption = nullptr;
};

// The whole of `text` as a finite number ("inf", "nan", "12abc" and "" are not).
std::optional<double> parseFinite(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// A CLI11 validator accepting finite numbers for which `accept` holds; `reason` is the error.
template <typename Accept>
CLI::Validator numberCheck(const std::string& reason, Accept accept) {
  return CLI::Validator(
      [reason, accept](const std::string& text) {
        const std::optional<double> value = parseFinite(text);
        return value && accept(*value) ? std::string() : reason + " (got '" + text + "')";
      },
      "", "");
}

CLI::Validator positive() {
  return numberCheck("must be a positive number", [](double v) { return v > 0; });
}

CLI::Validator nonNegative() {
  return numberCheck("must be zero or a positive number", [](double v) { return v >= 0; });
}

CLI::Validator fraction() {
  return numberCheck("must be a fraction between 0 and 1, e.g. 0.8",
                     [](double v) { return v > 0 && v < 1; });
}

CLI::Validator agentCount() {
  return CLI::Validator(
      [](const std::string& text) {
        int value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error == std::errc() && stop == end && value >= 1 && value <= sim::kMaxAgents) {
          return std::string();
        }
        return "must be a whole number of agents from 1 to " + std::to_string(sim::kMaxAgents) +
               " (got '" + text + "')";
      },
      "", "");
}

void addOptions(CLI::App* cli, ErlangOptions& o) {
  cli->add_option("--rate", o.rate, "Calls offered per hour")->required()->check(positive());
  cli->add_option("--aht", o.aht, "Average handle time in seconds (exponential)")
      ->required()
      ->check(positive());
  CLI::Option_group* size =
      cli->add_option_group("team", "Exactly one of --agents, --target-sl, --target-asa");
  o.agentsOption =
      size->add_option("--agents", o.agents, "Evaluate this many agents")->check(agentCount());
  o.targetSlOption =
      size->add_option("--target-sl", o.targetSl,
                       "Find the fewest agents who answer at least this fraction of all calls "
                       "within the threshold, e.g. 0.8")
          ->check(fraction());
  size->add_option("--target-asa", o.targetAsa,
                   "Find the fewest agents for whom answered calls wait at most this many "
                   "seconds on average")
      ->check(positive());
  size->require_option(1);
  cli->add_option("--threshold", o.threshold,
                  "Service-level threshold in seconds: a call answered within it counts")
      ->capture_default_str()
      ->check(nonNegative());
  o.patienceOption = cli->add_option("--patience", o.patience,
                                     "Mean patience in seconds: callers hang up after an "
                                     "exponential time of this mean (Erlang A). Without it "
                                     "nobody hangs up (Erlang C)")
                         ->check(positive());
  cli->add_flag("--json", o.json, "Print one JSON object on one line instead of a table");
}

sim::StaffingInput inputOf(const ErlangOptions& o) {
  sim::StaffingInput input{o.rate, o.aht, o.threshold, std::nullopt};
  if (o.patienceOption->count() > 0) {
    input.patienceSeconds = o.patience;
  }
  return input;
}

std::optional<sim::StaffingTarget> targetOf(const ErlangOptions& o) {
  if (o.agentsOption->count() > 0) {
    return std::nullopt;
  }
  if (o.targetSlOption->count() > 0) {
    return sim::StaffingTarget{sim::StaffingTarget::Kind::kServiceLevel, o.targetSl};
  }
  return sim::StaffingTarget{sim::StaffingTarget::Kind::kMaxAsa, o.targetAsa};
}

std::string toJson(const sim::StaffingInput& input, const sim::StaffingFigures& f,
                   const std::optional<sim::StaffingTarget>& target) {
  nlohmann::ordered_json json;
  json["agents"] = f.agents;
  json["rate_per_hour"] = input.ratePerHour;
  json["aht_s"] = input.ahtSeconds;
  json["threshold_s"] = input.thresholdSeconds;
  if (input.patienceSeconds) {
    json["patience_s"] = *input.patienceSeconds;
  }
  json["offered_erlangs"] = f.offeredErlangs;
  json["p_wait"] = f.pWait;
  json["asa_s"] = f.asaSeconds;
  json["service_level"] = f.serviceLevel;
  if (input.patienceSeconds) {
    json["abandon_rate"] = f.abandonRate;
  }
  json["occupancy"] = f.occupancy;
  if (target) {
    const bool sl = target->kind == sim::StaffingTarget::Kind::kServiceLevel;
    json[sl ? "target_sl" : "target_asa_s"] = target->value;
  }
  return json.dump();
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }
std::string seconds(double value) { return fmt::format("{:.1f} s", value); }

std::string title(const sim::StaffingInput& input) {
  const std::string model = input.patienceSeconds
                                ? "Erlang A, mean patience " + seconds(*input.patienceSeconds)
                                : std::string("Erlang C, nobody abandons");
  return fmt::format("{}: {:g} calls/h, AHT {} -> {:.2f} erlangs offered\n", model,
                     input.ratePerHour, seconds(input.ahtSeconds), sim::offeredErlangs(input));
}

std::string targetLine(const sim::StaffingTarget& target, const sim::StaffingInput& input,
                       int agents) {
  const std::string goal = target.kind == sim::StaffingTarget::Kind::kServiceLevel
                               ? fmt::format("service level >= {} (answered within {})",
                                             percent(target.value), seconds(input.thresholdSeconds))
                               : fmt::format("ASA <= {}", seconds(target.value));
  return fmt::format("Fewest agents for {}: {}\n", goal, agents);
}

// The cells of one table line, as printed.
struct Cells {
  std::string agents;
  std::string waiting;
  std::string asa;
  std::string within;
  std::string abandoned;
  std::string occupancy;
};

// One line of the table; the answer's row is flagged with '>'. The abandoned column is there only
// with a patience.
std::string tableLine(const sim::StaffingInput& input, bool flag, const Cells& cells) {
  const size_t withinWidth = 12 + seconds(input.thresholdSeconds).size();  // "answered in T s"
  std::string line = fmt::format("{} {:>7}  {:>8}  {:>9}  {:>{}}", flag ? ">" : " ", cells.agents,
                                 cells.waiting, cells.asa, cells.within, withinWidth);
  if (input.patienceSeconds) {
    line += fmt::format("  {:>9}", cells.abandoned);
  }
  return line + fmt::format("  {:>9}\n", cells.occupancy);
}

std::string header(const sim::StaffingInput& input) {
  return tableLine(input, false,
                   {"agents", "waiting", "ASA", "answered in " + seconds(input.thresholdSeconds),
                    "abandoned", "occupancy"});
}

std::string row(const sim::StaffingInput& input, int agents, bool flag) {
  const Result<sim::StaffingFigures> f = sim::evaluateStaffing(input, agents);
  if (!f) {
    return fmt::format("{} {:>7}  {}\n", flag ? ">" : " ", agents, f.error().message);
  }
  return tableLine(input, flag,
                   {std::to_string(agents), percent(f->pWait), seconds(f->asaSeconds),
                    percent(f->serviceLevel), percent(f->abandonRate), percent(f->occupancy)});
}

std::string toTable(const sim::StaffingInput& input, const sim::StaffingFigures& f,
                    const std::optional<sim::StaffingTarget>& target) {
  std::string text = title(input);
  if (!target) {
    return text + "\n" + header(input) + row(input, f.agents, false);
  }
  text += targetLine(*target, input, f.agents) + "\n" + header(input);
  if (f.agents > 1) {
    text += row(input, f.agents - 1, false);
  }
  text += row(input, f.agents, true);
  if (f.agents < sim::kMaxAgents) {
    text += row(input, f.agents + 1, false);
  }
  return text;
}

int run(const ErlangOptions& options) {
  const sim::StaffingInput input = inputOf(options);
  const std::optional<sim::StaffingTarget> target = targetOf(options);
  const Result<sim::StaffingFigures> figures =
      target ? sim::findStaffing(input, *target) : sim::evaluateStaffing(input, options.agents);
  if (!figures) {
    fmt::print(stderr, "{}\n", figures.error().message);
    return 1;
  }
  if (options.json) {
    fmt::print("{}\n", toJson(input, *figures, target));
  } else {
    fmt::print("{}", toTable(input, *figures, target));
  }
  return 0;
}

}  // namespace

Command addErlangCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand(
      "erlang",
      "Staffing calculator: the service level, wait and abandonment of a team (--agents), or "
      "the fewest agents that meet a target (--target-sl, --target-asa). Erlang C, or Erlang A "
      "with --patience. See docs/erlang.md");
  auto options = std::make_shared<ErlangOptions>();
  addOptions(cli, *options);
  return {cli, [options] { return run(*options); }};
}

}  // namespace callq::app
