// The pure pieces on raw bytes: RTP and RFC 4733 parsing, header writing, G.711 transcoding.
#include "media/rtp.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "media/g711.h"

namespace callq::media::internal {
namespace {

TEST(Rtp, WritesAndParsesAHeader) {
  std::vector<std::uint8_t> packet(kRtpHeaderSize + 3, 0xab);
  writeRtpHeader(packet.data(), RtpHeader{96, true, 0xfffe, 0x80000001, 0xdeadbeef});
  const std::optional<RtpView> view = parseRtp(packet.data(), packet.size());
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(packet[0], 0x80);
  EXPECT_EQ(view->header.payloadType, 96);
  EXPECT_TRUE(view->header.marker);
  EXPECT_EQ(view->header.sequence, 0xfffe);
  EXPECT_EQ(view->header.timestamp, 0x80000001u);
  EXPECT_EQ(view->header.ssrc, 0xdeadbeefu);
  EXPECT_EQ(view->payload, packet.data() + kRtpHeaderSize);
  EXPECT_EQ(view->payloadSize, 3u);
}

TEST(Rtp, SkipsCsrcsExtensionAndPadding) {
  // 2 CSRCs, an extension of 1 word, 4 bytes of payload, 3 bytes of padding.
  std::vector<std::uint8_t> packet = {0xb2, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,  // header
                                      1,    1,    1, 1, 2, 2, 2, 2,              // CSRCs
                                      0xbe, 0xde, 0, 1, 9, 9, 9, 9,              // extension
                                      7,    7,    7, 7,                          // payload
                                      0,    0,    3};                            // padding
  const std::optional<RtpView> view = parseRtp(packet.data(), packet.size());
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->payloadSize, 4u);
  EXPECT_EQ(view->payload[0], 7);
  EXPECT_EQ(view->payload[3], 7);
}

TEST(Rtp, RejectsMalformedPackets) {
  std::vector<std::uint8_t> packet(kRtpHeaderSize, 0);
  packet[0] = 0x80;
  EXPECT_TRUE(parseRtp(packet.data(), packet.size()).has_value());       // empty payload is fine
  EXPECT_FALSE(parseRtp(packet.data(), packet.size() - 1).has_value());  // short
  packet[0] = 0x40;
  EXPECT_FALSE(parseRtp(packet.data(), packet.size()).has_value());  // version 1
  packet[0] = 0x81;
  EXPECT_FALSE(parseRtp(packet.data(), packet.size()).has_value());  // CSRC past the end
  packet[0] = 0x90;
  EXPECT_FALSE(parseRtp(packet.data(), packet.size()).has_value());  // extension past the end
  packet = std::vector<std::uint8_t>(kRtpHeaderSize + 2, 0);
  packet[0] = 0xa0;
  packet.back() = 5;
  EXPECT_FALSE(parseRtp(packet.data(), packet.size()).has_value());  // padding past the start
  packet.back() = 0;
  EXPECT_FALSE(parseRtp(packet.data(), packet.size()).has_value());  // padding of 0
}

TEST(TelephoneEvent, ParsesEventEndVolumeAndDuration) {
  const std::uint8_t payload[] = {11, 0x8a, 0x03, 0x20};
  const std::optional<TelephoneEvent> event = parseTelephoneEvent(payload, sizeof payload);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->event, 11);
  EXPECT_TRUE(event->end);
  EXPECT_EQ(event->volume, 10);
  EXPECT_EQ(event->duration, 800);
  EXPECT_FALSE(parseTelephoneEvent(payload, 3).has_value());
}

TEST(TelephoneEvent, MapsEventCodesToDtmfKeys) {
  EXPECT_EQ(dtmfDigit(0), '0');
  EXPECT_EQ(dtmfDigit(9), '9');
  EXPECT_EQ(dtmfDigit(10), '*');
  EXPECT_EQ(dtmfDigit(11), '#');
  EXPECT_EQ(dtmfDigit(12), 'A');
  EXPECT_EQ(dtmfDigit(15), 'D');
  EXPECT_EQ(dtmfDigit(16), '\0');  // flash
  EXPECT_EQ(dtmfDigit(255), '\0');
}

TEST(G711, TranscodingKeepsTheSignal) {
  for (int value = -32000; value <= 32000; value += 250) {
    const auto linear = static_cast<std::int16_t>(value);
    const std::uint8_t ulaw = encodeSample(Codec::kPcmu, linear);
    std::uint8_t alaw = 0;
    transcode(&ulaw, 1, Codec::kPcmu, Codec::kPcma, &alaw);
    const int viaAlaw = decodeSample(Codec::kPcma, alaw);
    // Both laws keep about 4 bits of mantissa: a few percent, plus a small step near zero.
    EXPECT_LE(std::abs(viaAlaw - value), std::abs(value) / 16 + 40) << value;
    std::uint8_t back = 0;
    transcode(&alaw, 1, Codec::kPcma, Codec::kPcmu, &back);
    EXPECT_LE(std::abs(decodeSample(Codec::kPcmu, back) - value), std::abs(value) / 16 + 40);
  }
}

TEST(G711, SameCodecIsACopy) {
  const std::vector<std::uint8_t> in = {1, 2, 3, 250};
  std::vector<std::uint8_t> out(4);
  transcode(in.data(), in.size(), Codec::kPcma, Codec::kPcma, out.data());
  EXPECT_EQ(out, in);
}

}  // namespace
}  // namespace callq::media::internal
