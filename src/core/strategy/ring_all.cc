// ring-all: every available member of the lowest level rings at once; the first to answer wins.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

class RingAll final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override { return m.order; }

  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    for (const AvailableIndex::Level& l : ctx.available.levels()) {
      for (const IndexEntry& e : l.ordered) {
        if (!wasTried(ctx.tried, e.member)) {
          out.push_back(e.member);
        }
      }
      if (!out.empty()) {
        return;
      }
    }
  }

  bool ringsAll() const override { return true; }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeRingAll() { return std::make_unique<RingAll>(); }

}  // namespace callq::core::internal
