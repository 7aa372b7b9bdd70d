#include "sip/sip_server.h"

#include <fmt/format.h>
#include <netdb.h>
#include <sofia-sip/auth_module.h>
#include <sofia-sip/auth_plugin.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/url.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>
#include <utility>

#include "sip/registrar.h"
#include "sip/sdp.h"

namespace callq::sip {
namespace {

constexpr std::uint32_t kNoAgent = UINT32_MAX;
constexpr Duration kDirectRingTime{30'000};

std::string str(const char* s) { return s != nullptr ? s : ""; }

std::string bodyOf(const sip_t* sip) {
  if (sip == nullptr || sip->sip_payload == nullptr || sip->sip_payload->pl_data == nullptr) {
    return {};
  }
  return std::string(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

std::string sourceAddress(nua_t* nua) {
  msg_t* msg = nua_current_request(nua);
  su_addrinfo_t* ai = msg != nullptr ? msg_addrinfo(msg) : nullptr;
  if (ai == nullptr || ai->ai_addr == nullptr) {
    return "?";
  }
  char host[NI_MAXHOST] = {};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(ai->ai_addr),
                  static_cast<socklen_t>(ai->ai_addrlen), host, sizeof host, nullptr, 0,
                  NI_NUMERICHOST) != 0) {
    return "?";
  }
  return host;
}

// A caller id made safe inside a quoted display name: no quotes, backslashes or control bytes.
std::string quotable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out;
}

core::RingFailure failureOf(int status) {
  if (status == 486 || status == 600) {
    return core::RingFailure::kBusy;
  }
  if (status == 603) {
    return core::RingFailure::kDeclined;
  }
  return core::RingFailure::kUnreachable;
}

}  // namespace

struct Call;

struct Leg {
  enum class Role : std::uint8_t { kCaller, kAgent };
  Role role = Role::kCaller;
  nua_handle_t* nh = nullptr;
  Call* call = nullptr;
  std::uint32_t ep = 0;
  std::uint16_t port = 0;
  SdpMedia remote;
  std::uint32_t agent = kNoAgent;  // agent legs: whose phone
  std::string contact;             // agent legs: the binding rung
  bool answered = false;           // 2xx sent (caller leg) or received (agent leg)
  bool stopping = false;           // we sent CANCEL or BYE
  bool done = false;               // failed or ended
  std::uint64_t sessionId = 0;
  std::uint64_t sdpVersion = 1;
};

struct Call {
  enum class Kind : std::uint8_t { kQueue, kDirect, kCode };
  Kind kind = Kind::kQueue;
  std::uint64_t id = 0;
  Leg* caller = nullptr;
  std::vector<Leg*> legs;  // outgoing legs to agents' phones
  Leg* bridged = nullptr;
  std::uint32_t directAgent = kNoAgent;   // direct calls: the agent rung
  su_timer_t* ringTimer = nullptr;        // direct calls: gives up after kDirectRingTime
  bool inEngine = false;                  // a queue call the engine still holds
  bool directConnected = false;           // a direct call told the engine otherCallStarted
  std::uint32_t callingAgent = kNoAgent;  // placed from this agent's registered phone: busy
  std::string callerId;
  SipServer::Impl* impl = nullptr;
};

struct SipServer::Impl {
  SipOptions options;
  runtime::Runtime& runtime;
  MediaPort& media;

  su_home_t home[1] = {};
  su_root_t* root = nullptr;
  nua_t* nua = nullptr;
  auth_mod_t* auth = nullptr;
  su_timer_t* timer = nullptr;
  Time armedFor = kNever;  // what `timer` is set for
  int wakeFd = -1;
  int wakeIndex = -1;
  std::mutex postMutex;
  std::vector<std::function<void()>> posted;
  std::atomic<bool> stopping{false};
  bool shutDown = false;

  Registrar registrar;
  AuthThrottle throttle;
  std::unordered_map<std::string, std::uint32_t> agentByUser;   // extension or id -> agent
  std::map<std::string, std::pair<std::uint32_t, bool>> codes;  // code -> (queue, login?)
  std::unordered_map<std::string, std::uint32_t> queueByExtension;
  std::unordered_map<std::uint64_t, std::unique_ptr<Call>> calls;
  std::unordered_map<Leg*, std::unique_ptr<Leg>> legs;
  std::unordered_map<std::uint32_t, Leg*> legByEndpoint;
  std::uint64_t nextCall = 0;
  std::mt19937_64 random{std::random_device{}()};

  Impl(const SipOptions& o, runtime::Runtime& r, MediaPort& m)
      : options(o),
        runtime(r),
        media(m),
        registrar(r.engine().config().agents.size()),
        nextCall(o.lastCallId) {}

  // --- set-up -----------------------------------------------------------------------------------

  Result<void> start() {
    su_home_init(home);
    root = su_root_create(nullptr);
    if (root == nullptr) {
      return makeError(ErrorCode::kInternal, "sofia: cannot create the event loop");
    }
    su_root_threading(root, 0);
    auth = auth_mod_create(root, AUTHTAG_METHOD("Digest"), AUTHTAG_REALM(options.realm.c_str()),
                           AUTHTAG_QOP("auth"), AUTHTAG_ALGORITHM("MD5"), AUTHTAG_FORBIDDEN(1),
                           TAG_END());
    if (auth == nullptr) {
      return makeError(ErrorCode::kInternal, "sofia: cannot create the digest module");
    }
    if (Result<void> ok = loadTables(runtime.engine().config()); !ok) {
      return ok;
    }
    const std::string url = "sip:" + options.address + ":" + std::to_string(options.port);
    nua = nua_create(root, &Impl::callback, reinterpret_cast<nua_magic_t*>(this),
                     NUTAG_URL(url.c_str()), NUTAG_APPL_METHOD("REGISTER"),
                     SIPTAG_ALLOW_STR("INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER"),
                     SIPTAG_SUPPORTED_STR(""), NUTAG_MEDIA_ENABLE(0), NUTAG_AUTOANSWER(0),
                     NUTAG_AUTOALERT(0), SIPTAG_USER_AGENT_STR("callq"), TAG_END());
    if (nua == nullptr) {
      return makeError(ErrorCode::kIo, "cannot listen for SIP on " + options.address + ":" +
                                           std::to_string(options.port) +
                                           " (UDP and TCP): address in use or not local?");
    }
    timer = su_timer_create(su_root_task(root), 1000);
    wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    su_wait_t wait[1];
    su_wait_create(wait, wakeFd, SU_WAIT_IN);
    wakeIndex =
        su_root_register(root, wait, &Impl::onWake, reinterpret_cast<su_wakeup_arg_t*>(this), 0);
    return {};
  }

