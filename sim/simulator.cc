#include "sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <numbers>
#include <queue>
#include <variant>

#include "core/engine.h"
#include "core/rng.h"

namespace callq::sim {

namespace {

// part / whole, 0 when there is no whole.
double ratio(double part, double whole) { return whole == 0 ? 0 : part / whole; }
double count(std::uint64_t n) { return static_cast<double>(n); }

}  // namespace

double Figures::serviceLevel() const {
  return ratio(count(answeredWithinThreshold), count(offered));
}
double Figures::pWait() const { return ratio(count(waitedAtAll), count(offered)); }
double Figures::asaS() const { return ratio(toSeconds(answeredWait), count(answered)); }
double Figures::ahtS() const { return ratio(toSeconds(handleTime), count(handled)); }
double Figures::abandonRate() const { return ratio(count(abandoned), count(offered)); }
double Figures::occupancy() const { return ratio(toSeconds(busy), toSeconds(staffed)); }

void Figures::add(const Figures& o) {
  offered += o.offered;
  answered += o.answered;
  abandoned += o.abandoned;
  overflowed += o.overflowed;
  refused += o.refused;
  waitedAtAll += o.waitedAtAll;
  answeredWithinThreshold += o.answeredWithinThreshold;
  abandonedWithinThreshold += o.abandonedWithinThreshold;
  waitingAtEnd += o.waitingAtEnd;
  handled += o.handled;
  answeredWait += o.answeredWait;
  handleTime += o.handleTime;
  longestWait = std::max(longestWait, o.longestWait);
  busy += o.busy;
  staffed += o.staffed;
}

namespace {

// --- Random numbers ---------------------------------------------------------------------------

// The engine's generator (core::Rng), one stream per purpose and queue, so changing one queue's
// workload does not change the samples drawn for another. The distributions are written out here
// (not <random>'s, whose algorithms differ between standard libraries) so that a seed gives the
// same result everywhere.
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index)
      : rng_(seed ^ (purpose * 0x9E3779B97F4A7C15ULL) ^ (index * 0xD1B54A32D192ED03ULL)) {}

  // Uniform in (0, 1): never 0, so logarithms are finite.
  double open01() { return rng_.uniform() + 0x1.0p-54; }

  double exponential(double mean) { return -mean * std::log(open01()); }

  double normal() {  // Box-Muller, one value per call (simple and reproducible)
    const double u = open01();
    const double v = open01();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
  }

  double sample(const DurationDistribution& d) {
    switch (d.kind) {
      case DistributionKind::kExponential:
        return exponential(d.meanS);
      case DistributionKind::kLogNormal: {
        const double sigma2 = std::log1p((d.sdS * d.sdS) / (d.meanS * d.meanS));
        const double mu = std::log(d.meanS) - sigma2 / 2;
        return std::exp(mu + std::sqrt(sigma2) * normal());
      }
      case DistributionKind::kFixed:
        return d.meanS;
    }
    return d.meanS;
  }

 private:
  core::Rng rng_;
};

// Seconds to whole milliseconds, at least `min`.
Duration toDuration(double seconds, std::int64_t minMs = 0) {
  const double ms = std::round(seconds * 1000.0);
  return Duration(std::max<std::int64_t>(minMs, static_cast<std::int64_t>(std::min(ms, 1e15))));
}

// --- The workload's own events ----------------------------------------------------------------

enum class Kind : std::uint8_t {
  kShiftStart,
  kShiftEnd,
  kBreakStart,
  kBreakEnd,
  kArrival,   // index = workload queue
  kAnswer,    // call, agent
  kPatience,  // call
  kHangUp,    // call
};

struct Happening {
  Time at;
  std::uint64_t seq = 0;
  Kind kind = Kind::kArrival;
  std::uint64_t call = 0;
  std::uint32_t index = 0;  // workload queue, or agent

