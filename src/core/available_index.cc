#include "core/available_index.h"

#include <algorithm>

#include "common/check.h"

namespace callq::core::internal {

AvailableIndex::AvailableIndex(std::span<const int> memberLevels) : slots_(memberLevels.size()) {
  std::vector<int> distinct(memberLevels.begin(), memberLevels.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  levels_.resize(distinct.size());
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    levels_[i].level = distinct[i];
  }
  for (std::size_t m = 0; m < memberLevels.size(); ++m) {
    const auto it = std::lower_bound(distinct.begin(), distinct.end(), memberLevels[m]);
    slots_[m].level = static_cast<std::uint32_t>(it - distinct.begin());
  }
}

void AvailableIndex::makeAvailable(const IndexEntry& entry) {
  Slot& slot = slots_[entry.member];
  CALLQ_DCHECK(slot.state != State::kAvailable);
  if (slot.state == State::kLeaving) {
    unmarkLeaving(slot);
    if (*slot.entry == entry) {
      slot.state = State::kAvailable;
      ++available_;
      return;
    }
    erase(slot);  // its key changed while it was away: re-insert at the new place
  }
  insert(slot, entry);
  slot.state = State::kAvailable;
  ++available_;
}

void AvailableIndex::makeUnavailable(MemberIndex member) {
  Slot& slot = slots_[member];
  CALLQ_CHECK(slot.state == State::kAvailable);
  slot.state = State::kLeaving;
  slot.leavingPosition = static_cast<std::uint32_t>(leaving_.size());
  leaving_.push_back(member);
  --available_;
}

void AvailableIndex::purge() {
  for (MemberIndex m : leaving_) {
    erase(slots_[m]);
    slots_[m].state = State::kAbsent;
  }
  leaving_.clear();
}

void AvailableIndex::unmarkLeaving(Slot& slot) {
  // Swap-remove from leaving_, fixing the position of the member moved into the hole.
  const MemberIndex last = leaving_.back();
  leaving_[slot.leavingPosition] = last;
  slots_[last].leavingPosition = slot.leavingPosition;
  leaving_.pop_back();
}

void AvailableIndex::insert(Slot& slot, const IndexEntry& entry) {
  Level& l = levels_[slot.level];
  if (slot.spare.empty()) {
    slot.entry = l.ordered.insert(entry).first;
  } else {
    slot.spare.value() = entry;
    slot.entry = l.ordered.insert(std::move(slot.spare)).position;
  }
  slot.bagPosition = static_cast<std::uint32_t>(l.bag.size());
  l.bag.push_back(entry.member);
}

void AvailableIndex::erase(Slot& slot) {
  Level& l = levels_[slot.level];
  slot.spare = l.ordered.extract(slot.entry);
  const MemberIndex last = l.bag.back();
  l.bag[slot.bagPosition] = last;
  slots_[last].bagPosition = slot.bagPosition;
  l.bag.pop_back();
}

}  // namespace callq::core::internal
