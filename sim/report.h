// Presenting a simulation: a text report for people, JSON for programs (the same key names as
// `callq erlang --json`), an SVG chart of service level and waiting callers over time, and the
// event log (one JSON object per line, the fields the server stores for each event).
#pragma once

#include <string>

#include "core/config.h"
#include "core/event.h"
#include "sim/simulator.h"

namespace callq::sim {

// Per queue: one row per interval and a total; then the same for all queues together.
std::string formatReport(const SimResult& result);

// One JSON object: {"start", "duration_s", "interval_s", "calls", "events", "total": {...},
// "intervals": [...], "queues": [{"name", "threshold_s", "total", "intervals"}]}. Figures use the
// keys offered, answered, abandoned, overflowed, refused, waiting_at_end, p_wait, asa_s,
// service_level, abandon_rate, aht_s, occupancy, longest_wait_s (fractions 0..1, times seconds).
std::string formatJson(const SimResult& result);

// A self-contained SVG: service level per interval (all queues) and callers waiting over time.
std::string formatSvg(const SimResult& result);

// "2026-01-05T08:00:00.000Z".
std::string isoTime(Time t);

}  // namespace callq::sim
