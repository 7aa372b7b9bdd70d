#include "config/config_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <iterator>
#include <tuple>

namespace callq::config {
namespace {

constexpr std::string_view kSettings = "settings";
constexpr std::string_view kMusic = "music";
constexpr std::string_view kAgent = "agent";
constexpr std::string_view kQueue = "queue";
constexpr std::string_view kManager = "manager";

}  // namespace

// A TOML basic string. TOML requires escaping '"', '\' and the control characters U+0000-U+001F
// and U+007F; every other byte is kept, so UTF-8 stays readable.
std::string tomlString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7F) {
      std::array<char, 8> escape{};
      std::snprintf(escape.data(), escape.size(), "\\u%04X", static_cast<unsigned>(byte));
      out += escape.data();
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

// A key: bare when TOML allows it (A-Z a-z 0-9 _ -), quoted otherwise.
std::string tomlKey(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(key) : tomlString(key);
}

namespace {

// Whole seconds as an integer. Anything else as decimal seconds ("1.5"), exact to the
// millisecond: the parser refuses it (a float) on its line rather than reading a rounded value.
std::string secondsText(Duration d) {
  const std::int64_t ms = d.count();
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000);
  }
  const auto magnitude = static_cast<std::uint64_t>(ms < 0 ? -(ms + 1) : ms) + (ms < 0 ? 1 : 0);
  std::string fraction = std::to_string(magnitude % 1000 + 1000).substr(1);  // 3 digits
  fraction.erase(fraction.find_last_not_of('0') + 1);
  return (ms < 0 ? "-" : "") + std::to_string(magnitude / 1000) + "." + fraction;
}

// The shortest text that reads back as the same double, always a TOML float ("2.0", "0.1").
std::string numberText(double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  std::string text(buffer.data(), ec == std::errc() ? end : buffer.data());
  if (text.find_first_of(".eEn") == std::string::npos) {  // "n": inf and nan
    text += ".0";
  }
  return text;
}

void put(std::string& out, std::string_view key, std::string_view value) {
  out.append(key).append(" = ").append(value).append("\n");
}

void putSeconds(std::string& out, std::string_view key, Duration value, Duration byDefault) {
  if (value != byDefault) {
    put(out, key, secondsText(value));
  }
}

void putCount(std::string& out, std::string_view key, unsigned value) {
  if (value != 0) {
    put(out, key, std::to_string(value));
  }
}

void putDestination(std::string& out, std::string_view actionKey, std::string_view messageKey,
                    const core::Destination& d) {
  if (d.kind != core::DestinationKind::kHangup) {
    put(out, actionKey, tomlString(core::formatDestination(d)));
  }
  if (!d.message.empty()) {
    put(out, messageKey, tomlString(d.message));
  }
}

void putRinging(std::string& out, const core::QueueConfig& q, const core::QueueConfig& defaults) {
  if (q.strategy != defaults.strategy) {
    put(out, "strategy", tomlString(core::strategyName(q.strategy)));
  }
  putSeconds(out, "ring_time", q.ringTime, defaults.ringTime);
  putSeconds(out, "retry", q.retry, defaults.retry);
  putSeconds(out, "wrap_up", q.wrapUp, defaults.wrapUp);
  putCount(out, "max_no_answer", q.maxNoAnswer);
}

void putWaiting(std::string& out, const core::QueueConfig& q, const core::QueueConfig& defaults) {
  putSeconds(out, "max_wait", q.maxWait, defaults.maxWait);
  putCount(out, "max_callers", q.maxCallers);
  if (q.waitWithdrawn) {
    put(out, "wait_time_withdrawn", secondsText(*q.waitWithdrawn));
  }
  if (q.waitEmpty) {
    put(out, "wait_time_empty", secondsText(*q.waitEmpty));
  }
  if (q.refuseJoinEmpty) {
    put(out, "join_empty", tomlString("refuse"));
  }
}

// exit_keys = { "0" = "extension:201", "9" = "queue:support" }
void putExitKeys(std::string& out, const std::vector<core::ExitKey>& keys) {
  if (keys.empty()) {
    return;
  }
  std::string table = "{ ";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    table += (i == 0 ? "" : ", ") + tomlString(std::string(1, keys[i].key)) + " = " +
             tomlString(core::formatDestination(keys[i].destination));
  }
  put(out, "exit_keys", table + " }");
}

