// Report formatting: pure functions turning EventRecords into text (ISO 8601 times, CSV, Asterisk
// queue_log lines), parsing report time arguments, and resolving period presets ("today", ...).
//
// Nothing here does I/O or throws. Times are epoch milliseconds; "local" means the process time
// zone (the TZ environment variable, read through localtime_r/mktime). Every function is safe to
// call from any thread as long as no thread changes TZ (setenv + tzset) at the same time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"
#include "store/records.h"

namespace callq::store {

// --- Times ---------------------------------------------------------------------------------------

// ISO 8601 local time with milliseconds and the zone's offset at that instant, always as +HH:MM or
// -HH:MM (never "Z"): "2026-11-21T14:03:07.250+01:00". Offsets with seconds (local mean time
// before a zone's first standard time) are truncated to whole minutes. Years past 9999 take more
// digits; should localtime_r ever fail, the result is the bare decimal milliseconds.
std::string isoTime(std::int64_t ms);

// Parses a report time argument to epoch milliseconds. Accepted:
//   YYYY-MM-DD                      local midnight
//   YYYY-MM-DD[T| ]HH:MM[:SS[.f]]   f: 1 to 9 digits, kept to the millisecond (truncated)
// optionally followed (after a time only) by a zone: "Z", +HH:MM, -HH:MM, +HHMM or -HHMM.
// Without a zone the time is local (mktime, tm_isdst = -1): in a DST fall-back hour the C library
// picks one of the two instants; a time inside a spring-forward gap is moved by the library.
// Fields are range-checked (month 1-12, day within the month, hour 0-23, minute and second 0-59,
// zone up to 23:59). Error kInvalidArgument with a message naming the input.
Result<std::int64_t> parseTime(std::string_view text);

// A preset period as [from, to) in epoch milliseconds, relative to nowMs. Day boundaries are local
// midnights from mktime, so a day is 23 or 25 hours long across a DST change.
//   today        today 00:00 to tomorrow 00:00
//   yesterday    yesterday 00:00 to today 00:00
//   this-week    Monday 00:00 of this week to the next Monday 00:00 (a Sunday belongs to the week
//                that began six days earlier)
//   last-7-days  00:00 six days before today to tomorrow 00:00: seven whole days including today
//   this-month   the 1st of this month 00:00 to the 1st of next month 00:00
//   last-month   the 1st of last month 00:00 to the 1st of this month 00:00
// Unknown preset: kInvalidArgument listing the accepted names.
Result<std::pair<std::int64_t, std::int64_t>> periodRange(std::string_view preset,
                                                          std::int64_t nowMs);

// --- CSV (RFC 4180) ------------------------------------------------------------------------------
//
// Columns:
// id,time,event,call,queue,agent,position,original_position,wait_s,talk_s,ring_s,key,reason
//   time       isoTime(timeMs)
//   call       empty when 0; position and original_position likewise
//   wait_s     seconds with 3 decimals ("12.345"), only for CONNECT and the terminal events except
//              JOINREFUSED (ABANDON EXITEMPTY EXITWITHTIMEOUT EXITWITHKEY COMPLETEAGENT
//              COMPLETECALLER BLINDTRANSFER ATTENDEDTRANSFER SERVERRESTART); empty otherwise
//   talk_s     likewise, only for COMPLETEAGENT COMPLETECALLER BLINDTRANSFER ATTENDEDTRANSFER
//   ring_s     likewise, only for CONNECT RINGNOANSWER RINGCANCELED
// Every line ends with CRLF. A field is quoted iff it holds a comma, a double quote, CR or LF;
// inner double quotes are doubled. Bytes pass through unchanged (UTF-8 stays UTF-8), except that
// a field a spreadsheet would run as a formula (starting with = @ TAB CR, or + - followed by more
// than a phone number's digits and signs) is quoted with a ' in front: "'=1+1".

// Appends one field, quoted if needed (for other CSV tables, such as statistics).
void appendCsvField(std::string& out, std::string_view field);

// Appends the header line.
void appendCsvHeader(std::string& out);

// Appends one line for the event.
void appendCsvRow(std::string& out, const EventRecord& e);

// --- JSON lines ----------------------------------------------------------------------------------

// One JSON object and '\n' (`callq serve --events`, `callq simulate --events`): time_ms, time
// (isoTime), event, then call, queue, agent, position, original_position, wait_ms, talk_ms,
// ring_ms, key and reason where they apply (the durations as in the CSV).
void appendJsonLine(std::string& out, const EventRecord& e);
// The same object without the newline, with the event's id first if `withId` (the API).
void appendJsonObject(std::string& out, const EventRecord& e, bool withId);

// --- Asterisk queue_log --------------------------------------------------------------------------
//
// One line per event, as Asterisk's app_queue writes /var/log/asterisk/queue_log:
//   epoch|callid|queue|agent|EVENT|data1|data2|...\n
// epoch: whole seconds (floor); callid: the call number, "NONE" for agent events; queue and
// agent: the name, or "NONE". Asterisk always writes a '|' after EVENT, so an event without data
// ends in "EVENT|". Durations in data are whole seconds, rounded to the nearest (Asterisk itself
// truncates), except RINGNOANSWER and RINGCANCELED which carry milliseconds as Asterisk does.
//   ENTERQUEUE        |callerid(reason)|position           (first field: URL, always empty)
//   CONNECT           holdtime|callid|ringtime              (Asterisk: the agent channel uniqueid)
//   ABANDON, EXITEMPTY, EXITWITHTIMEOUT                     position|origposition|waittime
//   EXITWITHKEY       key|position|origposition|waittime
//   COMPLETEAGENT, COMPLETECALLER                           holdtime|calltime|origposition
//   RINGNOANSWER, RINGCANCELED                              ringtime in ms
//   BLINDTRANSFER     target(reason)|callq|holdtime|calltime|origposition
//   ATTENDEDTRANSFER  BRIDGE|target(reason)|holdtime|calltime|origposition
//   ADDMEMBER, REMOVEMEMBER                                 (no data)
//   PAUSE, UNPAUSE    reason
// callq events Asterisk's app_queue never logs:
//   JOINREFUSED       written as FULL (reason "full") or JOINEMPTY (reason "empty"), no data,
//                     the names Asterisk gives these outcomes in QUEUESTATUS; any other reason as
//                     JOINREFUSED|reason
//   UNAVAILABLE       UNAVAILABLE, no data
//   SERVERRESTART     SERVERRESTART|position|origposition|waittime
//   any other type    the type name, data: reason
// Text from outside (queue and agent names, caller ids, keys, reasons) has every '|', CR and LF
// replaced by a space, so it can neither add a field nor break the line.
void appendQueueLogLine(std::string& out, const EventRecord& e);

}  // namespace callq::store
