// Reads one [[queue]] table into a core::QueueConfig, remembering where the fields that are checked
// across tables (names, numbers, actions, members) were written.
//
// Internal to src/config. Checks within the table only; config_loader.cc checks uniqueness, member
// agents and destination queues once every table is read.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "config/toml_fields.h"
#include "core/config.h"

namespace callq::config::internal {

// Lines of the cross-checked fields; 0 when the field is absent.
struct QueueLines {
  int header = 0;
  int name = 0;
  int extension = 0;
  int loginCode = 0;  // the extension's line when the code is the default
  int logoutCode = 0;
  bool loginDefaulted = false;
  bool logoutDefaulted = false;
  int timeoutAction = 0;
  int overflowAction = 0;
  std::vector<int> exitKeys;  // one line per QueueConfig::exitKeys entry
  std::vector<int> members;   // one line per QueueConfig::members entry
};

struct LocatedQueue {
  core::QueueConfig queue;
  QueueLines lines;
};

// `index` is the 1-based position among the [[queue]] tables; it names the queue in messages until
// (or if never) its name is read. Mistakes go to `diag`; the result is then incomplete.
LocatedQueue readQueue(const toml::table& table, int index, Diagnostics& diag);

}  // namespace callq::config::internal
