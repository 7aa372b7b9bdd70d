// Changes to the configuration through the API (docs/api.md, "Configuration"): queues, agents and
// withdraw reasons as JSON objects whose keys are those of the TOML tables. A change is made on
// the configuration's TOML text and read back by the reader `callq check` uses, so it is refused
// with the message check would print, naming the field.
//
// Pure: no engine, no store, no thread. ApiBackend applies the result to the running server and
// stores it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/server_config.h"

namespace callq::app {

struct ConfigEdit {
  enum class Kind { kQueue, kAgent, kReasons };
  enum class Op { kCreate, kUpdate, kDelete };
  Kind kind = Kind::kQueue;
  Op op = Op::kUpdate;
  std::string name;  // update and delete: the queue's name or the agent's id in the path
  std::string body;  // create and update: a JSON object
};

struct EditError {
  int status = 400;   // 400 bad value, 404 unknown queue or agent, 409 others depend on it
  std::string field;  // the settings key at fault, when one is
  std::string reason;
};

struct Edited {
  config::ServerConfig config;  // the whole new configuration
  std::string reply;            // JSON: what was stored, or {"deleted": name}
};

tl::expected<Edited, EditError> applyEdit(const config::ServerConfig& current,
                                          const ConfigEdit& edit);

// GET /api/v1/config: queues and agents with every setting, withdraw reasons, music classes,
// strategies.
std::string configJson(const config::ServerConfig& config);
// One queue's settings or one agent's (never its password), or nullopt when there is none.
std::optional<std::string> queueSettingsJson(const config::ServerConfig& config,
                                             std::string_view name);
std::optional<std::string> agentSettingsJson(const config::ServerConfig& config,
                                             std::string_view id);

}  // namespace callq::app
