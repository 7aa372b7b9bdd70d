// The API's requests and answers, apart from the sockets (api_server.cc): target parsing, sign-in,
// and the /api/v1 endpoints (docs/api.md). Only api/ includes this header (Beast, nlohmann).
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_server.h"

namespace callq::api {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

// A request target: the percent-decoded path and query parameters (the last of a repeated name).
struct Target {
  std::string path;
  std::vector<std::string> segments;  // the path's, decoded: "/api/v1/queues/a%20b" -> ..., "a b"
  std::map<std::string, std::string> query;
};
Target parseTarget(std::string_view target);
std::string cookieValue(std::string_view header, std::string_view name);

Reply jsonReply(int status, const nlohmann::json& body);

bool verifyPassword(const std::string& hash, const std::string& password);
// POST /api/v1/login's body {"name": ..., "password": ...}; kInvalidArgument when malformed.
struct LoginRequest {
  std::string name;
  std::string password;
};
Result<LoginRequest> parseLogin(const std::string& body);
// A manager (Argon2id hash) or an agent (its SIP password); kNotFound: wrong name or password.
Result<Principal> checkLogin(const LoginRequest& login, const std::vector<Manager>& managers,
                             const Backend& backend);
nlohmann::json principalJson(const Principal& who, const std::string& token);

// Runs a function on the API's worker thread (reports, configuration changes: slow work that
// must not hold up other requests and the stream).
using Worker = std::function<void(std::function<void()>)>;

// Every authenticated /api/v1 request but login, logout and the stream. `answer` may be called
// on another thread (the signalling or the worker thread), once.
void route(const std::string& method, const Target& target, const std::string& body,
           const Principal& who, Backend& backend, const Worker& worker,
           std::function<void(Reply)> answer);

}  // namespace callq::api
