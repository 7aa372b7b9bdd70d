// The PostgreSQL store: one libpqxx connection. An append costs four round trips whatever its
// size: BEGIN, reserving the events' ids, one text of set-based statements (inserts, upserts and
// deletes over arrays, computed in C++ from the batch) and COMMIT. Reads use prepared
// statements. Text is ordered COLLATE "C" (bytes), so rows come back in SQLite's order.
// No exception leaves this file: each method turns them into an Error naming host:port/database
// (never the user or password of the URL).
#include <algorithm>
#include <charconv>
#include <map>
#include <pqxx/pqxx>
#include <utility>

#include "store/schema.h"
#include "store/store.h"

namespace callq::store::internal {
namespace {

constexpr std::int64_t kMigrationLock = 0x63616c6c71;  // "callq": one process migrates at a time

// "PostgreSQL host:port/database" from a postgresql:// URL: no user, no password, no parameters.
std::string describeUrl(std::string_view url) {
  url.remove_prefix(std::min(url.size(), url.find("://") + 3));
  url.remove_prefix(url.rfind('@') == std::string_view::npos ? 0 : url.rfind('@') + 1);
  url = url.substr(0, url.find('?'));
  const std::string_view hosts = url.substr(0, url.find('/'));
  const std::string_view database = url.substr(std::min(url.size(), hosts.size() + 1));
  const std::string_view last = hosts.substr(std::min(hosts.size(), hosts.rfind(']') + 1));
  return "PostgreSQL " + std::string(hosts.empty() ? "localhost" : hosts) +
         (last.find(':') == std::string_view::npos ? ":5432/" : "/") + std::string(database);
}

// "<description>: <what>: <the exception's message, without its final newline>".
Error ioError(const std::string& description, std::string_view what, const std::exception& e) {
  std::string message = e.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return Error{ErrorCode::kIo, description + ": " + std::string(what) + ": " + message};
}

std::int64_t integer(const pqxx::field& f) {
  std::int64_t v = 0;
  if (!f.is_null()) {
    std::from_chars(f.c_str(), f.c_str() + f.size(), v);
  }
  return v;
}
std::uint64_t unsignedInt(const pqxx::field& f) { return static_cast<std::uint64_t>(integer(f)); }
std::string text(const pqxx::field& f) {
  return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
}

// The length of the valid UTF-8 sequence at s[i], or 0 (invalid, or NUL: PostgreSQL's text holds
// neither).
std::size_t utf8Sequence(std::string_view s, std::size_t i) {
  const auto byte = [s](std::size_t k) -> unsigned {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  const unsigned c = byte(i);
  if (c == 0 || (c >= 0x80 && c < 0xC2) || c > 0xF4) {
    return 0;
  }
  const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
  const unsigned low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  const unsigned high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned b = byte(i + k);
    if (b < (k == 1 ? low : 0x80) || b > (k == 1 ? high : 0xBF)) {
      return 0;
    }
  }
  return n;
}

// Rows for one set-based statement, gathered as one PostgreSQL array per column and sent as
// "unnest('{...}'::bigint[], '{...}'::text[], ...)": a few long literals parse much faster than
// thousands of VALUES rows (twice as fast for a batch of 1,000 events).
class Rows {
 public:
  // One letter per column: 'i' bigint, 't' text.
  explicit Rows(std::string_view types) : types_(types), columns_(types.size()) {}
  bool empty() const { return fields_ == 0; }

  template <typename Integer>  // unsigned ones as SQLite has them: their 64 bits, signed
  Rows& num(Integer v) {
    std::string& out = next();
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, std::int64_t(v)).ptr);
    return *this;
  }
  Rows& null() {
    next() += "NULL";
    return *this;
  }
  // Bytes PostgreSQL cannot store (malformed UTF-8, NUL: a caller's name, say) become U+FFFD:
  // failing the batch instead would fail every retry of it, and stall the store.
  Rows& str(std::string_view v) {
    std::string& out = next();
    out += '"';
    for (std::size_t i = 0; i < v.size();) {
      const std::size_t n = utf8Sequence(v, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      if (v[i] == '"' || v[i] == '\\') {
        out += '\\';
      }
      out.append(v.substr(i, n));
      i += n;
    }
    out += '"';
    return *this;
  }
  Rows& strOrNull(std::string_view v) { return v.empty() ? null() : str(v); }

  // "unnest(...)", quoted for this connection.
  std::string unnest(pqxx::connection_base& conn) const {
    std::string out = "unnest(";
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      out += i == 0 ? "'{" : ", '{";
      out += conn.esc(columns_[i]);
      out += types_[i] == 'i' ? "}'::bigint[]" : "}'::text[]";
    }
    return out + ")";
  }

