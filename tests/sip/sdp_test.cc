// SDP: what callq reads from offers and answers of real phones, and what it writes.
#include "sip/sdp.h"

#include <gtest/gtest.h>

namespace callq::sip {
namespace {

constexpr const char* kBaresipOffer =
    "v=0\r\no=- 1234 5678 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 10170 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n";

TEST(Sdp, ReadsTheFirstSupportedCodecInThePeersOrderAndTelephoneEvent) {
  Result<SdpMedia> m = parseSdp(kBaresipOffer);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->address, "127.0.0.1");
  EXPECT_EQ(m->port, 10170);
  EXPECT_EQ(m->codec, 8);
  EXPECT_EQ(m->telephoneEvent, 101);
  EXPECT_FALSE(m->onHold);
}

TEST(Sdp, StaticPayloadTypesWithoutRtpmapAndMediaLevelAddress) {
  // SIPp's built-in offer: no rtpmap at all; a media-level c= overrides the session's.
  Result<SdpMedia> m = parseSdp(
      "v=0\no=user1 53655765 2353687637 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
      "m=audio 6000 RTP/AVP 0\nc=IN IP4 10.0.0.2\n");
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->address, "10.0.0.2");
  EXPECT_EQ(m->codec, 0);
  EXPECT_EQ(m->telephoneEvent, -1);
}

TEST(Sdp, OtherStreamsAddressesAndDirectionsAreNotTheAudios) {
  // A video stream before the audio: its c= and a=sendonly are neither session level nor audio.
  Result<SdpMedia> before = parseSdp(
      "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
      "m=video 7000 RTP/AVP 96\nc=IN IP4 10.0.0.9\na=sendonly\n"
      "m=audio 6000 RTP/AVP 0\n");
  ASSERT_TRUE(before.has_value()) << before.error().message;
  EXPECT_EQ(before->address, "10.0.0.1");
  EXPECT_FALSE(before->onHold);
  // ... and after it: the audio keeps its own address.
  Result<SdpMedia> after = parseSdp(
      "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nt=0 0\n"
      "m=audio 6000 RTP/AVP 0\nc=IN IP4 10.0.0.2\n"
      "m=video 7000 RTP/AVP 96\nc=IN IP4 10.0.0.9\n");
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(after->address, "10.0.0.2");
}

TEST(Sdp, SkipsUnsupportedCodecsAndDynamicTypesMappedToOthers) {
  Result<SdpMedia> m = parseSdp(
      "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 9 96 8\r\na=rtpmap:9 G722/8000\r\n"
      "a=rtpmap:96 opus/48000/2\r\na=rtpmap:8 PCMA/8000\r\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->codec, 8);
}

TEST(Sdp, HoldBySendonlyInactiveOrNullAddress) {
  EXPECT_TRUE(parseSdp("c=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n")->onHold);
  EXPECT_TRUE(parseSdp("c=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\na=inactive\r\n")->onHold);
  EXPECT_TRUE(parseSdp("c=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n")->onHold);
  // A session-level direction applies when the stream has none of its own.
  EXPECT_TRUE(parseSdp("c=IN IP4 1.2.3.4\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n")->onHold);
  EXPECT_FALSE(parseSdp("c=IN IP4 1.2.3.4\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n"
                        "a=sendrecv\r\n")
                   ->onHold);
}

TEST(Sdp, ErrorsForNoAudioNoAddressOrNoCodec) {
  EXPECT_FALSE(parseSdp("v=0\r\nc=IN IP4 1.2.3.4\r\nm=video 4000 RTP/AVP 96\r\n").has_value());
  EXPECT_FALSE(parseSdp("v=0\r\nm=audio 4000 RTP/AVP 0\r\n").has_value());
  Result<SdpMedia> g722 = parseSdp("c=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 9\r\n");
  ASSERT_FALSE(g722.has_value());
  EXPECT_NE(g722.error().message.find("PCMU or PCMA"), std::string::npos);
  EXPECT_FALSE(parseSdp("c=IN IP4 1.2.3.4\r\nm=audio 99999 RTP/AVP 0\r\n").has_value());
  EXPECT_FALSE(parseSdp("").has_value());
}

TEST(Sdp, WritesAnOfferThatReadsBack) {
  SdpOffer o;
  o.address = "127.0.0.1";
  o.port = 20002;
  o.codec = 8;
  o.sessionId = 42;
  o.version = 3;
  const std::string text = formatSdp(o);
  EXPECT_NE(text.find("m=audio 20002 RTP/AVP 8 0 101\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("o=callq 42 3 IN IP4 127.0.0.1\r\n"), std::string::npos);
  Result<SdpMedia> back = parseSdp(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->codec, 8);
  EXPECT_EQ(back->telephoneEvent, 101);
  EXPECT_EQ(back->port, 20002);
  o.bothCodecs = false;
  o.telephoneEvent = -1;
  o.direction = SdpOffer::Direction::kRecvOnly;  // answering a peer that holds us
  const std::string answer = formatSdp(o);
  EXPECT_NE(answer.find("m=audio 20002 RTP/AVP 8\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("a=recvonly\r\n"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("a=sendrecv"), std::string::npos) << answer;
}

}  // namespace
}  // namespace callq::sip
