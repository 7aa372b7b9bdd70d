// The server's side of the store: at start, the configuration (seeded into an empty database
// from the file, read from the database afterwards), the agents' state restored into the engine,
// calls left open by a crash closed with SERVERRESTART; while running, every event and every
// change of durable agent state handed to the store thread.
#pragma once

#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config_writer.h"
#include "config/server_config.h"
#include "core/engine.h"
#include "core/event.h"
#include "store/store.h"
#include "store/writer.h"

namespace callq::app {

// The database a command that reads it uses: --store if given, else --config's [store] url, else
// the default; opened with Store::Mode::kExisting (a mistyped path must not create an empty
// database and report nothing).
Result<std::unique_ptr<store::Store>> openExistingStore(const std::string& storeUrl,
                                                        const std::string& configPath);

// The configuration's entries as the store keeps them, and back.
std::vector<store::ConfigEntry> toStoreEntries(const config::ServerConfig& config);
std::vector<config::ConfigEntryText> fromStoreEntries(
    const std::vector<store::ConfigEntry>& stored);

class Persistence {
 public:
  // Opens the store at `url`. If its configuration is empty, `config` (from the file) seeds it;
  // otherwise the database's queues, agents, reasons and music replace the file's in `config`
  // ([sip] and [store] always come from the file). `notes` gets one line on which it was.
  static Result<std::unique_ptr<Persistence>> open(const std::string& url,
                                                   config::ServerConfig& config, std::string* note);
  ~Persistence();  // commits what is queued, then stops the store thread

  // Also append every committed event to `path`, one JSON object per line
  // (store::appendJsonLine), from the store thread. Before restore().
  Result<void> copyEventsTo(const std::string& path);
  // Also hands each committed batch to `f`, on the store thread (the API's live stream). Before
  // restore().
  void onCommitted(std::function<void(const std::vector<store::EventRecord>&)> f) {
    onCommitted_ = std::move(f);
  }

  // Before the first input: the agents' durable state and round-robin positions back into the
  // engine, and a SERVERRESTART for every visit the store still has open. Returns the last call
  // id used (calls go on from there) and, in `notes`, what was restored. Then starts the store
  // thread.
  Result<std::uint64_t> restore(core::Engine& engine, Time now, std::vector<std::string>* notes);

  // Signalling thread: the event, and the agent's / queue's durable state it changed.
  void onEvent(const core::Event& e, const core::Engine& engine);

  // Signalling thread, when the configuration changed: the statistics count the events handed
  // over from now on with the queues' new service level and wrap-up.
  void setQueueParams(const core::Config& config);

  std::string describe() const { return description_; }
  // After the last event: writes what is queued (retrying a failing database for up to 5 s),
  // stops the store thread and returns its final counts.
  store::StoreWriter::Counters stop() {
    writer_->stop();
    return writer_->counters();
  }

 private:
  explicit Persistence(std::unique_ptr<store::Store> store);
  void copyEvents(const std::vector<store::EventRecord>& events);  // to --events, if asked

  std::unique_ptr<store::Store> store_;  // until restore() hands it to the writer
  std::function<void(const std::vector<store::EventRecord>&)> onCommitted_;
  std::unique_ptr<store::StoreWriter> writer_;
  std::string description_;
  std::ofstream eventsCopy_;  // written on the store thread only
  std::string eventsCopyPath_;
  std::uint64_t dropped_ = 0;  // events the full queue refused, reported once per burst
};

}  // namespace callq::app
