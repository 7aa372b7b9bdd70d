// The store: every event, the agents' durable state, the calls still open, statistics and the
// configuration, in SQLite (the default, a file) or PostgreSQL (a server), behind one interface.
//
// Opening applies the schema migrations the database lacks (each in a transaction, recorded in
// schema_version). A Store is one connection: use it from one thread at a time (the server's store
// thread writes through its own; readers open another).
//
// URLs: "sqlite:PATH" or a bare PATH (a file, created with its folder if missing) for SQLite;
// "postgresql://user@host:port/db" (or "postgres://...") for PostgreSQL.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/stats.h"

namespace callq::store {

class Store {
 public:
  // kCreate (the server) makes a missing SQLite file and its folder, and creates or upgrades the
  // schema. kExisting (reports) refuses a database that is not there or not at this callq's
  // schema version, rather than report on an empty one or upgrade one a server is writing.
  enum class Mode { kCreate, kExisting };
  static Result<std::unique_ptr<Store>> open(const std::string& url, Mode mode = Mode::kCreate);
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  virtual std::string describe() const = 0;  // for logs: the file, or host/db without password

  // Thresholds and wrap-up per queue for the statistics of events appended from now on.
  void setQueueParams(std::map<std::string, QueueParams> params);

  // Appends in one transaction: the events (their ids filled in, ascending), the statistics and
  // open calls they imply, and the agents' and queues' state (replacing what was stored). On
  // error nothing was written and the batch may be appended again.
  Result<void> append(Batch& batch);

  Result<EventPage> events(const EventFilter& filter);
  Result<std::vector<AgentStateRecord>> agentStates();
  Result<std::vector<QueueStateRecord>> queueStates();
  Result<std::vector<OpenCall>> openCalls();
  // The highest call number in the events (0 if none): a restarted server numbers calls after it,
  // so that a call id names one call for good.
  Result<std::uint64_t> lastCallId();

  Result<std::vector<QueueStatsRow>> queueStats(const StatsQuery& query);
  Result<std::vector<AgentStatsRow>> agentStats(const StatsQuery& query);

  // The configuration (empty until seeded), and replacing all of it in one transaction.
  Result<std::vector<ConfigEntry>> configEntries();
  Result<void> replaceConfig(const std::vector<ConfigEntry>& entries);

 protected:
  Store() = default;
  // Loads the open spans into the tracker (after opening).
  Result<void> loadSpans();

  // --- What each database implements (one connection, called from one thread) ---
  // In one transaction: insert events (setting ids), add `delta` to the stored statistics and
  // apply its span changes, keep open_calls in step with the events, replace agent/queue state.
  virtual Result<void> write(Batch& batch, const StatsDelta& delta) = 0;
  virtual Result<EventPage> readEvents(const EventFilter& filter) = 0;
  virtual Result<std::vector<AgentStateRecord>> readAgentStates() = 0;
  virtual Result<std::vector<QueueStateRecord>> readQueueStates() = 0;
  virtual Result<std::vector<OpenCall>> readOpenCalls() = 0;
  virtual Result<std::uint64_t> readLastCallId() = 0;
  virtual Result<std::vector<Span>> readSpans() = 0;
  // Adds the buckets with fromMs <= bucket < toMs, of one queue / agent or all, into `into`.
  virtual Result<void> readQueueBuckets(std::int64_t fromMs, std::int64_t toMs,
                                        const std::optional<std::string>& queue,
                                        Grouping<QueueFigures>& into) = 0;
  virtual Result<void> readAgentBuckets(std::int64_t fromMs, std::int64_t toMs,
                                        const std::optional<std::string>& agent,
                                        Grouping<AgentFigures>& into) = 0;
  virtual Result<std::vector<ConfigEntry>> readConfig() = 0;
  virtual Result<void> writeConfig(const std::vector<ConfigEntry>& entries) = 0;

 private:
  StatsTracker tracker_;
  StatsDelta delta_;
};

// The SQL of both databases, for their implementations.
namespace internal {
Result<std::unique_ptr<Store>> openSqlite(const std::string& path, bool create);
Result<std::unique_ptr<Store>> openPostgres(const std::string& url, bool create);
// Open calls follow the events: ENTERQUEUE opens one, CONNECT sets its agent, an ending closes it.
enum class OpenCallChange { kNone, kOpen, kConnect, kClose };
OpenCallChange openCallChange(std::string_view type);
}  // namespace internal

}  // namespace callq::store
