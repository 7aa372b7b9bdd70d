// TimerQueue: the engine's deadlines, earliest first; ties run in the order they were armed.
// The driver arms one real timer at nextDeadline() (server) or jumps to it (simulator).
#pragma once

#include <cstdint>
#include <optional>
#include <set>

#include "common/time.h"

namespace callq::core::internal {

enum class TimerKind : std::uint8_t {
  kRingTimeout,  // subject = call, agent = ringing agent
  kRoundPause,   // subject = call: the pause between ringing rounds is over
  kMaxWait,      // subject = call
  kWaitTime,     // subject = call: wait time 1 or 2 reached
  kWrapUpEnd,    // agent
};

struct Timer {
  Time at;
  std::uint64_t seq = 0;
  TimerKind kind = TimerKind::kMaxWait;
  std::uint64_t subject = 0;
  std::uint32_t agent = 0;

  friend bool operator<(const Timer& a, const Timer& b) {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  }
};

class TimerQueue {
 public:
  Timer arm(Time at, TimerKind kind, std::uint64_t subject, std::uint32_t agent = 0) {
    Timer t{at, nextSeq_++, kind, subject, agent};
    timers_.insert(t);
    return t;
  }

  // Cancels `slot`'s timer if armed, and clears the slot.
  void cancel(std::optional<Timer>& slot) {
    if (slot) {
      timers_.erase(*slot);
      slot.reset();
    }
  }

  Time next() const { return timers_.empty() ? kNever : timers_.begin()->at; }

  // Removes and returns the earliest timer due at or before `now`.
  std::optional<Timer> popDue(Time now) {
    if (timers_.empty() || timers_.begin()->at > now) {
      return std::nullopt;
    }
    Timer t = *timers_.begin();
    timers_.erase(timers_.begin());
    return t;
  }

  std::size_t size() const { return timers_.size(); }

 private:
  std::set<Timer> timers_;
  std::uint64_t nextSeq_ = 0;
};

}  // namespace callq::core::internal
