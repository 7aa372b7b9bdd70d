// The API server: Beast HTTP and WebSocket sessions on one io_context run by the API thread. Every
// session and the token table live on that thread; other threads reach it with asio::post.
#include "api/api_server.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "api/login_throttle.h"
#include "api/routes.h"

namespace callq::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

namespace {

// A stream client that does not read its events is dropped past this many waiting messages.
constexpr std::size_t kMaxQueuedMessages = 10'000;
constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr std::string_view kStreamPath = "/api/v1/stream";

bool initSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string randomToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

// A fingerprint of an agent's password (BLAKE2b): a session ends when the password it was opened
// with is no longer the agent's (changed, or the agent removed), without keeping the password.
std::string fingerprint(const std::string& password) {
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(password.data()),
                     password.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string contentType(const std::filesystem::path& file) {
  static const std::unordered_map<std::string, std::string> types{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".woff2", "font/woff2"},
  };
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

struct Session {
  Principal who;
  std::chrono::steady_clock::time_point lastUsed;
  std::string credential;  // an agent's: the fingerprint of the password it signed in with
};

class WsClient;

struct ApiServer::Impl {
  Impl(ApiOptions o, Backend& b) : options(std::move(o)), backend(b), acceptor(io) {}

  ApiOptions options;
  Backend& backend;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  // The worker thread: reports and configuration changes, one at a time, off the API thread.
  asio::io_context slow;
  asio::executor_work_guard<asio::io_context::executor_type> slowWork{slow.get_executor()};
  std::thread slowThread;
  Worker worker{[this](std::function<void()> f) { asio::post(slow, std::move(f)); }};
  std::atomic<int> listeners{0};
  std::uint16_t port = 0;
  std::atomic<bool> stopped{false};
  // API thread only:
  std::unordered_map<std::string, Session> sessions;  // token -> session
  LoginThrottle throttle;
  std::set<std::shared_ptr<WsClient>> clients;

  void accept();
  // The principal of a request's token (Authorization: Bearer, the callq_token cookie, or
  // ?token= for the stream), or nullopt.
  std::optional<Principal> authenticate(const Request& req, const Target& target);
  std::string tokenOf(const Request& req, const Target& target);
  std::string login(const Principal& who);
  void publishNow(const LiveEvent& e);
};

// --- WebSocket: the live stream ----------------------------------------------------------------

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  WsClient(tcp::socket socket, ApiServer::Impl& impl, Principal who, std::set<std::string> queues)
      : ws_(std::move(socket)), impl_(impl), who_(std::move(who)), queues_(std::move(queues)) {}

  void run(Request req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (ec) {
        return;
      }
      self->impl_.clients.insert(self);
      ++self->impl_.listeners;
      self->send(json{{"event", "HELLO"}, {"user", self->who_.name}}.dump());
      self->read();
    });
  }

  bool allowed(const LiveEvent& e) const {
    if (who_.manager) {
      return true;
    }
    return (!e.agent.empty() && e.agent == who_.agent) ||
           (!e.queue.empty() && queues_.count(e.queue) > 0);
  }

  void send(std::string text) {
    if (closed_) {
      return;
    }
    if (queue_.size() >= kMaxQueuedMessages) {
      close();  // it does not keep up: better a clear close than unbounded memory
      return;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) {
      write();
    }
  }

  void close() {
    if (closed_) {
      return;
    }
    drop();
    ws_.async_close(websocket::close_code::going_away,
                    [self = shared_from_this()](beast::error_code) {});
  }

 private:
  void write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) {
                        self->drop();
                        return;
                      }
                      self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closed_) {
                        self->write();
                      }
                    });
  }
  // Clients send nothing the server acts on; reading notices their close.
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->drop();
        return;
      }
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }
  void drop() {
    closed_ = true;
    if (impl_.clients.erase(shared_from_this()) > 0) {
      --impl_.listeners;
    }
  }

  websocket::stream<beast::tcp_stream> ws_;
  ApiServer::Impl& impl_;
  Principal who_;
  std::set<std::string> queues_;  // an agent sees events of its queues and its own
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool closed_ = false;
};

void ApiServer::Impl::publishNow(const LiveEvent& e) {
  // Copy: send() may drop a client from the set.
  std::vector<std::shared_ptr<WsClient>> all(clients.begin(), clients.end());
  for (const auto& c : all) {
    if (c->allowed(e)) {
      c->send(e.json);
    }
  }
}

