// linear: members in list order, starting from the first for every call.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

class Linear final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override { return m.order; }
  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    chooseFirstUntried(ctx, out);
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeLinear() { return std::make_unique<Linear>(); }

}  // namespace callq::core::internal
