#include "api/login_throttle.h"

#include <algorithm>
#include <vector>

namespace callq::api {

namespace {

// Distinct prefixes: an empty name must not share the address's count.
std::string addressKey(const std::string& address) { return "a\n" + address; }
std::string nameKey(const std::string& address, const std::string& name) {
  return "n\n" + address + '\n' + name;
}

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::lockOf(const std::string& key,
                                                          Clock::time_point now) const {
  auto it = counts_.find(key);
  if (it == counts_.end() || it->second.lockedUntil <= now) {
    return std::nullopt;
  }
  // Rounded up: "try again in 0 s" would be wrong.
  return std::chrono::ceil<std::chrono::seconds>(it->second.lockedUntil - now);
}

std::optional<std::chrono::seconds> LoginThrottle::locked(const std::string& address,
                                                          const std::string& name,
                                                          Clock::time_point now) const {
  auto a = lockOf(addressKey(address), now);
  auto n = lockOf(nameKey(address, name), now);
  if (a && n) {
    return std::max(*a, *n);
  }
  return a ? a : n;
}

void LoginThrottle::count(const std::string& key, int free, Clock::time_point now) {
  Count& c = counts_[key];
  if (c.failures > 0 && now - c.last >= limits_.forgetAfter) {
    c = Count{};
  }
  ++c.failures;
  c.last = now;
  if (c.failures >= free) {
    const int doublings = std::min(c.failures - free, 20);
    const auto lock =
        std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), limits_.maxLock);
    c.lockedUntil = now + lock;
  }
}

void LoginThrottle::failed(const std::string& address, const std::string& name,
                           Clock::time_point now) {
  prune(now);
  count(addressKey(address), limits_.freePerAddress, now);
  count(nameKey(address, name), limits_.freePerName, now);
}

void LoginThrottle::succeeded(const std::string& address, const std::string& name) {
  counts_.erase(nameKey(address, name));
}

void LoginThrottle::prune(Clock::time_point now) {
  std::erase_if(counts_, [&](const auto& kv) {
    return now - kv.second.last >= limits_.forgetAfter && kv.second.lockedUntil <= now;
  });
  if (counts_.size() < limits_.maxKeys) {
    return;
  }
  // Many addresses at once: keep the newest half.
  std::vector<Clock::time_point> lasts;
  lasts.reserve(counts_.size());
  for (const auto& [key, c] : counts_) {
    lasts.push_back(c.last);
  }
  auto middle = lasts.begin() + static_cast<std::ptrdiff_t>(lasts.size() / 2);
  std::nth_element(lasts.begin(), middle, lasts.end());
  const Clock::time_point cut = *middle;
  std::erase_if(counts_, [&](const auto& kv) { return kv.second.last < cut; });
}

}  // namespace callq::api
