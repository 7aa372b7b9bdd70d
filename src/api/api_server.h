// The HTTP/JSON API and the live event stream (WebSocket), on Boost.Beast, on a thread of its own
// (docs/api.md). It authenticates every request (managers with Argon2id-hashed passwords, agents
// with their SIP account's password), checks the input, and reaches the engine only through
// Backend: reads and changes run on the signalling thread and are answered from there.
//
// Beast and nlohmann stay in api_server.cc: this header is light.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "core/engine.h"

namespace callq::api {

// A console account with every right (agents sign in with their agent id and SIP password).
struct Manager {
  std::string name;
  std::string passwordHash;  // libsodium crypto_pwhash_str (Argon2id); `callq hash-password`
};

// Who made a request.
struct Principal {
  std::string name;
  bool manager = false;
  std::string agent;  // an agent: its id (it may read and change only its own state)
};

// A response built elsewhere (reports): status, content type and body.
struct Reply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
};

// {"error": {"status": 400, "field": "presence", "reason": "..."}} ("field" only when one is to
// blame). Text that is not UTF-8 is replaced, never refused.
Reply errorReply(int status, std::string field, std::string reason);

// GET /api/v1/events, /events.csv, /stats/queues, /stats/agents: the query parameters, already
// split. The backend checks them (a wrong one is a 400 naming it).
struct ReportRequest {
  enum class Kind { kEvents, kEventsCsv, kQueueStats, kAgentStats };
  Kind kind = Kind::kEvents;
  std::map<std::string, std::string> params;
};

// /api/v1/config... (managers only; routes.cc checks): the method, the path segments after
// /api/v1/config, and the body.
struct ConfigRequest {
  std::string method;
  std::vector<std::string> path;
  std::string body;
};

// A registered phone of an agent (the registrar's binding).
struct Phone {
  std::string contact;
  std::int64_t expiresInS = 0;
};

// A live event for the stream: the JSON object, and what it is about (for per-user filtering).
struct LiveEvent {
  std::string queue;
  std::string agent;
  std::string json;
};

// What the API needs of the rest of the server (app/ implements it on the runtime and store).
class Backend {
 public:
  virtual ~Backend() = default;
  // Runs `f` on the signalling thread with the engine and the current time.
  virtual void read(std::function<void(const core::Engine&, Time now)> f) = 0;
  // Runs the engine input `f` on the signalling thread (its actions and events are carried out
  // as for SIP), then `done` with its result, on the signalling thread.
  virtual void input(std::function<Result<void>(core::Engine&, Time now)> f,
                     std::function<void(Result<void>)> done) = 0;
  // Answers a report from the store (an agent's request already narrowed to itself). Called on
  // the API's worker thread (one thread: report and configure never overlap); may take a while.
  virtual Reply report(const ReportRequest& request) = 0;
  // The SIP password of an agent's account (empty: none), to sign agents in. API thread, while
  // configure may run on the worker thread.
  virtual std::string agentPassword(const std::string& agent) const = 0;
  // Reads or changes the configuration (docs/api.md, "Configuration"). Worker thread; a change
  // is in effect on the running server, and stored, when the reply comes.
  virtual Reply configure(const ConfigRequest& request) = 0;
  // The agent's registered phones. Signalling thread (within read()).
  virtual std::vector<Phone> phones(AgentId agent) const = 0;
};

struct ApiOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see ApiServer::port())
  std::vector<Manager> managers;
  std::string webRoot;  // static files served at / (the console); empty: none
  Duration sessionIdle{std::chrono::hours(12)};  // a token unused this long expires
};

class ApiServer {
 public:
  // Binds the port and starts the API thread. `backend` must outlive the server.
  static Result<std::unique_ptr<ApiServer>> start(ApiOptions options, Backend& backend);
  ~ApiServer();  // stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Closes every connection and joins the thread.
  void stop();
  std::uint16_t port() const;

  // True while at least one client is listening to the stream (so the caller can skip building
  // LiveEvents). Any thread.
  bool hasListeners() const;
  // Sends each event to every stream client allowed to see it. Any thread; never blocks.
  void publish(std::vector<LiveEvent> events);

  struct Impl;

 private:
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Argon2id hash of `password` for [[manager]] password_hash (`callq hash-password`).
Result<std::string> hashPassword(const std::string& password);

}  // namespace callq::api
