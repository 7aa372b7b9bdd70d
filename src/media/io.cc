// Boost.Asio behind io.h. One io_context per media thread; sockets are non-blocking and sends are
// synchronous (a UDP send never waits), receives asynchronous and drained in small batches.
#include "media/io.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <thread>

namespace callq::media::internal {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

constexpr auto kTick = std::chrono::milliseconds(20);
// Later than this, the ticker skips the missed ticks instead of sending them in a burst.
constexpr auto kMaxCatchUp = std::chrono::milliseconds(200);
// Datagrams read per wake-up before going back to the loop, so one busy socket cannot starve it.
constexpr int kDrainBatch = 16;

NetAddress toNet(const udp::endpoint& endpoint) {
  NetAddress net;
  net.port = endpoint.port();
  const asio::ip::address address = endpoint.address();
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    std::copy(bytes.begin(), bytes.end(), net.bytes.begin());
    net.family = 4;
  } else {
    net.bytes = address.to_v6().to_bytes();
    net.family = 6;
  }
  return net;
}

udp::endpoint toAsio(const NetAddress& net) {
  if (net.family == 4) {
    asio::ip::address_v4::bytes_type bytes;
    std::copy_n(net.bytes.begin(), bytes.size(), bytes.begin());
    return {asio::ip::address_v4(bytes), net.port};
  }
  return {asio::ip::address_v6(net.bytes), net.port};
}

}  // namespace

bool NetAddress::unspecified() const {
  for (std::uint8_t byte : bytes) {
    if (byte != 0) {
      return false;
    }
  }
  return true;
}

Result<NetAddress> parseAddress(const std::string& text, std::uint16_t port) {
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(text, ec);
  if (ec) {
    return makeError(ErrorCode::kInvalidArgument, "not a numeric IP address: '" + text + "'");
  }
  return toNet(udp::endpoint(address, port));
}

// ---- IoThread ----

struct IoThread::Impl {
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{context.get_executor()};
  asio::steady_timer timer{context};
  std::function<bool(SteadyTime)> ticker;
  bool ticking = false;
  SteadyTime nextTick{};
  std::thread thread;

  void run() {
    for (;;) {
      try {
        context.run();
        return;
      } catch (...) {
        // A handler threw (out of memory in a command, say): keep serving every other call.
      }
    }
  }

  void armTick() {
    timer.expires_at(nextTick);
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) {
        ticking = false;
        return;
      }
      const SteadyTime now = std::chrono::steady_clock::now();
      ticking = false;  // stays so if the ticker throws, so that startTicking() can restart it
      if (!ticker(now)) {
        return;
      }
      ticking = true;
      nextTick += kTick;
      if (nextTick + kMaxCatchUp < now) {
        nextTick = now + kTick;
      }
      armTick();
    });
  }
};

IoThread::IoThread() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

IoThread::~IoThread() { stop(); }

void IoThread::post(std::function<void()> fn) { asio::post(impl_->context, std::move(fn)); }

void IoThread::setTicker(std::function<bool(SteadyTime now)> tick) {
  impl_->ticker = std::move(tick);
}

void IoThread::startTicking() {
  if (impl_->ticking || !impl_->ticker) {
    return;
  }
  impl_->ticking = true;
  impl_->nextTick = std::chrono::steady_clock::now() + kTick;
  impl_->armTick();
}

void IoThread::stop() {
  impl_->work.reset();
  impl_->context.stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
}

// ---- UdpSocket ----

struct UdpSocket::Impl : std::enable_shared_from_this<UdpSocket::Impl> {
  explicit Impl(asio::io_context& context) : socket(std::in_place, context) {}

  // Reset by close(). An asio socket must not outlive its io_context, and this Impl can: it goes
  // with the last holder of its endpoint, which may be a handler queued on another media thread.
  std::optional<udp::socket> socket;
  std::array<std::uint8_t, 2048> buffer{};
  udp::endpoint from;
  Receiver receiver;

  bool closed() const { return !socket.has_value(); }

  void receive() {
    socket->async_receive_from(
        asio::buffer(buffer), from,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t size) {
          if (self->closed()) {
            return;
          }
          if (!ec) {
            try {
              self->receiver(self->buffer.data(), size, toNet(self->from));
              self->drain();
            } catch (...) {
              // Out of memory relaying across threads, say: drop the packet, keep receiving.
            }
          }
          // Errors are skipped: an ICMP error queued on the socket, say, is reported once.
          if (!self->closed() && ec != asio::error::operation_aborted) {
            self->receive();
          }
        });
  }

  // Reads what else is already queued without going through the loop again.
  void drain() {
    for (int i = 0; i < kDrainBatch && !closed(); ++i) {
      boost::system::error_code ec;
      const std::size_t size = socket->receive_from(asio::buffer(buffer), from, 0, ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) {
        return;
      }
      if (!ec) {
        receiver(buffer.data(), size, toNet(from));
      }
    }
  }
};

UdpSocket::UdpSocket(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

UdpSocket::~UdpSocket() { close(); }

Result<std::unique_ptr<UdpSocket>> UdpSocket::bind(IoThread& thread, const std::string& address,
                                                   std::uint16_t port) {
  boost::system::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) {
    return makeError(ErrorCode::kInvalidArgument, "not a numeric IP address: '" + address + "'");
  }
  auto impl = std::make_shared<Impl>(thread.impl_->context);
  impl->socket->open(ip.is_v4() ? udp::v4() : udp::v6(), ec);
  if (!ec) {
    impl->socket->bind(udp::endpoint(ip, port), ec);
  }
  if (!ec) {
    impl->socket->non_blocking(true, ec);
  }
  if (ec) {
    const ErrorCode code =
        ec == asio::error::address_in_use ? ErrorCode::kAlreadyExists : ErrorCode::kIo;
    return makeError(
        code, "cannot bind UDP " + address + ":" + std::to_string(port) + ": " + ec.message());
  }
  return std::unique_ptr<UdpSocket>(new UdpSocket(std::move(impl)));
}

void UdpSocket::startReceiving(Receiver receiver) {
  if (impl_->closed()) {
    return;
  }
  impl_->receiver = std::move(receiver);
  impl_->receive();
}

bool UdpSocket::sendTo(const std::uint8_t* data, std::size_t size, const NetAddress& to) {
  if (impl_->closed()) {
    return false;
  }
  boost::system::error_code ec;
  impl_->socket->send_to(asio::buffer(data, size), toAsio(to), 0, ec);
  return !ec;
}

void UdpSocket::close() {
  if (impl_->closed()) {
    return;
  }
  boost::system::error_code ignored;
  impl_->socket->close(ignored);  // the pending receive completes as aborted, and does nothing
  impl_->socket.reset();
}

}  // namespace callq::media::internal
