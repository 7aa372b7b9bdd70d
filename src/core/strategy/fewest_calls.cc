// fewest-calls: the available member who answered the fewest calls of this queue in the window.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

class FewestCalls final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override {
    return windowedMetric(m, m.callsInWindow);
  }
  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    chooseFirstUntried(ctx, out);
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeFewestCalls() { return std::make_unique<FewestCalls>(); }

}  // namespace callq::core::internal
