#include "store/report_format.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace callq::store {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// Runs each test in a named zone (Europe/Paris unless the test switches) and restores the
// process's TZ afterwards.
class ReportFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) {
      savedTz_ = tz;
    }
    useZone("Europe/Paris");
  }
  void TearDown() override {
    if (savedTz_) {
      setenv("TZ", savedTz_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  static void useZone(const char* zone) {
    setenv("TZ", zone, 1);
    tzset();
  }
  // An instant written with an explicit zone (parseTime's zone path is pure arithmetic, checked
  // against literal epoch values in ParsesExplicitZones).
  static std::int64_t at(std::string_view text) {
    const Result<std::int64_t> r = parseTime(text);
    EXPECT_TRUE(r.has_value()) << text;
    return r.value_or(0);
  }
  static std::pair<std::int64_t, std::int64_t> period(std::string_view preset,
                                                      std::string_view now) {
    const auto r = periodRange(preset, at(now));
    EXPECT_TRUE(r.has_value()) << preset << " at " << now;
    return r.value_or(std::pair<std::int64_t, std::int64_t>{0, 0});
  }

 private:
  std::optional<std::string> savedTz_;
};

// --- isoTime -------------------------------------------------------------------------------------

TEST_F(ReportFormatTest, IsoTimeUsesWinterOffset) {
  EXPECT_EQ(isoTime(1795266187250), "2026-11-21T14:03:07.250+01:00");
}

TEST_F(ReportFormatTest, IsoTimeUsesSummerOffset) {
  EXPECT_EQ(isoTime(1782900000000), "2026-07-01T12:00:00.000+02:00");
}

TEST_F(ReportFormatTest, IsoTimeFollowsTheSpringForwardInstant) {
  const std::int64_t change = at("2026-03-29T01:00:00Z");
  EXPECT_EQ(isoTime(change - 1), "2026-03-29T01:59:59.999+01:00");
  EXPECT_EQ(isoTime(change), "2026-03-29T03:00:00.000+02:00");
}

TEST_F(ReportFormatTest, IsoTimeRepeatsTheFallBackHourWithDifferentOffsets) {
  EXPECT_EQ(isoTime(at("2026-10-25T00:30:00Z")), "2026-10-25T02:30:00.000+02:00");
  EXPECT_EQ(isoTime(at("2026-10-25T01:30:00Z")), "2026-10-25T02:30:00.000+01:00");
}

TEST_F(ReportFormatTest, IsoTimeWritesUtcAsPlusZeroNeverZ) {
  useZone("UTC");
  EXPECT_EQ(isoTime(0), "1970-01-01T00:00:00.000+00:00");
}

TEST_F(ReportFormatTest, IsoTimeWritesNegativeAndHalfHourOffsets) {
  useZone("America/St_Johns");
  EXPECT_EQ(isoTime(1795266187250), "2026-11-21T09:33:07.250-03:30");
  useZone("Asia/Kolkata");
  EXPECT_EQ(isoTime(1795266187250), "2026-11-21T18:33:07.250+05:30");
}

TEST_F(ReportFormatTest, IsoTimeBeforeTheEpochFloorsTheSecond) {
  useZone("UTC");
  EXPECT_EQ(isoTime(-1), "1969-12-31T23:59:59.999+00:00");
}

TEST_F(ReportFormatTest, IsoTimeWritesExtremeTimesWithoutOverflow) {
  useZone("UTC");
  EXPECT_EQ(isoTime(std::numeric_limits<std::int64_t>::max()),
            "292278994-08-17T07:12:55.807+00:00");
  EXPECT_EQ(isoTime(253402300799999), "9999-12-31T23:59:59.999+00:00");
  EXPECT_FALSE(isoTime(std::numeric_limits<std::int64_t>::min()).empty());
}

// --- parseTime -----------------------------------------------------------------------------------

TEST_F(ReportFormatTest, ParsesADateAsLocalMidnight) {
  EXPECT_EQ(parseTime("2026-11-21"), 1795215600000);  // 2026-11-20T23:00Z
  EXPECT_EQ(parseTime("2026-07-01"), 1782856800000);  // 2026-06-30T22:00Z
}

TEST_F(ReportFormatTest, ParsesLocalTimesWithTOrSpace) {
  EXPECT_EQ(parseTime("2026-11-21T14:03"), 1795266180000);
  EXPECT_EQ(parseTime("2026-11-21 14:03"), 1795266180000);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07"), 1795266187000);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.250"), 1795266187250);
  EXPECT_EQ(parseTime("2026-07-01 12:00:00"), 1782900000000);
}

