#include "sip/registrar.h"

#include <algorithm>

namespace callq::sip {

bool Registrar::update(std::uint32_t agent, const std::string& contact, const std::string& callId,
                       Time expires, Time now) {
  std::vector<Binding>& list = bindings_.at(agent);
  const bool before = !list.empty();
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const Binding& b) { return b.contact == contact; });
  if (it != list.end()) {
    forget(*it);
  }
  if (expires <= now) {
    if (it != list.end()) {
      list.erase(it);
    }
  } else {
    expiries_.insert(expires);
    if (it != list.end()) {
      it->callId = callId;
      it->expires = expires;
    } else {
      list.push_back(Binding{contact, callId, expires});
    }
  }
  return before != !list.empty();
}

bool Registrar::removeAll(std::uint32_t agent) {
  std::vector<Binding>& list = bindings_.at(agent);
  const bool had = !list.empty();
  for (const Binding& b : list) {
    forget(b);
  }
  list.clear();
  return had;
}

void Registrar::renumber(const std::vector<std::optional<AgentId>>& newIds, std::size_t agents) {
  std::vector<std::vector<Binding>> bindings(agents);
  for (std::size_t old = 0; old < bindings_.size(); ++old) {
    if (old < newIds.size() && newIds[old]) {
      bindings[newIds[old]->value()] = std::move(bindings_[old]);
    } else {
      for (const Binding& b : bindings_[old]) {
        forget(b);
      }
    }
  }
  bindings_ = std::move(bindings);
}

std::vector<std::uint32_t> Registrar::expire(Time now) {
  std::vector<std::uint32_t> gone;
  if (nextExpiry() > now) {
    return gone;  // the common case, without walking the agents
  }
  for (std::uint32_t a = 0; a < bindings_.size(); ++a) {
    std::vector<Binding>& list = bindings_[a];
    if (list.empty()) {
      continue;
    }
    std::erase_if(list, [&](const Binding& b) {
      if (b.expires > now) {
        return false;
      }
      forget(b);
      return true;
    });
    if (list.empty()) {
      gone.push_back(a);
    }
  }
  return gone;
}

bool AuthThrottle::allowed(const std::string& address, Time now) const {
  auto it = entries_.find(address);
  return it == entries_.end() || it->second.lockedUntil <= now;
}

void AuthThrottle::failed(const std::string& address, Time now) {
  if (++failuresSincePrune_ >= kPruneEvery) {
    failuresSincePrune_ = 0;
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.last + kMaxLockout < now; });
  }
  Entry& e = entries_[address];
  e.failures += 1;
  e.last = now;
  if (e.failures >= kFreeFailures) {
    const int doublings = std::min(e.failures - kFreeFailures, 5);
    e.lockedUntil = now + std::min(kMaxLockout, kFirstLockout * (1 << doublings));
  }
}

}  // namespace callq::sip
