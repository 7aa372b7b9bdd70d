// What the SIP layer needs from media, as an interface: app/ connects it to media::MediaServer
// (adapters never include each other). Called on the SIP thread; must not block.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "common/result.h"

namespace callq::sip {

enum class Sound : std::uint8_t { kConfirmation, kRefusal };

class MediaPort {
 public:
  virtual ~MediaPort() = default;
  // A new RTP endpoint (id, local port); `near`: an endpoint to share a media thread with.
  virtual Result<std::pair<std::uint32_t, std::uint16_t>> open(std::uint32_t near) = 0;
  // The peer's RTP address; codec 0 PCMU / 8 PCMA; telephoneEvent -1 for none; onHold: send
  // nothing.
  virtual void setRemote(std::uint32_t ep, const std::string& address, std::uint16_t port,
                         int codec, int telephoneEvent, bool onHold) = 0;
  // Hold audio of a queue (its index in the configuration): ringback or its music class.
  virtual void playHold(std::uint32_t ep, std::uint32_t queue) = 0;
  // The ringback tone (a caller sent on to an agent's extension hears the phones ring).
  virtual void playRingback(std::uint32_t ep) = 0;
  // Plays once; then the SIP layer's onPlayed(ep) is called on the SIP thread.
  virtual void playOnce(std::uint32_t ep, Sound sound) = 0;
  virtual void bridge(std::uint32_t a, std::uint32_t b) = 0;
  virtual void close(std::uint32_t ep) = 0;
};

}  // namespace callq::sip