// --- HTTP ----------------------------------------------------------------------------------------

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, ApiServer::Impl& impl)
      : remote_(remoteAddress(socket)), stream_(std::move(socket)), impl_(impl) {}

  void read() {
    req_ = {};
    parser_.emplace();
    parser_->body_limit(1 << 20);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec == http::error::body_limit) {
                         // The rest of the body is still unread: answer, then close.
                         self->req_ = self->parser_->release();
                         self->req_.keep_alive(false);
                         self->send(errorReply(413, "", "the body is over 1 MB"));
                         return;
                       }
                       if (ec == http::error::header_limit || ec == http::error::bad_target ||
                           ec == http::error::bad_method || ec == http::error::bad_version ||
                           ec == http::error::bad_field || ec == http::error::bad_value) {
                         self->req_ = {};
                         self->req_.keep_alive(false);
                         self->send(errorReply(400, "", "malformed HTTP request: " + ec.message()));
                         return;
                       }
                       if (ec) {
                         self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
                         return;
                       }
                       self->req_ = self->parser_->release();
                       self->handle();
                     });
  }

 private:
  void handle();
  void upgrade(const Target& target);
  void staticFile(const Target& target);

  // Answers on the API thread, whichever thread calls it.
  void answer(Reply reply, std::vector<std::pair<std::string, std::string>> headers = {}) {
    asio::post(impl_.io,
               [self = shared_from_this(), reply = std::move(reply),
                headers = std::move(headers)]() mutable { self->send(std::move(reply), headers); });
  }

  void send(Reply reply, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(reply.status), req_.version());
    res->set(http::field::server, "callq");
    res->set(http::field::content_type, reply.contentType);
    res->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : headers) {
      res->set(name, value);
    }
    res->keep_alive(req_.keep_alive());
    res->body() = std::move(reply.body);
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                        if (ec || !res->keep_alive()) {
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
                          return;
                        }
                        self->read();
                      });
  }

  // Behind a TLS proxy that says so (X-Forwarded-Proto: https) the cookie is Secure: browsers
  // then never send it over plain HTTP. Believing the header is safe: it only narrows the cookie.
  std::string cookieAttributes() const {
    const auto proto = req_.find("X-Forwarded-Proto");
    const bool https = proto != req_.end() && beast::iequals(proto->value(), "https");
    return std::string("; Path=/; HttpOnly; SameSite=Strict") + (https ? "; Secure" : "");
  }

  static std::string remoteAddress(const tcp::socket& socket) {
    beast::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string() : endpoint.address().to_string();
  }

  std::string remote_;  // the peer's address: sign-in failures are counted by it
  beast::tcp_stream stream_;
  ApiServer::Impl& impl_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request req_;
};

