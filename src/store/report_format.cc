#include "store/report_format.h"

#include <fmt/format.h>

#include <array>
#include <ctime>
#include <iterator>
#include <limits>
#include <optional>

#include "core/event.h"

namespace callq::store {
namespace {

// --- Time helpers --------------------------------------------------------------------------------

// Floor division: -1 ms is 1969-12-31T23:59:59.999, not 1970-01-01T00:00:00.-001.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

// The remainder matching floorDiv, in [0, b) for b > 0.
std::int64_t floorMod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

bool toLocal(std::int64_t ms, std::tm& out) {
  const auto seconds = static_cast<std::time_t>(floorDiv(ms, 1000));
  return localtime_r(&seconds, &out) != nullptr;
}

// mktime of a local wall-clock time; fields may be out of range (mday 0 is the previous month's
// last day). tm_wday is only written on success, which tells a failure from the valid -1 result.
// Empty also when the result in milliseconds would overflow.
std::optional<std::int64_t> localToEpochMs(int year, int mon0, int mday, int hour = 0, int min = 0,
                                           int sec = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon0;
  tm.tm_mday = mday;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  tm.tm_isdst = -1;
  tm.tm_wday = -1;
  const std::time_t t = std::mktime(&tm);
  constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 1000;
  if (tm.tm_wday == -1 || t > kLimit || t < -kLimit) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(t) * 1000;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && isLeap(y)) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-days algorithm).
std::int64_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// --- parseTime -----------------------------------------------------------------------------------

struct TimeFields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  std::optional<int> offsetMinutes;  // set when the text names a zone
};

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool atDigit() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  // Exactly n digits.
  bool number(int n, int& out) {
    out = 0;
    for (int i = 0; i < n; ++i) {
      if (!atDigit()) {
        return false;
      }
      out = out * 10 + (text_[pos_++] - '0');
    }
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// ".f" with 1 to 9 digits, to milliseconds (truncated).
bool parseFraction(Cursor& c, int& millis) {
  int scale = 100;
  int count = 0;
  millis = 0;
  for (int digit = 0; c.atDigit(); ++count) {
    c.number(1, digit);
    millis += digit * scale;
    scale /= 10;
  }
  return count >= 1 && count <= 9;
}

bool parseZone(Cursor& c, TimeFields& f) {
  if (c.eat('Z')) {
    f.offsetMinutes = 0;
    return true;
  }
  const int sign = c.eat('+') ? 1 : (c.eat('-') ? -1 : 0);
  int hh = 0;
  int mm = 0;
  if (sign == 0 || !c.number(2, hh)) {
    return false;
  }
  c.eat(':');
  if (!c.number(2, mm) || hh > 23 || mm > 59) {
    return false;
  }
  f.offsetMinutes = sign * (hh * 60 + mm);
  return true;
}

bool parseClock(Cursor& c, TimeFields& f) {
  if (!c.number(2, f.hour) || !c.eat(':') || !c.number(2, f.minute)) {
    return false;
  }
  if (c.eat(':')) {
    if (!c.number(2, f.second)) {
      return false;
    }
    if (c.eat('.') && !parseFraction(c, f.millis)) {
      return false;
    }
  }
  return c.done() || parseZone(c, f);
}

std::optional<TimeFields> parseFields(std::string_view text) {
  Cursor c(text);
  TimeFields f;
  if (!c.number(4, f.year) || !c.eat('-') || !c.number(2, f.month) || !c.eat('-') ||
      !c.number(2, f.day)) {
    return std::nullopt;
  }
  if (!c.done() && !((c.eat('T') || c.eat(' ')) && parseClock(c, f))) {
    return std::nullopt;
  }
  if (!c.done()) {
    return std::nullopt;
  }
  return f;
}

// The first field out of range, or nullptr.
const char* badField(const TimeFields& f) {
  if (f.month < 1 || f.month > 12) {
    return "month";
  }
  if (f.day < 1 || f.day > daysInMonth(f.year, f.month)) {
    return "day";
  }
  if (f.hour > 23) {
    return "hour";
  }
  if (f.minute > 59) {
    return "minute";
  }
  return f.second > 59 ? "second" : nullptr;
}

// --- periodRange ---------------------------------------------------------------------------------

// [from, to) as local dates of now's year (month 0-based); mktime normalizes out-of-range days and
// months, so day 0 is the previous month's last day and month -1 is last year's December.
struct Span {
  int fromMon, fromDay, toMon, toDay;
};

std::optional<Span> presetSpan(std::string_view preset, const std::tm& now) {
  const int mon = now.tm_mon;
  const int day = now.tm_mday;
  const int monday = day - (now.tm_wday + 6) % 7;  // tm_wday: 0 is Sunday
  if (preset == "today") {
    return Span{mon, day, mon, day + 1};
  }
  if (preset == "yesterday") {
    return Span{mon, day - 1, mon, day};
  }
  if (preset == "this-week") {
    return Span{mon, monday, mon, monday + 7};
  }
  if (preset == "last-7-days") {
    return Span{mon, day - 6, mon, day + 1};
  }
  if (preset == "this-month") {
    return Span{mon, 1, mon + 1, 1};
  }
  if (preset == "last-month") {
    return Span{mon - 1, 1, mon, 1};
  }
  return std::nullopt;
}

// --- Text helpers --------------------------------------------------------------------------------

// Seconds with 3 decimals: 12345 -> "12.345", -500 -> "-0.500".
void appendSeconds3(std::string& out, std::int64_t ms) {
  const std::uint64_t mag =
      ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
  fmt::format_to(std::back_inserter(out), "{}{}.{:03}", ms < 0 ? "-" : "", mag / 1000, mag % 1000);
}

// Nearest whole second, halves away from zero.
std::int64_t roundSeconds(std::int64_t ms) {
  const std::int64_t rest = ms % 1000;  // no ms + 500: it could overflow
  return ms / 1000 + (rest >= 500 ? 1 : 0) - (rest <= -500 ? 1 : 0);
}

}  // namespace

