#include "tests/media/media_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <numbers>
#include <thread>

#include "media/g711.h"

namespace callq::media::testing {
namespace {

std::uint16_t read16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t read32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// The test's own reading of an RTP packet, independent of media/rtp.h.
std::optional<Packet> parse(const std::uint8_t* data, std::size_t size) {
  if (size < 12 || (data[0] >> 6) != 2) {
    return std::nullopt;
  }
  const std::size_t header = 12 + 4 * std::size_t{data[0] & 0x0fu};
  if (size < header) {
    return std::nullopt;
  }
  Packet packet;
  packet.marker = (data[1] & 0x80) != 0;
  packet.payloadType = data[1] & 0x7f;
  packet.sequence = read16(data + 2);
  packet.timestamp = read32(data + 4);
  packet.ssrc = read32(data + 8);
  packet.payload.assign(data + header, data + size);
  return packet;
}

}  // namespace

// ---- UdpPeer ----

UdpPeer::UdpPeer() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  EXPECT_GE(fd_, 0);
  const int buffer = 1 << 20;  // bursts of relayed packets must not be dropped
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
}

UdpPeer::~UdpPeer() { ::close(fd_); }

void UdpPeer::sendRtp(std::uint16_t toPort, const Packet& packet) {
  std::vector<std::uint8_t> bytes(12);
  bytes[0] = 0x80;
  bytes[1] = static_cast<std::uint8_t>((packet.marker ? 0x80 : 0) | packet.payloadType);
  bytes[2] = static_cast<std::uint8_t>(packet.sequence >> 8);
  bytes[3] = static_cast<std::uint8_t>(packet.sequence);
  for (int i = 0; i < 4; ++i) {
    bytes[4 + i] = static_cast<std::uint8_t>(packet.timestamp >> (24 - 8 * i));
    bytes[8 + i] = static_cast<std::uint8_t>(packet.ssrc >> (24 - 8 * i));
  }
  bytes.insert(bytes.end(), packet.payload.begin(), packet.payload.end());
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(toPort);
  ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

std::optional<Packet> UdpPeer::receive(std::chrono::milliseconds timeout) {
  pollfd ready{fd_, POLLIN, 0};
  if (::poll(&ready, 1, static_cast<int>(timeout.count())) != 1) {
    return std::nullopt;
  }
  std::uint8_t buffer[2048];
  const ssize_t size = ::recv(fd_, buffer, sizeof buffer, 0);
  if (size <= 0) {
    return std::nullopt;
  }
  return parse(buffer, static_cast<std::size_t>(size));
}

std::vector<Packet> UdpPeer::receiveCount(std::size_t count) {
  std::vector<Packet> packets;
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (packets.size() < count && std::chrono::steady_clock::now() < deadline) {
    if (auto packet = receive(100ms)) {
      packets.push_back(std::move(*packet));
    }
  }
  return packets;
}

std::size_t UdpPeer::drain() {
  std::size_t count = 0;
  std::uint8_t buffer[2048];
  while (::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT) > 0) {
    ++count;
  }
  return count;
}

// ---- signals ----

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return condition();
    }
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::vector<std::uint8_t> sineFrame(Codec codec, double freq, int index) {
  std::vector<std::uint8_t> frame(160);
  for (int i = 0; i < 160; ++i) {
    const double t = static_cast<double>(index * 160 + i) / 8000.0;
    const double sample = 8000.0 * std::sin(2.0 * std::numbers::pi * freq * t);
    frame[static_cast<std::size_t>(i)] =
        internal::encodeSample(codec, static_cast<std::int16_t>(std::lround(sample)));
  }
  return frame;
}

std::vector<std::int16_t> decode(Codec codec, const std::vector<Packet>& packets) {
  std::vector<std::int16_t> samples;
  for (const Packet& packet : packets) {
    for (std::uint8_t byte : packet.payload) {
      samples.push_back(internal::decodeSample(codec, byte));
    }
  }
  return samples;
}

