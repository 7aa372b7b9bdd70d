// weighted-random: a random available member, each weighted 1 / (level + 1): level 0 is picked
// twice as often as level 1, three times as often as level 2. Levels are weights here, not tiers.
#include <algorithm>

#include "core/strategy/strategy.h"

namespace callq::core::internal {
namespace {

double weightOf(int level) { return 1.0 / (1.0 + level); }

class WeightedRandom final : public RoutingStrategy {
 public:
  std::int64_t metric(const MemberMetrics& m) const override { return m.order; }

  void choose(OfferContext& ctx, std::vector<MemberIndex>& out) const override {
    const auto& levels = ctx.available.levels();
    double total = 0;
    const AvailableIndex::Level* last = nullptr;  // the last non-empty level
    for (const AvailableIndex::Level& l : levels) {
      total += weightOf(l.level) * static_cast<double>(l.bag.size());
      last = l.bag.empty() ? last : &l;
    }
    for (int attempt = 0; attempt < 8 && last != nullptr; ++attempt) {
      double r = ctx.rng.uniform() * total;
      for (const AvailableIndex::Level& l : levels) {
        const double share = weightOf(l.level) * static_cast<double>(l.bag.size());
        // Rounding may leave r just past the last share: it then belongs to the last level.
        if (!l.bag.empty() && (r < share || &l == last)) {
          const auto i = std::min<std::size_t>(static_cast<std::size_t>(r / weightOf(l.level)),
                                               l.bag.size() - 1);
          if (!wasTried(ctx.tried, l.bag[i])) {
            out.push_back(l.bag[i]);
            return;
          }
          break;
        }
        r -= share;
      }
    }
    chooseSlow(ctx, out);
  }

 private:
  // Most of the members were tried this round: draw among the untried ones exactly.
  static void chooseSlow(OfferContext& ctx, std::vector<MemberIndex>& out) {
    std::vector<std::pair<MemberIndex, double>> untried;
    double total = 0;
    for (const AvailableIndex::Level& l : ctx.available.levels()) {
      for (MemberIndex m : l.bag) {
        if (!wasTried(ctx.tried, m)) {
          untried.emplace_back(m, weightOf(l.level));
          total += weightOf(l.level);
        }
      }
    }
    double r = ctx.rng.uniform() * total;
    for (const auto& [m, w] : untried) {
      if (r < w || m == untried.back().first) {
        out.push_back(m);
        return;
      }
      r -= w;
    }
  }
};

}  // namespace

std::unique_ptr<RoutingStrategy> makeWeightedRandom() { return std::make_unique<WeightedRandom>(); }

}  // namespace callq::core::internal
