// Playing audio to a real UDP peer: the built-in tones, play (looping) and playOnce (onPlayed),
// hold, and files loaded and resampled with libsndfile and libsamplerate.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "tests/media/media_fixture.h"

namespace callq::media::testing {
namespace {

using PlayTest = MediaTest;

constexpr std::size_t kTwoSeconds = 100;  // frames of 20 ms in confirmation() and refusal()

TEST_F(PlayTest, RingbackIs425HzOneSecondOnThenSilence) {
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, phone.remote(Codec::kPcmu));
  server_->play(a, server_->ringback());
  std::vector<Packet> packets = phone.receiveCount(100);
  ASSERT_EQ(packets.size(), 100u);
  EXPECT_TRUE(packets.front().marker);
  const std::vector<Packet> on(packets.begin(), packets.begin() + 50);
  const std::vector<Packet> off(packets.begin() + 50, packets.end());
  EXPECT_TRUE(dominates(decode(Codec::kPcmu, on), 425, {350, 480, 620, 1000}));
  for (std::int16_t sample : decode(Codec::kPcmu, off)) {
    ASSERT_LT(std::abs(sample), 16);
  }
}

TEST_F(PlayTest, PlayOnceSendsTheClipOnceThenReportsPlayed) {
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, phone.remote(Codec::kPcma));
  server_->playOnce(a, server_->confirmation());
  ASSERT_TRUE(waitForPlayed(a));
  EXPECT_EQ(server_->stats(a).packetsOut, kTwoSeconds);
  const std::vector<Packet> packets = phone.receiveCount(kTwoSeconds);
  ASSERT_EQ(packets.size(), kTwoSeconds);
  for (const Packet& packet : packets) {
    EXPECT_EQ(packet.payloadType, 8);
  }
  // The first beep: 880 Hz (frames 2-6 lie inside the 150 ms beep, past its fade-in).
  EXPECT_TRUE(dominates(decode(Codec::kPcma, {packets.begin() + 1, packets.begin() + 6}), 880,
                        {440, 660, 1100, 1760}));
  EXPECT_EQ(played(), std::vector<EndpointId>{a});
}

TEST_F(PlayTest, PlayLoopsUntilStoppedWithoutOnPlayed) {
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, phone.remote(Codec::kPcmu));
  server_->play(a, server_->refusal());
  const std::vector<Packet> packets = phone.receiveCount(kTwoSeconds + 20);  // past the end
  ASSERT_EQ(packets.size(), kTwoSeconds + 20);
  // The refusal's first tone, 330 Hz, and again after the loop came round.
  EXPECT_TRUE(dominates(decode(Codec::kPcmu, {packets.begin() + 2, packets.begin() + 25}), 330,
                        {250, 440, 660, 1000}));
  EXPECT_TRUE(dominates(decode(Codec::kPcmu, {packets.begin() + 102, packets.begin() + 120}), 330,
                        {250, 440, 660, 1000}));
  for (std::size_t i = 1; i < packets.size(); ++i) {  // looping is no switch: one talkspurt
    EXPECT_FALSE(packets[i].marker);
    EXPECT_EQ(packets[i].timestamp - packets[i - 1].timestamp, 160u);
  }
  server_->stop(a);
  syncThread(a);
  const std::uint64_t sent = server_->stats(a).packetsOut;
  syncThread(a);  // several ticks later: nothing more was sent
  EXPECT_EQ(server_->stats(a).packetsOut, sent);
  EXPECT_TRUE(played().empty());
}

TEST_F(PlayTest, OnHoldNothingIsSentButPromptsStillEnd) {
  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, RemoteMedia{"0.0.0.0", 4000, Codec::kPcmu, -1});
  server_->playOnce(a, server_->confirmation());
  ASSERT_TRUE(waitForPlayed(a));
  EXPECT_EQ(server_->stats(a).packetsOut, 0u);

  server_->setRemote(a, phone.remote(Codec::kPcmu));  // off hold
  server_->playOnce(a, server_->confirmation());
  ASSERT_TRUE(waitFor([&] { return played().size() == 2; }));
  EXPECT_EQ(server_->stats(a).packetsOut, kTwoSeconds);
  EXPECT_EQ(phone.receiveCount(kTwoSeconds).size(), kTwoSeconds);

  server_->setRemote(a, RemoteMedia{"127.0.0.1", 0, Codec::kPcmu, -1});  // port 0: hold too
  server_->playOnce(a, server_->refusal());
  ASSERT_TRUE(waitFor([&] { return played().size() == 3; }));
  EXPECT_EQ(server_->stats(a).packetsOut, kTwoSeconds);
}

// A WAV written here: 44.1 kHz stereo, `seconds` of a `freq` Hz sine on both channels.
std::string writeWav(double freq, double seconds) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("callq-media-test-" + std::to_string(::getpid()) + ".wav"))
                               .string();
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  EXPECT_NE(file, nullptr) << sf_strerror(nullptr);
  const auto frames = static_cast<std::size_t>(seconds * info.samplerate);
  std::vector<short> samples(frames * 2);
  for (std::size_t i = 0; i < frames; ++i) {
    const double value =
        0.5 * std::sin(2.0 * std::numbers::pi * freq * static_cast<double>(i) / info.samplerate);
    samples[2 * i] = samples[2 * i + 1] = static_cast<short>(std::lround(value * 32767));
  }
  sf_writef_short(file, samples.data(), static_cast<sf_count_t>(frames));
  sf_close(file);
  return path;
}

TEST_F(PlayTest, LoadsAStereo44kWavAsEightKilohertzMono) {
  const std::string path = writeWav(1000, 1.0);
  const Result<AudioId> audio = server_->loadFile(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().message;

  UdpPeer phone;
  const auto [a, port] = open();
  server_->setRemote(a, phone.remote(Codec::kPcmu));
  server_->playOnce(a, *audio);
  ASSERT_TRUE(waitForPlayed(a));
  const std::uint64_t frames = server_->stats(a).packetsOut;
  EXPECT_GE(frames, 50u);  // 1 s at 8 kHz is 50 frames, give or take the resampler's edges
  EXPECT_LE(frames, 52u);
  const std::vector<Packet> packets = phone.receiveCount(frames);
  ASSERT_EQ(packets.size(), frames);
  EXPECT_TRUE(dominates(decode(Codec::kPcmu, packets), 1000, {500, 700, 1300, 2000, 3000}));
}

TEST_F(PlayTest, UnreadableFilesAreClearErrors) {
  const Result<AudioId> missing = server_->loadFile("/nonexistent/music.wav");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_NE(missing.error().message.find("/nonexistent/music.wav"), std::string::npos);

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("callq-media-test-" + std::to_string(::getpid()) + ".txt"))
                               .string();
  std::ofstream(path) << "this is not audio\n";
  const Result<AudioId> text = server_->loadFile(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().code, ErrorCode::kIo);
  EXPECT_NE(text.error().message.find(path), std::string::npos) << text.error().message;
}

}  // namespace
}  // namespace callq::media::testing
