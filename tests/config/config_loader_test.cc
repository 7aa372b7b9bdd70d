// Loading valid configurations: defaults, units, members, actions, and the shipped files.
#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/config.h"

namespace callq::config {
namespace {

using std::chrono::milliseconds;

core::Config parseOk(std::string_view text) {
  Result<core::Config> config = parseConfig(text, "t.toml");
  EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().message);
  return config ? *config : core::Config{};
}

const core::QueueConfig* findQueue(const core::Config& config, std::string_view name) {
  for (const core::QueueConfig& q : config.queues) {
    if (q.name == name) {
      return &q;
    }
  }
  return nullptr;
}

TEST(ConfigLoaderTest, AppliesDefaults) {
  const core::Config config = parseOk(R"(
[[agent]]
id = "alice"
extension = "201"

[[queue]]
name = "sales"
extension = "600"
)");
  ASSERT_EQ(config.queues.size(), 1u);
  const core::QueueConfig& q = config.queues[0];
  EXPECT_EQ(q.loginCode, "*41600");
  EXPECT_EQ(q.logoutCode, "*42600");
  EXPECT_EQ(q.strategy, core::Strategy::kRingAll);
  EXPECT_EQ(q.ringTime, milliseconds(15'000));
  EXPECT_EQ(q.retry, milliseconds(5'000));
  EXPECT_EQ(q.wrapUp, milliseconds(0));
  EXPECT_EQ(q.maxWait, milliseconds(0));
  EXPECT_EQ(q.maxCallers, 0u);
  EXPECT_EQ(q.serviceLevel, milliseconds(20'000));
  EXPECT_EQ(q.weight, 1.0);
  EXPECT_EQ(q.maxNoAnswer, 0u);
  EXPECT_FALSE(q.waitWithdrawn.has_value());
  EXPECT_FALSE(q.waitEmpty.has_value());
  EXPECT_FALSE(q.refuseJoinEmpty);
  EXPECT_EQ(q.onTimeout.kind, core::DestinationKind::kHangup);
  EXPECT_EQ(q.onOverflow.kind, core::DestinationKind::kHangup);
  EXPECT_EQ(q.statsWindow, milliseconds(86'400'000));
  EXPECT_EQ(q.holdAudio, "ringback");
  EXPECT_TRUE(q.members.empty());
  ASSERT_EQ(config.agents.size(), 1u);
  EXPECT_EQ(config.agents[0].name, "alice");  // the name defaults to the id
  EXPECT_TRUE(config.withdrawReasons.empty());
}

TEST(ConfigLoaderTest, ConvertsSecondsToMilliseconds) {
  const core::Config config = parseOk(R"(
[[queue]]
name = "q"
extension = "600"
strategy = "least-talk-time"
ring_time = 20
retry = 3
wrap_up = 10
max_wait = 300
service_level = 30
wait_time_withdrawn = 60
wait_time_empty = 0
stats_window = 3600
)");
  const core::QueueConfig& q = config.queues.at(0);
  EXPECT_EQ(q.strategy, core::Strategy::kLeastTalkTime);
  EXPECT_EQ(q.ringTime, milliseconds(20'000));
  EXPECT_EQ(q.retry, milliseconds(3'000));
  EXPECT_EQ(q.wrapUp, milliseconds(10'000));
  EXPECT_EQ(q.maxWait, milliseconds(300'000));
  EXPECT_EQ(q.serviceLevel, milliseconds(30'000));
  EXPECT_EQ(q.waitWithdrawn, milliseconds(60'000));
  EXPECT_EQ(q.waitEmpty, milliseconds(0));  // 0 = leave at once, unlike absent
  EXPECT_EQ(q.statsWindow, milliseconds(3'600'000));
}

TEST(ConfigLoaderTest, RingCountIsFiveSecondsPerRing) {
  const core::Config config =
      parseOk("[[queue]]\nname = \"q\"\nextension = \"600\"\nring_count = 4\n");
  EXPECT_EQ(config.queues.at(0).ringTime, milliseconds(20'000));
}

TEST(ConfigLoaderTest, ReadsCodesLimitsAndActions) {
  const core::Config config = parseOk(R"(
[[queue]]
name = "sales"
extension = "600"
login_code = "*7600"
logout_code = "#7600"
max_callers = 12
max_no_answer = 3
weight = 2
join_empty = "refuse"
hold_audio = "jazz"
timeout_action = "voicemail:600"
timeout_message = "Sorry, all our agents are busy."
overflow_action = "queue:support"

[[queue]]
name = "support"
extension = "601"
weight = 0.5
overflow_action = "number:+33123456789"
)");
  const core::QueueConfig& sales = *findQueue(config, "sales");
  EXPECT_EQ(sales.loginCode, "*7600");
  EXPECT_EQ(sales.logoutCode, "#7600");
  EXPECT_EQ(sales.maxCallers, 12u);
  EXPECT_EQ(sales.maxNoAnswer, 3u);
  EXPECT_EQ(sales.weight, 2.0);
  EXPECT_TRUE(sales.refuseJoinEmpty);
  EXPECT_EQ(sales.holdAudio, "jazz");
  EXPECT_EQ(sales.onTimeout.kind, core::DestinationKind::kVoicemail);
  EXPECT_EQ(sales.onTimeout.target, "600");
  EXPECT_EQ(sales.onTimeout.message, "Sorry, all our agents are busy.");
  EXPECT_EQ(sales.onOverflow.kind, core::DestinationKind::kQueue);
  EXPECT_EQ(sales.onOverflow.target, "support");
  const core::QueueConfig& support = *findQueue(config, "support");
  EXPECT_EQ(support.weight, 0.5);
  EXPECT_EQ(support.onOverflow.kind, core::DestinationKind::kNumber);
  EXPECT_EQ(support.onOverflow.target, "+33123456789");
}

TEST(ConfigLoaderTest, KeepsMemberOrderLevelsAndStaticFlags) {
  // Queues may come before the agents they name.
  const core::Config config = parseOk(R"(
withdraw_reasons = ["lunch", "training"]

[[queue]]
name = "sales"
extension = "600"
members = [
  { agent = "carol", level = 2, static = true },
  { agent = "alice" },
  { agent = "bob", level = 1 },
]

[[agent]]
id = "alice"
name = "Alice Martin"
extension = "201"
[[agent]]
id = "bob"
extension = "202"
[[agent]]
id = "carol"
extension = "203"
)");
  const std::vector<core::MemberConfig>& members = config.queues.at(0).members;
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].agent, "carol");
  EXPECT_EQ(members[0].level, 2);
  EXPECT_TRUE(members[0].isStatic);
  EXPECT_EQ(members[1].agent, "alice");
  EXPECT_EQ(members[1].level, 0);
  EXPECT_FALSE(members[1].isStatic);
  EXPECT_EQ(members[2].agent, "bob");
  EXPECT_EQ(members[2].level, 1);
  EXPECT_EQ(config.agents.at(0).name, "Alice Martin");
  EXPECT_EQ(config.withdrawReasons, (std::vector<std::string>{"lunch", "training"}));
}

TEST(ConfigLoaderTest, EmptyFileIsAnEmptyConfig) {
  const core::Config config = parseOk("# nothing yet\n");
  EXPECT_TRUE(config.queues.empty());
  EXPECT_TRUE(config.agents.empty());
}

TEST(ConfigLoaderTest, LoadsTheDemo) {
  Result<core::Config> config = loadConfigFile(CALLQ_SOURCE_DIR "/config/demo.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  ASSERT_EQ(config->queues.size(), 2u);
  ASSERT_EQ(config->agents.size(), 4u);
  const core::QueueConfig& sales = *findQueue(*config, "sales");
  EXPECT_EQ(sales.extension, "600");
  EXPECT_EQ(sales.strategy, core::Strategy::kRingAll);
  EXPECT_EQ(sales.onTimeout.kind, core::DestinationKind::kQueue);
  EXPECT_EQ(sales.onOverflow.kind, core::DestinationKind::kQueue);
  EXPECT_EQ(sales.onOverflow.target, "support");
  const core::QueueConfig& support = *findQueue(*config, "support");
  EXPECT_EQ(support.extension, "601");
  EXPECT_EQ(support.strategy, core::Strategy::kLongestIdle);
  EXPECT_EQ(support.wrapUp, milliseconds(10'000));
  EXPECT_EQ(support.maxNoAnswer, 3u);
  int inBoth = 0;
  int staticMembers = 0;
  int dynamicMembers = 0;
  for (const core::MemberConfig& m : sales.members) {
    for (const core::MemberConfig& n : support.members) {
      inBoth += m.agent == n.agent ? 1 : 0;
    }
  }
  for (const core::QueueConfig* q : {&sales, &support}) {
    for (const core::MemberConfig& m : q->members) {
      (m.isStatic ? staticMembers : dynamicMembers)++;
    }
  }
  EXPECT_GE(inBoth, 1);
  EXPECT_GE(staticMembers, 1);
  EXPECT_GE(dynamicMembers, 1);
}

TEST(ConfigLoaderTest, LoadsTheFullExample) {
  Result<core::Config> config = loadConfigFile(CALLQ_SOURCE_DIR "/config/examples/full.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  ASSERT_FALSE(config->queues.empty());
  // Keys in key order; the destinations as written.
  const std::vector<core::ExitKey>& keys = config->queues[0].exitKeys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key, '0');
  EXPECT_EQ(core::formatDestination(keys[0].destination), "extension:201");
  EXPECT_EQ(keys[1].key, '9');
  EXPECT_EQ(core::formatDestination(keys[1].destination), "queue:support");
}

TEST(ConfigLoaderTest, MissingFileNamesThePath) {
  Result<core::Config> config = loadConfigFile("/nonexistent/callq.toml");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kIo);
  EXPECT_EQ(config.error().message,
            "/nonexistent/callq.toml: cannot read configuration: no such file");
}

TEST(ConfigLoaderTest, DirectoryIsNotAConfigFile) {
  Result<core::Config> config = loadConfigFile(CALLQ_SOURCE_DIR "/config");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            std::string(CALLQ_SOURCE_DIR) + "/config: cannot read configuration: is a directory");
}

TEST(ConfigLoaderTest, FileErrorsNameThePathAndLine) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "callq_config_loader_test.toml";
  std::ofstream(path) << "[[queue]]\nname = \"sales\"\nextension = \"600\"\nring_time = -1\n";
  Result<core::Config> config = loadConfigFile(path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            path.string() + ":4: queue 'sales': ring_time: must be greater than 0");
}

}  // namespace
}  // namespace callq::config