namespace {

// Would a spreadsheet run this field as a formula? A caller id is the caller's to choose
// ("=HYPERLINK(...)"). A phone number ("+33 1 23", "-12") is left as it is: without a letter or
// other sign a formula cannot call anything.
bool formulaLike(std::string_view field) {
  if (field.empty()) {
    return false;
  }
  const char first = field.front();
  if (first == '=' || first == '@' || first == '\t' || first == '\r') {
    return true;
  }
  if (first != '+' && first != '-') {
    return false;
  }
  return field.find_first_not_of("0123456789 ()-+./#*", 1) != std::string_view::npos;
}

}  // namespace

void appendCsvField(std::string& out, std::string_view field) {
  const bool formula = formulaLike(field);
  if (!formula && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  if (formula) {
    out += '\'';  // shown as text, not run
  }
  for (const char ch : field) {
    if (ch == '"') {
      out += '"';
    }
    out += ch;
  }
  out += '"';
}

namespace {

// queue_log text: '|', CR and LF become spaces; empty becomes "NONE" where asked.
void appendLogText(std::string& out, std::string_view text, bool noneIfEmpty = false) {
  if (text.empty() && noneIfEmpty) {
    out += "NONE";
    return;
  }
  for (const char ch : text) {
    out += (ch == '|' || ch == '\r' || ch == '\n') ? ' ' : ch;
  }
}

// --- Per-type facts ------------------------------------------------------------------------------

core::EventDurations durationsOf(std::string_view type) {
  const std::optional<core::EventType> t = core::parseEventType(type);
  return t ? core::eventDurations(*t) : core::EventDurations{};
}

using DataWriter = void (*)(std::string& out, const EventRecord& e);

struct QueueLogLayout {
  std::string_view type;
  DataWriter data;
};

// The data fields after "EVENT|", per app_queue.c's ast_queue_log calls.
void positionsData(std::string& out, const EventRecord& e) {
  fmt::format_to(std::back_inserter(out), "{}|{}|{}", e.position, e.originalPosition,
                 roundSeconds(e.waitMs));
}
void callTimesData(std::string& out, const EventRecord& e) {
  fmt::format_to(std::back_inserter(out), "{}|{}|{}", roundSeconds(e.waitMs),
                 roundSeconds(e.talkMs), e.originalPosition);
}
void noData(std::string&, const EventRecord&) {}
void reasonData(std::string& out, const EventRecord& e) { appendLogText(out, e.reason); }
void ringMsData(std::string& out, const EventRecord& e) {
  fmt::format_to(std::back_inserter(out), "{}", e.ringMs);
}

constexpr std::array<QueueLogLayout, 18> kLayouts = {{
    {"ENTERQUEUE",
     [](std::string& out, const EventRecord& e) {
       out += '|';  // the URL Asterisk callers may pass to Queue(); callq has none
       appendLogText(out, e.reason);
       fmt::format_to(std::back_inserter(out), "|{}", e.position);
     }},
    {"CONNECT",
     [](std::string& out, const EventRecord& e) {
       fmt::format_to(std::back_inserter(out), "{}|{}|{}", roundSeconds(e.waitMs), e.call,
                      roundSeconds(e.ringMs));
     }},
    {"ABANDON", positionsData},
    {"EXITEMPTY", positionsData},
    {"EXITWITHTIMEOUT", positionsData},
    {"SERVERRESTART", positionsData},
    {"EXITWITHKEY",
     [](std::string& out, const EventRecord& e) {
       appendLogText(out, e.key);
       out += '|';
       positionsData(out, e);
     }},
    {"COMPLETEAGENT", callTimesData},
    {"COMPLETECALLER", callTimesData},
    {"RINGNOANSWER", ringMsData},
    {"RINGCANCELED", ringMsData},
    {"BLINDTRANSFER",
     [](std::string& out, const EventRecord& e) {
       appendLogText(out, e.reason);
       out += "|callq|";
       callTimesData(out, e);
     }},
    {"ATTENDEDTRANSFER",
     [](std::string& out, const EventRecord& e) {
       out += "BRIDGE|";
       appendLogText(out, e.reason);
       out += '|';
       callTimesData(out, e);
     }},
    {"ADDMEMBER", noData},
    {"REMOVEMEMBER", noData},
    {"UNAVAILABLE", noData},
    {"PAUSE", reasonData},
    {"UNPAUSE", reasonData},
}};

// "EVENT|data". A type callq may add later is written by name with its reason as data.
void appendQueueLogEvent(std::string& out, const EventRecord& e) {
  if (e.type == "JOINREFUSED" && (e.reason == "full" || e.reason == "empty")) {
    out += e.reason == "full" ? "FULL|" : "JOINEMPTY|";
    return;
  }
  appendLogText(out, e.type);
  out += '|';
  for (const QueueLogLayout& layout : kLayouts) {
    if (layout.type == e.type) {
      layout.data(out, e);
      return;
    }
  }
  reasonData(out, e);
}

}  // namespace

std::string isoTime(std::int64_t ms) {
  std::tm tm{};
  if (!toLocal(ms, tm)) {
    return fmt::format("{}", ms);
  }
  const long offsetMin = tm.tm_gmtoff / 60;
  const long absMin = offsetMin < 0 ? -offsetMin : offsetMin;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}:{:02}", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     floorMod(ms, 1000), offsetMin < 0 ? '-' : '+', absMin / 60, absMin % 60);
}

