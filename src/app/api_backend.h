// api::Backend on the running server: engine reads and inputs posted to the SIP thread, reports
// from a store connection of the API thread's own.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/api_server.h"
#include "runtime/runtime.h"

namespace callq::store {
class Store;
}

namespace callq::app {

class ApiBackend final : public api::Backend {
 public:
  // `post` runs a function on the signalling thread (sip::SipServer::post).
  ApiBackend(std::string storeUrl, std::map<std::string, std::string> agentPasswords,
             std::function<void(std::function<void()>)> post, runtime::Runtime& runtime);
  ~ApiBackend() override;

  void read(std::function<void(const core::Engine&, Time)> f) override;
  void input(std::function<Result<void>(core::Engine&, Time)> f,
             std::function<void(Result<void>)> done) override;
  api::Reply report(const api::ReportRequest& request) override;
  std::string agentPassword(const std::string& agent) const override;

 private:
  std::string storeUrl_;
  std::map<std::string, std::string> agentPasswords_;  // read-only after construction
  std::function<void(std::function<void()>)> post_;
  runtime::Runtime& runtime_;
  std::unique_ptr<store::Store> store_;  // API thread only, opened at the first report
};

}  // namespace callq::app
