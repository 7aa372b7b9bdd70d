// round-robin: the next member after the one offered last, in list order, wrapping around. The
// position is the queue's memory (OfferContext::lastOfferedOrder) and persists across calls.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

class RoundRobin final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override { return m.order; }

  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    for (const AvailableIndex::Level& l : ctx.available.levels()) {
      // Entries are ordered by (order, order, member): start just after the last offered.
      const auto next = static_cast<std::uint32_t>(ctx.lastOfferedOrder + 1);
      const IndexEntry from{next, next, 0};
      auto start = l.ordered.lower_bound(from);
      for (auto it = start; it != l.ordered.end(); ++it) {
        if (!wasTried(ctx.tried, it->member)) {
          out.push_back(it->member);
          return;
        }
      }
      for (auto it = l.ordered.begin(); it != start; ++it) {
        if (!wasTried(ctx.tried, it->member)) {
          out.push_back(it->member);
          return;
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeRoundRobin() { return std::make_unique<RoundRobin>(); }

}  // namespace callq::core::internal
