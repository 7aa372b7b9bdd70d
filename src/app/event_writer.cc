#include "app/event_writer.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <utility>

#include "sim/report.h"

namespace callq::app {

Result<std::unique_ptr<EventWriter>> EventWriter::open(const std::string& path,
                                                       const core::Config& config) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  if (!out) {
    return makeError(ErrorCode::kIo, path + ": cannot write the event log");
  }
  return std::unique_ptr<EventWriter>(new EventWriter(std::move(out), config));
}

EventWriter::EventWriter(std::ofstream out, const core::Config& config)
    : out_(std::move(out)), config_(config), thread_([this] { run(); }) {}

EventWriter::~EventWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void EventWriter::append(const core::Event& e) {
  {
    std::lock_guard lock(mutex_);
    queued_.push_back(e);
  }
  wake_.notify_one();
}

void EventWriter::run() {
  std::vector<core::Event> batch;
  std::string text;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
      if (queued_.empty()) {
        return;  // stopping, and everything is written
      }
      batch.swap(queued_);
    }
    text.clear();
    for (const core::Event& e : batch) {
      text += sim::formatEventLine(e, config_);
      text += '\n';
    }
    batch.clear();
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    out_.flush();  // one flush per batch
    if (!out_) {
      spdlog::error("event log: write failed; events are being lost");
    }
  }
}

}  // namespace callq::app
