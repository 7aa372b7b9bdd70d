// TimerQueue on its own: earliest first, ties in arming order, cancellation (including of timers
// buried in the heap and after slots are reused), and compaction when most entries are dead.
#include "core/timer_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace callq::core::internal {
namespace {

Time at(std::int64_t ms) { return fromMillis(ms); }

std::vector<std::uint64_t> popAll(TimerQueue& q, Time now) {
  std::vector<std::uint64_t> subjects;
  while (auto t = q.popDue(now)) {
    subjects.push_back(t->subject);
  }
  return subjects;
}

TEST(TimerQueue, EarliestFirstAndTiesInArmingOrder) {
  TimerQueue q;
  q.arm(at(30), TimerKind::kMaxWait, 1);
  q.arm(at(10), TimerKind::kMaxWait, 2);
  q.arm(at(20), TimerKind::kMaxWait, 3);
  q.arm(at(10), TimerKind::kMaxWait, 4);
  EXPECT_EQ(q.next(), at(10));
  EXPECT_EQ(popAll(q, at(15)), (std::vector<std::uint64_t>{2, 4}));
  EXPECT_EQ(q.next(), at(20));
  EXPECT_EQ(popAll(q, at(100)), (std::vector<std::uint64_t>{3, 1}));
  EXPECT_EQ(q.next(), kNever);
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueue, CancelledTimersNeverFireAndDoNotHoldNext) {
  TimerQueue q;
  std::optional<Timer> first = q.arm(at(10), TimerKind::kRingTimeout, 1);
  std::optional<Timer> buried = q.arm(at(50), TimerKind::kRingTimeout, 2);
  q.arm(at(40), TimerKind::kRingTimeout, 3);
  q.cancel(first);
  EXPECT_FALSE(first.has_value());
  EXPECT_EQ(q.next(), at(40));  // the cancelled top is not reported
  q.cancel(buried);
  q.cancel(buried);  // cancelling twice is harmless
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(popAll(q, at(100)), (std::vector<std::uint64_t>{3}));
}

TEST(TimerQueue, AReusedSlotDoesNotReviveACancelledTimer) {
  TimerQueue q;
  std::optional<Timer> old = q.arm(at(10), TimerKind::kWrapUpEnd, 1);
  const Timer stale = *old;
  q.cancel(old);
  std::optional<Timer> fresh = q.arm(at(20), TimerKind::kWrapUpEnd, 2);
  EXPECT_EQ(fresh->slot, stale.slot);  // the freed slot is reused...
  std::optional<Timer> copy = stale;
  q.cancel(copy);  // ...and cancelling the old handle leaves the new timer alone
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(popAll(q, at(100)), (std::vector<std::uint64_t>{2}));
}

TEST(TimerQueue, ManyCancellationsCompactAndKeepOrder) {
  TimerQueue q;
  std::vector<std::optional<Timer>> timers;
  for (std::uint64_t i = 0; i < 10'000; ++i) {
    timers.push_back(q.arm(at(static_cast<std::int64_t>(10'000 - i)), TimerKind::kMaxWait, i));
  }
  for (std::size_t i = 0; i < timers.size(); ++i) {
    if (i % 10 != 0) {
      q.cancel(timers[i]);
    }
  }
  EXPECT_EQ(q.size(), 1'000u);
  const std::vector<std::uint64_t> fired = popAll(q, at(20'000));
  ASSERT_EQ(fired.size(), 1'000u);
  for (std::size_t i = 0; i < fired.size(); ++i) {
    EXPECT_EQ(fired[i], 9'990 - 10 * i);  // latest armed = earliest deadline
  }
}

}  // namespace
}  // namespace callq::core::internal
