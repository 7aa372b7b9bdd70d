#include "app/api_backend.h"

#include <fmt/core.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "app/report_query.h"
#include "store/report_format.h"
#include "store/store.h"

namespace callq::app {

using json = nlohmann::json;

namespace {

api::Reply fail(int status, const std::string& field, const std::string& reason) {
  json e{{"status", status}, {"reason", reason}};
  if (!field.empty()) {
    e["field"] = field;
  }
  return api::Reply{status, "application/json", json{{"error", e}}.dump()};
}

std::string param(const api::ReportRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

// A whole number parameter: nullopt when absent; `bad` set when malformed.
std::optional<std::int64_t> number(const api::ReportRequest& r, const std::string& name,
                                   bool* bad) {
  const std::string text = param(r, name);
  if (text.empty()) {
    return std::nullopt;
  }
  std::size_t used = 0;
  try {
    const long long v = std::stoll(text, &used);
    if (used == text.size() && v >= 0) {
      return v;
    }
  } catch (const std::exception&) {
  }
  *bad = true;
  return std::nullopt;
}

json queueFiguresJson(const store::QueueFigures& f) {
  return {{"offered", f.offered},
          {"answered", f.answered},
          {"answered_within_sl", f.answeredWithinSl},
          {"abandoned", f.abandoned},
          {"abandoned_within_sl", f.abandonedWithinSl},
          {"exited", f.exited},
          {"refused", f.refused},
          {"service_level", f.serviceLevel()},
          {"asa_s", f.asaS()},
          {"handled", f.handled},
          {"aht_s", f.ahtS()},
          {"total_handle_s", static_cast<double>(f.handleMs) / 1000},
          {"longest_wait_s", static_cast<double>(f.longestWaitMs) / 1000}};
}

json agentFiguresJson(const store::AgentFigures& f) {
  json withdrawn = json::object();
  for (const auto& [reason, ms] : f.withdrawnMs) {
    withdrawn[reason] = static_cast<double>(ms) / 1000;
  }
  return {{"answered", f.answered},
          {"no_answers", f.noAnswers},
          {"handled", f.handled},
          {"talk_s", static_cast<double>(f.talkMs) / 1000},
          {"aht_s", f.ahtS()},
          {"total_handle_s", static_cast<double>(f.handleMs) / 1000},
          {"logged_in_s", static_cast<double>(f.loggedInMs) / 1000},
          {"withdrawn_s", std::move(withdrawn)}};
}

}  // namespace

ApiBackend::ApiBackend(std::string storeUrl, std::map<std::string, std::string> agentPasswords,
                       std::function<void(std::function<void()>)> post, runtime::Runtime& runtime)
    : storeUrl_(std::move(storeUrl)),
      agentPasswords_(std::move(agentPasswords)),
      post_(std::move(post)),
      runtime_(runtime) {}

ApiBackend::~ApiBackend() = default;

void ApiBackend::read(std::function<void(const core::Engine&, Time)> f) {
  post_([this, f = std::move(f)] { f(runtime_.engine(), runtime_.now()); });
}

void ApiBackend::input(std::function<Result<void>(core::Engine&, Time)> f,
                       std::function<void(Result<void>)> done) {
  post_([this, f = std::move(f), done = std::move(done)] { done(runtime_.input(f)); });
}

std::string ApiBackend::agentPassword(const std::string& agent) const {
  auto it = agentPasswords_.find(agent);
  return it == agentPasswords_.end() ? "" : it->second;
}

api::Reply ApiBackend::report(const api::ReportRequest& r, const api::Principal&) {
  using Kind = api::ReportRequest::Kind;
  const bool stats = r.kind == Kind::kQueueStats || r.kind == Kind::kAgentStats;
  static const std::set<std::string> kEventParams{"period", "from", "to",    "type", "queue",
                                                  "agent",  "call", "limit", "after"};
  static const std::set<std::string> kStatsParams{"period", "from",  "to",
                                                  "queue",  "agent", "interval"};
  for (const auto& [name, value] : r.params) {
    if (!(stats ? kStatsParams : kEventParams).contains(name) ||
        (r.kind == Kind::kQueueStats && name == "agent") ||
        (r.kind == Kind::kAgentStats && name == "queue")) {
      return fail(400, name, "not a parameter of this report (docs/api.md)");
    }
  }
  std::string field;
  auto range = reportPeriod(param(r, "period"), param(r, "from"), param(r, "to"), &field);
  if (!range) {
    return fail(400, field, range.error().message);
  }
  if (!store_) {
    auto opened = store::Store::open(storeUrl_, store::Store::Mode::kExisting);
    if (!opened) {
      return fail(503, "", "the store cannot be read: " + opened.error().message);
    }
    store_ = std::move(*opened);
  }

  if (stats) {
    const std::string intervalText = param(r, "interval").empty() ? "total" : param(r, "interval");
    const std::optional<store::Interval> interval = store::parseInterval(intervalText);
    if (!interval) {
      return fail(400, "interval", "expected 15min, hour, day or total");
    }
    store::StatsQuery q;
    q.interval = *interval;
    q.nowMs = nowMs();
    q.fromMs = std::max<std::int64_t>(range->first, 0);
    q.toMs = std::min(range->second, q.nowMs + store::kBucketMs);
    json rows = json::array();
    if (r.kind == Kind::kQueueStats) {
      if (!param(r, "queue").empty()) {
        q.queue = param(r, "queue");
      }
      auto out = store_->queueStats(q);
      if (!out) {
        return fail(503, "", out.error().message);
      }
      for (const store::QueueStatsRow& row : *out) {
        json j = queueFiguresJson(row.figures);
        j["queue"] = row.queue;
        j["start"] = store::isoTime(row.startMs);
        j["start_ms"] = row.startMs;
        rows.push_back(std::move(j));
      }
    } else {
      if (!param(r, "agent").empty()) {
        q.agent = param(r, "agent");
      }
      auto out = store_->agentStats(q);
      if (!out) {
        return fail(503, "", out.error().message);
      }
      for (const store::AgentStatsRow& row : *out) {
        json j = agentFiguresJson(row.figures);
        j["agent"] = row.agent;
        j["start"] = store::isoTime(row.startMs);
        j["start_ms"] = row.startMs;
        rows.push_back(std::move(j));
      }
    }
    return api::Reply{200, "application/json",
                      json{{"interval", intervalText}, {"rows", std::move(rows)}}.dump(
                          -1, ' ', false, json::error_handler_t::replace)};
  }

  store::EventFilter filter;
  if (range->first != std::numeric_limits<std::int64_t>::min()) {
    filter.fromMs = range->first;
  }
  filter.toMs = range->second;
  const std::set<std::string> known = eventTypeNames();
  const std::string types = param(r, "type");
  for (std::size_t start = 0; !types.empty() && start <= types.size();) {
    std::size_t comma = types.find(',', start);
    if (comma == std::string::npos) {
      comma = types.size();
    }
    const std::string type = types.substr(start, comma - start);
    if (!known.contains(type)) {
      return fail(400, "type", "unknown event '" + type + "'");
    }
    filter.types.push_back(type);
    start = comma + 1;
  }
  if (!param(r, "queue").empty()) {
    filter.queue = param(r, "queue");
  }
  if (!param(r, "agent").empty()) {
    filter.agent = param(r, "agent");
  }
  bool bad = false;
  if (auto call = number(r, "call", &bad); call) {
    filter.call = static_cast<std::uint64_t>(*call);
  } else if (bad) {
    return fail(400, "call", "expected a call number");
  }
  const std::optional<std::int64_t> limit = number(r, "limit", &bad);
  if (bad || (limit && (*limit < 1 || *limit > 10'000))) {
    return fail(400, "limit", "expected 1 to 10000");
  }
  const std::optional<std::int64_t> after = number(r, "after", &bad);
  if (bad) {
    return fail(400, "after", "expected an event id");
  }
  filter.afterId = after.value_or(0);

  if (r.kind == Kind::kEventsCsv) {
    // Everything that matches, page by page inside: exactly what was filtered.
    std::string csv;
    store::appendCsvHeader(csv);
    filter.limit = 10'000;
    for (;;) {
      auto page = store_->events(filter);
      if (!page) {
        return fail(503, "", page.error().message);
      }
      for (const store::EventRecord& e : page->events) {
        store::appendCsvRow(csv, e);
      }
      if (page->nextAfterId == 0) {
        break;
      }
      filter.afterId = page->nextAfterId;
    }
    return api::Reply{200, "text/csv; charset=utf-8", std::move(csv)};
  }
  filter.limit = static_cast<std::size_t>(limit.value_or(100));
  auto page = store_->events(filter);
  if (!page) {
    return fail(503, "", page.error().message);
  }
  std::string body = "{\"events\":[";
  for (std::size_t i = 0; i < page->events.size(); ++i) {
    std::string line;
    store::appendJsonLine(line, page->events[i]);
    line.pop_back();  // '\n'
    // The id first, for paging and links.
    body += (i == 0 ? "" : ",") + fmt::format("{{\"id\":{},", page->events[i].id) + line.substr(1);
  }
  body += "],\"next_after\":" +
          (page->nextAfterId == 0 ? std::string("null") : std::to_string(page->nextAfterId)) + "}";
  return api::Reply{200, "application/json", std::move(body)};
}

}  // namespace callq::app
