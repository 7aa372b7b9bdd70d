// EngineImpl: the engine's state and rules behind Engine's interface. Internal to src/core.
//
// Invariants kept after every input:
//  - an agent rings for at most one call and is connected to at most one; never both;
//  - a member is in its queue's AvailableIndex iff it could be offered a call now (logged in,
//    Ready, registered, idle, on no other call);
//  - a waiting call is in its queue's offerable set (also while ringing, for ring-all, and during
//    the pause between rounds, where it keeps its place); no caller idles while its queue has more
//    available members than callers ahead in their round pause (dispatch runs on every change);
//  - every admitted call ends with exactly one terminal event per queue it entered.
#pragma once

#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/action.h"
#include "core/available_index.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/event.h"
#include "core/rng.h"
#include "core/snapshot.h"
#include "core/strategy/strategy.h"
#include "core/timer_queue.h"

namespace callq::core::internal {

// A caller's place: higher priority first, then arrival order. `seq` is engine-wide and unique.
struct CallKey {
  int negPriority = 0;
  std::uint64_t seq = 0;
  std::uint64_t call = 0;
  friend auto operator<=>(const CallKey&, const CallKey&) = default;
};

using CallOrder =
    __gnu_pbds::tree<CallKey, __gnu_pbds::null_type, std::less<CallKey>, __gnu_pbds::rb_tree_tag,
                     __gnu_pbds::tree_order_statistics_node_update>;

enum class CallPhase : std::uint8_t { kWaiting, kRinging, kPausing, kConnected };

struct RingLeg {
  MemberIndex member = 0;
  AgentId agent;
  Time started;
  Time until;  // ring time is over (the call's ringTimer fires at the earliest leg's)
};

struct CallState {
  CallId id;
  QueueId queue;
  int priority = 0;
  std::string callerId;
  CallKey key;
  Time enteredAt;
  std::uint32_t originalPosition = 0;
  CallPhase phase = CallPhase::kWaiting;
  std::vector<RingLeg> rings;      // offers in flight
  std::vector<MemberIndex> tried;  // members rung this round, including those still ringing
  int roundLevel = 0;              // ring-all: members up to this level may join the round
  // One timer for all legs, armed at the earliest leg's `until`: ring-all rings many agents at
  // once, and a timer per leg would be armed and cancelled for every one of them.
  std::optional<Timer> ringTimer;
  std::optional<Timer> pauseTimer;
  std::optional<Timer> maxWaitTimer;
  std::optional<Timer> waitTimeTimer;
  AgentId agent;  // connected agent
  MemberIndex member = 0;
  Time connectedAt;
  std::vector<QueueId> visited;  // queues this caller was moved out of (loop detection)
};

// How a member counts for wait time 1 / 2.
enum class Staffing : std::uint8_t { kAbsent, kWithdrawn, kReady };
enum class QueueCondition : std::uint8_t { kStaffed, kAllWithdrawn, kEmpty };

struct MemberState {
  AgentId agent;
  int level = 0;
  std::uint32_t order = 0;
  bool isStatic = false;
  bool loggedIn = false;
  Staffing staffing = Staffing::kAbsent;
  std::int64_t windowIndex = 0;  // statsWindow period the counters belong to
  std::uint32_t callsInWindow = 0;
  std::int64_t talkInWindowMs = 0;
};

struct QueueState {
  QueueState(const QueueConfig& c, std::unique_ptr<RoutingStrategy> s,
             std::span<const int> memberLevels)
      : config(&c), strategy(std::move(s)), available(memberLevels) {}
  const QueueConfig* config;
  std::unique_ptr<RoutingStrategy> strategy;
  std::vector<MemberState> members;
  AvailableIndex available;
  CallOrder callers;            // every waiting caller (not connected), by position
  std::set<CallKey> offerable;  // waiting callers an agent who frees up may take
  std::int64_t lastOfferedOrder = -1;
  std::uint32_t staffedReady = 0;
  std::uint32_t staffedWithdrawn = 0;
  QueueCondition condition = QueueCondition::kEmpty;
  Time conditionSince;
  std::optional<double> handleTimeMs;  // exponential average of talk + wrap-up
};

struct Membership {
  QueueId queue;
  MemberIndex member;
};

struct AgentState {
  Presence presence = Presence::kReady;
  std::string reason;
  bool registered = true;
  Activity activity = Activity::kIdle;
  std::uint32_t otherCalls = 0;
  CallId call;  // ringing for, or connected to
  Time since;
  Time lastCallEnd = fromMillis(0);
  std::uint32_t noAnswers = 0;  // consecutive
  std::vector<Membership> memberships;
};

class EngineImpl {
 public:
  EngineImpl(Config config, const EngineOptions& options);

