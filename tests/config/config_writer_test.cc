// The configuration writer: TOML text and store entries that the parser reads back to the same
// configuration, field by field.
#include "config/config_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config/server_config.h"

namespace callq::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::optional<std::int64_t> millis(std::optional<Duration> d) {
  return d ? std::optional<std::int64_t>(d->count()) : std::nullopt;
}

void expectSameDestination(const core::Destination& want, const core::Destination& got) {
  EXPECT_EQ(static_cast<int>(want.kind), static_cast<int>(got.kind));
  EXPECT_EQ(want.target, got.target);
  EXPECT_EQ(want.message, got.message);
}

void expectSameQueue(const core::QueueConfig& want, const core::QueueConfig& got) {
  SCOPED_TRACE("queue '" + want.name + "'");
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.extension, got.extension);
  EXPECT_EQ(want.loginCode, got.loginCode);
  EXPECT_EQ(want.logoutCode, got.logoutCode);
  EXPECT_EQ(core::strategyName(want.strategy), core::strategyName(got.strategy));
  EXPECT_EQ(want.ringTime.count(), got.ringTime.count());
  EXPECT_EQ(want.retry.count(), got.retry.count());
  EXPECT_EQ(want.wrapUp.count(), got.wrapUp.count());
  EXPECT_EQ(want.maxWait.count(), got.maxWait.count());
  EXPECT_EQ(want.maxCallers, got.maxCallers);
  EXPECT_EQ(want.serviceLevel.count(), got.serviceLevel.count());
  EXPECT_EQ(want.weight, got.weight);
  EXPECT_EQ(want.maxNoAnswer, got.maxNoAnswer);
  EXPECT_EQ(millis(want.waitWithdrawn), millis(got.waitWithdrawn));
  EXPECT_EQ(millis(want.waitEmpty), millis(got.waitEmpty));
  EXPECT_EQ(want.refuseJoinEmpty, got.refuseJoinEmpty);
  expectSameDestination(want.onTimeout, got.onTimeout);
  expectSameDestination(want.onOverflow, got.onOverflow);
  ASSERT_EQ(want.exitKeys.size(), got.exitKeys.size());
  for (std::size_t i = 0; i < want.exitKeys.size(); ++i) {
    EXPECT_EQ(want.exitKeys[i].key, got.exitKeys[i].key);
    expectSameDestination(want.exitKeys[i].destination, got.exitKeys[i].destination);
  }
  EXPECT_EQ(want.statsWindow.count(), got.statsWindow.count());
  EXPECT_EQ(want.holdAudio, got.holdAudio);
  ASSERT_EQ(want.members.size(), got.members.size());
  for (std::size_t i = 0; i < want.members.size(); ++i) {
    EXPECT_EQ(want.members[i].agent, got.members[i].agent);
    EXPECT_EQ(want.members[i].level, got.members[i].level);
    EXPECT_EQ(want.members[i].isStatic, got.members[i].isStatic);
  }
}

void expectSameEngine(const core::Config& want, const core::Config& got) {
  EXPECT_EQ(want.withdrawReasons, got.withdrawReasons);
  ASSERT_EQ(want.agents.size(), got.agents.size());
  for (std::size_t i = 0; i < want.agents.size(); ++i) {
    EXPECT_EQ(want.agents[i].id, got.agents[i].id);
    EXPECT_EQ(want.agents[i].name, got.agents[i].name);
    EXPECT_EQ(want.agents[i].extension, got.agents[i].extension);
  }
  ASSERT_EQ(want.queues.size(), got.queues.size());
  for (std::size_t i = 0; i < want.queues.size(); ++i) {
    expectSameQueue(want.queues[i], got.queues[i]);
  }
}

void expectSameSip(const SipSettings& want, const SipSettings& got) {
  EXPECT_EQ(want.address, got.address);
  EXPECT_EQ(want.port, got.port);
  EXPECT_EQ(want.realm, got.realm);
  EXPECT_EQ(want.rtpMin, got.rtpMin);
  EXPECT_EQ(want.rtpMax, got.rtpMax);
}