  bool operator>(const Happening& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

struct CallInfo {
  std::uint32_t queue = 0;     // queue of the current visit
  std::uint32_t interval = 0;  // interval the current visit entered in
  std::uint32_t workload = 0;  // workload queue the caller came from (handle, patience)
  bool live = false;  // in flight (false once ended; the slot waits for the calls before it)
  bool connected = false;
  bool waiting = false;  // in a queue, not connected
  Time connectedAt;
  Duration handle{0};
};

class Simulation {
 public:
  Simulation(const Scenario& s, const SimOptions& options, std::unique_ptr<core::Engine> engine)
      : scenario_(s), w_(s.workload), options_(options), engine_(std::move(engine)) {
    const auto intervals = static_cast<std::size_t>(
        (w_.duration.count() + w_.interval.count() - 1) / w_.interval.count());
    intervalCount_ = std::max<std::size_t>(1, intervals);
    result_.start = w_.start;
    result_.duration = w_.duration;
    result_.interval = w_.interval;
    result_.intervals.resize(intervalCount_);
    for (const core::QueueConfig& q : s.config.queues) {
      result_.queues.push_back(QueueResult{q.name, q.serviceLevel, {}, {}});
      result_.queues.back().intervals.resize(intervalCount_);
    }
    result_.sampleStep = std::max(Duration(1000), w_.interval / 15);
    now_ = w_.start;
    nextSample_ = w_.start;
    for (std::size_t i = 0; i < w_.queues.size(); ++i) {
      arrivalRng_.emplace_back(w_.seed, 1, i);
      handleRng_.emplace_back(w_.seed, 2, i);
      patienceRng_.emplace_back(w_.seed, 3, i);
      queueOf_.push_back(engine_->findQueue(w_.queues[i].queue)->value());
    }
  }

  Result<SimResult> run() {
    if (auto ok = schedulePresence(); !ok) {
      return tl::unexpected(ok.error());
    }
    for (std::uint32_t i = 0; i < w_.queues.size(); ++i) {
      scheduleNextArrival(i, w_.start, 0);
    }
    if (auto ok = consume(); !ok) {
      return tl::unexpected(ok.error());
    }
    const Time hardStop = at(w_.duration + Duration(24LL * 3600 * 1000));
    while (true) {
      const Time engineNext = engine_->nextDeadline();
      const Time workloadNext = queue_.empty() ? kNever : queue_.top().at;
      const Time next = std::min(engineNext, workloadNext);
      if (next == kNever || next > hardStop) {
        break;
      }
      sampleUntil(next);
      now_ = next;
      if (engineNext <= workloadNext) {
        engine_->advance(now_);
      } else {
        Happening h = queue_.top();
        queue_.pop();
        if (auto ok = handle(h); !ok) {
          return tl::unexpected(ok.error());
        }
      }
      if (auto ok = consume(); !ok) {
        return tl::unexpected(ok.error());
      }
      if (options_.onProgress && (++steps_ & 0xFFFF) == 0) {
        options_.onProgress(std::min(1.0, static_cast<double>((now_ - w_.start).count()) /
                                              static_cast<double>(w_.duration.count())));
      }
    }
    sampleUntil(at(w_.duration));
    finish();
    return std::move(result_);
  }

 private:
  Time at(Duration offset) const { return w_.start + offset; }

  std::uint32_t intervalAt(Time t) const {
    const auto i = (t - w_.start).count() / w_.interval.count();
    return static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(i, 0, static_cast<std::int64_t>(intervalCount_) - 1));
  }

  // `call`: the call, or the next CSV row for an arrival, or the break for a break's start.
  void push(Time t, Kind kind, std::uint64_t call, std::uint32_t index) {
    queue_.push(Happening{t, ++seq_, kind, call, index});
  }

  Result<void> check(Result<void> r, const char* input, std::uint64_t call) {
    if (!r) {
      return makeError(ErrorCode::kInternal, std::string(input) + " refused at " +
                                                 std::to_string((now_ - w_.start).count()) +
                                                 " ms for call " + std::to_string(call) + ": " +
                                                 r.error().message);
    }
    return {};
  }

  // Agents with shifts start Not available and come in at each shift's start; breaks withdraw
  // them. Dynamic members log in to all their queues at each shift's start and out at its end.
  Result<void> schedulePresence() {
    const core::Config& c = scenario_.config;
    dynamicQueues_.resize(c.agents.size());
    for (std::uint32_t q = 0; q < c.queues.size(); ++q) {
      for (const core::MemberConfig& m : c.queues[q].members) {
        if (!m.isStatic) {
          dynamicQueues_[engine_->findAgent(m.agent)->value()].push_back(QueueId{q});
        }
      }
    }
    std::vector<bool> hasShift(c.agents.size(), false);
    for (std::uint32_t i = 0; i < w_.shifts.size(); ++i) {
      const std::uint32_t a = engine_->findAgent(w_.shifts[i].agent)->value();
      hasShift[a] = true;
      push(at(w_.shifts[i].start), Kind::kShiftStart, 0, a);
      push(at(w_.shifts[i].end), Kind::kShiftEnd, 0, a);
    }
    for (std::uint32_t i = 0; i < w_.breaks.size(); ++i) {
      const std::uint32_t a = engine_->findAgent(w_.breaks[i].agent)->value();
      push(at(w_.breaks[i].start), Kind::kBreakStart, i, a);
      push(at(w_.breaks[i].start + w_.breaks[i].length), Kind::kBreakEnd, 0, a);
    }
    onShift_.assign(c.agents.size(), 0);
    onBreak_.assign(c.agents.size(), 0);
    computeStaffed(hasShift);
    for (std::uint32_t a = 0; a < c.agents.size(); ++a) {
      onShift_[a] = hasShift[a] ? 0 : 1;
      auto ok = hasShift[a]
                    ? check(engine_->setPresence(now_, AgentId{a}, core::Presence::kNotAvailable),
                            "setPresence", 0)
                    : setLoggedIn(AgentId{a}, true);
      if (!ok) {
        return ok;
      }
    }
    return {};
  }

  Result<void> setLoggedIn(AgentId agent, bool in) {
    for (const QueueId q : dynamicQueues_[agent.value()]) {
      if (engine_->isLoggedIn(agent, q) != in) {
        auto ok = check(in ? engine_->login(now_, agent, q) : engine_->logout(now_, agent, q),
                        in ? "login" : "logout", 0);
        if (!ok) {
          return ok;
        }
      }
    }
    return {};
  }

  // Staffed time (on shift, not on a break) per agent, split into intervals and credited to every
  // queue the agent is a member of. Computed from the schedule, which is what staffing means.
  void computeStaffed(const std::vector<bool>& hasShift) {
    const core::Config& c = scenario_.config;
    std::vector<std::vector<std::pair<Duration, Duration>>> spans(c.agents.size());
    for (std::uint32_t a = 0; a < c.agents.size(); ++a) {
      if (!hasShift[a]) {
        spans[a].push_back({Duration(0), w_.duration});
      }
    }
    for (const Shift& s : w_.shifts) {
      spans[engine_->findAgent(s.agent)->value()].push_back({s.start, s.end});
    }
    for (auto& list : spans) {
      mergeSpans(list);
    }
    for (const Break& b : w_.breaks) {
      auto& list = spans[engine_->findAgent(b.agent)->value()];
      subtractSpan(list, b.start, b.start + b.length);
    }
    for (std::uint32_t q = 0; q < c.queues.size(); ++q) {
      for (const core::MemberConfig& m : c.queues[q].members) {
        for (const auto& [from, to] : spans[engine_->findAgent(m.agent)->value()]) {
          addTime(q, at(from), at(to), &Figures::staffed);
        }
      }
    }
  }

  static void mergeSpans(std::vector<std::pair<Duration, Duration>>& list) {
    std::sort(list.begin(), list.end());
    std::vector<std::pair<Duration, Duration>> merged;
    for (const auto& s : list) {
      if (!merged.empty() && s.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, s.second);
      } else {
        merged.push_back(s);
      }
    }
    list = std::move(merged);
  }

