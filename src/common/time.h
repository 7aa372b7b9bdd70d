// Time types shared by every layer. The core never reads a clock: time is always an argument.
// Times are milliseconds since the Unix epoch; durations are milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace callq {

using Duration = std::chrono::milliseconds;
using Time = std::chrono::time_point<std::chrono::system_clock, Duration>;

inline constexpr Time kNever = Time::max();

inline constexpr std::int64_t toMillis(Time t) { return t.time_since_epoch().count(); }
inline constexpr Time fromMillis(std::int64_t ms) { return Time(Duration(ms)); }
// For reports and figures: a duration in (fractional) seconds.
inline constexpr double toSeconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace callq