  void destroy() {
    if (timer != nullptr) {
      su_timer_destroy(timer);
    }
    if (wakeIndex >= 0) {
      su_root_deregister(root, wakeIndex);
    }
    if (wakeFd >= 0) {
      ::close(wakeFd);
    }
    if (nua != nullptr) {
      nua_destroy(nua);
    }
    if (auth != nullptr) {
      auth_mod_destroy(auth);
    }
    if (root != nullptr) {
      su_root_destroy(root);
    }
    su_home_deinit(home);
  }

  // The accounts and dialling tables of `config`, at start and after a new configuration: agents
  // by user (extension and id), their digest passwords (options.passwords, by agent), queues by
  // extension, login and logout codes.
  Result<void> loadTables(const core::Config& config) {
    agentByUser.clear();
    queueByExtension.clear();
    codes.clear();
    for (std::uint32_t a = 0; a < config.agents.size(); ++a) {
      const std::string& password = passwordAt(options.passwords, a);
      for (const std::string& user : {config.agents[a].extension, config.agents[a].id}) {
        agentByUser[user] = a;
        if (password.empty()) {
          // sofia cannot remove a user: an account whose password was taken away gets one nobody
          // can know. (Removed accounts are refused by agentByUser after the digest.)
          if (auth_passwd_t* apw = auth_mod_getpass(auth, user.c_str(), options.realm.c_str())) {
            setPassword(apw, unguessable());
          }
          continue;
        }
        auth_passwd_t* apw = auth_mod_addpass(auth, user.c_str(), options.realm.c_str());
        if (apw == nullptr) {
          return makeError(ErrorCode::kInternal, "sofia: cannot add the password of " + user);
        }
        setPassword(apw, password);
      }
    }
    for (std::uint32_t q = 0; q < config.queues.size(); ++q) {
      queueByExtension[config.queues[q].extension] = q;
      codes[config.queues[q].loginCode] = {q, true};
      codes[config.queues[q].logoutCode] = {q, false};
    }
    return {};
  }

  // Every password is ours (su_strdup on am_home): the one it replaces is freed, so that each
  // configuration change does not leak one per account.
  void setPassword(auth_passwd_t* apw, const std::string& password) {
    if (apw->apw_pass != nullptr && password == apw->apw_pass) {
      return;
    }
    if (apw->apw_pass != nullptr) {
      su_free(auth->am_home, const_cast<char*>(apw->apw_pass));
    }
    apw->apw_pass = su_strdup(auth->am_home, password.c_str());
    apw->apw_hash = nullptr;
  }

  std::string unguessable() {
    std::string out;
    for (int i = 0; i < 4; ++i) {
      out += fmt::format("{:016x}", random());
    }
    return out;
  }

  Result<void> reconfigure(const core::Config& next, std::vector<std::string> passwords,
                           const std::function<void()>& swapped) {
    // Step 1's events name today's queues and agents, so they are handed on before step 2.
    if (Result<void> ok = runtime.input([&](core::Engine& e, Time now) -> Result<void> {
          if (Result<void> prepared = e.prepareReconfigure(now, next); !prepared) {
            return prepared;
          }
          dropRekeyedPhones(e, now, next, passwords);
          return {};
        });
        !ok) {
      return ok;
    }
    return runtime.input([&](core::Engine& e, Time now) -> Result<void> {
      Result<core::Engine::Renumbering> r = e.reconfigure(now, next);
      if (!r) {
        return tl::unexpected(r.error());
      }
      // Before the runtime hands on what the new configuration set off (rings in the new numbers).
      const auto agentNow = [&](std::uint32_t old) {
        return old < r->agents.size() && r->agents[old] ? r->agents[old]->value() : kNoAgent;
      };
      // A removed agent's phones stop ringing, and a direct call to it ends (the engine refused
      // the change while the agent was on a call).
      for (auto& [id, call] : calls) {
        if (call->directAgent != kNoAgent && agentNow(call->directAgent) == kNoAgent) {
          for (Leg* leg : std::vector<Leg*>(call->legs)) {
            hangUp(*leg);
          }
          if (call->caller != nullptr) {
            hangUp(*call->caller);
          }
        }
        call->directAgent = call->directAgent == kNoAgent ? kNoAgent : agentNow(call->directAgent);
        call->callingAgent =
            call->callingAgent == kNoAgent ? kNoAgent : agentNow(call->callingAgent);
      }
      for (auto& [leg, owned] : legs) {
        if (leg->agent != kNoAgent && agentNow(leg->agent) == kNoAgent) {
          hangUp(*leg);
        }
        leg->agent = leg->agent == kNoAgent ? kNoAgent : agentNow(leg->agent);
      }
      registrar.renumber(r->agents, next.agents.size());
      options.passwords = std::move(passwords);
      swapped();
      return loadTables(next);
    });
  }

  static const std::string& passwordAt(const std::vector<std::string>& passwords,
                                       std::uint32_t agent) {
    static const std::string kNone;
    return agent < passwords.size() ? passwords[agent] : kNone;
  }

  // A new password is often an old one that leaked: the phones registered with the old one stop
  // taking calls now, before the new configuration offers any (in today's numbers), not when
  // their registration expires. The engine ends a ring of theirs (StopRinging).
  void dropRekeyedPhones(core::Engine& e, Time now, const core::Config& next,
                         const std::vector<std::string>& passwords) {
    const auto& agents = e.config().agents;
    for (std::uint32_t a = 0; a < agents.size(); ++a) {
      const auto same =
          std::find_if(next.agents.begin(), next.agents.end(),
                       [&](const core::AgentConfig& n) { return n.id == agents[a].id; });
      if (same == next.agents.end() || !registrar.registered(a) ||
          passwordAt(options.passwords, a) ==
              passwordAt(passwords, static_cast<std::uint32_t>(same - next.agents.begin()))) {
        continue;
      }
      spdlog::info("password of agent '{}' changed: its phones must register again", agents[a].id);
      registrar.removeAll(a);
      if (Result<void> ok = e.setRegistered(now, AgentId{a}, false); !ok) {
        spdlog::warn("engine refused an input from SIP: {}", ok.error().message);
      }
    }
  }

