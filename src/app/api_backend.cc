#include "app/api_backend.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>

#include "app/config_edit.h"
#include "app/persistence.h"
#include "app/report_query.h"
#include "store/report_format.h"
#include "store/store.h"

namespace callq::app {

using json = nlohmann::json;

namespace {

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

ApiBackend::ApiBackend(config::ServerConfig config, std::function<void(std::function<void()>)> post,
                       runtime::Runtime& runtime, Apply apply, Phones phones)
    : config_(std::move(config)),
      post_(std::move(post)),
      runtime_(runtime),
      apply_(std::move(apply)),
      phones_(std::move(phones)) {}

ApiBackend::~ApiBackend() = default;

void ApiBackend::read(std::function<void(const core::Engine&, Time)> f) {
  post_([this, f = std::move(f)] { f(runtime_.engine(), runtime_.now()); });
}

void ApiBackend::input(std::function<Result<void>(core::Engine&, Time)> f,
                       std::function<void(Result<void>)> done) {
  post_([this, f = std::move(f), done = std::move(done)] { done(runtime_.input(f)); });
}

std::string ApiBackend::agentPassword(const std::string& agent) const {
  std::lock_guard lock(configMutex_);
  const std::vector<core::AgentConfig>& agents = config_.engine.agents;
  for (std::size_t i = 0; i < agents.size() && i < config_.agentPasswords.size(); ++i) {
    if (agents[i].id == agent) {
      return config_.agentPasswords[i];
    }
  }
  return "";
}

Result<void> ApiBackend::openStore() {
  if (!store_) {
    auto opened = store::Store::open(config_.store.url, store::Store::Mode::kExisting);
    if (!opened) {
      return tl::unexpected(opened.error());
    }
    store_ = std::move(*opened);
  }
  return {};
}

Result<void> ApiBackend::applyOnServer(const config::ServerConfig& next) {
  // The signalling thread never waits for this one, so this cannot deadlock. If it does not
  // start the change within 5 s (a server stopping), it must not start it later either: whoever
  // moves `state` from kPending first decides.
  enum State : int { kPending, kStarted, kAbandoned };
  struct Pending {
    std::atomic<int> state{kPending};
    std::promise<Result<void>> done;
  };
  auto pending = std::make_shared<Pending>();
  std::future<Result<void>> result = pending->done.get_future();
  post_([this, next, pending] {
    int expected = kPending;
    if (pending->state.compare_exchange_strong(expected, kStarted)) {
      pending->done.set_value(apply_(next));
    }
  });
  if (result.wait_for(std::chrono::seconds(5)) == std::future_status::ready) {
    return result.get();
  }
  int expected = kPending;
  if (pending->state.compare_exchange_strong(expected, kAbandoned)) {
    return makeError(ErrorCode::kIo, "the server did not take the change (is it stopping?)");
  }
  return result.get();  // started meanwhile: it finishes
}

Result<void> ApiBackend::storeConfig(const config::ServerConfig& config) {
  Result<void> opened = openStore();
  return opened ? store_->replaceConfig(toStoreEntries(config)) : opened;
}

api::Reply ApiBackend::configure(const api::ConfigRequest& r) {
  const std::vector<std::string>& p = r.path;
  const auto reply = [](int status, std::string body) {
    return api::Reply{status, "application/json", std::move(body)};
  };
  if (r.method == "GET") {
    std::optional<std::string> found;
    if (p.empty()) {
      found = configJson(config_);
    } else if (p.size() == 2 && p[0] == "queues") {
      found = queueSettingsJson(config_, p[1]);
    } else if (p.size() == 2 && p[0] == "agents") {
      found = agentSettingsJson(config_, p[1]);
    }
    if (found) {
      return reply(200, std::move(*found));
    }
    if (p.size() == 2 && (p[0] == "queues" || p[0] == "agents")) {
      const std::string what = p[0] == "queues" ? "queue" : "agent";
      return api::errorReply(404, what, "no " + what + " '" + p[1] + "'");
    }
  }
  using Kind = ConfigEdit::Kind;
  using Op = ConfigEdit::Op;
  std::optional<ConfigEdit> edit;
  if (!p.empty() && (p[0] == "queues" || p[0] == "agents")) {
    const Kind kind = p[0] == "queues" ? Kind::kQueue : Kind::kAgent;
    if (p.size() == 1 && r.method == "POST") {
      edit = ConfigEdit{kind, Op::kCreate, "", r.body};
    } else if (p.size() == 2 && r.method == "PUT") {
      edit = ConfigEdit{kind, Op::kUpdate, p[1], r.body};
    } else if (p.size() == 2 && r.method == "DELETE") {
      edit = ConfigEdit{kind, Op::kDelete, p[1], ""};
    }
  } else if (p.size() == 1 && p[0] == "reasons" && r.method == "PUT") {
    edit = ConfigEdit{Kind::kReasons, Op::kUpdate, "", r.body};
  }
  if (!edit) {
    return api::errorReply(404, "",
                           "no " + r.method + " under /api/v1/config like this " +
                               "(docs/api.md lists the endpoints)");
  }
  tl::expected<Edited, EditError> edited = applyEdit(config_, *edit);
  if (!edited) {
    return api::errorReply(edited.error().status, edited.error().field, edited.error().reason);
  }
  // Stored first: a refusal by the running server is undone in the store, which nobody saw;
  // undoing a change the server had made would not give back what it had (logins ended).
  if (Result<void> stored = storeConfig(edited->config); !stored) {
    return api::errorReply(
        503, "", "the change could not be stored, nothing changed: " + stored.error().message);
  }
  if (Result<void> applied = applyOnServer(edited->config); !applied) {
    if (Result<void> back = storeConfig(config_); !back) {
      spdlog::error("api: the store keeps a configuration change the server refused ({}): {}",
                    applied.error().message, back.error().message);
    }
    const int status = applied.error().code == ErrorCode::kFailedPrecondition ? 409
                       : applied.error().code == ErrorCode::kIo               ? 503
                                                                              : 400;
    return api::errorReply(status, "", applied.error().message);
  }
  {
    std::lock_guard lock(configMutex_);
    config_ = std::move(edited->config);
  }
  spdlog::info("api: configuration changed: {} {}{}", r.method, p[0],
               p.size() > 1 ? "/" + p[1] : "");
  return reply(edit->op == Op::kCreate ? 201 : 200, std::move(edited->reply));
}

api::Reply ApiBackend::report(const api::ReportRequest& r) {
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
      return api::errorReply(400, name, "not a parameter of this report (docs/api.md)");
    }
  }
  // Comma-separated event types, as the command line takes them.
  ReportFilters filters{param(r, "period"), param(r, "from"), param(r, "to"), {},
                        param(r, "queue"),  param(r, "agent")};
  const std::string typeList = param(r, "type");
  for (std::string_view types = typeList; !types.empty();) {
    const std::size_t comma = types.find(',');
    filters.types.emplace_back(types.substr(0, comma));
    types = comma == std::string_view::npos ? std::string_view() : types.substr(comma + 1);
  }
  bool bad = false;
  filters.call = static_cast<std::uint64_t>(number(r, "call", &bad).value_or(0));
  if (bad) {
    return api::errorReply(400, "call", "expected a call number");
  }
  // A page holds 1 to 10,000 events; the CSV, any number (0 too: the console exports what it
  // shows).
  const std::optional<std::int64_t> limit = number(r, "limit", &bad);
  if (r.kind == Kind::kEventsCsv ? bad || (limit && *limit < 0)
                                 : bad || (limit && (*limit < 1 || *limit > 10'000))) {
    return api::errorReply(400, "limit",
                           r.kind == Kind::kEventsCsv ? "expected a number of events, 0 or more"
                                                      : "expected 1 to 10000");
  }
  const std::optional<std::int64_t> after = number(r, "after", &bad);
  if (bad) {
    return api::errorReply(400, "after", "expected an event id");
  }
  std::string field;
  Result<store::EventFilter> filter = eventFilter(filters, &field);
  if (!filter) {
    return api::errorReply(400, field, filter.error().message);
  }
  const std::string interval = param(r, "interval").empty() ? "total" : param(r, "interval");
  Result<store::StatsQuery> query = statsQuery(filters, interval, &field);
  if (stats && !query) {
    return api::errorReply(400, field, query.error().message);
  }
  if (Result<void> opened = openStore(); !opened) {
    return api::errorReply(503, "", "the store cannot be read: " + opened.error().message);
  }

  if (stats) {
    json rows = json::array();
    if (r.kind == Kind::kQueueStats) {
      auto out = store_->queueStats(*query);
      if (!out) {
        return api::errorReply(503, "", out.error().message);
      }
      for (const store::QueueStatsRow& row : *out) {
        json j = queueFiguresJson(row.figures);
        j["queue"] = row.queue;
        j["start"] = store::isoTime(row.startMs);
        j["start_ms"] = row.startMs;
        rows.push_back(std::move(j));
      }
    } else {
      auto out = store_->agentStats(*query);
      if (!out) {
        return api::errorReply(503, "", out.error().message);
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
                      json{{"interval", interval}, {"rows", std::move(rows)}}.dump(
                          -1, ' ', false, json::error_handler_t::replace)};
  }

  filter->afterId = after.value_or(0);
  std::string body;
  if (r.kind == Kind::kEventsCsv) {
    // Everything that matches (or the first `limit`): exactly what was filtered.
    store::appendCsvHeader(body);
    auto left = static_cast<std::uint64_t>(limit.value_or(-1));  // none: no end
    Result<void> read = forEachPage(*store_, *filter, [&](const store::EventPage& page) {
      for (std::size_t i = 0; i < page.events.size() && left > 0; ++i, --left) {
        store::appendCsvRow(body, page.events[i]);
      }
      return left > 0;
    });
    if (!read) {
      return api::errorReply(503, "", read.error().message);
    }
    return api::Reply{200, "text/csv; charset=utf-8", std::move(body)};
  }
  filter->limit = static_cast<std::size_t>(limit.value_or(100));
  auto page = store_->events(*filter);
  if (!page) {
    return api::errorReply(503, "", page.error().message);
  }
  body = "{\"events\":[";
  for (const store::EventRecord& e : page->events) {
    body += body.back() == '[' ? "" : ",";
    store::appendJsonObject(body, e, true);
  }
  body += "],\"next_after\":" +
          (page->nextAfterId == 0 ? std::string("null") : std::to_string(page->nextAfterId)) + "}";
  return api::Reply{200, "application/json", std::move(body)};
}

}  // namespace callq::app