  static void subtractSpan(std::vector<std::pair<Duration, Duration>>& list, Duration from,
                           Duration to) {
    std::vector<std::pair<Duration, Duration>> out;
    for (const auto& [a, b] : list) {
      if (b <= from || a >= to) {
        out.push_back({a, b});
        continue;
      }
      if (a < from) {
        out.push_back({a, from});
      }
      if (b > to) {
        out.push_back({to, b});
      }
    }
    list = std::move(out);
  }

  // Adds [from, to) clipped to the period, split by interval, to `field` of queue `q`.
  void addTime(std::uint32_t q, Time from, Time to, Duration Figures::*field) {
    from = std::max(from, w_.start);
    to = std::min(to, at(w_.duration));
    while (from < to) {
      const std::uint32_t i = intervalAt(from);
      const Time end = std::min(to, at(w_.interval * (i + 1)));
      result_.queues[q].intervals[i].*field += end - from;
      from = end;
    }
  }

  void scheduleNextArrival(std::uint32_t wq, Time after, std::size_t csvIndex) {
    const QueueWorkload& qw = w_.queues[wq];
    const Time end = at(w_.duration);
    if (qw.fromCsv) {
      if (csvIndex < qw.arrivals.size() && at(qw.arrivals[csvIndex]) < end) {
        push(at(qw.arrivals[csvIndex]), Kind::kArrival, csvIndex + 1, wq);
      }
      return;
    }
    // Piecewise-constant Poisson: exponential gaps at the current step's rate; a gap that crosses
    // into the next step restarts from its start (memoryless, so this is exact).
    Time t = after;
    while (t < end) {
      std::size_t step = 0;
      while (step + 1 < qw.rates.size() && at(qw.rates[step + 1].from) <= t) {
        ++step;
      }
      const Time stepEnd = step + 1 < qw.rates.size() ? at(qw.rates[step + 1].from) : end;
      const double perHour = qw.rates[step].perHour;
      if (perHour <= 0) {
        t = stepEnd;
        continue;
      }
      const Time next = t + toDuration(arrivalRng_[wq].exponential(3600.0 / perHour));
      if (next < stepEnd) {
        if (next < end) {
          push(next, Kind::kArrival, 0, wq);
        }
        return;
      }
      t = stepEnd;
    }
  }

