// Engine: the call-distribution engine. Decides who gets which call.
//
// A deterministic state machine: each input carries its time, the engine answers with actions (what
// the driver must do) and events (what happened), and tells the driver its next deadline. It reads
// no clock, draws randomness only from the seeded generator it owns, starts no thread and does no
// I/O. Replaying the same inputs with the same times and seed reproduces a run exactly.
//
// Thread-safety: none. One thread (the signalling thread, or the simulator) owns an Engine; others
// post inputs to that thread.
//
// Every input first runs the deadlines due at `now` (a late input cannot overtake a timeout), then
// applies itself, then runs whatever became due. Times earlier than the last one seen are taken as
// the last one (time never goes back). Inputs that do not fit the current state (an answer from an
// agent who is not ringing, a hang-up for an unknown call) return an error and change nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "common/time.h"
#include "core/action.h"
#include "core/config.h"
#include "core/event.h"
#include "core/snapshot.h"

namespace callq::core {

namespace internal {
class EngineImpl;
}

struct EngineOptions {
  std::uint64_t seed = 1;
  Presence initialPresence = Presence::kReady;
  bool initiallyRegistered = true;  // the SIP server starts with false and reports registrations
};

struct CallArrival {
  CallId call;
  QueueId queue;
  int priority = 0;      // higher is served first; equal priorities in arrival order
  std::string callerId;  // for the ENTERQUEUE event
};

enum class RingFailure : std::uint8_t { kBusy, kDeclined, kUnreachable };
enum class Party : std::uint8_t { kCaller, kAgent };
enum class TransferKind : std::uint8_t { kBlind, kAttended };

class Engine {
 public:
  // Fails with the validateConfig() message when the configuration is not valid.
  static Result<std::unique_ptr<Engine>> create(Config config, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const Config& config() const;
  std::optional<QueueId> findQueue(std::string_view name) const;
  std::optional<AgentId> findAgent(std::string_view id) const;

  // --- Inputs -----------------------------------------------------------------------------------
  // A caller arrives at a queue: admitted (ENTERQUEUE) or refused (JOINREFUSED).
  Result<void> callArrived(Time now, const CallArrival& arrival);
  // The caller hung up: while waiting (ABANDON, RINGCANCELED for rings) or while connected
  // (COMPLETECALLER).
  Result<void> callerHungUp(Time now, CallId call);
  // callq is stopping and hangs up on every caller still waiting (ExitQueue to hang up): each
  // visit ends with SERVERRESTART (not ABANDON: the callers did not give up), its rings with
  // RINGCANCELED "callq stopped", all in one input so that no agent is offered another of them.
  // Connected calls are left to end as any other (callEnded).
  Result<void> serverStopping(Time now);
  // The caller pressed `key` (0-9, *, #, A-D). While waiting, a key in the queue's exit_keys
  // takes the caller to its destination (EXITWITHKEY); any other key, or any key once
  // connected, changes nothing.
  Result<void> digitPressed(Time now, CallId call, char key);
  // One of the agent's phones answered an offer of `call`.
  Result<void> agentAnswered(Time now, CallId call, AgentId agent);
  // The offer to `agent` failed before its ring time (busy, declined, unreachable phone).
  Result<void> ringFailed(Time now, CallId call, AgentId agent, RingFailure why);
  // A connected queue call ended; `who` hung up (COMPLETEAGENT / COMPLETECALLER).
  Result<void> callEnded(Time now, CallId call, Party who);
  // The agent transferred the connected caller to `target` (BLINDTRANSFER / ATTENDEDTRANSFER).
  Result<void> callTransferred(Time now, CallId call, TransferKind kind, const std::string& target);
  // Dynamic members log in and out (ADDMEMBER / REMOVEMEMBER); static members cannot.
  Result<void> login(Time now, AgentId agent, QueueId queue);
  Result<void> logout(Time now, AgentId agent, QueueId queue);
  // Ready (UNPAUSE), Withdrawn with a configured reason (PAUSE), Not available (UNAVAILABLE).
  Result<void> setPresence(Time now, AgentId agent, Presence presence, std::string reason = {});
  // Whether the agent has at least one registered phone. The last one gone ends a ring
  // (RINGNOANSWER "unreachable", not counted as a no-answer; StopRinging).
  Result<void> setRegistered(Time now, AgentId agent, bool registered);
  // Direct and outgoing calls make the agent busy for queue calls; presence does not matter.
  Result<void> otherCallStarted(Time now, AgentId agent);
  Result<void> otherCallEnded(Time now, AgentId agent);
  // Runs every deadline due at or before `now`.
  void advance(Time now);

  // --- Outputs ----------------------------------------------------------------------------------
  // When advance() must next be called; kNever when nothing is pending.
  Time nextDeadline() const;
  // Actions and events produced so far, in order. The driver consumes and clears them.
  std::vector<Action>& actions();
  std::vector<Event>& events();

  // --- Live state -------------------------------------------------------------------------------
  QueueSnapshot queueSnapshot(Time now, QueueId queue) const;
  AgentSnapshot agentSnapshot(AgentId agent) const;
  // Position (1..n) of a waiting caller, and its estimated wait from recent handle times.
  std::optional<std::uint32_t> position(CallId call) const;
  std::optional<Duration> estimatedWait(CallId call) const;
  bool isLoggedIn(AgentId agent, QueueId queue) const;
  // A call the engine holds (waiting, ringing or connected): its queue and caller. `callerId`
  // views the engine's copy: valid until the next input (no allocation: SIP asks at each hang-up).
  struct CallInfo {
    QueueId queue;
    std::string_view callerId;
    bool connected = false;
  };
  std::optional<CallInfo> callInfo(CallId call) const;
  std::size_t activeCalls() const;

  // --- State kept across restarts ---------------------------------------------------------------
  AgentDurable durableState(AgentId agent) const;
  // Round-robin memory: the member order last offered a call (-1: none yet).
  std::int64_t roundRobinPosition(QueueId queue) const;
  // Put back what durableState() / roundRobinPosition() returned before a restart, before the
  // first input. No events: they were recorded when it happened. Memberships that are no longer
  // configured are skipped and static members stay logged in; a reason no longer configured is
  // kept (it was accepted when given).
  Result<void> restore(Time now, const AgentDurable& state);
  Result<void> restoreRoundRobin(QueueId queue, std::int64_t position);

  // --- A new configuration while running --------------------------------------------------------
  // Ids are dense indexes into config(), so a new configuration renumbers queues and agents
  // (matched by queue name and agent id). For each old index, the new id; nullopt: removed.
  struct Renumbering {
    std::vector<std::optional<QueueId>> queues;
    std::vector<std::optional<AgentId>> agents;
  };
  // Step 1 of taking `next`: checks it (validateConfig, then what the live state forbids: removing
  // a queue that callers are in, an agent on a call, or a membership the agent is on a call of;
  // errors kInvalidArgument and kFailedPrecondition, changing nothing), then logs out every
  // logged-in membership that `next` removes (REMOVEMEMBER with reason "configuration", ending its
  // rings as a logout does). Its events name today's queues and agents: the driver hands them on
  // before step 2.
  Result<void> prepareReconfigure(Time now, const Config& next);
  // Step 2: takes `next`, keeping every call (waiting, ringing, connected) with its place, and
  // each agent's presence, activity, logins and strategy counters; a queue keeps its round-robin
  // place, its recent handle time and how long it has been staffed or empty. New agents start as
  // at creation (EngineOptions); new static members are logged in (ADDMEMBER, reason
  // "configuration"). Wait limits are re-armed from the new settings (counted from each caller's
  // arrival). Fails, changing nothing, when step 1 was not done for `next`.
  Result<Renumbering> reconfigure(Time now, Config next);

 private:
  explicit Engine(std::unique_ptr<internal::EngineImpl> impl);
  std::unique_ptr<internal::EngineImpl> impl_;
};

}  // namespace callq::core
