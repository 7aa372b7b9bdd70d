// TimerQueue: the engine's deadlines, earliest first; ties run in the order they were armed.
// The driver arms one real timer at nextDeadline() (server) or jumps to it (simulator).
//
// A binary heap with lazy cancellation: every ring arms a timer and almost every ring is cancelled
// (answered, or lost to another agent under ring-all), so cancelling must be cheap. Cancelling
// frees the timer's slot in O(1); the heap entry stays until it reaches the top or until dead
// entries outnumber live ones, when the heap is rebuilt without them (amortised O(1) per cancel,
// and memory stays within twice the live timers).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/time.h"

namespace callq::core::internal {

enum class TimerKind : std::uint8_t {
  kRingTimeout,  // subject = call: the ring time of its earliest leg is over
  kRoundPause,   // subject = call: the pause between ringing rounds is over
  kMaxWait,      // subject = call
  kWaitTime,     // subject = call: wait time 1 or 2 reached
  kWrapUpEnd,    // agent
};

struct Timer {
  Time at;
  std::uint64_t seq = 0;  // unique per arm(): orders ties and tells a live timer from a dead one
  std::uint64_t subject = 0;
  std::uint32_t agent = 0;
  std::uint32_t slot = 0;  // TimerQueue's handle
  TimerKind kind = TimerKind::kMaxWait;
};

class TimerQueue {
 public:
  Timer arm(Time at, TimerKind kind, std::uint64_t subject, std::uint32_t agent = 0) {
    std::uint32_t slot = 0;
    if (freeSlots_.empty()) {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(0);
    } else {
      slot = freeSlots_.back();
      freeSlots_.pop_back();
    }
    const Timer t{at, ++lastSeq_, subject, agent, slot, kind};
    slots_[slot] = t.seq;
    heap_.push_back(t);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
    ++live_;
    return t;
  }

  // Cancels the timer in `timer` if it is still armed, and clears `timer`.
  void cancel(std::optional<Timer>& timer) {
    if (timer) {
      if (isLive(*timer)) {
        release(*timer);
        compactIfMostlyDead();
      }
      timer.reset();
    }
  }

  Time next() const {
    dropDeadTop();
    return heap_.empty() ? kNever : heap_.front().at;
  }

  // Removes and returns the earliest timer due at or before `now`.
  std::optional<Timer> popDue(Time now) {
    dropDeadTop();
    if (heap_.empty() || heap_.front().at > now) {
      return std::nullopt;
    }
    const Timer t = heap_.front();
    popTop();
    release(t);
    return t;
  }

  std::size_t size() const { return live_; }

  // Rewrites the agent of every wrap-up timer (a new configuration renumbers agents): `f(old)`
  // gives the new index. The order of the heap does not depend on it.
  template <typename F>
  void renumberAgents(F&& f) {
    for (Timer& t : heap_) {
      if (t.kind == TimerKind::kWrapUpEnd) {
        t.agent = f(t.agent);
      }
    }
  }

 private:
  struct Later {  // std heap functions keep the greatest on top: "greatest" = earliest here
    bool operator()(const Timer& a, const Timer& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };
  static constexpr std::uint64_t kFree = 0;  // seq 0 is never armed

  bool isLive(const Timer& t) const { return slots_[t.slot] == t.seq; }

  void release(const Timer& t) {
    slots_[t.slot] = kFree;
    freeSlots_.push_back(t.slot);
    --live_;
  }

  void popTop() const {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
  }

  void dropDeadTop() const {
    while (!heap_.empty() && !isLive(heap_.front())) {
      popTop();
    }
  }

  void compactIfMostlyDead() {
    const std::size_t dead = heap_.size() - live_;
    if (dead > 64 && dead > live_) {
      std::erase_if(heap_, [this](const Timer& t) { return !isLive(t); });
      std::make_heap(heap_.begin(), heap_.end(), Later{});
    }
  }

  // Dead entries are dropped from a const next(): that changes nothing a caller can observe.
  mutable std::vector<Timer> heap_;
  std::vector<std::uint64_t> slots_;  // seq of the live timer in each slot, or kFree
  std::vector<std::uint32_t> freeSlots_;
  std::uint64_t lastSeq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace callq::core::internal
