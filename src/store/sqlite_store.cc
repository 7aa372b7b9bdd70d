// The SQLite store: one file in WAL mode (readers never wait for the writer), synchronous=NORMAL:
// a committed transaction survives the process being killed; after a power cut the last few
// commits may be lost (README, "What is kept"). The writer checkpoints the WAL into the file every
// 64 MB (16384 pages; SQLite's default of 4 MB halved the append rate), and the WAL file is cut
// back to 64 MB when it starts over.
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include "store/schema.h"
#include "store/store.h"

namespace callq::store::internal {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, const char* sql, std::string* error) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
      *error = std::string(sqlite3_errmsg(db)) + " in: " + sql;
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(Statement&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)) {}
  Statement& operator=(Statement&& o) noexcept {
    std::swap(stmt_, o.stmt_);
    return *this;
  }

  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  // Valid until the next step or reset.
  std::string_view textView(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string_view(reinterpret_cast<const char*>(p),
                                static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  std::string text(int col) const { return std::string(textView(col)); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> open(const std::string& path, bool create);
  ~SqliteStore() override {
    statements_.clear();
    sqlite3_close_v2(db_);
  }

  std::string describe() const override { return "SQLite " + path_; }

 protected:
  Result<void> write(Batch& batch, const StatsDelta& delta) override;
  Result<EventPage> readEvents(const EventFilter& filter) override;
  Result<std::vector<AgentStateRecord>> readAgentStates() override;
  Result<std::vector<QueueStateRecord>> readQueueStates() override;
  Result<std::vector<OpenCall>> readOpenCalls() override;
  Result<std::uint64_t> readLastCallId() override;
  Result<std::vector<Span>> readSpans() override;
  Result<void> readQueueBuckets(std::int64_t fromMs, std::int64_t toMs,
                                const std::optional<std::string>& queue,
                                Grouping<QueueFigures>& into) override;
  Result<void> readAgentBuckets(std::int64_t fromMs, std::int64_t toMs,
                                const std::optional<std::string>& agent,
                                Grouping<AgentFigures>& into) override;
  Result<std::vector<ConfigEntry>> readConfig() override;
  Result<void> writeConfig(const std::vector<ConfigEntry>& entries) override;

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Result<void> exec(const std::string& sql);
  Result<void> migrate(bool create);  // create: upgrade an older schema
  // A prepared statement kept for the connection's life.
  Result<Statement*> statement(const char* sql);
  Error error(const std::string& what) const {
    return Error{ErrorCode::kIo, path_ + ": " + what + ": " + sqlite3_errmsg(db_)};
  }
  Result<void> writeInTransaction(Batch& batch, const StatsDelta& delta);

  sqlite3* db_;
  std::string path_;
  std::map<const char*, Statement> statements_;
};

Result<std::unique_ptr<Store>> SqliteStore::open(const std::string& path, bool create) {
  const std::filesystem::path file(path);
  std::error_code ec;
  if (!create && !std::filesystem::is_regular_file(file, ec)) {
    return makeError(ErrorCode::kNotFound, "no database at " + path +
                                               " (callq serve creates it; give another with "
                                               "--store or --config)");
  }
  if (create && file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return makeError(ErrorCode::kIo, path + ": cannot create its folder: " + ec.message());
    }
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return makeError(ErrorCode::kIo, path + ": " + message);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_busy_timeout(db, 5000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=OFF",
        "PRAGMA cache_size=-65536", "PRAGMA wal_autocheckpoint=16384",
        "PRAGMA journal_size_limit=67108864"}) {
    if (Result<void> ok = store->exec(pragma); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (Result<void> ok = store->migrate(create); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::unique_ptr<Store>(std::move(store));
}

Result<void> SqliteStore::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return makeError(ErrorCode::kIo, path_ + ": " + text);
  }
  return {};
}

Result<Statement*> SqliteStore::statement(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string message;
    Statement s(db_, sql, &message);
    if (!message.empty()) {
      return makeError(ErrorCode::kInternal, path_ + ": " + message);
    }
    it = statements_.emplace(sql, std::move(s)).first;
  }
  it->second.reset();
  return &it->second;
}

Result<void> SqliteStore::migrate(bool create) {
  if (Result<void> ok = exec("BEGIN IMMEDIATE"); !ok) {
    return ok;
  }
  auto fail = [this](Error e) -> Result<void> {
    (void)exec("ROLLBACK");
    return tl::unexpected(std::move(e));
  };
  if (Result<void> ok = exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT "
                             "NULL, applied_ms INTEGER NOT NULL)");
      !ok) {
    return fail(ok.error());
  }
  std::int64_t version = 0;
  {
    std::string message;
    Statement s(db_, "SELECT coalesce(max(version), 0) FROM schema_version", &message);
    if (!message.empty() || s.step() != SQLITE_ROW) {
      return fail(error("reading schema_version"));
    }
    version = s.integer(0);
  }
  if (Result<void> ok = checkSchemaVersion(version, Dialect::kSqlite, create, path_); !ok) {
    return fail(ok.error());
  }
  const std::vector<Migration>& migrations = schemaMigrations(Dialect::kSqlite);
  for (std::size_t v = static_cast<std::size_t>(version); v < migrations.size(); ++v) {
    if (Result<void> ok = exec(migrations[v].sql); !ok) {
      return fail(Error{ok.error().code, ok.error().message + " (migration " +
                                             std::to_string(v + 1) + ": " + migrations[v].what +
                                             ")"});
    }
    if (Result<void> ok = exec("INSERT INTO schema_version VALUES (" + std::to_string(v + 1) +
                               ", CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))");
        !ok) {
      return fail(ok.error());
    }
  }
  return exec("COMMIT");
}

