#include "media/rtp.h"

namespace callq::media::internal {
namespace {

std::uint16_t read16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

std::uint32_t read32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void write16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

void write32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::optional<RtpView> parseRtp(const std::uint8_t* data, std::size_t size) {
  if (size < kRtpHeaderSize || (data[0] >> 6) != 2) {
    return std::nullopt;
  }
  const bool padding = (data[0] & 0x20) != 0;
  const bool extension = (data[0] & 0x10) != 0;
  std::size_t start = kRtpHeaderSize + 4 * std::size_t{data[0] & 0x0fu};
  if (extension) {
    if (size < start + 4) {
      return std::nullopt;
    }
    start += 4 + 4 * std::size_t{read16(data + start + 2)};
  }
  if (size < start) {
    return std::nullopt;
  }
  std::size_t end = size;
  if (padding) {
    const std::size_t pad = data[size - 1];
    if (pad == 0 || end - start < pad) {
      return std::nullopt;
    }
    end -= pad;
  }
  RtpView view;
  view.header.marker = (data[1] & 0x80) != 0;
  view.header.payloadType = data[1] & 0x7f;
  view.header.sequence = read16(data + 2);
  view.header.timestamp = read32(data + 4);
  view.header.ssrc = read32(data + 8);
  view.payload = data + start;
  view.payloadSize = end - start;
  return view;
}

void writeRtpHeader(std::uint8_t* out, const RtpHeader& header) {
  out[0] = 0x80;
  out[1] = static_cast<std::uint8_t>((header.marker ? 0x80 : 0x00) | (header.payloadType & 0x7f));
  write16(out + 2, header.sequence);
  write32(out + 4, header.timestamp);
  write32(out + 8, header.ssrc);
}

std::optional<TelephoneEvent> parseTelephoneEvent(const std::uint8_t* payload, std::size_t size) {
  if (size < 4) {
    return std::nullopt;
  }
  TelephoneEvent event;
  event.event = payload[0];
  event.end = (payload[1] & 0x80) != 0;
  event.volume = payload[1] & 0x3f;
  event.duration = read16(payload + 2);
  return event;
}

char dtmfDigit(std::uint8_t event) {
  static constexpr char kDigits[] = "0123456789*#ABCD";
  return event < 16 ? kDigits[event] : '\0';
}

}  // namespace callq::media::internal
