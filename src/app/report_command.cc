// `callq report`: events and statistics from the store, as CSV (RFC 4180) or Asterisk queue_log.
#include <fmt/core.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/persistence.h"
#include "app/report_query.h"
#include "core/event.h"
#include "store/report_format.h"
#include "store/store.h"

namespace callq::app {
namespace {

struct ReportArgs {
  std::string storeUrl;
  std::string config;
  ReportFilters filters;  // --period, --from, --to, --type, --queue, --agent, --call
  std::size_t limit = 0;
  std::int64_t after = 0;
  bool queueLog = false;
  std::string stats;  // "queue" or "agent"
  std::string interval = "total";
  std::string output;
};

int usage(const std::string& field, const Error& e) {
  fmt::print(stderr, "--{}: {}\n", field, e.message);
  return 1;
}

std::string seconds(std::int64_t ms) {
  return fmt::format("{:.3f}", static_cast<double>(ms) / 1000);
}

int writeStats(store::Store& store, const ReportArgs& args, const store::StatsQuery& q,
               std::FILE* out) {
  std::string text;
  if (args.stats == "queue") {
    Result<std::vector<store::QueueStatsRow>> rows = store.queueStats(q);
    if (!rows) {
      fmt::print(stderr, "{}\n", rows.error().message);
      return 1;
    }
    text +=
        "queue,interval_start,offered,answered,answered_within_sl,abandoned,"
        "abandoned_within_sl,exited,refused,service_level,asa_s,handled,aht_s,"
        "total_handle_s,longest_wait_s\r\n";
    for (const store::QueueStatsRow& r : *rows) {
      const store::QueueFigures& f = r.figures;
      std::string name;
      store::appendCsvField(name, r.queue);
      text +=
          fmt::format("{},{},{},{},{},{},{},{},{},{:.4f},{:.3f},{},{:.3f},{},{}\r\n", name,
                      store::isoTime(r.startMs), f.offered, f.answered, f.answeredWithinSl,
                      f.abandoned, f.abandonedWithinSl, f.exited, f.refused, f.serviceLevel(),
                      f.asaS(), f.handled, f.ahtS(), seconds(f.handleMs), seconds(f.longestWaitMs));
    }
  } else {
    Result<std::vector<store::AgentStatsRow>> rows = store.agentStats(q);
    if (!rows) {
      fmt::print(stderr, "{}\n", rows.error().message);
      return 1;
    }
    std::set<std::string> reasons;
    for (const store::AgentStatsRow& r : *rows) {
      for (const auto& [reason, ms] : r.figures.withdrawnMs) {
        reasons.insert(reason);
      }
    }
    text +=
        "agent,interval_start,answered,handled,no_answers,talk_s,aht_s,total_handle_s,"
        "logged_in_s,withdrawn_s";
    for (const std::string& reason : reasons) {
      text += ',';
      store::appendCsvField(text, "withdrawn_s:" + reason);
    }
    text += "\r\n";
    for (const store::AgentStatsRow& r : *rows) {
      const store::AgentFigures& f = r.figures;
      std::int64_t withdrawn = 0;
      for (const auto& [reason, ms] : f.withdrawnMs) {
        withdrawn += ms;
      }
      store::appendCsvField(text, r.agent);
      text += fmt::format(",{},{},{},{},{},{:.3f},{},{},{}", store::isoTime(r.startMs), f.answered,
                          f.handled, f.noAnswers, seconds(f.talkMs), f.ahtS(), seconds(f.handleMs),
                          seconds(f.loggedInMs), seconds(withdrawn));
      for (const std::string& reason : reasons) {
        auto it = f.withdrawnMs.find(reason);
        text += "," + seconds(it == f.withdrawnMs.end() ? 0 : it->second);
      }
      text += "\r\n";
    }
  }
  std::fwrite(text.data(), 1, text.size(), out);
  return 0;
}

int runReport(const ReportArgs& args) {
  if (!args.stats.empty() && args.stats != "queue" && args.stats != "agent") {
    fmt::print(stderr, "--stats: expected queue or agent (got '{}')\n", args.stats);
    return 1;
  }
  if (!args.stats.empty()) {
    const char* unused = !args.filters.types.empty()          ? "--type"
                         : args.filters.call != 0             ? "--call"
                         : args.limit != 0 || args.after != 0 ? "--limit and --after"
                         : args.queueLog                      ? "--queue-log"
                         : args.stats == "queue" && !args.filters.agent.empty() ? "--agent"
                         : args.stats == "agent" && !args.filters.queue.empty() ? "--queue"
                                                                                : nullptr;
    if (unused != nullptr) {
      fmt::print(stderr, "{} does not apply to --stats {}\n", unused, args.stats);
      return 1;
    }
  } else if (args.interval != "total") {
    fmt::print(stderr, "--interval applies to --stats only\n");
    return 1;
  }
  std::string field;
  Result<store::EventFilter> filter = eventFilter(args.filters, &field);
  if (!filter) {
    return usage(field, filter.error());
  }
  Result<store::StatsQuery> stats = statsQuery(args.filters, args.interval, &field);
  if (!args.stats.empty() && !stats) {
    return usage(field, stats.error());
  }
  Result<std::unique_ptr<store::Store>> store = openExistingStore(args.storeUrl, args.config);
  if (!store) {
    fmt::print(stderr, "{}\n", store.error().message);
    return 1;
  }
  std::FILE* out = stdout;
  if (!args.output.empty()) {
    out = std::fopen(args.output.c_str(), "wb");
    if (out == nullptr) {
      fmt::print(stderr, "{}: cannot write: {}\n", args.output, std::strerror(errno));
      return 1;
    }
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(out == stdout ? nullptr : out,
                                                         &std::fclose);
  if (!args.stats.empty()) {
    return writeStats(**store, args, *stats, out);
  }
  // Pages of 10,000 events, written as they come: an export of any size in bounded memory.
  filter->afterId = args.after;
  filter->limit = args.limit;
  std::string text;
  if (!args.queueLog) {
    store::appendCsvHeader(text);
  }
  Result<void> read = forEachPage(**store, *filter, [&](const store::EventPage& page) {
    for (const store::EventRecord& e : page.events) {
      args.queueLog ? store::appendQueueLogLine(text, e) : store::appendCsvRow(text, e);
    }
    std::fwrite(text.data(), 1, text.size(), out);
    text.clear();
    if (args.limit > 0 && page.nextAfterId != 0) {
      fmt::print(stderr, "more events: add --after {}\n", page.nextAfterId);
      return false;
    }
    return true;
  });
  if (!read) {
    fmt::print(stderr, "{}\n", read.error().message);
    return 1;
  }
  if (std::fflush(out) != 0) {
    fmt::print(stderr, "cannot write the report: {}\n", std::strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace

Command addReportCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand(
      "report", "Events or statistics from the store, as CSV (RFC 4180) or Asterisk queue_log");
  auto args = std::make_shared<ReportArgs>();
  cli->add_option("--store", args->storeUrl,
                  "Database: a SQLite file or postgresql://... (default: --config's [store] url, "
                  "else var/callq.db)");
  cli->add_option("--config", args->config, "Take the database from this file's [store] url");
  cli->add_option(
      "--period", args->filters.period,
      "today, yesterday, this-week, last-7-days, this-month or last-month (local time)");
  cli->add_option("--from", args->filters.from,
                  "From this time: 2026-11-21, 2026-11-21T08:00, ...+01:00");
  cli->add_option("--to", args->filters.to, "Until this time (excluded)");
  cli->add_option("--type", args->filters.types, "Only these events (repeat, or comma-separated)")
      ->delimiter(',');
  cli->add_option("--queue", args->filters.queue, "Only this queue's events");
  cli->add_option("--agent", args->filters.agent, "Only this agent's events");
  cli->add_option("--call", args->filters.call, "Only this call's events");
  cli->add_option("--limit", args->limit, "At most this many events (a page); says how to go on");
  cli->add_option("--after", args->after, "The events after this id (the next page)");
  cli->add_flag("--queue-log", args->queueLog, "Asterisk queue_log lines instead of CSV");
  cli->add_option("--stats", args->stats, "Statistics per queue or per agent instead of events");
  cli->add_option("--interval", args->interval, "Statistics per 15min, hour, day or total");
  cli->add_option("--output,-o", args->output, "Write to this file instead of standard output");
  return {cli, [args] { return runReport(*args); }};
}

}  // namespace callq::app