  Result<void> handle(const Happening& h) {
    switch (h.kind) {
      case Kind::kShiftStart:
        onShift_[h.index] += 1;
        if (auto ok = setLoggedIn(AgentId{h.index}, true); !ok) {
          return ok;
        }
        if (onBreak_[h.index] == 0) {
          return check(engine_->setPresence(now_, AgentId{h.index}, core::Presence::kReady),
                       "setPresence", 0);
        }
        return {};
      case Kind::kShiftEnd:
        onShift_[h.index] -= 1;
        if (onShift_[h.index] == 0) {
          auto ok =
              check(engine_->setPresence(now_, AgentId{h.index}, core::Presence::kNotAvailable),
                    "setPresence", 0);
          return ok ? setLoggedIn(AgentId{h.index}, false) : ok;
        }
        return {};
      case Kind::kBreakStart:
        onBreak_[h.index] += 1;
        if (onShift_[h.index] > 0) {
          return check(engine_->setPresence(now_, AgentId{h.index}, core::Presence::kWithdrawn,
                                            w_.breaks[h.call].reason),
                       "setPresence", 0);
        }
        return {};
      case Kind::kBreakEnd:
        onBreak_[h.index] -= 1;
        if (onShift_[h.index] > 0 && onBreak_[h.index] == 0) {
          return check(engine_->setPresence(now_, AgentId{h.index}, core::Presence::kReady),
                       "setPresence", 0);
        }
        return {};
      case Kind::kArrival:
        return arrive(h);
      case Kind::kAnswer:
        if (!ringing(h.call, h.index)) {
          return {};  // the caller left, the ring timed out, or another agent answered first
        }
        return check(engine_->agentAnswered(now_, CallId{h.call}, AgentId{h.index}),
                     "agentAnswered", h.call);
      case Kind::kPatience: {
        const CallInfo* c = findCall(h.call);
        if (c == nullptr || c->connected) {
          return {};
        }
        return check(engine_->callerHungUp(now_, CallId{h.call}), "callerHungUp", h.call);
      }
      case Kind::kHangUp:
        return check(engine_->callEnded(now_, CallId{h.call}, core::Party::kCaller), "callEnded",
                     h.call);
    }
    return {};
  }

  Result<void> arrive(const Happening& h) {
    const std::uint32_t wq = h.index;
    const QueueWorkload& qw = w_.queues[wq];
    const std::uint64_t id = ++lastCall_;
    ++result_.calls;
    calls_.emplace_back().workload = wq;  // ids are consecutive: this is slot id - firstCall_
    calls_.back().live = true;
    if (qw.patience) {
      push(now_ + toDuration(patienceRng_[wq].sample(*qw.patience)), Kind::kPatience, id, 0);
    }
    scheduleNextArrival(wq, now_, h.call);  // h.call: the next CSV row when from a file
    arrival_.call = CallId{id};
    arrival_.queue = QueueId{queueOf_[wq]};
    arrival_.priority = qw.priority;
    arrival_.callerId = "sim-" + std::to_string(id);
    return check(engine_->callArrived(now_, arrival_), "callArrived", id);
  }

  // Whether `agent` still rings for `call` (not stopped, not answered elsewhere): the engine knows.
  bool ringing(std::uint64_t call, std::uint32_t agent) const {
    const core::AgentSnapshot a = engine_->agentSnapshot(AgentId{agent});
    return a.activity == core::Activity::kRinging && a.call == CallId{call};
  }

