// The registrar's bookkeeping, without sofia: each agent's phones (bindings) with their expiry, and
// the throttle that slows down an address that keeps failing authentication.
//
// Pure and single-threaded: times are arguments, like the engine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/time.h"

namespace callq::sip {

struct Binding {
  std::string contact;  // the phone's Contact URI, as registered
  std::string callId;   // REGISTER Call-ID: one phone keeps it across refreshes
  Time expires;
};

class Registrar {
 public:
  explicit Registrar(std::size_t agents) : bindings_(agents) {}

  // Adds or refreshes (same contact) a binding; `expires` <= now removes it. Returns whether the
  // agent went from no phone to a phone or back.
  bool update(std::uint32_t agent, const std::string& contact, const std::string& callId,
              Time expires, Time now);
  // Removes every binding of the agent ("Contact: *"). Returns whether it had any.
  bool removeAll(std::uint32_t agent);
  // A new configuration renumbered the agents: `newIds[old]` (nullopt: removed, its phones are
  // forgotten); `agents` is the new count.
  void renumber(const std::vector<std::optional<AgentId>>& newIds, std::size_t agents);
  // Drops expired bindings; returns the agents left with no phone.
  std::vector<std::uint32_t> expire(Time now);
  // The earliest expiry, or kNever. O(1): the SIP loop asks after every event.
  Time nextExpiry() const { return expiries_.empty() ? kNever : *expiries_.begin(); }

  const std::vector<Binding>& bindings(std::uint32_t agent) const { return bindings_.at(agent); }
  bool registered(std::uint32_t agent) const { return !bindings_.at(agent).empty(); }

 private:
  void forget(const Binding& b) { expiries_.erase(expiries_.find(b.expires)); }

  std::vector<std::vector<Binding>> bindings_;
  std::multiset<Time> expiries_;  // one per binding
};

// Repeated authentication failures from one address are slowed down: after `kFreeFailures`
// failures in a row, the address may try once per lockout, which doubles with each further
// failure up to kMaxLockout. A success clears it.
class AuthThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr Duration kFirstLockout{2'000};
  static constexpr Duration kMaxLockout{60'000};

  // Whether a request from `address` may be checked now (false: refuse it unchecked).
  bool allowed(const std::string& address, Time now) const;
  // Every kPruneEvery failures, addresses quiet for longer than kMaxLockout are forgotten, so a
  // scan from many addresses does not grow the table for ever.
  void failed(const std::string& address, Time now);
  void succeeded(const std::string& address) { entries_.erase(address); }
  std::size_t tracked() const { return entries_.size(); }

  static constexpr int kPruneEvery = 1024;

 private:
  struct Entry {
    int failures = 0;
    Time lockedUntil;
    Time last;
  };
  std::map<std::string, Entry> entries_;
  int failuresSincePrune_ = 0;
};

}  // namespace callq::sip
