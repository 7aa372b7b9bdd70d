// Slows down password guessing at POST /api/v1/login (docs/api.md "Signing in").
//
// Failed sign-ins are counted per remote address and per (address, name). Past a number of free
// failures, each further one locks that key for twice as long as the last (1 s, 2 s, 4 s, ... at
// most 5 minutes); while a key is locked, sign-ins it covers are refused without looking at the
// password. A key's count is forgotten 15 minutes after its last failure; a successful sign-in
// forgets its (address, name) count but not the address's (a valid account must not reset an
// attacker's count). No I/O: the caller passes the time.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

namespace callq::api {

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    int freePerName = 5;      // failures of one name from one address before locking
    int freePerAddress = 50;  // failures from one address, any names (an office behind one NAT)
    std::chrono::seconds maxLock{300};
    std::chrono::seconds forgetAfter{900};
    std::size_t maxKeys = 100000;  // past this, the oldest counts are dropped first
  };

  LoginThrottle() = default;
  explicit LoginThrottle(Limits limits) : limits_(limits) {}

  // How long a sign-in of `name` from `address` must still wait (nullopt: it may try now).
  std::optional<std::chrono::seconds> locked(const std::string& address, const std::string& name,
                                             Clock::time_point now) const;
  void failed(const std::string& address, const std::string& name, Clock::time_point now);
  void succeeded(const std::string& address, const std::string& name);

  std::size_t keys() const { return counts_.size(); }

 private:
  struct Count {
    int failures = 0;
    Clock::time_point last;
    Clock::time_point lockedUntil;
  };
  std::optional<std::chrono::seconds> lockOf(const std::string& key, Clock::time_point now) const;
  void count(const std::string& key, int free, Clock::time_point now);
  void prune(Clock::time_point now);

  Limits limits_;
  std::unordered_map<std::string, Count> counts_;
};

}  // namespace callq::api
