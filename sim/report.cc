#include "sim/report.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

namespace callq::sim {
namespace {

// "08:15" (UTC), or "d2 08:15" past the first day of the period.
std::string clockLabel(Time start, Time t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const auto sinceMidnight = std::chrono::duration_cast<std::chrono::minutes>(t - days);
  const auto day =
      std::chrono::floor<std::chrono::days>(t - std::chrono::floor<std::chrono::days>(start));
  const std::string hhmm =
      fmt::format("{:02}:{:02}", sinceMidnight.count() / 60, sinceMidnight.count() % 60);
  return day.count() == 0 ? hhmm : fmt::format("d{} {}", day.count() + 1, hhmm);
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100); }

void row(std::string& out, const std::string& label, const Figures& f) {
  fmt::format_to(
      std::back_inserter(out), "  {:<13} {:>8} {:>8} {:>9} {:>10} {:>7} {:>8} {:>8} {:>9} {:>9}\n",
      label, f.offered, f.answered, f.abandoned, f.overflowed + f.refused,
      percent(f.serviceLevel()), fmt::format("{:.1f}", f.asaS()), fmt::format("{:.1f}", f.ahtS()),
      fmt::format("{:.0f}", toSeconds(f.longestWait)), percent(f.occupancy()));
}

void table(std::string& out, const SimResult& r, const std::vector<Figures>& intervals,
           const Figures& total) {
  fmt::format_to(std::back_inserter(out),
                 "  {:<13} {:>8} {:>8} {:>9} {:>10} {:>7} {:>8} {:>8} {:>9} {:>9}\n", "interval",
                 "offered", "answered", "abandoned", "overflowed", "SL", "ASA s", "AHT s",
                 "longest s", "occupancy");
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const Time from = r.start + r.interval * static_cast<std::int64_t>(i);
    row(out,
        clockLabel(r.start, from) + "-" +
            clockLabel(r.start, std::min(from + r.interval, r.start + r.duration)),
        intervals[i]);
  }
  row(out, "total", total);
  if (total.waitingAtEnd > 0) {
    fmt::format_to(std::back_inserter(out),
                   "  ({} callers were still waiting when the simulation stopped)\n",
                   total.waitingAtEnd);
  }
}

nlohmann::ordered_json figuresJson(const Figures& f) {
  nlohmann::ordered_json j;
  j["offered"] = f.offered;
  j["answered"] = f.answered;
  j["abandoned"] = f.abandoned;
  j["overflowed"] = f.overflowed;
  j["refused"] = f.refused;
  j["waiting_at_end"] = f.waitingAtEnd;
  j["p_wait"] = f.pWait();
  j["asa_s"] = f.asaS();
  j["service_level"] = f.serviceLevel();
  j["abandon_rate"] = f.abandonRate();
  j["aht_s"] = f.ahtS();
  j["occupancy"] = f.occupancy();
  j["longest_wait_s"] = toSeconds(f.longestWait);
  return j;
}

nlohmann::ordered_json intervalsJson(const SimResult& r, const std::vector<Figures>& intervals) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    nlohmann::ordered_json j;
    j["start"] = isoTime(r.start + r.interval * static_cast<std::int64_t>(i));
    j.update(figuresJson(intervals[i]));
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace

std::string isoTime(Time t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  const std::int64_t ms = (t - days).count();
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
}

