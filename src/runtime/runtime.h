// The runtime owns the engine on the signalling thread: it stamps every input with the real
// clock, runs the engine's deadlines, and hands the engine's actions and events on, in order.
//
// It knows no protocol: whoever drives it (sip/ for calls; later the API) calls input() with a
// function of the engine, and gives it an ActionSink that turns actions into SIP and media
// operations. Not thread-safe: everything runs on the one signalling thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "core/action.h"
#include "core/engine.h"
#include "core/event.h"

namespace callq::runtime {

class ActionSink {
 public:
  virtual ~ActionSink() = default;
  // Carry out one action. May call Runtime::input() again (say, a ring that fails at once):
  // the runtime finishes the actions already returned first, in order.
  virtual void apply(const core::Action& action) = 0;
};

class Runtime {
 public:
  using Clock = std::function<Time()>;
  using EventSink = std::function<void(const core::Event&)>;

  // `clock` defaults to the system clock in milliseconds; the runtime never lets time go back.
  Runtime(std::unique_ptr<core::Engine> engine, EventSink onEvent, Clock clock = {});

  void setActionSink(ActionSink* sink) { sink_ = sink; }
  core::Engine& engine() { return *engine_; }
  const core::Engine& engine() const { return *engine_; }

  // The current time for the engine: the clock, but never earlier than the last one used.
  Time now();

  // Runs the deadlines due now, then `f(engine, now)` (one engine input, returning Result<void>),
  // then dispatches what the engine produced. The input's error is returned (and nothing was
  // changed by it). A template, not std::function: no allocation per input.
  template <typename F>
  Result<void> input(F&& f) {
    const Time t = now();
    engine_->advance(t);
    Result<void> result = std::forward<F>(f)(*engine_, t);
    dispatch();
    return result;
  }

  // Runs the deadlines due now and dispatches; the driver calls this when its timer fires.
  void advance();

  // When advance() must next run; kNever when nothing is pending.
  Time nextDeadline() const { return engine_->nextDeadline(); }

 private:
  void dispatch();

  std::unique_ptr<core::Engine> engine_;
  EventSink onEvent_;
  Clock clock_;
  ActionSink* sink_ = nullptr;
  Time last_ = fromMillis(0);
  bool dispatching_ = false;
  std::vector<core::Event> events_;  // being dispatched (only the outer dispatch() uses them)
  std::vector<core::Action> actions_;
};

}  // namespace callq::runtime
