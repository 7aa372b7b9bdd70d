#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "config/scenario_loader.h"
#include "sim/report.h"
#include "sim/simulator.h"
#include "store/convert.h"
#include "store/report_format.h"
#include "store/store.h"

namespace callq::app {
namespace {

struct SimulateArgs {
  std::string scenario;
  bool json = false;
  std::string eventsPath;
  std::string storeUrl;
  std::string plotPath;
  std::optional<std::uint64_t> seed;
};

// A progress bar on stderr, shown only on a terminal and only once a run has lasted a second.
class Progress {
 public:
  Progress() : enabled_(isatty(STDERR_FILENO) == 1), started_(Clock::now()) {}
  ~Progress() { clear(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(double fraction) {
    if (!enabled_ || Clock::now() - started_ < std::chrono::seconds(1)) {
      return;
    }
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(fraction * kWidth);
    fmt::print(stderr, "\rsimulating [{}{}] {:3.0f}%", std::string(filled, '#'),
               std::string(kWidth - filled, '.'), fraction * 100);
    std::fflush(stderr);
    shown_ = true;
  }

  void clear() {
    if (shown_) {
      fmt::print(stderr, "\r{:60}\r", "");
      std::fflush(stderr);
      shown_ = false;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point started_;
  bool shown_ = false;
};

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    fmt::print(stderr, "{}: cannot write the file\n", path);
    return false;
  }
  return true;
}

int runSimulate(const SimulateArgs& args) {
  Result<sim::Scenario> scenario = config::loadScenarioFile(args.scenario);
  if (!scenario) {
    fmt::print(stderr, "{}\n", scenario.error().message);
    return 1;
  }
  if (args.seed) {
    scenario->workload.seed = *args.seed;
  }
  std::ofstream events;
  if (!args.eventsPath.empty()) {
    events.open(args.eventsPath, std::ios::binary | std::ios::trunc);
    if (!events) {
      fmt::print(stderr, "{}: cannot write the event log\n", args.eventsPath);
      return 1;
    }
  }
  Progress progress;
  sim::SimOptions options;
  options.onProgress = [&progress](double f) { progress.update(f); };
  // --store: the events into a database, in batches, as the server's store thread would.
  std::unique_ptr<store::Store> db;
  if (!args.storeUrl.empty()) {
    Result<std::unique_ptr<store::Store>> opened = store::Store::open(args.storeUrl);
    if (!opened) {
      fmt::print(stderr, "{}\n", opened.error().message);
      return 1;
    }
    db = std::move(*opened);
    db->setQueueParams(store::queueParams(scenario->config));
  }
  store::Batch batch;
  std::optional<Error> storeError;
  auto appendBatch = [&] {
    if (!storeError) {
      if (Result<void> ok = db->append(batch); !ok) {
        storeError = ok.error();
      }
    }
    batch.clear();
  };
  if (events.is_open() || db) {
    std::string line;
    options.onEvent = [&](const core::Event& e) {
      store::EventRecord record = store::toRecord(e, scenario->config);
      if (events.is_open()) {
        line.clear();
        store::appendJsonLine(line, record);
        events.write(line.data(), static_cast<std::streamsize>(line.size()));
      }
      if (db) {
        batch.events.push_back(std::move(record));
        if (batch.events.size() == 10'000) {
          appendBatch();
        }
      }
    };
  }
  Result<sim::SimResult> result = sim::simulate(*scenario, options);
  progress.clear();
  if (db) {
    appendBatch();
    if (storeError) {
      fmt::print(stderr, "{}\n", storeError->message);
      return 1;
    }
  }
  if (!result) {
    fmt::print(stderr, "{}: {}\n", args.scenario, result.error().message);
    return 1;
  }
  if (events.is_open()) {
    events.close();
    if (!events) {
      fmt::print(stderr, "{}: cannot write the event log\n", args.eventsPath);
      return 1;
    }
  }
  if (!args.plotPath.empty() && !writeFile(args.plotPath, sim::formatSvg(*result))) {
    return 1;
  }
  fmt::print("{}", args.json ? sim::formatJson(*result) : sim::formatReport(*result));
  return 0;
}

}  // namespace

Command addSimulateCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand(
      "simulate",
      "Run a scenario (queues, agents and a workload) through the engine on a virtual clock and "
      "report service level, waits, abandonment and occupancy per queue and interval");
  auto args = std::make_shared<SimulateArgs>();
  cli->add_option("scenario", args->scenario, "Scenario TOML file, e.g. config/demo-day.toml")
      ->required();
  cli->add_flag("--json", args->json, "Print one JSON object instead of the text report");
  cli->add_option("--events", args->eventsPath,
                  "Write every engine event to this file, one JSON object per line");
  cli->add_option("--store", args->storeUrl,
                  "Also append every event to this database (a SQLite file or postgresql://...), "
                  "for callq report");
  cli->add_option("--plot", args->plotPath,
                  "Draw service level and waiting callers over time into this SVG file");
  cli->add_option("--seed", args->seed, "Override the scenario's seed");
  return {cli, [args] { return runSimulate(*args); }};
}

}  // namespace callq::app
