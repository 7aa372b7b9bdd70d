#include "runtime/runtime.h"

#include <utility>
#include <vector>

namespace callq::runtime {

Runtime::Runtime(std::unique_ptr<core::Engine> engine, EventSink onEvent, Clock clock)
    : engine_(std::move(engine)), onEvent_(std::move(onEvent)), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    };
  }
}

Time Runtime::now() {
  last_ = std::max(last_, clock_());
  return last_;
}

void Runtime::advance() {
  engine_->advance(now());
  dispatch();
}

void Runtime::dispatch() {
  if (dispatching_) {
    return;  // an action's sink called input(): the loop below picks up what it produced
  }
  dispatching_ = true;
  // Swapped with the engine's, so both pairs of vectors keep their capacity: no allocation per
  // input once warmed up.
  while (!engine_->events().empty() || !engine_->actions().empty()) {
    events_.swap(engine_->events());
    for (const core::Event& e : events_) {
      if (onEvent_) {
        onEvent_(e);
      }
    }
    events_.clear();
    actions_.swap(engine_->actions());
    for (const core::Action& a : actions_) {
      if (sink_ != nullptr) {
        sink_->apply(a);
      }
    }
    actions_.clear();
  }
  dispatching_ = false;
}

}  // namespace callq::runtime
