#include "api/routes.h"

#include <sodium.h>

#include <memory>

#include "core/config.h"
#include "core/snapshot.h"

namespace callq::api {

using json = nlohmann::json;

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// %XX and (in queries) '+' decoded; a malformed escape is kept as it is.
std::string decode(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
      i += 2;
    } else if (plusIsSpace && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

// Constant time for equal lengths (a SIP password's length is no secret worth hiding).
bool samePassword(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

double seconds(Duration d) { return toSeconds(d); }

int statusOf(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      break;
  }
  return 500;
}

bool isMember(const core::QueueConfig& q, const std::string& agent) {
  for (const core::MemberConfig& m : q.members) {
    if (m.agent == agent) {
      return true;
    }
  }
  return false;
}

// The queue call ringing at the agent or connected to it, or null.
json callJson(const core::Engine& engine, const core::AgentSnapshot& s) {
  const std::optional<core::Engine::CallInfo> info =
      s.call.valid() ? engine.callInfo(s.call) : std::nullopt;
  if (!info) {
    return nullptr;
  }
  return {{"id", s.call.value()},
          {"queue", engine.config().queues[info->queue.value()].name},
          {"caller", std::string(info->callerId)},
          {"state", info->connected ? "connected" : "ringing"},
          {"since_ms", toMillis(s.since)}};
}

json agentJson(const core::Engine& engine, AgentId id, const Backend& backend) {
  const core::AgentConfig& a = engine.config().agents[id.value()];
  const core::AgentSnapshot s = engine.agentSnapshot(id);
  json phones = json::array();
  for (const Phone& p : backend.phones(id)) {
    phones.push_back({{"contact", p.contact}, {"expires_in_s", p.expiresInS}});
  }
  json queues = json::array();
  for (const core::QueueConfig& q : engine.config().queues) {
    for (const core::MemberConfig& m : q.members) {
      if (m.agent == a.id) {
        queues.push_back({{"queue", q.name},
                          {"static", m.isStatic},
                          {"level", m.level},
                          {"logged_in", engine.isLoggedIn(id, *engine.findQueue(q.name))}});
      }
    }
  }
  return {{"id", a.id},
          {"name", a.name},
          {"extension", a.extension},
          {"presence", core::presenceName(s.presence)},
          {"reason", s.reason},
          {"activity", core::activityName(s.activity)},
          {"on_other_call", s.onOtherCall},
          {"registered", s.registered},
          {"since_ms", toMillis(s.since)},
          {"call", callJson(engine, s)},
          {"phones", std::move(phones)},
          {"queues", std::move(queues)}};
}

json queueJson(const core::Engine& engine, Time now, QueueId id) {
  const core::QueueConfig& q = engine.config().queues[id.value()];
  const core::QueueSnapshot s = engine.queueSnapshot(now, id);
  json waiting = json::array();
  for (const core::WaitingCaller& c : s.callers) {
    waiting.push_back({{"call", c.call.value()},
                       {"caller", c.callerId},
                       {"position", c.position},
                       {"waited_s", seconds(c.waited)},
                       {"ringing", c.ringing}});
  }
  json members = json::array();
  for (const core::MemberConfig& m : q.members) {
    const std::optional<AgentId> agent = engine.findAgent(m.agent);
    const core::AgentSnapshot a = engine.agentSnapshot(*agent);
    members.push_back({{"agent", m.agent},
                       {"name", engine.config().agents[agent->value()].name},
                       {"static", m.isStatic},
                       {"level", m.level},
                       {"logged_in", engine.isLoggedIn(*agent, id)},
                       {"presence", core::presenceName(a.presence)},
                       {"reason", a.reason},
                       {"activity", core::activityName(a.activity)},
                       {"registered", a.registered}});
  }
  const core::AgentCounts& n = s.agents;
  return {{"name", q.name},
          {"extension", q.extension},
          {"login_code", q.loginCode},
          {"logout_code", q.logoutCode},
          {"strategy", core::strategyName(q.strategy)},
          {"waiting", std::move(waiting)},
          {"longest_wait_s", seconds(s.longestWait)},
          {"agents",
           {{"logged_in", n.loggedIn},
            {"ready", n.ready},
            {"ringing", n.ringing},
            {"on_call", n.onCall},
            {"wrap_up", n.wrapUp},
            {"withdrawn", n.withdrawn},
            {"not_available", n.notAvailable},
            {"unregistered", n.unregistered}}},
          {"members", std::move(members)}};
}

// A handler's parsed JSON body: an object, or an error reply.
Result<json> objectBody(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return makeError(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  }
  return parsed;
}

class Router {
 public:
  Router(const std::string& method, const Target& target, const std::string& body,
         const Principal& who, Backend& backend, const Worker& worker,
         std::function<void(Reply)> answer)
      : method_(method),
        target_(target),
        body_(body),
        who_(who),
        backend_(backend),
        worker_(worker),
        answer_(std::move(answer)) {}

  void run();

 private:
  // segments_ after "/api/v1".
  bool is(std::string_view m, std::initializer_list<std::string_view> path) const {
    if (m != method_ || path.size() != rest_.size()) {
      return false;
    }
    std::size_t i = 0;
    for (std::string_view p : path) {
      if (p != "*" && p != rest_[i]) {
        return false;
      }
      ++i;
    }
    return true;
  }
  void error(int status, std::string field, std::string reason) {
    answer_(errorReply(status, std::move(field), std::move(reason)));
  }
  bool mayActFor(const std::string& agent) const { return who_.manager || who_.agent == agent; }

  void listQueues(std::optional<std::string> name);
  void listAgents(std::optional<std::string> id);
  void setPresence(const std::string& agent);
  void membership(const std::string& queue, const std::string& agent, bool login);
  void report(ReportRequest::Kind kind);

  std::string method_;
  Target target_;
  std::string body_;
  Principal who_;
  Backend& backend_;
  const Worker& worker_;
  std::function<void(Reply)> answer_;
  std::vector<std::string> rest_;
};

void Router::run() {
  const std::vector<std::string>& s = target_.segments;
  if (s.size() < 2 || s[0] != "api" || s[1] != "v1") {
    error(404, "", "nothing at " + target_.path + " (the API is under /api/v1)");
    return;
  }
  rest_.assign(s.begin() + 2, s.end());
  if (is("GET", {"me"})) {
    answer_(jsonReply(200, principalJson(who_, "")));
  } else if (is("GET", {"queues"})) {
    listQueues(std::nullopt);
  } else if (is("GET", {"queues", "*"})) {
    listQueues(rest_[1]);
  } else if (is("GET", {"agents"})) {
    listAgents(std::nullopt);
  } else if (is("GET", {"agents", "*"})) {
    listAgents(rest_[1]);
  } else if (is("PUT", {"agents", "*", "presence"})) {
    setPresence(rest_[1]);
  } else if (is("PUT", {"queues", "*", "members", "*"})) {
    membership(rest_[1], rest_[3], true);
  } else if (is("DELETE", {"queues", "*", "members", "*"})) {
    membership(rest_[1], rest_[3], false);
  } else if (is("GET", {"reasons"})) {
    backend_.read([answer = answer_](const core::Engine& engine, Time) {
      answer(jsonReply(200, {{"reasons", engine.config().withdrawReasons}}));
    });
  } else if (!rest_.empty() && rest_[0] == "config") {
    if (!who_.manager) {
      error(403, "", "the configuration is for managers");
      return;
    }
    worker_(
        [&backend = backend_, answer = answer_,
         request = ConfigRequest{method_, std::vector<std::string>(rest_.begin() + 1, rest_.end()),
                                 body_}] { answer(backend.configure(request)); });
  } else if (is("GET", {"events"})) {
    report(ReportRequest::Kind::kEvents);
  } else if (is("GET", {"events.csv"})) {
    report(ReportRequest::Kind::kEventsCsv);
  } else if (is("GET", {"stats", "queues"})) {
    report(ReportRequest::Kind::kQueueStats);
  } else if (is("GET", {"stats", "agents"})) {
    report(ReportRequest::Kind::kAgentStats);
  } else {
    error(404, "", "no " + method_ + " " + target_.path + " (docs/api.md lists the endpoints)");
  }
}

void Router::listQueues(std::optional<std::string> name) {
  backend_.read([answer = answer_, who = who_, name](const core::Engine& engine, Time now) {
    if (name) {
      const std::optional<QueueId> q = engine.findQueue(*name);
      if (!q || (!who.manager && !isMember(engine.config().queues[q->value()], who.agent))) {
        answer(errorReply(404, "queue", "no queue '" + *name + "'"));
        return;
      }
      answer(jsonReply(200, queueJson(engine, now, *q)));
      return;
    }
    json out = json::array();
    for (std::uint32_t i = 0; i < engine.config().queues.size(); ++i) {
      if (who.manager || isMember(engine.config().queues[i], who.agent)) {
        out.push_back(queueJson(engine, now, QueueId(i)));
      }
    }
    answer(jsonReply(200, {{"queues", std::move(out)}}));
  });
}

void Router::listAgents(std::optional<std::string> id) {
  if (id && !mayActFor(*id)) {
    error(403, "agent", "an agent sees only itself");
    return;
  }
  backend_.read(
      [answer = answer_, who = who_, id, &backend = backend_](const core::Engine& engine, Time) {
        if (id) {
          const std::optional<AgentId> a = engine.findAgent(*id);
          if (!a) {
            answer(errorReply(404, "agent", "no agent '" + *id + "'"));
            return;
          }
          answer(jsonReply(200, agentJson(engine, *a, backend)));
          return;
        }
        json out = json::array();
        for (std::uint32_t i = 0; i < engine.config().agents.size(); ++i) {
          if (who.manager || engine.config().agents[i].id == who.agent) {
            out.push_back(agentJson(engine, AgentId(i), backend));
          }
        }
        answer(jsonReply(200, {{"agents", std::move(out)}}));
      });
}

void Router::setPresence(const std::string& agent) {
  if (!mayActFor(agent)) {
    error(403, "agent", "an agent may change only its own presence");
    return;
  }
  Result<json> body = objectBody(body_);
  if (!body) {
    error(400, "", body.error().message);
    return;
  }
  const json& p = (*body)["presence"];
  if (!p.is_string()) {
    error(400, "presence", "expected \"ready\", \"withdrawn\" or \"not available\"");
    return;
  }
  const std::string text = p.get<std::string>();
  const std::optional<core::Presence> parsed = core::parsePresence(text);
  if (!parsed) {
    error(
        400, "presence",
        "'" + text + "' is not a presence: expected \"ready\", \"withdrawn\" or \"not available\"");
    return;
  }
  const core::Presence presence = *parsed;
  std::string reason;
  if (body->contains("reason")) {
    if (!(*body)["reason"].is_string()) {
      error(400, "reason", "expected a string");
      return;
    }
    reason = (*body)["reason"].get<std::string>();
  }
  if (presence == core::Presence::kWithdrawn && reason.empty()) {
    error(400, "reason", "withdrawn needs a reason (GET /api/v1/reasons lists them)");
    return;
  }
  if (presence != core::Presence::kWithdrawn && !reason.empty()) {
    error(400, "reason", "only withdrawn takes a reason");
    return;
  }
  auto out = std::make_shared<json>();
  backend_.input(
      [agent, presence, reason, out, &backend = backend_](core::Engine& engine,
                                                          Time now) -> Result<void> {
        const std::optional<AgentId> a = engine.findAgent(agent);
        if (!a) {
          return makeError(ErrorCode::kNotFound, "no agent '" + agent + "'");
        }
        Result<void> ok = engine.setPresence(now, *a, presence, reason);
        if (ok) {
          *out = agentJson(engine, *a, backend);
        }
        return ok;
      },
      [answer = answer_, out](Result<void> ok) {
        if (!ok) {
          const int status = statusOf(ok.error());
          answer(errorReply(status, status == 404 ? "agent" : "reason", ok.error().message));
          return;
        }
        answer(jsonReply(200, *out));
      });
}

void Router::membership(const std::string& queue, const std::string& agent, bool login) {
  if (!mayActFor(agent)) {
    error(403, "agent", "an agent may log only itself in and out");
    return;
  }
  auto out = std::make_shared<json>();
  auto field = std::make_shared<std::string>();
  backend_.input(
      [queue, agent, login, out, field, &backend = backend_](core::Engine& engine,
                                                             Time now) -> Result<void> {
        const std::optional<QueueId> q = engine.findQueue(queue);
        const std::optional<AgentId> a = engine.findAgent(agent);
        if (!q) {
          *field = "queue";
          return makeError(ErrorCode::kNotFound, "no queue '" + queue + "'");
        }
        if (!a) {
          *field = "agent";
          return makeError(ErrorCode::kNotFound, "no agent '" + agent + "'");
        }
        if (!isMember(engine.config().queues[q->value()], agent)) {
          *field = "agent";
          return makeError(ErrorCode::kNotFound,
                           "agent '" + agent + "' is not a member of queue '" + queue + "'");
        }
        Result<void> ok = login ? engine.login(now, *a, *q) : engine.logout(now, *a, *q);
        if (ok) {
          *out = agentJson(engine, *a, backend);
        }
        return ok;
      },
      [answer = answer_, out, field](Result<void> ok) {
        if (!ok) {
          answer(errorReply(statusOf(ok.error()), field->empty() ? "agent" : *field,
                            ok.error().message));
          return;
        }
        answer(jsonReply(200, *out));
      });
}

void Router::report(ReportRequest::Kind kind) {
  ReportRequest request;
  request.kind = kind;
  request.params = target_.query;
  request.params.erase("token");
  if (!who_.manager) {
    if (kind == ReportRequest::Kind::kQueueStats) {
      error(403, "", "queue statistics are for managers");
      return;
    }
    auto it = request.params.find("agent");
    if (it != request.params.end() && it->second != who_.agent) {
      error(403, "agent", "an agent sees only its own events and figures");
      return;
    }
    request.params["agent"] = who_.agent;
  }
  worker_([&backend = backend_, answer = answer_, request = std::move(request)] {
    answer(backend.report(request));
  });
}

}  // namespace

Target parseTarget(std::string_view target) {
  Target t;
  const std::size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  t.path = decode(path, false);
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    if (end > start) {
      t.segments.push_back(decode(path.substr(start, end - start), false));
    }
    start = end + 1;
  }
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      const std::size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const std::size_t eq = pair.find('=');
      if (!pair.empty()) {
        t.query[decode(pair.substr(0, eq), true)] =
            eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1), true);
      }
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  return t;
}