Result<void> SqliteStore::write(Batch& batch, const StatsDelta& delta) {
  if (Result<void> ok = exec("BEGIN IMMEDIATE"); !ok) {
    return ok;
  }
  Result<void> ok = writeInTransaction(batch, delta);
  if (ok) {
    ok = exec("COMMIT");
  }
  if (!ok) {
    (void)exec("ROLLBACK");
    for (EventRecord& e : batch.events) {
      e.id = 0;
    }
  }
  return ok;
}

#define CALLQ_STMT(var, sql)               \
  auto var##_ = statement(sql);            \
  if (!var##_) {                           \
    return tl::unexpected(var##_.error()); \
  }                                        \
  Statement& var = **var##_

Result<void> SqliteStore::writeInTransaction(Batch& batch, const StatsDelta& delta) {
  CALLQ_STMT(insertEvent,
             "INSERT INTO events (time_ms, type, call_id, queue, agent, position, "
             "original_position, wait_ms, talk_ms, ring_ms, exit_key, reason) VALUES "
             "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  CALLQ_STMT(openCall,
             "INSERT OR REPLACE INTO open_calls (call_id, queue, entered_ms, original_position) "
             "VALUES (?1, ?2, ?3, ?4)");
  CALLQ_STMT(connectCall,
             "UPDATE open_calls SET agent = ?3, connected_ms = ?4, original_position = ?5 "
             "WHERE call_id = ?1 AND queue = ?2");
  CALLQ_STMT(closeCall, "DELETE FROM open_calls WHERE call_id = ?1 AND queue = ?2");
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> slots;  // slot -> time range
  for (EventRecord& e : batch.events) {
    Statement& s = insertEvent;
    s.reset();
    s.bind(1, e.timeMs).bind(2, e.type);
    if (e.call != 0) {
      s.bind(3, static_cast<std::int64_t>(e.call));
    }
    if (!e.queue.empty()) {
      s.bind(4, e.queue);
    }
    if (!e.agent.empty()) {
      s.bind(5, e.agent);
    }
    s.bind(6, e.position).bind(7, e.originalPosition).bind(8, e.waitMs).bind(9, e.talkMs);
    s.bind(10, e.ringMs).bind(11, e.key).bind(12, e.reason);
    if (s.step() != SQLITE_DONE) {
      return tl::unexpected(error("inserting an event"));
    }
    e.id = sqlite3_last_insert_rowid(db_);
    auto [slot, added] = slots.try_emplace(e.id / kSqliteEventSlot, e.timeMs, e.timeMs);
    slot->second.first = std::min(slot->second.first, e.timeMs);
    slot->second.second = std::max(slot->second.second, e.timeMs);
    if (e.call == 0 || e.queue.empty()) {
      continue;
    }
    Statement* change = nullptr;
    switch (openCallChange(e.type)) {
      case OpenCallChange::kNone:
        continue;
      case OpenCallChange::kOpen:
        change = &openCall;
        change->reset();
        change->bind(3, e.timeMs).bind(4, e.position);
        break;
      case OpenCallChange::kConnect:
        change = &connectCall;
        change->reset();
        change->bind(3, e.agent).bind(4, e.timeMs).bind(5, e.originalPosition);
        break;
      case OpenCallChange::kClose:
        change = &closeCall;
        change->reset();
        break;
    }
    change->bind(1, static_cast<std::int64_t>(e.call)).bind(2, e.queue);
    if (change->step() != SQLITE_DONE) {
      return tl::unexpected(error("keeping open_calls"));
    }
  }

  CALLQ_STMT(slotTimes,
             "INSERT INTO event_slots (slot, min_time_ms, max_time_ms) VALUES (?1, ?2, ?3) "
             "ON CONFLICT (slot) DO UPDATE SET min_time_ms = min(min_time_ms, "
             "excluded.min_time_ms), max_time_ms = max(max_time_ms, excluded.max_time_ms)");
  for (const auto& [slot, times] : slots) {
    slotTimes.reset();
    slotTimes.bind(1, slot).bind(2, times.first).bind(3, times.second);
    if (slotTimes.step() != SQLITE_DONE) {
      return tl::unexpected(error("keeping event_slots"));
    }
  }

  CALLQ_STMT(queueStat,
             "INSERT INTO stats_queue (queue, bucket_ms, offered, refused, answered, "
             "answered_in_sl, abandoned, abandoned_in_sl, exited, handled, answered_wait_ms, "
             "handle_ms, longest_wait_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
             "?12, ?13) ON CONFLICT (bucket_ms, queue) DO UPDATE SET "
             "offered = offered + excluded.offered, refused = refused + excluded.refused, "
             "answered = answered + excluded.answered, "
             "answered_in_sl = answered_in_sl + excluded.answered_in_sl, "
             "abandoned = abandoned + excluded.abandoned, "
             "abandoned_in_sl = abandoned_in_sl + excluded.abandoned_in_sl, "
             "exited = exited + excluded.exited, handled = handled + excluded.handled, "
             "answered_wait_ms = answered_wait_ms + excluded.answered_wait_ms, "
             "handle_ms = handle_ms + excluded.handle_ms, "
             "longest_wait_ms = max(longest_wait_ms, excluded.longest_wait_ms)");
  for (const auto& [key, f] : delta.queues) {
    Statement& s = queueStat;
    s.reset();
    s.bind(1, key.first).bind(2, key.second);
    s.bind(3, static_cast<std::int64_t>(f.offered)).bind(4, static_cast<std::int64_t>(f.refused));
    s.bind(5, static_cast<std::int64_t>(f.answered));
    s.bind(6, static_cast<std::int64_t>(f.answeredWithinSl));
    s.bind(7, static_cast<std::int64_t>(f.abandoned));
    s.bind(8, static_cast<std::int64_t>(f.abandonedWithinSl));
    s.bind(9, static_cast<std::int64_t>(f.exited)).bind(10, static_cast<std::int64_t>(f.handled));
    s.bind(11, f.answeredWaitMs).bind(12, f.handleMs).bind(13, f.longestWaitMs);
    if (s.step() != SQLITE_DONE) {
      return tl::unexpected(error("adding queue statistics"));
    }
  }
  CALLQ_STMT(agentStat,
             "INSERT INTO stats_agent (agent, bucket_ms, answered, handled, no_answers, talk_ms, "
             "handle_ms, logged_in_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
             "ON CONFLICT (bucket_ms, agent) DO UPDATE SET "
             "answered = answered + excluded.answered, handled = handled + excluded.handled, "
             "no_answers = no_answers + excluded.no_answers, "
             "talk_ms = talk_ms + excluded.talk_ms, handle_ms = handle_ms + excluded.handle_ms, "
             "logged_in_ms = logged_in_ms + excluded.logged_in_ms");
  CALLQ_STMT(withdrawnStat,
             "INSERT INTO stats_withdrawn (agent, reason, bucket_ms, ms) VALUES (?1, ?2, ?3, ?4) "
             "ON CONFLICT (bucket_ms, agent, reason) DO UPDATE SET ms = ms + excluded.ms");
  for (const auto& [key, f] : delta.agents) {
    Statement& s = agentStat;
    s.reset();
    s.bind(1, key.first).bind(2, key.second);
    s.bind(3, static_cast<std::int64_t>(f.answered)).bind(4, static_cast<std::int64_t>(f.handled));
    s.bind(5, static_cast<std::int64_t>(f.noAnswers)).bind(6, f.talkMs).bind(7, f.handleMs);
    s.bind(8, f.loggedInMs);
    if (s.step() != SQLITE_DONE) {
      return tl::unexpected(error("adding agent statistics"));
    }
    for (const auto& [reason, ms] : f.withdrawnMs) {
      Statement& w = withdrawnStat;
      w.reset();
      w.bind(1, key.first).bind(2, reason).bind(3, key.second).bind(4, ms);
      if (w.step() != SQLITE_DONE) {
        return tl::unexpected(error("adding withdrawn time"));
      }
    }
  }
  CALLQ_STMT(openSpan,
             "INSERT OR REPLACE INTO spans (agent, kind, reason, since_ms) VALUES "
             "(?1, ?2, ?3, ?4)");
  CALLQ_STMT(closeSpan, "DELETE FROM spans WHERE agent = ?1 AND kind = ?2");
  for (const auto& [key, span] : delta.spans) {
    Statement& s = span ? openSpan : closeSpan;
    s.reset();
    s.bind(1, key.first).bind(2, key.second);
    if (span) {
      s.bind(3, span->reason).bind(4, span->sinceMs);
    }
    if (s.step() != SQLITE_DONE) {
      return tl::unexpected(error("keeping spans"));
    }
  }

  CALLQ_STMT(agentState,
             "INSERT OR REPLACE INTO agent_state (agent, presence, reason, since_ms, "
             "last_call_end_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
  CALLQ_STMT(clearMembers, "DELETE FROM member_state WHERE agent = ?1");
  CALLQ_STMT(memberState,
             "INSERT INTO member_state (agent, queue, logged_in, window_index, calls, talk_ms) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const AgentStateRecord& a : batch.agents) {
    agentState.reset();
    agentState.bind(1, a.agent).bind(2, a.presence).bind(3, a.reason).bind(4, a.sinceMs);
    agentState.bind(5, a.lastCallEndMs);
    clearMembers.reset();
    clearMembers.bind(1, a.agent);
    if (agentState.step() != SQLITE_DONE || clearMembers.step() != SQLITE_DONE) {
      return tl::unexpected(error("saving agent state"));
    }
    for (const MemberStateRecord& m : a.members) {
      memberState.reset();
      memberState.bind(1, a.agent).bind(2, m.queue).bind(3, m.loggedIn ? 1 : 0);
      memberState.bind(4, m.windowIndex).bind(5, m.callsInWindow).bind(6, m.talkInWindowMs);
      if (memberState.step() != SQLITE_DONE) {
        return tl::unexpected(error("saving member state"));
      }
    }
  }
  CALLQ_STMT(queueState, "INSERT OR REPLACE INTO queue_state (queue, round_robin) VALUES (?1, ?2)");
  for (const QueueStateRecord& q : batch.queues) {
    queueState.reset();
    queueState.bind(1, q.queue).bind(2, q.roundRobin);
    if (queueState.step() != SQLITE_DONE) {
      return tl::unexpected(error("saving queue state"));
    }
  }
  return {};
}

Result<EventPage> SqliteStore::readEvents(const EventFilter& f) {
  struct Value {  // bound in the order the conditions appear
    bool isText;
    std::int64_t number;
    std::string text;
  };
  std::vector<Value> values;
  std::string sql =
      "SELECT id, time_ms, type, call_id, queue, agent, position, original_position, wait_ms, "
      "talk_ms, ring_ms, exit_key, reason FROM events WHERE ";
  if (f.agent) {
    // One slot at a time (schema version 2): value 0 is the slot.
    sql += "id / " + std::to_string(kSqliteEventSlot) + " = ? AND agent = ? AND ";
    values.push_back({false, 0, {}});
    values.push_back({true, 0, *f.agent});
  }
  sql += "id > ?";
  values.push_back({false, f.afterId, {}});
  if (f.fromMs) {
    sql += " AND time_ms >= ?";
    values.push_back({false, *f.fromMs, {}});
  }
  if (f.toMs) {
    sql += " AND time_ms < ?";
    values.push_back({false, *f.toMs, {}});
  }
  if (f.queue) {
    sql += " AND queue = ?";
    values.push_back({true, 0, *f.queue});
  }
  if (f.call) {
    sql += " AND call_id = ?";
    values.push_back({false, static_cast<std::int64_t>(*f.call), {}});
  }
  if (!f.types.empty()) {
    sql += " AND type IN (";
    for (std::size_t i = 0; i < f.types.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      values.push_back({true, 0, f.types[i]});
    }
    sql += ")";
  }
  sql += " ORDER BY id";
  if (f.limit > 0) {
    sql += " LIMIT " + std::to_string(f.limit + 1);  // one more: is there a next page?
  }

  // For an agent, the slots whose events may fall in the period, in order.
  std::vector<std::int64_t> slots{0};
  if (f.agent) {
    slots.clear();
    CALLQ_STMT(s,
               "SELECT slot FROM event_slots WHERE slot >= ?1 AND max_time_ms >= ?2 AND "
               "min_time_ms < ?3 ORDER BY slot");
    s.bind(1, f.afterId / kSqliteEventSlot);
    s.bind(2, f.fromMs.value_or(std::numeric_limits<std::int64_t>::min()));
    s.bind(3, f.toMs.value_or(std::numeric_limits<std::int64_t>::max()));
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
      slots.push_back(s.integer(0));
    }
    if (rc != SQLITE_DONE) {
      return tl::unexpected(error("reading event_slots"));
    }
  }

  std::string message;
  Statement s(db_, sql.c_str(), &message);
  if (!message.empty()) {
    return makeError(ErrorCode::kInternal, path_ + ": " + message);
  }
  EventPage page;
  for (const std::int64_t slot : slots) {
    if (f.agent) {
      values[0].number = slot;
    }
    s.reset();
    for (std::size_t i = 0; i < values.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      values[i].isText ? s.bind(index, values[i].text) : s.bind(index, values[i].number);
    }
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
      if (f.limit > 0 && page.events.size() == f.limit) {
        page.nextAfterId = page.events.back().id;
        s.reset();
        return page;
      }
      EventRecord& e = page.events.emplace_back();
      e.id = s.integer(0);
      e.timeMs = s.integer(1);
      e.type = s.text(2);
      e.call = s.isNull(3) ? 0 : static_cast<std::uint64_t>(s.integer(3));
      e.queue = s.text(4);
      e.agent = s.text(5);
      e.position = static_cast<std::uint32_t>(s.integer(6));
      e.originalPosition = static_cast<std::uint32_t>(s.integer(7));
      e.waitMs = s.integer(8);
      e.talkMs = s.integer(9);
      e.ringMs = s.integer(10);
      e.key = s.text(11);
      e.reason = s.text(12);
    }
    if (rc != SQLITE_DONE) {
      return tl::unexpected(error("reading events"));
    }
  }
  return page;
}

