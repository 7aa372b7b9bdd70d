#include "app/config_edit.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <vector>

#include "config/config_writer.h"

namespace callq::app {

using json = nlohmann::json;

namespace {

// Marks the edited table in the document, so that an error's line names the field.
constexpr std::string_view kMarker = "# callq: the edited table\n";

// Configuration durations are whole seconds (the reader refuses anything else).
json seconds(Duration d) { return d.count() / 1000; }

json optionalSeconds(const std::optional<Duration>& d) { return d ? seconds(*d) : json(nullptr); }

json queueJson(const core::QueueConfig& q) {
  json exitKeys = json::object();
  for (const core::ExitKey& k : q.exitKeys) {
    exitKeys[std::string(1, k.key)] = core::formatDestination(k.destination);
  }
  json members = json::array();
  for (const core::MemberConfig& m : q.members) {
    members.push_back({{"agent", m.agent}, {"level", m.level}, {"static", m.isStatic}});
  }
  const auto message = [](const core::Destination& d) {
    return d.message.empty() ? json(nullptr) : json(d.message);
  };
  return {{"name", q.name},
          {"extension", q.extension},
          {"login_code", q.loginCode},
          {"logout_code", q.logoutCode},
          {"strategy", core::strategyName(q.strategy)},
          {"ring_time", seconds(q.ringTime)},
          {"retry", seconds(q.retry)},
          {"wrap_up", seconds(q.wrapUp)},
          {"max_wait", seconds(q.maxWait)},
          {"max_callers", q.maxCallers},
          {"service_level", seconds(q.serviceLevel)},
          {"weight", q.weight},
          {"max_no_answer", q.maxNoAnswer},
          {"wait_time_withdrawn", optionalSeconds(q.waitWithdrawn)},
          {"wait_time_empty", optionalSeconds(q.waitEmpty)},
          {"join_empty", q.refuseJoinEmpty ? "refuse" : "allow"},
          {"timeout_action", core::formatDestination(q.onTimeout)},
          {"timeout_message", message(q.onTimeout)},
          {"overflow_action", core::formatDestination(q.onOverflow)},
          {"overflow_message", message(q.onOverflow)},
          {"exit_keys", std::move(exitKeys)},
          {"stats_window", seconds(q.statsWindow)},
          {"hold_audio", q.holdAudio},
          {"members", std::move(members)}};
}

json agentJson(const config::ServerConfig& c, std::size_t i) {
  const core::AgentConfig& a = c.engine.agents[i];
  return {{"id", a.id},
          {"name", a.name},
          {"extension", a.extension},
          {"has_password", i < c.agentPasswords.size() && !c.agentPasswords[i].empty()}};
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A JSON value as TOML (inline): strings quoted, arrays and objects inline; null has no TOML form
// (callers leave such keys out).
std::string tomlValue(const json& v) {
  if (v.is_string()) {
    return config::tomlString(v.get<std::string>());
  }
  if (v.is_array()) {
    std::string out = "[";
    for (const json& item : v) {
      out += (out.size() > 1 ? ", " : "") + tomlValue(item);
    }
    return out + "]";
  }
  if (v.is_object()) {
    std::string out = "{";
    for (const auto& [key, item] : v.items()) {
      if (!item.is_null()) {
        out += (out.size() > 1 ? ", " : " ") + config::tomlKey(key) + " = " + tomlValue(item);
      }
    }
    return out + (out.size() > 1 ? " }" : "}");
  }
  return v.dump();  // numbers and booleans are written alike
}

// The table's body, one key per line after the marker; `keys` gets the key of each line.
std::string tomlBody(const json& object, std::vector<std::string>& keys) {
  std::string out(kMarker);
  for (const auto& [key, value] : object.items()) {
    if (!value.is_null()) {
      out += config::tomlKey(key) + " = " + tomlValue(value) + "\n";
      keys.push_back(key);
    }
  }
  return out;
}

// No setting nests deeper than members = [{...}]: anything deeper is refused before the
// recursive conversion below, which would otherwise follow a body's nesting all the way down.
bool deeperThan(const json& v, int levels) {
  if (!v.is_structured()) {
    return false;
  }
  if (levels == 0) {
    return true;
  }
  return std::any_of(v.begin(), v.end(),
                     [&](const json& item) { return deeperThan(item, levels - 1); });
}

EditError fail(int status, std::string field, std::string reason) {
  return EditError{status, std::move(field), std::move(reason)};
}

// The reader's message without "request:<line>: ", and the field: the key on the line it names
// within the edited table, or the one the message names after its table ("queue 'x': ring_time:").
EditError readerError(const std::string& message, const std::string& document,
                      const std::vector<std::string>& keys) {
  static const std::string kSource = "request";
  std::string text = message;
  int line = 0;
  if (text.rfind(kSource + ":", 0) == 0) {
    text.erase(0, kSource.size() + 1);
    const std::size_t colon = text.find(':');
    if (colon != std::string::npos && colon > 0 &&
        std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(colon),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      line = std::stoi(text.substr(0, colon));
      text.erase(0, colon + 1);
    }
    text.erase(0, text.find_first_not_of(' '));
  }
  std::string field;
  const std::size_t marker = document.find(kMarker);
  if (marker != std::string::npos && line > 0) {
    const int markerLine =
        1 + static_cast<int>(std::count(
                document.begin(), document.begin() + static_cast<std::ptrdiff_t>(marker), '\n'));
    const int index = line - markerLine - 1;
    if (index >= 0 && index < static_cast<int>(keys.size())) {
      field = keys[static_cast<std::size_t>(index)];
    }
  }
  if (field.empty()) {
    // "queue 'sales': extension: ..." or "agent 'bob': extension ..."
    const std::size_t afterTable = text.find("': ");
    if (afterTable != std::string::npos) {
      const std::size_t start = afterTable + 3;
      const std::size_t end = text.find_first_of(": ", start);
      const std::string word = text.substr(start, end - start);
      if (std::find(keys.begin(), keys.end(), word) != keys.end()) {
        field = word;
      }
    }
  }
  // "(line 39)": a line of the document made for the check, which the client never saw.
  static const std::regex kLine(R"( \(line [0-9]+\))");
  return fail(400, std::move(field), std::regex_replace(text, kLine, ""));
}

// Reads `entries` back as a whole configuration (as `callq check` reads a file).
tl::expected<config::ServerConfig, EditError> readBack(
    const config::ServerConfig& current, const std::vector<config::ConfigEntryText>& entries,
    const std::vector<std::string>& keys) {
  const std::string document = config::entriesToToml(entries);
  Result<config::ServerConfig> parsed = config::parseServerConfig(document, "request", "/");
  if (!parsed) {
    return tl::unexpected(readerError(parsed.error().message, document, keys));
  }
  config::ServerConfig next = current;  // [sip], [store], [api] are the machine's
  next.engine = std::move(parsed->engine);
  next.agentPasswords = std::move(parsed->agentPasswords);
  next.music = std::move(parsed->music);
  next.managers = std::move(parsed->managers);
  return next;
}

std::vector<config::ConfigEntryText>::iterator findEntry(
    std::vector<config::ConfigEntryText>& entries, std::string_view kind, std::string_view name) {
  return std::find_if(entries.begin(), entries.end(), [&](const config::ConfigEntryText& e) {
    return e.kind == kind && e.name == name;
  });
}

std::int64_t nextPosition(const std::vector<config::ConfigEntryText>& entries,
                          std::string_view kind) {
  std::int64_t position = 0;
  for (const config::ConfigEntryText& e : entries) {
    if (e.kind == kind) {
      position = std::max(position, e.position + 1);
    }
  }
  return position;
}

tl::expected<Edited, EditError> editReasons(const config::ServerConfig& current, const json& body) {
  const auto it = body.find("reasons");
  if (body.size() != 1 || it == body.end() || !it->is_array() ||
      !std::all_of(it->begin(), it->end(), [](const json& r) { return r.is_string(); })) {
    return tl::unexpected(fail(400, "reasons", "expected {\"reasons\": [\"lunch\", ...]}"));
  }
  std::vector<config::ConfigEntryText> entries = config::toEntries(current);
  std::vector<std::string> keys{"reasons"};
  auto settings = findEntry(entries, "settings", "withdraw_reasons");
  settings->body = std::string(kMarker) + "withdraw_reasons = " + tomlValue(*it) + "\n";
  auto next = readBack(current, entries, keys);
  if (!next) {
    return tl::unexpected(next.error());
  }
  return Edited{*next, dump({{"reasons", next->engine.withdrawReasons}})};
}

}  // namespace

tl::expected<Edited, EditError> applyEdit(const config::ServerConfig& current,
                                          const ConfigEdit& edit) {
  using Kind = ConfigEdit::Kind;
  using Op = ConfigEdit::Op;
  json body = json::object();
  if (edit.op != Op::kDelete) {
    body = json::parse(edit.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return tl::unexpected(fail(400, "", "the body must be a JSON object"));
    }
    if (deeperThan(body, 3)) {
      return tl::unexpected(fail(400, "", "the body is nested deeper than any setting"));
    }
  }
  if (edit.kind == Kind::kReasons) {
    return editReasons(current, body);
  }
  const bool queue = edit.kind == Kind::kQueue;
  const std::string kind = queue ? "queue" : "agent";
  const std::string key = queue ? "name" : "id";
  const std::vector<core::QueueConfig>& queues = current.engine.queues;
  const std::vector<core::AgentConfig>& agents = current.engine.agents;
  const auto queueIt = std::find_if(queues.begin(), queues.end(), [&](const core::QueueConfig& q) {
    return q.name == edit.name;
  });
  const auto agentIt = std::find_if(agents.begin(), agents.end(),
                                    [&](const core::AgentConfig& a) { return a.id == edit.name; });
  const bool exists = queue ? queueIt != queues.end() : agentIt != agents.end();
  if (edit.op != Op::kCreate && !exists) {
    return tl::unexpected(fail(404, kind, "no " + kind + " '" + edit.name + "'"));
  }

  config::ServerConfig base = current;
  std::vector<std::string> keys;
  std::string name = edit.name;
  if (edit.op == Op::kDelete) {
    if (!queue) {
      // An agent goes with its memberships.
      for (core::QueueConfig& q : base.engine.queues) {
        std::erase_if(q.members, [&](const core::MemberConfig& m) { return m.agent == name; });
      }
    }
  } else {
    const auto named = body.find(key);
    if (edit.op == Op::kUpdate) {
      if (named != body.end() && *named != json(name)) {
        return tl::unexpected(
            fail(400, key,
                 "a " + kind + " cannot be renamed: create a new one and delete '" + name + "'"));
      }
      // What the body leaves out stays as it is (null: back to the default).
      json merged;
      if (queue) {
        merged = queueJson(*queueIt);
        // Default codes follow a new extension.
        if (queueIt->loginCode == "*41" + queueIt->extension) {
          merged.erase("login_code");
        }
        if (queueIt->logoutCode == "*42" + queueIt->extension) {
          merged.erase("logout_code");
        }
      } else {
        const auto index = static_cast<std::size_t>(agentIt - agents.begin());
        merged = agentJson(current, index);
        if (index < current.agentPasswords.size() && !current.agentPasswords[index].empty()) {
          merged["password"] = current.agentPasswords[index];
        }
      }
      for (const auto& [k, v] : body.items()) {
        merged[k] = v;
      }
      body = std::move(merged);
    } else if (named == body.end() || !named->is_string()) {
      return tl::unexpected(fail(400, key, key + ": required"));
    } else {
      name = named->get<std::string>();
      if (queue ? std::any_of(queues.begin(), queues.end(),
                              [&](const core::QueueConfig& q) { return q.name == name; })
                : std::any_of(agents.begin(), agents.end(),
                              [&](const core::AgentConfig& a) { return a.id == name; })) {
        return tl::unexpected(fail(409, key, "there is already a " + kind + " '" + name + "'"));
      }
    }
    body.erase("has_password");  // what GET says, not a setting
  }

  std::vector<config::ConfigEntryText> entries = config::toEntries(base);
  auto entry = findEntry(entries, kind, name);
  if (edit.op == Op::kDelete) {
    entries.erase(entry);
  } else if (edit.op == Op::kUpdate) {
    entry->body = tomlBody(body, keys);
  } else {
    entries.push_back({kind, name, nextPosition(entries, kind), tomlBody(body, keys)});
  }
  auto next = readBack(current, entries, keys);
  if (!next) {
    if (edit.op == Op::kDelete) {
      // Only what depends on it can be wrong: another queue sending callers to this one.
      next.error().status = 409;
    }
    return tl::unexpected(next.error());
  }
  if (edit.op == Op::kDelete) {
    return Edited{*next, dump({{"deleted", name}})};
  }
  std::optional<std::string> reply =
      queue ? queueSettingsJson(*next, name) : agentSettingsJson(*next, name);
  return Edited{*next, *reply};
}

std::string configJson(const config::ServerConfig& config) {
  json queues = json::array();
  for (const core::QueueConfig& q : config.engine.queues) {
    queues.push_back(queueJson(q));
  }
  json agents = json::array();
  for (std::size_t i = 0; i < config.engine.agents.size(); ++i) {
    agents.push_back(agentJson(config, i));
  }
  json music = json::array({"ringback"});
  for (const auto& [name, path] : config.music) {
    music.push_back(name);
  }
  json strategies = json::array();
  for (int s = 0; s <= static_cast<int>(core::Strategy::kLinear); ++s) {
    strategies.push_back(core::strategyName(static_cast<core::Strategy>(s)));
  }
  return dump({{"queues", std::move(queues)},
               {"agents", std::move(agents)},
               {"withdraw_reasons", config.engine.withdrawReasons},
               {"music", std::move(music)},
               {"strategies", std::move(strategies)}});
}

std::optional<std::string> queueSettingsJson(const config::ServerConfig& config,
                                             std::string_view name) {
  for (const core::QueueConfig& q : config.engine.queues) {
    if (q.name == name) {
      return dump(queueJson(q));
    }
  }
  return std::nullopt;
}

std::optional<std::string> agentSettingsJson(const config::ServerConfig& config,
                                             std::string_view id) {
  for (std::size_t i = 0; i < config.engine.agents.size(); ++i) {
    if (config.engine.agents[i].id == id) {
      return dump(agentJson(config, i));
    }
  }
  return std::nullopt;
}

}  // namespace callq::app
