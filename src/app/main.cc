// callq: the call-queue server's command line. Parses the subcommand and runs it.
#include <CLI/CLI.hpp>
#include <vector>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"callq: an open-source call-queue server (ACD)"};
  cli.require_subcommand(1);
  const std::vector<callq::app::Command> commands = {
      callq::app::addCheckCommand(cli),        callq::app::addErlangCommand(cli),
      callq::app::addExportConfigCommand(cli), callq::app::addReportCommand(cli),
      callq::app::addServeCommand(cli),        callq::app::addSimulateCommand(cli),
      callq::app::addVersionCommand(cli),      callq::app::addHashPasswordCommand(cli),
  };
  CLI11_PARSE(cli, argc, argv);
  for (const callq::app::Command& command : commands) {
    if (command.cli->parsed()) {
      return command.run();
    }
  }
  return 1;  // unreachable: require_subcommand(1)
}