 private:
  // The column of the next field, its separator written.
  std::string& next() {
    std::string& column = columns_[fields_ % columns_.size()];
    if (fields_++ >= columns_.size()) {
      column += ',';
    }
    return column;
  }

  std::string_view types_;
  std::vector<std::string> columns_;
  std::size_t fields_ = 0;
};

// The statements of one transaction, as one text (one round trip).
struct Script {
  pqxx::connection_base& conn;
  std::string sql;

  // "head unnest(...) tail;", if there are rows.
  void add(const Rows& rows, std::string_view head, std::string_view tail = "") {
    if (!rows.empty()) {
      sql.append(head).append(rows.unnest(conn)).append(tail).append(";\n");
    }
  }
};

void addEvents(Script& script, const std::vector<EventRecord>& events) {
  Rows rows("iitittiiiiitt");
  for (const EventRecord& e : events) {
    rows.num(e.id).num(e.timeMs).str(e.type);
    (e.call == 0 ? rows.null() : rows.num(e.call))
        .strOrNull(e.queue)
        .strOrNull(e.agent)
        .num(e.position)
        .num(e.originalPosition);
    rows.num(e.waitMs).num(e.talkMs).num(e.ringMs).str(e.key).str(e.reason);
  }
  script.add(rows,
             "INSERT INTO events (id, time_ms, type, call_id, queue, agent, position, "
             "original_position, wait_ms, talk_ms, ring_ms, exit_key, reason) SELECT * FROM ");
}

// What a batch leaves of one (call, queue) of open_calls, its events applied in order to a row
// that may or may not be stored (as SQLite's statement per event would).
struct NetOpenCall {
  enum class State { kStored, kSet, kDeleted } state = State::kStored;
  OpenCall row;  // kSet: the row; kStored and `connect`: agent, connectedMs, originalPosition
  bool connect = false;  // kStored: update the stored row, if there is one
};

void addOpenCalls(Script& script, const std::vector<EventRecord>& events) {
  using State = NetOpenCall::State;
  std::map<std::pair<std::uint64_t, std::string>, NetOpenCall> net;
  for (const EventRecord& e : events) {
    const OpenCallChange change = openCallChange(e.type);
    if (e.call == 0 || e.queue.empty() || change == OpenCallChange::kNone) {
      continue;
    }
    NetOpenCall& n = net[{e.call, e.queue}];
    if (change == OpenCallChange::kOpen) {
      n = NetOpenCall{State::kSet, OpenCall{e.call, e.queue, e.timeMs, e.position, "", 0}, false};
    } else if (change == OpenCallChange::kClose) {
      n = NetOpenCall{State::kDeleted, {}, false};
    } else if (n.state != State::kDeleted) {  // kConnect
      n.row.agent = e.agent;
      n.row.connectedMs = e.timeMs;
      n.row.originalPosition = e.originalPosition;
      n.connect = n.state == State::kStored;
    }
  }
  Rows set("itiiti");
  Rows deleted("it");
  Rows connected("ittii");
  for (const auto& [key, n] : net) {
    if (n.state == State::kSet) {
      set.num(key.first).str(key.second).num(n.row.enteredMs).num(n.row.originalPosition);
      set.str(n.row.agent).num(n.row.connectedMs);
    } else if (n.state == State::kDeleted) {
      deleted.num(key.first).str(key.second);
    } else if (n.connect) {
      connected.num(key.first).str(key.second).str(n.row.agent).num(n.row.connectedMs);
      connected.num(n.row.originalPosition);
    }
  }
  script.add(set,
             "INSERT INTO open_calls (call_id, queue, entered_ms, original_position, agent, "
             "connected_ms) SELECT * FROM ",
             " ON CONFLICT (call_id, queue) DO UPDATE SET entered_ms = excluded.entered_ms, "
             "original_position = excluded.original_position, agent = excluded.agent, "
             "connected_ms = excluded.connected_ms");
  script.add(deleted, "DELETE FROM open_calls WHERE (call_id, queue) IN (SELECT * FROM ", ")");
  script.add(connected,
             "UPDATE open_calls AS o SET agent = v.agent, connected_ms = v.connected_ms, "
             "original_position = v.original_position FROM ",
             " AS v (call_id, queue, agent, connected_ms, original_position) "
             "WHERE o.call_id = v.call_id AND o.queue = v.queue");
}