void expectSameServerConfig(const ServerConfig& want, const ServerConfig& got) {
  expectSameEngine(want.engine, got.engine);
  expectSameSip(want.sip, got.sip);
  EXPECT_EQ(want.store.url, got.store.url);
  EXPECT_EQ(want.agentPasswords, got.agentPasswords);
  EXPECT_EQ(want.music, got.music);
  EXPECT_EQ(want.api.address, got.api.address);
  EXPECT_EQ(want.api.port, got.api.port);
  EXPECT_EQ(want.api.webRoot, got.api.webRoot);
  ASSERT_EQ(want.managers.size(), got.managers.size());
  for (std::size_t i = 0; i < want.managers.size(); ++i) {
    EXPECT_EQ(want.managers[i].name, got.managers[i].name);
    EXPECT_EQ(want.managers[i].passwordHash, got.managers[i].passwordHash);
  }
}

// Parsed with another base directory than the original: absolute music paths stay as they are.
ServerConfig reparse(const std::string& text) {
  Result<ServerConfig> parsed = parseServerConfig(text, "export.toml", "/elsewhere");
  EXPECT_TRUE(parsed.has_value()) << parsed.error().message << "\n--- text:\n" << text;
  return parsed ? *parsed : ServerConfig{};
}

// The tables that come from the file, never from the store.
std::string serverTables(const ServerConfig& c) { return serverTablesToml(c); }

ServerConfig load(const std::string& path) {
  Result<ServerConfig> loaded = loadServerConfigFile(path);
  EXPECT_TRUE(loaded.has_value()) << loaded.error().message;
  return loaded ? *loaded : ServerConfig{};
}

core::Destination to(core::DestinationKind kind, std::string target = "") {
  return core::Destination{kind, std::move(target), ""};
}

constexpr const char* kOddQueue = "Ventes \"VIP\" \\ été ☎\nsecond line";
constexpr const char* kJazz = "Jazz \"cool\" ☕";

std::vector<core::AgentConfig> handMadeAgents() {
  return {
      {"alice", "Alice \"Al\" Martin\\\ttab \x01 del\x7f\r\nnext", "201"},
      {"bob", "bob", "202"},
      {"chloé ☎ \"c\"", "Chloé Dupré", "*203#"},
      {"dave", "Dave", "204"},
  };
}

// Every field off its default, the rest of the strategies in queues with defaults.
core::QueueConfig busyQueue() {
  core::QueueConfig q;
  q.name = kOddQueue;
  q.extension = "600";
  q.loginCode = "#600";
  q.logoutCode = "*#600";
  q.ringTime = seconds(20);
  q.retry = seconds(0);
  q.wrapUp = seconds(30);
  q.maxWait = seconds(600);
  q.maxCallers = 4'000'000'000u;
  q.serviceLevel = seconds(0);
  q.weight = 2.5;
  q.maxNoAnswer = 3;
  q.waitWithdrawn = seconds(0);
  q.waitEmpty = seconds(365LL * 24 * 3600);
  q.refuseJoinEmpty = true;
  q.onTimeout = to(core::DestinationKind::kQueue, "support");
  q.onOverflow = to(core::DestinationKind::kExtension, "201");
  // In key order: the parser reads the keys of a TOML table in that order.
  q.exitKeys = {{'#', to(core::DestinationKind::kHangup)},
                {'*', to(core::DestinationKind::kQueue, "support")},
                {'0', to(core::DestinationKind::kExtension, "201")},
                {'9', to(core::DestinationKind::kQueue, "linear")},
                {'D', to(core::DestinationKind::kExtension, "*203#")}};
  q.statsWindow = seconds(3600);
  q.holdAudio = kJazz;
  q.members = {{"alice", 0, true}, {"bob", 2, false}, {"chloé ☎ \"c\"", 1'000'000, true}};
  return q;
}

core::QueueConfig queue(std::string name, std::string extension, core::Strategy strategy) {
  core::QueueConfig q;
  q.name = std::move(name);
  q.extension = std::move(extension);
  q.loginCode = "*41" + q.extension;
  q.logoutCode = "*42" + q.extension;
  q.strategy = strategy;
  return q;
}

