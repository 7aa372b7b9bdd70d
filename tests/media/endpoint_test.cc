// One endpoint at a time against real UDP peers: DTMF reported once per key press, symmetric RTP
// latching, an unreachable far end, ports (even, in range, exhausted, freed by close), and a
// server destroyed in the middle of calls.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "tests/media/media_fixture.h"

namespace callq::media::testing {
namespace {

constexpr std::uint8_t kPcmu = 0;

using EndpointTest = MediaTest;

TEST_F(EndpointTest, ReportsEachDigitOncePerKeyPress) {
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, phone.remote(Codec::kPcmu, 101));
  syncThread(a);  // the telephone-event type is known before the first event arrives
  RtpSender sender(phone, port, 0x7777);
  sender.keyPress(101, 5);
  sender.keyPress(101, 5);   // the same key again: a new event timestamp, a new digit
  sender.keyPress(101, 16);  // flash: an event, but not a DTMF digit
  sender.keyPress(101, 11);
  sender.keyPress(101, 15);
  sender.keyPress(101, 0);  // the last: once it is reported, every packet before was handled
  ASSERT_TRUE(waitFor([&] { return !digits().empty() && digits().back().second == '0'; }));
  EXPECT_EQ(digits(), (std::vector<std::pair<EndpointId, char>>{
                          {a, '5'}, {a, '5'}, {a, '#'}, {a, 'D'}, {a, '0'}}));
  // Every packet is counted (the last press's repeated end packets may still be on their way).
  EXPECT_TRUE(waitFor([&] { return server_->stats(a).packetsIn == 6u * 6u; }));
}

TEST_F(EndpointTest, DigitsAreDetectedWhilePlaying) {
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, phone.remote(Codec::kPcma, 96));
  server_->play(a, server_->ringback());
  ASSERT_TRUE(phone.receive(kPatience).has_value());
  RtpSender sender(phone, port, 0x8888);
  sender.keyPress(96, 10);
  ASSERT_TRUE(waitForDigits(1));
  EXPECT_EQ(digits(), (std::vector<std::pair<EndpointId, char>>{{a, '*'}}));
}

TEST_F(EndpointTest, LatchesToTheFirstSourceAndIgnoresOthers) {
  UdpPeer signalled;  // the address in the SDP: behind a NAT, nothing ever comes from it
  UdpPeer actual;     // where the phone's packets really come from
  UdpPeer stranger;
  const auto [a, port] = open();
  server_->setRemote(a, signalled.remote(Codec::kPcmu, 101));
  server_->play(a, server_->ringback());
  ASSERT_TRUE(signalled.receive(kPatience).has_value());  // sent where the SDP said, at first

  RtpSender phone(actual, port, 0x9999);
  phone.audio(kPcmu, std::vector<std::uint8_t>(160, 0xff));
  ASSERT_TRUE(actual.receive(kPatience).has_value());  // then where the packets come from
  signalled.drain();  // what was sent before the latch (on loopback, already queued)
  EXPECT_EQ(actual.receiveCount(10).size(), 10u);
  EXPECT_EQ(signalled.drain(), 0u);

  // Packets from anyone else are ignored, and do not move the latch.
  RtpSender intruder(stranger, port, 0xaaaa);
  for (int i = 0; i < 5; ++i) {
    intruder.audio(kPcmu, std::vector<std::uint8_t>(160, 0xff));
  }
  phone.keyPress(101, 1);  // after the stranger's packets: once reported, they were all handled
  ASSERT_TRUE(waitForDigits(1));
  // The phone's first packet and its 6 event packets; the stranger's 5 would make it 12 or more.
  EXPECT_TRUE(waitFor([&] { return server_->stats(a).packetsIn == 7; }));
  EXPECT_EQ(actual.receiveCount(5).size(), 5u);
  EXPECT_EQ(stranger.drain(), 0u);

  // A new address from the SDP (a re-INVITE) starts a new latch.
  server_->setRemote(a, stranger.remote(Codec::kPcmu));
  EXPECT_TRUE(stranger.receive(kPatience).has_value());
}

TEST_F(EndpointTest, AnUnreachableFarEndBreaksNothing) {
  std::uint16_t deadPort = 0;
  {
    UdpPeer gone;
    deadPort = gone.port();
  }  // closed: every packet sent there draws an ICMP port unreachable
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, RemoteMedia{"127.0.0.1", deadPort, Codec::kPcmu, 101});
  server_->playOnce(a, server_->confirmation());
  ASSERT_TRUE(waitForPlayed(a));  // 100 frames into the void, and the prompt still ends
  RtpSender sender(phone, port, 0xbbbb);
  sender.keyPress(101, 9);
  ASSERT_TRUE(waitForDigits(1));  // and the socket still receives
  EXPECT_EQ(digits(), (std::vector<std::pair<EndpointId, char>>{{a, '9'}}));
  server_->play(a, server_->ringback());  // now latched to `phone`
  EXPECT_TRUE(phone.receive(kPatience).has_value());
}

