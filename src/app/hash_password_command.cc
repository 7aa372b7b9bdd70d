// `callq hash-password`: reads a password from standard input (one line) and prints its Argon2id
// hash for a [[manager]] table's password_hash.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "api/api_server.h"
#include "app/commands.h"

namespace callq::app {

Command addHashPasswordCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand(
      "hash-password",
      "Read a password (one line on standard input) and print its hash for [[manager]] "
      "password_hash");
  return {cli, [] {
            std::string password;
            std::getline(std::cin, password);
            if (!password.empty() && password.back() == '\r') {
              password.pop_back();
            }
            Result<std::string> hash = api::hashPassword(password);
            if (!hash) {
              fmt::print(stderr, "{}\n", hash.error().message);
              return 1;
            }
            fmt::print("{}\n", *hash);
            return 0;
          }};
}

}  // namespace callq::app
