// The subcommands of the callq executable, one file each (check_command.cc, version_command.cc...).
//
// An add*Command() registers a subcommand and its options on the CLI11 app and returns what main()
// runs when that subcommand was chosen. Adding `serve`, `simulate` or `erlang` is one more file and
// one more line in main.cc.
#pragma once

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace callq::app {

struct Command {
  CLI::App* cli = nullptr;   // the subcommand; main() runs `run` if it was given
  std::function<int()> run;  // returns the process exit code
};

// `callq check FILE`: validates a configuration file and prints a summary (exit 0) or the error
// on stderr (exit 1).
Command addCheckCommand(CLI::App& app);

// `callq erlang --rate N --aht S (--agents N | --target-sl F | --target-asa S) ...`: the Erlang C /
// Erlang A staffing calculator (sim/erlang.h). Prints a table or, with --json, one JSON object
// (exit 0); a bad option is refused by CLI11 (its exit code), a load the team cannot carry or a
// target beyond sim::kMaxAgents prints the reason on stderr (exit 1).
Command addErlangCommand(CLI::App& app);

// `callq export-config [--store URL | --config FILE] [-o FILE]`: the database's configuration as
// TOML (exit 1 if it has none yet).
Command addExportConfigCommand(CLI::App& app);

// `callq hash-password` (password on standard input): the Argon2id hash for [[manager]].
Command addHashPasswordCommand(CLI::App& app);

// `callq report [--store URL] [--period P | --from T --to T] [--type E,...] [--queue Q] ...`:
// events from the store as CSV or queue_log, or statistics (--stats queue|agent) as CSV.
Command addReportCommand(CLI::App& app);

// `callq serve CONFIG [--address A] [--port P] [--rtp-ports F-L] [--events FILE]`: the server.
// Runs until SIGINT/SIGTERM (exit 0); a configuration or start-up error exits 1.
Command addServeCommand(CLI::App& app);

// `callq simulate SCENARIO [--json] [--events FILE] [--plot FILE.svg] [--seed N]`: runs a scenario
// through the engine on a virtual clock and prints the figures per queue and interval.
Command addSimulateCommand(CLI::App& app);

// `callq version`: prints "callq <version>".
Command addVersionCommand(CLI::App& app);

}  // namespace callq::app