  // Records the engine's events and applies its actions, until it has nothing more to say.
  Result<void> consume() {
    for (;;) {
      consumeOnce();
      if (answerNow_.empty()) {
        return {};
      }
      // Agents who answer without delay answer now, one at a time: each answer's output (another
      // agent of a ring-all round stops ringing) is applied before the next.
      const auto [call, agent] = answerNow_.front();
      answerNow_.pop_front();
      if (ringing(call, agent)) {
        if (auto ok = check(engine_->agentAnswered(now_, CallId{call}, AgentId{agent}),
                            "agentAnswered", call);
            !ok) {
          return ok;
        }
      }
    }
  }

  void consumeOnce() {
    for (const core::Event& e : engine_->events()) {
      record(e);
    }
    result_.events += engine_->events().size();
    engine_->events().clear();
    for (const core::Action& a : engine_->actions()) {
      if (const auto* r = std::get_if<core::RingAgent>(&a)) {
        if (w_.answerDelay == Duration::zero()) {
          answerNow_.emplace_back(r->call.value(), r->agent.value());
        } else {
          push(now_ + w_.answerDelay, Kind::kAnswer, r->call.value(), r->agent.value());
        }
      } else if (const auto* b = std::get_if<core::Bridge>(&a)) {
        CallInfo* call = findCall(b->call.value());
        if (call == nullptr) {
          continue;  // not one of ours: cannot happen, the engine bridges calls it was given
        }
        CallInfo& c = *call;
        c.handle = toDuration(handleRng_[c.workload].sample(w_.queues[c.workload].handle), 1);
        push(now_ + c.handle, Kind::kHangUp, b->call.value(), 0);
      } else if (const auto* x = std::get_if<core::ExitQueue>(&a)) {
        if (CallInfo* c = findCall(x->call.value())) {
          endCall(*c);
        }
      }
      // MoveQueue: the caller stays; the next ENTERQUEUE records the new visit.
    }
    engine_->actions().clear();
  }

  void record(const core::Event& e) {
    if (options_.onEvent) {
      options_.onEvent(e);
    }
    if (!e.queue.valid() || !e.call.valid()) {
      return;  // agent events: staffing comes from the schedule
    }
    const std::uint32_t q = e.queue.value();
    CallInfo* call = findCall(e.call.value());
    if (call == nullptr) {
      return;
    }
    CallInfo& c = *call;
    const Duration threshold = scenario_.config.queues[q].serviceLevel;
    switch (core::visitStep(e.type)) {
      case core::VisitStep::kEntered:
        c.queue = q;
        c.interval = intervalAt(e.time);
        c.waiting = true;
        ++totalWaiting_;
        ++figures(c).offered;
        break;
      case core::VisitStep::kRefused: {
        Figures& f = result_.queues[q].intervals[intervalAt(e.time)];
        ++f.offered;
        ++f.refused;
        break;
      }
      case core::VisitStep::kAnswered: {
        Figures& f = figures(c);
        leaveQueue(c);
        c.connected = true;
        c.connectedAt = e.time;
        ++f.answered;
        f.answeredWait += e.wait;
        f.answeredWithinThreshold += core::withinServiceLevel(e.wait, threshold) ? 1 : 0;
        noteWait(f, e.wait);
        break;
      }
      case core::VisitStep::kAbandoned: {
        Figures& f = figures(c);
        leaveQueue(c);
        ++f.abandoned;
        f.abandonedWithinThreshold += core::withinServiceLevel(e.wait, threshold) ? 1 : 0;
        noteWait(f, e.wait);
        endCall(c);
        break;
      }
      case core::VisitStep::kExited: {
        Figures& f = figures(c);
        leaveQueue(c);
        ++f.overflowed;
        noteWait(f, e.wait);
        break;
      }
      case core::VisitStep::kHandled: {
        Figures& f = figures(c);
        const Duration wrapUp = scenario_.config.queues[q].wrapUp;
        ++f.handled;
        f.handleTime += e.talk + wrapUp;
        addTime(q, c.connectedAt, e.time + wrapUp, &Figures::busy);
        endCall(c);
        break;
      }
      case core::VisitStep::kClosedAtRestart:  // the simulator never restarts
      case core::VisitStep::kNone:
        break;
    }
  }

