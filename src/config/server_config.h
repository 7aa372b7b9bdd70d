// What `callq serve` (and `callq check`) read beyond the engine's configuration: the [sip] table,
// the agents' SIP passwords, and the music classes queues hold callers with.
//
//   [sip]
//   address = "127.0.0.1"      # SIP and RTP listen here
//   port = 5060                # UDP and TCP
//   realm = "callq"            # digest realm
//   rtp_ports = [20000, 29999] # even ports for RTP
//   [store]
//   url = "var/callq.db"       # SQLite file (relative to the working directory), or
//                              # "postgresql://user:password@host:5432/callq"
//   [api]
//   address = "127.0.0.1"      # the HTTP API and console (docs/api.md)
//   port = 8080
//   web_root = "../web/dist"   # the console's files (relative to the configuration file)
//   [[manager]]                # a console account with every right
//   name = "admin"
//   password_hash = "$argon2id$..."   # `callq hash-password`
//   [music]
//   default = "music/hold.wav" # class name = audio file (relative to the configuration file)
//   [[agent]] ... password = "..."   # digest password of the agent's SIP account
//
// A configuration the server cannot honour yet is refused here with file:line errors:
// voicemail and external-number destinations, and hold audio naming a music class not defined.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/config.h"

namespace callq::config {

struct SipSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 5060;
  std::string realm = "callq";
  std::uint16_t rtpMin = 20000;
  std::uint16_t rtpMax = 29999;
};

struct StoreSettings {
  std::string url = "var/callq.db";
};

struct ApiSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string webRoot;  // resolved; empty: no console files
};

struct ManagerAccount {
  std::string name;
  std::string passwordHash;  // Argon2id, as libsodium's crypto_pwhash_str writes it
};

struct ServerConfig {
  core::Config engine;
  SipSettings sip;
  StoreSettings store;
  ApiSettings api;
  std::vector<ManagerAccount> managers;
  std::vector<std::string> agentPasswords;   // by agent index; empty: the agent cannot register
  std::map<std::string, std::string> music;  // class -> audio file path (resolved)
};

Result<ServerConfig> loadServerConfigFile(const std::string& path);

// Checks an RTP port range ([sip] rtp_ports, `callq serve --rtp-ports`): an error saying what is
// expected, or nothing.
Result<void> checkRtpPorts(std::int64_t first, std::int64_t last);
// `baseDir` resolves relative music paths.
Result<ServerConfig> parseServerConfig(std::string_view text, const std::string& sourceName,
                                       const std::string& baseDir);

}  // namespace callq::config
