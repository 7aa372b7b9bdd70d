#include "config/queue_reader.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace callq::config::internal {
namespace {

// clang-format off
constexpr std::array<std::string_view, 25> kQueueKeys{
    "name", "extension", "strategy", "login_code", "logout_code", "ring_time", "ring_count",
    "retry", "wrap_up", "max_wait", "max_callers", "service_level", "weight", "max_no_answer",
    "wait_time_withdrawn", "wait_time_empty", "join_empty", "timeout_action", "timeout_message",
    "overflow_action", "overflow_message", "exit_keys", "stats_window", "hold_audio", "members"};
// clang-format on
constexpr std::array<std::string_view, 3> kMemberKeys{"agent", "level", "static"};

constexpr std::int64_t kSecondsPerRing = 5;  // "some users think in rings: one ring = 5 s"
constexpr std::int64_t kMaxCount = std::numeric_limits<unsigned>::max();
constexpr std::int64_t kMaxLevel = 1'000'000;

std::vector<std::string_view> strategyNames() {
  std::vector<std::string_view> names;
  for (int s = 0; s <= static_cast<int>(core::Strategy::kLinear); ++s) {
    names.push_back(core::strategyName(static_cast<core::Strategy>(s)));
  }
  return names;
}

void readNumbers(TableReader& r, LocatedQueue& out) {
  core::QueueConfig& q = out.queue;
  QueueLines& lines = out.lines;
  q.extension = r.dialable("extension", true).value_or("");
  lines.extension = r.lineOf("extension");
  lines.loginDefaulted = !r.has("login_code");
  lines.logoutDefaulted = !r.has("logout_code");
  q.loginCode = r.dialable("login_code", false).value_or("*41" + q.extension);
  q.logoutCode = r.dialable("logout_code", false).value_or("*42" + q.extension);
  // A default code is written nowhere; it comes from the extension, so point there.
  lines.loginCode = lines.loginDefaulted ? lines.extension : r.lineOf("login_code");
  lines.logoutCode = lines.logoutDefaulted ? lines.extension : r.lineOf("logout_code");
}

void readRinging(TableReader& r, core::QueueConfig& q) {
  if (std::optional<std::string> name = r.string("strategy")) {
    if (std::optional<core::Strategy> strategy = core::parseStrategy(*name)) {
      q.strategy = *strategy;
    } else {
      r.fail("strategy", "unknown strategy '" + *name +
                             "' (expected one of: " + joinNames(strategyNames()) + ")");
    }
  }
  q.ringTime = r.seconds("ring_time", 1).value_or(q.ringTime);
  if (std::optional<std::int64_t> rings =
          r.integer("ring_count", 1, kMaxSeconds / kSecondsPerRing)) {
    if (r.has("ring_time")) {
      r.fail("ring_count", "set ring_time or ring_count, not both");
    } else {
      q.ringTime = Duration(*rings * kSecondsPerRing * 1000);
    }
  }
  q.retry = r.seconds("retry", 0).value_or(q.retry);
  q.wrapUp = r.seconds("wrap_up", 0).value_or(q.wrapUp);
  q.maxNoAnswer = static_cast<unsigned>(r.integer("max_no_answer", 0, kMaxCount).value_or(0));
}

void readWaiting(TableReader& r, core::QueueConfig& q) {
  q.maxWait = r.seconds("max_wait", 0).value_or(q.maxWait);
  q.maxCallers = static_cast<unsigned>(r.integer("max_callers", 0, kMaxCount).value_or(0));
  q.waitWithdrawn = r.seconds("wait_time_withdrawn", 0);
  q.waitEmpty = r.seconds("wait_time_empty", 0);
  if (std::optional<std::string> join = r.string("join_empty")) {
    if (*join == "allow" || *join == "refuse") {
      q.refuseJoinEmpty = *join == "refuse";
    } else {
      r.fail("join_empty", "expected 'allow' or 'refuse', got '" + *join + "'");
    }
  }
}

void readPolicy(TableReader& r, core::QueueConfig& q) {
  q.serviceLevel = r.seconds("service_level", 0).value_or(q.serviceLevel);
  q.statsWindow = r.seconds("stats_window", 1).value_or(q.statsWindow);
  q.weight = r.positiveNumber("weight").value_or(q.weight);
  if (std::optional<std::string> audio = r.string("hold_audio")) {
    if (audio->empty()) {
      r.fail("hold_audio", "must not be empty (use \"ringback\" or a music class name)");
    } else {
      q.holdAudio = *audio;
    }
  }
}

void readAction(TableReader& r, std::string_view actionKey, std::string_view messageKey,
                core::Destination& destination, int& line) {
  if (std::optional<std::string> text = r.string(actionKey)) {
    if (Result<core::Destination> parsed = core::parseDestination(*text)) {
      destination = *parsed;
      line = r.lineOf(actionKey);
    } else {
      r.fail(actionKey, parsed.error().message);
    }
  }
  if (std::optional<std::string> message = r.string(messageKey)) {
    destination.message = *message;
  }
}

// exit_keys = { "0" = "extension:201", "9" = "queue:support" }
void readExitKeys(TableReader& r, LocatedQueue& out) {
  const toml::table* keys =
      r.table("exit_keys", "a table of keys to destinations like { \"0\" = \"extension:201\" }");
  if (keys == nullptr) {
    return;
  }
  const int line = r.lineOf("exit_keys");
  const std::string where = "exit_keys: ";
  for (const auto& [key, node] : *keys) {
    const std::string name(key.str());
    const int at = lineOf(node) != 0 ? lineOf(node) : line;
    if (name.size() != 1 || !core::isDialKey(name[0])) {
      r.failAt(at, where + "'" + name + "' is not a key (expected 0-9, *, # or A-D)");
      continue;
    }
    const std::optional<std::string_view> text = node.value<std::string_view>();
    if (!text) {
      r.failAt(at, where + "key '" + name + "': expected a destination string like " +
                       "\"queue:support\", got " + std::string(typeName(node)));
      continue;
    }
    Result<core::Destination> destination = core::parseDestination(*text);
    if (!destination) {
      r.failAt(at, where + "key '" + name + "': " + destination.error().message);
      continue;
    }
    if (destination->kind == core::DestinationKind::kKeepWaiting) {
      r.failAt(at, where + "key '" + name + "': \"wait\" is not a destination for a key");
      continue;
    }
    out.queue.exitKeys.push_back(core::ExitKey{name[0], *destination});
    out.lines.exitKeys.push_back(at);
  }
}

void readMembers(TableReader& r, LocatedQueue& out) {
  const toml::array* members =
      r.array("members", "an array of tables like [{ agent = \"alice\", level = 0 }]");
  if (members == nullptr) {
    return;
  }
  const std::string context = r.context() + ": members";
  for (const toml::node& node : *members) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      r.failAt(lineOf(node), "members: expected a table like { agent = \"alice\" }, got " +
                                 std::string(typeName(node)));
      continue;
    }
    TableReader m(*table, context, r.diagnostics());
    m.rejectUnknownKeys(kMemberKeys);
    core::MemberConfig member;
    member.agent = m.requiredString("agent").value_or("");
    member.level = static_cast<int>(m.integer("level", 0, kMaxLevel).value_or(0));
    member.isStatic = m.boolean("static").value_or(false);
    out.queue.members.push_back(std::move(member));
    out.lines.members.push_back(lineOf(node));
  }
}

}  // namespace

LocatedQueue readQueue(const toml::table& table, int index, Diagnostics& diag) {
  LocatedQueue out;
  TableReader r(table, "queue #" + std::to_string(index), diag);
  out.lines.header = r.line();
  out.lines.name = r.lineOf("name");
  if (std::optional<std::string> name = r.peekString("name"); name && !name->empty()) {
    r.setContext("queue '" + *name + "'");
  }
  r.rejectUnknownKeys(kQueueKeys);
  out.queue.name = r.requiredString("name").value_or("");
  readNumbers(r, out);
  readRinging(r, out.queue);
  readWaiting(r, out.queue);
  readPolicy(r, out.queue);
  readAction(r, "timeout_action", "timeout_message", out.queue.onTimeout, out.lines.timeoutAction);
  readAction(r, "overflow_action", "overflow_message", out.queue.onOverflow,
             out.lines.overflowAction);
  readExitKeys(r, out);
  readMembers(r, out);
  return out;
}

}  // namespace callq::config::internal