  // Inputs (see Engine). `now_` is already set and due timers have run.
  Result<void> callArrived(const CallArrival& arrival);
  Result<void> callerHungUp(CallId call);
  Result<void> serverStopping();
  Result<void> digitPressed(CallId call, char key);
  Result<void> agentAnswered(CallId call, AgentId agent);
  Result<void> ringFailed(CallId call, AgentId agent, RingFailure why);
  Result<void> callEnded(CallId call, Party who);
  Result<void> callTransferred(CallId call, TransferKind kind, const std::string& target);
  Result<void> login(AgentId agent, QueueId queue);
  Result<void> logout(AgentId agent, QueueId queue);
  Result<void> setPresence(AgentId agent, Presence presence, std::string reason);
  Result<void> setRegistered(AgentId agent, bool registered);
  Result<void> otherCallStarted(AgentId agent);
  Result<void> otherCallEnded(AgentId agent);

  // Sets the clock (never backwards) and runs due timers and pending dispatch.
  void advanceTo(Time now);
  void settle();  // runs dispatch for agents who may have become free, and timers now due

  // State for Engine's accessors.
  Config config_;
  std::vector<QueueState> queues_;
  std::vector<AgentState> agents_;
  std::unordered_map<std::uint64_t, CallState> calls_;
  std::vector<Action> actions_;
  std::vector<Event> events_;
  TimerQueue timers_;
  Time now_ = fromMillis(0);

  QueueSnapshot queueSnapshot(QueueId queue, Time now) const;
  AgentSnapshot agentSnapshot(AgentId agent) const;
  AgentDurable durableState(AgentId agent) const;
  Result<void> restore(const AgentDurable& state);
  // reconfigure.cc: a new configuration while running (see Engine).
  Result<void> prepareReconfigure(const Config& next);
  Result<Engine::Renumbering> reconfigure(Config next);
  std::optional<std::uint32_t> positionOf(const CallState& call) const;
  std::optional<Duration> estimateWait(const QueueState& q, std::uint32_t position) const;
  std::optional<MemberIndex> memberOf(AgentId agent, QueueId queue) const;

 private:
  // dispatch.cc: offering calls to agents.
  void offer(CallState& call);
  void startRing(CallState& call, MemberIndex member);
  void pull(AgentId agent);
  CallState* bestCallFor(AgentId agent, MemberIndex* member);
  struct LegEnd {
    EventType event;
    std::string_view reason;
    bool countsNoAnswer;
    bool stopRinging;
  };
  void endLeg(CallState& call, std::size_t leg, const LegEnd& how);
  void afterLegEnded(CallState& call);
  std::size_t legOf(const CallState& call, AgentId agent) const;
  void drainPulls();
  void cancelRings(CallState& call, std::string_view reason);
  void rearmRingTimer(CallState& call);
  void onRingTimeout(CallState& call);
  void rollWindow(const QueueState& q, MemberState& m);  // counters into the current window
  MemberMetrics metricsOf(const MemberState& m) const;
  void onRoundPauseEnd(CallState& call);
  std::size_t pausingAhead(const QueueState& q, const CallKey& key) const;
  void offerHeld(QueueState& q);

  // agents.cc: agent state and the available index.
  void refreshAgent(AgentId agent);
  void refreshMember(QueueState& q, MemberIndex m);  // index and staffing
  void updateIndex(QueueState& q, MemberIndex m);    // index only
  bool canTakeQueueCall(const AgentState& a) const;
  void setActivity(AgentId agent, Activity activity, CallId call);
  void noteStaffing(QueueState& q, MemberState& m);
  void updateCondition(QueueState& q);
  void withdraw(AgentId agent, std::string reason);
  // Ends the agent's ring for a call of `queue`, if it rings for one (RINGCANCELED).
  void endRingIn(AgentId agent, QueueId queue, std::string_view reason);
  // The agent's ring, in any queue, ends as a RINGNOANSWER `reason` that does not count towards
  // max_no_answer (busy on another line, no phone left).
  void endRingAt(AgentId agent, std::string_view reason);
  void agentCallFinished(AgentId agent, const CallState& call);
  void onWrapUpEnd(AgentId agent);

