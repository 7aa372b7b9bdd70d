// The store thread. The signalling thread hands records over and never waits for the database;
// this thread appends them in batches (group commit): whatever was handed over while the last
// transaction was being committed goes into the next one, so the batch grows with the load and
// an event is durable one commit after it was handed over (README, "What is kept").
//
// The queue is bounded: when the database cannot keep up (or is down) for long enough to fill
// it, add() refuses events and counts them, and the server says so in its log; it never blocks
// the calls. A failed append is retried with the same records (backing off up to 2 s).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/records.h"
#include "store/store.h"

namespace callq::store {

class StoreWriter {
 public:
  struct Options {
    std::size_t capacity = 500'000;  // events waiting to be written
    // Called on the store thread when an append fails (it will be retried).
    std::function<void(const std::string&)> onError;
    // Called on the store thread with each batch's events once committed (ids set), in order:
    // a copy of the record elsewhere (`callq serve --events`).
    std::function<void(const std::vector<EventRecord>&)> onCommitted;
  };

  struct Counters {
    std::uint64_t committed = 0;  // events
    std::uint64_t batches = 0;
    std::uint64_t dropped = 0;  // refused by add(): the queue was full
    std::uint64_t failures = 0;
    std::int64_t maxLagMs = 0;  // longest time from add() to the commit that made it durable
  };

  StoreWriter(std::unique_ptr<Store> store, Options options);
  // Writes what is queued (retrying a failing database for up to 5 s in all; what still fails
  // then is counted as dropped, and so is everything after it), then stops the thread. add() after
  // stop() is not allowed.
  void stop();
  ~StoreWriter();  // stop()
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Any thread; never waits for the database. False: the queue is full, the event is lost.
  bool add(EventRecord e);
  // Replaces the agent's (queue's) state still waiting, if any: bounded by their number.
  void add(AgentStateRecord a);
  void add(QueueStateRecord q);
  // New statistics settings of the queues (a configuration change), for the events added after.
  void setQueueParams(std::map<std::string, QueueParams> params);

  // Waits until everything added before the call is committed; false if `timeout` passed first.
  bool flush(std::chrono::milliseconds timeout);
  Counters counters() const;

 private:
  using Clock = std::chrono::steady_clock;
  void run();
  // Under the mutex: `put` adds to pending_ (false: refused); then the thread is woken if idle.
  template <typename F>
  bool enqueue(F&& put);
  bool appendWithRetry(Batch& batch);

  std::unique_ptr<Store> store_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable committed_;
  Batch pending_;
  std::unordered_map<std::string, std::size_t> pendingAgents_;  // name -> index in pending_.agents
  std::unordered_map<std::string, std::size_t> pendingQueues_;
  Clock::time_point pendingSince_;
  std::uint64_t added_ = 0;    // records handed over so far
  std::uint64_t durable_ = 0;  // of which committed
  bool idle_ = false;          // the thread waits for work: add() wakes it
  bool stopping_ = false;
  Clock::time_point stopDeadline_;  // stopping: failing appends are retried until then
  bool gaveUp_ = false;             // store thread only: a batch was dropped at stop
  Counters counters_;
  std::thread thread_;
};

}  // namespace callq::store
