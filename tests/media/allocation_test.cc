// Nothing per packet allocates after warm-up: relaying both ways with codec conversion, telephone
// events with digit detection, and playing on the 20 ms tick, all on one media thread. Global
// operator new is replaced to count the allocations made on any thread but the test's own, so
// this is a binary of its own.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>

#include "tests/media/media_fixture.h"

namespace {

std::atomic<bool> counting{false};
std::atomic<std::uint64_t> mediaAllocations{0};
std::thread::id testThread;

void* allocate(std::size_t size, std::size_t alignment) {
  if (counting.load(std::memory_order_relaxed) && std::this_thread::get_id() != testThread) {
    mediaAllocations.fetch_add(1, std::memory_order_relaxed);
  }
  const std::size_t rounded =
      (std::max<std::size_t>(size, 1) + alignment - 1) / alignment * alignment;
  void* memory = alignment <= alignof(std::max_align_t) ? std::malloc(rounded)
                                                        : std::aligned_alloc(alignment, rounded);
  if (memory == nullptr) {
    throw std::bad_alloc();
  }
  return memory;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size, alignof(std::max_align_t)); }
void* operator new[](std::size_t size) { return allocate(size, alignof(std::max_align_t)); }
void* operator new(std::size_t size, std::align_val_t align) {
  return allocate(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return allocate(size, static_cast<std::size_t>(align));
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }

namespace callq::media::testing {
namespace {

// One round of traffic: frames both ways through the bridge, a key press each way, and the
// listener of the playing endpoint hearing its frames.
void traffic(RtpSender& fromCaller, RtpSender& fromAgent, UdpPeer& caller, UdpPeer& agent,
             UdpPeer& listener, int frames) {
  const auto ulaw = [](int i) { return sineFrame(Codec::kPcmu, 1000, i); };
  const auto alaw = [](int i) { return sineFrame(Codec::kPcma, 700, i); };
  ASSERT_EQ(pump(fromCaller, 0, ulaw, agent, static_cast<std::size_t>(frames)).size(),
            static_cast<std::size_t>(frames));
  ASSERT_EQ(pump(fromAgent, 8, alaw, caller, static_cast<std::size_t>(frames)).size(),
            static_cast<std::size_t>(frames));
  fromCaller.keyPress(101, 4);
  fromAgent.keyPress(96, 11);
  ASSERT_EQ(pump(fromCaller, 0, ulaw, agent, 6, [](const Packet& p) { return p.payloadType == 96; })
                .size(),
            6u);
  ASSERT_EQ(
      pump(fromAgent, 8, alaw, caller, 6, [](const Packet& p) { return p.payloadType == 101; })
          .size(),
      6u);
  EXPECT_EQ(listener.receiveCount(static_cast<std::size_t>(frames) / 4).size(),
            static_cast<std::size_t>(frames) / 4);
}

TEST(Allocation, NothingPerPacketAfterWarmUp) {
  testThread = std::this_thread::get_id();
  std::atomic<int> digits{0};
  MediaCallbacks callbacks;
  callbacks.onDigit = [&digits](EndpointId, char) { digits.fetch_add(1); };
  auto server = MediaServer::start(MediaOptions{"127.0.0.1", 42000, 42999, 1}, callbacks);
  ASSERT_TRUE(server.has_value());
  MediaServer& media = **server;
  UdpPeer caller;
  UdpPeer agent;
  UdpPeer listener;
  const auto a = media.open().value();
  const auto b = media.open(a.first).value();
  const auto c = media.open(a.first).value();
  media.setRemote(a.first, caller.remote(Codec::kPcmu, 101));
  media.setRemote(b.first, agent.remote(Codec::kPcma, 96));
  media.setRemote(c.first, listener.remote(Codec::kPcmu));
  media.bridge(a.first, b.first);
  media.play(c.first, media.ringback());
  RtpSender fromCaller(caller, a.second, 0x1234);
  RtpSender fromAgent(agent, b.second, 0x5678);

  traffic(fromCaller, fromAgent, caller, agent, listener, 50);  // warm-up
  counting = true;
  traffic(fromCaller, fromAgent, caller, agent, listener, 200);
  counting = false;
  EXPECT_EQ(mediaAllocations.load(), 0u);
  EXPECT_EQ(digits.load(), 4);
}

}  // namespace
}  // namespace callq::media::testing
