// Audio clips: prompts, tones and music on hold, decoded once and pre-encoded in both codecs so
// that playing costs a copy per frame. A clip is immutable once made and shared (shared_ptr to
// const) by every endpoint playing it, on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace callq::media::internal {

inline constexpr int kSampleRate = 8000;
inline constexpr std::size_t kFrameSamples = 160;  // 20 ms at 8 kHz: one RTP packet

struct AudioClip {
  std::vector<std::uint8_t> pcmu;  // the same audio in each codec; the size is a whole number of
  std::vector<std::uint8_t> pcma;  // frames (the last one padded with silence), never 0
};

// Encodes 8 kHz mono samples in both codecs, padding the last frame with silence.
AudioClip encodeClip(const std::vector<std::int16_t>& samples);

// The built-in sounds (8 kHz, generated):
AudioClip makeRingback();      // 425 Hz, 1 s on, 4 s off (ETSI ringing tone); 5 s, for looping
AudioClip makeConfirmation();  // three short 880 Hz beeps, 2 s in all: "done"
AudioClip makeRefusal();       // two long low 330 Hz tones, 2 s in all: "no such code"

// Reads any file libsndfile reads (WAV, FLAC, OGG/Vorbis, ...) at any rate and channel count:
// mixes it down to mono and resamples it to 8 kHz (libsamplerate). An error (kIo) names the file
// and says why when it cannot be read, is empty or is longer than an hour.
Result<AudioClip> loadAudioFile(const std::string& path);

}  // namespace callq::media::internal
