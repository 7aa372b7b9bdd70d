#include "sip/sdp.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <vector>

namespace callq::sip {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') {
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// "c=IN IP4 10.0.0.1" -> "10.0.0.1"
std::optional<std::string> connectionAddress(std::string_view value) {
  const std::vector<std::string_view> w = words(value);
  if (w.size() < 3 || w[0] != "IN" || (w[1] != "IP4" && w[1] != "IP6")) {
    return std::nullopt;
  }
  std::string_view address = w[2];
  if (const std::size_t slash = address.find('/'); slash != std::string_view::npos) {
    address = address.substr(0, slash);  // multicast TTL
  }
  return std::string(address);
}

}  // namespace

Result<SdpMedia> parseSdp(std::string_view sdp) {
  std::string sessionAddress;
  std::string mediaAddress;
  bool inMedia = false;  // past the first m= line: no longer session level
  bool inAudio = false;
  bool seenAudio = false;
  bool sessionHold = false;
  bool mediaHold = false;
  bool mediaDirection = false;
  std::vector<int> formats;
  std::vector<std::pair<int, std::string>> rtpmaps;
  SdpMedia m;
  std::size_t pos = 0;
  while (pos < sdp.size()) {
    std::size_t end = sdp.find('\n', pos);
    if (end == std::string_view::npos) {
      end = sdp.size();
    }
    const std::string_view line = trim(sdp.substr(pos, end - pos));
    pos = end + 1;
    if (line.size() < 2 || line[1] != '=') {
      continue;
    }
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (type == 'm') {
      inMedia = true;
      if (seenAudio) {
        inAudio = false;  // only the first audio stream
        continue;
      }
      const std::vector<std::string_view> w = words(value);
      inAudio = w.size() >= 4 && w[0] == "audio" && w[2].starts_with("RTP/AVP");
      if (inAudio) {
        seenAudio = true;
        const std::optional<int> port = number(w[1]);
        if (!port || *port < 0 || *port > 65535) {
          return makeError(ErrorCode::kInvalidArgument, "SDP: bad audio port");
        }
        m.port = static_cast<std::uint16_t>(*port);
        for (std::size_t i = 3; i < w.size(); ++i) {
          if (std::optional<int> pt = number(w[i])) {
            formats.push_back(*pt);
          }
        }
      }
    } else if (type == 'c') {
      std::optional<std::string> address = connectionAddress(value);
      if (!address) {
        return makeError(ErrorCode::kInvalidArgument, "SDP: bad connection line");
      }
      // Session level before any m= line; the audio stream's own; other streams' are not ours.
      if (!inMedia) {
        sessionAddress = *address;
      } else if (inAudio) {
        mediaAddress = *address;
      }
    } else if (type == 'a') {
      const bool hold = value == "sendonly" || value == "inactive";
      const bool direction = hold || value == "sendrecv" || value == "recvonly";
      if (!inMedia) {
        sessionHold = sessionHold || hold;
      } else if (inAudio && direction) {
        mediaDirection = true;
        mediaHold = hold;
      }
      if (inAudio && value.starts_with("rtpmap:")) {
        const std::string_view rest = value.substr(7);
        const std::size_t space = rest.find(' ');
        if (space != std::string_view::npos) {
          if (std::optional<int> pt = number(rest.substr(0, space))) {
            rtpmaps.emplace_back(*pt, std::string(trim(rest.substr(space + 1))));
          }
        }
      }
    }
  }
  if (!seenAudio) {
    return makeError(ErrorCode::kInvalidArgument, "SDP: no RTP audio stream");
  }
  m.address = mediaAddress.empty() ? sessionAddress : mediaAddress;
  if (m.address.empty()) {
    return makeError(ErrorCode::kInvalidArgument, "SDP: no connection address");
  }
  const auto mapped = [&](int pt) -> std::string {
    for (const auto& [p, name] : rtpmaps) {
      if (p == pt) {
        return name;
      }
    }
    return {};
  };
  for (int pt : formats) {
    const std::string name = mapped(pt);
    const bool pcmu =
        name.empty() ? pt == 0 : iequals(name, "PCMU/8000") || iequals(name, "PCMU/8000/1");
    const bool pcma =
        name.empty() ? pt == 8 : iequals(name, "PCMA/8000") || iequals(name, "PCMA/8000/1");
    if (m.codec < 0 && (pcmu || pcma)) {
      m.codec = pcmu ? 0 : 8;
    }
    if (m.telephoneEvent < 0 && iequals(name, "telephone-event/8000")) {
      m.telephoneEvent = pt;
    }
  }
  if (m.codec < 0 && m.port != 0) {
    return makeError(ErrorCode::kInvalidArgument, "SDP: no supported codec (PCMU or PCMA)");
  }
  m.onHold = (mediaDirection ? mediaHold : sessionHold) || m.address == "0.0.0.0";
  return m;
}

std::string formatSdp(const SdpOffer& o) {
  const int other = o.codec == 0 ? 8 : 0;
  std::string formats = std::to_string(o.codec);
  if (o.bothCodecs) {
    formats += " " + std::to_string(other);
  }
  if (o.telephoneEvent >= 0) {
    formats += " " + std::to_string(o.telephoneEvent);
  }
  const auto rtpmap = [](int pt) { return pt == 0 ? "PCMU/8000" : "PCMA/8000"; };
  std::string s = fmt::format(
      "v=0\r\no=callq {} {} IN IP4 {}\r\ns=callq\r\nc=IN IP4 {}\r\nt=0 0\r\n"
      "m=audio {} RTP/AVP {}\r\na=rtpmap:{} {}\r\n",
      o.sessionId, o.version, o.address, o.address, o.port, formats, o.codec, rtpmap(o.codec));
  if (o.bothCodecs) {
    s += fmt::format("a=rtpmap:{} {}\r\n", other, rtpmap(other));
  }
  if (o.telephoneEvent >= 0) {
    s += fmt::format("a=rtpmap:{} telephone-event/8000\r\na=fmtp:{} 0-16\r\n", o.telephoneEvent,
                     o.telephoneEvent);
  }
  s += "a=ptime:20\r\n";
  s += o.direction == SdpOffer::Direction::kRecvOnly ? "a=recvonly\r\n" : "a=sendrecv\r\n";
  return s;
}

}  // namespace callq::sip
