// What the store keeps, as plain values. Queues and agents are named (not indexed): indexes follow
// the configuration's order, which changes when the configuration does; names do not.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace callq::store {

// One engine event (core::Event with names). Times and durations in milliseconds.
struct EventRecord {
  std::int64_t id = 0;      // assigned by the store, ascending in append order; 0 before
  std::int64_t timeMs = 0;  // since the Unix epoch
  std::string type;         // core::eventName(): "ENTERQUEUE", "CONNECT", ...
  std::uint64_t call = 0;   // 0: no call (agent events)
  std::string queue;        // empty: no queue (presence events)
  std::string agent;        // empty: no agent
  std::uint32_t position = 0;
  std::uint32_t originalPosition = 0;
  std::int64_t waitMs = 0;
  std::int64_t talkMs = 0;
  std::int64_t ringMs = 0;
  std::string key;     // EXITWITHKEY: the key pressed ("" otherwise)
  std::string reason;  // caller id, refusal reason, destination, pause reason... (core/event.h)

  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

// Which events a report lists. Every set field must match; times are [fromMs, toMs).
struct EventFilter {
  std::optional<std::int64_t> fromMs;
  std::optional<std::int64_t> toMs;
  std::vector<std::string> types;  // empty: every type
  std::optional<std::string> queue;
  std::optional<std::string> agent;
  std::optional<std::uint64_t> call;
  // Pagination by key: events with id > afterId, at most `limit` of them (0: no limit).
  std::int64_t afterId = 0;
  std::size_t limit = 0;
};

struct EventPage {
  std::vector<EventRecord> events;  // ascending id
  // Pass as afterId for the next page; 0 when this page holds the last matching event.
  std::int64_t nextAfterId = 0;
};

// An agent's state that survives a restart (core::AgentDurable with names).
struct MemberStateRecord {
  std::string queue;
  bool loggedIn = false;
  std::int64_t windowIndex = 0;
  std::uint32_t callsInWindow = 0;
  std::int64_t talkInWindowMs = 0;

  friend bool operator==(const MemberStateRecord&, const MemberStateRecord&) = default;
};

struct AgentStateRecord {
  std::string agent;
  std::string presence;  // "ready", "withdrawn" or "not available"
  std::string reason;
  std::int64_t sinceMs = 0;
  std::int64_t lastCallEndMs = 0;
  std::vector<MemberStateRecord> members;

  friend bool operator==(const AgentStateRecord&, const AgentStateRecord&) = default;
};

struct QueueStateRecord {
  std::string queue;
  std::int64_t roundRobin = -1;  // member order offered last

  friend bool operator==(const QueueStateRecord&, const QueueStateRecord&) = default;
};

// A caller's visit to a queue that has no ending event yet (kept from the events themselves).
struct OpenCall {
  std::uint64_t call = 0;
  std::string queue;
  std::int64_t enteredMs = 0;
  std::uint32_t originalPosition = 0;
  std::string agent;  // connected to, or empty while waiting
  std::int64_t connectedMs = 0;

  friend bool operator==(const OpenCall&, const OpenCall&) = default;
};

// One unit of writing: applied in one transaction, all or nothing.
// What the statistics need to know of a queue's configuration.
struct QueueParams {
  std::int64_t serviceLevelMs = 20'000;
  std::int64_t wrapUpMs = 0;
};

struct Batch {
  std::vector<EventRecord> events;       // ids are filled in by append()
  std::vector<AgentStateRecord> agents;  // replace the stored state of these agents
  std::vector<QueueStateRecord> queues;
  // The queues' statistics settings after a configuration change, for events[queueParamsAt]
  // onwards (the ones before were handed over under the old settings).
  std::optional<std::map<std::string, QueueParams>> queueParams;
  std::size_t queueParamsAt = 0;

  bool empty() const { return events.empty() && agents.empty() && queues.empty() && !queueParams; }
  void clear() {
    events.clear();
    agents.clear();
    queues.clear();
    queueParams.reset();
  }
};

// One entity of the configuration as stored: `kind` is "settings", "agent", "queue" or "music";
// `body` is its TOML text (a table's contents); entries of a kind are listed by `position`.
struct ConfigEntry {
  std::string kind;
  std::string name;
  std::int64_t position = 0;
  std::string body;

  friend bool operator==(const ConfigEntry&, const ConfigEntry&) = default;
};

}  // namespace callq::store
