#include "config/config_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "config/config_reader.h"
#include "config/queue_reader.h"
#include "config/toml_fields.h"

namespace callq::config {
namespace {

using internal::Diagnostics;
using internal::TableReader;

// [sip], [music] and [store] are the server's (server_config.cc reads them); other readers let
// them be.
constexpr std::array<std::string_view, 8> kRootKeys{
    "withdraw_reasons", "agent", "queue", "sip", "music", "store", "api", "manager"};
constexpr std::array<std::string_view, 4> kAgentKeys{"id", "name", "extension", "password"};

struct AgentLines {
  int id = 0;
  int extension = 0;
};

// Everything read from the file, with the lines the checks across tables report on.
struct Document {
  core::Config config;
  std::vector<AgentLines> agentLines;
  std::vector<internal::QueueLines> queueLines;
};

// An extension or code, and whose it is: they share one dialling namespace.
struct NumberUse {
  std::string number;
  int line = 0;
  std::string owner;       // "queue 'sales'"
  std::string_view field;  // "extension", "login_code" or "logout_code"
  bool defaulted = false;
};

std::string lineText(int line) { return "line " + std::to_string(line); }

std::string agentOwner(const Document& doc, std::size_t i) {
  const std::string& id = doc.config.agents[i].id;
  return id.empty() ? "agent #" + std::to_string(i + 1) : "agent '" + id + "'";
}

std::string queueOwner(const Document& doc, std::size_t i) {
  const std::string& name = doc.config.queues[i].name;
  return name.empty() ? "queue #" + std::to_string(i + 1) : "queue '" + name + "'";
}

void readAgents(TableReader& root, Document& doc) {
  int index = 0;
  for (const toml::table* table : root.tables("agent", "[[agent]] tables")) {
    TableReader r(*table, "agent #" + std::to_string(++index), root.diagnostics());
    core::AgentConfig agent;
    if (std::optional<std::string> id = r.peekString("id"); id && !id->empty()) {
      r.setContext("agent '" + *id + "'");
    }
    r.rejectUnknownKeys(kAgentKeys);
    agent.id = r.requiredString("id").value_or("");
    agent.name = r.string("name").value_or("");
    if (agent.name.empty()) {
      agent.name = agent.id;
    }
    agent.extension = r.dialable("extension", true).value_or("");
    doc.agentLines.push_back({r.lineOf("id"), r.lineOf("extension")});
    doc.config.agents.push_back(std::move(agent));
  }
}

void readQueues(TableReader& root, Document& doc) {
  int index = 0;
  for (const toml::table* table : root.tables("queue", "[[queue]] tables")) {
    internal::LocatedQueue located = internal::readQueue(*table, ++index, root.diagnostics());
    doc.config.queues.push_back(std::move(located.queue));
    doc.queueLines.push_back(std::move(located.lines));
  }
}

void readWithdrawReasons(TableReader& root, core::Config& config) {
  const toml::array* reasons = root.array("withdraw_reasons", "an array of strings");
  if (reasons == nullptr) {
    return;
  }
  std::map<std::string, int> seen;
  for (const toml::node& node : *reasons) {
    const int line = internal::lineOf(node);
    const auto* text = node.as_string();
    if (text == nullptr) {
      root.failAt(line, "withdraw_reasons: expected a string, got " +
                            std::string(internal::typeName(node)));
    } else if (text->get().empty()) {
      root.failAt(line, "withdraw_reasons: a reason must not be empty");
    } else if (auto [it, inserted] = seen.emplace(text->get(), line); !inserted) {
      root.failAt(line, "withdraw_reasons: '" + text->get() + "' is listed twice (first on " +
                            lineText(it->second) + ")");
    } else {
      config.withdrawReasons.push_back(text->get());
    }
  }
}

void checkUniqueNames(const Document& doc, Diagnostics& diag) {
  std::map<std::string, int> ids;
  for (std::size_t i = 0; i < doc.config.agents.size(); ++i) {
    const std::string& id = doc.config.agents[i].id;
    const int line = doc.agentLines[i].id;
    if (auto [it, inserted] = ids.emplace(id, line); !id.empty() && !inserted) {
      diag.report(line, agentOwner(doc, i) + ": id: '" + id + "' is already used by the agent on " +
                            lineText(it->second));
    }
  }
  std::map<std::string, int> names;
  for (std::size_t i = 0; i < doc.config.queues.size(); ++i) {
    const std::string& name = doc.config.queues[i].name;
    const int line = doc.queueLines[i].name;
    if (auto [it, inserted] = names.emplace(name, line); !name.empty() && !inserted) {
      diag.report(line, queueOwner(doc, i) + ": name: '" + name +
                            "' is already used by the queue on " + lineText(it->second));
    }
  }
}

std::vector<NumberUse> numberUses(const Document& doc) {
  std::vector<NumberUse> uses;
  for (std::size_t i = 0; i < doc.config.agents.size(); ++i) {
    uses.push_back({doc.config.agents[i].extension, doc.agentLines[i].extension, agentOwner(doc, i),
                    "extension", false});
  }
  for (std::size_t i = 0; i < doc.config.queues.size(); ++i) {
    const core::QueueConfig& q = doc.config.queues[i];
    const internal::QueueLines& lines = doc.queueLines[i];
    const std::string owner = queueOwner(doc, i);
    uses.push_back({q.extension, lines.extension, owner, "extension", false});
    uses.push_back({q.loginCode, lines.loginCode, owner, "login_code", lines.loginDefaulted});
    uses.push_back({q.logoutCode, lines.logoutCode, owner, "logout_code", lines.logoutDefaulted});
  }
  // The later use (by line) is the one reported, pointing at the earlier.
  std::stable_sort(uses.begin(), uses.end(),
                   [](const NumberUse& a, const NumberUse& b) { return a.line < b.line; });
  return uses;
}

std::string describeUse(const NumberUse& use) {
  const std::string_view what = use.field == "extension"    ? "extension"
                                : use.field == "login_code" ? "login code"
                                                            : "logout code";
  return "the " + std::string(what) + " of " + use.owner + " (" + lineText(use.line) + ")";
}

// Extensions of agents and queues and the queues' login/logout codes are all dialled from the same
// phones, so each number may mean only one thing.
void checkNumbers(const Document& doc, Diagnostics& diag) {
  const std::vector<NumberUse> uses = numberUses(doc);
  std::map<std::string, const NumberUse*> taken;
  for (const NumberUse& use : uses) {
    if (use.number.empty()) {
      continue;
    }
    auto [it, inserted] = taken.emplace(use.number, &use);
    if (inserted) {
      continue;
    }
    std::string message = use.owner + ": " + std::string(use.field) + ": '" + use.number + "'";
    if (use.defaulted) {
      message += use.field == "login_code" ? " (the default, \"*41\" + extension)"
                                           : " (the default, \"*42\" + extension)";
    }
    message += " is already used as " + describeUse(*it->second);
    diag.report(use.line, message);
  }
}

void checkMembers(const Document& doc, Diagnostics& diag) {
  std::set<std::string> known;
  std::vector<std::string_view> ids;
  for (const core::AgentConfig& agent : doc.config.agents) {
    known.insert(agent.id);
    ids.push_back(agent.id);
  }
  for (std::size_t i = 0; i < doc.config.queues.size(); ++i) {
    const std::vector<core::MemberConfig>& members = doc.config.queues[i].members;
    std::map<std::string, int> seen;
    for (std::size_t j = 0; j < members.size(); ++j) {
      const std::string& agent = members[j].agent;
      const int line = doc.queueLines[i].members[j];
      if (agent.empty()) {
        continue;
      }
      std::string message = queueOwner(doc, i) + ": members: ";
      if (!known.contains(agent)) {
        message += "unknown agent '" + agent + "'";
        if (std::string_view guess = internal::closestName(agent, ids); !guess.empty()) {
          message += " (did you mean '" + std::string(guess) + "'?)";
        }
        diag.report(line, message);
      } else if (auto [it, inserted] = seen.emplace(agent, line); !inserted) {
        diag.report(line, message + "agent '" + agent + "' is listed twice (first on " +
                              lineText(it->second) + ")");
      }
    }
  }
}

void checkDestinations(const Document& doc, Diagnostics& diag) {
  std::set<std::string> names;
  for (const core::QueueConfig& q : doc.config.queues) {
    names.insert(q.name);
  }
  for (std::size_t i = 0; i < doc.config.queues.size(); ++i) {
    const core::QueueConfig& q = doc.config.queues[i];
    const internal::QueueLines& lines = doc.queueLines[i];
    std::vector<std::tuple<const core::Destination*, std::string, int>> actions{
        {&q.onTimeout, "timeout_action", lines.timeoutAction},
        {&q.onOverflow, "overflow_action", lines.overflowAction},
    };
    for (std::size_t k = 0; k < q.exitKeys.size(); ++k) {
      actions.emplace_back(&q.exitKeys[k].destination,
                           "exit_keys: key '" + std::string(1, q.exitKeys[k].key) + "'",
                           lines.exitKeys[k]);
    }
    for (const auto& [destination, key, line] : actions) {
      if (destination->kind != core::DestinationKind::kQueue) {
        continue;
      }
      const std::string where = queueOwner(doc, i) + ": " + key + ": ";
      if (destination->target == q.name) {
        diag.report(line, where +
                              "a queue cannot send its callers to itself (use \"wait\" to "
                              "keep them waiting)");
      } else if (!names.contains(destination->target)) {
        diag.report(line, where + "unknown queue '" + destination->target + "'");
      }
    }
  }
}

}  // namespace

namespace internal {

Result<toml::table> parseToml(std::string_view text, const std::string& source) {
  auto describe = [&source](const toml::parse_error& e) {
    return source + ":" + std::to_string(e.source().begin.line) + ": " +
           std::string(e.description());
  };
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    return makeError(ErrorCode::kInvalidArgument, describe(e));
  }
#else
  toml::parse_result parsed = toml::parse(text, std::string_view(source));
  if (!parsed) {
    return makeError(ErrorCode::kInvalidArgument, describe(parsed.error()));
  }
  return std::move(parsed).table();
#endif
}

Result<core::Config> readConfig(const toml::table& table, const std::string& sourceName,
                                std::span<const std::string_view> extraRootKeys) {
  Diagnostics diag(sourceName);
  TableReader root(table, "", diag);
  std::vector<std::string_view> allowed(kRootKeys.begin(), kRootKeys.end());
  allowed.insert(allowed.end(), extraRootKeys.begin(), extraRootKeys.end());
  root.rejectUnknownKeys(allowed);
  Document doc;
  readAgents(root, doc);
  readQueues(root, doc);
  readWithdrawReasons(root, doc.config);
  // Checks across tables run on tables read cleanly, so a typo is not reported twice.
  if (!diag.failed()) {
    checkUniqueNames(doc, diag);
    checkNumbers(doc, diag);
    checkMembers(doc, diag);
    checkDestinations(doc, diag);
  }
  if (diag.failed()) {
    return makeError(diag.error().code, diag.error().message);
  }
  if (Result<void> valid = core::validateConfig(doc.config); !valid) {
    return makeError(valid.error().code, sourceName + ": " + valid.error().message);
  }
  return std::move(doc.config);
}

Result<std::string> readTextFile(const std::string& path, std::string_view what) {
  const std::string cannot = path + ": cannot read " + std::string(what) + ": ";
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    return makeError(ErrorCode::kIo, cannot + "no such file");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    return makeError(ErrorCode::kIo, cannot + "is a directory");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) {
    text << in.rdbuf();
  }
  if (!in || ec) {
    const std::string reason = ec      ? ec.message()
                               : errno ? std::generic_category().message(errno)
                                       : "cannot open or read the file";
    return makeError(ErrorCode::kIo, cannot + reason);
  }
  return text.str();
}

}  // namespace internal

Result<core::Config> parseConfig(std::string_view text, const std::string& sourceName) {
  return internal::parseAndRead(text, sourceName, [&](const toml::table& table) {
    return internal::readConfig(table, sourceName, {});
  });
}

Result<core::Config> loadConfigFile(const std::string& path) {
  Result<std::string> text = internal::readTextFile(path, "configuration");
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parseConfig(*text, path);
}

}  // namespace callq::config
