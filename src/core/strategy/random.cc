// random: a uniformly random available member of the lowest level.
#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

// Uniform pick among the untried members of `bag`; false when all were tried.
bool pickUntried(const std::vector<MemberIndex>& bag, std::span<const MemberIndex> tried, Rng& rng,
                 std::vector<MemberIndex>& out) {
  // A few direct draws are enough unless most of the level was tried this round.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const MemberIndex m = bag[rng.below(bag.size())];
    if (!wasTried(tried, m)) {
      out.push_back(m);
      return true;
    }
  }
  std::vector<MemberIndex> untried;
  for (MemberIndex m : bag) {
    if (!wasTried(tried, m)) {
      untried.push_back(m);
    }
  }
  if (untried.empty()) {
    return false;
  }
  out.push_back(untried[rng.below(untried.size())]);
  return true;
}

class Random final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override { return m.order; }
  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    for (const AvailableIndex::Level& l : ctx.available.levels()) {
      if (!l.bag.empty() && pickUntried(l.bag, ctx.tried, ctx.rng, out)) {
        return;
      }
    }
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeRandom() { return std::make_unique<Random>(); }

}  // namespace callq::core::internal
