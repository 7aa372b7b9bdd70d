#include "api/login_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace callq::api {
namespace {

using std::chrono::seconds;
using Clock = LoginThrottle::Clock;

class LoginThrottleTest : public ::testing::Test {
 protected:
  void fail(const std::string& address, const std::string& name, int times = 1) {
    for (int i = 0; i < times; ++i) {
      throttle.failed(address, name, now);
    }
  }
  Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
  LoginThrottle throttle;
};

TEST_F(LoginThrottleTest, AFewMistakesAreFreeThenEachFailureLocksTwiceAsLong) {
  fail("10.0.0.1", "alice", 4);
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), std::nullopt);
  fail("10.0.0.1", "alice");
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), seconds(1));
  now += std::chrono::milliseconds(300);
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), seconds(1));  // rounded up, never 0
  now += std::chrono::milliseconds(700);
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), std::nullopt);
  fail("10.0.0.1", "alice");
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), seconds(2));
  now += seconds(2);
  fail("10.0.0.1", "alice");
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), seconds(4));
  for (int i = 0; i < 30; ++i) {
    now += seconds(300);
    fail("10.0.0.1", "alice");
  }
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), seconds(300));  // at most 5 minutes
}

TEST_F(LoginThrottleTest, TheLockCoversThatNameFromThatAddressOnly) {
  fail("10.0.0.1", "alice", 5);
  EXPECT_TRUE(throttle.locked("10.0.0.1", "alice", now));
  EXPECT_EQ(throttle.locked("10.0.0.1", "bob", now), std::nullopt);
  EXPECT_EQ(throttle.locked("10.0.0.2", "alice", now), std::nullopt);
  EXPECT_EQ(throttle.locked("10.0.0.1", "", now), std::nullopt);
}

TEST_F(LoginThrottleTest, ManyNamesFromOneAddressLockTheAddress) {
  for (int i = 0; i < 49; ++i) {
    fail("10.0.0.1", "user" + std::to_string(i));
  }
  EXPECT_EQ(throttle.locked("10.0.0.1", "someone", now), std::nullopt);
  fail("10.0.0.1", "user49");
  EXPECT_EQ(throttle.locked("10.0.0.1", "someone", now), seconds(1));
  EXPECT_EQ(throttle.locked("10.0.0.2", "someone", now), std::nullopt);
}

TEST_F(LoginThrottleTest, SuccessForgetsTheNameButNotTheAddress) {
  fail("10.0.0.1", "alice", 4);
  throttle.succeeded("10.0.0.1", "alice");
  fail("10.0.0.1", "alice", 4);
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), std::nullopt);

  // An attacker signing in to an account of its own between guesses keeps its address count.
  for (int i = 0; i < 46; ++i) {
    fail("10.0.0.1", "victim" + std::to_string(i % 4));
    throttle.succeeded("10.0.0.1", "mine");
  }
  EXPECT_TRUE(throttle.locked("10.0.0.1", "mine", now));
}

TEST_F(LoginThrottleTest, CountsAreForgottenAQuarterOfAnHourAfterTheLastFailure) {
  fail("10.0.0.1", "alice", 4);
  now += seconds(899);
  fail("10.0.0.1", "alice");
  EXPECT_TRUE(throttle.locked("10.0.0.1", "alice", now));  // 5 within 15 minutes of each other
  now += seconds(900);
  fail("10.0.0.1", "alice", 4);
  EXPECT_EQ(throttle.locked("10.0.0.1", "alice", now), std::nullopt);
}

TEST_F(LoginThrottleTest, MemoryStaysBoundedUnderManyAddresses) {
  LoginThrottle small(LoginThrottle::Limits{.maxKeys = 1000});
  for (int i = 0; i < 10000; ++i) {
    small.failed("10.1." + std::to_string(i), "alice", now);
    now += std::chrono::milliseconds(1);
  }
  EXPECT_LE(small.keys(), 1002u);
  // The newest are kept.
  small.failed("10.1.9999", "alice", now);
  small.failed("10.1.9999", "alice", now);
  small.failed("10.1.9999", "alice", now);
  small.failed("10.1.9999", "alice", now);
  EXPECT_TRUE(small.locked("10.1.9999", "alice", now));
  // Old counts go when they are forgotten anyway.
  now += seconds(900);
  small.failed("10.2.0", "alice", now);
  EXPECT_EQ(small.keys(), 2u);
}

}  // namespace
}  // namespace callq::api
