#include "config/server_config.h"

#include <algorithm>
#include <array>
#include <filesystem>

#include "config/config_reader.h"
#include "config/toml_fields.h"

namespace callq::config {
namespace {

using internal::Diagnostics;
using internal::TableReader;

constexpr std::array<std::string_view, 4> kSipKeys{"address", "port", "realm", "rtp_ports"};

void readSip(const toml::table& root, SipSettings& sip, Diagnostics& diag) {
  const toml::node* node = root.get("sip");
  if (node == nullptr) {
    return;
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    diag.report(internal::lineOf(*node), "sip: expected a table ([sip])");
    return;
  }
  TableReader r(*table, "sip", diag);
  r.rejectUnknownKeys(kSipKeys);
  if (std::optional<std::string> address = r.string("address")) {
    if (address->empty()) {
      r.fail("address", "must not be empty");
    } else {
      sip.address = *address;
    }
  }
  sip.port = static_cast<std::uint16_t>(r.integer("port", 1, 65535).value_or(sip.port));
  if (std::optional<std::string> realm = r.string("realm")) {
    if (realm->empty()) {
      r.fail("realm", "must not be empty");
    } else {
      sip.realm = *realm;
    }
  }
  if (const toml::array* ports = r.array("rtp_ports", "[first, last]")) {
    const auto value = [&](std::size_t i) -> std::optional<std::int64_t> {
      return i < ports->size() ? (*ports)[i].value<std::int64_t>() : std::nullopt;
    };
    const std::optional<std::int64_t> first = value(0);
    const std::optional<std::int64_t> last = value(1);
    Result<void> ok =
        ports->size() == 2 && first && last
            ? checkRtpPorts(*first, *last)
            : makeError(ErrorCode::kInvalidArgument, "must be [first, last], e.g. [20000, 29999]");
    if (!ok) {
      r.fail("rtp_ports", ok.error().message);
    } else {
      sip.rtpMin = static_cast<std::uint16_t>(*first);
      sip.rtpMax = static_cast<std::uint16_t>(*last);
    }
  }
}

void readMusic(const toml::table& root, const std::string& baseDir, ServerConfig& out,
               Diagnostics& diag) {
  const toml::node* node = root.get("music");
  if (node == nullptr) {
    return;
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    diag.report(internal::lineOf(*node), "music: expected a table of class = \"file\"");
    return;
  }
  for (const auto& [key, value] : *table) {
    const std::string name(key.str());
    const std::optional<std::string> file = value.value<std::string>();
    if (!file || file->empty()) {
      diag.report(internal::lineOf(value),
                  "music: " + name + ": expected the path of an audio file (WAV, FLAC, OGG...)");
      continue;
    }
    if (name == "ringback") {
      diag.report(internal::lineOf(value),
                  "music: ringback: is the built-in tone; pick another name");
      continue;
    }
    std::filesystem::path path(*file);
    if (path.is_relative() && !baseDir.empty()) {
      path = std::filesystem::path(baseDir) / path;
    }
    out.music[name] = path.string();
  }
}

void readPasswords(const toml::table& root, ServerConfig& out, Diagnostics& diag) {
  out.agentPasswords.assign(out.engine.agents.size(), "");
  const toml::array* agents = root.get_as<toml::array>("agent");
  if (agents == nullptr) {
    return;
  }
  std::size_t i = 0;
  for (const toml::node& item : *agents) {
    const toml::table* table = item.as_table();
    if (table == nullptr || i >= out.agentPasswords.size()) {
      break;
    }
    TableReader r(*table, "agent '" + out.engine.agents[i].id + "'", diag);
    if (std::optional<std::string> password = r.string("password")) {
      if (password->empty()) {
        r.fail("password", "must not be empty (leave it out: the agent's phones cannot register)");
      }
      out.agentPasswords[i] = *password;
    }
    ++i;
  }
}

// Lines of what the server cannot do yet, and of hold audio naming an unknown class.
void checkServable(const toml::table& root, const ServerConfig& out, Diagnostics& diag) {
  const toml::array* queues = root.get_as<toml::array>("queue");
  for (std::size_t i = 0; i < out.engine.queues.size(); ++i) {
    const core::QueueConfig& q = out.engine.queues[i];
    const toml::table* table =
        queues != nullptr && i < queues->size() ? (*queues)[i].as_table() : nullptr;
    const auto lineOf = [&](std::string_view key) {
      const toml::node* n = table != nullptr ? table->get(key) : nullptr;
      return n != nullptr ? internal::lineOf(*n) : (table ? internal::lineOf(*table) : 0);
    };
    const std::string owner = "queue '" + q.name + "'";
    const auto check = [&](const core::Destination& d, std::string_view key, int line) {
      if (d.kind == core::DestinationKind::kVoicemail || d.kind == core::DestinationKind::kNumber) {
        diag.report(line, owner + ": " + std::string(key) + ": '" + core::formatDestination(d) +
                              "' is not supported by this version of callq serve yet "
                              "(use hangup, queue:<name> or extension:<ext>)");
      }
    };
    check(q.onTimeout, "timeout_action", lineOf("timeout_action"));
    check(q.onOverflow, "overflow_action", lineOf("overflow_action"));
    const toml::node* keys = table != nullptr ? table->get("exit_keys") : nullptr;
    for (const core::ExitKey& k : q.exitKeys) {
      const std::string key(1, k.key);
      const toml::node* node =
          keys != nullptr && keys->is_table() ? keys->as_table()->get(key) : nullptr;
      check(k.destination, "exit_keys: key '" + key + "'",
            node != nullptr ? internal::lineOf(*node) : lineOf("exit_keys"));
    }
    for (const auto& [d, key] : {std::pair{&q.onTimeout, "timeout_message"},
                                 std::pair{&q.onOverflow, "overflow_message"}}) {
      if (!d->message.empty()) {
        diag.report(lineOf(key), owner + ": " + key +
                                     ": announcements are not supported by this version of callq "
                                     "serve yet (leave the message out)");
      }
    }
    if (q.holdAudio != "ringback" && !out.music.contains(q.holdAudio)) {
      diag.report(lineOf("hold_audio"), owner + ": hold_audio: no music class '" + q.holdAudio +
                                            "' in [music] (or use \"ringback\")");
    }
  }
}

void readStore(const toml::table& root, StoreSettings& store, Diagnostics& diag) {
  const toml::node* node = root.get("store");
  if (node == nullptr) {
    return;
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    diag.report(internal::lineOf(*node), "store: expected a table ([store])");
    return;
  }
  TableReader r(*table, "store", diag);
  r.rejectUnknownKeys(std::array<std::string_view, 1>{"url"});
  if (std::optional<std::string> url = r.string("url")) {
    if (url->empty()) {
      r.fail("url",
             "must not be empty (a SQLite file such as \"var/callq.db\", or "
             "postgresql://user@host/database)");
    } else {
      store.url = *url;
    }
  }
}

void readApi(TableReader& root, const std::string& baseDir, ApiSettings& api) {
  const toml::table* table = root.table("api", "a table ([api])");
  if (table == nullptr) {
    return;
  }
  TableReader r(*table, "api", root.diagnostics());
  r.rejectUnknownKeys(std::array<std::string_view, 3>{"address", "port", "web_root"});
  if (std::optional<std::string> address = r.string("address")) {
    if (address->empty()) {
      r.fail("address", "must not be empty");
    } else {
      api.address = *address;
    }
  }
  api.port = static_cast<std::uint16_t>(r.integer("port", 1, 65535).value_or(api.port));
  if (std::optional<std::string> webRoot = r.string("web_root")) {
    // Absolute: relative to the configuration file, wherever the server starts from.
    std::error_code ec;
    const std::filesystem::path path = std::filesystem::absolute(
        std::filesystem::path(baseDir.empty() ? "." : baseDir) / *webRoot, ec);
    if (ec || !std::filesystem::is_directory(path, ec)) {
      r.fail("web_root", "no such folder: " + path.lexically_normal().string());
    } else {
      api.webRoot = path.lexically_normal().string();
    }
  }
}

void readManagers(TableReader& root, ServerConfig& out) {
  for (const toml::table* table : root.tables("manager", "[[manager]] tables")) {
    TableReader r(*table, "manager", root.diagnostics());
    r.rejectUnknownKeys(std::array<std::string_view, 2>{"name", "password_hash"});
    ManagerAccount m;
    m.name = r.string("name").value_or("");
    m.passwordHash = r.string("password_hash").value_or("");
    if (m.name.empty()) {
      r.fail("name", "is required and must not be empty");
      continue;
    }
    const auto sameName = [&](const auto& other) { return other.name == m.name; };
    if (std::any_of(out.managers.begin(), out.managers.end(), sameName)) {
      r.fail("name", "'" + m.name + "' is given twice");
      continue;
    }
    if (std::any_of(out.engine.agents.begin(), out.engine.agents.end(),
                    [&](const core::AgentConfig& a) { return a.id == m.name; })) {
      r.fail("name", "'" + m.name + "' is an agent's id too (both sign in by name)");
      continue;
    }
    if (!m.passwordHash.starts_with("$argon2id$") && !m.passwordHash.starts_with("$argon2i$")) {
      r.fail("password_hash",
             "expected an Argon2 hash (\"$argon2id$...\"): make one with `callq hash-password`");
      continue;
    }
    out.managers.push_back(std::move(m));
  }
}

}  // namespace

Result<ServerConfig> parseServerConfig(std::string_view text, const std::string& sourceName,
                                       const std::string& baseDir) {
  return internal::parseAndRead(
      text, sourceName, [&](const toml::table& table) -> Result<ServerConfig> {
        Result<core::Config> engine = internal::readConfig(table, sourceName, {});
        if (!engine) {
          return tl::unexpected(engine.error());
        }
        ServerConfig out;
        out.engine = std::move(*engine);
        Diagnostics diag(sourceName);
        readSip(table, out.sip, diag);
        readStore(table, out.store, diag);
        TableReader root(table, "", diag);
        readApi(root, baseDir, out.api);
        readManagers(root, out);
        readMusic(table, baseDir, out, diag);
        readPasswords(table, out, diag);
        if (!diag.failed()) {
          checkServable(table, out, diag);
        }
        if (diag.failed()) {
          return makeError(diag.error().code, diag.error().message);
        }
        return out;
      });
}

Result<void> checkRtpPorts(std::int64_t first, std::int64_t last) {
  if (first < 1024 || last > 65535 || last < first + 3) {
    return makeError(ErrorCode::kInvalidArgument,
                     "needs 1024 <= first and first + 3 <= last <= 65535, e.g. 20000 to 29999");
  }
  return {};
}

Result<ServerConfig> loadServerConfigFile(const std::string& path) {
  Result<std::string> text = internal::readTextFile(path, "configuration");
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parseServerConfig(*text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace callq::config
