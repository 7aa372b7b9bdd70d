#include "core/available_index.h"

#include "common/check.h"

namespace callq::core::internal {

void AvailableIndex::insert(int level, const IndexEntry& entry) {
  Slot& slot = slots_[entry.member];
  CALLQ_DCHECK(!slot.present);
  slot.level = levels_.try_emplace(level).first;
  Level& l = slot.level->second;
  if (slot.spare.empty()) {
    slot.entry = l.ordered.insert(entry).first;
  } else {
    slot.spare.value() = entry;
    slot.entry = l.ordered.insert(std::move(slot.spare)).position;
  }
  slot.bagPosition = static_cast<std::uint32_t>(l.bag.size());
  l.bag.push_back(entry.member);
  slot.present = true;
  ++size_;
}

void AvailableIndex::erase(MemberIndex member) {
  Slot& slot = slots_[member];
  CALLQ_CHECK(slot.present);
  Level& l = slot.level->second;
  slot.spare = l.ordered.extract(slot.entry);
  // Swap-remove from the bag, fixing the position of the member moved into the hole.
  const MemberIndex last = l.bag.back();
  l.bag[slot.bagPosition] = last;
  slots_[last].bagPosition = slot.bagPosition;
  l.bag.pop_back();
  if (l.ordered.empty()) {
    levels_.erase(slot.level);
  }
  slot.present = false;
  --size_;
}

}  // namespace callq::core::internal
