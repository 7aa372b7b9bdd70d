// Statistics: per queue and per agent, in 15-minute buckets maintained as events arrive (so a
// month's figures read a few thousand rows, not millions of events), grouped into 15-minute,
// hourly, daily or whole-period intervals when asked.
//
// Definitions (the simulator's, so a simulated day can be checked against them):
//  - a caller's visit counts in the bucket in which it ENTERED the queue (time - wait), so
//    offered >= answered + abandoned + exited in every bucket;
//  - offered = admitted (ENTERQUEUE) + refused (JOINREFUSED);
//  - service level = answered within the queue's threshold / offered;
//  - average speed of answer = wait of answered calls / answered;
//  - handle time = talk + the queue's wrap-up, over calls that ended (handled);
//  - longest wait: answered, abandoned or exited (not visits closed at a restart: their wait
//    includes the downtime);
//  - agents: answered and no-answers (RINGNOANSWER "no answer" only) at the time of the event,
//  handle time when the call ended,
//    logged-in time while logged in to at least one queue dynamically (static members are always
//    logged in and are not counted), withdrawn time by reason; both split across buckets.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/records.h"

namespace callq::store {

inline constexpr std::int64_t kBucketMs = 15 * 60 * 1000;
inline constexpr std::int64_t bucketOf(std::int64_t ms) {
  return (ms >= 0 ? ms / kBucketMs : (ms - kBucketMs + 1) / kBucketMs) * kBucketMs;
}

struct QueueFigures {
  std::uint64_t offered = 0;
  std::uint64_t refused = 0;
  std::uint64_t answered = 0;
  std::uint64_t answeredWithinSl = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t abandonedWithinSl = 0;
  std::uint64_t exited = 0;  // timeout, empty, exit key, closed at restart
  std::uint64_t handled = 0;
  std::int64_t answeredWaitMs = 0;
  std::int64_t handleMs = 0;
  std::int64_t longestWaitMs = 0;

  void add(const QueueFigures& o);
  double serviceLevel() const;  // 0..1; 0 when nothing was offered
  double asaS() const;          // average speed of answer, seconds
  double ahtS() const;          // average handle time, seconds
  friend bool operator==(const QueueFigures&, const QueueFigures&) = default;
};

struct AgentFigures {
  std::uint64_t answered = 0;
  std::uint64_t handled = 0;
  std::uint64_t noAnswers = 0;
  std::int64_t talkMs = 0;
  std::int64_t handleMs = 0;
  std::int64_t loggedInMs = 0;
  std::map<std::string, std::int64_t> withdrawnMs;  // by reason

  void add(const AgentFigures& o);
  double ahtS() const;
  friend bool operator==(const AgentFigures&, const AgentFigures&) = default;
};

// A period of agent state still open: "withdrawn" (reason), "login:<queue>", or "loggedin"
// (logged in to at least one queue).
struct Span {
  std::string agent;
  std::string kind;
  std::string reason;
  std::int64_t sinceMs = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

// What one batch of events adds: bucket figures to add to the stored ones, and span changes.
struct StatsDelta {
  std::map<std::pair<std::string, std::int64_t>, QueueFigures> queues;  // (queue, bucket)
  std::map<std::pair<std::string, std::int64_t>, AgentFigures> agents;  // (agent, bucket)
  // (agent, kind) -> the span now open, or nullopt: closed. Applied after the figures.
  std::map<std::pair<std::string, std::string>, std::optional<Span>> spans;

  bool empty() const { return queues.empty() && agents.empty() && spans.empty(); }
  void clear() {
    queues.clear();
    agents.clear();
    spans.clear();
  }
};

// Turns events, in order, into StatsDelta. Keeps the open spans in memory (loaded from the store
// at start, so a span open across a restart is closed correctly).
class StatsTracker {
 public:
  void setQueueParams(std::map<std::string, QueueParams> params) { params_ = std::move(params); }
  const std::map<std::string, QueueParams>& queueParams() const { return params_; }
  void setSpans(const std::vector<Span>& spans);
  std::vector<Span> spans() const;

  void apply(const EventRecord& e, StatsDelta& delta);

 private:
  QueueParams paramsOf(const std::string& queue) const;
  void open(StatsDelta& delta, const std::string& agent, const std::string& kind,
            const std::string& reason, std::int64_t at);
  void close(StatsDelta& delta, const std::string& agent, const std::string& kind, std::int64_t at);
  bool loggedInAnywhere(const std::string& agent) const;

  std::map<std::string, QueueParams> params_;
  std::map<std::pair<std::string, std::string>, Span> open_;  // (agent, kind)
};

// Adds `ms` of the span [from, to) to the agent's buckets: loggedInMs, or withdrawnMs[reason].
void addSpan(std::map<std::pair<std::string, std::int64_t>, AgentFigures>& buckets,
             const Span& span, std::int64_t to);

// --- Queries
// ---------------------------------------------------------------------------------------

enum class Interval { k15Min, kHour, kDay, kWhole };

struct StatsQuery {
  std::int64_t fromMs = 0;  // rounded down to a 15-minute boundary
  std::int64_t toMs = 0;    // rounded up to one
  Interval interval = Interval::kWhole;
  std::optional<std::string> queue;
  std::optional<std::string> agent;
  std::int64_t nowMs = 0;  // spans still open count up to now
};

struct QueueStatsRow {
  std::string queue;
  std::int64_t startMs = 0;  // interval start (local time for hours and days)
  QueueFigures figures;
};

struct AgentStatsRow {
  std::string agent;
  std::int64_t startMs = 0;
  AgentFigures figures;
};

// The start of the interval holding `ms`: 15-minute buckets are epoch-aligned; hours and days
// follow local time (TZ), so a day is a local calendar day even across a DST change.
std::int64_t intervalStart(Interval interval, std::int64_t ms, std::int64_t fromMs);
std::optional<Interval> parseInterval(std::string_view text);  // "15min", "hour", "day", "total"

// Adds bucket figures into the query's intervals as a store reads them (a month of agents is
// millions of buckets: they are not kept), then gives the rows sorted by name, then start.
template <typename Figures>
class Grouping {
 public:
  explicit Grouping(const StatsQuery& q) : query_(q) {}
  // The figures of `name`'s interval holding `bucket`: add the bucket's to them.
  Figures& at(std::string_view name, std::int64_t bucket);
  // QueueStatsRow or AgentStatsRow.
  template <typename Row>
  std::vector<Row> rows() &&;

 private:
  StatsQuery query_;
  std::unordered_map<std::int64_t, std::int64_t> starts_;  // bucket -> interval start
  // Sorted by name, then start: rows() in order.
  std::map<std::string, std::map<std::int64_t, Figures>, std::less<>> byName_;
};

}  // namespace callq::store
