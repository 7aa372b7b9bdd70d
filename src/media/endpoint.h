// Endpoint: one RTP port of one call leg, and PlayList: the endpoints of a media thread that are
// playing audio.
//
// Threads: an Endpoint lives on one media thread (its IoThread). It is created and bound on the
// signalling thread, then every method but stats() runs on its media thread, posted there by
// MediaServer. A bridge between endpoints of two different threads works: each side keeps its own
// state and a relayed packet crosses over as a copy posted to the other thread (one allocation per
// packet; MediaServer::open's `near` avoids it). The MediaServer keeps each endpoint alive (a
// shared_ptr) until close() has run on its thread.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "media/audio.h"
#include "media/io.h"
#include "media/media_server.h"
#include "media/out_stream.h"
#include "media/rtp.h"

namespace callq::media::internal {

class PlayList;

// What an endpoint needs from its surroundings; all of it outlives the endpoint's use.
struct EndpointContext {
  EndpointId id = 0;
  IoThread* thread = nullptr;
  PlayList* playList = nullptr;  // of that thread
  const MediaCallbacks* callbacks = nullptr;
};

// What a received packet carries, for the bridged peer to send on.
enum class PayloadKind : std::uint8_t { kPcmu, kPcma, kEvent, kOther };

struct RelayedPacket {
  PayloadKind kind = PayloadKind::kOther;
  OutStream::Source source;
  const std::uint8_t* payload = nullptr;
  std::size_t size = 0;
};

class Endpoint : public std::enable_shared_from_this<Endpoint> {
 public:
  Endpoint(EndpointContext context, std::unique_ptr<UdpSocket> socket, OutStream::Seed seed);

  void start();  // starts receiving
  void setRemote(const RemoteMedia& remote);
  void play(std::shared_ptr<const AudioClip> clip, bool loop);
  void stop();
  void bridgeTo(std::shared_ptr<Endpoint> peer);  // this side only; the server tells the other
  void unbridge();                                // this side only
  void close();                                   // stops all; closes the socket
  // After the media threads stopped (MediaServer's destructor): drop references and the socket.
  void shutdown();

  // The PlayList's 20 ms tick: sends the next frame of the clip. False once the clip is over
  // (or gone), and the endpoint is then no longer playing.
  bool playFrame(SteadyTime now);

  EndpointStats stats() const;  // any thread
  IoThread* thread() const { return context_.thread; }

 private:
  friend class PlayList;
  static constexpr std::size_t kNotPlaying = static_cast<std::size_t>(-1);
  static constexpr std::size_t kMaxPacket = 1500;

  const NetAddress& destination() const { return latched_ ? latchedSource_ : remote_; }
  bool acceptSource(const NetAddress& from);
  void onPacket(const std::uint8_t* data, std::size_t size, const NetAddress& from);
  PayloadKind classify(std::uint8_t payloadType) const;
  void detectDigit(const RtpView& rtp);
  void forward(const RtpView& rtp, PayloadKind kind);
  void relayIn(const Endpoint* from, const RelayedPacket& packet, SteadyTime now);
  void send(std::size_t size);
  void stopPlaying();

  EndpointContext context_;
  std::unique_ptr<UdpSocket> socket_;
  OutStream stream_;

  // The far end, from setRemote, and the source it latched to.
  NetAddress remote_;
  bool sending_ = false;  // a remote is set and it is not on hold
  Codec codec_ = Codec::kPcmu;
  int telephoneEvent_ = -1;
  bool latched_ = false;
  NetAddress latchedSource_;

  // RFC 4733: the timestamp of the last event whose end was reported.
  bool reportedAnyEvent_ = false;
  std::uint32_t lastEventTimestamp_ = 0;

  std::shared_ptr<const AudioClip> clip_;  // playing when set
  std::size_t position_ = 0;               // of the next frame in the clip
  bool loop_ = false;
  std::size_t playSlot_ = kNotPlaying;  // index in the PlayList

  std::shared_ptr<Endpoint> peer_;  // bridged to; each side holds the other until unbridged

  std::array<std::uint8_t, kMaxPacket> packet_{};  // the outgoing packet being built

  std::atomic<std::uint64_t> packetsIn_{0};
  std::atomic<std::uint64_t> packetsOut_{0};
  std::atomic<std::uint64_t> relayed_{0};
};

// The playing endpoints of one media thread, sent a frame each on the thread's 20 ms tick (one
// timer per thread, not one per endpoint). Used on that thread only. The ticker runs only while
// something plays.
class PlayList {
 public:
  explicit PlayList(IoThread& thread);

  void add(Endpoint* endpoint);     // no-op if already in
  void remove(Endpoint* endpoint);  // no-op if not in

 private:
  bool tick(SteadyTime now);
  void removeAt(std::size_t slot);

  IoThread& thread_;
  std::vector<Endpoint*> playing_;
};

}  // namespace callq::media::internal
