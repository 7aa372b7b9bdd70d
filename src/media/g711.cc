#include "media/g711.h"

#include <array>
#include <cstring>

// spandsp's headers do not include what they use: telephony.h, then bit_operations.h, then g711.h.
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
// clang-format on

namespace callq::media::internal {
namespace {

struct TranscodeTables {
  std::array<std::uint8_t, 256> ulawToAlaw{};
  std::array<std::uint8_t, 256> alawToUlaw{};

  TranscodeTables() {
    for (int i = 0; i < 256; ++i) {
      const auto byte = static_cast<std::uint8_t>(i);
      ulawToAlaw[byte] = ulaw_to_alaw(byte);
      alawToUlaw[byte] = alaw_to_ulaw(byte);
    }
  }
};

const TranscodeTables& tables() {
  static const TranscodeTables kTables;
  return kTables;
}

}  // namespace

std::uint8_t encodeSample(Codec codec, std::int16_t linear) {
  return codec == Codec::kPcma ? linear_to_alaw(linear) : linear_to_ulaw(linear);
}

std::int16_t decodeSample(Codec codec, std::uint8_t byte) {
  return codec == Codec::kPcma ? alaw_to_linear(byte) : ulaw_to_linear(byte);
}

void transcode(const std::uint8_t* in, std::size_t size, Codec from, Codec to, std::uint8_t* out) {
  if (from == to) {
    if (in != out) {
      std::memmove(out, in, size);
    }
    return;
  }
  const auto& table = from == Codec::kPcmu ? tables().ulawToAlaw : tables().alawToUlaw;
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = table[in[i]];
  }
}

}  // namespace callq::media::internal