void HttpSession::handle() {
  Target target = parseTarget(sv(req_.target()));
  if (!target.path.starts_with("/api/")) {
    staticFile(target);
    return;
  }
  if (websocket::is_upgrade(req_)) {
    upgrade(target);
    return;
  }
  const std::string method(req_.method_string());
  if (target.path == "/api/v1/login" && method == "POST") {
    Result<LoginRequest> login = parseLogin(req_.body());
    if (!login) {
      send(errorReply(400, "", login.error().message));
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (auto wait = impl_.throttle.locked(remote_, login->name, now)) {
      send(errorReply(
               429, "",
               "too many failed sign-ins; try again in " + std::to_string(wait->count()) + " s"),
           {{"Retry-After", std::to_string(wait->count())}});
      return;
    }
    Result<Principal> who = checkLogin(*login, impl_.options.managers, impl_.backend);
    if (!who) {
      impl_.throttle.failed(remote_, login->name, std::chrono::steady_clock::now());
      send(errorReply(401, "", who.error().message));
      return;
    }
    impl_.throttle.succeeded(remote_, login->name);
    const std::string token = impl_.login(*who);
    send(jsonReply(200, principalJson(*who, token)),
         {{"Set-Cookie", "callq_token=" + token + cookieAttributes()}});
    return;
  }
  std::optional<Principal> who = impl_.authenticate(req_, target);
  if (!who) {
    send(errorReply(401, "", "sign in first: POST /api/v1/login, then send the token"));
    return;
  }
  if (target.path == "/api/v1/logout" && method == "POST") {
    impl_.sessions.erase(impl_.tokenOf(req_, target));
    send(jsonReply(200, json::object()),
         {{"Set-Cookie", "callq_token=" + cookieAttributes() + "; Max-Age=0"}});
    return;
  }
  route(method, target, req_.body(), *who, impl_.backend, impl_.worker,
        [self = shared_from_this()](Reply reply) { self->answer(std::move(reply)); });
}

void HttpSession::upgrade(const Target& target) {
  if (target.path != kStreamPath) {
    send(errorReply(404, "", "no WebSocket at " + target.path + " (the stream is /api/v1/stream)"));
    return;
  }
  // A page of another site may open a WebSocket with our cookie: browsers say where from.
  const auto origin = req_.find(http::field::origin);
  const auto host = req_.find(http::field::host);
  if (origin != req_.end() &&
      (host == req_.end() ||
       !(sv(origin->value()) == "http://" + std::string(sv(host->value())) ||
         sv(origin->value()) == "https://" + std::string(sv(host->value()))))) {
    send(errorReply(403, "", "the stream is for pages of this server (Origin differs from Host)"));
    return;
  }
  std::optional<Principal> who = impl_.authenticate(req_, target);
  if (!who) {
    send(errorReply(401, "", "sign in first: POST /api/v1/login, then ?token= or the cookie"));
    return;
  }
  // An agent's queues are read once, on the signalling thread, then the socket is handed over.
  auto self = shared_from_this();
  const Principal principal = *who;
  impl_.backend.read([self, principal](const core::Engine& engine, Time) {
    std::set<std::string> queues;
    if (!principal.manager) {
      for (const core::QueueConfig& q : engine.config().queues) {
        for (const core::MemberConfig& m : q.members) {
          if (m.agent == principal.agent) {
            queues.insert(q.name);
          }
        }
      }
    }
    asio::post(self->impl_.io, [self, principal, queues = std::move(queues)]() mutable {
      beast::get_lowest_layer(self->stream_).expires_never();
      auto client = std::make_shared<WsClient>(self->stream_.release_socket(), self->impl_,
                                               principal, std::move(queues));
      client->run(std::move(self->req_));
    });
  });
}

void HttpSession::staticFile(const Target& target) {
  namespace fs = std::filesystem;
  if (impl_.options.webRoot.empty() || req_.method() != http::verb::get) {
    send(errorReply(404, "", "nothing at " + target.path));
    return;
  }
  // Only the decoded segments, none of them "." or "..": "//etc/passwd" or "/%2Fetc" cannot make
  // an absolute path, nor a walk out of web_root.
  fs::path rel;
  for (const std::string& segment : target.segments) {
    if (segment == "." || segment == ".." || segment.find('/') != std::string::npos ||
        segment.find('\0') != std::string::npos) {
      send(errorReply(400, "", "bad path"));
      return;
    }
    rel /= segment;
  }
  const fs::path root(impl_.options.webRoot);
  fs::path file = rel.empty() ? root / "index.html" : root / rel;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    // The console routes its pages itself: unknown paths without a dot are its pages.
    if (rel.filename().string().find('.') != std::string::npos) {
      send(errorReply(404, "", "nothing at " + target.path));
      return;
    }
    file = root / "index.html";
  }
  // A symbolic link out of web_root is not followed.
  const fs::path real = fs::weakly_canonical(file, ec);
  const fs::path realRoot = fs::weakly_canonical(root, ec);
  const auto [end, unused] =
      std::mismatch(realRoot.begin(), realRoot.end(), real.begin(), real.end());
  std::ifstream in(file, std::ios::binary);
  if (ec || end != realRoot.end() || !in) {
    send(errorReply(404, "", "nothing at " + target.path));
    return;
  }
  std::ostringstream body;
  body << in.rdbuf();
  send(Reply{200, contentType(file), body.str()});
}

// --- The server ------------------------------------------------------------------------------

