#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace callq::app {

Command addVersionCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand("version", "Print the version of callq");
  return {cli, [] {
            fmt::print("callq {}\n", CALLQ_VERSION);
            return 0;
          }};
}

}  // namespace callq::app
