#include "app/persistence.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "config/config_writer.h"
#include "store/convert.h"
#include "store/report_format.h"

namespace callq::app {
std::vector<store::ConfigEntry> toStoreEntries(const config::ServerConfig& config) {
  std::vector<store::ConfigEntry> out;
  for (config::ConfigEntryText& e : config::toEntries(config)) {
    out.push_back(
        store::ConfigEntry{std::move(e.kind), std::move(e.name), e.position, std::move(e.body)});
  }
  return out;
}

std::vector<config::ConfigEntryText> fromStoreEntries(
    const std::vector<store::ConfigEntry>& stored) {
  std::vector<config::ConfigEntryText> out;
  for (const store::ConfigEntry& e : stored) {
    out.push_back(config::ConfigEntryText{e.kind, e.name, e.position, e.body});
  }
  return out;
}

namespace {

// The database is the truth once seeded: an empty one takes the file's configuration; otherwise
// the stored queues, agents, reasons and music replace the file's.
Result<void> useStoredConfig(store::Store& store, config::ServerConfig& config, std::string* note) {
  Result<std::vector<store::ConfigEntry>> stored = store.configEntries();
  if (!stored) {
    return tl::unexpected(stored.error());
  }
  // Music paths are kept absolute: the server may start from another directory next time.
  for (auto& [name, path] : config.music) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (!ec) {
      path = absolute.lexically_normal().string();
    }
  }
  const std::vector<store::ConfigEntry> fromFile = toStoreEntries(config);
  if (stored->empty()) {
    // Once seeded the file no longer counts: what could still fail at start must not be stored.
    for (const auto& [name, path] : config.music) {
      if (!std::filesystem::is_regular_file(path)) {
        return makeError(ErrorCode::kInvalidArgument,
                         "music '" + name + "': no such file: " + path +
                             " (nothing was stored; fix the file and start again)");
      }
    }
    if (Result<void> ok = store.replaceConfig(fromFile); !ok) {
      return ok;
    }
    *note = "configuration: the file seeded the empty database";
    return {};
  }
  // A database seeded before console accounts existed takes the file's managers.
  const bool storedManagers = std::any_of(stored->begin(), stored->end(),
                                          [](const auto& e) { return e.kind == "manager"; });
  if (!storedManagers && !config.managers.empty()) {
    for (const store::ConfigEntry& e : fromFile) {
      if (e.kind == "manager") {
        stored->push_back(e);
      }
    }
    if (Result<void> ok = store.replaceConfig(*stored); !ok) {
      return ok;
    }
  }
  const std::string where = store.describe() + " (configuration)";
  Result<config::ServerConfig> parsed =
      config::parseServerConfig(config::entriesToToml(fromStoreEntries(*stored)), where, "");
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  config.engine = std::move(parsed->engine);
  config.agentPasswords = std::move(parsed->agentPasswords);
  config.music = std::move(parsed->music);
  config.managers = std::move(parsed->managers);
  *note = toStoreEntries(config) == fromFile
              ? "configuration: from the database (the same as the file's)"
              : "configuration: from the database, which differs from the file's queues, "
                "agents or reasons: the database wins (see `callq export-config`)";
  return {};
}

}  // namespace

Result<std::unique_ptr<store::Store>> openExistingStore(const std::string& storeUrl,
                                                        const std::string& configPath) {
  std::string url = storeUrl;
  if (url.empty() && !configPath.empty()) {
    Result<config::ServerConfig> cfg = config::loadServerConfigFile(configPath);
    if (!cfg) {
      return tl::unexpected(cfg.error());
    }
    url = cfg->store.url;
  }
  return store::Store::open(url.empty() ? config::StoreSettings{}.url : url,
                            store::Store::Mode::kExisting);
}

Persistence::Persistence(std::unique_ptr<store::Store> store)
    : store_(std::move(store)), description_(store_->describe()) {}

Persistence::~Persistence() = default;

Result<std::unique_ptr<Persistence>> Persistence::open(const std::string& url,
                                                       config::ServerConfig& config,
                                                       std::string* note) {
  Result<std::unique_ptr<store::Store>> opened = store::Store::open(url);
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  std::unique_ptr<Persistence> p(new Persistence(std::move(*opened)));
  if (Result<void> ok = useStoredConfig(*p->store_, config, note); !ok) {
    return tl::unexpected(ok.error());
  }
  p->store_->setQueueParams(store::queueParams(config.engine));
  return p;
}

Result<void> Persistence::copyEventsTo(const std::string& path) {
  eventsCopy_.open(path, std::ios::binary | std::ios::app);
  if (!eventsCopy_) {
    return makeError(ErrorCode::kIo, path + ": cannot open the events file for appending");
  }
  eventsCopyPath_ = path;
  return {};
}