  // --- the loop ---------------------------------------------------------------------------------

  static int onWake(su_root_magic_t*, su_wait_t* w, su_wakeup_arg_t* arg) {
    auto* impl = reinterpret_cast<Impl*>(arg);
    su_wait_events(w, impl->wakeFd);
    std::uint64_t n = 0;
    [[maybe_unused]] const ssize_t r = ::read(impl->wakeFd, &n, sizeof n);
    std::vector<std::function<void()>> work;
    {
      std::lock_guard lock(impl->postMutex);
      work.swap(impl->posted);
    }
    for (auto& f : work) {
      f();
    }
    if (impl->stopping && !impl->shutDown) {
      impl->shutDown = true;
      // What was still open when asked to stop: 0 and 0 after every call ended (tests check it).
      spdlog::info("stopping with {} calls and {} call legs open", impl->calls.size(),
                   impl->legs.size());
      // Callers still waiting are not abandoning: their visits end with SERVERRESTART, and the
      // engine hangs up on them (ExitQueue). Connected calls end as usual when their legs do.
      impl->tell([](core::Engine& e, Time now) { return e.serverStopping(now); });
      impl->hangUpEverything();
      nua_shutdown(impl->nua);
    }
    impl->rearm();
    return 0;
  }

  void post(std::function<void()> f) {
    {
      std::lock_guard lock(postMutex);
      posted.push_back(std::move(f));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t r = ::write(wakeFd, &one, sizeof one);
  }

  static void onTimer(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* impl = reinterpret_cast<Impl*>(arg);
    impl->armedFor = kNever;  // fired
    impl->runtime.advance();
    impl->expireRegistrations();
    impl->rearm();
  }

  // One timer for the engine's next deadline and the next registration expiry; both are O(1) to
  // ask, and the timer is only touched when that time changed.
  void rearm() {
    const Time next = std::min(runtime.nextDeadline(), registrar.nextExpiry());
    if (timer == nullptr || next == armedFor) {
      return;
    }
    su_timer_reset(timer);
    armedFor = next;
    if (next == kNever) {
      return;
    }
    const Time now = runtime.now();
    const std::int64_t ms = std::max<std::int64_t>(1, (next - now).count() + 1);
    su_timer_set_interval(timer, &Impl::onTimer, reinterpret_cast<su_timer_arg_t*>(this),
                          static_cast<su_duration_t>(std::min<std::int64_t>(ms, 3'600'000)));
  }

  void expireRegistrations() {
    for (std::uint32_t agent : registrar.expire(runtime.now())) {
      spdlog::info("registration of agent '{}' expired", agentName(agent));
      setRegistered(agent, false);
    }
  }

  // An engine input whose outcome the SIP side does not branch on. A refusal means the two sides
  // disagree about a call or an agent: logged, never silently dropped.
  template <typename F>
  void tell(F&& f) {
    if (Result<void> ok = runtime.input(std::forward<F>(f)); !ok) {
      spdlog::warn("engine refused an input from SIP: {}", ok.error().message);
    }
  }

  // The agent's id for logs; a leg whose agent a new configuration removed has kNoAgent.
  const std::string& agentName(std::uint32_t agent) const {
    static const std::string kRemoved = "(removed)";
    const auto& agents = runtime.engine().config().agents;
    return agent < agents.size() ? agents[agent].id : kRemoved;
  }

  void setRegistered(std::uint32_t agent, bool registered) {
    tell([&](core::Engine& e, Time now) {
      return e.setRegistered(now, AgentId{agent}, registered);
    });
  }

  static void callback(nua_event_t event, int status, char const* phrase, nua_t*,
                       nua_magic_t* magic, nua_handle_t* nh, nua_hmagic_t* hmagic, sip_t const* sip,
                       tagi_t tags[]) {
    auto* impl = reinterpret_cast<Impl*>(magic);
    impl->handle(event, status, phrase, nh, reinterpret_cast<Leg*>(hmagic), sip, tags);
    impl->rearm();
  }

  void handle(nua_event_t event, int status, char const* phrase, nua_handle_t* nh, Leg* leg,
              sip_t const* sip, tagi_t tags[]) {
    switch (event) {
      case nua_i_register:
        onRegister(nh, sip);
        break;
      case nua_i_invite:
        if (leg != nullptr) {
          onReinvite(*leg, nh, sip);
        } else {
          onInvite(nh, sip);
        }
        break;
      case nua_r_invite:
        if (leg != nullptr) {
          onInviteResponse(*leg, status, sip);
        }
        break;
      case nua_i_bye:
      case nua_i_cancel:
        break;  // the stack answers; nua_i_state "terminated" follows
      case nua_i_state: {
        int state = nua_callstate_init;
        tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
        if (state == nua_callstate_terminated) {
          if (leg != nullptr) {
            onTerminated(*leg);
          } else {
            nua_handle_destroy(nh);
          }
        }
        break;
      }
      case nua_i_options:  // answered by the stack; a handle of its own unless in a call
        if (leg == nullptr) {
          nua_handle_destroy(nh);
        }
        break;
      case nua_i_ack:
      case nua_r_bye:
      case nua_r_cancel:
      case nua_i_active:
      case nua_i_terminated:
      case nua_i_prack:
        break;
      case nua_r_shutdown:
        if (status >= 200) {
          su_root_break(root);
        }
        break;
      case nua_i_error:
        spdlog::warn("sip: {} {}", status, str(phrase));
        break;
      default:
        if (leg == nullptr && nh != nullptr && event < nua_r_set_params) {
          // An incoming request we do not serve (MESSAGE, SUBSCRIBE...): NUA answered it.
          nua_handle_destroy(nh);
        }
        break;
    }
  }

  // --- registrar --------------------------------------------------------------------------------

  // Checks the request's digest credentials; answers the challenge or refusal itself and returns
  // nullopt, or returns the agent the credentials belong to.
  std::optional<std::uint32_t> authenticate(nua_handle_t* nh, const sip_t* sip, bool proxy) {
    const std::string address = sourceAddress(nua);
    const Time now = runtime.now();
    if (!throttle.allowed(address, now)) {
      spdlog::warn("sip: {} from {} refused unchecked: too many failed authentications",
                   sip->sip_request->rq_method_name, address);
      nua_respond(nh, 403, "Too many failed attempts, try later", NUTAG_WITH_THIS(nua), TAG_END());
      return std::nullopt;
    }
    auth_status_t* as = auth_status_new(home);
    as->as_method = sip->sip_request->rq_method_name;
    as->as_source = msg_addrinfo(nua_current_request(nua));
    static const auth_challenger_t kWww = {401, "Unauthorized", sip_www_authenticate_class,
                                           sip_authentication_info_class};
    static const auth_challenger_t kProxy = {407, "Proxy Authentication Required",
                                             sip_proxy_authenticate_class,
                                             sip_proxy_authentication_info_class};
    auth_mod_verify(auth, as,
                    proxy ? reinterpret_cast<msg_auth_t*>(sip->sip_proxy_authorization)
                          : reinterpret_cast<msg_auth_t*>(sip->sip_authorization),
                    proxy ? &kProxy : &kWww);
    std::optional<std::uint32_t> agent;
    if (as->as_status != 0) {
      if (as->as_status == 403) {
        throttle.failed(address, now);
        spdlog::warn("sip: {} from {} (user '{}'): wrong credentials",
                     sip->sip_request->rq_method_name, address, str(as->as_user));
      }
      nua_respond(nh, as->as_status, as->as_phrase, NUTAG_WITH_THIS(nua),
                  SIPTAG_HEADER(reinterpret_cast<sip_header_t*>(as->as_response)), TAG_END());
    } else {
      auto it = agentByUser.find(str(as->as_user));
      if (it == agentByUser.end()) {
        nua_respond(nh, 403, "Forbidden", NUTAG_WITH_THIS(nua), TAG_END());
      } else {
        throttle.succeeded(address);
        agent = it->second;
      }
    }
    auth_status_unref(as);
    return agent;
  }

  void onRegister(nua_handle_t* nh, const sip_t* sip) {
    const std::string user = sip->sip_to != nullptr ? str(sip->sip_to->a_url->url_user) : "";
    auto target = agentByUser.find(user);
    if (target == agentByUser.end()) {
      nua_respond(nh, 404, "No such agent account", NUTAG_WITH_THIS(nua), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    std::optional<std::uint32_t> agent = authenticate(nh, sip, false);
    if (!agent) {
      nua_handle_destroy(nh);
      return;
    }
    if (*agent != target->second) {
      nua_respond(nh, 403, "Credentials of another account", NUTAG_WITH_THIS(nua), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    const Time now = runtime.now();
    const std::string callId = sip->sip_call_id != nullptr ? str(sip->sip_call_id->i_id) : "";
    bool changed = false;
    const sip_contact_t* contacts = sip->sip_contact;
    if (contacts != nullptr && contacts->m_url->url_type == url_any) {  // "Contact: *"
      changed = registrar.removeAll(*agent);
    } else {
      // The contact's expires, else the Expires header, else 3600 s (RFC 3261 10.2.1.1); sofia's
      // reading, which takes a malformed value as the default rather than as 0 (unregister).
      const auto expiresOf = [&](const sip_contact_t* m) -> std::uint32_t {
        return static_cast<std::uint32_t>(
            sip_contact_expires(m, sip->sip_expires, sip->sip_date, 3600, 0));
      };
      // All or nothing: one too-short contact refuses the whole REGISTER.
      for (const sip_contact_t* m = contacts; m != nullptr; m = m->m_next) {
        if (const std::uint32_t expires = expiresOf(m);
            expires != 0 && expires < options.minExpires) {
          const std::string minimum = std::to_string(options.minExpires);
          nua_respond(nh, 423, "Interval Too Brief", NUTAG_WITH_THIS(nua),
                      SIPTAG_MIN_EXPIRES_STR(minimum.c_str()), TAG_END());
          nua_handle_destroy(nh);
          return;
        }
      }
      for (const sip_contact_t* m = contacts; m != nullptr; m = m->m_next) {
        const std::uint32_t expires = std::min(expiresOf(m), options.maxExpires);
        char* url = url_as_string(home, m->m_url);
        const std::string contact = str(url);
        su_free(home, url);
        changed =
            registrar.update(*agent, contact, callId, now + std::chrono::seconds(expires), now) ||
            changed;
        spdlog::info(
            "agent '{}': phone {} {}", agentName(*agent), contact,
            expires == 0 ? "unregistered" : "registered for " + std::to_string(expires) + " s");
      }
    }
    // The reply lists every current binding with its remaining time.
    std::string list;
    for (const Binding& b : registrar.bindings(*agent)) {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(b.expires - now).count();
      list += (list.empty() ? "" : ", ") + ("<" + b.contact + ">;expires=" + std::to_string(left));
    }
    nua_respond(nh, 200, "OK", NUTAG_WITH_THIS(nua),
                TAG_IF(!list.empty(), SIPTAG_CONTACT_STR(list.c_str())), TAG_END());
    nua_handle_destroy(nh);
    if (changed) {
      setRegistered(*agent, registrar.registered(*agent));
    }
  }

  // --- legs -------------------------------------------------------------------------------------

  Leg* newLeg(Leg::Role role, nua_handle_t* nh, Call* call) {
    auto owned = std::make_unique<Leg>();
    Leg* leg = owned.get();
    leg->role = role;
    leg->nh = nh;
    leg->call = call;
    leg->sessionId = random() % 1'000'000'000;
    legs.emplace(leg, std::move(owned));
    if (nh != nullptr) {
      nua_handle_bind(nh, reinterpret_cast<nua_hmagic_t*>(leg));
    }
    return leg;
  }

  Call* newCall(Call::Kind kind) {
    auto owned = std::make_unique<Call>();
    Call* call = owned.get();
    call->kind = kind;
    call->id = ++nextCall;
    call->impl = this;
    calls.emplace(call->id, std::move(owned));
    return call;
  }

  std::string ourSdp(Leg& leg, int codec, int telephoneEvent, bool offer,
                     SdpOffer::Direction direction = SdpOffer::Direction::kSendRecv) {
    SdpOffer o;
    o.direction = direction;
    o.address = options.address;
    o.port = leg.port;
    o.codec = codec;
    o.bothCodecs = offer;
    o.telephoneEvent = telephoneEvent;
    o.sessionId = leg.sessionId;
    o.version = leg.sdpVersion++;
    return formatSdp(o);
  }

  bool openMedia(Leg& leg, std::uint32_t near) {
    Result<std::pair<std::uint32_t, std::uint16_t>> ep = media.open(near);
    if (!ep) {
      spdlog::error("media: {}", ep.error().message);
      return false;
    }
    leg.ep = ep->first;
    leg.port = ep->second;
    legByEndpoint[leg.ep] = &leg;
    return true;
  }

  void setRemote(Leg& leg) {
    media.setRemote(leg.ep, leg.remote.address, leg.remote.port, leg.remote.codec,
                    leg.remote.telephoneEvent, leg.remote.onHold);
  }

  void hangUp(Leg& leg) {
    if (leg.done || leg.stopping) {
      return;
    }
    leg.stopping = true;
    if (leg.role == Leg::Role::kAgent && !leg.answered) {
      nua_cancel(leg.nh, TAG_END());
    } else {
      nua_bye(leg.nh, TAG_END());
    }
  }

  // --- incoming calls ---------------------------------------------------------------------------

  void onInvite(nua_handle_t* nh, const sip_t* sip) {
    const std::string dialled = str(sip->sip_request->rq_url->url_user);
    std::string callerId = sip->sip_from != nullptr ? str(sip->sip_from->a_url->url_user) : "";
    if (sip->sip_from != nullptr && sip->sip_from->a_display != nullptr &&
        sip->sip_from->a_display[0] != '\0') {
      callerId = str(sip->sip_from->a_display) + " <" + callerId + ">";
    }
    const auto queue = queueByExtension.find(dialled);
    const auto code = codes.find(dialled);
    const auto agent = agentByUser.find(dialled);
    const bool isAgentExtension =
        agent != agentByUser.end() &&
        runtime.engine().config().agents[agent->second].extension == dialled;
    // Configured codes (any dialable string), and every other star code, which gets a refusal.
    const bool isCode = code != codes.end() || dialled.starts_with("*");
    if (queue == queueByExtension.end() && !isCode && !isAgentExtension) {
      spdlog::info("sip: INVITE for '{}' from {}: no such extension", dialled, callerId);
      nua_respond(nh, 404, "No such extension", NUTAG_WITH_THIS(nua), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    std::optional<std::uint32_t> codeAgent;
    if (isCode && queue == queueByExtension.end()) {
      codeAgent = authenticate(nh, sip, true);  // the code acts for the authenticated agent
      if (!codeAgent) {
        nua_handle_destroy(nh);
        return;
      }
    }
    Result<SdpMedia> offer = parseSdp(bodyOf(sip));
    if (!offer || offer->port == 0) {
      spdlog::info("sip: INVITE for '{}' from {}: {}", dialled, callerId,
                   offer ? "audio refused" : offer.error().message);
      nua_respond(nh, 488, "Not Acceptable Here (PCMU or PCMA audio only)", NUTAG_WITH_THIS(nua),
                  TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    const Call::Kind kind = queue != queueByExtension.end() ? Call::Kind::kQueue
                            : codeAgent                     ? Call::Kind::kCode
                                                            : Call::Kind::kDirect;
    Call* call = newCall(kind);
    call->callerId = callerId;
    Leg* leg = newLeg(Leg::Role::kCaller, nh, call);
    call->caller = leg;
    leg->remote = *offer;
    if (kind != Call::Kind::kCode) {
      // An agent calling from a registered phone is busy for queue calls meanwhile, so that a
      // queue never offers an agent their own call.
      if (const std::optional<std::uint32_t> from = callingAgent(sip)) {
        call->callingAgent = *from;
        spdlog::info("call {}: placed by agent '{}'", call->id, agentName(*from));
        tell([&](core::Engine& e, Time now) { return e.otherCallStarted(now, AgentId{*from}); });
      }
    }
    if (!openMedia(*leg, 0)) {
      nua_respond(nh, 503, "No media ports left", NUTAG_WITH_THIS(nua), TAG_END());
      leg->done = true;
      return;
    }
    setRemote(*leg);
    const std::string answer = ourSdp(*leg, offer->codec, offer->telephoneEvent, false);
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                SIPTAG_PAYLOAD_STR(answer.c_str()), TAG_END());
    leg->answered = true;
    switch (kind) {
      case Call::Kind::kQueue:
        startQueueCall(*call, queue->second);
        break;
      case Call::Kind::kCode:
        runCode(*call, dialled, *codeAgent);
        break;
      case Call::Kind::kDirect:
        ringDirect(*call, agent->second);
        break;
    }
  }

  // The agent whose registered phone sent this INVITE: From names the agent and Contact is one of
  // the agent's bindings.
  std::optional<std::uint32_t> callingAgent(const sip_t* sip) {
    if (sip->sip_from == nullptr || sip->sip_contact == nullptr) {
      return std::nullopt;
    }
    const auto agent = agentByUser.find(str(sip->sip_from->a_url->url_user));
    if (agent == agentByUser.end()) {
      return std::nullopt;
    }
    char* url = url_as_string(home, sip->sip_contact->m_url);
    const std::string contact = str(url);
    su_free(home, url);
    const auto& phones = registrar.bindings(agent->second);
    return std::any_of(phones.begin(), phones.end(),
                       [&](const Binding& b) { return b.contact == contact; })
               ? std::optional(agent->second)
               : std::nullopt;
  }

  void startQueueCall(Call& call, std::uint32_t queue) {
    media.playHold(call.caller->ep, queue);
    call.inEngine = true;
    spdlog::info("call {}: {} for queue '{}'", call.id, call.callerId,
                 runtime.engine().config().queues[queue].name);
    const std::uint64_t id = call.id;
    Result<void> ok = runtime.input([&](core::Engine& e, Time now) {
      core::CallArrival arrival;
      arrival.call = CallId{id};
      arrival.queue = QueueId{queue};
      arrival.callerId = call.callerId;
      return e.callArrived(now, arrival);
    });
    if (!ok) {
      spdlog::error("call {}: {}", id, ok.error().message);
      if (auto it = calls.find(id); it != calls.end()) {
        it->second->inEngine = false;
        hangUp(*it->second->caller);
      }
    }
  }

  void runCode(Call& call, const std::string& dialled, std::uint32_t agent) {
    const auto code = codes.find(dialled);
    Result<void> ok = makeError(ErrorCode::kNotFound, "no such code");
    if (code != codes.end()) {
      const auto [queue, login] = code->second;
      ok = runtime.input([&](core::Engine& e, Time now) {
        return login ? e.login(now, AgentId{agent}, QueueId{queue})
                     : e.logout(now, AgentId{agent}, QueueId{queue});
      });
    }
    spdlog::info("agent '{}' dialled {}: {}", agentName(agent), dialled,
                 ok ? "done" : ok.error().message);
    media.playOnce(call.caller->ep, ok ? Sound::kConfirmation : Sound::kRefusal);
  }

  // Rings every phone of `agent` for `call`; returns how many legs were started.
  std::size_t ringPhones(Call& call, std::uint32_t agent, const std::string& fromDisplay) {
    std::size_t started = 0;
    const core::Config& config = runtime.engine().config();
    for (const Binding& b : registrar.bindings(agent)) {
      Leg* leg = newLeg(Leg::Role::kAgent, nullptr, &call);
      leg->agent = agent;
      if (!openMedia(*leg, call.caller->ep)) {
        leg->done = true;
        destroyLeg(*leg);
        continue;
      }
      leg->contact = b.contact;
      const std::string to = "<sip:" + config.agents[agent].extension + "@" + options.address + ">";
      const std::string from = "\"" + quotable(fromDisplay) + "\" <sip:callq@" + options.address +
                               ":" + std::to_string(options.port) + ">";
      leg->nh = nua_handle(nua, reinterpret_cast<nua_hmagic_t*>(leg), SIPTAG_TO_STR(to.c_str()),
                           SIPTAG_FROM_STR(from.c_str()), TAG_END());
      if (leg->nh == nullptr) {
        spdlog::error("call {}: cannot create a SIP handle for agent '{}'", call.id,
                      agentName(agent));
        leg->done = true;
        destroyLeg(*leg);
        continue;
      }
      const int codec = call.caller->remote.codec;
      const std::string offer = ourSdp(*leg, codec, 101, true);
      nua_invite(leg->nh, NUTAG_URL(b.contact.c_str()), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                 SIPTAG_PAYLOAD_STR(offer.c_str()), TAG_END());
      call.legs.push_back(leg);
      ++started;
    }
    return started;
  }

  void ringDirect(Call& call, std::uint32_t agent) {
    call.kind = Call::Kind::kDirect;
    call.directAgent = agent;
    media.playRingback(call.caller->ep);  // also after a queue's music
    spdlog::info("call {}: {} for agent '{}' directly", call.id, call.callerId, agentName(agent));
    if (ringPhones(call, agent, call.callerId) == 0) {
      spdlog::info("call {}: agent '{}' has no registered phone", call.id, agentName(agent));
      media.playOnce(call.caller->ep, Sound::kRefusal);
      return;
    }
    // sofia's own timer heap orders these; the timer dies with the call (stopRingTimer).
    call.ringTimer = su_timer_create(su_root_task(root), 0);
    su_timer_set_interval(call.ringTimer, &Impl::onDirectRingTimeout,
                          reinterpret_cast<su_timer_arg_t*>(&call),
                          static_cast<su_duration_t>(kDirectRingTime.count()));
  }

  static void onDirectRingTimeout(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* call = reinterpret_cast<Call*>(arg);
    Impl* impl = call->impl;
    impl->stopRingTimer(*call);
    spdlog::info("call {}: nobody answered within {} s", call->id,
                 std::chrono::duration_cast<std::chrono::seconds>(kDirectRingTime).count());
    const std::vector<Leg*> legs = call->legs;  // hangUp() may not, but keep the loop safe
    for (Leg* leg : legs) {
      impl->hangUp(*leg);
    }
    if (call->caller != nullptr) {
      impl->hangUp(*call->caller);
    }
    impl->rearm();
  }

  void ringFailed(Call& call, const Leg& leg, int status) {
    const bool othersRinging = std::any_of(call.legs.begin(), call.legs.end(), [&](Leg* l) {
      return l != &leg && l->agent == leg.agent && !l->done && !l->stopping;
    });
    if (othersRinging) {
      return;
    }
    if (call.kind == Call::Kind::kQueue && call.inEngine) {
      const std::uint64_t id = call.id;
      const std::uint32_t agent = leg.agent;
      tell([&](core::Engine& e, Time now) {
        return e.ringFailed(now, CallId{id}, AgentId{agent}, failureOf(status));
      });
    } else if (call.kind == Call::Kind::kDirect && call.bridged == nullptr &&
               call.caller != nullptr) {
      media.playOnce(call.caller->ep, Sound::kRefusal);
    }
  }

  void forgetUnreachablePhone(const Leg& leg, int status) {
    const Time now = runtime.now();
    const auto& phones = registrar.bindings(leg.agent);
    if (std::none_of(phones.begin(), phones.end(),
                     [&](const Binding& b) { return b.contact == leg.contact; })) {
      return;  // already forgotten (another call rang it too) or unregistered
    }
    spdlog::warn(
        "agent '{}': phone {} does not respond ({}): no calls to it until it registers "
        "again",
        agentName(leg.agent), leg.contact, status);
    if (registrar.update(leg.agent, leg.contact, {}, now, now)) {
      setRegistered(leg.agent, false);
    }
  }

  void stopRingTimer(Call& call) {
    if (call.ringTimer != nullptr) {
      su_timer_destroy(call.ringTimer);
      call.ringTimer = nullptr;
    }
  }

  // --- responses to our INVITEs -----------------------------------------------------------------

  void onInviteResponse(Leg& leg, int status, const sip_t* sip) {
    if (status < 200 || leg.role != Leg::Role::kAgent) {
      return;
    }
    Call* call = leg.call;
    if (status >= 300) {
      leg.done = true;
      if (leg.stopping || call == nullptr) {
        return;
      }
      spdlog::info("call {}: phone of agent '{}' answered {}", call->id, agentName(leg.agent),
                   status);
      ringFailed(*call, leg, status);
      // No answer at all from the phone (sofia's own 408 after its retransmissions, or 503 for a
      // transport error): forget the phone until it registers again, or every waiting caller
      // would ring it again at once, for ever.
      if ((status == 408 || status == 503) && nta_sip_is_internal(sip) != 0) {
        forgetUnreachablePhone(leg, status);
      }
      return;
    }
    // 2xx: NUA has sent the ACK.
    leg.answered = true;
    if (Result<SdpMedia> answer = parseSdp(bodyOf(sip)); answer && answer->port != 0) {
      leg.remote = *answer;
      setRemote(leg);
    } else {
      spdlog::warn("call {}: agent '{}' answered without usable audio", call ? call->id : 0,
                   agentName(leg.agent));
    }
    if (leg.stopping || call == nullptr || call->caller == nullptr || call->caller->done ||
        call->bridged != nullptr) {
      leg.stopping = false;
      hangUp(leg);  // too late: hang up the phone that answered
      return;
    }
    if (call->kind == Call::Kind::kQueue) {
      const std::uint64_t id = call->id;
      const std::uint32_t agent = leg.agent;
      Result<void> ok = runtime.input([&](core::Engine& e, Time now) {
        return e.agentAnswered(now, CallId{id}, AgentId{agent});
      });
      if (!ok) {
        spdlog::info("call {}: agent '{}' answered too late: {}", id, agentName(agent),
                     ok.error().message);
        hangUp(leg);
      }
    } else {
      bridgeLeg(*call, leg);
      stopRingTimer(*call);
      call->directConnected = true;
      const std::uint32_t agent = leg.agent;
      tell([&](core::Engine& e, Time now) { return e.otherCallStarted(now, AgentId{agent}); });
    }
  }

  void bridgeLeg(Call& call, Leg& leg) {
    call.bridged = &leg;
    media.bridge(call.caller->ep, leg.ep);
    spdlog::info("call {}: connected to agent '{}'", call.id, agentName(leg.agent));
    for (Leg* other : call.legs) {
      if (other != &leg && other->agent == leg.agent) {
        hangUp(*other);  // the agent's other phones stop ringing
      } else if (other != &leg && call.kind == Call::Kind::kDirect) {
        hangUp(*other);
      }
    }
  }

  // --- re-INVITEs (hold, unhold, new address) ---------------------------------------------------

  void onReinvite(Leg& leg, nua_handle_t* nh, const sip_t* sip) {
    const std::string body = bodyOf(sip);
    if (!body.empty()) {
      Result<SdpMedia> offer = parseSdp(body);
      if (!offer) {
        nua_respond(nh, 488, "Not Acceptable Here", NUTAG_WITH_THIS(nua), TAG_END());
        return;
      }
      leg.remote = *offer;
      setRemote(leg);
    }
    const std::string answer =
        ourSdp(leg, leg.remote.codec >= 0 ? leg.remote.codec : 0, leg.remote.telephoneEvent, false,
               leg.remote.onHold ? SdpOffer::Direction::kRecvOnly : SdpOffer::Direction::kSendRecv);
    spdlog::info("sip: re-INVITE on call {}: {}", leg.call ? leg.call->id : 0,
                 leg.remote.onHold ? "hold" : "resume");
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                SIPTAG_PAYLOAD_STR(answer.c_str()), TAG_END());
  }

  // --- ends -------------------------------------------------------------------------------------

  void onTerminated(Leg& leg) {
    const bool wasDone = leg.done;
    leg.done = true;
    Call* call = leg.call;
    if (call != nullptr && !wasDone && leg.role == Leg::Role::kCaller) {
      callerGone(*call);  // also when we hung up (shutdown): the engine closes the call
    } else if (call != nullptr && !wasDone && !leg.stopping) {
      if (call->bridged == &leg) {
        agentGone(*call, leg);
      } else if (!leg.answered) {
        // Ended without a final response we saw (transport error): the phone is unreachable.
        onInviteResponse(leg, 503, nullptr);
      }
    }
    destroyLeg(leg);
  }

  void callerGone(Call& call) {
    const std::uint64_t id = call.id;
    if (call.kind == Call::Kind::kQueue && call.inEngine) {
      call.inEngine = false;
      // The engine's word: at a stop, the agent's leg may be gone (bridged cleared) first.
      const std::optional<core::Engine::CallInfo> info = runtime.engine().callInfo(CallId{id});
      const bool connected = info && info->connected;
      spdlog::info("call {}: caller hung up{}", id, connected ? "" : " while waiting");
      tell([&](core::Engine& e, Time now) {
        return connected ? e.callEnded(now, CallId{id}, core::Party::kCaller)
                         : e.callerHungUp(now, CallId{id});
      });
    }
    auto it = calls.find(id);
    if (it == calls.end()) {
      return;
    }
    endDirect(*it->second);
    for (Leg* leg : it->second->legs) {
      hangUp(*leg);
    }
  }

  void agentGone(Call& call, Leg& leg) {
    const std::uint64_t id = call.id;
    spdlog::info("call {}: agent '{}' hung up", id, agentName(leg.agent));
    if (call.kind == Call::Kind::kQueue && call.inEngine) {
      call.inEngine = false;
      tell([&](core::Engine& e, Time now) {
        return e.callEnded(now, CallId{id}, core::Party::kAgent);
      });
    }
    auto it = calls.find(id);
    if (it == calls.end()) {
      return;
    }
    endDirect(*it->second);
    if (it->second->caller != nullptr) {
      hangUp(*it->second->caller);
    }
  }

  void endDirect(Call& call) {
    stopRingTimer(call);
    if (call.directConnected) {
      call.directConnected = false;
      const std::uint32_t agent = call.directAgent;
      tell([&](core::Engine& e, Time now) { return e.otherCallEnded(now, AgentId{agent}); });
    }
  }

  void destroyLeg(Leg& leg) {
    if (leg.ep != 0) {
      media.close(leg.ep);
      legByEndpoint.erase(leg.ep);
    }
    if (leg.nh != nullptr) {
      nua_handle_bind(leg.nh, nullptr);
      nua_handle_destroy(leg.nh);
    }
    if (Call* call = leg.call) {
      std::erase(call->legs, &leg);
      if (call->caller == &leg) {
        call->caller = nullptr;
        if (call->callingAgent != kNoAgent) {
          const std::uint32_t agent = std::exchange(call->callingAgent, kNoAgent);
          tell([&](core::Engine& e, Time now) { return e.otherCallEnded(now, AgentId{agent}); });
        }
      }
      if (call->bridged == &leg) {
        call->bridged = nullptr;
      }
      if (call->caller == nullptr && call->legs.empty() && !call->inEngine) {
        endDirect(*call);
        calls.erase(call->id);
      }
    }
    legs.erase(&leg);
  }

  void hangUpEverything() {
    std::vector<Leg*> all;
    for (auto& [ptr, owned] : legs) {
      all.push_back(ptr);
    }
    for (Leg* leg : all) {
      hangUp(*leg);
    }
  }

  // --- the engine's actions ---------------------------------------------------------------------

  Call* findCall(CallId id) {
    auto it = calls.find(id.value());
    return it != calls.end() ? it->second.get() : nullptr;
  }

  void apply(const core::Action& action) {
    if (const auto* ring = std::get_if<core::RingAgent>(&action)) {
      Call* call = findCall(ring->call);
      if (call == nullptr || call->caller == nullptr) {
        return;
      }
      const std::string display =
          call->callerId + " (" + runtime.engine().config().queues[ring->queue.value()].name + ")";
      if (ringPhones(*call, ring->agent.value(), display) == 0) {
        const CallId id = ring->call;
        const AgentId agent = ring->agent;
        tell([&](core::Engine& e, Time now) {
          return e.ringFailed(now, id, agent, core::RingFailure::kUnreachable);
        });
      }
    } else if (const auto* stop = std::get_if<core::StopRinging>(&action)) {
      if (Call* call = findCall(stop->call)) {
        for (Leg* leg : call->legs) {
          if (leg->agent == stop->agent.value() && call->bridged != leg) {
            hangUp(*leg);
          }
        }
      }
    } else if (const auto* bridge = std::get_if<core::Bridge>(&action)) {
      Call* call = findCall(bridge->call);
      if (call == nullptr || call->caller == nullptr) {
        return;
      }
      for (Leg* leg : call->legs) {
        if (leg->agent == bridge->agent.value() && leg->answered && !leg->done) {
          bridgeLeg(*call, *leg);
          return;
        }
      }
    } else if (const auto* exit = std::get_if<core::ExitQueue>(&action)) {
      Call* call = findCall(exit->call);
      if (call == nullptr) {
        return;
      }
      call->inEngine = false;
      const core::Destination& d = exit->destination;
      if (d.kind == core::DestinationKind::kExtension && call->caller != nullptr) {
        auto agent = agentByUser.find(d.target);
        if (agent != agentByUser.end()) {
          ringDirect(*call, agent->second);
          return;
        }
        spdlog::warn("call {}: extension '{}' does not exist; hanging up", call->id, d.target);
      }
      if (call->caller != nullptr) {
        hangUp(*call->caller);
      }
    } else if (const auto* move = std::get_if<core::MoveQueue>(&action)) {
      Call* call = findCall(move->call);
      if (call != nullptr && call->caller != nullptr && call->bridged == nullptr) {
        media.playHold(call->caller->ep, move->to.value());
      }
    }
  }

  // --- media reports ----------------------------------------------------------------------------

  void onPlayed(std::uint32_t ep) {
    auto it = legByEndpoint.find(ep);
    if (it == legByEndpoint.end()) {
      return;
    }
    Leg* leg = it->second;
    if (leg->role == Leg::Role::kCaller && leg->call != nullptr &&
        (leg->call->kind == Call::Kind::kCode ||
         (leg->call->kind == Call::Kind::kDirect && leg->call->bridged == nullptr))) {
      hangUp(*leg);  // the confirmation or refusal has been heard
    }
  }

  void onDigit(std::uint32_t ep, char digit) {
    auto it = legByEndpoint.find(ep);
    if (it == legByEndpoint.end() || it->second->call == nullptr) {
      return;
    }
    Leg* leg = it->second;
    spdlog::info(
        "call {}: {} pressed {}", leg->call->id,
        leg->role == Leg::Role::kCaller ? "caller" : "agent '" + agentName(leg->agent) + "'",
        digit);
    // A waiting caller's keys go to the engine (exit keys); the agent's only to the caller.
    if (leg->role == Leg::Role::kCaller && leg->call->inEngine) {
      const CallId id{leg->call->id};
      tell([&](core::Engine& e, Time now) { return e.digitPressed(now, id, digit); });
    }
  }
};

Result<std::unique_ptr<SipServer>> SipServer::create(const SipOptions& options,
                                                     runtime::Runtime& runtime, MediaPort& media) {
  auto impl = std::make_unique<Impl>(options, runtime, media);
  if (Result<void> ok = impl->start(); !ok) {
    impl->destroy();
    return tl::unexpected(ok.error());
  }
  std::unique_ptr<SipServer> server(new SipServer(std::move(impl)));
  runtime.setActionSink(server.get());
  return server;
}

SipServer::SipServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SipServer::~SipServer() {
  impl_->runtime.setActionSink(nullptr);
  impl_->destroy();
}

void SipServer::run() {
  impl_->rearm();
  su_root_run(impl_->root);
  // nua_shutdown() may finish before the legs it hung up report "terminated": end them here, so
  // the engine closes their calls and media frees their ports.
  std::vector<Leg*> left;
  for (const auto& [leg, owned] : impl_->legs) {
    left.push_back(leg);
  }
  for (Leg* leg : left) {
    if (impl_->legs.contains(leg)) {
      impl_->onTerminated(*leg);
    }
  }
}

void SipServer::post(std::function<void()> f) { impl_->post(std::move(f)); }

Result<void> SipServer::reconfigure(const core::Config& next, std::vector<std::string> passwords,
                                    const std::function<void()>& swapped) {
  return impl_->reconfigure(next, std::move(passwords), swapped);
}

// Called from signal handlers: only an atomic store and write(2), both async-signal-safe.
void SipServer::stop() {
  impl_->stopping = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t r = ::write(impl_->wakeFd, &one, sizeof one);
}

std::vector<SipServer::Phone> SipServer::phones(std::uint32_t agent) const {
  std::vector<Phone> out;
  if (agent < impl_->runtime.engine().config().agents.size()) {
    for (const Binding& b : impl_->registrar.bindings(agent)) {
      out.push_back(Phone{b.contact, b.expires});
    }
  }
  return out;
}

void SipServer::onDigit(std::uint32_t endpoint, char digit) { impl_->onDigit(endpoint, digit); }
void SipServer::onPlayed(std::uint32_t endpoint) { impl_->onPlayed(endpoint); }
void SipServer::apply(const core::Action& action) { impl_->apply(action); }

}  // namespace callq::sip
