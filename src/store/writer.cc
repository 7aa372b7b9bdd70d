#include "store/writer.h"

#include <algorithm>

namespace callq::store {

StoreWriter::StoreWriter(std::unique_ptr<Store> store, Options options)
    : store_(std::move(store)), options_(std::move(options)), thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() { stop(); }

void StoreWriter::stop() {
  if (!thread_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreWriter::noteAdded() {
  if (pending_.empty()) {
    pendingSince_ = Clock::now();
  }
  ++added_;
}

bool StoreWriter::add(EventRecord e) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (pending_.events.size() >= options_.capacity) {
      ++counters_.dropped;
      return false;
    }
    noteAdded();
    pending_.events.push_back(std::move(e));
    wake = std::exchange(idle_, false);
  }
  if (wake) {
    wake_.notify_one();
  }
  return true;
}

void StoreWriter::add(AgentStateRecord a) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    noteAdded();
    pending_.agents.push_back(std::move(a));
    wake = std::exchange(idle_, false);
  }
  if (wake) {
    wake_.notify_one();
  }
}

void StoreWriter::add(QueueStateRecord q) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    noteAdded();
    pending_.queues.push_back(std::move(q));
    wake = std::exchange(idle_, false);
  }
  if (wake) {
    wake_.notify_one();
  }
}

bool StoreWriter::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = added_;
  return committed_.wait_for(lock, timeout, [&] { return durable_ >= target; });
}

StoreWriter::Counters StoreWriter::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

bool StoreWriter::appendWithRetry(Batch& batch) {
  auto backoff = std::chrono::milliseconds(50);
  const auto giveUpAt = Clock::now() + std::chrono::seconds(5);
  for (;;) {
    Result<void> ok = store_->append(batch);
    if (ok) {
      return true;
    }
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      ++counters_.failures;
      stopping = stopping_;
    }
    if (options_.onError) {
      options_.onError(ok.error().message);
    }
    if (stopping && Clock::now() >= giveUpAt) {
      return false;
    }
    std::unique_lock lock(mutex_);
    // Sleeps, but a stop request cuts the wait short so that shutdown gets its last tries.
    wake_.wait_for(lock, backoff, [this, stopping] { return stopping_ && !stopping; });
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void StoreWriter::run() {
  Batch writing;
  for (;;) {
    std::uint64_t target = 0;
    Clock::time_point since;
    {
      std::unique_lock lock(mutex_);
      idle_ = true;
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      idle_ = false;
      if (pending_.empty()) {
        return;  // stopping, and everything is written
      }
      std::swap(writing, pending_);
      target = added_;
      since = pendingSince_;
    }
    const bool ok = appendWithRetry(writing);
    const auto lag = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
    {
      std::lock_guard lock(mutex_);
      if (ok) {
        counters_.committed += writing.events.size();
        ++counters_.batches;
        counters_.maxLagMs = std::max<std::int64_t>(counters_.maxLagMs, lag.count());
      } else {
        counters_.dropped += writing.events.size();
      }
      durable_ = target;
    }
    committed_.notify_all();
    writing.clear();
  }
}

}  // namespace callq::store