void Persistence::copyEvents(const std::vector<store::EventRecord>& events) {
  if (!eventsCopy_.is_open() || events.empty()) {
    return;
  }
  std::string text;
  for (const store::EventRecord& e : events) {
    store::appendJsonLine(text, e);
  }
  if (!eventsCopy_.write(text.data(), static_cast<std::streamsize>(text.size())).flush()) {
    spdlog::error("{}: cannot write the events", eventsCopyPath_);
  }
}

Result<std::uint64_t> Persistence::restore(core::Engine& engine, Time now,
                                           std::vector<std::string>* notes) {
  Result<std::vector<store::AgentStateRecord>> agents = store_->agentStates();
  if (!agents) {
    return tl::unexpected(agents.error());
  }
  std::size_t restored = 0;
  for (const store::AgentStateRecord& r : *agents) {
    Result<core::AgentDurable> d = store::fromRecord(r, engine);
    Result<void> ok = d ? engine.restore(now, *d) : tl::unexpected(d.error());
    if (!ok) {
      notes->push_back("agent state not restored: " + ok.error().message);
      continue;
    }
    ++restored;
  }
  Result<std::vector<store::QueueStateRecord>> queues = store_->queueStates();
  if (!queues) {
    return tl::unexpected(queues.error());
  }
  for (const store::QueueStateRecord& q : *queues) {
    if (const std::optional<QueueId> id = engine.findQueue(q.queue)) {
      (void)engine.restoreRoundRobin(*id, q.roundRobin);
    }
  }
  notes->push_back(fmt::format("restored the state of {} agent(s)", restored));

  // Visits a crash left open: closed now, so that every ENTERQUEUE has its ending.
  Result<std::vector<store::OpenCall>> open = store_->openCalls();
  if (!open) {
    return tl::unexpected(open.error());
  }
  store::Batch closing;
  for (const store::OpenCall& c : *open) {
    store::EventRecord e;
    e.timeMs = toMillis(now);
    e.type = core::eventName(core::EventType::kServerRestart);
    e.call = c.call;
    e.queue = c.queue;
    e.agent = c.agent;
    e.originalPosition = c.originalPosition;
    const bool connected = !c.agent.empty();
    e.waitMs = (connected ? c.connectedMs : e.timeMs) - c.enteredMs;
    e.reason = connected ? "callq restarted while the caller was connected to " + c.agent
                         : "callq restarted while the caller was waiting";
    closing.events.push_back(std::move(e));
  }
  if (Result<void> ok = store_->append(closing); !ok) {
    return tl::unexpected(ok.error());
  }
  copyEvents(closing.events);
  if (!closing.events.empty()) {
    notes->push_back(fmt::format("closed {} call(s) left open when callq stopped (SERVERRESTART)",
                                 closing.events.size()));
  }
  Result<std::uint64_t> last = store_->lastCallId();
  if (!last) {
    return tl::unexpected(last.error());
  }
  store::StoreWriter::Options options;
  options.onError = [](const std::string& message) {
    spdlog::error("store: {} (retrying; events wait in memory)", message);
  };
  options.onCommitted = [this](const std::vector<store::EventRecord>& events) {
    copyEvents(events);
    if (onCommitted_) {
      onCommitted_(events);
    }
  };
  writer_ = std::make_unique<store::StoreWriter>(std::move(store_), std::move(options));
  return *last;
}

void Persistence::setQueueParams(const core::Config& config) {
  writer_->setQueueParams(store::queueParams(config));
}

void Persistence::onEvent(const core::Event& e, const core::Engine& engine) {
  const core::Config& config = engine.config();
  if (!writer_->add(store::toRecord(e, config))) {
    // Loud, but not once per event: at the first loss and every 1,000th after it.
    if (dropped_++ % 1000 == 0) {
      spdlog::error("store: the queue to {} is full: {} event(s) lost so far", description_,
                    dropped_);
    }
  }
  if (e.agent.valid() && core::changesDurableState(e.type)) {
    writer_->add(store::toRecord(engine.durableState(e.agent), config));
  }
  using T = core::EventType;
  if (e.queue.valid() &&
      (e.type == T::kConnect || e.type == T::kRingNoAnswer || e.type == T::kRingCanceled) &&
      config.queues[e.queue.value()].strategy == core::Strategy::kRoundRobin) {
    writer_->add(store::QueueStateRecord{config.queues[e.queue.value()].name,
                                         engine.roundRobinPosition(e.queue)});
  }
}

}  // namespace callq::app
