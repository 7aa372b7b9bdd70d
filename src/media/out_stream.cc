#include "media/out_stream.h"

#include <algorithm>

#include "media/audio.h"
#include "media/rtp.h"

namespace callq::media::internal {
namespace {

constexpr auto kFrame = static_cast<std::uint32_t>(kFrameSamples);
// A source timestamp that moves more than this (5 s) is a restarted stream, not a gap.
constexpr std::int64_t kMaxSourceJump = 5 * kSampleRate;

}  // namespace

OutStream::OutStream(Seed seed)
    : ssrc_(seed.ssrc), sequence_(seed.sequence), firstTimestamp_(seed.timestamp) {}

void OutStream::interrupt() { mode_ = Mode::kSwitched; }

void OutStream::writeOwn(std::uint8_t* out, std::uint8_t payloadType, std::uint32_t samples,
                         Clock::time_point now) {
  const bool switched = mode_ != Mode::kOwn;
  const std::uint32_t timestamp =
      switched ? rebasedTimestamp(now) : lastTimestamp_ + std::max(lastSamples_, kFrame);
  mode_ = Mode::kOwn;
  emit(out, payloadType, switched, timestamp, samples, now);
}

void OutStream::writeRelayed(std::uint8_t* out, std::uint8_t payloadType, const Source& source,
                             std::uint32_t samples, Clock::time_point now) {
  const auto jump = static_cast<std::int32_t>(source.timestamp - relayLastSource_);
  const bool switched = mode_ != Mode::kRelay || source.ssrc != relaySsrc_ ||
                        jump > kMaxSourceJump || jump < -kMaxSourceJump;
  if (switched) {
    relayOffset_ = rebasedTimestamp(now) - source.timestamp;
    relaySsrc_ = source.ssrc;
    mode_ = Mode::kRelay;
  }
  relayLastSource_ = source.timestamp;
  emit(out, payloadType, switched || source.marker, source.timestamp + relayOffset_, samples, now);
}

std::uint32_t OutStream::rebasedTimestamp(Clock::time_point now) const {
  if (!sentAny_) {
    return firstTimestamp_;
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - lastSent_);
  // Clamped: a clock that went backwards gives 0, an idle hour does not overflow.
  const std::int64_t elapsed =
      std::clamp<std::int64_t>(micros.count() * kSampleRate / 1'000'000, 0, 1 << 30);
  return lastTimestamp_ + std::max(static_cast<std::uint32_t>(elapsed), lastSamples_);
}

void OutStream::emit(std::uint8_t* out, std::uint8_t payloadType, bool marker,
                     std::uint32_t timestamp, std::uint32_t samples, Clock::time_point now) {
  writeRtpHeader(out, RtpHeader{payloadType, marker, sequence_++, timestamp, ssrc_});
  // An event's timestamp is where it began; it moves the clock only if it is ahead of the audio.
  if (samples > 0 || !sentAny_ || static_cast<std::int32_t>(timestamp - lastTimestamp_) > 0) {
    lastTimestamp_ = timestamp;
  }
  if (samples > 0) {
    lastSamples_ = samples;
  }
  lastSent_ = now;
  sentAny_ = true;
}

}  // namespace callq::media::internal