  CallInfo* findCall(std::uint64_t id) {
    if (id < firstCall_ || id - firstCall_ >= calls_.size()) {
      return nullptr;
    }
    CallInfo& c = calls_[id - firstCall_];
    return c.live ? &c : nullptr;
  }

  void endCall(CallInfo& c) {
    c.live = false;
    while (!calls_.empty() && !calls_.front().live) {
      calls_.pop_front();
      ++firstCall_;
    }
  }

  Figures& figures(const CallInfo& c) { return result_.queues[c.queue].intervals[c.interval]; }

  void leaveQueue(CallInfo& c) {
    if (c.waiting) {
      c.waiting = false;
      --totalWaiting_;
    }
  }

  static void noteWait(Figures& f, Duration wait) {
    f.waitedAtAll += wait > Duration::zero() ? 1 : 0;
    f.longestWait = std::max(f.longestWait, wait);
  }

  void sampleUntil(Time t) {
    const Time end = at(w_.duration);
    while (nextSample_ <= t && nextSample_ < end) {
      result_.waitingSamples.push_back(totalWaiting_);
      nextSample_ += result_.sampleStep;
    }
  }

  void finish() {
    for (const CallInfo& c : calls_) {
      if (c.live && c.waiting) {
        ++figures(c).waitingAtEnd;
      }
    }
    for (QueueResult& q : result_.queues) {
      for (std::size_t i = 0; i < intervalCount_; ++i) {
        q.total.add(q.intervals[i]);
        result_.intervals[i].add(q.intervals[i]);
      }
      result_.total.add(q.total);
    }
  }

  const Scenario& scenario_;
  const Workload& w_;
  const SimOptions& options_;
  std::unique_ptr<core::Engine> engine_;
  std::priority_queue<Happening, std::vector<Happening>, std::greater<>> queue_;
  std::vector<Random> arrivalRng_, handleRng_, patienceRng_;
  std::vector<std::uint32_t> queueOf_;  // workload queue -> engine queue
  // Calls in flight by id. Ids are handed out in order, so a deque from the oldest call still in
  // flight finds them without hashing; a caller stuck for the whole run keeps the (small) slots of
  // the calls after it.
  std::deque<CallInfo> calls_;
  std::uint64_t firstCall_ = 1;                                    // id of calls_.front()
  std::deque<std::pair<std::uint64_t, std::uint32_t>> answerNow_;  // answer_delay 0: answer now
  std::vector<std::uint32_t> onShift_, onBreak_;
  std::vector<std::vector<QueueId>> dynamicQueues_;  // per agent: queues it logs in and out of
  std::uint32_t totalWaiting_ = 0;
  std::size_t intervalCount_ = 1;
  SimResult result_;
  core::CallArrival arrival_;
  Time now_ = fromMillis(0);
  Time nextSample_ = fromMillis(0);
  std::uint64_t seq_ = 0;
  std::uint64_t lastCall_ = 0;
  std::uint64_t steps_ = 0;
};

}  // namespace

Result<SimResult> simulate(const Scenario& scenario, const SimOptions& options) {
  if (scenario.workload.duration <= Duration::zero() ||
      scenario.workload.interval <= Duration::zero()) {
    return makeError(ErrorCode::kInvalidArgument, "simulation: duration and interval must be > 0");
  }
  auto engine = core::Engine::create(scenario.config, core::EngineOptions{scenario.workload.seed});
  if (!engine) {
    return tl::unexpected(engine.error());
  }
  for (const QueueWorkload& q : scenario.workload.queues) {
    if (!(*engine)->findQueue(q.queue)) {
      return makeError(ErrorCode::kInvalidArgument, "simulation: unknown queue '" + q.queue + "'");
    }
    if (!q.fromCsv && q.rates.empty()) {
      return makeError(ErrorCode::kInvalidArgument,
                       "simulation: queue '" + q.queue + "' has no arrival rate");
    }
  }
  for (const Shift& s : scenario.workload.shifts) {
    if (!(*engine)->findAgent(s.agent)) {
      return makeError(ErrorCode::kInvalidArgument, "simulation: unknown agent '" + s.agent + "'");
    }
  }
  for (const Break& b : scenario.workload.breaks) {
    if (!(*engine)->findAgent(b.agent)) {
      return makeError(ErrorCode::kInvalidArgument, "simulation: unknown agent '" + b.agent + "'");
    }
  }
  Simulation sim(scenario, options, std::move(*engine));
  return sim.run();
}

}  // namespace callq::sim
