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
    stopDeadline_ = Clock::now() + std::chrono::seconds(5);
  }
  wake_.notify_one();
  thread_.join();
}

template <typename F>
bool StoreWriter::enqueue(F&& put) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    const bool wasEmpty = pending_.empty();
    if (!put()) {
      return false;
    }
    if (wasEmpty) {
      pendingSince_ = Clock::now();
    }
    ++added_;
    wake = std::exchange(idle_, false);
  }
  if (wake) {
    wake_.notify_one();
  }
  return true;
}

bool StoreWriter::add(EventRecord e) {
  return enqueue([&] {
    if (pending_.events.size() >= options_.capacity) {
      ++counters_.dropped;
      return false;
    }
    pending_.events.push_back(std::move(e));
    return true;
  });
}

// State records replace the pending one of the same agent or queue: only the latest is written,
// and what waits is bounded by the number of agents and queues whatever the database does.
void StoreWriter::add(AgentStateRecord a) {
  enqueue([&] {
    auto [it, added] = pendingAgents_.try_emplace(a.agent, pending_.agents.size());
    if (added) {
      pending_.agents.push_back(std::move(a));
    } else {
      pending_.agents[it->second] = std::move(a);
    }
    return true;
  });
}

void StoreWriter::add(QueueStateRecord q) {
  enqueue([&] {
    auto [it, added] = pendingQueues_.try_emplace(q.queue, pending_.queues.size());
    if (added) {
      pending_.queues.push_back(std::move(q));
    } else {
      pending_.queues[it->second] = std::move(q);
    }
    return true;
  });
}

void StoreWriter::setQueueParams(std::map<std::string, QueueParams> params) {
  enqueue([&] {
    // Two changes in one batch: the events after the first get the second's settings.
    if (!pending_.queueParams) {
      pending_.queueParamsAt = pending_.events.size();
    }
    pending_.queueParams = std::move(params);
    return true;
  });
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
  for (;;) {
    Result<void> ok = store_->append(batch);
    if (ok) {
      return true;
    }
    bool stopping = false;
    Clock::time_point deadline;
    {
      std::lock_guard lock(mutex_);
      ++counters_.failures;
      stopping = stopping_;
      deadline = stopDeadline_;
    }
    if (options_.onError) {
      options_.onError(ok.error().message);
    }
    // 5 s from stop() for everything still queued, not 5 s per batch.
    if (stopping && Clock::now() >= deadline) {
      return false;
    }
    std::unique_lock lock(mutex_);
    // Sleeps, but a stop request cuts the wait short so that shutdown gets its last tries.
    const auto sleep = stopping ? std::min<Clock::duration>(backoff, deadline - Clock::now())
                                : Clock::duration(backoff);
    wake_.wait_for(lock, sleep, [this, stopping] { return stopping_ && !stopping; });
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
      pendingAgents_.clear();
      pendingQueues_.clear();
      target = added_;
      since = pendingSince_;
    }
    // After a batch is given up, nothing later is written: a gap (CONNECTs without their
    // ENTERQUEUE) would be worse than losing the tail.
    const bool ok = !gaveUp_ && appendWithRetry(writing);
    gaveUp_ = !ok;
    if (ok && options_.onCommitted && !writing.events.empty()) {
      options_.onCommitted(writing.events);
    }
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
