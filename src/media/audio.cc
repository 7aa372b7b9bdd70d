// Tone generation and encoding of the built-in sounds.
#include "media/audio.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "media/g711.h"

namespace callq::media::internal {
namespace {

// About -12 dBm0: clearly audible, well below clipping (a full-scale sine is +3 dBm0).
constexpr double kToneAmplitude = 6000.0;
constexpr int kRampSamples = 40;  // 5 ms fade in and out, so tones start and stop without a click

// One tone burst: `freq` Hz for `ms` milliseconds, appended to `samples`.
void appendTone(std::vector<std::int16_t>& samples, double freq, int ms) {
  const int count = ms * kSampleRate / 1000;
  for (int i = 0; i < count; ++i) {
    const int edge = std::min(i, count - 1 - i);
    const double gain = edge < kRampSamples ? static_cast<double>(edge) / kRampSamples : 1.0;
    const double phase = 2.0 * std::numbers::pi * freq * i / kSampleRate;
    samples.push_back(
        static_cast<std::int16_t>(std::lround(kToneAmplitude * gain * std::sin(phase))));
  }
}

void appendSilence(std::vector<std::int16_t>& samples, int ms) {
  samples.insert(samples.end(), static_cast<std::size_t>(ms * kSampleRate / 1000), 0);
}

}  // namespace

AudioClip encodeClip(const std::vector<std::int16_t>& samples) {
  const std::size_t frames =
      std::max<std::size_t>(1, (samples.size() + kFrameSamples - 1) / kFrameSamples);
  AudioClip clip;
  clip.pcmu.resize(frames * kFrameSamples);
  clip.pcma.resize(frames * kFrameSamples);
  for (std::size_t i = 0; i < clip.pcmu.size(); ++i) {
    const std::int16_t sample = i < samples.size() ? samples[i] : 0;
    clip.pcmu[i] = encodeSample(Codec::kPcmu, sample);
    clip.pcma[i] = encodeSample(Codec::kPcma, sample);
  }
  return clip;
}

AudioClip makeRingback() {
  std::vector<std::int16_t> samples;
  appendTone(samples, 425.0, 1000);
  appendSilence(samples, 4000);
  return encodeClip(samples);
}

AudioClip makeConfirmation() {
  std::vector<std::int16_t> samples;
  for (int beep = 0; beep < 3; ++beep) {
    appendTone(samples, 880.0, 150);
    appendSilence(samples, 150);
  }
  appendSilence(samples, 2000 - 3 * 300);
  return encodeClip(samples);
}

AudioClip makeRefusal() {
  std::vector<std::int16_t> samples;
  appendTone(samples, 330.0, 600);
  appendSilence(samples, 200);
  appendTone(samples, 330.0, 600);
  appendSilence(samples, 2000 - 1400);
  return encodeClip(samples);
}

}  // namespace callq::media::internal