TEST_F(ReportFormatTest, ParsesFractionsToTheMillisecond) {
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.5"), 1795266187500);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.05"), 1795266187050);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.123999"), 1795266187123);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.123456789"), 1795266187123);
}

TEST_F(ReportFormatTest, ParsesExplicitZones) {
  EXPECT_EQ(parseTime("2026-11-21T13:03:07.250Z"), 1795266187250);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.250+01:00"), 1795266187250);
  EXPECT_EQ(parseTime("2026-11-21T14:03:07.250+0100"), 1795266187250);
  EXPECT_EQ(parseTime("2026-11-21T09:33:07.250-03:30"), 1795266187250);
  EXPECT_EQ(parseTime("2026-11-21 18:33:07.250+0530"), 1795266187250);
  EXPECT_EQ(parseTime("1970-01-01T00:00Z"), 0);
  EXPECT_EQ(parseTime("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_EQ(parseTime("2000-02-29T00:00Z"), 951782400000);
}

TEST_F(ReportFormatTest, ParseTimeRoundTripsIsoTime) {
  for (const std::int64_t ms : {1795266187250LL, 1782900000001LL, 1774746000000LL, 0LL}) {
    EXPECT_EQ(parseTime(isoTime(ms)), ms) << isoTime(ms);
  }
}

TEST_F(ReportFormatTest, ParsesLocalTimesInTheFallBackHourAsOneOfTheTwoInstants) {
  const Result<std::int64_t> r = parseTime("2026-10-25T02:30");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(*r == at("2026-10-25T02:30+02:00") || *r == at("2026-10-25T02:30+01:00"));
}

TEST_F(ReportFormatTest, RejectsMalformedTimes) {
  for (const char* bad : {"",
                          "2026",
                          "2026-11",
                          "2026-1-21",
                          "2026-11-1",
                          "26-11-21",
                          "21/11/2026",
                          "2026/11/21",
                          "2026-11-21T",
                          "2026-11-21T14",
                          "2026-11-21T1:00",
                          "2026-11-21T14:0",
                          "2026-11-21T14:00:",
                          "2026-11-21T14:00:0",
                          "2026-11-21T14:00:00.",
                          "2026-11-21T14:00:00.1234567890",
                          "2026-11-21T14:00.5",
                          "2026-11-21Z",
                          "2026-11-21+01:00",
                          "2026-11-21T14:00+1",
                          "2026-11-21T14:00+01",
                          "2026-11-21T14:00+01:0",
                          "2026-11-21T14:00 +01:00",
                          "2026-11-21T14:00z",
                          "2026-11-21T14:00ZZ",
                          " 2026-11-21",
                          "2026-11-21 ",
                          "2026-11-21x",
                          "2026-11-21t14:00",
                          "now",
                          "+2026-11-21",
                          "２０２６-11-21"}) {
    const Result<std::int64_t> r = parseTime(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(
        r.error().message,
        std::string("expected a time like 2026-11-21 or 2026-11-21T14:00, got '") + bad + "'");
  }
}

TEST_F(ReportFormatTest, RejectsOutOfRangeFields) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"2026-00-10", "month"},
      {"2026-13-01", "month"},
      {"2026-01-00", "day"},
      {"2026-01-32", "day"},
      {"2026-04-31", "day"},
      {"2026-02-29", "day"},
      {"2100-02-29", "day"},
      {"2026-11-21T24:00", "hour"},
      {"2026-11-21T23:60", "minute"},
      {"2026-11-21T23:59:60", "second"},
      {"2026-11-21T23:59:60Z", "second"}};
  for (const auto& [text, field] : cases) {
    const Result<std::int64_t> r = parseTime(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, std::string(field) + " out of range in time '" + text + "'");
  }
  EXPECT_FALSE(parseTime("2026-11-21T14:00+24:00").has_value());
  EXPECT_FALSE(parseTime("2026-11-21T14:00+01:60").has_value());
}

