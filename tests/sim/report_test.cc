// The simulator's outputs that other tools read: the event-log line (the record the server will
// store) and the JSON keys, which must be the ones `callq erlang --json` uses.
#include "sim/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace callq::sim {
namespace {

core::Config oneQueue() {
  core::Config c;
  c.agents.push_back(core::AgentConfig{"alice", "Alice", "201"});
  core::QueueConfig q;
  q.name = "sales";
  q.extension = "600";
  c.queues.push_back(q);
  return c;
}

TEST(Report, EventLineHasTheFieldsThatApplyAndNoOthers) {
  core::Event e;
  e.time = fromMillis(1'767'600'000'250);
  e.type = core::EventType::kConnect;
  e.call = CallId{7};
  e.queue = QueueId{0};
  e.agent = AgentId{0};
  e.position = 2;
  e.originalPosition = 3;
  e.wait = Duration(4'500);
  e.ring = Duration(1'200);
  e.talk = Duration(99);  // not a CONNECT field: left out
  EXPECT_EQ(formatEventLine(e, oneQueue()),
            R"({"time_ms":1767600000250,"time":"2026-01-05T08:00:00.250Z","event":"CONNECT",)"
            R"("call":7,"queue":"sales","agent":"alice","position":2,"original_position":3,)"
            R"("wait_ms":4500,"ring_ms":1200})");
}

TEST(Report, EventLineEscapesTextAndOmitsAbsentIds) {
  core::Event e;
  e.time = fromMillis(0);
  e.type = core::EventType::kPause;
  e.agent = AgentId{0};
  e.reason = "say \"hi\"\n\\ \x01";
  const std::string line = formatEventLine(e, oneQueue());
  EXPECT_EQ(line, R"({"time_ms":0,"time":"1970-01-01T00:00:00.000Z","event":"PAUSE",)"
                  R"("agent":"alice","reason":"say \"hi\"\n\\ \u0001"})");
  EXPECT_EQ(nlohmann::json::parse(line)["reason"], e.reason);
}

TEST(Report, JsonUsesTheStaffingCalculatorsKeyNames) {
  SimResult r;
  r.start = fromMillis(0);
  r.duration = Duration(900'000);
  r.interval = Duration(900'000);
  r.total.offered = 4;
  r.total.answered = 3;
  r.total.abandoned = 1;
  r.total.waitedAtAll = 2;
  r.total.answeredWithinThreshold = 2;
  r.total.answeredWait = Duration(9'000);
  r.intervals.push_back(r.total);
  r.queues.push_back(QueueResult{"sales", Duration(20'000), {r.total}, r.total});
  const nlohmann::json j = nlohmann::json::parse(formatJson(r));
  for (const nlohmann::json* f : {&j["total"], &j["intervals"][0], &j["queues"][0]["total"]}) {
    EXPECT_DOUBLE_EQ((*f)["p_wait"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ((*f)["asa_s"].get<double>(), 3.0);
    EXPECT_DOUBLE_EQ((*f)["service_level"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ((*f)["abandon_rate"].get<double>(), 0.25);
  }
  EXPECT_EQ(j["queues"][0]["name"], "sales");
  EXPECT_EQ(j["intervals"][0]["start"], "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace callq::sim
