// OutStream: the numbering of one endpoint's outgoing RTP stream.
//
// Everything an endpoint sends, frames of its own audio (play) and packets relayed from its bridged
// peer alike, goes out as ONE stream: one random SSRC, sequence numbers +1 per packet, timestamps
// that keep time at 8 kHz. At each switch of source (a play starts, a bridge starts, the peer's
// stream restarts, the output was silent) the next packet carries the marker bit and its timestamp
// is re-based: the last timestamp plus the time elapsed since it was sent (at least the last
// packet's duration), so the receiver sees a new talkspurt, never a jump back. Relayed packets keep
// the spacing of the source's timestamps (the packets of one RFC 4733 event share a timestamp)
// through an offset fixed at the switch.
//
// Pure: the time is an argument. Owned by one endpoint and used on its media thread only.
#pragma once

#include <chrono>
#include <cstdint>

namespace callq::media::internal {

class OutStream {
 public:
  using Clock = std::chrono::steady_clock;

  struct Seed {  // random per endpoint (RFC 3550 section 5.1)
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
  };

  // The header fields of a packet received from the peer, as relevant to relaying it.
  struct Source {
    bool marker = false;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
  };

  explicit OutStream(Seed seed);

  // The source of the stream changes: the next packet is marked and its timestamp re-based.
  void interrupt();

  // Write the 12-byte RTP header of the next packet at `out`. `samples` is the audio the packet
  // carries (0 for a telephone event, which does not advance the clock).
  void writeOwn(std::uint8_t* out, std::uint8_t payloadType, std::uint32_t samples,
                Clock::time_point now);
  void writeRelayed(std::uint8_t* out, std::uint8_t payloadType, const Source& source,
                    std::uint32_t samples, Clock::time_point now);

 private:
  enum class Mode : std::uint8_t { kSwitched, kOwn, kRelay };

  std::uint32_t rebasedTimestamp(Clock::time_point now) const;
  void emit(std::uint8_t* out, std::uint8_t payloadType, bool marker, std::uint32_t timestamp,
            std::uint32_t samples, Clock::time_point now);

  std::uint32_t ssrc_;
  std::uint16_t sequence_;        // of the next packet
  std::uint32_t firstTimestamp_;  // of the first packet ever sent
  bool sentAny_ = false;
  Mode mode_ = Mode::kSwitched;
  std::uint32_t lastTimestamp_ = 0;  // of the last audio packet
  std::uint32_t lastSamples_ = 0;    // its duration
  Clock::time_point lastSent_{};
  std::uint32_t relayOffset_ = 0;  // our timestamp - the source's, fixed at the switch
  std::uint32_t relaySsrc_ = 0;
  std::uint32_t relayLastSource_ = 0;  // the source timestamp of the last relayed packet
};

}  // namespace callq::media::internal
