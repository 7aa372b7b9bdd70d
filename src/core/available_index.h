// AvailableIndex: the members of one queue who could be offered a call right now, by level.
//
// Kept up to date by the engine as agents change state, so a routing decision reads O(log n) or
// O(chosen) entries, never all agents. Within a level, members are ordered by the strategy's
// metric (lower first), then by member order. A bag per level gives O(1) uniform random picks.
//
// Leaving is lazy. A member who stops being available is only marked (O(1)); its entry stays in
// the tree until the next routing decision in this queue purges the marked entries. A member who
// comes back before that with an unchanged key is unmarked, again O(1), and costs no tree work at
// all. This is what keeps ring-all cheap: every idle member of a ring-all queue rings for each
// call and all but one are back a moment later, while the queues they also belong to may see no
// decision in between. Purging erases exactly the entries an eager index would have erased, so
// the lazy index never does more tree work than an eager one.
//
// Each member keeps its tree position and a spare tree node, so erasing needs no search and
// re-inserting allocates nothing. The levels are fixed when the index is built (member levels are
// configuration), so no level is created or destroyed while calls flow.
// Owned by the engine's thread, like everything in core.
#pragma once

#include <cstdint>
#include <set>
#include <span>
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
    int level = 0;
    std::set<IndexEntry> ordered;
    std::vector<MemberIndex> bag;  // same members, in no particular order
  };

  // `memberLevels[m]` is member m's penalty level.
  explicit AvailableIndex(std::span<const int> memberLevels);

  // Member `entry.member` (of the level it was built with) is available with this key. If it left
  // only lazily and its key is unchanged, this just unmarks it.
  void makeAvailable(const IndexEntry& entry);
  // Member is no longer available (it must be available now). O(1): see the header comment.
  void makeUnavailable(MemberIndex member);
  // Erases the entries of members who left; the engine calls it before every routing decision.
  void purge();

  bool contains(MemberIndex member) const { return slots_[member].state == State::kAvailable; }
  bool empty() const { return available_ == 0; }
  std::size_t size() const { return available_; }  // members available now

  // Levels in ascending order (lower levels are offered calls first); some may be empty. Only
  // meaningful after purge(): until then it may list members who left.
  const std::vector<Level>& levels() const { return levels_; }
  bool purged() const { return leaving_.empty(); }

 private:
  enum class State : std::uint8_t { kAbsent, kAvailable, kLeaving };  // kLeaving: still in tree
  struct Slot {
    State state = State::kAbsent;
    std::uint32_t level = 0;  // index into levels_
    std::uint32_t bagPosition = 0;
    std::uint32_t leavingPosition = 0;  // in leaving_, while kLeaving
    std::set<IndexEntry>::iterator entry;
    std::set<IndexEntry>::node_type spare;  // this member's tree node while it is absent
  };
  void insert(Slot& slot, const IndexEntry& entry);
  void erase(Slot& slot);
  void unmarkLeaving(Slot& slot);

  std::vector<Level> levels_;
  std::vector<Slot> slots_;
  std::vector<MemberIndex> leaving_;  // members marked kLeaving, in no particular order
  std::size_t available_ = 0;
};

}  // namespace callq::core::internal