std::vector<core::QueueConfig> handMadeQueues() {
  std::vector<core::QueueConfig> queues{busyQueue()};
  core::QueueConfig support = queue("support", "601", core::Strategy::kLongestIdle);
  support.onTimeout = to(core::DestinationKind::kKeepWaiting);
  support.onOverflow = to(core::DestinationKind::kQueue, kOddQueue);
  support.waitEmpty = seconds(45);  // waitWithdrawn unset
  support.weight = 0.1;
  support.holdAudio = "default";
  support.members = {{"dave", 0, false}, {"alice", 7, false}};
  queues.push_back(support);
  queues.push_back(queue("fewest", "602", core::Strategy::kFewestCalls));
  queues.back().statsWindow = seconds(1);
  queues.back().weight = 3.0;
  queues.push_back(queue("talk", "603", core::Strategy::kLeastTalkTime));
  queues.back().weight = 1e-300;
  queues.push_back(queue("random", "604", core::Strategy::kRandom));
  queues.back().ringTime = seconds(1);
  queues.push_back(queue("weighted", "605", core::Strategy::kWeightedRandom));
  queues.back().members = {{"bob", 3, true}, {"alice", 1, false}};
  queues.push_back(queue("robin", "606", core::Strategy::kRoundRobin));
  queues.back().members = {{"dave", 0, true}, {"bob", 0, true}, {"alice", 0, true}};
  queues.push_back(queue("linear", "607", core::Strategy::kLinear));
  queues.back().onTimeout = to(core::DestinationKind::kExtension, "600");
  return queues;
}