Result<std::int64_t> parseTime(std::string_view text) {
  const std::optional<TimeFields> f = parseFields(text);
  if (!f) {
    return makeError(
        ErrorCode::kInvalidArgument,
        fmt::format("expected a time like 2026-11-21 or 2026-11-21T14:00, got '{}'", text));
  }
  if (const char* field = badField(*f)) {
    return makeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} out of range in time '{}'", field, text));
  }
  if (f->offsetMinutes) {
    const std::int64_t seconds = daysFromCivil(f->year, f->month, f->day) * 86400 + f->hour * 3600 +
                                 f->minute * 60 + f->second - *f->offsetMinutes * 60;
    return seconds * 1000 + f->millis;
  }
  const std::optional<std::int64_t> local =
      localToEpochMs(f->year, f->month - 1, f->day, f->hour, f->minute, f->second);
  if (!local) {
    return makeError(ErrorCode::kInvalidArgument,
                     fmt::format("time '{}' cannot be represented here", text));
  }
  return *local + f->millis;
}

Result<std::pair<std::int64_t, std::int64_t>> periodRange(std::string_view preset,
                                                          std::int64_t nowMs) {
  std::tm now{};
  if (!toLocal(nowMs, now)) {
    return makeError(ErrorCode::kInvalidArgument, fmt::format("time {} out of range", nowMs));
  }
  const std::optional<Span> span = presetSpan(preset, now);
  if (!span) {
    return makeError(ErrorCode::kInvalidArgument,
                     fmt::format("unknown period '{}': expected today, yesterday, this-week, "
                                 "last-7-days, this-month or last-month",
                                 preset));
  }
  const int year = now.tm_year + 1900;
  const std::optional<std::int64_t> from = localToEpochMs(year, span->fromMon, span->fromDay);
  const std::optional<std::int64_t> to = localToEpochMs(year, span->toMon, span->toDay);
  if (!from || !to) {
    return makeError(ErrorCode::kInvalidArgument, fmt::format("time {} out of range", nowMs));
  }
  return std::pair{*from, *to};
}

