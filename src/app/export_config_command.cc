// `callq export-config`: the configuration the database holds (the truth once seeded), as TOML.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/persistence.h"
#include "config/config_writer.h"
#include "store/store.h"

namespace callq::app {
namespace {

struct ExportArgs {
  std::string storeUrl;
  std::string config;
  std::string output;
};

int runExport(const ExportArgs& args) {
  Result<std::unique_ptr<store::Store>> store = openExistingStore(args.storeUrl, args.config);
  if (!store) {
    fmt::print(stderr, "{}\n", store.error().message);
    return 1;
  }
  Result<std::vector<store::ConfigEntry>> entries = (*store)->configEntries();
  if (!entries) {
    fmt::print(stderr, "{}\n", entries.error().message);
    return 1;
  }
  if (entries->empty()) {
    fmt::print(stderr,
               "{}: no configuration yet (callq serve seeds it from its file at the first "
               "start)\n",
               (*store)->describe());
    return 1;
  }
  // [sip], [store] and [api] are the file's (never in the database): copied from --config if given.
  std::string serverTables;
  if (!args.config.empty()) {
    Result<config::ServerConfig> file = config::loadServerConfigFile(args.config);
    if (!file) {
      fmt::print(stderr, "{}\n", file.error().message);
      return 1;
    }
    serverTables = config::serverTablesToml(*file);
  }
  const std::string text = "# Exported by callq export-config from " + (*store)->describe() + "\n" +
                           config::entriesToToml(fromStoreEntries(*entries), serverTables);
  if (args.output.empty()) {
    fmt::print("{}", text);
    return 0;
  }
  std::ofstream out(args.output, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    fmt::print(stderr, "{}: cannot write: {}\n", args.output, std::strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace

Command addExportConfigCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand("export-config",
                                     "Write the configuration the database holds as a TOML file");
  auto args = std::make_shared<ExportArgs>();
  cli->add_option("--store", args->storeUrl,
                  "Database: a SQLite file or postgresql://... (default: --config's [store] url, "
                  "else var/callq.db)");
  cli->add_option(
      "--config", args->config,
      "The server's file: its [store] url, and its [sip] and [store] tables copied out");
  cli->add_option("--output,-o", args->output, "Write to this file instead of standard output");
  return {cli, [args] { return runExport(*args); }};
}

}  // namespace callq::app
