// MediaServer: callq's RTP media. It owns the UDP ports of every call leg, relays audio between the
// two legs of a bridged call, plays hold audio and prompts, and reports RFC 4733 DTMF digits.
//
// Threads: start() runs `threads` media threads, each with its own event loop; an endpoint lives
// on one of them for its whole life, and every packet it receives or sends is handled there. All
// public methods are thread-safe (meant for the signalling thread) and never wait for I/O: they
// post a command to the endpoint's thread and return, so their effect follows shortly after, in
// the order they were called. The callbacks run on media threads; they must be quick and must
// not call back into the MediaServer synchronously expecting the effect to be visible already.
//
// Media: G.711 only (PCMU and PCMA, 20 ms frames), RFC 4733 telephone events. No RTCP is sent or
// read (only even ports are used, so port + 1 stays free for it). Outgoing RTP of an endpoint is
// one stream (one SSRC, consecutive sequence numbers, continuous timestamps) whatever feeds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "common/result.h"

namespace callq::media {

enum class Codec : std::uint8_t { kPcmu = 0, kPcma = 8 };  // RTP payload types

// Where and how the far end wants audio (from its SDP).
struct RemoteMedia {
  std::string address;  // numeric IPv4 or IPv6; "0.0.0.0" (or port 0) puts the endpoint on hold
  std::uint16_t port = 0;
  Codec codec = Codec::kPcmu;
  int telephoneEvent = -1;  // RFC 4733 payload type, or -1 when the far end has none
};

using EndpointId = std::uint32_t;  // 0 is never a valid id

struct AudioId {
  std::uint32_t value = 0;  // 0 is no audio
};

struct MediaOptions {
  std::string address = "127.0.0.1";               // local address RTP sockets bind to
  std::uint16_t portMin = 20000, portMax = 29999;  // even ports used for RTP
  int threads = 1;  // media threads (io_context each); an endpoint lives on one
};

// Both run on a media thread, so they must be quick; an exception thrown from one is swallowed.
struct MediaCallbacks {
  // Called on a media thread: an RFC 4733 digit ('0'-'9','*','#','A'-'D') ended on `ep`. Once per
  // key press (the retransmitted end packets are recognised by their RTP timestamp). Only packets
  // of the telephone-event payload type given to setRemote are read as events.
  std::function<void(EndpointId ep, char digit)> onDigit;
  // Called on a media thread when a playOnce() prompt has finished (not when it was cut short by
  // stop, play, bridge or close).
  std::function<void(EndpointId ep)> onPlayed;
};

struct EndpointStats {
  std::uint64_t packetsIn = 0;   // RTP packets accepted from the far end
  std::uint64_t packetsOut = 0;  // RTP packets sent to the far end (played or relayed)
  std::uint64_t relayed = 0;     // packets of packetsIn passed on to the bridged endpoint
};

class MediaServer {
 public:
  // Errors: kInvalidArgument for bad options (no even port in the range, an address that is not
  // numeric, threads < 1).
  static Result<std::unique_ptr<MediaServer>> start(MediaOptions options, MediaCallbacks callbacks);
  ~MediaServer();  // stops the threads, closes every socket
  MediaServer(const MediaServer&) = delete;
  MediaServer& operator=(const MediaServer&) = delete;

  // Opens a UDP RTP socket on a free even port of the range (ports are handed out in rotation, so
  // a port just closed is the last to be reused). `near`: put it on the same media thread as that
  // endpoint (the agent leg of a caller: a bridge between legs on one thread costs no hand-over);
  // otherwise on the least loaded thread. Error (kIo) when no port of the range can be bound.
  Result<std::pair<EndpointId, std::uint16_t>> open(EndpointId near = 0);

  // Where to send (also on re-INVITE). Until the first call, and while on hold (address 0.0.0.0 or
  // port 0), the endpoint sends nothing but still receives. Symmetric RTP: the endpoint latches to
  // the source of the first packet it receives and sends there instead if it differs; packets from
  // other sources are then ignored. A new address or port here starts a new latch.
  void setRemote(EndpointId ep, const RemoteMedia& remote);

  // Loops the audio to the far end, one 20 ms frame at a time, until stop, bridge or another play.
  // Playing ends a bridge the endpoint is in (its peer falls silent).
  void play(EndpointId ep, AudioId audio);
  // Plays the audio once, then calls onPlayed (also when on hold: the prompt still takes its time).
  void playOnce(EndpointId ep, AudioId audio);
  // Stops playing: silence (nothing is sent). A bridge is left as it is.
  void stop(EndpointId ep);
  // Relays RTP both ways between a and b, ending any play on both and any other bridge either was
  // in. PCMU and PCMA are converted when the two far ends differ; telephone events are passed on
  // with the other side's payload type, or dropped when it has none.
  void bridge(EndpointId a, EndpointId b);
  // Ends a's bridge: both fall silent.
  void unbridge(EndpointId a);
  // Closes the socket and frees the port (shortly after: see openEndpoints). Ends its bridge (the
  // peer falls silent) and any play, without onPlayed. Idempotent; an unknown id is ignored.
  void close(EndpointId ep);

  // Zeros for an unknown id.
  EndpointStats stats(EndpointId ep) const;
  // Endpoints whose port is held: open ones, plus closed ones whose socket is not closed yet on
  // their media thread. For leak checks.
  std::size_t openEndpoints() const;

  // Audio, prepared at start-up and shared by every endpoint (pre-encoded in both codecs).
  // loadFile reads and converts the whole file on the calling thread: call it at start-up.
  // WAV/FLAC/OGG (anything libsndfile reads), any rate and channels -> 8 kHz mono; kIo with the
  // file name and the reason when it cannot be read.
  Result<AudioId> loadFile(const std::string& path);
  AudioId ringback();      // ringback tone: 425 Hz, 1 s on / 4 s off (ETSI), generated
  AudioId confirmation();  // ~2 s: three short beeps, for "you are logged in/out"
  AudioId refusal();       // ~2 s: a low "error" tone, for a code that does not exist

 private:
  struct Impl;  // media_server.cc

  explicit MediaServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace callq::media