TEST_F(ReportFormatTest, AcceptsLeapDays) {
  EXPECT_TRUE(parseTime("2028-02-29").has_value());
  EXPECT_TRUE(parseTime("2000-02-29").has_value());
  EXPECT_TRUE(parseTime("2026-12-31T23:59:59.999").has_value());
}

// --- periodRange ---------------------------------------------------------------------------------

TEST_F(ReportFormatTest, TodayIsLocalMidnightToMidnight) {
  const auto [from, to] = period("today", "2026-11-21T14:03+01:00");
  EXPECT_EQ(from, at("2026-11-21T00:00+01:00"));
  EXPECT_EQ(to, at("2026-11-22T00:00+01:00"));
}

TEST_F(ReportFormatTest, TodayStartsAtNowWhenNowIsMidnight) {
  const auto [from, to] = period("today", "2026-11-21T00:00+01:00");
  EXPECT_EQ(from, at("2026-11-21T00:00+01:00"));
  EXPECT_EQ(to - from, kDayMs);
  EXPECT_EQ(period("today", "2026-11-20T23:59:59.999+01:00").second, from);
}

TEST_F(ReportFormatTest, TodayLasts23HoursWhenClocksGoForward) {
  const auto [from, to] = period("today", "2026-03-29T12:00+02:00");
  EXPECT_EQ(from, at("2026-03-29T00:00+01:00"));
  EXPECT_EQ(to, at("2026-03-30T00:00+02:00"));
  EXPECT_EQ(to - from, 23 * kHourMs);
}

TEST_F(ReportFormatTest, TodayLasts25HoursWhenClocksGoBack) {
  const auto [from, to] = period("today", "2026-10-25T02:30+01:00");
  EXPECT_EQ(from, at("2026-10-25T00:00+02:00"));
  EXPECT_EQ(to, at("2026-10-26T00:00+01:00"));
  EXPECT_EQ(to - from, 25 * kHourMs);
}

TEST_F(ReportFormatTest, YesterdayIsThePreviousLocalDay) {
  const auto [from, to] = period("yesterday", "2026-11-21T14:03+01:00");
  EXPECT_EQ(from, at("2026-11-20T00:00+01:00"));
  EXPECT_EQ(to, at("2026-11-21T00:00+01:00"));
  const auto [dstFrom, dstTo] = period("yesterday", "2026-03-30T08:00+02:00");
  EXPECT_EQ(dstFrom, at("2026-03-29T00:00+01:00"));
  EXPECT_EQ(dstTo - dstFrom, 23 * kHourMs);
}

TEST_F(ReportFormatTest, YesterdayCrossesTheYear) {
  const auto [from, to] = period("yesterday", "2027-01-01T09:00+01:00");
  EXPECT_EQ(from, at("2026-12-31T00:00+01:00"));
  EXPECT_EQ(to, at("2027-01-01T00:00+01:00"));
}

TEST_F(ReportFormatTest, ThisWeekRunsMondayToMonday) {
  const auto expected =
      std::pair{at("2026-11-16T00:00+01:00"), at("2026-11-23T00:00+01:00")};  // Mon to Mon
  EXPECT_EQ(period("this-week", "2026-11-18T10:00+01:00"), expected);         // Wednesday
  EXPECT_EQ(period("this-week", "2026-11-16T00:00+01:00"), expected);         // Monday 00:00
  EXPECT_EQ(period("this-week", "2026-11-22T23:59:59.999+01:00"), expected);  // Sunday night
}

TEST_F(ReportFormatTest, ThisWeekOnSundayIsTheWeekThatBeganSixDaysEarlier) {
  const auto [from, to] = period("this-week", "2026-11-22T10:00+01:00");
  EXPECT_EQ(from, at("2026-11-16T00:00+01:00"));
  EXPECT_EQ(to, at("2026-11-23T00:00+01:00"));
}

