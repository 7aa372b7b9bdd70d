#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/config_summary.h"
#include "config/server_config.h"

namespace callq::app {

Command addCheckCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand(
      "check", "Validate a configuration file and print a summary of its queues and agents");
  auto path = std::make_shared<std::string>();
  cli->add_option("file", *path, "TOML configuration file, e.g. config/demo.toml")->required();
  return {cli, [path] {
            Result<config::ServerConfig> config = config::loadServerConfigFile(*path);
            if (!config) {
              fmt::print(stderr, "{}\n", config.error().message);
              return 1;
            }
            fmt::print("{}: OK\n\n{}", *path, formatConfigSummary(config->engine));
            return 0;
          }};
}

}  // namespace callq::app