std::string cookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
  }
  return "";
}

Reply jsonReply(int status, const json& body) {
  return Reply{status, "application/json",
               body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

Reply errorReply(int status, std::string field, std::string reason) {
  json e{{"status", status}, {"reason", std::move(reason)}};
  if (!field.empty()) {
    e["field"] = std::move(field);
  }
  return jsonReply(status, {{"error", std::move(e)}});
}

Result<LoginRequest> parseLogin(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed["name"].is_string() ||
      !parsed["password"].is_string()) {
    return makeError(ErrorCode::kInvalidArgument,
                     "expected {\"name\": \"...\", \"password\": \"...\"}");
  }
  return LoginRequest{parsed["name"].get<std::string>(), parsed["password"].get<std::string>()};
}

Result<Principal> checkLogin(const LoginRequest& login, const std::vector<Manager>& managers,
                             const Backend& backend) {
  const std::string& name = login.name;
  const std::string& password = login.password;
  for (const Manager& m : managers) {
    if (m.name == name) {
      if (verifyPassword(m.passwordHash, password)) {
        return Principal{name, true, ""};
      }
      return makeError(ErrorCode::kNotFound, "wrong name or password");
    }
  }
  const std::string expected = backend.agentPassword(name);
  if (!expected.empty() && samePassword(expected, password)) {
    return Principal{name, false, name};
  }
  return makeError(ErrorCode::kNotFound, "wrong name or password");
}

json principalJson(const Principal& who, const std::string& token) {
  json out{{"name", who.name}, {"role", who.manager ? "manager" : "agent"}};
  if (!who.manager) {
    out["agent"] = who.agent;
  }
  if (!token.empty()) {
    out["token"] = token;
  }
  return out;
}

void route(const std::string& method, const Target& target, const std::string& body,
           const Principal& who, Backend& backend, const Worker& worker,
           std::function<void(Reply)> answer) {
  Router(method, target, body, who, backend, worker, std::move(answer)).run();
}

}  // namespace callq::api