  // calls.cc: callers entering and leaving queues.
  Result<void> enter(CallState call, QueueId queue);
  void armWaitTime(CallState& call);
  Result<void> refuse(CallState call, const char* reason);
  Destination resolveLoops(const CallState& call, Destination d) const;
  void route(CallState call, QueueId from, const Destination& destination);
  void exitQueue(CallState& call, EventType type, Destination destination, char key = 0);
  // A caller's visit ends before an answer: its rings end (RINGCANCELED `ringReason`), then
  // `type` with position, original position, wait and `reason`; the call is gone.
  void endWaiting(CallState& call, EventType type, std::string_view ringReason, std::string reason);
  void onGiveUp(CallState& call, EventType type, const Destination& destination);
  void leaveQueueStructures(CallState& call);
  void onTimer(const Timer& t);
  void connect(CallState& call, std::size_t leg);
  void finishConnected(CallState& call, EventType type, std::string reason);
  Event& emit(EventType type, const CallState* call, AgentId agent);
  Event& emitAgent(EventType type, AgentId agent, QueueId queue);

  CallState* findCall(CallId id);
  CallState& storeCall(CallState&& call);  // into calls_, reusing a spare node
  void dropCall(CallId id);                // out of calls_, keeping the node as a spare
  struct Leg {
    CallState* call;
    std::size_t index;
  };
  Result<Leg> ringingLeg(CallId call, AgentId agent);  // error unless `agent` rings for `call`
  Result<MemberState*> dynamicMember(AgentId agent, QueueId queue, bool loggedIn);
  QueueState& queueOf(const CallState& call) { return queues_[call.queue.value()]; }
  bool validAgent(AgentId agent) const { return agent.value() < agents_.size(); }

  // Appends the state of config_.queues[qi] with its members (static ones logged in), adding
  // their memberships to agents_.
  QueueState& addQueue(std::uint32_t qi);
  // reconfigure.cc
  Result<Engine::Renumbering> renumber(const Config& next) const;
  Result<void> checkLiveState(const Config& next, const Engine::Renumbering& r) const;
  bool keepsMembership(const Config& next, const Engine::Renumbering& r, QueueId queue,
                       AgentId agent) const;
  // The steps of reconfigure(), config_ already the new one.
  void renumberAgents(const Engine::Renumbering& r);
  // Returns the static memberships that were not logged in before (for ADDMEMBER).
  std::vector<std::pair<AgentId, QueueId>> rebuildQueues(const Engine::Renumbering& r,
                                                         const Config& previous,
                                                         std::vector<QueueState>& oldQueues);
  void renumberCalls(const Engine::Renumbering& r, const Config& previous,
                     const std::vector<QueueState>& oldQueues);
  static std::int64_t carriedRoundRobin(const QueueState& old, const QueueConfig& before,
                                        const QueueConfig& after);

  Rng rng_;
  Presence initialPresence_ = Presence::kReady;  // for agents added later (EngineOptions)
  bool initiallyRegistered_ = true;
  std::uint64_t nextSeq_ = 0;
  std::vector<AgentId> pendingPulls_;
  std::vector<QueueId> pendingQueues_;  // queues whose held callers may be offered again

 public:
  std::unordered_map<std::string, std::uint32_t> queueByName_;
  std::unordered_map<std::string, std::uint32_t> agentById_;

 private:
  std::vector<MemberIndex> chosen_;  // scratch for strategy choices
  // Nodes of ended calls, reused so that a call's arrival allocates nothing in steady state.
  static constexpr std::size_t kMaxSpareCalls = 1024;
  std::vector<std::unordered_map<std::uint64_t, CallState>::node_type> spareCalls_;
};

}  // namespace callq::core::internal
