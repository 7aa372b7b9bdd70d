// `callq serve CONFIG`: the call-queue server. Wires the engine (in the runtime), SIP (sofia-sip)
// and media (RTP threads) together and runs until SIGINT or SIGTERM.
#include <fmt/core.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <variant>

#include "api/api_server.h"
#include "app/api_backend.h"
#include "app/commands.h"
#include "app/persistence.h"
#include "config/server_config.h"
#include "media/media_server.h"
#include "runtime/runtime.h"
#include "sip/sip_server.h"
#include "store/report_format.h"

namespace callq::app {
namespace {

struct ServeArgs {
  std::string config;
  std::string address;  // overrides [sip] address
  int port = 0;         // overrides [sip] port
  std::string eventsPath;
  std::string storeUrl;  // overrides [store] url
  std::string rtpPorts;  // "first-last", overrides [sip] rtp_ports
  int apiPort = 0;       // overrides [api] port
};

// sip::MediaPort on media::MediaServer: hold audio per queue, the prompts, and the reports of
// media threads posted to the SIP thread.
class MediaAdapter final : public sip::MediaPort {
 public:
  MediaAdapter(media::MediaServer& server, std::vector<media::AudioId> holdByQueue)
      : server_(server), holdByQueue_(std::move(holdByQueue)) {}

  Result<std::pair<std::uint32_t, std::uint16_t>> open(std::uint32_t near) override {
    return server_.open(near);
  }
  void setRemote(std::uint32_t ep, const std::string& address, std::uint16_t port, int codec,
                 int telephoneEvent, bool onHold) override {
    media::RemoteMedia r;
    r.address = onHold ? "0.0.0.0" : address;
    r.port = onHold ? 0 : port;
    r.codec = codec == 8 ? media::Codec::kPcma : media::Codec::kPcmu;
    r.telephoneEvent = telephoneEvent;
    server_.setRemote(ep, r);
  }
  // Signalling thread (as playHold): the hold audio of each queue of a new configuration.
  void setHold(std::vector<media::AudioId> holdByQueue) { holdByQueue_ = std::move(holdByQueue); }
  void playHold(std::uint32_t ep, std::uint32_t queue) override {
    server_.play(ep, holdByQueue_[queue]);
  }
  void playRingback(std::uint32_t ep) override { server_.play(ep, server_.ringback()); }
  void playOnce(std::uint32_t ep, sip::Sound sound) override {
    server_.playOnce(
        ep, sound == sip::Sound::kConfirmation ? server_.confirmation() : server_.refusal());
  }
  void bridge(std::uint32_t a, std::uint32_t b) override { server_.bridge(a, b); }
  void close(std::uint32_t ep) override { server_.close(ep); }

 private:
  media::MediaServer& server_;
  std::vector<media::AudioId> holdByQueue_;
};

std::atomic<sip::SipServer*> gServer{nullptr};
// The API while it runs: the store thread publishes committed events to its stream.
std::atomic<api::ApiServer*> gApi{nullptr};

// Carries the engine's actions out through SIP, and shows each ring on the live stream as a
// RINGING event (the widget's incoming-call notice). RINGING is live only, not stored: the engine
// records how a ring ended, not that it began. It is sent at once, so it may come before the
// ENTERQUEUE of its call, which is sent once stored.
class RingPublisher final : public runtime::ActionSink {
 public:
  RingPublisher(sip::SipServer& sip, runtime::Runtime& runtime) : sip_(sip), runtime_(runtime) {}

