#include "store/schema.h"

#include <string_view>

namespace callq::store::internal {
namespace {

// Version 1, written once for both databases: {id} is the events' key column, {int} a 64-bit
// integer. Names are columns users may query directly (README, "Reading the store with SQL").
std::string version1(std::string_view id, std::string_view integer) {
  std::string sql = R"(
CREATE TABLE events (
  id {id},
  time_ms {int} NOT NULL,
  type TEXT NOT NULL,
  call_id {int},
  queue TEXT,
  agent TEXT,
  position {int} NOT NULL DEFAULT 0,
  original_position {int} NOT NULL DEFAULT 0,
  wait_ms {int} NOT NULL DEFAULT 0,
  talk_ms {int} NOT NULL DEFAULT 0,
  ring_ms {int} NOT NULL DEFAULT 0,
  exit_key TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_time ON events (time_ms);
CREATE INDEX events_call ON events (call_id);
CREATE INDEX events_queue_time ON events (queue, time_ms);
CREATE INDEX events_agent_time ON events (agent, time_ms);
CREATE TABLE open_calls (
  call_id {int} NOT NULL,
  queue TEXT NOT NULL,
  entered_ms {int} NOT NULL,
  original_position {int} NOT NULL DEFAULT 0,
  agent TEXT NOT NULL DEFAULT '',
  connected_ms {int} NOT NULL DEFAULT 0,
  PRIMARY KEY (call_id, queue)
);
CREATE TABLE agent_state (
  agent TEXT PRIMARY KEY,
  presence TEXT NOT NULL,
  reason TEXT NOT NULL,
  since_ms {int} NOT NULL,
  last_call_end_ms {int} NOT NULL
);
CREATE TABLE member_state (
  agent TEXT NOT NULL,
  queue TEXT NOT NULL,
  logged_in {int} NOT NULL,
  window_index {int} NOT NULL,
  calls {int} NOT NULL,
  talk_ms {int} NOT NULL,
  PRIMARY KEY (agent, queue)
);
CREATE TABLE queue_state (
  queue TEXT PRIMARY KEY,
  round_robin {int} NOT NULL
);
CREATE TABLE spans (
  agent TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  since_ms {int} NOT NULL,
  PRIMARY KEY (agent, kind)
);
CREATE TABLE stats_queue (
  queue TEXT NOT NULL,
  bucket_ms {int} NOT NULL,
  offered {int} NOT NULL,
  refused {int} NOT NULL,
  answered {int} NOT NULL,
  answered_in_sl {int} NOT NULL,
  abandoned {int} NOT NULL,
  abandoned_in_sl {int} NOT NULL,
  exited {int} NOT NULL,
  handled {int} NOT NULL,
  answered_wait_ms {int} NOT NULL,
  handle_ms {int} NOT NULL,
  longest_wait_ms {int} NOT NULL,
  PRIMARY KEY (queue, bucket_ms)
);
CREATE INDEX stats_queue_bucket ON stats_queue (bucket_ms);
CREATE TABLE stats_agent (
  agent TEXT NOT NULL,
  bucket_ms {int} NOT NULL,
  answered {int} NOT NULL,
  handled {int} NOT NULL,
  no_answers {int} NOT NULL,
  talk_ms {int} NOT NULL,
  handle_ms {int} NOT NULL,
  logged_in_ms {int} NOT NULL,
  PRIMARY KEY (agent, bucket_ms)
);
CREATE INDEX stats_agent_bucket ON stats_agent (bucket_ms);
CREATE TABLE stats_withdrawn (
  agent TEXT NOT NULL,
  reason TEXT NOT NULL,
  bucket_ms {int} NOT NULL,
  ms {int} NOT NULL,
  PRIMARY KEY (agent, reason, bucket_ms)
);
CREATE INDEX stats_withdrawn_bucket ON stats_withdrawn (bucket_ms);
CREATE TABLE config (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  position {int} NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (kind, name)
);
)";
  auto replaceAll = [&sql](std::string_view from, std::string_view to) {
    for (std::size_t at = sql.find(from); at != std::string::npos;
         at = sql.find(from, at + to.size())) {
      sql.replace(at, from.size(), to);
    }
  };
  replaceAll("{id}", id);
  replaceAll("{int}", integer);
  return sql;
}

// Version 2 (never edit it, as version 1), for the append rate: the indexes on call, queue and
// agent leave out the events without one (a pause has no call or queue, a caller entering has no
// agent). SQLite only: the agent index works by slots (below); every table with a primary key
// becomes WITHOUT ROWID, so a write updates one B-tree instead of the rowid table and its key;
// the statistics are keyed by bucket first, so a batch's writes share a few pages (the current
// buckets) and a period is read in one range, with an index by name for one queue or agent.
std::string version2(bool sqlite) {
  std::string sql = R"(
DROP INDEX events_call;
DROP INDEX events_queue_time;
DROP INDEX events_agent_time;
CREATE INDEX events_call ON events (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX events_queue_time ON events (queue, time_ms) WHERE queue IS NOT NULL;
)";
  if (!sqlite) {
    return sql +
           "CREATE INDEX events_agent_time ON events (agent, time_ms) WHERE agent IS NOT NULL;";
  }
  // SQLite: an index by (agent, time) takes each event of a thousand agents to a page of its own,
  // and a commit writes every page it touched to the WAL: it cost a third of the append rate.
  // Agents are indexed within slots of consecutive events instead (a batch touches the current
  // slot's few pages), and event_slots keeps each slot's time range, so a report for an agent
  // visits only the slots of its period.
  const std::string slot = std::to_string(kSqliteEventSlot);
  sql += "CREATE INDEX events_agent_slot ON events (id / " + slot +
         ", agent) WHERE agent IS NOT NULL;\n"
         "CREATE TABLE event_slots (slot INTEGER PRIMARY KEY, min_time_ms INTEGER NOT NULL, "
         "max_time_ms INTEGER NOT NULL);\n"
         "INSERT INTO event_slots SELECT id / " +
         slot + ", min(time_ms), max(time_ms) FROM events GROUP BY id / " + slot + ";\n";
  // Each table: its definition (the same columns, in the same order) and its indexes.
  struct Table {
    std::string_view name;
    std::string_view columns;
    std::string_view indexes;
  };
  static constexpr Table kTables[] = {
      {"open_calls",
       "call_id INTEGER NOT NULL, queue TEXT NOT NULL, entered_ms INTEGER NOT NULL, "
       "original_position INTEGER NOT NULL DEFAULT 0, agent TEXT NOT NULL DEFAULT '', "
       "connected_ms INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (call_id, queue)",
       ""},
      {"agent_state",
       "agent TEXT PRIMARY KEY, presence TEXT NOT NULL, reason TEXT NOT NULL, since_ms INTEGER "
       "NOT NULL, last_call_end_ms INTEGER NOT NULL",
       ""},
      {"member_state",
       "agent TEXT NOT NULL, queue TEXT NOT NULL, logged_in INTEGER NOT NULL, window_index "
       "INTEGER NOT NULL, calls INTEGER NOT NULL, talk_ms INTEGER NOT NULL, PRIMARY KEY (agent, "
       "queue)",
       ""},
      {"queue_state", "queue TEXT PRIMARY KEY, round_robin INTEGER NOT NULL", ""},
      {"spans",
       "agent TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, since_ms INTEGER NOT "
       "NULL, PRIMARY KEY (agent, kind)",
       ""},
      {"stats_queue",
       "queue TEXT NOT NULL, bucket_ms INTEGER NOT NULL, offered INTEGER NOT NULL, refused "
       "INTEGER NOT NULL, answered INTEGER NOT NULL, answered_in_sl INTEGER NOT NULL, abandoned "
       "INTEGER NOT NULL, abandoned_in_sl INTEGER NOT NULL, exited INTEGER NOT NULL, handled "
       "INTEGER NOT NULL, answered_wait_ms INTEGER NOT NULL, handle_ms INTEGER NOT NULL, "
       "longest_wait_ms INTEGER NOT NULL, PRIMARY KEY (bucket_ms, queue)",
       "CREATE INDEX stats_queue_queue ON stats_queue (queue, bucket_ms);"},
      {"stats_agent",
       "agent TEXT NOT NULL, bucket_ms INTEGER NOT NULL, answered INTEGER NOT NULL, handled "
       "INTEGER NOT NULL, no_answers INTEGER NOT NULL, talk_ms INTEGER NOT NULL, handle_ms "
       "INTEGER NOT NULL, logged_in_ms INTEGER NOT NULL, PRIMARY KEY (bucket_ms, agent)",
       "CREATE INDEX stats_agent_agent ON stats_agent (agent, bucket_ms);"},
      {"stats_withdrawn",
       "agent TEXT NOT NULL, reason TEXT NOT NULL, bucket_ms INTEGER NOT NULL, ms INTEGER NOT "
       "NULL, PRIMARY KEY (bucket_ms, agent, reason)",
       "CREATE INDEX stats_withdrawn_agent ON stats_withdrawn (agent, bucket_ms);"},
      {"config",
       "kind TEXT NOT NULL, name TEXT NOT NULL, position INTEGER NOT NULL, body TEXT NOT NULL, "
       "PRIMARY KEY (kind, name)",
       ""},
  };
  for (const Table& t : kTables) {
    const std::string name(t.name);
    sql += "CREATE TABLE " + name + "_v2 (" + std::string(t.columns) + ") WITHOUT ROWID;\n";
    sql += "INSERT INTO " + name + "_v2 SELECT * FROM " + name + ";\n";
    sql += "DROP TABLE " + name + ";\n";
    sql += "ALTER TABLE " + name + "_v2 RENAME TO " + name + ";\n";
    sql += std::string(t.indexes) + "\n";
  }
  return sql;
}

}  // namespace

const std::vector<Migration>& schemaMigrations(Dialect dialect) {
  static const std::vector<Migration> sqlite{
      {"events, open calls, agent state, statistics, configuration",
       version1("INTEGER PRIMARY KEY", "INTEGER")},
      {"partial event indexes; keyed tables without rowid", version2(true)},
  };
  static const std::vector<Migration> postgres{
      {"events, open calls, agent state, statistics, configuration",
       version1("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT")},
      {"partial event indexes", version2(false)},
  };
  return dialect == Dialect::kSqlite ? sqlite : postgres;
}

Result<void> checkSchemaVersion(std::int64_t version, Dialect dialect, bool migrate,
                                const std::string& where) {
  const auto latest = static_cast<std::int64_t>(schemaMigrations(dialect).size());
  if (version > latest) {
    return makeError(ErrorCode::kFailedPrecondition,
                     where + ": schema version " + std::to_string(version) +
                         " is newer than this callq knows (" + std::to_string(latest) +
                         "): upgrade callq");
  }
  if (version < latest && !migrate) {
    return makeError(
        ErrorCode::kFailedPrecondition,
        where +
            (version == 0 ? std::string(": no callq database here yet")
                          : ": schema version " + std::to_string(version) +
                                ", older than this callq's (" + std::to_string(latest) + ")") +
            ": start `callq serve` on it once to create or upgrade it");
  }
  return {};
}

}  // namespace callq::store::internal