void addQueueStats(Script& script, const StatsDelta& delta) {
  Rows rows("tiiiiiiiiiiii");
  for (const auto& [key, f] : delta.queues) {
    rows.str(key.first).num(key.second).num(f.offered).num(f.refused).num(f.answered);
    rows.num(f.answeredWithinSl).num(f.abandoned).num(f.abandonedWithinSl).num(f.exited);
    rows.num(f.handled).num(f.answeredWaitMs).num(f.handleMs).num(f.longestWaitMs);
  }
  script.add(rows,
             "INSERT INTO stats_queue AS s (queue, bucket_ms, offered, refused, answered, "
             "answered_in_sl, abandoned, abandoned_in_sl, exited, handled, answered_wait_ms, "
             "handle_ms, longest_wait_ms) SELECT * FROM ",
             " ON CONFLICT (queue, bucket_ms) DO UPDATE SET "
             "offered = s.offered + excluded.offered, refused = s.refused + excluded.refused, "
             "answered = s.answered + excluded.answered, "
             "answered_in_sl = s.answered_in_sl + excluded.answered_in_sl, "
             "abandoned = s.abandoned + excluded.abandoned, "
             "abandoned_in_sl = s.abandoned_in_sl + excluded.abandoned_in_sl, "
             "exited = s.exited + excluded.exited, handled = s.handled + excluded.handled, "
             "answered_wait_ms = s.answered_wait_ms + excluded.answered_wait_ms, "
             "handle_ms = s.handle_ms + excluded.handle_ms, "
             "longest_wait_ms = GREATEST(s.longest_wait_ms, excluded.longest_wait_ms)");
}

void addAgentStats(Script& script, const StatsDelta& delta) {
  Rows rows("tiiiiiii");
  Rows withdrawn("ttii");
  for (const auto& [key, f] : delta.agents) {
    rows.str(key.first).num(key.second).num(f.answered).num(f.handled).num(f.noAnswers);
    rows.num(f.talkMs).num(f.handleMs).num(f.loggedInMs);
    for (const auto& [reason, ms] : f.withdrawnMs) {
      withdrawn.str(key.first).str(reason).num(key.second).num(ms);
    }
  }
  script.add(
      rows,
      "INSERT INTO stats_agent AS s (agent, bucket_ms, answered, handled, no_answers, "
      "talk_ms, handle_ms, logged_in_ms) SELECT * FROM ",
      " ON CONFLICT (agent, bucket_ms) DO UPDATE SET "
      "answered = s.answered + excluded.answered, handled = s.handled + excluded.handled, "
      "no_answers = s.no_answers + excluded.no_answers, "
      "talk_ms = s.talk_ms + excluded.talk_ms, handle_ms = s.handle_ms + excluded.handle_ms, "
      "logged_in_ms = s.logged_in_ms + excluded.logged_in_ms");
  script.add(withdrawn,
             "INSERT INTO stats_withdrawn AS s (agent, reason, bucket_ms, ms) SELECT * FROM ",
             " ON CONFLICT (agent, reason, bucket_ms) DO UPDATE SET ms = s.ms + excluded.ms");
}

void addSpans(Script& script, const StatsDelta& delta) {
  Rows opened("ttti");
  Rows closed("tt");
  for (const auto& [key, span] : delta.spans) {
    if (span) {
      opened.str(key.first).str(key.second).str(span->reason).num(span->sinceMs);
    } else {
      closed.str(key.first).str(key.second);
    }
  }
  script.add(opened, "INSERT INTO spans (agent, kind, reason, since_ms) SELECT * FROM ",
             " ON CONFLICT (agent, kind) DO UPDATE SET reason = excluded.reason, "
             "since_ms = excluded.since_ms");
  script.add(closed, "DELETE FROM spans WHERE (agent, kind) IN (SELECT * FROM ", ")");
}

