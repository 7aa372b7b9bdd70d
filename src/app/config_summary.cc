#include "app/config_summary.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <iterator>
#include <map>
#include <string_view>
#include <vector>

namespace callq::app {
namespace {

using Out = std::back_insert_iterator<std::string>;

std::string seconds(Duration d) {
  if (d.count() % 1000 == 0) {
    return fmt::format("{} s", d.count() / 1000);
  }
  return fmt::format("{} ms", d.count());
}

std::string action(const core::Destination& d) {
  std::string text = core::formatDestination(d);
  if (!d.message.empty()) {
    text += fmt::format(" (first playing \"{}\")", d.message);
  }
  return text;
}

void field(Out out, std::string_view label, std::string_view value) {
  fmt::format_to(out, "  {:<18}{}\n", label, value);
}

void formatTimings(Out out, const core::QueueConfig& q) {
  field(out, "strategy", core::strategyName(q.strategy));
  field(out, "ringing",
        fmt::format("{} per agent, {} between rounds", seconds(q.ringTime), seconds(q.retry)));
  field(out, "wrap-up", q.wrapUp.count() == 0 ? "none" : seconds(q.wrapUp));
  field(out, "no answer",
        q.maxNoAnswer == 0
            ? "agents are never withdrawn"
            : fmt::format("withdraw an agent after {} unanswered calls in a row", q.maxNoAnswer));
  field(out, "service level",
        fmt::format("{} (stats window {}, weight {})", seconds(q.serviceLevel),
                    seconds(q.statsWindow), q.weight));
  field(out, "hold audio", q.holdAudio);
}

void formatNobodyThere(Out out, const core::QueueConfig& q) {
  field(out, "max wait",
        q.maxWait.count() == 0 ? "unlimited"
                               : fmt::format("{}, then the timeout action", seconds(q.maxWait)));
  field(
      out, "max callers",
      q.maxCallers == 0 ? "unlimited" : fmt::format("{}, then the overflow action", q.maxCallers));
  field(out, "all withdrawn",
        q.waitWithdrawn
            ? fmt::format("wait at most {}, then the timeout action", seconds(*q.waitWithdrawn))
            : "no limit of its own (max wait applies)");
  std::string empty = "no limit of its own (max wait applies)";
  if (q.waitEmpty) {
    empty = q.waitEmpty->count() == 0
                ? "leave at once: the overflow action"
                : fmt::format("wait at most {}, then the overflow action", seconds(*q.waitEmpty));
  }
  empty += q.refuseJoinEmpty ? "; new callers are refused" : "; new callers may join";
  field(out, "nobody logged in", empty);
  field(out, "timeout action", action(q.onTimeout));
  field(out, "overflow action", action(q.onOverflow));
}

void formatMembers(Out out, const core::QueueConfig& q,
                   const std::map<std::string, const core::AgentConfig*>& agents) {
  field(out, "members", q.members.empty() ? "none" : std::to_string(q.members.size()));
  for (const core::MemberConfig& m : q.members) {
    const auto it = agents.find(m.agent);
    const std::string extension = it == agents.end() ? "?" : it->second->extension;
    fmt::format_to(out, "    {:<14} ext {:<8} level {:<3} {}\n", m.agent, extension, m.level,
                   m.isStatic ? "static" : "dynamic");
  }
}

void formatAgents(Out out, const core::Config& config) {
  fmt::format_to(out, "agents ({})\n", config.agents.size());
  for (const core::AgentConfig& a : config.agents) {
    std::vector<std::string> queues;
    for (const core::QueueConfig& q : config.queues) {
      for (const core::MemberConfig& m : q.members) {
        if (m.agent == a.id) {
          queues.push_back(fmt::format("{} ({})", q.name, m.isStatic ? "static" : "dynamic"));
        }
      }
    }
    fmt::format_to(out, "  {:<14} {:<20} ext {:<8} queues: {}\n", a.id, a.name, a.extension,
                   queues.empty() ? "none" : fmt::format("{}", fmt::join(queues, ", ")));
  }
}

}  // namespace

std::string formatConfigSummary(const core::Config& config) {
  std::string text;
  Out out(text);
  std::map<std::string, const core::AgentConfig*> agents;
  for (const core::AgentConfig& a : config.agents) {
    agents.emplace(a.id, &a);
  }
  fmt::format_to(out, "{} queues, {} agents\n\n", config.queues.size(), config.agents.size());
  for (const core::QueueConfig& q : config.queues) {
    fmt::format_to(out, "queue '{}'\n", q.name);
    field(out, "extension", q.extension);
    field(out, "login / logout", fmt::format("{} / {}", q.loginCode, q.logoutCode));
    formatTimings(out, q);
    formatNobodyThere(out, q);
    formatMembers(out, q, agents);
    text += '\n';
  }
  formatAgents(out, config);
  std::vector<std::string> reasons = config.withdrawReasons;
  reasons.push_back(fmt::format("{} (set by callq)", core::kNoAnswerReason));
  fmt::format_to(out, "\nwithdraw reasons: {}\n", fmt::join(reasons, ", "));
  return text;
}

}  // namespace callq::app
