#include "core/available_index.h"

#include "common/check.h"

namespace callq::core::internal {

void AvailableIndex::insert(int level, const IndexEntry& entry) {
  Level& l = levels_[level];
  const bool added = l.ordered.insert(entry).second;
  CALLQ_DCHECK(added);
  (void)added;
  bagSlot_[entry.member] = static_cast<std::uint32_t>(l.bag.size());
  l.bag.push_back(entry.member);
  ++size_;
}

void AvailableIndex::erase(int level, const IndexEntry& entry) {
  auto it = levels_.find(level);
  CALLQ_CHECK(it != levels_.end());
  Level& l = it->second;
  const std::size_t erased = l.ordered.erase(entry);
  CALLQ_CHECK(erased == 1);
  // Swap-remove from the bag, fixing the slot of the member moved into the hole.
  const std::uint32_t slot = bagSlot_[entry.member];
  const MemberIndex last = l.bag.back();
  l.bag[slot] = last;
  bagSlot_[last] = slot;
  l.bag.pop_back();
  bagSlot_[entry.member] = kNoSlot;
  --size_;
  if (l.ordered.empty()) {
    levels_.erase(it);
  }
}

}  // namespace callq::core::internal