ServerConfig handMade() {
  ServerConfig c;
  c.engine.agents = handMadeAgents();
  c.engine.queues = handMadeQueues();
  c.engine.withdrawReasons = {"lunch", "back \"office\"", "pause café\n", "tab\there"};
  c.sip = SipSettings{"10.0.0.5", 5080, "ac\"me ☎", 30000, 30099};
  c.store.url = "postgresql://cq:p\"w@db/callq ☎";
  c.api.address = "0.0.0.0";
  c.api.port = 9090;
  c.api.webRoot = std::filesystem::temp_directory_path().string();  // must exist
  c.managers = {{"boss", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"},
                {"night \"shift\"", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$b3RoZXI"}};
  c.agentPasswords = {"p\"w\\1 ü", "", "été", "\x7f"};
  c.music = {{"default", "/srv/music/hold.wav"}, {kJazz, "/srv/musique/été \"x\"\\.flac"}};
  return c;
}

TEST(ConfigWriterTest, HandMadeConfigIsValid) {
  const ServerConfig c = handMade();
  Result<void> valid = core::validateConfig(c.engine);
  EXPECT_TRUE(valid.has_value()) << valid.error().message;
  std::vector<core::Strategy> strategies;
  for (const core::QueueConfig& q : c.engine.queues) {
    strategies.push_back(q.strategy);
  }
  std::sort(strategies.begin(), strategies.end());
  strategies.erase(std::unique(strategies.begin(), strategies.end()), strategies.end());
  EXPECT_EQ(strategies.size(), 8u);  // every strategy
}

TEST(ConfigWriterTest, HandMadeConfigRoundTrips) {
  const ServerConfig c = handMade();
  expectSameServerConfig(c, reparse(toToml(c, true)));
}

TEST(ConfigWriterTest, HandMadeConfigRoundTripsThroughEntries) {
  const ServerConfig c = handMade();
  expectSameServerConfig(c, reparse(entriesToToml(toEntries(c), serverTables(c))));
}

TEST(ConfigWriterTest, DemoRoundTrips) {
  const ServerConfig c = load(CALLQ_SOURCE_DIR "/config/demo.toml");
  ASSERT_EQ(c.engine.queues.size(), 2u);
  expectSameServerConfig(c, reparse(toToml(c, true)));
  expectSameServerConfig(c, reparse(entriesToToml(toEntries(c), serverTables(c))));
}

// config/demo-day.toml is a simulation scenario naming demo.toml, not a server configuration.
TEST(ConfigWriterTest, FullExampleRoundTrips) {
  const ServerConfig c = load(CALLQ_SOURCE_DIR "/config/examples/full.toml");
  ASSERT_EQ(c.engine.queues.size(), 2u);
  expectSameServerConfig(c, reparse(toToml(c, true)));
  expectSameServerConfig(c, reparse(entriesToToml(toEntries(c), serverTables(c))));
}

TEST(ConfigWriterTest, WithoutServerTablesTheReaderGetsTheirDefaults) {
  const ServerConfig c = handMade();
  const std::string text = toToml(c, false);
  EXPECT_EQ(text.find("[sip]"), std::string::npos);
  EXPECT_EQ(text.find("[store]"), std::string::npos);
  EXPECT_EQ(text.find("[api]"), std::string::npos);
  ServerConfig want = c;
  want.sip = SipSettings{};
  want.store = StoreSettings{};
  want.api = ApiSettings{};
  expectSameServerConfig(want, reparse(text));
  EXPECT_EQ(toToml(want, true), text);  // tables at their defaults are left out
}

TEST(ConfigWriterTest, ServerTablesHoldWhatDiffersFromTheDefaults) {
  EXPECT_EQ(toToml(SipSettings{}), "");
  EXPECT_EQ(toToml(StoreSettings{}), "");
  EXPECT_EQ(toToml(ApiSettings{}), "");
  SipSettings sip;
  sip.port = 5080;
  EXPECT_EQ(toToml(sip), "[sip]\nport = 5080\n");
  EXPECT_EQ(toToml(StoreSettings{"/var/lib/callq/callq.db"}),
            "[store]\nurl = \"/var/lib/callq/callq.db\"\n");
}

// Voicemail, external numbers and messages: callq serve refuses them, the engine's reader does not.
TEST(ConfigWriterTest, DestinationsOnlyTheEngineAcceptsRoundTripThroughParseConfig) {
  ServerConfig c;
  c.engine.agents = {{"alice", "Alice", "201"}};
  c.engine.queues = {queue("a", "600", core::Strategy::kRingAll),
                     queue("b", "601", core::Strategy::kRingAll)};
  core::QueueConfig& a = c.engine.queues[0];
  a.onTimeout = to(core::DestinationKind::kVoicemail);
  a.onTimeout.message = "Désolé, \"all busy\"\n";
  a.onOverflow = to(core::DestinationKind::kNumber, "+33123456789");
  a.onOverflow.message = "full.wav";
  a.exitKeys = {{'1', to(core::DestinationKind::kVoicemail, "box 1")},
                {'2', to(core::DestinationKind::kNumber, "+4930123")}};
  c.engine.queues[1].onTimeout = to(core::DestinationKind::kVoicemail, "sales:box");
  Result<core::Config> parsed = parseConfig(toToml(c, false), "export.toml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  expectSameEngine(c.engine, *parsed);
  EXPECT_FALSE(parseServerConfig(toToml(c, false), "export.toml", "").has_value());
}

TEST(ConfigWriterTest, WritesOnlyWhatDiffersFromTheDefaults) {
  ServerConfig c;
  c.engine.agents = {{"bob", "bob", "202"}, {"alice", "Alice", "201"}};
  c.agentPasswords = {"", "s3cret"};
  c.engine.queues = {queue("sales", "600", core::Strategy::kRingAll)};
  c.engine.queues[0].members = {{"alice", 0, false}, {"bob", 1, true}};
  EXPECT_EQ(toToml(c, false),
            "[[agent]]\nid = \"bob\"\nextension = \"202\"\n"
            "\n[[agent]]\nid = \"alice\"\nname = \"Alice\"\nextension = \"201\"\n"
            "password = \"s3cret\"\n"
            "\n[[queue]]\nname = \"sales\"\nextension = \"600\"\nmembers = [\n"
            "  { agent = \"alice\" },\n  { agent = \"bob\", level = 1, static = true },\n]\n");
}

TEST(ConfigWriterTest, EscapesStringsAndKeys) {
  ServerConfig c;
  c.engine.withdrawReasons = {"a\"b\\c\nd\te\x01\x7f é☎"};
  c.music = {{"plain-key_1", "/a"}, {"with space", "/b"}};
  const std::vector<ConfigEntryText> entries = toEntries(c);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].body, "withdraw_reasons = [\"a\\\"b\\\\c\\nd\\te\\u0001\\u007F é☎\"]\n");
  EXPECT_EQ(entries[1].body, "plain-key_1 = \"/a\"\n");
  EXPECT_EQ(entries[2].body, "\"with space\" = \"/b\"\n");
  expectSameServerConfig(c, reparse(toToml(c, false)));
}

TEST(ConfigWriterTest, EntriesOnePerEntityInConfigurationOrder) {
  const ServerConfig c = handMade();
  const std::vector<ConfigEntryText> entries = toEntries(c);
  std::vector<std::string> got;
  for (const ConfigEntryText& e : entries) {
    got.push_back(e.kind + "/" + e.name + "/" + std::to_string(e.position));
  }
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "settings/withdraw_reasons/0", "music/Jazz \"cool\" ☕/0", "music/default/1",
                "manager/boss/0", "manager/night \"shift\"/1", "agent/alice/0", "agent/bob/1",
                "agent/chloé ☎ \"c\"/2", "agent/dave/3", "queue/" + std::string(kOddQueue) + "/0",
                "queue/support/1", "queue/fewest/2", "queue/talk/3", "queue/random/4",
                "queue/weighted/5", "queue/robin/6", "queue/linear/7"}));
  EXPECT_EQ(entries[6].body, "id = \"bob\"\nextension = \"202\"\n");
  EXPECT_EQ(entries[16].body,
            "name = \"linear\"\nextension = \"607\"\nstrategy = \"linear\"\n"
            "timeout_action = \"extension:600\"\n");
}

