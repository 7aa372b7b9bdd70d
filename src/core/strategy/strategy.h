// Strategy: chooses which available members of a queue ring for one offer.
//
// A strategy reads the queue's AvailableIndex (a view of who could take the call, ordered by the
// metric the strategy itself defines), the members already tried this round, its explicit memory
// (the round-robin position) and the random generator; it changes nothing but the generator.
// Penalty levels: every strategy except weighted-random looks only at the lowest level that has an
// untried available member; weighted-random uses the level as a weight instead (as Asterisk's
// wrandom does), since a tier would make the weighting meaningless.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/available_index.h"
#include "core/config.h"
#include "core/rng.h"

namespace callq::core::internal {

// What a strategy may know about one member when the member becomes available.
struct MemberMetrics {
  std::int64_t lastCallEndMs = 0;  // the agent's last queue call (any queue) ended at
  // The stats window the counters below belong to: a member who has not answered since the window
  // rolled over still carries an older window, and so ranks ahead of everyone counted in the new
  // one (zero calls), with last window's count as the tie-break. No re-keying at rollover.
  std::int64_t windowIndex = 0;
  std::uint32_t callsInWindow = 0;  // calls this member answered for this queue in its window
  std::int64_t talkInWindowMs = 0;
  std::uint32_t order = 0;  // position in the queue's member list
};

// Orders first by stats window, then by a counter within it (counters stay below 2^40).
inline std::int64_t windowedMetric(const MemberMetrics& m, std::int64_t counter) {
  return (m.windowIndex << 40) + counter;
}

struct OfferContext {
  const AvailableIndex& available;
  std::span<const MemberIndex> tried;  // rung this round (including those still ringing)
  std::int64_t lastOfferedOrder = -1;  // round-robin memory: order of the member offered last
  Rng& rng;
};

class RoutingStrategy {
 public:
  virtual ~RoutingStrategy() = default;
  // Sort key within a level: lower is offered first (ties go by member order).
  virtual std::int64_t metric(const MemberMetrics& m) const = 0;
  // Appends the members to ring now; empty when no untried member is available.
  virtual void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const = 0;
  // True when one offer rings several members at once (ring-all): such a call keeps accepting
  // newly available members of its round's level while it rings.
  virtual bool ringsAll() const { return false; }
};

std::unique_ptr<RoutingStrategy> makeStrategy(Strategy s);

// Shared helpers for the strategies.
bool wasTried(std::span<const MemberIndex> tried, MemberIndex m);
// The first untried entry in metric order at the lowest level that has one.
bool chooseFirstUntried(const OfferContext& ctx, std::vector<MemberIndex>& out);

std::unique_ptr<RoutingStrategy> makeRingAll();
std::unique_ptr<RoutingStrategy> makeLongestIdle();
std::unique_ptr<RoutingStrategy> makeFewestCalls();
std::unique_ptr<RoutingStrategy> makeLeastTalkTime();
std::unique_ptr<RoutingStrategy> makeRandom();
std::unique_ptr<RoutingStrategy> makeWeightedRandom();
std::unique_ptr<RoutingStrategy> makeRoundRobin();
std::unique_ptr<RoutingStrategy> makeLinear();

}  // namespace callq::core::internal