TEST_F(EndpointTest, PortsAreEvenInRangeAndRunOutWithAnError) {
  startServer(MediaOptions{"127.0.0.1", 41001, 41008, 1});  // even ports 41002-41008: four
  std::vector<EndpointId> opened;
  Result<std::pair<EndpointId, std::uint16_t>> result;
  for (int i = 0; i < 10 && (result = server_->open()); ++i) {
    EXPECT_EQ(result->second % 2, 0);
    EXPECT_GE(result->second, 41002);
    EXPECT_LE(result->second, 41008);
    EXPECT_NE(result->first, 0u);
    opened.push_back(result->first);
  }
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kIo);
  EXPECT_NE(result.error().message.find("41001-41008"), std::string::npos)
      << result.error().message;
  EXPECT_GE(opened.size(), 1u);  // another program may hold some of the four
  EXPECT_LE(opened.size(), 4u);
  EXPECT_EQ(server_->openEndpoints(), opened.size());

  for (EndpointId ep : opened) {
    server_->close(ep);
    server_->close(ep);  // idempotent
  }
  server_->close(123456);  // unknown: ignored
  ASSERT_TRUE(waitFor([&] { return server_->openEndpoints() == 0; }));
  for (std::size_t i = 0; i < opened.size(); ++i) {  // every port is free again
    EXPECT_TRUE(server_->open().has_value());
  }
}

TEST_F(EndpointTest, StartRejectsBadOptions) {
  EXPECT_FALSE(MediaServer::start(MediaOptions{"127.0.0.1", 41001, 41001, 1}, {}).has_value());
  EXPECT_FALSE(MediaServer::start(MediaOptions{"localhost", 41000, 41010, 1}, {}).has_value());
  EXPECT_FALSE(MediaServer::start(MediaOptions{"127.0.0.1", 41000, 41010, 0}, {}).has_value());
}

TEST_F(EndpointTest, CommandsForUnknownEndpointsAreIgnored) {
  server_->setRemote(77, RemoteMedia{"127.0.0.1", 4000});
  server_->play(77, server_->ringback());
  server_->playOnce(77, server_->ringback());
  server_->stop(77);
  server_->bridge(77, 78);
  server_->unbridge(77);
  server_->close(77);
  EXPECT_EQ(server_->stats(77).packetsIn, 0u);
  EXPECT_EQ(server_->openEndpoints(), 0u);
}

TEST_F(EndpointTest, ACallbackThatThrowsBreaksNothing) {
  std::atomic<int> digitCalls{0};
  std::atomic<int> playedCalls{0};
  MediaCallbacks throwing;
  throwing.onDigit = [&](EndpointId, char) {
    ++digitCalls;
    throw std::runtime_error("digit");
  };
  throwing.onPlayed = [&](EndpointId) {
    ++playedCalls;
    throw std::runtime_error("played");
  };
  auto started = MediaServer::start(MediaOptions{"127.0.0.1", 40000, 40999, 1}, throwing);
  ASSERT_TRUE(started.has_value());
  MediaServer& media = **started;
  UdpPeer phone;
  const auto [a, port] = media.open().value();
  media.setRemote(a, phone.remote(Codec::kPcmu, 101));
  media.playOnce(a, media.confirmation());
  ASSERT_TRUE(waitFor([&] { return playedCalls == 1; }));
  RtpSender sender(phone, port, 0xdddd);
  sender.keyPress(101, 1);
  ASSERT_TRUE(waitFor([&] { return digitCalls == 1; }));
  sender.keyPress(101, 2);  // the socket still receives...
  EXPECT_TRUE(waitFor([&] { return digitCalls == 2; }));
  phone.drain();
  media.playOnce(a, media.confirmation());  // ...and the thread still ticks
  EXPECT_TRUE(waitFor([&] { return playedCalls == 2; }));
}

TEST_F(EndpointTest, DestroyingTheServerMidCallIsClean) {
  startServer(MediaOptions{"127.0.0.1", 40000, 40999, 2});
  UdpPeer p1;
  UdpPeer p2;
  UdpPeer p3;
  const auto [a, portA] = open();
  const auto [b, portB] = open(a);
  const auto [c, portC] = open();  // on the other thread
  server_->setRemote(a, p1.remote(Codec::kPcmu));
  server_->setRemote(b, p2.remote(Codec::kPcma));
  server_->setRemote(c, p3.remote(Codec::kPcmu));
  server_->bridge(a, c);  // across threads
  server_->play(b, server_->ringback());
  RtpSender sender(p1, portA, 0xcccc);
  const auto silence = [](int) { return std::vector<std::uint8_t>(160, 0xff); };
  ASSERT_EQ(pump(sender, kPcmu, silence, p3, 5).size(), 5u);
  ASSERT_TRUE(p2.receive(kPatience).has_value());
  for (int i = 0; i < 50; ++i) {
    sender.audio(kPcmu, silence(i));  // still arriving while the server goes
  }
  server_.reset();  // joins the threads, closes the sockets; sanitizers check the rest
  SUCCEED();
}

}  // namespace
}  // namespace callq::media::testing
