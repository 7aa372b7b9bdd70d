// callq's SIP side on sofia-sip: the registrar (digest authentication, several phones per agent,
// expiry, throttling of failed attempts), queue calls (answered, held, offered to agents' phones,
// bridged), agent login/logout codes, direct calls to agents, and the translation between SIP and
// the engine's inputs and actions.
//
// Runs sofia's loop (su_root, in this thread: su_root_threading(0)) on the thread that calls run();
// the engine lives in the runtime on the same thread. post() is the only thread-safe entry.
// sofia headers stay in sip_server.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/runtime.h"
#include "sip/media_port.h"

namespace callq::sip {

struct SipOptions {
  std::string address = "127.0.0.1";  // SIP (UDP and TCP) and the SDP address
  std::uint16_t port = 5060;
  std::string realm = "callq";
  // By agent index: the digest password of the agent's account (user = extension or id); empty:
  // the agent's phones cannot register.
  std::vector<std::string> passwords;
  std::uint32_t maxExpires = 3600;  // longer registrations are shortened to this
  std::uint32_t minExpires = 30;    // shorter ones are refused with 423
  // Calls are numbered from lastCallId + 1: a restarted server continues after the stored ones,
  // so a call id names one call for good in the events.
  std::uint64_t lastCallId = 0;
};

class SipServer final : public runtime::ActionSink {
 public:
  // Binds the SIP ports. The runtime's engine must have been created with
  // EngineOptions::initiallyRegistered = false: phones report themselves by registering.
  static Result<std::unique_ptr<SipServer>> create(const SipOptions& options,
                                                   runtime::Runtime& runtime, MediaPort& media);
  ~SipServer() override;

  // Runs the loop until stop().
  void run();
  // Thread-safe: runs `f` on the SIP thread soon.
  void post(std::function<void()> f);

  // On the SIP thread: the engine takes `next` (core::Engine::prepareReconfigure, then
  // reconfigure), and the accounts (`passwords` by agent of `next`), registrations, dialled numbers
  // and codes, and the calls in progress follow its renumbering. `swapped` runs right after the
  // engine took `next`, before anything it set off is carried out (hold audio by queue, say).
  // The engine's refusal is returned, and then nothing changed.
  Result<void> reconfigure(const core::Config& next, std::vector<std::string> passwords,
                           const std::function<void()>& swapped);
  // Thread-safe and async-signal-safe: ends run() after hanging up every call.
  void stop();

  // On the SIP thread: the agent's registered phones.
  struct Phone {
    std::string contact;
    Time expires;
  };
  std::vector<Phone> phones(std::uint32_t agent) const;

  // Media's reports, on the SIP thread (post() them from media threads).
  void onDigit(std::uint32_t endpoint, char digit);
  void onPlayed(std::uint32_t endpoint);

  void apply(const core::Action& action) override;

  struct Impl;  // public only so that sip_server.cc's call records can point back to it

 private:
  explicit SipServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace callq::sip