Result<std::vector<AgentStateRecord>> SqliteStore::readAgentStates() {
  CALLQ_STMT(agents,
             "SELECT agent, presence, reason, since_ms, last_call_end_ms FROM "
             "agent_state ORDER BY agent");
  std::vector<AgentStateRecord> out;
  std::map<std::string, std::size_t> index;
  int rc1 = 0;
  while ((rc1 = agents.step()) == SQLITE_ROW) {
    index[agents.text(0)] = out.size();
    out.push_back(AgentStateRecord{
        agents.text(0), agents.text(1), agents.text(2), agents.integer(3), agents.integer(4), {}});
  }
  if (rc1 != SQLITE_DONE) {
    return tl::unexpected(error("reading agent state"));
  }
  CALLQ_STMT(members,
             "SELECT agent, queue, logged_in, window_index, calls, talk_ms FROM "
             "member_state ORDER BY agent, queue");
  int rc2 = 0;
  while ((rc2 = members.step()) == SQLITE_ROW) {
    auto it = index.find(members.text(0));
    if (it != index.end()) {
      out[it->second].members.push_back(
          MemberStateRecord{members.text(1), members.integer(2) != 0, members.integer(3),
                            static_cast<std::uint32_t>(members.integer(4)), members.integer(5)});
    }
  }
  if (rc2 != SQLITE_DONE) {
    return tl::unexpected(error("reading member state"));
  }
  return out;
}