std::string formatReport(const SimResult& r) {
  std::string out;
  fmt::format_to(
      std::back_inserter(out),
      "Simulated {} from {} in {}-minute intervals: {} calls, {} engine events.\n"
      "SL = answered within the queue's threshold / offered; ASA = mean wait of answered "
      "calls; AHT = talk + wrap-up; occupancy = agents' handling time / staffed time.\n",
      fmt::format("{:.2f} h", toSeconds(r.duration) / 3600), isoTime(r.start),
      r.interval.count() / 60'000, r.calls, r.events);
  for (const QueueResult& q : r.queues) {
    fmt::format_to(std::back_inserter(out), "\nqueue '{}' (threshold {} s)\n", q.name,
                   q.threshold.count() / 1000);
    table(out, r, q.intervals, q.total);
  }
  if (r.queues.size() > 1) {
    out += "\nall queues\n";
    table(out, r, r.intervals, r.total);
  }
  return out;
}

std::string formatJson(const SimResult& r) {
  nlohmann::ordered_json j;
  j["start"] = isoTime(r.start);
  j["duration_s"] = toSeconds(r.duration);
  j["interval_s"] = toSeconds(r.interval);
  j["calls"] = r.calls;
  j["events"] = r.events;
  j["total"] = figuresJson(r.total);
  j["intervals"] = intervalsJson(r, r.intervals);
  nlohmann::ordered_json queues = nlohmann::ordered_json::array();
  for (const QueueResult& q : r.queues) {
    nlohmann::ordered_json jq;
    jq["name"] = q.name;
    jq["threshold_s"] = toSeconds(q.threshold);
    jq["total"] = figuresJson(q.total);
    jq["intervals"] = intervalsJson(r, q.intervals);
    queues.push_back(std::move(jq));
  }
  j["queues"] = std::move(queues);
  return j.dump() + "\n";
}

std::string formatSvg(const SimResult& r) {
  constexpr double kWidth = 900, kHeight = 420, kLeft = 60, kRight = 60, kTop = 40, kBottom = 50;
  const double plotW = kWidth - kLeft - kRight;
  const double plotH = kHeight - kTop - kBottom;
  const double total = std::max(1.0, toSeconds(r.duration));
  std::uint32_t maxWaiting = 1;
  for (std::uint32_t w : r.waitingSamples) {
    maxWaiting = std::max(maxWaiting, w);
  }
  const auto x = [&](double s) { return kLeft + plotW * s / total; };
  const auto ySl = [&](double f) { return kTop + plotH * (1 - f); };
  const auto yWait = [&](double n) { return kTop + plotH * (1 - n / maxWaiting); };

  std::string out;
  auto add = [&out]<typename... Args>(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
  };
  add("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      kWidth, kHeight, kWidth, kHeight);
  add("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  add("<text x=\"{}\" y=\"22\" font-size=\"15\">Service level per interval and callers waiting "
      "(all queues), from {}</text>\n",
      kLeft, isoTime(r.start));
  // Grid and left axis: service level 0-100 %.
  for (int p = 0; p <= 100; p += 20) {
    add("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", kLeft,
        ySl(p / 100.0), kLeft + plotW, ySl(p / 100.0));
    add("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#1f6fb2\">{}%</text>\n", kLeft - 6,
        ySl(p / 100.0) + 4, p);
  }
  // Right axis: callers waiting.
  for (int i = 0; i <= 4; ++i) {
    const double n = maxWaiting * i / 4.0;
    add("<text x=\"{}\" y=\"{:.1f}\" fill=\"#c2571a\">{:.0f}</text>\n", kLeft + plotW + 6,
        yWait(n) + 4, n);
  }
  // Time axis: up to 12 labels.
  const double hours = total / 3600;
  const double stepH = hours <= 12 ? 1 : std::ceil(hours / 12);
  for (double h = 0; h <= hours + 1e-9; h += stepH) {
    add("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x(h * 3600),
        kTop + plotH + 18,
        clockLabel(r.start, r.start + Duration(static_cast<std::int64_t>(h * 3.6e6))));
  }
  add("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n", kLeft,
      kTop, plotW, plotH);
  // Callers waiting: a step line over the samples.
  std::string points;
  for (std::size_t i = 0; i < r.waitingSamples.size(); ++i) {
    const double t = toSeconds(r.sampleStep) * static_cast<double>(i);
    fmt::format_to(std::back_inserter(points), "{:.1f},{:.1f} ", x(t), yWait(r.waitingSamples[i]));
  }
  add("<polyline fill=\"none\" stroke=\"#c2571a\" stroke-width=\"1.2\" points=\"{}\"/>\n", points);
  // Service level: one point per interval with calls, at the interval's middle.
  points.clear();
  for (std::size_t i = 0; i < r.intervals.size(); ++i) {
    if (r.intervals[i].offered == 0) {
      continue;
    }
    const double mid = toSeconds(r.interval) * (static_cast<double>(i) + 0.5);
    fmt::format_to(std::back_inserter(points), "{:.1f},{:.1f} ", x(std::min(mid, total)),
                   ySl(r.intervals[i].serviceLevel()));
  }
  add("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"{}\"/>\n", points);
  // Legend.
  add("<text x=\"{}\" y=\"{}\" fill=\"#1f6fb2\">&#9632; service level</text>\n", kLeft,
      kHeight - 10);
  add("<text x=\"{}\" y=\"{}\" fill=\"#c2571a\">&#9632; callers waiting (right axis)</text>\n",
      kLeft + 140, kHeight - 10);
  add("</svg>\n");
  return out;
}

}  // namespace callq::sim
