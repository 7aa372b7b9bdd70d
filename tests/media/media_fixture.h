// Helpers for the media tests: real UDP sockets on 127.0.0.1 as the far ends of call legs, RTP
// packets and RFC 4733 events to send them, G.711 sines, a Goertzel filter to check the tone that
// comes back, and a fixture that runs a MediaServer and records its callbacks.
//
// Commands to a MediaServer take effect shortly after they return, on a media thread, so the
// tests keep sending and poll for the outcome with generous timeouts; they never assert on timing.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "media/media_server.h"

namespace callq::media::testing {

using namespace std::chrono_literals;

inline constexpr auto kPatience = std::chrono::seconds(20);  // for a loaded 2-core machine

struct Packet {
  std::uint8_t payloadType = 0;
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::vector<std::uint8_t> payload;
};

// A UDP socket bound to an ephemeral port of 127.0.0.1: a phone's RTP port.
class UdpPeer {
 public:
  UdpPeer();
  ~UdpPeer();
  UdpPeer(const UdpPeer&) = delete;
  UdpPeer& operator=(const UdpPeer&) = delete;

  std::uint16_t port() const { return port_; }
  RemoteMedia remote(Codec codec, int telephoneEvent = -1) const {
    return RemoteMedia{"127.0.0.1", port_, codec, telephoneEvent};
  }

  void sendRtp(std::uint16_t toPort, const Packet& packet);
  // The next RTP packet received, or nullopt after `timeout`.
  std::optional<Packet> receive(std::chrono::milliseconds timeout);
  // Packets received until there are `count` of them or kPatience has passed.
  std::vector<Packet> receiveCount(std::size_t count);
  // How many datagrams are queued right now (read and discarded).
  std::size_t drain();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Polls `condition` every 5 ms until it holds or `timeout` passes; returns its last value.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout = kPatience);

// Frame `index` (160 samples) of a continuous sine of `freq` Hz, encoded in `codec`.
std::vector<std::uint8_t> sineFrame(Codec codec, double freq, int index);
// The linear samples of packets' G.711 payloads.
std::vector<std::int16_t> decode(Codec codec, const std::vector<Packet>& packets);
// The power of `freq` in 8 kHz samples (Goertzel).
double tonePower(const std::vector<std::int16_t>& samples, double freq);
// True when `freq` is at least 20 times (13 dB) stronger than each of `others`.
bool dominates(const std::vector<std::int16_t>& samples, double freq,
               const std::vector<double>& others);

// An RFC 4733 payload.
std::vector<std::uint8_t> eventPayload(std::uint8_t event, bool end, std::uint16_t duration);

// The far end of a leg: sends a stream of RTP (consecutive sequence and timestamps, one SSRC).
class RtpSender {
 public:
  RtpSender(UdpPeer& peer, std::uint16_t toPort, std::uint32_t ssrc)
      : peer_(peer), toPort_(toPort), ssrc_(ssrc) {}
  void audio(std::uint8_t payloadType, std::vector<std::uint8_t> payload);
  // A whole key press: 3 packets growing in duration, then the end packet 3 times (RFC 4733).
  void keyPress(std::uint8_t payloadType, std::uint8_t event);
  int framesSent() const { return frames_; }

 private:
  UdpPeer& peer_;
  std::uint16_t toPort_;
  std::uint32_t ssrc_;
  std::uint16_t sequence_ = 100;
  std::uint32_t timestamp_ = 5000;
  int frames_ = 0;
};

// Sends frames (`frame(i)` for i = 0, 1, ...) from `sender` until `receiver` has received `count`
// packets matching `keep`, pacing itself on the receiver (each send waits up to 20 ms for a
// packet); returns the kept packets. Packets sent before a bridge takes effect are simply lost.
std::vector<Packet> pump(RtpSender& sender, std::uint8_t payloadType,
                         const std::function<std::vector<std::uint8_t>(int)>& frame,
                         UdpPeer& receiver, std::size_t count,
                         const std::function<bool(const Packet&)>& keep = nullptr);

class MediaTest : public ::testing::Test {
 protected:
  void SetUp() override { startServer(MediaOptions{"127.0.0.1", 40000, 40999, 1}); }
  void TearDown() override;

  void startServer(MediaOptions options);
  std::pair<EndpointId, std::uint16_t> open(EndpointId near = 0);
  // Returns once every command given so far to `near`'s media thread has been carried out: a
  // probe endpoint on that thread is told to play, and its first packet is awaited.
  void syncThread(EndpointId near);

  std::vector<std::pair<EndpointId, char>> digits();
  std::vector<EndpointId> played();
  bool waitForDigits(std::size_t count);
  bool waitForPlayed(EndpointId ep);

  std::unique_ptr<MediaServer> server_;

 private:
  std::mutex mutex_;
  std::vector<std::pair<EndpointId, char>> digits_;
  std::vector<EndpointId> played_;
};

}  // namespace callq::media::testing
