// The API server on a real socket with a Backend of the test's own: a slow report must not hold
// up the other requests.
#include "api/api_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>

namespace callq::api {
namespace {

// One HTTP/1.1 request on a new connection; the whole response (the server closes it), or what
// came within 10 s.
std::string request(std::uint16_t port, const std::string& method, const std::string& path,
                    const std::string& token = "", const std::string& body = "") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  // A server stuck behind the slow report fails the test instead of hanging it.
  const timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string text = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  if (!token.empty()) {
    text += "Authorization: Bearer " + token + "\r\n";
  }
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  [[maybe_unused]] const ssize_t sent = ::write(fd, text.data(), text.size());
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// Reports wait until the test lets them go; everything else answers at once.
class SlowReports final : public Backend {
 public:
  void read(std::function<void(const core::Engine&, Time)>) override {}
  void input(std::function<Result<void>(core::Engine&, Time)>,
             std::function<void(Result<void>)> done) override {
    done({});
  }
  Reply report(const ReportRequest&) override {
    std::unique_lock lock(mutex_);
    started_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_; });
    return Reply{200, "application/json", R"({"events":[],"next_after":null})"};
  }
  std::string agentPassword(const std::string& agent) const override {
    return agent == "alice" ? "pw" : "";
  }
  Reply configure(const ConfigRequest&) override { return Reply{}; }
  std::vector<Phone> phones(AgentId) const override { return {}; }

  void waitStarted() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return started_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool started_ = false;
  bool released_ = false;
};

std::string tokenOf(const std::string& response) {
  const std::string key = "\"token\":\"";
  const std::size_t at = response.find(key);
  return at == std::string::npos ? "" : response.substr(at + key.size(), 64);
}

TEST(ApiServerTest, ASlowReportHoldsUpNoOtherRequest) {
  SlowReports backend;
  ApiOptions options;
  options.port = 0;
  auto server = ApiServer::start(options, backend);
  ASSERT_TRUE(server.has_value()) << server.error().message;
  const std::uint16_t port = (*server)->port();
  const std::string token =
      tokenOf(request(port, "POST", "/api/v1/login", "", R"({"name":"alice","password":"pw"})"));
  ASSERT_EQ(token.size(), 64u);

  auto report =
      std::async(std::launch::async, [&] { return request(port, "GET", "/api/v1/events", token); });
  backend.waitStarted();
  // The report is under way, and stays so until released: these are answered meanwhile.
  EXPECT_NE(request(port, "GET", "/api/v1/me", token).find("\"name\":\"alice\""),
            std::string::npos);
  EXPECT_NE(request(port, "POST", "/api/v1/login", "", R"({"name":"alice","password":"pw"})")
                .find("HTTP/1.1 200"),
            std::string::npos);
  EXPECT_EQ(report.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  backend.release();
  EXPECT_NE(report.get().find("\"next_after\":null"), std::string::npos);
  (*server)->stop();
}

}  // namespace
}  // namespace callq::api