void putPolicy(std::string& out, const core::QueueConfig& q, const core::QueueConfig& defaults) {
  putSeconds(out, "service_level", q.serviceLevel, defaults.serviceLevel);
  if (q.weight != defaults.weight) {
    put(out, "weight", numberText(q.weight));
  }
  putSeconds(out, "stats_window", q.statsWindow, defaults.statsWindow);
  if (q.holdAudio != defaults.holdAudio) {
    put(out, "hold_audio", tomlString(q.holdAudio));
  }
}

// members = [
//   { agent = "alice", level = 1, static = true },
// ]
void putMembers(std::string& out, const std::vector<core::MemberConfig>& members) {
  if (members.empty()) {
    return;
  }
  std::string list = "[\n";
  for (const core::MemberConfig& m : members) {
    list += "  { agent = " + tomlString(m.agent);
    if (m.level != 0) {
      list += ", level = " + std::to_string(m.level);
    }
    list += m.isStatic ? ", static = true },\n" : " },\n";
  }
  put(out, "members", list + "]");
}

std::string queueBody(const core::QueueConfig& q) {
  const core::QueueConfig defaults{};
  std::string out;
  put(out, "name", tomlString(q.name));
  put(out, "extension", tomlString(q.extension));
  if (q.loginCode != "*41" + q.extension) {
    put(out, "login_code", tomlString(q.loginCode));
  }
  if (q.logoutCode != "*42" + q.extension) {
    put(out, "logout_code", tomlString(q.logoutCode));
  }
  putRinging(out, q, defaults);
  putWaiting(out, q, defaults);
  putDestination(out, "timeout_action", "timeout_message", q.onTimeout);
  putDestination(out, "overflow_action", "overflow_message", q.onOverflow);
  putExitKeys(out, q.exitKeys);
  putPolicy(out, q, defaults);
  putMembers(out, q.members);
  return out;
}

std::string agentBody(const core::AgentConfig& agent, const std::string& password) {
  std::string out;
  put(out, "id", tomlString(agent.id));
  if (!agent.name.empty() && agent.name != agent.id) {  // the name defaults to the id
    put(out, "name", tomlString(agent.name));
  }
  put(out, "extension", tomlString(agent.extension));
  if (!password.empty()) {
    put(out, "password", tomlString(password));
  }
  return out;
}

std::string withdrawReasonsBody(const std::vector<std::string>& reasons) {
  std::string list = "[";
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    list += (i == 0 ? "" : ", ") + tomlString(reasons[i]);
  }
  std::string out;
  put(out, "withdraw_reasons", list + "]");
  return out;
}

// Settings first (root keys must precede every table), then the tables in the files' order.
int kindRank(std::string_view kind) {
  constexpr std::array<std::string_view, 5> kOrder{kSettings, kMusic, kManager, kAgent, kQueue};
  const auto it = std::find(kOrder.begin(), kOrder.end(), kind);
  return static_cast<int>(std::distance(kOrder.begin(), it));  // unknown kinds last
}

void appendBody(std::string& out, std::string_view body) {
  out += body;
  if (!body.empty() && body.back() != '\n') {
    out += '\n';
  }
}

}  // namespace

std::string toToml(const SipSettings& sip) {
  const SipSettings defaults{};
  std::string out;
  if (sip.address != defaults.address) {
    put(out, "address", tomlString(sip.address));
  }
  if (sip.port != defaults.port) {
    put(out, "port", std::to_string(sip.port));
  }
  if (sip.realm != defaults.realm) {
    put(out, "realm", tomlString(sip.realm));
  }
  if (sip.rtpMin != defaults.rtpMin || sip.rtpMax != defaults.rtpMax) {
    put(out, "rtp_ports",
        "[" + std::to_string(sip.rtpMin) + ", " + std::to_string(sip.rtpMax) + "]");
  }
  return out.empty() ? out : "[sip]\n" + out;
}

