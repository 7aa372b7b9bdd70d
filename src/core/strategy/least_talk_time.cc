// least-talk-time: the available member with the least talk time for this queue in the window.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

class LeastTalkTime final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override {
    return windowedMetric(m, m.talkInWindowMs);
  }
  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    chooseFirstUntried(ctx, out);
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeLeastTalkTime() { return std::make_unique<LeastTalkTime>(); }

}  // namespace callq::core::internal
