// The Asio seam of the media layer: a media thread (one event loop) and the UDP sockets it serves.
// Boost stays in io.cc; these types are opaque, so no header of src/media pulls Asio in.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace callq::media::internal {

using SteadyTime = std::chrono::steady_clock::time_point;

// A numeric IPv4 or IPv6 address and a port, comparable without Asio.
struct NetAddress {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
  std::uint8_t family = 0;               // 4 or 6; 0 for none
  std::uint16_t port = 0;

  bool unspecified() const;  // 0.0.0.0, :: or no address at all
  friend bool operator==(const NetAddress&, const NetAddress&) = default;
};

// A numeric address ("192.0.2.7", "2001:db8::1"); no name lookup. kInvalidArgument otherwise.
Result<NetAddress> parseAddress(const std::string& text, std::uint16_t port);

// One media thread: an event loop on its own std::thread, started by the constructor and stopped
// and joined by stop() or the destructor. post() may be called from any thread; the rest only from
// this thread's handlers.
class IoThread {
 public:
  IoThread();
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  // Runs `fn` on this thread, after what was posted before it from the same thread. Handlers
  // still queued when the thread stops are destroyed without running.
  void post(std::function<void()> fn);

  // The 20 ms clock of this thread: once started, calls `tick` every 20 ms (on a steady schedule,
  // catching up after a short stall, skipping after a long one) until it returns false.
  // setTicker() before the first startTicking(); startTicking() is a no-op while ticking.
  void setTicker(std::function<bool(SteadyTime now)> tick);
  void startTicking();

  // Stops the loop and joins the thread. Idempotent.
  void stop();

 private:
  friend class UdpSocket;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A non-blocking UDP socket served by one IoThread. bind() may be called from any thread; the
// other methods on the socket's thread (or after that thread stopped).
class UdpSocket {
 public:
  using Receiver =
      std::function<void(const std::uint8_t* data, std::size_t size, const NetAddress& from)>;

  // kAlreadyExists when the port is taken, kInvalidArgument for a non-numeric address, kIo else.
  static Result<std::unique_ptr<UdpSocket>> bind(IoThread& thread, const std::string& address,
                                                 std::uint16_t port);
  ~UdpSocket();  // closes
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  // Calls `receiver` for every datagram until close(). Receive errors (an ICMP error reported on
  // the socket, say) are skipped. `receiver` is never called after close() returns.
  void startReceiving(Receiver receiver);
  // Sends without blocking; false when dropped (closed, buffer full, unreachable).
  bool sendTo(const std::uint8_t* data, std::size_t size, const NetAddress& to);
  void close();

 private:
  struct Impl;
  explicit UdpSocket(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;  // shared with the pending receive, which may outlive this object
};

}  // namespace callq::media::internal