// Each body stands alone: an agent's or a queue's body is a whole table of its kind.
TEST(ConfigWriterTest, EachBodyIsTheContentsOfItsTable) {
  const ServerConfig c = load(CALLQ_SOURCE_DIR "/config/demo.toml");
  for (const ConfigEntryText& e : toEntries(c)) {
    if (e.kind != "agent") {
      continue;
    }
    Result<core::Config> alone = parseConfig("[[agent]]\n" + e.body, e.name);
    ASSERT_TRUE(alone.has_value()) << alone.error().message;
    ASSERT_EQ(alone->agents.size(), 1u);
    EXPECT_EQ(alone->agents[0].id, e.name);
  }
}

TEST(ConfigWriterTest, EntriesInAnyOrderMakeTheSameDocument) {
  const ServerConfig c = handMade();
  std::vector<ConfigEntryText> entries = toEntries(c);
  const std::string inOrder = entriesToToml(entries, serverTables(c));
  std::reverse(entries.begin(), entries.end());
  EXPECT_EQ(entriesToToml(entries, serverTables(c)), inOrder);
  std::rotate(entries.begin(), entries.begin() + 5, entries.end());
  EXPECT_EQ(entriesToToml(entries, serverTables(c)), inOrder);
  EXPECT_EQ(entriesToToml({}, ""), "");
}

TEST(ConfigWriterTest, UnknownKindIsReportedNotLost) {
  const std::string text = entriesToToml({{"gadget", "x", 0, "size = 1\n"}}, "");
  EXPECT_EQ(text, "[[gadget]]\nsize = 1\n");
  Result<ServerConfig> parsed = parseServerConfig(text, "export.toml", "");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("unknown key 'gadget'"), std::string::npos);
}

// The file has whole seconds only: a sub-second duration is written exactly, as decimal seconds,
// and refused on its line by the reader instead of coming back rounded.
TEST(ConfigWriterTest, SubSecondDurationIsRefusedByTheReaderNotRounded) {
  ServerConfig c;
  c.engine.queues = {queue("sales", "600", core::Strategy::kRingAll)};
  c.engine.queues[0].ringTime = milliseconds(1500);
  c.engine.queues[0].waitEmpty = milliseconds(-2050);
  const std::string text = toToml(c, false);
  EXPECT_NE(text.find("ring_time = 1.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wait_time_empty = -2.05\n"), std::string::npos) << text;
  Result<ServerConfig> parsed = parseServerConfig(text, "export.toml", "");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message,
            "export.toml:4: queue 'sales': ring_time: expected an integer number of seconds, got "
            "float");
}

TEST(ConfigWriterTest, WhatCannotRoundTripComesBackNormalised) {
  ServerConfig c;
  c.engine.agents = {{"alice", "", "201"}, {"bob", "Bob", "202"}};
  c.agentPasswords = {"pw"};  // shorter than the agents
  c.engine.queues = {queue("sales", "600", core::Strategy::kRingAll)};
  c.engine.queues[0].exitKeys = {{'9', to(core::DestinationKind::kHangup)},
                                 {'1', to(core::DestinationKind::kExtension, "201")}};
  const ServerConfig got = reparse(toToml(c, false));
  EXPECT_EQ(got.engine.agents[0].name, "alice");  // an empty name defaults to the id
  EXPECT_EQ(got.agentPasswords, (std::vector<std::string>{"pw", ""}));
  ASSERT_EQ(got.engine.queues[0].exitKeys.size(), 2u);
  EXPECT_EQ(got.engine.queues[0].exitKeys[0].key, '1');  // key order
  EXPECT_EQ(got.engine.queues[0].exitKeys[1].key, '9');
}

TEST(ConfigWriterTest, WeightsKeepEveryBit) {
  for (double weight : {0.1, 1.0 / 3.0, 2.0, 1e-300, 1e300, 123456789.125, 5e-324}) {
    ServerConfig c;
    c.engine.queues = {queue("sales", "600", core::Strategy::kRingAll)};
    c.engine.queues[0].weight = weight;
    const ServerConfig got = reparse(toToml(c, false));
    ASSERT_EQ(got.engine.queues.size(), 1u);
    EXPECT_EQ(got.engine.queues[0].weight, weight);
  }
}

}  // namespace
}  // namespace callq::config
