#include "media/endpoint.h"

#include <cstring>
#include <utility>

#include "media/g711.h"

namespace callq::media::internal {
namespace {

SteadyTime steadyNow() { return std::chrono::steady_clock::now(); }

Codec codecOf(PayloadKind kind) { return kind == PayloadKind::kPcma ? Codec::kPcma : Codec::kPcmu; }

// A telephone-event payload type we can use: a valid RTP payload type, not an audio codec's.
int usableEventType(int payloadType) {
  const bool valid = payloadType > 0 && payloadType < 128 && payloadType != 8;
  return valid ? payloadType : -1;
}

// Runs a MediaServer callback. An exception from it must not cross into the event loop, where it
// would end this socket's receiving or the thread's ticker; there is nobody to report it to.
template <typename Fn>
void notify(const Fn& callback) noexcept {
  try {
    callback();
  } catch (...) {
  }
}

}  // namespace

Endpoint::Endpoint(EndpointContext context, std::unique_ptr<UdpSocket> socket, OutStream::Seed seed)
    : context_(context), socket_(std::move(socket)), stream_(seed) {}

void Endpoint::start() {
  socket_->startReceiving([this](const std::uint8_t* data, std::size_t size,
                                 const NetAddress& from) { onPacket(data, size, from); });
}

void Endpoint::setRemote(const RemoteMedia& remote) {
  const Codec codec = remote.codec == Codec::kPcma ? Codec::kPcma : Codec::kPcmu;
  const Result<NetAddress> address = parseAddress(remote.address, remote.port);
  // A name instead of an address cannot be looked up here without blocking: treated as hold.
  const bool hold = !address || address->unspecified() || remote.port == 0;
  bool changed = codec != codec_ || hold == sending_;
  if (!hold && *address != remote_) {
    remote_ = *address;
    latched_ = false;  // a new address (re-INVITE): latch afresh
    changed = true;
  }
  codec_ = codec;
  telephoneEvent_ = usableEventType(remote.telephoneEvent);
  sending_ = !hold;
  if (changed) {
    stream_.interrupt();
  }
}

void Endpoint::play(std::shared_ptr<const AudioClip> clip, bool loop) {
  peer_.reset();
  clip_ = std::move(clip);
  position_ = 0;
  loop_ = loop;
  stream_.interrupt();
  context_.playList->add(this);
}

void Endpoint::stop() {
  stopPlaying();
  stream_.interrupt();
}

void Endpoint::bridgeTo(std::shared_ptr<Endpoint> peer) {
  stopPlaying();
  peer_ = std::move(peer);
  stream_.interrupt();
}

void Endpoint::unbridge() {
  peer_.reset();
  stream_.interrupt();
}

void Endpoint::close() {
  stopPlaying();
  peer_.reset();
  sending_ = false;
  socket_->close();
}

void Endpoint::shutdown() {
  peer_.reset();
  clip_.reset();
  playSlot_ = kNotPlaying;
  socket_.reset();
}

bool Endpoint::playFrame(SteadyTime now) {
  if (!clip_) {
    return false;
  }
  if (sending_) {
    const std::vector<std::uint8_t>& audio = codec_ == Codec::kPcma ? clip_->pcma : clip_->pcmu;
    std::memcpy(packet_.data() + kRtpHeaderSize, audio.data() + position_, kFrameSamples);
    stream_.writeOwn(packet_.data(), static_cast<std::uint8_t>(codec_), kFrameSamples, now);
    send(kRtpHeaderSize + kFrameSamples);
  }
  // On hold the clip still advances: a prompt takes its time, and onPlayed comes when it would.
  position_ += kFrameSamples;
  if (position_ < clip_->pcmu.size()) {
    return true;
  }
  position_ = 0;
  if (loop_) {
    return true;
  }
  clip_.reset();
  stream_.interrupt();
  if (context_.callbacks->onPlayed) {
    notify([this] { context_.callbacks->onPlayed(context_.id); });
  }
  return false;
}

EndpointStats Endpoint::stats() const {
  // relayed_ first: a packet is counted in packetsIn_ before relayed_, so relayed <= packetsIn.
  EndpointStats stats;
  stats.relayed = relayed_.load(std::memory_order_acquire);
  stats.packetsIn = packetsIn_.load(std::memory_order_acquire);
  stats.packetsOut = packetsOut_.load(std::memory_order_relaxed);
  return stats;
}

bool Endpoint::acceptSource(const NetAddress& from) {
  if (!latched_) {
    latched_ = true;
    latchedSource_ = from;
    return true;
  }
  return from == latchedSource_;
}

void Endpoint::onPacket(const std::uint8_t* data, std::size_t size, const NetAddress& from) {
  const std::optional<RtpView> rtp = parseRtp(data, size);
  if (!rtp || !acceptSource(from)) {
    return;
  }
  packetsIn_.fetch_add(1, std::memory_order_release);
  const PayloadKind kind = classify(rtp->header.payloadType);
  if (kind == PayloadKind::kEvent) {
    detectDigit(*rtp);
  }
  if (peer_ && kind != PayloadKind::kOther) {
    forward(*rtp, kind);
  }
}

PayloadKind Endpoint::classify(std::uint8_t payloadType) const {
  if (payloadType == static_cast<std::uint8_t>(Codec::kPcmu)) {
    return PayloadKind::kPcmu;
  }
  if (payloadType == static_cast<std::uint8_t>(Codec::kPcma)) {
    return PayloadKind::kPcma;
  }
  if (telephoneEvent_ >= 0 && payloadType == telephoneEvent_) {
    return PayloadKind::kEvent;
  }
  return PayloadKind::kOther;  // comfort noise, an unexpected codec: not relayed
}

void Endpoint::detectDigit(const RtpView& rtp) {
  const std::optional<TelephoneEvent> event = parseTelephoneEvent(rtp.payload, rtp.payloadSize);
  if (!event || !event->end) {
    return;
  }
  // The end packet is sent three times (RFC 4733 2.5.1.4), all with the event's timestamp.
  if (reportedAnyEvent_ && rtp.header.timestamp == lastEventTimestamp_) {
    return;
  }
  reportedAnyEvent_ = true;
  lastEventTimestamp_ = rtp.header.timestamp;
  const char digit = dtmfDigit(event->event);
  if (digit != '\0' && context_.callbacks->onDigit) {
    notify([this, digit] { context_.callbacks->onDigit(context_.id, digit); });
  }
}

void Endpoint::forward(const RtpView& rtp, PayloadKind kind) {
  const RelayedPacket packet{kind,
                             {rtp.header.marker, rtp.header.timestamp, rtp.header.ssrc},
                             rtp.payload,
                             rtp.payloadSize};
  relayed_.fetch_add(1, std::memory_order_release);
  if (peer_->thread() == thread()) {
    peer_->relayIn(this, packet, steadyNow());
    return;
  }
  // The peer lives on another thread: hand it a copy (the payload is in our receive buffer).
  peer_->thread()->post(
      [peer = peer_, self = shared_from_this(), packet,
       bytes = std::vector<std::uint8_t>(rtp.payload, rtp.payload + rtp.payloadSize)] {
        RelayedPacket copy = packet;
        copy.payload = bytes.data();
        peer->relayIn(self.get(), copy, steadyNow());
      });
}

void Endpoint::relayIn(const Endpoint* from, const RelayedPacket& packet, SteadyTime now) {
  // `from` is checked because a packet posted from another thread may arrive after an unbridge.
  if (peer_.get() != from || !sending_ || packet.size > kMaxPacket - kRtpHeaderSize) {
    return;
  }
  std::uint8_t* body = packet_.data() + kRtpHeaderSize;
  std::uint8_t payloadType = 0;
  std::uint32_t samples = 0;
  if (packet.kind == PayloadKind::kEvent) {
    if (telephoneEvent_ < 0) {
      return;  // this far end cannot receive events
    }
    payloadType = static_cast<std::uint8_t>(telephoneEvent_);
    std::memcpy(body, packet.payload, packet.size);
  } else {
    payloadType = static_cast<std::uint8_t>(codec_);
    transcode(packet.payload, packet.size, codecOf(packet.kind), codec_, body);
    samples = static_cast<std::uint32_t>(packet.size);  // G.711: one byte per sample
  }
  stream_.writeRelayed(packet_.data(), payloadType, packet.source, samples, now);
  send(kRtpHeaderSize + packet.size);
}

void Endpoint::send(std::size_t size) {
  if (socket_->sendTo(packet_.data(), size, destination())) {
    packetsOut_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Endpoint::stopPlaying() {
  context_.playList->remove(this);
  clip_.reset();
}

// ---- PlayList ----

PlayList::PlayList(IoThread& thread) : thread_(thread) {
  thread_.setTicker([this](SteadyTime now) { return tick(now); });
}

void PlayList::add(Endpoint* endpoint) {
  if (endpoint->playSlot_ == Endpoint::kNotPlaying) {
    endpoint->playSlot_ = playing_.size();
    playing_.push_back(endpoint);
  }
  thread_.startTicking();  // a no-op while ticking
}

void PlayList::remove(Endpoint* endpoint) {
  if (endpoint->playSlot_ != Endpoint::kNotPlaying) {
    removeAt(endpoint->playSlot_);
  }
}

bool PlayList::tick(SteadyTime now) {
  for (std::size_t slot = 0; slot < playing_.size();) {
    if (playing_[slot]->playFrame(now)) {
      ++slot;
    } else {
      removeAt(slot);  // the last one moved here: look at this slot again
    }
  }
  return !playing_.empty();
}

void PlayList::removeAt(std::size_t slot) {
  Endpoint* leaving = playing_[slot];
  if (slot + 1 != playing_.size()) {
    playing_[slot] = playing_.back();
    playing_[slot]->playSlot_ = slot;
  }
  playing_.pop_back();
  leaving->playSlot_ = Endpoint::kNotPlaying;
}

}  // namespace callq::media::internal
