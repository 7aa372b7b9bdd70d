// Bridged endpoints relay RTP between real UDP peers: codec conversion both ways, one continuous
// outgoing stream across a switch from play to relay, telephone events mapped to the other leg's
// payload type (or dropped), and bridges across two media threads.
#include <gtest/gtest.h>

#include "media/g711.h"
#include "tests/media/media_fixture.h"

namespace callq::media::testing {
namespace {

constexpr std::uint8_t kPcmu = 0;
constexpr std::uint8_t kPcma = 8;
// Audio a far end sends last, to know that what it sent before has arrived.
const std::vector<std::uint8_t> kSentinel(160, 0x12);

using RelayTest = MediaTest;

// Caller (PCMU) and agent (PCMA) legs, bridged; each far end has sent one packet, so both
// endpoints have latched and the bridge is in place once the agent hears the caller.
struct BridgedCall {
  UdpPeer caller;
  UdpPeer agent;
  EndpointId a = 0;
  EndpointId b = 0;
  std::uint16_t portA = 0;
  std::uint16_t portB = 0;
};

void checkConvertedTone(MediaServer& server, BridgedCall& call) {
  server.setRemote(call.a, call.caller.remote(Codec::kPcmu));
  server.setRemote(call.b, call.agent.remote(Codec::kPcma));
  server.bridge(call.a, call.b);

  // Caller -> agent: a 1000 Hz sine sent as PCMU arrives as PCMA.
  RtpSender fromCaller(call.caller, call.portA, 0x1111);
  const std::vector<Packet> atAgent = pump(
      fromCaller, kPcmu, [](int i) { return sineFrame(Codec::kPcmu, 1000, i); }, call.agent, 25);
  ASSERT_EQ(atAgent.size(), 25u);
  for (const Packet& packet : atAgent) {
    EXPECT_EQ(packet.payloadType, kPcma);
    EXPECT_EQ(packet.payload.size(), 160u);
  }
  EXPECT_TRUE(dominates(decode(Codec::kPcma, atAgent), 1000, {500, 700, 1300, 2000, 3000}));

  // Agent -> caller: a 600 Hz sine sent as PCMA arrives as PCMU.
  RtpSender fromAgent(call.agent, call.portB, 0x2222);
  const std::vector<Packet> atCaller = pump(
      fromAgent, kPcma, [](int i) { return sineFrame(Codec::kPcma, 600, i); }, call.caller, 25);
  ASSERT_EQ(atCaller.size(), 25u);
  for (const Packet& packet : atCaller) {
    EXPECT_EQ(packet.payloadType, kPcmu);
  }
  EXPECT_TRUE(dominates(decode(Codec::kPcmu, atCaller), 600, {300, 900, 1200, 2000, 3000}));

  const EndpointStats statsA = server.stats(call.a);
  EXPECT_GE(statsA.packetsIn, statsA.relayed);
  EXPECT_GE(statsA.relayed, 25u);
  EXPECT_GE(server.stats(call.b).packetsOut, 25u);
}

TEST_F(RelayTest, ConvertsPcmuToPcmaAndBack) {
  BridgedCall call;
  std::tie(call.a, call.portA) = open();
  std::tie(call.b, call.portB) = open(call.a);
  checkConvertedTone(*server_, call);
}

TEST_F(RelayTest, RelaysBetweenEndpointsOfTwoMediaThreads) {
  startServer(MediaOptions{"127.0.0.1", 40000, 40999, 2});
  BridgedCall call;
  // Without `near`, the second endpoint goes to the less loaded thread: the other one.
  std::tie(call.a, call.portA) = open();
  std::tie(call.b, call.portB) = open();
  checkConvertedTone(*server_, call);
}

TEST_F(RelayTest, OneContinuousStreamFromPlayToBridge) {
  UdpPeer caller;
  UdpPeer agent;
  const auto [a, portA] = open();
  const auto [b, portB] = open(a);
  server_->setRemote(a, caller.remote(Codec::kPcmu));
  server_->setRemote(b, agent.remote(Codec::kPcmu));
  server_->play(a, server_->ringback());
  std::vector<Packet> stream = caller.receiveCount(10);
  ASSERT_EQ(stream.size(), 10u);

  server_->bridge(a, b);
  // The agent's audio is a constant byte: relayed packets are told from ringback by it.
  const auto isRelayed = [](const Packet& p) {
    return p.payload == std::vector<std::uint8_t>(160, 0x55);
  };
  RtpSender fromAgent(agent, portB, 0x3333);
  const std::vector<Packet> relayed = pump(
      fromAgent, kPcmu, [](int) { return std::vector<std::uint8_t>(160, 0x55); }, caller, 10,
      [&](const Packet& p) {
        stream.push_back(p);  // every packet, played or relayed, in order
        return isRelayed(p);
      });
  ASSERT_EQ(relayed.size(), 10u);

  EXPECT_TRUE(stream.front().marker);
  std::size_t switches = 0;
  for (std::size_t i = 1; i < stream.size(); ++i) {
    const Packet& before = stream[i - 1];
    const Packet& packet = stream[i];
    EXPECT_EQ(packet.ssrc, stream.front().ssrc);
    EXPECT_EQ(packet.sequence, static_cast<std::uint16_t>(before.sequence + 1)) << "at " << i;
    const auto step = static_cast<std::int32_t>(packet.timestamp - before.timestamp);
    const bool switched = isRelayed(packet) && !isRelayed(before);
    if (switched) {
      ++switches;
      EXPECT_TRUE(packet.marker);
      EXPECT_GE(step, 160);        // continues after the last played frame...
      EXPECT_LT(step, 8000 * 20);  // ...by about the time elapsed, not a random jump
    } else {
      EXPECT_FALSE(packet.marker) << "at " << i;
      EXPECT_EQ(step, 160) << "at " << i;
    }
    EXPECT_FALSE(!isRelayed(packet) && isRelayed(before)) << "play after the bridge, at " << i;
  }
  EXPECT_EQ(switches, 1u);
}

TEST_F(RelayTest, MapsTelephoneEventsToThePeersPayloadType) {
  UdpPeer caller;
  UdpPeer agent;
  const auto [a, portA] = open();
  const auto [b, portB] = open(a);
  server_->setRemote(a, caller.remote(Codec::kPcmu, 101));
  server_->setRemote(b, agent.remote(Codec::kPcmu, 96));
  server_->bridge(a, b);
  RtpSender fromCaller(caller, portA, 0x4444);
  const auto silence = [](int) { return std::vector<std::uint8_t>(160, 0xff); };
  ASSERT_EQ(pump(fromCaller, kPcmu, silence, agent, 1).size(), 1u);  // the bridge is up

  fromCaller.keyPress(101, 7);
  fromCaller.audio(kPcmu, kSentinel);  // sent after the event: when it arrives, all of it did
  std::vector<Packet> events;
  bool sawSentinel = false;
  for (std::optional<Packet> packet; !sawSentinel && (packet = agent.receive(kPatience));) {
    if (packet->payloadType != kPcmu) {
      events.push_back(*packet);
    }
    sawSentinel = packet->payloadType == kPcmu && packet->payload == kSentinel;
  }
  ASSERT_TRUE(sawSentinel) << "the audio after the event was not relayed";
  ASSERT_EQ(events.size(), 6u);  // 3 updates and the end sent 3 times
  for (const Packet& packet : events) {
    EXPECT_EQ(packet.payloadType, 96);
    ASSERT_EQ(packet.payload.size(), 4u);
    EXPECT_EQ(packet.payload[0], 7);
    EXPECT_EQ(packet.timestamp, events.front().timestamp);  // one event, one timestamp
  }
  EXPECT_TRUE(events.front().marker);
  EXPECT_EQ(events.back().payload[1] & 0x80, 0x80);  // the end bit is passed on
  ASSERT_TRUE(waitForDigits(1));
  EXPECT_EQ(digits(), (std::vector<std::pair<EndpointId, char>>{{a, '7'}}));
}

TEST_F(RelayTest, DropsTelephoneEventsWhenThePeerHasNone) {
  UdpPeer caller;
  UdpPeer agent;
  const auto [a, portA] = open();
  const auto [b, portB] = open(a);
  server_->setRemote(a, caller.remote(Codec::kPcmu, 101));
  server_->setRemote(b, agent.remote(Codec::kPcma));  // no telephone-event
  server_->bridge(a, b);
  RtpSender fromCaller(caller, portA, 0x5555);
  const auto silence = [](int) { return std::vector<std::uint8_t>(160, 0xff); };
  ASSERT_EQ(pump(fromCaller, kPcmu, silence, agent, 1).size(), 1u);

  fromCaller.keyPress(101, 3);
  fromCaller.audio(kPcmu, kSentinel);
  std::vector<std::uint8_t> sentinelAsPcma(kSentinel.size());
  internal::transcode(kSentinel.data(), kSentinel.size(), Codec::kPcmu, Codec::kPcma,
                      sentinelAsPcma.data());
  bool sawSentinel = false;
  for (std::optional<Packet> packet; !sawSentinel && (packet = agent.receive(kPatience));) {
    EXPECT_EQ(packet->payloadType, kPcma);  // audio only: the event was dropped
    sawSentinel = packet->payload == sentinelAsPcma;
  }
  ASSERT_TRUE(sawSentinel) << "the audio after the event was not relayed";
  ASSERT_TRUE(waitForDigits(1));  // but the digit is still reported
  EXPECT_EQ(digits(), (std::vector<std::pair<EndpointId, char>>{{a, '3'}}));
}

TEST_F(RelayTest, UnbridgeSilencesBothAndCloseEndsTheBridge) {
  UdpPeer caller;
  UdpPeer agent;
  const auto [a, portA] = open();
  const auto [b, portB] = open(a);
  server_->setRemote(a, caller.remote(Codec::kPcmu));
  server_->setRemote(b, agent.remote(Codec::kPcmu));
  server_->bridge(a, b);
  RtpSender fromCaller(caller, portA, 0x6666);
  const auto silence = [](int) { return std::vector<std::uint8_t>(160, 0xff); };
  ASSERT_EQ(pump(fromCaller, kPcmu, silence, agent, 3).size(), 3u);

  server_->unbridge(b);  // either side ends it
  syncThread(a);
  const std::uint64_t relayedBefore = server_->stats(a).relayed;
  const std::uint64_t inBefore = server_->stats(a).packetsIn;
  for (int i = 0; i < 5; ++i) {
    fromCaller.audio(kPcmu, silence(i));
  }
  ASSERT_TRUE(waitFor([&] { return server_->stats(a).packetsIn >= inBefore + 5; }));
  EXPECT_EQ(server_->stats(a).relayed, relayedBefore);
  agent.drain();

  server_->bridge(a, b);
  ASSERT_EQ(pump(fromCaller, kPcmu, silence, agent, 3).size(), 3u);
  server_->close(b);
  ASSERT_TRUE(waitFor([&] { return server_->openEndpoints() == 1; }));
  const std::uint64_t relayedAfterClose = server_->stats(a).relayed;
  const std::uint64_t inAfterClose = server_->stats(a).packetsIn;
  fromCaller.audio(kPcmu, silence(0));
  ASSERT_TRUE(waitFor([&] { return server_->stats(a).packetsIn > inAfterClose; }));
  EXPECT_EQ(server_->stats(a).relayed, relayedAfterClose);
  server_->close(a);
  EXPECT_TRUE(waitFor([&] { return server_->openEndpoints() == 0; }));
}

}  // namespace
}  // namespace callq::media::testing
