// AvailableIndex: the members of one queue who could be offered a call right now, by level.
//
// Kept up to date by the engine as agents change state, so a routing decision reads O(log n) or
// O(chosen) entries, never all agents. Within a level, members are ordered by the strategy's
// metric (lower first), then by member order. A bag per level gives O(1) uniform random picks.
// Each member keeps its tree position and a spare tree node, so erasing needs no search and
// re-inserting allocates nothing (ring-all moves every ringing agent in and out of this index).
// Owned by the engine's thread, like everything in core.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace callq::core::internal {

// Index of a member within its queue's member list.
using MemberIndex = std::uint32_t;

struct IndexEntry {
  std::int64_t metric = 0;
  std::uint32_t order = 0;
  MemberIndex member = 0;
  friend auto operator<=>(const IndexEntry&, const IndexEntry&) = default;
};

class AvailableIndex {
 public:
  struct Level {
    std::set<IndexEntry> ordered;
    std::vector<MemberIndex> bag;  // same members, in no particular order
  };

  explicit AvailableIndex(std::size_t memberCount) : slots_(memberCount) {}

  void insert(int level, const IndexEntry& entry);  // entry.member must not be present
  void erase(MemberIndex member);                   // member must be present
  bool contains(MemberIndex member) const { return slots_[member].present; }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // Levels in ascending order (lower levels are offered calls first); empty levels are removed.
  const std::map<int, Level>& levels() const { return levels_; }

 private:
  struct Slot {
    bool present = false;
    std::uint32_t bagPosition = 0;
    std::map<int, Level>::iterator level;
    std::set<IndexEntry>::iterator entry;
    std::set<IndexEntry>::node_type spare;  // this member's tree node while it is absent
  };
  std::map<int, Level> levels_;
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace callq::core::internal
