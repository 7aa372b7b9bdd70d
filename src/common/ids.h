// Strong id types: a CallId cannot be passed where an AgentId is expected.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>

namespace callq {

template <typename Tag, typename Rep>
class StrongId {
 public:
  static constexpr Rep kInvalid = std::numeric_limits<Rep>::max();

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(value) {}

  constexpr Rep value() const { return value_; }
  constexpr bool valid() const { return value_ != kInvalid; }

  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  Rep value_ = kInvalid;
};

// Dense indexes of configured queues and agents (their order in the configuration).
using QueueId = StrongId<struct QueueIdTag, std::uint32_t>;
using AgentId = StrongId<struct AgentIdTag, std::uint32_t>;
// Calls are numbered by the driver (the SIP layer or the simulator), unique while the call lives.
using CallId = StrongId<struct CallIdTag, std::uint64_t>;

}  // namespace callq

template <typename Tag, typename Rep>
struct std::hash<callq::StrongId<Tag, Rep>> {
  std::size_t operator()(callq::StrongId<Tag, Rep> id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
