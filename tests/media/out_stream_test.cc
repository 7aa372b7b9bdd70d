// OutStream on its own, with explicit times: one SSRC, consecutive sequence numbers, timestamps
// that keep time across switches between our audio and relayed audio, markers at the switches.
#include "media/out_stream.h"

#include <gtest/gtest.h>

#include <array>

#include "media/rtp.h"

namespace callq::media::internal {
namespace {

using namespace std::chrono_literals;

const OutStream::Clock::time_point kT0{std::chrono::seconds(1000)};

RtpHeader own(OutStream& stream, OutStream::Clock::time_point now) {
  std::array<std::uint8_t, kRtpHeaderSize> bytes{};
  stream.writeOwn(bytes.data(), 0, 160, now);
  return parseRtp(bytes.data(), bytes.size())->header;
}

RtpHeader relayed(OutStream& stream, OutStream::Source source, std::uint32_t samples,
                  OutStream::Clock::time_point now) {
  std::array<std::uint8_t, kRtpHeaderSize> bytes{};
  stream.writeRelayed(bytes.data(), 8, source, samples, now);
  return parseRtp(bytes.data(), bytes.size())->header;
}

TEST(OutStream, OwnFramesAdvanceByAFrameAndOnlyTheFirstIsMarked) {
  OutStream stream({0x1234, 65534, 1000});
  const RtpHeader first = own(stream, kT0);
  const RtpHeader second = own(stream, kT0 + 20ms);
  const RtpHeader third = own(stream, kT0 + 40ms);
  EXPECT_EQ(first.ssrc, 0x1234u);
  EXPECT_EQ(first.sequence, 65534);
  EXPECT_EQ(second.sequence, 65535);
  EXPECT_EQ(third.sequence, 0);  // wraps
  EXPECT_EQ(first.timestamp, 1000u);
  EXPECT_EQ(second.timestamp, 1160u);
  EXPECT_EQ(third.timestamp, 1320u);
  EXPECT_TRUE(first.marker);
  EXPECT_FALSE(second.marker);
  EXPECT_FALSE(third.marker);
}

TEST(OutStream, RelayContinuesTheStreamAndKeepsTheSourceSpacing) {
  OutStream stream({7, 10, 1000});
  own(stream, kT0);
  own(stream, kT0 + 20ms);  // timestamp 1160
  stream.interrupt();
  // 5 ms later: less than a frame elapsed, so the next timestamp is one frame on.
  const RtpHeader switched = relayed(stream, {false, 50000, 99}, 160, kT0 + 25ms);
  EXPECT_TRUE(switched.marker);
  EXPECT_EQ(switched.sequence, 12);
  EXPECT_EQ(switched.timestamp, 1320u);
  const RtpHeader next = relayed(stream, {false, 50160, 99}, 160, kT0 + 45ms);
  EXPECT_FALSE(next.marker);
  EXPECT_EQ(next.timestamp, 1480u);
  // An event: its packets share the source's timestamp, and the source's marker is passed on.
  const RtpHeader eventStart = relayed(stream, {true, 50320, 99}, 0, kT0 + 65ms);
  const RtpHeader eventEnd = relayed(stream, {false, 50320, 99}, 0, kT0 + 85ms);
  EXPECT_TRUE(eventStart.marker);
  EXPECT_FALSE(eventEnd.marker);
  EXPECT_EQ(eventStart.timestamp, 1640u);
  EXPECT_EQ(eventEnd.timestamp, 1640u);
  EXPECT_EQ(eventEnd.sequence, 15);
}

TEST(OutStream, ANewSourceStreamIsASwitch) {
  OutStream stream({7, 0, 0});
  relayed(stream, {false, 100, 1}, 160, kT0);
  relayed(stream, {false, 260, 1}, 160, kT0 + 20ms);  // timestamp 160
  const RtpHeader restarted = relayed(stream, {false, 9, 2}, 160, kT0 + 40ms);
  EXPECT_TRUE(restarted.marker);
  EXPECT_EQ(restarted.timestamp, 320u);
  const RtpHeader jumped = relayed(stream, {false, 9 + 160 + 8000 * 60, 2}, 160, kT0 + 60ms);
  EXPECT_TRUE(jumped.marker);  // the same SSRC, but a minute ahead: re-based too
  EXPECT_EQ(jumped.timestamp, 480u);
}

TEST(OutStream, AfterSilenceTheTimestampMovesOnByTheTimeElapsed) {
  OutStream stream({7, 0, 1000});
  own(stream, kT0);
  stream.interrupt();
  const RtpHeader later = own(stream, kT0 + 3s);
  EXPECT_TRUE(later.marker);
  EXPECT_EQ(later.timestamp, 1000u + 3 * 8000);
  EXPECT_EQ(later.sequence, 1);  // no gap in sequence numbers for the silence
}

}  // namespace
}  // namespace callq::media::internal
