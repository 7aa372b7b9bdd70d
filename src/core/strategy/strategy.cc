#include "core/strategy/strategy.h"

#include <algorithm>

namespace callq::core::internal {

bool wasTried(std::span<const MemberIndex> tried, MemberIndex m) {
  return std::find(tried.begin(), tried.end(), m) != tried.end();
}

bool chooseFirstUntried(const OfferContext& ctx, std::vector<MemberIndex>& out) {
  for (const AvailableIndex::Level& l : ctx.available.levels()) {
    for (const IndexEntry& e : l.ordered) {
      if (!wasTried(ctx.tried, e.member)) {
        out.push_back(e.member);
        return true;
      }
    }
  }
  return false;
}

std::unique_ptr<RoutingStrategy> makeStrategy(Strategy s) {
  switch (s) {
    case Strategy::kRingAll:
      return makeRingAll();
    case Strategy::kLongestIdle:
      return makeLongestIdle();
    case Strategy::kFewestCalls:
      return makeFewestCalls();
    case Strategy::kLeastTalkTime:
      return makeLeastTalkTime();
    case Strategy::kRandom:
      return makeRandom();
    case Strategy::kWeightedRandom:
      return makeWeightedRandom();
    case Strategy::kRoundRobin:
      return makeRoundRobin();
    case Strategy::kLinear:
      return makeLinear();
  }
  return makeRingAll();
}

}  // namespace callq::core::internal