Result<std::vector<QueueStateRecord>> SqliteStore::readQueueStates() {
  CALLQ_STMT(s, "SELECT queue, round_robin FROM queue_state ORDER BY queue");
  std::vector<QueueStateRecord> out;
  int rc3 = 0;
  while ((rc3 = s.step()) == SQLITE_ROW) {
    out.push_back(QueueStateRecord{s.text(0), s.integer(1)});
  }
  if (rc3 != SQLITE_DONE) {
    return tl::unexpected(error("reading queue state"));
  }
  return out;
}

Result<std::vector<OpenCall>> SqliteStore::readOpenCalls() {
  CALLQ_STMT(s,
             "SELECT call_id, queue, entered_ms, original_position, agent, connected_ms FROM "
             "open_calls ORDER BY call_id, queue");
  std::vector<OpenCall> out;
  int rc4 = 0;
  while ((rc4 = s.step()) == SQLITE_ROW) {
    out.push_back(OpenCall{static_cast<std::uint64_t>(s.integer(0)), s.text(1), s.integer(2),
                           static_cast<std::uint32_t>(s.integer(3)), s.text(4), s.integer(5)});
  }
  if (rc4 != SQLITE_DONE) {
    return tl::unexpected(error("reading open calls"));
  }
  return out;
}

