// api::Backend on the running server: engine reads and inputs posted to the SIP thread, reports
// from a store connection of the API worker thread's own.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/api_server.h"
#include "config/server_config.h"
#include "runtime/runtime.h"

namespace callq::store {
class Store;
}

namespace callq::app {

class ApiBackend final : public api::Backend {
 public:
  // Runs on the signalling thread: makes the running server take a new configuration.
  using Apply = std::function<Result<void>(const config::ServerConfig&)>;
  // Signalling thread: an agent's registered phones.
  using Phones = std::function<std::vector<api::Phone>(AgentId)>;

  // `config` is the configuration being served (the store's); `post` runs a function on the
  // signalling thread (sip::SipServer::post).
  ApiBackend(config::ServerConfig config, std::function<void(std::function<void()>)> post,
             runtime::Runtime& runtime, Apply apply, Phones phones);
  ~ApiBackend() override;

  void read(std::function<void(const core::Engine&, Time)> f) override;
  void input(std::function<Result<void>(core::Engine&, Time)> f,
             std::function<void(Result<void>)> done) override;
  api::Reply report(const api::ReportRequest& request) override;
  std::string agentPassword(const std::string& agent) const override;
  api::Reply configure(const api::ConfigRequest& request) override;
  std::vector<api::Phone> phones(AgentId agent) const override { return phones_(agent); }

 private:
  Result<void> openStore();
  // Runs apply_ on the signalling thread and waits for it (5 s at most: a server stopping).
  Result<void> applyOnServer(const config::ServerConfig& next);
  Result<void> storeConfig(const config::ServerConfig& config);

  // What is served and stored. Written by configure (worker thread) under configMutex_, which
  // agentPassword (API thread) reads under; the worker reads it without.
  config::ServerConfig config_;
  mutable std::mutex configMutex_;
  std::function<void(std::function<void()>)> post_;
  runtime::Runtime& runtime_;
  Apply apply_;
  Phones phones_;
  std::unique_ptr<store::Store> store_;  // worker thread only, opened at the first use
};

}  // namespace callq::app
