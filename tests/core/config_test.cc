#include "core/config.h"

#include <gtest/gtest.h>

#include "tests/core/engine_fixture.h"

namespace callq::core {
namespace {

TEST(ConfigTest, StrategyNamesAreTheDocumentedOnes) {
  // The names users write (README "Queue fields"), not just a round trip through one table.
  const char* names[] = {"ring-all", "longest-idle",    "fewest-calls", "least-talk-time",
                         "random",   "weighted-random", "round-robin",  "linear"};
  for (int i = 0; i < 8; ++i) {
    const auto s = static_cast<Strategy>(i);
    EXPECT_EQ(strategyName(s), names[i]);
    EXPECT_EQ(parseStrategy(names[i]), s);
  }
  EXPECT_EQ(parseStrategy("rrmemory"), std::nullopt);
}

TEST(ConfigTest, DestinationsParseAndFormat) {
  for (const char* text : {"hangup", "wait", "voicemail", "voicemail:600", "extension:201",
                           "number:+33123456789", "queue:support"}) {
    auto d = parseDestination(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(formatDestination(*d), text);
  }
  EXPECT_FALSE(parseDestination("number:0123456").has_value());
  EXPECT_FALSE(parseDestination("queue:").has_value());
  EXPECT_FALSE(parseDestination("hangup:now").has_value());
  EXPECT_FALSE(parseDestination("teleport").has_value());
}

TEST(ConfigTest, ValidationNamesQueueAndField) {
  Config c = testing::makeConfig(2);
  c.queues[0].ringTime = Duration(0);
  auto r = validateConfig(c);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "queue 'q': ring_time: must be greater than 0");

  c = testing::makeConfig(2);
  c.queues[0].members.push_back(MemberConfig{"ghost", 0, false});
  EXPECT_NE(validateConfig(c).error().message.find("unknown agent 'ghost'"), std::string::npos);

  c = testing::makeConfig(2);
  c.agents[1].extension = "600";  // the queue's extension
  EXPECT_NE(validateConfig(c).error().message.find("already used"), std::string::npos);

  c = testing::makeConfig(2);
  c.queues[0].onTimeout = Destination{DestinationKind::kQueue, "nowhere", ""};
  EXPECT_NE(validateConfig(c).error().message.find("unknown queue 'nowhere'"), std::string::npos);
}

TEST(ConfigTest, EngineRefusesAnInvalidConfig) {
  Config c = testing::makeConfig(1);
  c.queues[0].weight = 0;
  auto e = Engine::create(c);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("weight"), std::string::npos);
}

}  // namespace
}  // namespace callq::core