TEST_F(ReportFormatTest, ThisWeekAcrossTheDstChangeIsAnHourShort) {
  const auto [from, to] = period("this-week", "2026-03-29T12:00+02:00");
  EXPECT_EQ(from, at("2026-03-23T00:00+01:00"));
  EXPECT_EQ(to, at("2026-03-30T00:00+02:00"));
  EXPECT_EQ(to - from, 7 * kDayMs - kHourMs);
}

TEST_F(ReportFormatTest, ThisWeekCrossesMonthAndYear) {
  const auto [from, to] = period("this-week", "2027-01-01T12:00+01:00");  // a Friday
  EXPECT_EQ(from, at("2026-12-28T00:00+01:00"));
  EXPECT_EQ(to, at("2027-01-04T00:00+01:00"));
}

TEST_F(ReportFormatTest, LastSevenDaysAreSevenWholeDaysIncludingToday) {
  const auto [from, to] = period("last-7-days", "2026-11-21T14:03+01:00");
  EXPECT_EQ(from, at("2026-11-15T00:00+01:00"));
  EXPECT_EQ(to, at("2026-11-22T00:00+01:00"));
  const auto [dstFrom, dstTo] = period("last-7-days", "2026-10-30T14:00+01:00");
  EXPECT_EQ(dstFrom, at("2026-10-24T00:00+02:00"));
  EXPECT_EQ(dstTo - dstFrom, 7 * kDayMs + kHourMs);
}

TEST_F(ReportFormatTest, ThisMonthRunsFromTheFirstToTheNextFirst) {
  EXPECT_EQ(period("this-month", "2026-11-21T14:03+01:00"),
            std::pair(at("2026-11-01T00:00+01:00"), at("2026-12-01T00:00+01:00")));
  EXPECT_EQ(period("this-month", "2026-12-31T23:59+01:00"),
            std::pair(at("2026-12-01T00:00+01:00"), at("2027-01-01T00:00+01:00")));
  const auto [marchFrom, marchTo] = period("this-month", "2026-03-01T00:00+01:00");
  EXPECT_EQ(marchTo - marchFrom, 31 * kDayMs - kHourMs);
}

TEST_F(ReportFormatTest, LastMonthInJanuaryIsDecemberOfThePreviousYear) {
  EXPECT_EQ(period("last-month", "2027-01-15T10:00+01:00"),
            std::pair(at("2026-12-01T00:00+01:00"), at("2027-01-01T00:00+01:00")));
}

TEST_F(ReportFormatTest, LastMonthHandlesShortMonthsAndDst) {
  EXPECT_EQ(period("last-month", "2026-03-31T12:00+02:00"),
            std::pair(at("2026-02-01T00:00+01:00"), at("2026-03-01T00:00+01:00")));
  EXPECT_EQ(period("last-month", "2026-11-02T12:00+01:00"),
            std::pair(at("2026-10-01T00:00+02:00"), at("2026-11-01T00:00+01:00")));
}

TEST_F(ReportFormatTest, UnknownPeriodListsTheAcceptedNames) {
  for (const char* bad : {"", "Today", "last-week", "this_month"}) {
    const auto r = periodRange(bad, 0);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message,
              std::string("unknown period '") + bad +
                  "': expected today, yesterday, this-week, last-7-days, this-month or "
                  "last-month");
  }
}

