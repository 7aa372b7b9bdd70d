// TimerQueue: the engine's deadlines, earliest first; ties run in the order they were armed.
// The driver arms one real timer at nextDeadline() (server) or jumps to it (simulator).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

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
    if (spare_.empty()) {
      timers_.insert(t);
    } else {
      auto node = std::move(spare_.back());
      spare_.pop_back();
      node.value() = t;
      timers_.insert(std::move(node));
    }
    return t;
  }

  // Cancels `slot`'s timer if armed, and clears the slot.
  void cancel(std::optional<Timer>& slot) {
    if (slot) {
      recycle(timers_.extract(*slot));
      slot.reset();
    }
  }

  Time next() const { return timers_.empty() ? kNever : timers_.begin()->at; }

  // Removes and returns the earliest timer due at or before `now`.
  std::optional<Timer> popDue(Time now) {
    if (timers_.empty() || timers_.begin()->at > now) {
      return std::nullopt;
    }
    auto node = timers_.extract(timers_.begin());
    const Timer t = node.value();
    recycle(std::move(node));
    return t;
  }

  std::size_t size() const { return timers_.size(); }

 private:
  // Keeps freed tree nodes for reuse: a ring arms and cancels a timer, and should not allocate.
  void recycle(std::set<Timer>::node_type node) {
    if (!node.empty() && spare_.size() < kMaxSpare) {
      spare_.push_back(std::move(node));
    }
  }

  static constexpr std::size_t kMaxSpare = 4096;
  std::set<Timer> timers_;
  std::vector<std::set<Timer>::node_type> spare_;
  std::uint64_t nextSeq_ = 0;
};

}  // namespace callq::core::internal