std::string ApiServer::Impl::tokenOf(const Request& req, const Target& target) {
  const auto auth = req.find(http::field::authorization);
  if (auth != req.end() && auth->value().starts_with("Bearer ")) {
    return std::string(auth->value().substr(7));
  }
  // In a URL a token ends up in proxies' logs: only the stream (browsers' WebSocket cannot set
  // headers) takes it there.
  if (target.path == kStreamPath) {
    if (auto it = target.query.find("token"); it != target.query.end()) {
      return it->second;
    }
  }
  if (auto cookie = req.find(http::field::cookie); cookie != req.end()) {
    return cookieValue(sv(cookie->value()), "callq_token");
  }
  return "";
}

std::optional<Principal> ApiServer::Impl::authenticate(const Request& req, const Target& target) {
  const std::string token = tokenOf(req, target);
  auto it = sessions.find(token);
  if (token.empty() || it == sessions.end()) {
    return std::nullopt;
  }
  const auto now = std::chrono::steady_clock::now();
  const Session& s = it->second;
  if (now - s.lastUsed > options.sessionIdle ||
      (!s.who.manager && fingerprint(backend.agentPassword(s.who.agent)) != s.credential)) {
    sessions.erase(it);
    return std::nullopt;
  }
  it->second.lastUsed = now;
  return it->second.who;
}

std::string ApiServer::Impl::login(const Principal& who) {
  // Expired sessions go when someone signs in (they are few: one per sign-in).
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(sessions,
                [&](const auto& s) { return now - s.second.lastUsed > options.sessionIdle; });
  std::string token = randomToken();
  sessions[token] =
      Session{who, now, who.manager ? "" : fingerprint(backend.agentPassword(who.agent))};
  return token;
}

void ApiServer::Impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopped) {
      return;
    }
    if (!ec) {
      std::make_shared<HttpSession>(std::move(socket), *this)->read();
    }
    accept();
  });
}

Result<std::unique_ptr<ApiServer>> ApiServer::start(ApiOptions options, Backend& backend) {
  if (!initSodium()) {
    return makeError(ErrorCode::kInternal, "api: libsodium failed to initialise");
  }
  auto impl = std::make_unique<Impl>(std::move(options), backend);
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(impl->options.address, ec);
  if (ec) {
    return makeError(ErrorCode::kInvalidArgument,
                     "[api] address '" + impl->options.address + "': " + ec.message());
  }
  const tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    impl->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return makeError(ErrorCode::kIo, "api: cannot listen on " + impl->options.address + ":" +
                                         std::to_string(impl->options.port) + ": " + ec.message());
  }
  impl->accept();
  Impl* raw = impl.get();
  impl->port = impl->acceptor.local_endpoint().port();
  // A bug in one request must not take the server down: say so and carry on.
  const auto runLoop = [](asio::io_context& io) {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "api: a request failed: %s\n", e.what());
      }
    }
  };
  impl->thread = std::thread([raw, runLoop] { runLoop(raw->io); });
  impl->slowThread = std::thread([raw, runLoop] { runLoop(raw->slow); });
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) {
    return;
  }
  asio::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    std::vector<std::shared_ptr<WsClient>> all(impl->clients.begin(), impl->clients.end());
    for (const auto& c : all) {
      c->close();
    }
  });
  // Pending closes and writes get a moment; then the loop is stopped.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  impl_->io.stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
  // A report or change under way finishes (a change waits 5 s at most); what is queued is dropped.
  impl_->slow.stop();
  if (impl_->slowThread.joinable()) {
    impl_->slowThread.join();
  }
}

std::uint16_t ApiServer::port() const { return impl_->port; }

bool ApiServer::hasListeners() const { return impl_->listeners.load() > 0; }

void ApiServer::publish(std::vector<LiveEvent> events) {
  if (impl_->stopped) {
    return;
  }
  asio::post(impl_->io, [impl = impl_.get(), events = std::move(events)] {
    for (const LiveEvent& e : events) {
      impl->publishNow(e);
    }
  });
}

Result<std::string> hashPassword(const std::string& password) {
  if (!initSodium()) {
    return makeError(ErrorCode::kInternal, "libsodium failed to initialise");
  }
  if (password.empty()) {
    return makeError(ErrorCode::kInvalidArgument, "the password is empty");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return makeError(ErrorCode::kInternal, "out of memory hashing the password");
  }
  return std::string(out);
}

bool verifyPassword(const std::string& hash, const std::string& password) {
  return initSodium() &&
         crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace callq::api