// The state of agents and queues replaces what was stored; the last record of a name wins.
void addState(Script& script, const Batch& batch) {
  std::map<std::string_view, const AgentStateRecord*> agents;
  for (const AgentStateRecord& a : batch.agents) {
    agents[a.agent] = &a;
  }
  Rows states("tttii");
  Rows names("t");
  Rows members("ttiiii");
  for (const auto& [name, a] : agents) {
    states.str(name).str(a->presence).str(a->reason).num(a->sinceMs).num(a->lastCallEndMs);
    names.str(name);
    for (const MemberStateRecord& m : a->members) {
      members.str(name).str(m.queue).num(std::int64_t{m.loggedIn ? 1 : 0}).num(m.windowIndex);
      members.num(m.callsInWindow).num(m.talkInWindowMs);
    }
  }
  script.add(states,
             "INSERT INTO agent_state (agent, presence, reason, since_ms, last_call_end_ms) "
             "SELECT * FROM ",
             " ON CONFLICT (agent) DO UPDATE SET presence = excluded.presence, "
             "reason = excluded.reason, since_ms = excluded.since_ms, "
             "last_call_end_ms = excluded.last_call_end_ms");
  script.add(names, "DELETE FROM member_state WHERE agent IN (SELECT * FROM ", ")");
  script.add(members,
             "INSERT INTO member_state (agent, queue, logged_in, window_index, calls, talk_ms) "
             "SELECT * FROM ");
  std::map<std::string_view, std::int64_t> queues;
  for (const QueueStateRecord& q : batch.queues) {
    queues[q.queue] = q.roundRobin;
  }
  Rows queueRows("ti");
  for (const auto& [name, roundRobin] : queues) {
    queueRows.str(name).num(roundRobin);
  }
  script.add(queueRows, "INSERT INTO queue_state (queue, round_robin) SELECT * FROM ",
             " ON CONFLICT (queue) DO UPDATE SET round_robin = excluded.round_robin");
}

// Prepared once per connection (libpqxx prepares them on first use, and again after reconnecting).
constexpr std::pair<const char*, const char*> kPrepared[] = {
    // The sequence looked up once, not once per id (8 times faster).
    {"callq_reserve_ids",
     "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('events', 'id')::regclass AS seq) "
     "SELECT nextval(s.seq) FROM s, generate_series(1, $1) ORDER BY 1"},
    {"callq_agent_states",
     "SELECT agent, presence, reason, since_ms, last_call_end_ms FROM agent_state "
     "ORDER BY agent COLLATE \"C\""},
    {"callq_member_states",
     "SELECT agent, queue, logged_in, window_index, calls, talk_ms FROM member_state "
     "ORDER BY agent COLLATE \"C\", queue COLLATE \"C\""},
    {"callq_queue_states",
     "SELECT queue, round_robin FROM queue_state ORDER BY queue COLLATE \"C\""},
    {"callq_open_calls",
     "SELECT call_id, queue, entered_ms, original_position, agent, connected_ms FROM open_calls "
     "ORDER BY call_id, queue COLLATE \"C\""},
    {"callq_last_call_id",
     "SELECT coalesce(max(call_id), 0) FROM events WHERE call_id IS NOT NULL"},
    {"callq_spans",
     "SELECT agent, kind, reason, since_ms FROM spans ORDER BY agent COLLATE \"C\", "
     "kind COLLATE \"C\""},
    {"callq_queue_buckets",
     "SELECT queue, bucket_ms, offered, refused, answered, answered_in_sl, abandoned, "
     "abandoned_in_sl, exited, handled, answered_wait_ms, handle_ms, longest_wait_ms "
     "FROM stats_queue WHERE bucket_ms >= $1 AND bucket_ms < $2 AND "
     "($3::text IS NULL OR queue = $3)"},
    {"callq_agent_buckets",
     "SELECT agent, bucket_ms, answered, handled, no_answers, talk_ms, handle_ms, logged_in_ms "
     "FROM stats_agent WHERE bucket_ms >= $1 AND bucket_ms < $2 AND "
     "($3::text IS NULL OR agent = $3)"},
    {"callq_withdrawn_buckets",
     "SELECT agent, reason, bucket_ms, ms FROM stats_withdrawn WHERE bucket_ms >= $1 AND "
     "bucket_ms < $2 AND ($3::text IS NULL OR agent = $3)"},
    {"callq_config",
     "SELECT kind, name, position, body FROM config "
     "ORDER BY kind COLLATE \"C\", position, name COLLATE \"C\""},
};

// Several reads that must agree with each other (one snapshot).
using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

class PostgresStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> open(const std::string& url, bool create);

  std::string describe() const override { return description_; }

 protected:
  Result<void> write(Batch& batch, const StatsDelta& delta) override;
  Result<EventPage> readEvents(const EventFilter& filter) override;
  Result<std::vector<AgentStateRecord>> readAgentStates() override;
  Result<void> readQueueBuckets(std::int64_t fromMs, std::int64_t toMs,
                                const std::optional<std::string>& queue,
                                Grouping<QueueFigures>& into) override;
  Result<void> readAgentBuckets(std::int64_t fromMs, std::int64_t toMs,
                                const std::optional<std::string>& agent,
                                Grouping<AgentFigures>& into) override;
  Result<void> writeConfig(const std::vector<ConfigEntry>& entries) override;
  Result<std::vector<QueueStateRecord>> readQueueStates() override {
    return readAll<QueueStateRecord>("reading queue state", "callq_queue_states", [](auto& r) {
      return QueueStateRecord{text(r[0]), integer(r[1])};
    });
  }
  Result<std::vector<OpenCall>> readOpenCalls() override {
    return readAll<OpenCall>("reading open calls", "callq_open_calls", [](auto& r) {
      return OpenCall{unsignedInt(r[0]), text(r[1]),
                      integer(r[2]),     static_cast<std::uint32_t>(integer(r[3])),
                      text(r[4]),        integer(r[5])};
    });
  }
  Result<std::uint64_t> readLastCallId() override {
    return guarded("reading the last call id", [this]() -> Result<std::uint64_t> {
      return unsignedInt(pqxx::nontransaction(conn_).exec_prepared1("callq_last_call_id")[0]);
    });
  }
  Result<std::vector<Span>> readSpans() override {
    return readAll<Span>("reading spans", "callq_spans", [](auto& r) {
      return Span{text(r[0]), text(r[1]), text(r[2]), integer(r[3])};
    });
  }
  Result<std::vector<ConfigEntry>> readConfig() override {
    return readAll<ConfigEntry>("reading the configuration", "callq_config", [](auto& r) {
      return ConfigEntry{text(r[0]), text(r[1]), integer(r[2]), text(r[3])};
    });
  }

 private:
  PostgresStore(std::string description, const std::string& url)
      : description_(std::move(description)), conn_(url), quiet_(conn_) {}
  Result<void> migrate(bool create);  // create: upgrade an older schema
  void reserveIds(pqxx::transaction_base& tx, std::vector<EventRecord>& events);

  // Every row of a prepared statement without parameters, each made a T by `make`.
  template <typename T, typename Make>
  Result<std::vector<T>> readAll(std::string_view what, const char* statement, Make make) {
    return guarded(what, [&]() -> Result<std::vector<T>> {
      pqxx::nontransaction tx(conn_);
      std::vector<T> out;
      for (const pqxx::row& r : tx.exec_prepared(statement)) {
        out.push_back(make(r));
      }
      return out;
    });
  }
  // Runs `body` (returning a Result), turning any exception into an error.
  template <typename Body>
  auto guarded(std::string_view what, Body&& body) const -> decltype(body()) {
    try {
      return body();
    } catch (const std::exception& e) {
      return tl::unexpected(ioError(description_, what, e));
    } catch (...) {
      return makeError(ErrorCode::kIo, description_ + ": " + std::string(what) + ": failed");
    }
  }

  std::string description_;
  pqxx::connection conn_;
  pqxx::quiet_errorhandler quiet_;  // notices ("already exists, skipping") are no errors
};