  void apply(const core::Action& action) override {
    const auto* ring = std::get_if<core::RingAgent>(&action);
    api::ApiServer* api = gApi.load();
    if (ring != nullptr && api != nullptr && api->hasListeners()) {
      const core::Engine& engine = runtime_.engine();
      store::EventRecord e;
      e.timeMs = toMillis(runtime_.now());
      e.type = "RINGING";
      e.call = ring->call.value();
      e.queue = engine.config().queues[ring->queue.value()].name;
      e.agent = engine.config().agents[ring->agent.value()].id;
      if (const auto info = engine.callInfo(ring->call)) {
        e.reason = info->callerId;
      }
      std::string json;
      store::appendJsonObject(json, e, false);
      api->publish({api::LiveEvent{e.queue, e.agent, std::move(json)}});
    }
    sip_.apply(action);
  }

 private:
  sip::SipServer& sip_;
  runtime::Runtime& runtime_;
};

void onSignal(int) {
  if (sip::SipServer* s = gServer.load()) {
    s->stop();
  }
}

// Logging from the SIP thread must not wait for the terminal: an async logger writes on its own
// thread (formatting stays with the caller).
void useAsyncLogger() {
  spdlog::init_thread_pool(8192, 1);
  spdlog::set_default_logger(spdlog::stderr_logger_mt<spdlog::async_factory>("callq"));
}

int runServe(const ServeArgs& args) {
  Result<config::ServerConfig> loaded = config::loadServerConfigFile(args.config);
  if (!loaded) {
    fmt::print(stderr, "{}\n", loaded.error().message);
    return 1;
  }
  config::ServerConfig& cfg = *loaded;
  if (!args.address.empty()) {
    cfg.sip.address = args.address;
  }
  if (args.port != 0) {
    cfg.sip.port = static_cast<std::uint16_t>(args.port);
  }
  if (!args.rtpPorts.empty()) {
    unsigned first = 0;
    unsigned last = 0;
    if (std::sscanf(args.rtpPorts.c_str(), "%u-%u", &first, &last) != 2) {
      fmt::print(stderr, "--rtp-ports: expected FIRST-LAST, e.g. 20000-29999 (got '{}')\n",
                 args.rtpPorts);
      return 1;
    }
    if (Result<void> ok = config::checkRtpPorts(first, last); !ok) {
      fmt::print(stderr, "--rtp-ports: {} (got '{}')\n", ok.error().message, args.rtpPorts);
      return 1;
    }
    cfg.sip.rtpMin = static_cast<std::uint16_t>(first);
    cfg.sip.rtpMax = static_cast<std::uint16_t>(last);
  }
  if (!args.storeUrl.empty()) {
    cfg.store.url = args.storeUrl;
  }
  // The database's configuration (seeded from the file when empty) is what is served.
  std::string configNote;
  Result<std::unique_ptr<Persistence>> persistence =
      Persistence::open(cfg.store.url, cfg, &configNote);
  if (!persistence) {
    fmt::print(stderr, "store: {}\n", persistence.error().message);
    return 1;
  }
  const core::Config engineConfig = cfg.engine;
  useAsyncLogger();
  spdlog::info("store: {}; {}", (*persistence)->describe(), configNote);

  if (!args.eventsPath.empty()) {
    if (Result<void> ok = (*persistence)->copyEventsTo(args.eventsPath); !ok) {
      fmt::print(stderr, "{}\n", ok.error().message);
      return 1;
    }
  }

  if (args.apiPort != 0) {
    cfg.api.port = static_cast<std::uint16_t>(args.apiPort);
  }
  (*persistence)->onCommitted([](const std::vector<store::EventRecord>& events) {
    api::ApiServer* api = gApi.load();
    if (api == nullptr || !api->hasListeners()) {
      return;
    }
    std::vector<api::LiveEvent> live;
    live.reserve(events.size());
    for (const store::EventRecord& e : events) {
      std::string json;
      store::appendJsonObject(json, e, false);
      live.push_back(api::LiveEvent{e.queue, e.agent, std::move(json)});
    }
    api->publish(std::move(live));
  });

  core::EngineOptions engineOptions;
  engineOptions.initiallyRegistered = false;
  engineOptions.seed = std::random_device{}();
  Result<std::unique_ptr<core::Engine>> engine = core::Engine::create(cfg.engine, engineOptions);
  if (!engine) {
    fmt::print(stderr, "{}: {}\n", args.config, engine.error().message);
    return 1;
  }
  std::vector<std::string> notes;
  Result<std::uint64_t> lastCall =
      (*persistence)
          ->restore(**engine, std::chrono::floor<Duration>(std::chrono::system_clock::now()),
                    &notes);
  if (!lastCall) {
    fmt::print(stderr, "store: {}\n", lastCall.error().message);
    return 1;
  }
  for (const std::string& note : notes) {
    spdlog::info("store: {}", note);
  }
  // The signalling thread only hands events over; the store thread writes them (and the copy
  // of --events).
  runtime::Runtime runtime(std::move(*engine), [&](const core::Event& e) {
    (*persistence)->onEvent(e, runtime.engine());
  });

  media::MediaOptions mediaOptions;
  mediaOptions.address = cfg.sip.address;
  mediaOptions.portMin = cfg.sip.rtpMin;
  mediaOptions.portMax = cfg.sip.rtpMax;
  mediaOptions.threads = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  media::MediaCallbacks callbacks;
  // Media threads reach the SIP thread through gServer (null before start and after the stop).
  callbacks.onDigit = [](media::EndpointId ep, char digit) {
    if (sip::SipServer* s = gServer.load()) {
      s->post([s, ep, digit] { s->onDigit(ep, digit); });
    }
  };
  callbacks.onPlayed = [](media::EndpointId ep) {
    if (sip::SipServer* s = gServer.load()) {
      s->post([s, ep] { s->onPlayed(ep); });
    }
  };
  Result<std::unique_ptr<media::MediaServer>> mediaServer =
      media::MediaServer::start(mediaOptions, callbacks);
  if (!mediaServer) {
    fmt::print(stderr, "media: {}\n", mediaServer.error().message);
    return 1;
  }
  std::map<std::string, media::AudioId> music;
  for (const auto& [name, path] : cfg.music) {
    Result<media::AudioId> audio = (*mediaServer)->loadFile(path);
    if (!audio) {
      fmt::print(stderr, "{}: music '{}': {}\n", args.config, name, audio.error().message);
      return 1;
    }
    music[name] = *audio;
  }
  // The configuration reader checked that every hold_audio names a class of [music] (which the
  // API does not change).
  const auto holdAudio = [&](const core::Config& config) {
    std::vector<media::AudioId> out;
    for (const core::QueueConfig& q : config.queues) {
      out.push_back(q.holdAudio == "ringback" ? (*mediaServer)->ringback() : music.at(q.holdAudio));
    }
    return out;
  };
  MediaAdapter adapter(**mediaServer, holdAudio(engineConfig));

  sip::SipOptions sipOptions;
  sipOptions.address = cfg.sip.address;
  sipOptions.port = cfg.sip.port;
  sipOptions.realm = cfg.sip.realm;
  sipOptions.passwords = cfg.agentPasswords;
  sipOptions.lastCallId = *lastCall;
  // Declared before the SIP server, so they outlive it: functions the API posted to the SIP
  // thread and that never ran hold API sessions, destroyed with the SIP server.
  std::unique_ptr<ApiBackend> backend;
  std::unique_ptr<api::ApiServer> apiServer;
  Result<std::unique_ptr<sip::SipServer>> server =
      sip::SipServer::create(sipOptions, runtime, adapter);
  if (!server) {
    fmt::print(stderr, "{}\n", server.error().message);
    return 1;
  }
  sip::SipServer* sipServer = server->get();
  RingPublisher ringPublisher(*sipServer, runtime);
  runtime.setActionSink(&ringPublisher);
  backend = std::make_unique<ApiBackend>(
      cfg, [sipServer](std::function<void()> f) { sipServer->post(std::move(f)); }, runtime,
      [sipServer, &adapter, &holdAudio, &persistence](const config::ServerConfig& next) {
        return sipServer->reconfigure(next.engine, next.agentPasswords, [&] {
          adapter.setHold(holdAudio(next.engine));
          (*persistence)->setQueueParams(next.engine);
        });
      },
      [sipServer, &runtime](AgentId agent) {
        std::vector<api::Phone> out;
        const Time now = runtime.now();
        for (const sip::SipServer::Phone& p : sipServer->phones(agent.value())) {
          out.push_back(
              api::Phone{p.contact, std::max<std::int64_t>(0, (p.expires - now).count() / 1000)});
        }
        return out;
      });
  api::ApiOptions apiOptions;
  apiOptions.address = cfg.api.address;
  apiOptions.port = cfg.api.port;
  apiOptions.webRoot = cfg.api.webRoot;
  for (const config::ManagerAccount& m : cfg.managers) {
    apiOptions.managers.push_back(api::Manager{m.name, m.passwordHash});
  }
  Result<std::unique_ptr<api::ApiServer>> started = api::ApiServer::start(apiOptions, *backend);
  if (!started) {
    fmt::print(stderr, "{}\n", started.error().message);
    return 1;
  }
  apiServer = std::move(*started);
  gApi = apiServer.get();
  gServer = server->get();
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  spdlog::info("api and console on http://{}:{}/ ({} manager account{})", cfg.api.address,
               apiServer->port(), apiOptions.managers.size(),
               apiOptions.managers.size() == 1 ? "" : "s");
  spdlog::info("callq serving {} on sip:{}:{} (UDP and TCP), RTP ports {}-{}", args.config,
               cfg.sip.address, cfg.sip.port, cfg.sip.rtpMin, cfg.sip.rtpMax);
  (*server)->run();
  runtime.setActionSink(sipServer);  // ringPublisher goes before the server
  // Requests from now on would wait for a SIP loop that has ended: the API stops first.
  gApi = nullptr;
  apiServer->stop();
  gServer = nullptr;
  // Closes of the last legs may still be queued on media threads: give them a moment, so the
  // count below is what was really left open.
  for (int i = 0; i < 100 && (*mediaServer)->openEndpoints() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const store::StoreWriter::Counters stored = (*persistence)->stop();
  spdlog::log(stored.dropped > 0 ? spdlog::level::err : spdlog::level::info,
              "store: {} events written in {} transactions ({} failed and retried), {} lost, "
              "longest wait to commit {} ms",
              stored.committed, stored.batches, stored.failures, stored.dropped, stored.maxLagMs);
  spdlog::info("callq stopped ({} RTP endpoints open)", (*mediaServer)->openEndpoints());
  spdlog::shutdown();  // flushes the async logger
  return 0;
}

}  // namespace

Command addServeCommand(CLI::App& app) {
  CLI::App* cli = app.add_subcommand(
      "serve", "Run the call-queue server: SIP registrar, queues and agents, media relay");
  auto args = std::make_shared<ServeArgs>();
  cli->add_option("config", args->config, "TOML configuration file, e.g. config/demo.toml")
      ->required();
  cli->add_option("--address", args->address, "Listen address for SIP and RTP ([sip] address)");
  cli->add_option("--port", args->port, "SIP port, UDP and TCP ([sip] port)")
      ->check(CLI::Range(1, 65535));
  cli->add_option("--rtp-ports", args->rtpPorts, "RTP port range FIRST-LAST ([sip] rtp_ports)");
  cli->add_option(
      "--store", args->storeUrl,
      "Database: a SQLite file or postgresql://... ([store] url, default var/callq.db)");
  cli->add_option("--api-port", args->apiPort, "HTTP port of the API and console ([api] port)")
      ->check(CLI::Range(1, 65535));
  cli->add_option("--events", args->eventsPath,
                  "Append every event to this file, one JSON object per line");
  return {cli, [args] { return runServe(*args); }};
}

}  // namespace callq::app
