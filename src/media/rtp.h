// RTP (RFC 3550) headers and RFC 4733 telephone events, read from and written to raw bytes.
// Pure functions: no I/O, no allocation; safe on any thread. Malformed input is rejected, never
// read past its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace callq::media::internal {

inline constexpr std::size_t kRtpHeaderSize = 12;  // what we write: no CSRC, no extension

struct RtpHeader {
  std::uint8_t payloadType = 0;
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
};

// A received packet: its header and its payload (CSRCs, header extension and padding removed).
// `payload` points into the buffer that was parsed.
struct RtpView {
  RtpHeader header;
  const std::uint8_t* payload = nullptr;
  std::size_t payloadSize = 0;
};

// nullopt unless `data` is a well-formed RTP version 2 packet.
std::optional<RtpView> parseRtp(const std::uint8_t* data, std::size_t size);

// Writes the 12-byte header (version 2, no padding, no extension, no CSRC) at `out`.
void writeRtpHeader(std::uint8_t* out, const RtpHeader& header);

// The payload of an RFC 4733 telephone-event packet.
struct TelephoneEvent {
  std::uint8_t event = 0;  // 0-9, 10 '*', 11 '#', 12-15 'A'-'D', others not DTMF
  bool end = false;
  std::uint8_t volume = 0;
  std::uint16_t duration = 0;  // timestamp units since the event began
};

// nullopt when the payload is shorter than the 4 bytes of an event.
std::optional<TelephoneEvent> parseTelephoneEvent(const std::uint8_t* payload, std::size_t size);

// The DTMF key of an event code ('0'-'9', '*', '#', 'A'-'D'), or '\0' for other events.
char dtmfDigit(std::uint8_t event);

}  // namespace callq::media::internal
