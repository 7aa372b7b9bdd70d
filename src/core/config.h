// The engine's configuration: queues, agents, memberships and withdraw reasons, as plain values.
//
// Loaded from TOML by src/config (with file/line errors) and checked again by validateConfig()
// here, so a Config built in code (tests, the simulator) gets the same rules. Durations are
// milliseconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace callq::core {

enum class Strategy {
  kRingAll,
  kLongestIdle,
  kFewestCalls,
  kLeastTalkTime,
  kRandom,
  kWeightedRandom,
  kRoundRobin,
  kLinear,
};

// "ring-all", "longest-idle", ... as written in configuration files and the API.
std::string_view strategyName(Strategy s);
std::optional<Strategy> parseStrategy(std::string_view name);

// Where a caller goes when a queue gives up on them (timeout, overflow, refused join).
enum class DestinationKind {
  kHangup,
  kVoicemail,   // target: mailbox (empty = the queue's own)
  kExtension,   // target: internal extension or agent
  kNumber,      // target: external number in international form, +<country><number>
  kQueue,       // target: another queue's name; the engine moves the caller itself
  kKeepWaiting  // the caller stays in the queue
};

struct Destination {
  DestinationKind kind = DestinationKind::kHangup;
  std::string target;
  std::string message;  // optional timeout message played first (audio file or text)
};

// Parses "hangup", "voicemail", "voicemail:<box>", "extension:<ext>", "number:+<digits>",
// "queue:<name>", "wait". The message is not part of the string.
Result<Destination> parseDestination(std::string_view text);
std::string formatDestination(const Destination& d);

// A key a waiting caller may press to leave the queue for `destination` (EXITWITHKEY).
struct ExitKey {
  char key = 0;  // '0'-'9', '*', '#' or 'A'-'D' (RFC 4733 events 0-15)
  Destination destination;
};

// True for the keys a phone can send: 0-9, *, # and A-D.
bool isDialKey(char key);

struct MemberConfig {
  std::string agent;      // AgentConfig::id
  int level = 0;          // penalty: lower levels are offered calls first
  bool isStatic = false;  // static members are always logged in; dynamic ones log in and out
};

struct QueueConfig {
  std::string name;        // unique, also the queue's id in events and the API
  std::string extension;   // unique dialable number
  std::string loginCode;   // default "*41<extension>"
  std::string logoutCode;  // default "*42<extension>"
  Strategy strategy = Strategy::kRingAll;
  Duration ringTime{15'000};      // ringing at one agent before the call moves on (> 0)
  Duration retry{5'000};          // pause between ringing rounds
  Duration wrapUp{0};             // after a call, the agent gets no queue call for this long
  Duration maxWait{0};            // 0 = unlimited; then onTimeout
  unsigned maxCallers = 0;        // 0 = unlimited; a full queue refuses the caller -> onOverflow
  Duration serviceLevel{20'000};  // answered within this counts toward the service level
  double weight = 1.0;            // > 0; favours this queue's callers for agents in several queues
  unsigned maxNoAnswer = 0;       // consecutive no-answers before the agent is withdrawn; 0 = never
  // Wait time 1: all logged-in agents Withdrawn. Unset = no limit (only maxWait applies).
  std::optional<Duration> waitWithdrawn;
  // Wait time 2: nobody logged in, or all Not available. Unset = no limit; 0 = leave at once.
  std::optional<Duration> waitEmpty;
  bool refuseJoinEmpty = false;  // refuse new callers while nobody is logged in / all Not available
  Destination onTimeout;         // max wait or wait time 1 reached
  Destination onOverflow;        // wait time 2 reached, join refused (empty or full)
  std::vector<ExitKey> exitKeys;     // keys that take a waiting caller elsewhere; unique keys
  Duration statsWindow{86'400'000};  // fewest-calls / least-talk-time window, aligned to the epoch
  std::string holdAudio = "ringback";  // "ringback" or a music class
  std::vector<MemberConfig> members;   // member order = order position for ordered strategies
};

struct AgentConfig {
  std::string id;         // unique login name
  std::string name;       // display name
  std::string extension;  // unique SIP account its phones register to
};

struct Config {
  std::vector<QueueConfig> queues;
  std::vector<AgentConfig> agents;
  // Reasons an agent may give when Withdrawn. "no answer" is always accepted (set by the engine).
  std::vector<std::string> withdrawReasons;
};

inline constexpr std::string_view kNoAnswerReason = "no answer";

// Checks the rules the engine relies on: unique names and extensions, known agents in members, at
// most one membership per agent and queue, positive ring time and weight, destinations that name
// known queues. The message names the queue or agent and the field.
Result<void> validateConfig(const Config& config);

}  // namespace callq::core
