// Appends the server's events to a JSON-lines file from a thread of its own, so the signalling
// thread only copies the event into a queue: formatting, writing and flushing happen here. A
// stand-in for the store (ARCHITECTURE.md: the store thread appends events in batches), with the
// same line format as `callq simulate --events`.
#pragma once

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "core/config.h"
#include "core/event.h"

namespace callq::app {

class EventWriter {
 public:
  // Opens `path` for appending; `config` names queues and agents in the lines (kept by reference:
  // it must outlive the writer and not change).
  static Result<std::unique_ptr<EventWriter>> open(const std::string& path,
                                                   const core::Config& config);
  ~EventWriter();  // writes what is queued, then stops
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Thread-safe, never blocks on I/O.
  void append(const core::Event& e);

 private:
  EventWriter(std::ofstream out, const core::Config& config);
  void run();

  std::ofstream out_;
  const core::Config& config_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<core::Event> queued_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace callq::app
