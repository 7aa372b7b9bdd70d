// The registrar's bindings and the authentication throttle, on a virtual clock.
#include "sip/registrar.h"

#include <gtest/gtest.h>

namespace callq::sip {
namespace {

Time at(std::int64_t s) { return fromMillis(s * 1000); }

TEST(Registrar, SeveralPhonesPerAgentRefreshAndExpire) {
  Registrar r(2);
  EXPECT_TRUE(r.update(0, "sip:201@10.0.0.1:5060", "a", at(60), at(0)));    // first phone
  EXPECT_FALSE(r.update(0, "sip:201@10.0.0.2:5060", "b", at(30), at(0)));   // second phone
  EXPECT_FALSE(r.update(0, "sip:201@10.0.0.1:5060", "a", at(90), at(10)));  // refresh
  ASSERT_EQ(r.bindings(0).size(), 2u);
  EXPECT_EQ(r.nextExpiry(), at(30));
  EXPECT_TRUE(r.update(1, "sip:202@h", "c", at(20), at(0)));  // another agent expires first
  EXPECT_EQ(r.nextExpiry(), at(20));
  EXPECT_EQ(r.expire(at(20)), std::vector<std::uint32_t>{1});
  EXPECT_EQ(r.nextExpiry(), at(30));
  EXPECT_TRUE(r.expire(at(29)).empty());
  EXPECT_TRUE(r.expire(at(30)).empty());  // one phone left
  EXPECT_EQ(r.bindings(0).size(), 1u);
  EXPECT_EQ(r.expire(at(90)), std::vector<std::uint32_t>{0});
  EXPECT_FALSE(r.registered(0));
  EXPECT_EQ(r.nextExpiry(), kNever);
}

TEST(Registrar, ExpiresZeroRemovesAndContactStarRemovesAll) {
  Registrar r(1);
  r.update(0, "sip:a@h1", "x", at(60), at(0));
  r.update(0, "sip:a@h2", "y", at(60), at(0));
  EXPECT_FALSE(r.update(0, "sip:a@h1", "x", at(0), at(0)));
  EXPECT_TRUE(r.registered(0));
  EXPECT_TRUE(r.removeAll(0));
  EXPECT_FALSE(r.registered(0));
  EXPECT_FALSE(r.removeAll(0));
}

TEST(Registrar, RenumberMovesPhonesAndForgetsRemovedAgents) {
  Registrar r(3);
  const Time t0 = fromMillis(0);
  r.update(0, "sip:a@1", "c1", fromMillis(10'000), t0);
  r.update(2, "sip:c@1", "c3", fromMillis(5'000), t0);
  // Agent 0 removed, 1 -> 0, 2 -> 1, and one new agent (2).
  r.renumber({std::nullopt, AgentId{0}, AgentId{1}}, 3);
  EXPECT_FALSE(r.registered(0));
  ASSERT_TRUE(r.registered(1));
  EXPECT_EQ(r.bindings(1)[0].contact, "sip:c@1");
  EXPECT_FALSE(r.registered(2));
  EXPECT_EQ(r.nextExpiry(), fromMillis(5'000));
  EXPECT_EQ(r.expire(fromMillis(6'000)), std::vector<std::uint32_t>{1});
  EXPECT_EQ(r.nextExpiry(), kNever);  // the removed agent's phone is forgotten too
}

TEST(AuthThrottle, FreeFailuresThenDoublingLockoutClearedBySuccess) {
  AuthThrottle t;
  const std::string ip = "192.0.2.7";
  for (int i = 0; i < AuthThrottle::kFreeFailures - 1; ++i) {
    t.failed(ip, at(0));
    EXPECT_TRUE(t.allowed(ip, at(0)));
  }
  t.failed(ip, at(0));  // the fifth: locked for 2 s
  EXPECT_FALSE(t.allowed(ip, at(1)));
  EXPECT_TRUE(t.allowed(ip, at(2)));
  t.failed(ip, at(2));  // 4 s
  EXPECT_FALSE(t.allowed(ip, at(5)));
  EXPECT_TRUE(t.allowed(ip, at(6)));
  EXPECT_TRUE(t.allowed("192.0.2.8", at(5)));  // other addresses are not affected
  for (int i = 0; i < 20; ++i) {
    t.failed(ip, at(100));
  }
  EXPECT_FALSE(t.allowed(ip, at(159)));  // capped at 60 s
  EXPECT_TRUE(t.allowed(ip, at(160)));
  t.succeeded(ip);
  t.failed(ip, at(200));
  EXPECT_TRUE(t.allowed(ip, at(200)));
}

TEST(AuthThrottle, ForgetsQuietAddresses) {
  AuthThrottle t;
  t.failed("198.51.100.1", at(0));
  // A scan from many addresses much later: the old entry is dropped, the table stays bounded.
  for (int i = 0; i < AuthThrottle::kPruneEvery * 3; ++i) {
    t.failed("203.0.113." + std::to_string(i % 200), at(1000 + i));
  }
  EXPECT_LE(t.tracked(), 200u);
  EXPECT_TRUE(t.allowed("198.51.100.1", at(5000)));
}

}  // namespace
}  // namespace callq::sip
