// G.711 (PCMU = mu-law, PCMA = A-law): encoding, decoding and per-byte transcoding between the two.
// Encoding and decoding are spandsp's; transcoding uses 256-byte tables built on first use (from
// spandsp's G.711 tables, which follow the standard's exact transcoding rules). Safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>

#include "media/media_server.h"

namespace callq::media::internal {

std::uint8_t encodeSample(Codec codec, std::int16_t linear);
std::int16_t decodeSample(Codec codec, std::uint8_t byte);

// Copies `size` bytes of `from`-coded audio to `out` coded as `to` (a plain copy when they match).
// `in` and `out` may be the same buffer. No allocation.
void transcode(const std::uint8_t* in, std::size_t size, Codec from, Codec to, std::uint8_t* out);

}  // namespace callq::media::internal