double tonePower(const std::vector<std::int16_t>& samples, double freq) {
  const double coefficient = 2.0 * std::cos(2.0 * std::numbers::pi * freq / 8000.0);
  double previous = 0.0;
  double beforePrevious = 0.0;
  for (std::int16_t sample : samples) {
    const double current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  return previous * previous + beforePrevious * beforePrevious -
         coefficient * previous * beforePrevious;
}

bool dominates(const std::vector<std::int16_t>& samples, double freq,
               const std::vector<double>& others) {
  const double power = tonePower(samples, freq);
  for (double other : others) {
    if (power < 20.0 * tonePower(samples, other)) {
      return false;
    }
  }
  return power > 0.0;
}

std::vector<std::uint8_t> eventPayload(std::uint8_t event, bool end, std::uint16_t duration) {
  return {event, static_cast<std::uint8_t>((end ? 0x80 : 0x00) | 10),
          static_cast<std::uint8_t>(duration >> 8), static_cast<std::uint8_t>(duration)};
}

// ---- RtpSender and pump ----

void RtpSender::audio(std::uint8_t payloadType, std::vector<std::uint8_t> payload) {
  const auto samples = static_cast<std::uint32_t>(payload.size());
  peer_.sendRtp(toPort_, Packet{payloadType, frames_ == 0, sequence_++, timestamp_, ssrc_,
                                std::move(payload)});
  timestamp_ += samples;
  ++frames_;
}

void RtpSender::keyPress(std::uint8_t payloadType, std::uint8_t event) {
  for (std::uint16_t step = 1; step <= 3; ++step) {
    peer_.sendRtp(toPort_,
                  Packet{payloadType, step == 1, sequence_++, timestamp_, ssrc_,
                         eventPayload(event, false, static_cast<std::uint16_t>(160 * step))});
  }
  for (int copy = 0; copy < 3; ++copy) {
    peer_.sendRtp(toPort_, Packet{payloadType, false, sequence_++, timestamp_, ssrc_,
                                  eventPayload(event, true, 640)});
  }
  timestamp_ += 800;
}

std::vector<Packet> pump(RtpSender& sender, std::uint8_t payloadType,
                         const std::function<std::vector<std::uint8_t>(int)>& frame,
                         UdpPeer& receiver, std::size_t count,
                         const std::function<bool(const Packet&)>& keep) {
  std::vector<Packet> kept;
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  for (int i = 0; kept.size() < count && std::chrono::steady_clock::now() < deadline; ++i) {
    sender.audio(payloadType, frame(i));
    auto wait = 20ms;
    while (kept.size() < count) {
      std::optional<Packet> packet = receiver.receive(wait);
      if (!packet) {
        break;
      }
      if (!keep || keep(*packet)) {
        kept.push_back(std::move(*packet));
      }
      wait = 0ms;  // take what else is queued, then send again
    }
  }
  return kept;
}

// ---- MediaTest ----

void MediaTest::startServer(MediaOptions options) {
  server_.reset();
  MediaCallbacks callbacks;
  callbacks.onDigit = [this](EndpointId ep, char digit) {
    std::lock_guard lock(mutex_);
    digits_.emplace_back(ep, digit);
  };
  callbacks.onPlayed = [this](EndpointId ep) {
    std::lock_guard lock(mutex_);
    played_.push_back(ep);
  };
  auto started = MediaServer::start(std::move(options), std::move(callbacks));
  ASSERT_TRUE(started.has_value()) << started.error().message;
  server_ = std::move(*started);
}

void MediaTest::TearDown() { server_.reset(); }

std::pair<EndpointId, std::uint16_t> MediaTest::open(EndpointId near) {
  auto opened = server_->open(near);
  EXPECT_TRUE(opened.has_value()) << opened.error().message;
  return opened.value_or(std::pair<EndpointId, std::uint16_t>{0, 0});
}

void MediaTest::syncThread(EndpointId near) {
  UdpPeer probe;
  const auto [ep, port] = open(near);
  server_->setRemote(ep, probe.remote(Codec::kPcmu));
  server_->play(ep, server_->ringback());
  EXPECT_TRUE(probe.receive(kPatience).has_value()) << "the media thread did not answer";
  server_->close(ep);
}

std::vector<std::pair<EndpointId, char>> MediaTest::digits() {
  std::lock_guard lock(mutex_);
  return digits_;
}

std::vector<EndpointId> MediaTest::played() {
  std::lock_guard lock(mutex_);
  return played_;
}

bool MediaTest::waitForDigits(std::size_t count) {
  return waitFor([&] { return digits().size() >= count; });
}

bool MediaTest::waitForPlayed(EndpointId ep) {
  return waitFor([&] {
    const std::vector<EndpointId> all = played();
    return std::find(all.begin(), all.end(), ep) != all.end();
  });
}

}  // namespace callq::media::testing
