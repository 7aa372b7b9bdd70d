// Loading music and prompts from files: libsndfile decodes, libsamplerate converts to 8 kHz.
// Read in chunks, so a long file costs its 8 kHz result in memory, not its decoded original.
#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "media/audio.h"

namespace callq::media::internal {
namespace {

constexpr sf_count_t kChunkFrames = 4096;
constexpr double kMaxSeconds = 3600;  // music on hold longer than this is a mistake (and ~58 MB)

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
struct ResamplerDeleter {
  void operator()(SRC_STATE* state) const { src_delete(state); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;
using ResamplerPtr = std::unique_ptr<SRC_STATE, ResamplerDeleter>;

tl::unexpected<Error> fileError(const std::string& path, const std::string& why) {
  return makeError(ErrorCode::kIo, "cannot read audio file '" + path + "': " + why);
}

void appendPcm(const float* samples, long count, std::vector<std::int16_t>& out) {
  for (long i = 0; i < count; ++i) {
    const float clamped = std::clamp(samples[i], -1.0f, 1.0f);
    out.push_back(static_cast<std::int16_t>(std::lround(clamped * 32767.0f)));
  }
}

// The average of the channels of `frames` interleaved frames.
void downmix(const std::vector<float>& interleaved, std::size_t frames, std::size_t channels,
             std::vector<float>& mono) {
  mono.assign(frames, 0.0f);
  for (std::size_t frame = 0; frame < frames; ++frame) {
    for (std::size_t channel = 0; channel < channels; ++channel) {
      mono[frame] += interleaved[frame * channels + channel];
    }
    mono[frame] /= static_cast<float>(channels);
  }
}

// The 8 kHz mono conversion of one file: feed() it mono input chunks, the last one with
// `last` set so that the converter's tail comes out too.
class Resampler {
 public:
  Resampler(ResamplerPtr state, double ratio) : state_(std::move(state)), ratio_(ratio) {}

  // 0 or a libsamplerate error code.
  int feed(const std::vector<float>& mono, bool last, std::vector<std::int16_t>& out) {
    SRC_DATA data{};
    data.data_in = mono.data();
    data.input_frames = static_cast<long>(mono.size());
    data.src_ratio = ratio_;
    data.end_of_input = last ? 1 : 0;
    scratch_.resize(static_cast<std::size_t>(static_cast<double>(mono.size()) * ratio_) + 256);
    for (;;) {
      data.data_out = scratch_.data();
      data.output_frames = static_cast<long>(scratch_.size());
      if (const int error = src_process(state_.get(), &data); error != 0) {
        return error;
      }
      appendPcm(scratch_.data(), data.output_frames_gen, out);
      data.data_in += data.input_frames_used;
      data.input_frames -= data.input_frames_used;
      const bool stuck = data.input_frames_used == 0 && data.output_frames_gen == 0;
      if ((data.input_frames == 0 && (!last || data.output_frames_gen == 0)) || stuck) {
        return 0;
      }
    }
  }

 private:
  ResamplerPtr state_;
  double ratio_;
  std::vector<float> scratch_;
};

}  // namespace

Result<AudioClip> loadAudioFile(const std::string& path) {
  SF_INFO info{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) {
    return fileError(path, sf_strerror(nullptr));
  }
  if (info.channels < 1 || info.samplerate < 1) {
    return fileError(path, "no audio channels or no sample rate");
  }
  if (static_cast<double>(info.frames) > kMaxSeconds * info.samplerate) {
    return fileError(path, "longer than an hour");
  }
  int error = 0;
  ResamplerPtr state(src_new(SRC_SINC_MEDIUM_QUALITY, 1, &error));
  if (!state) {
    return fileError(path, src_strerror(error));
  }
  const double ratio = static_cast<double>(kSampleRate) / info.samplerate;
  Resampler resampler(std::move(state), ratio);

  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(kChunkFrames) * channels);
  std::vector<float> mono;
  std::vector<std::int16_t> samples;
  samples.reserve(static_cast<std::size_t>(static_cast<double>(info.frames) * ratio) + 256);
  for (;;) {
    const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), kChunkFrames);
    if (got < 0) {
      return fileError(path, sf_strerror(file.get()));
    }
    downmix(interleaved, static_cast<std::size_t>(got), channels, mono);
    const bool last = got < kChunkFrames;
    if (const int failed = resampler.feed(mono, last, samples); failed != 0) {
      return fileError(path, src_strerror(failed));
    }
    if (last) {
      break;
    }
  }
  if (samples.empty()) {
    return fileError(path, "no audio in it");
  }
  return encodeClip(samples);
}

}  // namespace callq::media::internal
