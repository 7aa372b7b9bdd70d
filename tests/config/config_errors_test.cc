// Every configuration mistake the loader rejects, pinned with its exact message and line.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "core/config.h"

namespace callq::config {
namespace {

// Lines 1-7; the lines each case adds start at line 8.
constexpr const char* kHead = R"([[agent]]
id = "alice"
extension = "201"

[[queue]]
name = "sales"
extension = "600"
)";

const std::string kQueueKeys =
    "name, extension, strategy, login_code, logout_code, ring_time, ring_count, retry, wrap_up, "
    "max_wait, max_callers, service_level, weight, max_no_answer, wait_time_withdrawn, "
    "wait_time_empty, join_empty, timeout_action, timeout_message, overflow_action, "
    "overflow_message, exit_keys, stats_window, hold_audio, members";

struct ErrorCase {
  std::string name;
  std::string toml;
  std::string message;  // the whole error message, "t.toml:<line>: ..."
};

// Names the case in test listings (and in CTest's test names) instead of dumping its bytes.
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

std::string actionError(std::string_view action) {
  return core::parseDestination(action).error().message;
}

std::vector<ErrorCase> typeAndRangeCases() {
  const std::string head = kHead;
  return {
      {"RingTimeZero", head + "ring_time = 0\n",
       "t.toml:8: queue 'sales': ring_time: must be greater than 0"},
      {"RingTimeString", head + "ring_time = \"15\"\n",
       "t.toml:8: queue 'sales': ring_time: expected an integer number of seconds, got string"},
      {"RingTimeFloat", head + "ring_time = 1.5\n",
       "t.toml:8: queue 'sales': ring_time: expected an integer number of seconds, got float"},
      {"NegativeRetry", head + "retry = 5\nwrap_up = -1\n",
       "t.toml:9: queue 'sales': wrap_up: must not be negative"},
      {"NegativeWaitTimeEmpty", head + "wait_time_empty = -5\n",
       "t.toml:8: queue 'sales': wait_time_empty: must not be negative"},
      {"DurationTooLong", head + "max_wait = 99999999999\n",
       "t.toml:8: queue 'sales': max_wait: must be at most 31536000 seconds (365 days)"},
      {"StatsWindowZero", head + "stats_window = 0\n",
       "t.toml:8: queue 'sales': stats_window: must be greater than 0"},
      {"RingCountZero", head + "ring_count = 0\n",
       "t.toml:8: queue 'sales': ring_count: must be greater than 0"},
      {"RingTimeAndRingCount", head + "ring_time = 10\nring_count = 3\n",
       "t.toml:9: queue 'sales': ring_count: set ring_time or ring_count, not both"},
      {"MaxCallersNegative", head + "max_callers = -1\n",
       "t.toml:8: queue 'sales': max_callers: must not be negative"},
      {"MaxNoAnswerString", head + "max_no_answer = \"3\"\n",
       "t.toml:8: queue 'sales': max_no_answer: expected an integer, got string"},
      {"WeightZero", head + "weight = 0\n",
       "t.toml:8: queue 'sales': weight: must be a finite number greater than 0"},
      {"WeightNotANumber", head + "weight = nan\n",
       "t.toml:8: queue 'sales': weight: must be a finite number greater than 0"},
      {"WeightString", head + "weight = \"heavy\"\n",
       "t.toml:8: queue 'sales': weight: expected a number, got string"},
      {"JoinEmptyUnknown", head + "join_empty = \"no\"\n",
       "t.toml:8: queue 'sales': join_empty: expected 'allow' or 'refuse', got 'no'"},
      {"HoldAudioEmpty", head + "hold_audio = \"\"\n",
       "t.toml:8: queue 'sales': hold_audio: must not be empty (use \"ringback\" or a music class "
       "name)"},
      {"StrategyUnknown", head + "strategy = \"round_robin\"\n",
       "t.toml:8: queue 'sales': strategy: unknown strategy 'round_robin' (expected one of: "
       "ring-all, longest-idle, fewest-calls, least-talk-time, random, weighted-random, "
       "round-robin, linear)"},
      {"ExtensionNotDialable", head + "login_code = \"*41-600\"\n",
       "t.toml:8: queue 'sales': login_code: '*41-600' is not dialable (use up to 32 digits, '*' "
       "and '#')"},
      {"NameNotAString", "[[queue]]\nname = 5\nextension = \"600\"\n",
       "t.toml:2: queue #1: name: expected a string, got integer"},
      {"NameEmpty", "[[queue]]\nname = \"\"\nextension = \"600\"\n",
       "t.toml:2: queue #1: name: must not be empty"},
  };
}

std::vector<ErrorCase> structureCases() {
  const std::string head = kHead;
  return {
      {"UnknownQueueKey", head + "retry = 5\nring_tme = 20\n",
       "t.toml:9: queue 'sales': unknown key 'ring_tme' (did you mean 'ring_time'?); allowed "
       "keys: " +
           kQueueKeys},
      {"MisspeltRequiredKey", "[[queue]]\nnmae = \"sales\"\nextension = \"600\"\n",
       "t.toml:2: queue #1: unknown key 'nmae' (did you mean 'name'?); allowed keys: " +
           kQueueKeys},
      {"UnknownTopLevelKey", "withdraw_reasons = []\n[[queues]]\nname = \"sales\"\n",
       "t.toml:2: unknown key 'queues' (did you mean 'queue'?); allowed keys: withdraw_reasons, "
       "agent, queue, sip, music, store, api, manager"},
      {"UnknownAgentKey", "[[agent]]\nid = \"alice\"\nexten = \"201\"\n",
       "t.toml:3: agent 'alice': unknown key 'exten' (did you mean 'extension'?); allowed keys: "
       "id, name, extension, password"},
      {"UnknownKeyWithoutGuess", "[[agent]]\nid = \"alice\"\nextension = \"201\"\ncolour = 1\n",
       "t.toml:4: agent 'alice': unknown key 'colour'; allowed keys: id, name, extension, "
       "password"},
      {"UnknownMemberKey", head + "members = [{ agent = \"alice\", lvl = 1 }]\n",
       "t.toml:8: queue 'sales': members: unknown key 'lvl' (did you mean 'level'?); allowed keys: "
       "agent, level, static"},
      {"MissingQueueExtension", "\n[[queue]]\nname = \"sales\"\n",
       "t.toml:2: queue 'sales': extension: required"},
      {"MissingQueueName", "[[queue]]\nextension = \"600\"\n",
       "t.toml:1: queue #1: name: required"},
      {"MissingAgentId", "[[agent]]\nid = \"a\"\nextension = \"1\"\n[[agent]]\nextension = \"2\"\n",
       "t.toml:4: agent #2: id: required"},
      {"MissingAgentExtension", "[[agent]]\nid = \"alice\"\n",
       "t.toml:1: agent 'alice': extension: required"},
      {"MissingMemberAgent", head + "members = [\n  { level = 1 },\n]\n",
       "t.toml:9: queue 'sales': members: agent: required"},
      {"QueueIsATable", "[queue]\nname = \"sales\"\n",
       "t.toml:1: queue: expected [[queue]] tables, got table"},
      {"MembersNotAnArray", head + "members = \"alice\"\n",
       "t.toml:8: queue 'sales': members: expected an array of tables like [{ agent = \"alice\", "
       "level = 0 }], got string"},
      {"MemberNotATable", head + "members = [\n  \"alice\",\n]\n",
       "t.toml:9: queue 'sales': members: expected a table like { agent = \"alice\" }, got string"},
      {"MemberLevelNegative", head + "members = [{ agent = \"alice\", level = -1 }]\n",
       "t.toml:8: queue 'sales': members: level: must not be negative"},
      {"MemberStaticNotBoolean", head + "members = [{ agent = \"alice\", static = \"yes\" }]\n",
       "t.toml:8: queue 'sales': members: static: expected true or false, got string"},
      {"WithdrawReasonsNotStrings", "withdraw_reasons = [\"lunch\",\n  3]\n",
       "t.toml:2: withdraw_reasons: expected a string, got integer"},
      {"WithdrawReasonEmpty", "withdraw_reasons = [\"\"]\n",
       "t.toml:1: withdraw_reasons: a reason must not be empty"},
      {"WithdrawReasonTwice", "withdraw_reasons = [\n  \"lunch\",\n  \"lunch\",\n]\n",
       "t.toml:3: withdraw_reasons: 'lunch' is listed twice (first on line 2)"},
      {"SyntaxError", "[[queue]]\nname = \"sales\nextension = \"600\"\n",
       "t.toml:2: Error while parsing string: unescaped control characters other than TAB (U+0009) "
       "are explicitly prohibited"},
      {"LowestLineIsReported", head + "retry = -1\nring_time = 0\n",
       "t.toml:8: queue 'sales': retry: must not be negative"},
  };
}

std::vector<ErrorCase> crossTableCases() {
  const std::string head = kHead;
  const std::string bob = "[[agent]]\nid = \"bob\"\nextension = \"202\"\n";  // 3 lines
  return {
      {"TimeoutActionUnknown", head + "timeout_action = \"voicemal\"\n",
       "t.toml:8: queue 'sales': timeout_action: " + actionError("voicemal")},
      {"OverflowNumberNotInternational", head + "overflow_action = \"number:0612345678\"\n",
       "t.toml:8: queue 'sales': overflow_action: " + actionError("number:0612345678")},
      {"OverflowToUnknownQueue", head + "overflow_action = \"queue:supprt\"\n",
       "t.toml:8: queue 'sales': overflow_action: unknown queue 'supprt'"},
      {"ExitKeyNotAKey", head + "exit_keys = { \"1\" = \"hangup\", \"11\" = \"hangup\" }\n",
       "t.toml:8: queue 'sales': exit_keys: '11' is not a key (expected 0-9, *, # or A-D)"},
      {"ExitKeyNotAString", head + "exit_keys = { \"1\" = 5 }\n",
       "t.toml:8: queue 'sales': exit_keys: key '1': expected a destination string like "
       "\"queue:support\", got integer"},
      {"ExitKeyBadDestination", head + "exit_keys = { \"#\" = \"voicemal\" }\n",
       "t.toml:8: queue 'sales': exit_keys: key '#': " + actionError("voicemal")},
      {"ExitKeyWait", head + "exit_keys = { \"#\" = \"wait\" }\n",
       "t.toml:8: queue 'sales': exit_keys: key '#': \"wait\" is not a destination for a key"},
      {"ExitKeyNotATable", head + "exit_keys = \"1\"\n",
       "t.toml:8: queue 'sales': exit_keys: expected a table of keys to destinations like "
       "{ \"0\" = \"extension:201\" }, got string"},
      {"ExitKeyToUnknownQueue",
       head + "[queue.exit_keys]\n\"1\" = \"hangup\"\n\"2\" = \"queue:x\"\n",
       "t.toml:10: queue 'sales': exit_keys: key '2': unknown queue 'x'"},
      {"ExitKeyToItself", head + "exit_keys = { \"0\" = \"queue:sales\" }\n",
       "t.toml:8: queue 'sales': exit_keys: key '0': a queue cannot send its callers to itself "
       "(use "
       "\"wait\" to keep them waiting)"},
      {"TimeoutToItself", head + "timeout_action = \"queue:sales\"\n",
       "t.toml:8: queue 'sales': timeout_action: a queue cannot send its callers to itself (use "
       "\"wait\" to keep them waiting)"},
      {"MemberUnknownAgent", head + "members = [\n  { agent = \"alicia\" },\n]\n",
       "t.toml:9: queue 'sales': members: unknown agent 'alicia' (did you mean 'alice'?)"},
      {"MemberListedTwice",
       head + "members = [\n  { agent = \"alice\" },\n  { agent = \"alice\" },\n]\n",
       "t.toml:10: queue 'sales': members: agent 'alice' is listed twice (first on line 9)"},
      {"DuplicateQueueName", head + "[[queue]]\nname = \"sales\"\nextension = \"601\"\n",
       "t.toml:9: queue 'sales': name: 'sales' is already used by the queue on line 6"},
      {"DuplicateAgentId", head + "[[agent]]\nid = \"alice\"\nextension = \"202\"\n",
       "t.toml:9: agent 'alice': id: 'alice' is already used by the agent on line 2"},
      {"AgentExtensionsClash", head + "[[agent]]\nid = \"bob\"\nextension = \"201\"\n",
       "t.toml:10: agent 'bob': extension: '201' is already used as the extension of agent 'alice' "
       "(line 3)"},
      {"QueueExtensionClashesWithAgent",
       head + bob +
           "[[queue]]\nname = \"support\"\n"
           "extension = \"202\"\n",
       "t.toml:13: queue 'support': extension: '202' is already used as the extension of agent "
       "'bob' (line 10)"},
      {"QueueExtensionsClash", head + "[[queue]]\nname = \"support\"\nextension = \"600\"\n",
       "t.toml:10: queue 'support': extension: '600' is already used as the extension of queue "
       "'sales' (line 7)"},
      {"LoginCodeClashesWithExtension", head + "login_code = \"201\"\n",
       "t.toml:8: queue 'sales': login_code: '201' is already used as the extension of agent "
       "'alice' (line 3)"},
      {"LoginCodeEqualsLogoutCode", head + "login_code = \"*9\"\nlogout_code = \"*9\"\n",
       "t.toml:9: queue 'sales': logout_code: '*9' is already used as the login code of queue "
       "'sales' (line 8)"},
      {"DefaultLoginCodeClashes",
       "[[agent]]\nid = \"x\"\nextension = \"*41600\"\n[[queue]]\n"
       "name = \"sales\"\nextension = \"600\"\n",
       "t.toml:6: queue 'sales': login_code: '*41600' (the default, \"*41\" + extension) is "
       "already "
       "used as the extension of agent 'x' (line 3)"},
      {"ExplicitCodeClashesWithDefault",
       head + "[[queue]]\nname = \"support\"\n"
              "extension = \"601\"\nlogout_code = \"*42600\"\n",
       "t.toml:11: queue 'support': logout_code: '*42600' is already used as the logout code of "
       "queue 'sales' (line 7)"},
  };
}

class ConfigErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrorTest, ReportsFileLineFieldAndReason) {
  const ErrorCase& c = GetParam();
  Result<core::Config> config = parseConfig(c.toml, "t.toml");
  ASSERT_FALSE(config.has_value()) << c.toml;
  EXPECT_EQ(config.error().message, c.message) << c.toml;
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
}

std::string caseName(const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(TypesAndRanges, ConfigErrorTest, testing::ValuesIn(typeAndRangeCases()),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Structure, ConfigErrorTest, testing::ValuesIn(structureCases()), caseName);
INSTANTIATE_TEST_SUITE_P(AcrossTables, ConfigErrorTest, testing::ValuesIn(crossTableCases()),
                         caseName);

}  // namespace
}  // namespace callq::config