Result<std::unique_ptr<Store>> PostgresStore::open(const std::string& url, bool create) {
  const std::string description = describeUrl(url);
  // callq's text is UTF-8, whatever PGCLIENTENCODING says (kept when libpqxx reconnects).
  const std::string options =
      url.find("client_encoding=") != std::string::npos
          ? url
          : url + (url.find('?') == std::string::npos ? "?" : "&") + "client_encoding=UTF8";
  std::unique_ptr<PostgresStore> store;
  try {
    store.reset(new PostgresStore(description, options));
    for (const auto& [name, sql] : kPrepared) {
      store->conn_.prepare(name, sql);
    }
  } catch (const std::exception& e) {
    return tl::unexpected(ioError(description, "connecting", e));
  }
  if (Result<void> ok = store->migrate(create); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::unique_ptr<Store>(std::move(store));
}

Result<void> PostgresStore::migrate(bool create) {
  return guarded("migrating the schema", [this, create]() -> Result<void> {
    pqxx::work tx(conn_);
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL, "
        "applied_ms BIGINT NOT NULL)");
    const std::int64_t version =
        integer(tx.exec("SELECT coalesce(max(version), 0) FROM schema_version")[0][0]);
    if (Result<void> ok = checkSchemaVersion(version, Dialect::kPostgres, create, description_);
        !ok) {
      return ok;
    }
    const std::vector<Migration>& migrations = schemaMigrations(Dialect::kPostgres);
    for (std::size_t v = static_cast<std::size_t>(version); v < migrations.size(); ++v) {
      try {
        tx.exec(migrations[v].sql);
      } catch (const std::exception& e) {
        return tl::unexpected(
            ioError(description_,
                    "migration " + std::to_string(v + 1) + " (" + migrations[v].what + ")", e));
      }
      tx.exec("INSERT INTO schema_version VALUES (" + std::to_string(v + 1) +
              ", (extract(epoch FROM clock_timestamp()) * 1000)::bigint)");
    }
    tx.commit();
    return {};
  });
}

void PostgresStore::reserveIds(pqxx::transaction_base& tx, std::vector<EventRecord>& events) {
  const pqxx::result ids = tx.exec_prepared("callq_reserve_ids", events.size());  // ascending
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].id = integer(ids.at(i)[0]);
  }
}

Result<void> PostgresStore::write(Batch& batch, const StatsDelta& delta) {
  Result<void> ok = guarded("appending", [&]() -> Result<void> {
    pqxx::work tx(conn_);
    if (!batch.events.empty()) {
      reserveIds(tx, batch.events);
    }
    Script script{conn_, {}};
    addEvents(script, batch.events);
    addOpenCalls(script, batch.events);
    addQueueStats(script, delta);
    addAgentStats(script, delta);
    addSpans(script, delta);
    addState(script, batch);
    if (!script.sql.empty()) {
      tx.exec(script.sql);
    }
    tx.commit();
    return {};
  });
  if (!ok) {
    for (EventRecord& e : batch.events) {
      e.id = 0;
    }
  }
  return ok;
}

EventRecord eventOf(const pqxx::row& r) {  // the columns in EventRecord's order
  const auto u32 = [](const pqxx::field& f) { return static_cast<std::uint32_t>(integer(f)); };
  return EventRecord{integer(r[0]),  integer(r[1]), text(r[2]), unsignedInt(r[3]), text(r[4]),
                     text(r[5]),     u32(r[6]),     u32(r[7]),  integer(r[8]),     integer(r[9]),
                     integer(r[10]), text(r[11]),   text(r[12])};
}