void appendCsvHeader(std::string& out) {
  out +=
      "id,time,event,call,queue,agent,position,original_position,wait_s,talk_s,ring_s,key,"
      "reason\r\n";
}

void appendCsvRow(std::string& out, const EventRecord& e) {
  const core::EventDurations has = durationsOf(e.type);
  auto number = [&out](auto value) {
    if (value != 0) {
      fmt::format_to(std::back_inserter(out), "{}", value);
    }
    out += ',';
  };
  auto seconds = [&out](bool present, std::int64_t ms) {
    if (present) {
      appendSeconds3(out, ms);
    }
    out += ',';
  };
  fmt::format_to(std::back_inserter(out), "{},{},", e.id, isoTime(e.timeMs));
  appendCsvField(out, e.type);
  out += ',';
  number(e.call);
  appendCsvField(out, e.queue);
  out += ',';
  appendCsvField(out, e.agent);
  out += ',';
  number(e.position);
  number(e.originalPosition);
  seconds(has.wait, e.waitMs);
  seconds(has.talk, e.talkMs);
  seconds(has.ring, e.ringMs);
  appendCsvField(out, e.key);
  out += ',';
  appendCsvField(out, e.reason);
  out += "\r\n";
}

void appendQueueLogLine(std::string& out, const EventRecord& e) {
  fmt::format_to(std::back_inserter(out), "{}|", floorDiv(e.timeMs, 1000));
  if (e.call != 0) {
    fmt::format_to(std::back_inserter(out), "{}|", e.call);
  } else {
    out += "NONE|";
  }
  appendLogText(out, e.queue, true);
  out += '|';
  appendLogText(out, e.agent, true);
  out += '|';
  appendQueueLogEvent(out, e);
  out += '\n';
}

namespace {

void appendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void appendJsonText(std::string& out, std::string_view key, std::string_view text) {
  fmt::format_to(std::back_inserter(out), ",\"{}\":", key);
  appendJsonString(out, text);
}

}  // namespace

void appendJsonLine(std::string& out, const EventRecord& e) {
  appendJsonObject(out, e, false);
  out += '\n';
}

void appendJsonObject(std::string& out, const EventRecord& e, bool withId) {
  out += '{';
  if (withId) {
    fmt::format_to(std::back_inserter(out), "\"id\":{},", e.id);
  }
  fmt::format_to(std::back_inserter(out), "\"time_ms\":{}", e.timeMs);
  appendJsonText(out, "time", isoTime(e.timeMs));
  appendJsonText(out, "event", e.type);
  if (e.call != 0) {
    fmt::format_to(std::back_inserter(out), ",\"call\":{}", e.call);
  }
  if (!e.queue.empty()) {
    appendJsonText(out, "queue", e.queue);
  }
  if (!e.agent.empty()) {
    appendJsonText(out, "agent", e.agent);
  }
  if (e.position > 0) {
    fmt::format_to(std::back_inserter(out), ",\"position\":{}", e.position);
  }
  if (e.originalPosition > 0) {
    fmt::format_to(std::back_inserter(out), ",\"original_position\":{}", e.originalPosition);
  }
  const core::EventDurations has = durationsOf(e.type);
  if (has.wait) {
    fmt::format_to(std::back_inserter(out), ",\"wait_ms\":{}", e.waitMs);
  }
  if (has.talk) {
    fmt::format_to(std::back_inserter(out), ",\"talk_ms\":{}", e.talkMs);
  }
  if (has.ring) {
    fmt::format_to(std::back_inserter(out), ",\"ring_ms\":{}", e.ringMs);
  }
  if (!e.key.empty()) {
    appendJsonText(out, "key", e.key);
  }
  if (!e.reason.empty()) {
    appendJsonText(out, "reason", e.reason);
  }
  out += '}';
}

}  // namespace callq::store