TEST_F(ReportFormatTest, PeriodEndingPastTheLastMillisecondIsAnError) {
  const auto r = periodRange("today", std::numeric_limits<std::int64_t>::max());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

// --- CSV -----------------------------------------------------------------------------------------

EventRecord connectEvent() {
  EventRecord e;
  e.id = 17;
  e.timeMs = 1795266187250;
  e.type = "CONNECT";
  e.call = 42;
  e.queue = "support";
  e.agent = "alice";
  e.position = 2;
  e.originalPosition = 3;
  e.waitMs = 12345;
  e.ringMs = 4005;
  return e;
}

std::string csvRow(const EventRecord& e) {
  std::string out;
  appendCsvRow(out, e);
  return out;
}

// --- JSON lines --------------------------------------------------------------------------------

TEST_F(ReportFormatTest, JsonLineHasTheFieldsThatApplyAndNoOthers) {
  useZone("UTC");
  EventRecord e;
  e.id = 9;  // not written: the line is the event, not its row
  e.timeMs = 1'767'600'000'250;
  e.type = "CONNECT";
  e.call = 7;
  e.queue = "sales";
  e.agent = "alice";
  e.position = 2;
  e.originalPosition = 3;
  e.waitMs = 4'500;
  e.ringMs = 1'200;
  e.talkMs = 99;  // not a CONNECT field: left out
  std::string line;
  appendJsonLine(line, e);
  EXPECT_EQ(line,
            R"({"time_ms":1767600000250,"time":"2026-01-05T08:00:00.250+00:00","event":"CONNECT",)"
            R"("call":7,"queue":"sales","agent":"alice","position":2,"original_position":3,)"
            R"("wait_ms":4500,"ring_ms":1200})"
            "\n");
}

TEST_F(ReportFormatTest, JsonLineEscapesTextAndOmitsAbsentIds) {
  useZone("UTC");
  EventRecord e;
  e.timeMs = 0;
  e.type = "PAUSE";
  e.agent = "alice";
  e.reason = "say \"hi\"\n\\ \x01 Zoë";
  std::string line;
  appendJsonLine(line, e);
  EXPECT_EQ(line, R"({"time_ms":0,"time":"1970-01-01T00:00:00.000+00:00","event":"PAUSE",)"
                  R"("agent":"alice","reason":"say \"hi\"\n\\ \u0001 Zoë"})"
                  "\n");
}

TEST_F(ReportFormatTest, CsvHeaderNamesTheColumns) {
  std::string out = "x";
  appendCsvHeader(out);
  EXPECT_EQ(out,
            "xid,time,event,call,queue,agent,position,original_position,wait_s,talk_s,ring_s,key,"
            "reason\r\n");
}

TEST_F(ReportFormatTest, CsvRowForAConnect) {
  EXPECT_EQ(csvRow(connectEvent()),
            "17,2026-11-21T14:03:07.250+01:00,CONNECT,42,support,alice,2,3,12.345,,4.005,,\r\n");
}

TEST_F(ReportFormatTest, CsvRowsAppend) {
  std::string out;
  appendCsvHeader(out);
  appendCsvRow(out, connectEvent());
  appendCsvRow(out, connectEvent());
  std::string header;
  appendCsvHeader(header);
  EXPECT_EQ(out, header + csvRow(connectEvent()) + csvRow(connectEvent()));
}

TEST_F(ReportFormatTest, CsvLeavesZeroCallAndPositionsEmpty) {
  EventRecord e;
  e.id = 5;
  e.timeMs = 1782900000000;
  e.type = "PAUSE";
  e.agent = "bob";
  e.reason = "lunch";
  EXPECT_EQ(csvRow(e), "5,2026-07-01T12:00:00.000+02:00,PAUSE,,,bob,,,,,,,lunch\r\n");
}

TEST_F(ReportFormatTest, CsvQuotesCommasQuotesAndLineBreaks) {
  EventRecord e;
  e.id = 1;
  e.timeMs = 1795266187250;
  e.type = "ENTERQUEUE";
  e.call = 7;
  e.queue = "sales, EU";
  e.position = 1;
  e.reason = "Zoë, \"la\" Tête";
  EXPECT_EQ(csvRow(e),
            "1,2026-11-21T14:03:07.250+01:00,ENTERQUEUE,7,\"sales, EU\",,1,,,,,,"
            "\"Zoë, \"\"la\"\" Tête\"\r\n");
  e.queue = "a\r\nb";
  e.agent = "c\nd";
  e.reason = "e\rf";
  EXPECT_EQ(csvRow(e),
            "1,2026-11-21T14:03:07.250+01:00,ENTERQUEUE,7,\"a\r\nb\",\"c\nd\",1,,,,,,\"e\rf\"\r\n");
  e.queue = "\"";
  e.agent = "";
  e.reason = "\"\"";
  EXPECT_EQ(csvRow(e),
            "1,2026-11-21T14:03:07.250+01:00,ENTERQUEUE,7,\"\"\"\",,1,,,,,,\"\"\"\"\"\"\r\n");
}

