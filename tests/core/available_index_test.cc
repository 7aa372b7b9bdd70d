// AvailableIndex on its own: order within a level, levels fixed at construction, and the lazy
// leaving that keeps ring-all cheap (a member who leaves and comes back with the same key costs no
// tree work; one who comes back with a new key is re-ordered; purge() drops those who left).
#include "core/available_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace callq::core::internal {
namespace {

std::vector<MemberIndex> ordered(const AvailableIndex& index) {
  std::vector<MemberIndex> out;
  for (const AvailableIndex::Level& l : index.levels()) {
    for (const IndexEntry& e : l.ordered) {
      out.push_back(e.member);
    }
  }
  return out;
}

std::vector<MemberIndex> bagOf(const AvailableIndex::Level& l) {
  std::vector<MemberIndex> bag = l.bag;
  std::sort(bag.begin(), bag.end());
  return bag;
}

TEST(AvailableIndex, LevelsAreFixedSortedAndMayBeEmpty) {
  const std::vector<int> levels{2, 0, 2, 5};
  AvailableIndex index(levels);
  ASSERT_EQ(index.levels().size(), 3u);
  EXPECT_EQ(index.levels()[0].level, 0);
  EXPECT_EQ(index.levels()[1].level, 2);
  EXPECT_EQ(index.levels()[2].level, 5);
  EXPECT_TRUE(index.empty());
  index.makeAvailable(IndexEntry{0, 2, 2});
  index.makeAvailable(IndexEntry{0, 1, 1});
  EXPECT_EQ(index.size(), 2u);
  EXPECT_TRUE(index.levels()[2].ordered.empty());  // member 3 (level 5) is not available
  EXPECT_EQ(ordered(index), (std::vector<MemberIndex>{1, 2}));
}

TEST(AvailableIndex, OrdersByMetricThenOrderWithinALevel) {
  const std::vector<int> levels{0, 0, 0, 1};
  AvailableIndex index(levels);
  index.makeAvailable(IndexEntry{30, 0, 0});
  index.makeAvailable(IndexEntry{10, 1, 1});
  index.makeAvailable(IndexEntry{10, 2, 2});
  index.makeAvailable(IndexEntry{0, 3, 3});  // level 1 comes after every level-0 member
  EXPECT_EQ(ordered(index), (std::vector<MemberIndex>{1, 2, 0, 3}));
  EXPECT_EQ(bagOf(index.levels()[0]), (std::vector<MemberIndex>{0, 1, 2}));
}

TEST(AvailableIndex, LeavingIsCountedAtOnceAndErasedOnPurge) {
  const std::vector<int> levels{0, 0, 0};
  AvailableIndex index(levels);
  for (MemberIndex m = 0; m < 3; ++m) {
    index.makeAvailable(IndexEntry{m, m, m});
  }
  index.makeUnavailable(1);
  EXPECT_FALSE(index.contains(1));
  EXPECT_EQ(index.size(), 2u);
  EXPECT_FALSE(index.purged());
  index.purge();
  EXPECT_TRUE(index.purged());
  EXPECT_EQ(ordered(index), (std::vector<MemberIndex>{0, 2}));
  EXPECT_EQ(bagOf(index.levels()[0]), (std::vector<MemberIndex>{0, 2}));
}

TEST(AvailableIndex, ComingBackBeforePurgeKeepsOrRenewsTheEntry) {
  const std::vector<int> levels{0, 0, 0};
  AvailableIndex index(levels);
  for (MemberIndex m = 0; m < 3; ++m) {
    index.makeAvailable(IndexEntry{m, m, m});
  }
  // Same key: back in place, nothing left to purge.
  index.makeUnavailable(0);
  index.makeAvailable(IndexEntry{0, 0, 0});
  EXPECT_TRUE(index.purged());
  EXPECT_EQ(ordered(index), (std::vector<MemberIndex>{0, 1, 2}));
  // New key (its metric changed while away): re-ordered, no duplicate.
  index.makeUnavailable(0);
  index.makeAvailable(IndexEntry{9, 0, 0});
  EXPECT_TRUE(index.purged());
  EXPECT_EQ(ordered(index), (std::vector<MemberIndex>{1, 2, 0}));
  EXPECT_EQ(bagOf(index.levels()[0]), (std::vector<MemberIndex>{0, 1, 2}));
  EXPECT_EQ(index.size(), 3u);
}

TEST(AvailableIndex, ManyMembersLeavingAndReturningStayConsistent) {
  const std::vector<int> levels(50, 0);
  AvailableIndex index(levels);
  std::vector<bool> in(50, false);
  std::uint64_t x = 12345;
  for (int step = 0; step < 5'000; ++step) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto m = static_cast<MemberIndex>((x >> 33) % 50);
    if (in[m]) {
      index.makeUnavailable(m);
    } else {
      index.makeAvailable(IndexEntry{static_cast<std::int64_t>((x >> 20) % 4), m, m});
    }
    in[m] = !in[m];
    if (step % 7 == 0) {
      index.purge();
      std::vector<MemberIndex> expected;
      for (MemberIndex i = 0; i < 50; ++i) {
        if (in[i]) {
          expected.push_back(i);
        }
      }
      std::vector<MemberIndex> got = ordered(index);
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, expected) << "step " << step;
      ASSERT_EQ(bagOf(index.levels()[0]), expected) << "step " << step;
    }
    ASSERT_EQ(index.size(), static_cast<std::size_t>(std::count(in.begin(), in.end(), true)));
  }
}

}  // namespace
}  // namespace callq::core::internal
