// The store's schema, as numbered migrations per database. A database records the migrations it
// has (schema_version); opening applies the missing ones in order, never edits an applied one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace callq::store::internal {

enum class Dialect { kSqlite, kPostgres };

struct Migration {
  std::string what;  // one line, for errors and the log
  std::string sql;   // statements separated by ';'
};

const std::vector<Migration>& schemaMigrations(Dialect dialect);

// Whether a database at schema `version` may be opened: one newer than this callq knows never;
// an older one only by the server (`migrate`), which upgrades it. A reader (a report) leaves it
// alone: a running older server would go on writing the old way. `where` names the database.
Result<void> checkSchemaVersion(std::int64_t version, Dialect dialect, bool migrate,
                                const std::string& where);

// SQLite indexes events by agent within slots of this many consecutive ids (schema version 2).
// A migration's SQL is fixed once applied: never change the value.
inline constexpr std::int64_t kSqliteEventSlot = 4096;

}  // namespace callq::store::internal