Result<std::uint64_t> SqliteStore::readLastCallId() {
  // The condition lets SQLite use the partial index events_call (without it: a full scan).
  CALLQ_STMT(s, "SELECT coalesce(max(call_id), 0) FROM events WHERE call_id IS NOT NULL");
  if (s.step() != SQLITE_ROW) {
    return tl::unexpected(error("reading the last call id"));
  }
  const auto last = static_cast<std::uint64_t>(s.integer(0));
  s.reset();  // a statement left on its row keeps a read transaction open (and checkpoints out)
  return last;
}

Result<std::vector<Span>> SqliteStore::readSpans() {
  CALLQ_STMT(s, "SELECT agent, kind, reason, since_ms FROM spans ORDER BY agent, kind");
  std::vector<Span> out;
  int rc5 = 0;
  while ((rc5 = s.step()) == SQLITE_ROW) {
    out.push_back(Span{s.text(0), s.text(1), s.text(2), s.integer(3)});
  }
  if (rc5 != SQLITE_DONE) {
    return tl::unexpected(error("reading spans"));
  }
  return out;
}

// The primary keys start with the bucket (a period is one range); one queue or agent is read
// through the index by name. Statements are cached by their text's address: named literals.
#define CALLQ_BUCKETS(columns, table, name)                                     \
  "SELECT " columns " FROM " table " WHERE bucket_ms >= ?1 AND bucket_ms < ?2", \
      "SELECT " columns " FROM " table " WHERE " name                           \
      " = ?3 AND bucket_ms >= ?1 AND bucket_ms < ?2"
