// The store's schema, as numbered migrations per database. A database records the migrations it
// has (schema_version); opening applies the missing ones in order, never edits an applied one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace callq::store::internal {

enum class Dialect { kSqlite, kPostgres };

struct Migration {
  std::string what;  // one line, for errors and the log
  std::string sql;   // statements separated by ';'
};

const std::vector<Migration>& schemaMigrations(Dialect dialect);

// SQLite indexes events by agent within slots of this many consecutive ids (schema version 2).
// A migration's SQL is fixed once applied: never change the value.
inline constexpr std::int64_t kSqliteEventSlot = 4096;

}  // namespace callq::store::internal