TEST_F(ReportFormatTest, CsvKeepsSpreadsheetsFromRunningACallersFormula) {
  auto field = [](std::string_view text) {
    std::string out;
    appendCsvField(out, text);
    return out;
  };
  EXPECT_EQ(field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(field("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(field("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
  EXPECT_EQ(field("-2+3+cmd|x"), "\"'-2+3+cmd|x\"");
  EXPECT_EQ(field("\tx"), "\"'\tx\"");
  // Phone numbers stay as they are.
  EXPECT_EQ(field("+33111222333"), "+33111222333");
  EXPECT_EQ(field("+1 (555) 123-4567"), "+1 (555) 123-4567");
  EXPECT_EQ(field("-"), "-");
  EXPECT_EQ(field("a=b"), "a=b");

  EventRecord e;
  e.id = 3;
  e.timeMs = 1795266187250;
  e.type = "ENTERQUEUE";
  e.call = 8;
  e.queue = "sales";
  e.reason = "=1+1";
  EXPECT_EQ(csvRow(e), "3,2026-11-21T14:03:07.250+01:00,ENTERQUEUE,8,sales,,,,,,,,\"'=1+1\"\r\n");
}

TEST_F(ReportFormatTest, CsvLeavesSpacesAndNonAsciiUnquoted) {
  EventRecord e;
  e.id = 2;
  e.timeMs = 1795266187250;
  e.type = "ADDMEMBER";
  e.queue = " Accueil ";
  e.agent = "Zoë Tête 日本";
  EXPECT_EQ(csvRow(e),
            "2,2026-11-21T14:03:07.250+01:00,ADDMEMBER,, Accueil ,Zoë Tête 日本,,,,,,,\r\n");
}

TEST_F(ReportFormatTest, CsvWritesTheKeyAndSecondsWithThreeDecimals) {
  EventRecord e;
  e.id = 3;
  e.timeMs = 1795266187250;
  e.type = "EXITWITHKEY";
  e.call = 9;
  e.queue = "q";
  e.position = 1;
  e.originalPosition = 4;
  e.waitMs = 5;
  e.key = "1";
  e.reason = "menu";
  EXPECT_EQ(csvRow(e), "3,2026-11-21T14:03:07.250+01:00,EXITWITHKEY,9,q,,1,4,0.005,,,1,menu\r\n");
  e.waitMs = 0;
  EXPECT_NE(csvRow(e).find(",0.000,"), std::string::npos);
  e.waitMs = 60000;
  EXPECT_NE(csvRow(e).find(",60.000,"), std::string::npos);
  e.waitMs = 3723456;
  EXPECT_NE(csvRow(e).find(",3723.456,"), std::string::npos);
  e.waitMs = -500;
  EXPECT_NE(csvRow(e).find(",-0.500,"), std::string::npos);
}

// wait_s, talk_s, ring_s of a row whose fields hold no commas.
std::vector<std::string> durationColumns(const std::string& row) {
  std::vector<std::string> columns;
  std::size_t start = 0;
  for (std::size_t comma; (comma = row.find(',', start)) != std::string::npos; start = comma + 1) {
    columns.push_back(row.substr(start, comma - start));
  }
  return {columns.at(8), columns.at(9), columns.at(10)};
}

TEST_F(ReportFormatTest, CsvWritesOnlyTheDurationsAnEventCarries) {
  struct Case {
    const char* type;
    bool wait, talk, ring;
  };
  const std::vector<Case> cases = {
      {"ENTERQUEUE", false, false, false},     {"CONNECT", true, false, true},
      {"ABANDON", true, false, false},         {"EXITEMPTY", true, false, false},
      {"EXITWITHTIMEOUT", true, false, false}, {"EXITWITHKEY", true, false, false},
      {"JOINREFUSED", false, false, false},    {"RINGNOANSWER", false, false, true},
      {"RINGCANCELED", false, false, true},    {"COMPLETEAGENT", true, true, false},
      {"COMPLETECALLER", true, true, false},   {"BLINDTRANSFER", true, true, false},
      {"ATTENDEDTRANSFER", true, true, false}, {"ADDMEMBER", false, false, false},
      {"REMOVEMEMBER", false, false, false},   {"PAUSE", false, false, false},
      {"UNPAUSE", false, false, false},        {"UNAVAILABLE", false, false, false},
      {"SERVERRESTART", true, false, false},   {"SOMETHINGNEW", false, false, false}};
  for (const Case& c : cases) {
    EventRecord e;
    e.type = c.type;
    e.waitMs = 1000;
    e.talkMs = 2000;
    e.ringMs = 3000;
    const std::vector<std::string> expected = {c.wait ? "1.000" : "", c.talk ? "2.000" : "",
                                               c.ring ? "3.000" : ""};
    EXPECT_EQ(durationColumns(csvRow(e)), expected) << c.type;
  }
}

// --- queue_log -----------------------------------------------------------------------------------

// 2026-11-21T14:03:07.750+01:00 = epoch 1795266187.750 s.
EventRecord callEvent(const char* type) {
  EventRecord e;
  e.timeMs = 1795266187750;
  e.type = type;
  e.call = 42;
  e.queue = "support";
  e.agent = "alice";
  e.position = 2;
  e.originalPosition = 3;
  e.waitMs = 12'500;  // rounds to 13
  e.talkMs = 60'499;  // rounds to 60
  e.ringMs = 4'400;   // rounds to 4
  return e;
}

std::string logLine(const EventRecord& e) {
  std::string out;
  appendQueueLogLine(out, e);
  return out;
}

TEST_F(ReportFormatTest, QueueLogEnterQueue) {
  EventRecord e = callEvent("ENTERQUEUE");
  e.agent = "";
  e.position = 3;
  e.reason = "+33123456789";
  EXPECT_EQ(logLine(e), "1795266187|42|support|NONE|ENTERQUEUE||+33123456789|3\n");
}

TEST_F(ReportFormatTest, QueueLogConnect) {
  EXPECT_EQ(logLine(callEvent("CONNECT")), "1795266187|42|support|alice|CONNECT|13|42|4\n");
}

TEST_F(ReportFormatTest, QueueLogCallerExits) {
  for (const char* type : {"ABANDON", "EXITEMPTY", "EXITWITHTIMEOUT"}) {
    EventRecord e = callEvent(type);
    e.agent = "";
    e.reason = "voicemail";
    EXPECT_EQ(logLine(e), std::string("1795266187|42|support|NONE|") + type + "|2|3|13\n");
  }
}

TEST_F(ReportFormatTest, QueueLogExitWithKey) {
  EventRecord e = callEvent("EXITWITHKEY");
  e.agent = "";
  e.key = "5";
  EXPECT_EQ(logLine(e), "1795266187|42|support|NONE|EXITWITHKEY|5|2|3|13\n");
}

TEST_F(ReportFormatTest, QueueLogCompletions) {
  EXPECT_EQ(logLine(callEvent("COMPLETEAGENT")),
            "1795266187|42|support|alice|COMPLETEAGENT|13|60|3\n");
  EXPECT_EQ(logLine(callEvent("COMPLETECALLER")),
            "1795266187|42|support|alice|COMPLETECALLER|13|60|3\n");
}

TEST_F(ReportFormatTest, QueueLogRingEventsCarryMilliseconds) {
  EventRecord e = callEvent("RINGNOANSWER");
  e.reason = "busy";
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|RINGNOANSWER|4400\n");
  e.type = "RINGCANCELED";
  e.reason = "caller hung up";
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|RINGCANCELED|4400\n");
}

TEST_F(ReportFormatTest, QueueLogTransfers) {
  EventRecord e = callEvent("BLINDTRANSFER");
  e.reason = "2001";
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|BLINDTRANSFER|2001|callq|13|60|3\n");
  e.type = "ATTENDEDTRANSFER";
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|ATTENDEDTRANSFER|BRIDGE|2001|13|60|3\n");
}

TEST_F(ReportFormatTest, QueueLogMembershipHasAnEmptyDataField) {
  EventRecord e;
  e.timeMs = 1795266187750;
  e.type = "ADDMEMBER";
  e.queue = "support";
  e.agent = "alice";
  EXPECT_EQ(logLine(e), "1795266187|NONE|support|alice|ADDMEMBER|\n");
  e.type = "REMOVEMEMBER";
  EXPECT_EQ(logLine(e), "1795266187|NONE|support|alice|REMOVEMEMBER|\n");
}

TEST_F(ReportFormatTest, QueueLogPresence) {
  EventRecord e;
  e.timeMs = 1795266187750;
  e.type = "PAUSE";
  e.agent = "alice";
  e.reason = "lunch";
  EXPECT_EQ(logLine(e), "1795266187|NONE|NONE|alice|PAUSE|lunch\n");
  e.type = "UNPAUSE";
  EXPECT_EQ(logLine(e), "1795266187|NONE|NONE|alice|UNPAUSE|lunch\n");
  e.type = "UNAVAILABLE";
  e.reason = "";
  EXPECT_EQ(logLine(e), "1795266187|NONE|NONE|alice|UNAVAILABLE|\n");
}

TEST_F(ReportFormatTest, QueueLogJoinRefused) {
  EventRecord e = callEvent("JOINREFUSED");
  e.agent = "";
  e.reason = "full";
  EXPECT_EQ(logLine(e), "1795266187|42|support|NONE|FULL|\n");
  e.reason = "empty";
  EXPECT_EQ(logLine(e), "1795266187|42|support|NONE|JOINEMPTY|\n");
  e.reason = "closed";
  EXPECT_EQ(logLine(e), "1795266187|42|support|NONE|JOINREFUSED|closed\n");
}

TEST_F(ReportFormatTest, QueueLogServerRestart) {
  EventRecord e = callEvent("SERVERRESTART");
  e.reason = "callq restarted";
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|SERVERRESTART|2|3|13\n");
  e.agent = "";
  EXPECT_EQ(logLine(e), "1795266187|42|support|NONE|SERVERRESTART|2|3|13\n");
}

TEST_F(ReportFormatTest, QueueLogUnknownTypeWritesItsReason) {
  EventRecord e = callEvent("SOMETHINGNEW");
  e.reason = "why";
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|SOMETHINGNEW|why\n");
}

TEST_F(ReportFormatTest, QueueLogReplacesPipesAndLineBreaksInText) {
  EventRecord e = callEvent("ENTERQUEUE");
  e.queue = "a|b";
  e.agent = "c\nd";
  e.reason = "Zoë|\"la\"\r\nTête";
  EXPECT_EQ(logLine(e), "1795266187|42|a b|c d|ENTERQUEUE||Zoë \"la\"  Tête|2\n");
  e.type = "EXITWITHKEY";
  e.key = "|";
  EXPECT_EQ(logLine(e), "1795266187|42|a b|c d|EXITWITHKEY| |2|3|13\n");
}

TEST_F(ReportFormatTest, QueueLogRoundsDurationsToTheNearestSecond) {
  EventRecord e = callEvent("COMPLETEAGENT");
  e.waitMs = 499;
  e.talkMs = 500;
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|COMPLETEAGENT|0|1|3\n");
  e.waitMs = -1500;  // a clock step backwards: still a number, halves away from zero
  e.talkMs = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(logLine(e), "1795266187|42|support|alice|COMPLETEAGENT|-2|9223372036854776|3\n");
}

TEST_F(ReportFormatTest, QueueLogEpochIsWholeSecondsIndependentOfZone) {
  EventRecord e = callEvent("CONNECT");
  useZone("America/New_York");
  EXPECT_EQ(logLine(e).substr(0, 11), "1795266187|");
  e.timeMs = -1;
  EXPECT_EQ(logLine(e).substr(0, 3), "-1|");
}

TEST_F(ReportFormatTest, QueueLogLinesAppend) {
  std::string out = "first\n";
  appendQueueLogLine(out, callEvent("CONNECT"));
  EXPECT_EQ(out, "first\n1795266187|42|support|alice|CONNECT|13|42|4\n");
}

}  // namespace
}  // namespace callq::store
