#include "tests/core/engine_fixture.h"

namespace callq::core::testing {
namespace {

TEST_F(EngineTest, CallerIsOfferedAndConnected) {
  start(makeConfig(1, Strategy::kLinear));
  arrive(0, 1);
  EXPECT_EQ(rung(), std::vector<std::string>{"a1"});
  EXPECT_EQ(eventNames(), std::vector<std::string>{"ENTERQUEUE"});
  clear();
  answer(3, 1, "a1");
  ASSERT_EQ(actionsOf<Bridge>().size(), 1u);
  const Event* c = lastEvent(EventType::kConnect);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->wait, Duration(3000));
  EXPECT_EQ(c->ring, Duration(3000));
  EXPECT_EQ(c->position, 1u);
  clear();
  ASSERT_TRUE(e().callEnded(at(63), CallId{1}, Party::kAgent).has_value());
  const Event* done = lastEvent(EventType::kCompleteAgent);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->talk, Duration(60000));
  EXPECT_EQ(done->wait, Duration(3000));
  EXPECT_EQ(done->originalPosition, 1u);
  EXPECT_EQ(e().activeCalls(), 0u);
}

}  // namespace
}  // namespace callq::core::testing
