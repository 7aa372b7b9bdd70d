// The server's part of the configuration: [sip], [music], agents' passwords, and the refusal of
// what callq serve cannot do yet.
#include "config/server_config.h"

#include <gtest/gtest.h>

namespace callq::config {
namespace {

constexpr const char* kBase = R"(
[[agent]]
id = "alice"
extension = "201"
password = "pw1"

[[agent]]
id = "bob"
extension = "202"

[[queue]]
name = "sales"
extension = "600"
members = [{ agent = "alice" }, { agent = "bob" }]
)";

Result<ServerConfig> parse(const std::string& extra, const std::string& queueExtra = "") {
  return parseServerConfig(std::string(kBase) + queueExtra + extra, "t.toml", "/etc/callq");
}

std::string errorOf(const Result<ServerConfig>& r) { return r ? "" : r.error().message; }

TEST(ServerConfig, DefaultsAndPasswordsByAgent) {
  Result<ServerConfig> c = parse("");
  ASSERT_TRUE(c.has_value()) << errorOf(c);
  EXPECT_EQ(c->sip.address, "127.0.0.1");
  EXPECT_EQ(c->sip.port, 5060);
  EXPECT_EQ(c->sip.realm, "callq");
  EXPECT_EQ(c->agentPasswords, (std::vector<std::string>{"pw1", ""}));
}

TEST(ServerConfig, SipTableAndMusicClassesResolvedAgainstTheFilesDirectory) {
  Result<ServerConfig> c = parse(
      "[sip]\naddress = \"10.0.0.5\"\nport = 5080\nrealm = \"acme\"\nrtp_ports = [30000, "
      "30099]\n[music]\njazz = \"music/jazz.wav\"\nabs = \"/srv/a.flac\"\n",
      "hold_audio = \"jazz\"\n");
  ASSERT_TRUE(c.has_value()) << errorOf(c);
  EXPECT_EQ(c->sip.address, "10.0.0.5");
  EXPECT_EQ(c->sip.port, 5080);
  EXPECT_EQ(c->sip.realm, "acme");
  EXPECT_EQ(c->sip.rtpMin, 30000);
  EXPECT_EQ(c->sip.rtpMax, 30099);
  EXPECT_EQ(c->music.at("jazz"), "/etc/callq/music/jazz.wav");
  EXPECT_EQ(c->music.at("abs"), "/srv/a.flac");
}

TEST(ServerConfig, ErrorsNameTheLineAndField) {
  EXPECT_EQ(errorOf(parse("[sip]\nport = 70000\n")), "t.toml:16: sip: port: must be at most 65535");
  EXPECT_NE(errorOf(parse("[sip]\nrtp_ports = [30000]\n"))
                .find("t.toml:16: sip: rtp_ports: must be [first, last]"),
            std::string::npos);
  EXPECT_NE(errorOf(parse("[sip]\nrtp_ports = [30000, 30001]\n"))
                .find("t.toml:16: sip: rtp_ports: needs 1024 <= first and first + 3 <= last"),
            std::string::npos);
  EXPECT_NE(errorOf(parse("[sip]\nprot = 5060\n"))
                .find("t.toml:16: sip: unknown key 'prot' (did you mean 'port'?)"),
            std::string::npos);
  EXPECT_NE(errorOf(parse("", "hold_audio = \"jazz\"\n"))
                .find("t.toml:15: queue 'sales': hold_audio: no music class 'jazz'"),
            std::string::npos);
}

TEST(ServerConfig, StoreUrlDefaultsToAFileUnderVar) {
  Result<ServerConfig> c = parse("");
  ASSERT_TRUE(c.has_value()) << errorOf(c);
  EXPECT_EQ(c->store.url, "var/callq.db");
  c = parse("[store]\nurl = \"postgresql://callq@db/callq\"\n");
  ASSERT_TRUE(c.has_value()) << errorOf(c);
  EXPECT_EQ(c->store.url, "postgresql://callq@db/callq");
  EXPECT_NE(
      errorOf(parse("[store]\nurl = \"\"\n")).find("t.toml:16: store: url: must not be empty"),
      std::string::npos);
  EXPECT_NE(
      errorOf(parse("[store]\npath = \"x.db\"\n")).find("t.toml:16: store: unknown key 'path'"),
      std::string::npos);
}

TEST(ServerConfig, ApiAndManagerAccounts) {
  constexpr const char* kHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  Result<ServerConfig> c = parse(std::string("[api]\naddress = \"0.0.0.0\"\nport = 8081\n"
                                             "web_root = \"/\"\n[[manager]]\nname = \"boss\"\n"
                                             "password_hash = \"") +
                                 kHash + "\"\n");
  ASSERT_TRUE(c.has_value()) << errorOf(c);
  EXPECT_EQ(c->api.address, "0.0.0.0");
  EXPECT_EQ(c->api.port, 8081);
  EXPECT_EQ(c->api.webRoot, "/");
  ASSERT_EQ(c->managers.size(), 1u);
  EXPECT_EQ(c->managers[0].name, "boss");
  EXPECT_EQ(c->managers[0].passwordHash, kHash);
  // web_root is relative to the configuration file's folder.
  EXPECT_EQ(errorOf(parse("[api]\nweb_root = \"web/dist\"\n")),
            "t.toml:16: api: web_root: no such folder: /etc/callq/web/dist");
}

TEST(ServerConfig, BadApiAndManagerSettingsAreRefusedNamingTheField) {
  const auto refused = [](const std::string& extra) { return errorOf(parse(extra)); };
  EXPECT_EQ(refused("[api]\naddress = \"\"\n"), "t.toml:16: api: address: must not be empty");
  EXPECT_EQ(refused("[api]\nport = 0\n"), "t.toml:16: api: port: must be greater than 0");
  EXPECT_EQ(refused("[api]\nport = 65536\n"), "t.toml:16: api: port: must be at most 65535");
  EXPECT_NE(refused("[api]\nwebroot = \"x\"\n").find("t.toml:16: api: unknown key 'webroot'"),
            std::string::npos);
  const auto manager = [](const std::string& body) { return "[[manager]]\n" + body; };
  const std::string hash = "password_hash = \"$argon2id$v=19$x\"\n";
  EXPECT_EQ(refused(manager(hash)), "t.toml:15: manager: name: is required and must not be empty");
  EXPECT_EQ(refused(manager("name = \"boss\"\n" + hash) + manager("name = \"boss\"\n" + hash)),
            "t.toml:19: manager: name: 'boss' is given twice");
  EXPECT_EQ(refused(manager("name = \"alice\"\n" + hash)),
            "t.toml:16: manager: name: 'alice' is an agent's id too (both sign in by name)");
  EXPECT_NE(refused(manager("name = \"boss\"\npassword_hash = \"secret\"\n"))
                .find("t.toml:17: manager: password_hash: expected an Argon2 hash"),
            std::string::npos);
  EXPECT_NE(refused(manager("name = \"boss\"\n" + hash + "role = \"admin\"\n"))
                .find("t.toml:18: manager: unknown key 'role'"),
            std::string::npos);
}

TEST(ServerConfig, RefusesWhatServeCannotDoYet) {
  EXPECT_NE(errorOf(parse("", "timeout_action = \"voicemail\"\n"))
                .find("t.toml:15: queue 'sales': timeout_action: 'voicemail' is not supported"),
            std::string::npos);
  EXPECT_NE(errorOf(parse("", "overflow_action = \"number:+441234567\"\n"))
                .find("overflow_action: 'number:+441234567' is not supported"),
            std::string::npos);
  EXPECT_NE(errorOf(parse("", "timeout_action = \"hangup\"\ntimeout_message = \"Bye\"\n"))
                .find("timeout_message: announcements are not supported"),
            std::string::npos);
  EXPECT_NE(errorOf(parse("", "exit_keys = { \"1\" = \"voicemail\" }\n"))
                .find("t.toml:15: queue 'sales': exit_keys: key '1': 'voicemail' is not supported"),
            std::string::npos);
  // A key's own line, also when the keys are a table of their own.
  EXPECT_NE(
      errorOf(parse("", "[queue.exit_keys]\n\"1\" = \"hangup\"\n\"2\" = \"number:+3312\"\n"))
          .find("t.toml:17: queue 'sales': exit_keys: key '2': 'number:+3312' is not supported"),
      std::string::npos);
  EXPECT_TRUE(parse("", "timeout_action = \"extension:202\"\n").has_value());
  EXPECT_TRUE(
      parse("", "exit_keys = { \"0\" = \"extension:202\", \"#\" = \"hangup\" }\n").has_value());
}

}  // namespace
}  // namespace callq::config