Result<EventPage> PostgresStore::readEvents(const EventFilter& f) {
  std::vector<std::string> params{std::to_string(f.afterId)};
  auto param = [&params](std::string value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  std::string sql =
      "SELECT id, time_ms, type, call_id, queue, agent, position, original_position, wait_ms, "
      "talk_ms, ring_ms, exit_key, reason FROM events WHERE id > $1";
  if (f.fromMs) {
    sql += " AND time_ms >= " + param(std::to_string(*f.fromMs));
  }
  if (f.toMs) {
    sql += " AND time_ms < " + param(std::to_string(*f.toMs));
  }
  if (f.queue) {
    sql += " AND queue = " + param(*f.queue);
  }
  if (f.agent) {
    sql += " AND agent = " + param(*f.agent);
  }
  if (f.call) {
    sql += " AND call_id = " + param(std::to_string(static_cast<std::int64_t>(*f.call)));
  }
  for (std::size_t i = 0; i < f.types.size(); ++i) {
    sql += (i == 0 ? " AND type IN (" : ", ") + param(f.types[i]);
  }
  sql += f.types.empty() ? " ORDER BY id" : ") ORDER BY id";
  if (f.limit > 0) {
    sql += " LIMIT " + std::to_string(f.limit + 1);  // one more: is there a next page?
  }
  return guarded("reading events", [&]() -> Result<EventPage> {
    pqxx::nontransaction tx(conn_);
    const pqxx::result r = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    EventPage page;
    for (const pqxx::row& row : r) {
      if (f.limit > 0 && page.events.size() == f.limit) {
        page.nextAfterId = page.events.back().id;
        break;
      }
      page.events.push_back(eventOf(row));
    }
    return page;
  });
}

Result<std::vector<AgentStateRecord>> PostgresStore::readAgentStates() {
  return guarded("reading agent state", [this]() -> Result<std::vector<AgentStateRecord>> {
    Snapshot tx(conn_);
    std::vector<AgentStateRecord> out;
    std::map<std::string, std::size_t> index;
    for (const pqxx::row& r : tx.exec_prepared("callq_agent_states")) {
      index[text(r[0])] = out.size();
      out.push_back(
          AgentStateRecord{text(r[0]), text(r[1]), text(r[2]), integer(r[3]), integer(r[4]), {}});
    }
    for (const pqxx::row& r : tx.exec_prepared("callq_member_states")) {
      auto it = index.find(text(r[0]));
      if (it != index.end()) {
        out[it->second].members.push_back(
            MemberStateRecord{text(r[1]), integer(r[2]) != 0, integer(r[3]),
                              static_cast<std::uint32_t>(integer(r[4])), integer(r[5])});
      }
    }
    tx.commit();
    return out;
  });
}

// A prepared bucket query: from, to and a name or null (every name).
pqxx::result bucketRows(pqxx::transaction_base& tx, const char* statement, std::int64_t fromMs,
                        std::int64_t toMs, const std::optional<std::string>& name) {
  return name ? tx.exec_prepared(statement, fromMs, toMs, *name)
              : tx.exec_prepared(statement, fromMs, toMs, nullptr);
}

Result<void> PostgresStore::readQueueBuckets(std::int64_t fromMs, std::int64_t toMs,
                                             const std::optional<std::string>& queue,
                                             Grouping<QueueFigures>& into) {
  return guarded("reading queue statistics", [&]() -> Result<void> {
    pqxx::nontransaction tx(conn_);
    for (const pqxx::row& r : bucketRows(tx, "callq_queue_buckets", fromMs, toMs, queue)) {
      into.at(r[0].c_str(), integer(r[1]))
          .add(QueueFigures{unsignedInt(r[2]), unsignedInt(r[3]), unsignedInt(r[4]),
                            unsignedInt(r[5]), unsignedInt(r[6]), unsignedInt(r[7]),
                            unsignedInt(r[8]), unsignedInt(r[9]), integer(r[10]), integer(r[11]),
                            integer(r[12])});
    }
    return {};
  });
}

// Withdrawn time comes as rows of its own (one reason each), as from SQLite.
Result<void> PostgresStore::readAgentBuckets(std::int64_t fromMs, std::int64_t toMs,
                                             const std::optional<std::string>& agent,
                                             Grouping<AgentFigures>& into) {
  return guarded("reading agent statistics", [&]() -> Result<void> {
    Snapshot tx(conn_);
    for (const pqxx::row& r : bucketRows(tx, "callq_agent_buckets", fromMs, toMs, agent)) {
      into.at(r[0].c_str(), integer(r[1]))
          .add(AgentFigures{.answered = unsignedInt(r[2]),
                            .handled = unsignedInt(r[3]),
                            .noAnswers = unsignedInt(r[4]),
                            .talkMs = integer(r[5]),
                            .handleMs = integer(r[6]),
                            .loggedInMs = integer(r[7]),
                            .withdrawnMs = {}});
    }
    for (const pqxx::row& r : bucketRows(tx, "callq_withdrawn_buckets", fromMs, toMs, agent)) {
      into.at(r[0].c_str(), integer(r[2])).withdrawnMs[text(r[1])] += integer(r[3]);
    }
    tx.commit();
    return {};
  });
}

Result<void> PostgresStore::writeConfig(const std::vector<ConfigEntry>& entries) {
  return guarded("saving the configuration", [&]() -> Result<void> {
    pqxx::work tx(conn_);
    Script script{conn_, "DELETE FROM config;\n"};
    Rows rows("ttit");
    for (const ConfigEntry& c : entries) {
      rows.str(c.kind).str(c.name).num(c.position).str(c.body);
    }
    script.add(rows, "INSERT INTO config (kind, name, position, body) SELECT * FROM ");
    tx.exec(script.sql);
    tx.commit();
    return {};
  });
}

}  // namespace

Result<std::unique_ptr<Store>> openPostgres(const std::string& url, bool create) {
  return PostgresStore::open(url, create);
}

}  // namespace callq::store::internal
