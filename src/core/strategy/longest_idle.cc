// longest-idle: the available member whose last queue call (in any queue) ended longest ago.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

class LongestIdle final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override { return m.lastCallEndMs; }
  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    chooseFirstUntried(ctx, out);
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeLongestIdle() { return std::make_unique<LongestIdle>(); }

}  // namespace callq::core::internal