constexpr const char* kQueueBuckets[2] = {CALLQ_BUCKETS(
    "queue, bucket_ms, offered, refused, answered, answered_in_sl, abandoned, abandoned_in_sl, "
    "exited, handled, answered_wait_ms, handle_ms, longest_wait_ms",
    "stats_queue", "queue")};
constexpr const char* kAgentBuckets[2] = {CALLQ_BUCKETS(
    "agent, bucket_ms, answered, handled, no_answers, talk_ms, handle_ms, logged_in_ms",
    "stats_agent", "agent")};
constexpr const char* kWithdrawnBuckets[2] = {
    CALLQ_BUCKETS("agent, reason, bucket_ms, ms", "stats_withdrawn", "agent")};
#undef CALLQ_BUCKETS

Result<void> SqliteStore::readQueueBuckets(std::int64_t fromMs, std::int64_t toMs,
                                           const std::optional<std::string>& queue,
                                           Grouping<QueueFigures>& into) {
  CALLQ_STMT(s, kQueueBuckets[queue ? 1 : 0]);
  s.bind(1, fromMs).bind(2, toMs);
  if (queue) {
    s.bind(3, *queue);
  }
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto u = [&s](int col) { return static_cast<std::uint64_t>(s.integer(col)); };
    into.at(s.textView(0), s.integer(1))
        .add(QueueFigures{.offered = u(2),
                          .refused = u(3),
                          .answered = u(4),
                          .answeredWithinSl = u(5),
                          .abandoned = u(6),
                          .abandonedWithinSl = u(7),
                          .exited = u(8),
                          .handled = u(9),
                          .answeredWaitMs = s.integer(10),
                          .handleMs = s.integer(11),
                          .longestWaitMs = s.integer(12)});
  }
  if (rc != SQLITE_DONE) {
    return tl::unexpected(error("reading queue statistics"));
  }
  return {};
}

