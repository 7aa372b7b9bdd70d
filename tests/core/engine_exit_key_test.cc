// Keys a waiting caller presses (RFC 4733 digits reported by the driver): a queue's exit_keys take
// the caller elsewhere with EXITWITHKEY; every other key, and every key once connected, is ignored.
#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

class ExitKeyTest : public EngineTest {
 protected:
  // Queue "q" (a1, a2, ring-all) with keys 0 -> extension 201, 9 -> queue "other", # -> hang up;
  // queue "other" with agent a3.
  void startWithKeys() {
    Config c = makeConfig(2);
    c.queues[0].exitKeys = {
        ExitKey{'0', Destination{DestinationKind::kExtension, "201", ""}},
        ExitKey{'9', Destination{DestinationKind::kQueue, "other", ""}},
        ExitKey{'#', Destination{DestinationKind::kHangup, "", ""}},
    };
    c.agents.push_back(AgentConfig{"a3", "Agent 3", "203"});
    QueueConfig other;
    other.name = "other";
    other.extension = "601";
    other.members.push_back(MemberConfig{"a3", 0, true});
    c.queues.push_back(other);
    start(c);
  }
};

TEST_F(ExitKeyTest, AKeyWhileRingingCancelsTheRingsAndLeavesForItsDestination) {
  startWithKeys();
  arrive(0, 1);
  EXPECT_EQ(rung(), (Names{"a1", "a2"}));
  clear();
  ASSERT_TRUE(e().digitPressed(at(4), CallId{1}, '0').has_value());
  EXPECT_EQ(eventNames(), (Names{"RINGCANCELED", "RINGCANCELED", "EXITWITHKEY"}));
  const Event* exit = lastEvent(EventType::kExitWithKey);
  ASSERT_NE(exit, nullptr);
  EXPECT_EQ(exit->key, '0');
  EXPECT_EQ(exit->reason, "extension:201");
  EXPECT_EQ(exit->wait, Duration(4000));
  EXPECT_EQ(exit->position, 1u);
  EXPECT_EQ(lastEvent(EventType::kRingCanceled)->reason, "exit key");
  EXPECT_EQ(stopped(), (Names{"a2", "a1"}));
  const auto exits = actionsOf<ExitQueue>();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].destination.kind, DestinationKind::kExtension);
  EXPECT_EQ(exits[0].destination.target, "201");
  EXPECT_EQ(e().position(CallId{1}), std::nullopt);
  // The agents are free for the next caller at once.
  clear();
  arrive(5, 2);
  EXPECT_EQ(rung(), (Names{"a1", "a2"}));
}

TEST_F(ExitKeyTest, AQueueKeyMovesTheCallerWhoThenRingsThatQueuesAgents) {
  startWithKeys();
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a1")).has_value());
  ASSERT_TRUE(e().otherCallStarted(at(0), agent("a2")).has_value());
  arrive(1, 1);  // both agents busy: waiting, nobody rung
  clear();
  ASSERT_TRUE(e().digitPressed(at(3), CallId{1}, '9').has_value());
  EXPECT_EQ(eventNames(), (Names{"EXITWITHKEY", "ENTERQUEUE"}));
  const auto moves = actionsOf<MoveQueue>();
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].to, queue("other"));
  EXPECT_EQ(rung(), (Names{"a3"}));
}

TEST_F(ExitKeyTest, OtherKeysAndKeysOnceConnectedChangeNothing) {
  startWithKeys();
  arrive(0, 1);
  clear();
  ASSERT_TRUE(e().digitPressed(at(1), CallId{1}, '5').has_value());
  ASSERT_TRUE(e().digitPressed(at(1), CallId{1}, '*').has_value());
  EXPECT_TRUE(e().events().empty());
  EXPECT_TRUE(e().actions().empty());
  answer(2, 1, "a1");
  clear();
  ASSERT_TRUE(e().digitPressed(at(3), CallId{1}, '#').has_value());
  EXPECT_TRUE(e().events().empty());
  EXPECT_TRUE(e().actions().empty());
  EXPECT_EQ(e().agentSnapshot(agent("a1")).call, CallId{1});
}

TEST_F(ExitKeyTest, UnknownCallsAndNonKeysAreRefused) {
  startWithKeys();
  arrive(0, 1);
  clear();
  const auto unknown = e().digitPressed(at(1), CallId{7}, '0');
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  const auto bad = e().digitPressed(at(1), CallId{1}, 'x');
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(e().events().empty());
  EXPECT_EQ(e().position(CallId{1}), 1u);
}

TEST_F(ExitKeyTest, ConfigurationRulesForKeys) {
  Config c = makeConfig(1);
  c.queues[0].exitKeys = {ExitKey{'x', Destination{}}};
  EXPECT_NE(validateConfig(c).error().message.find("'x' is not a key"), std::string::npos);
  c.queues[0].exitKeys = {ExitKey{'1', Destination{}}, ExitKey{'1', Destination{}}};
  EXPECT_NE(validateConfig(c).error().message.find("key '1' is given twice"), std::string::npos);
  c.queues[0].exitKeys = {ExitKey{'1', Destination{DestinationKind::kKeepWaiting, "", ""}}};
  EXPECT_NE(validateConfig(c).error().message.find("\"wait\" is not a destination"),
            std::string::npos);
  c.queues[0].exitKeys = {ExitKey{'1', Destination{DestinationKind::kQueue, "nowhere", ""}}};
  EXPECT_NE(validateConfig(c).error().message.find("unknown queue 'nowhere'"), std::string::npos);
  c.queues[0].exitKeys = {ExitKey{'D', Destination{}}, ExitKey{'*', Destination{}}};
  EXPECT_TRUE(validateConfig(c).has_value());
}

}  // namespace
}  // namespace callq::core::testing