std::string toToml(const StoreSettings& store) {
  std::string out;
  if (store.url != StoreSettings{}.url) {
    put(out, "url", tomlString(store.url));  // relative to the working directory: kept as it is
  }
  return out.empty() ? out : "[store]\n" + out;
}

std::string toToml(const ApiSettings& api) {
  const ApiSettings defaults{};
  std::string out;
  if (api.address != defaults.address) {
    put(out, "address", tomlString(api.address));
  }
  if (api.port != defaults.port) {
    put(out, "port", std::to_string(api.port));
  }
  if (!api.webRoot.empty()) {
    put(out, "web_root", tomlString(api.webRoot));  // resolved when read: absolute or as given
  }
  return out.empty() ? out : "[api]\n" + out;
}

std::string serverTablesToml(const ServerConfig& config) {
  std::string out;
  for (const std::string& table : {toToml(config.sip), toToml(config.store), toToml(config.api)}) {
    if (!table.empty()) {
      out += (out.empty() ? "" : "\n") + table;
    }
  }
  return out;
}

std::vector<ConfigEntryText> toEntries(const ServerConfig& config) {
  std::vector<ConfigEntryText> entries;
  entries.push_back({std::string(kSettings), "withdraw_reasons", 0,
                     withdrawReasonsBody(config.engine.withdrawReasons)});
  std::int64_t position = 0;
  for (const auto& [name, path] : config.music) {
    std::string body;
    put(body, tomlKey(name), tomlString(path));
    entries.push_back({std::string(kMusic), name, position++, std::move(body)});
  }
  for (std::size_t i = 0; i < config.managers.size(); ++i) {
    std::string body;
    put(body, "name", tomlString(config.managers[i].name));
    put(body, "password_hash", tomlString(config.managers[i].passwordHash));
    entries.push_back({std::string(kManager), config.managers[i].name, static_cast<std::int64_t>(i),
                       std::move(body)});
  }
  const std::vector<core::AgentConfig>& agents = config.engine.agents;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const std::string password = i < config.agentPasswords.size() ? config.agentPasswords[i] : "";
    entries.push_back({std::string(kAgent), agents[i].id, static_cast<std::int64_t>(i),
                       agentBody(agents[i], password)});
  }
  const std::vector<core::QueueConfig>& queues = config.engine.queues;
  for (std::size_t i = 0; i < queues.size(); ++i) {
    entries.push_back(
        {std::string(kQueue), queues[i].name, static_cast<std::int64_t>(i), queueBody(queues[i])});
  }
  return entries;
}

std::string entriesToToml(const std::vector<ConfigEntryText>& entries, std::string_view sipToml) {
  std::vector<const ConfigEntryText*> sorted;
  for (const ConfigEntryText& e : entries) {
    sorted.push_back(&e);
  }
  const auto order = [](const ConfigEntryText* e) {
    return std::tuple<int, const std::string&, std::int64_t, const std::string&>(
        kindRank(e->kind), e->kind, e->position, e->name);
  };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const auto* a, const auto* b) { return order(a) < order(b); });
  std::string out;
  auto it = sorted.begin();
  for (; it != sorted.end() && (*it)->kind == kSettings; ++it) {
    appendBody(out, (*it)->body);
  }
  if (!sipToml.empty()) {
    out += out.empty() ? "" : "\n";
    appendBody(out, sipToml);
  }
  // One [music] table holds every class; every other entry is a table of its own.
  for (bool inMusic = false; it != sorted.end(); ++it) {
    const std::string& kind = (*it)->kind;
    const std::string separator = out.empty() ? "" : "\n";
    if (kind != kMusic) {
      out += separator + "[[" + tomlKey(kind) + "]]\n";
    } else if (!inMusic) {
      out += separator + "[music]\n";
    }
    inMusic = kind == kMusic;
    appendBody(out, (*it)->body);
  }
  return out;
}

std::string toToml(const ServerConfig& config, bool withServerTables) {
  std::vector<ConfigEntryText> entries = toEntries(config);
  if (config.engine.withdrawReasons.empty()) {
    std::erase_if(entries, [](const ConfigEntryText& e) { return e.kind == kSettings; });
  }
  return entriesToToml(entries, withServerTables ? serverTablesToml(config) : "");
}

}  // namespace callq::config