Result<void> SqliteStore::readAgentBuckets(std::int64_t fromMs, std::int64_t toMs,
                                           const std::optional<std::string>& agent,
                                           Grouping<AgentFigures>& into) {
  CALLQ_STMT(s, kAgentBuckets[agent ? 1 : 0]);
  s.bind(1, fromMs).bind(2, toMs);
  if (agent) {
    s.bind(3, *agent);
  }
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto u = [&s](int col) { return static_cast<std::uint64_t>(s.integer(col)); };
    into.at(s.textView(0), s.integer(1))
        .add(AgentFigures{.answered = u(2),
                          .handled = u(3),
                          .noAnswers = u(4),
                          .talkMs = s.integer(5),
                          .handleMs = s.integer(6),
                          .loggedInMs = s.integer(7),
                          .withdrawnMs = {}});
  }
  if (rc != SQLITE_DONE) {
    return tl::unexpected(error("reading agent statistics"));
  }
  CALLQ_STMT(w, kWithdrawnBuckets[agent ? 1 : 0]);
  w.bind(1, fromMs).bind(2, toMs);
  if (agent) {
    w.bind(3, *agent);
  }
  while ((rc = w.step()) == SQLITE_ROW) {
    into.at(w.textView(0), w.integer(2)).withdrawnMs[w.text(1)] += w.integer(3);
  }
  if (rc != SQLITE_DONE) {
    return tl::unexpected(error("reading withdrawn time"));
  }
  return {};
}

Result<std::vector<ConfigEntry>> SqliteStore::readConfig() {
  CALLQ_STMT(s, "SELECT kind, name, position, body FROM config ORDER BY kind, position, name");
  std::vector<ConfigEntry> out;
  int rc8 = 0;
  while ((rc8 = s.step()) == SQLITE_ROW) {
    out.push_back(ConfigEntry{s.text(0), s.text(1), s.integer(2), s.text(3)});
  }
  if (rc8 != SQLITE_DONE) {
    return tl::unexpected(error("reading the configuration"));
  }
  return out;
}

Result<void> SqliteStore::writeConfig(const std::vector<ConfigEntry>& entries) {
  if (Result<void> ok = exec("BEGIN IMMEDIATE"); !ok) {
    return ok;
  }
  auto fail = [this](Error e) -> Result<void> {
    (void)exec("ROLLBACK");
    return tl::unexpected(std::move(e));
  };
  if (Result<void> ok = exec("DELETE FROM config"); !ok) {
    return fail(ok.error());
  }
  auto insert =
      statement("INSERT INTO config (kind, name, position, body) VALUES (?1, ?2, ?3, ?4)");
  if (!insert) {
    return fail(insert.error());
  }
  for (const ConfigEntry& c : entries) {
    Statement& s = **insert;
    s.reset();
    s.bind(1, c.kind).bind(2, c.name).bind(3, c.position).bind(4, c.body);
    if (s.step() != SQLITE_DONE) {
      return fail(error("saving the configuration (" + c.kind + " '" + c.name + "')"));
    }
  }
  return exec("COMMIT");
}

#undef CALLQ_STMT

}  // namespace

Result<std::unique_ptr<Store>> openSqlite(const std::string& path, bool create) {
  return SqliteStore::open(path, create);
}

}  // namespace callq::store::internal
