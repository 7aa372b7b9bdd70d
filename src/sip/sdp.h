// SDP for anchored G.711 audio (RFC 4566, offer/answer of RFC 3264): what callq reads from a
// peer's offer or answer, and the offers and answers it writes for its own RTP ports.
//
// Pure: no sofia, no I/O. callq speaks PCMU (0), PCMA (8) and telephone-event (RFC 4733).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace callq::sip {

struct SdpMedia {
  std::string address;      // c= of the audio stream (or of the session)
  std::uint16_t port = 0;   // 0: the stream is refused
  int codec = -1;           // 0 (PCMU) or 8 (PCMA): the first of the peer's list we support
  int telephoneEvent = -1;  // payload type of telephone-event/8000, or -1
  bool onHold = false;      // a=sendonly / a=inactive, or c=0.0.0.0
};

// Reads the first audio stream. Errors: no audio stream, no address, or no codec we support
// (the caller answers 488 Not Acceptable Here).
Result<SdpMedia> parseSdp(std::string_view sdp);

struct SdpOffer {
  std::string address;  // our RTP address
  std::uint16_t port = 0;
  int codec = 0;             // offered first (and only, in an answer)
  bool bothCodecs = true;    // an offer lists PCMU and PCMA (preferred one first)
  int telephoneEvent = 101;  // -1: none
  std::uint64_t sessionId = 0;
  std::uint64_t version = 0;  // o= version: increase it for each new offer of a session
  // recvonly answers a peer that holds us (RFC 3264: the answer to sendonly is recvonly).
  enum class Direction { kSendRecv, kRecvOnly } direction = Direction::kSendRecv;
};

std::string formatSdp(const SdpOffer& o);

}  // namespace callq::sip
