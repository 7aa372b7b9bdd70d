// MediaServer: the registry of endpoints and ports, and the hand-over of commands to media threads.
//
// The registry (endpoints, their bridges, the ports in use, the audio clips) is guarded by one
// mutex, taken by the public methods and once by a media thread when it has closed an endpoint;
// never per packet. The state of an endpoint itself belongs to its media thread: every command is
// posted there under the mutex, so each thread sees them in call order. Bridges are recorded here
// too, so that bridge, unbridge, play and close know which peer to tell without asking a thread.
#include "media/media_server.h"

#include <mutex>
#include <random>
#include <unordered_map>
#include <vector>

#include "media/audio.h"
#include "media/endpoint.h"
#include "media/io.h"

namespace callq::media {

using internal::AudioClip;
using internal::Endpoint;

namespace {

// A media thread and what lives on it.
struct Worker {
  internal::IoThread io;
  internal::PlayList playList{io};
  std::size_t endpoints = 0;  // guarded by the registry mutex; for placing new endpoints
};

struct Entry {
  std::shared_ptr<Endpoint> endpoint;
  Worker* worker = nullptr;
  std::size_t portSlot = 0;
  EndpointId peer = 0;   // bridged to, 0 for none
  bool closing = false;  // close() was called; the entry goes once the socket is closed
};

template <typename Fn>
void postTo(const Entry& entry, Fn fn) {
  entry.worker->io.post([endpoint = entry.endpoint, fn = std::move(fn)] { fn(*endpoint); });
}

}  // namespace

struct MediaServer::Impl {
  MediaOptions options;
  MediaCallbacks callbacks;
  std::uint16_t firstPort = 0;  // the lowest even port of the range
  std::vector<std::unique_ptr<Worker>> workers;

  mutable std::mutex mutex;
  std::unordered_map<EndpointId, Entry> entries;
  std::vector<bool> portTaken;  // by slot: port = firstPort + 2 * slot
  std::size_t nextSlot = 0;     // ports are handed out in rotation
  EndpointId nextId = 1;
  std::mt19937 random{std::random_device{}()};
  std::vector<std::shared_ptr<const AudioClip>> clips;  // AudioId.value - 1
  AudioId ringback, confirmation, refusal;

  ~Impl();
  // These three take the mutex.
  AudioId addClip(AudioClip clip);
  void playOn(EndpointId id, AudioId audio, bool loop);
  void finishClose(EndpointId id);  // on the endpoint's media thread, once its socket is closed
  // These with the mutex held.
  std::shared_ptr<const AudioClip> clip(AudioId id) const;
  Entry* live(EndpointId id);  // an endpoint not being closed, or nullptr
  Worker& placeFor(EndpointId near);
  Result<std::size_t> bindPort(Worker& worker, std::unique_ptr<internal::UdpSocket>& socket);
  void detach(Entry& entry);  // ends the entry's bridge, if any, on both sides
};

MediaServer::Impl::~Impl() {
  for (auto& worker : workers) {
    worker->io.stop();
  }
  // No media thread runs now. Break the bridges' shared_ptr cycles and close every socket while
  // every event loop still exists; then the workers go, with the handlers still queued.
  for (auto& [id, entry] : entries) {
    entry.endpoint->shutdown();
  }
  entries.clear();
  workers.clear();
}

AudioId MediaServer::Impl::addClip(AudioClip clip) {
  auto shared = std::make_shared<const AudioClip>(std::move(clip));
  std::lock_guard lock(mutex);
  clips.push_back(std::move(shared));
  return AudioId{static_cast<std::uint32_t>(clips.size())};
}

std::shared_ptr<const AudioClip> MediaServer::Impl::clip(AudioId id) const {
  if (id.value == 0 || id.value > clips.size()) {
    return nullptr;
  }
  return clips[id.value - 1];
}

Entry* MediaServer::Impl::live(EndpointId id) {
  const auto it = entries.find(id);
  return it == entries.end() || it->second.closing ? nullptr : &it->second;
}

Worker& MediaServer::Impl::placeFor(EndpointId near) {
  if (const auto it = entries.find(near); near != 0 && it != entries.end()) {
    return *it->second.worker;
  }
  Worker* least = workers.front().get();
  for (const auto& worker : workers) {
    if (worker->endpoints < least->endpoints) {
      least = worker.get();
    }
  }
  return *least;
}

Result<std::size_t> MediaServer::Impl::bindPort(Worker& worker,
                                                std::unique_ptr<internal::UdpSocket>& socket) {
  const std::size_t slots = portTaken.size();
  for (std::size_t tried = 0; tried < slots; ++tried) {
    const std::size_t slot = nextSlot;
    nextSlot = (nextSlot + 1) % slots;
    if (portTaken[slot]) {
      continue;
    }
    const auto port = static_cast<std::uint16_t>(firstPort + 2 * slot);
    auto bound = internal::UdpSocket::bind(worker.io, options.address, port);
    if (bound) {
      portTaken[slot] = true;
      socket = std::move(*bound);
      return slot;
    }
    if (bound.error().code != ErrorCode::kAlreadyExists) {
      return tl::unexpected(bound.error());
    }
    // Taken by another program: try the next one.
  }
  return makeError(ErrorCode::kIo, "no free RTP port in " + std::to_string(options.portMin) + "-" +
                                       std::to_string(options.portMax));
}

void MediaServer::Impl::detach(Entry& entry) {
  if (entry.peer == 0) {
    return;
  }
  if (const auto it = entries.find(entry.peer); it != entries.end()) {
    it->second.peer = 0;
    postTo(it->second, [](Endpoint& peer) { peer.unbridge(); });
  }
  entry.peer = 0;
  postTo(entry, [](Endpoint& endpoint) { endpoint.unbridge(); });
}

void MediaServer::Impl::playOn(EndpointId id, AudioId audio, bool loop) {
  std::lock_guard lock(mutex);
  Entry* entry = live(id);
  std::shared_ptr<const AudioClip> shared = clip(audio);
  if (entry == nullptr || shared == nullptr) {
    return;
  }
  detach(*entry);
  postTo(*entry, [shared, loop](Endpoint& endpoint) { endpoint.play(shared, loop); });
}

void MediaServer::Impl::finishClose(EndpointId id) {
  std::lock_guard lock(mutex);
  const auto it = entries.find(id);
  if (it == entries.end()) {
    return;
  }
  portTaken[it->second.portSlot] = false;
  --it->second.worker->endpoints;
  entries.erase(it);
}

// ---- MediaServer ----

MediaServer::MediaServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MediaServer::~MediaServer() = default;

Result<std::unique_ptr<MediaServer>> MediaServer::start(MediaOptions options,
                                                        MediaCallbacks callbacks) {
  if (options.threads < 1) {
    return makeError(ErrorCode::kInvalidArgument, "media threads: must be at least 1");
  }
  const int first = options.portMin + options.portMin % 2;
  if (options.portMin == 0 || first > options.portMax) {
    return makeError(ErrorCode::kInvalidArgument, "RTP ports: no even port in " +
                                                      std::to_string(options.portMin) + "-" +
                                                      std::to_string(options.portMax));
  }
  if (auto address = internal::parseAddress(options.address, 0); !address) {
    return makeError(ErrorCode::kInvalidArgument, "RTP address: " + address.error().message);
  }
  auto impl = std::make_unique<Impl>();
  impl->firstPort = static_cast<std::uint16_t>(first);
  impl->portTaken.assign(static_cast<std::size_t>((options.portMax - first) / 2 + 1), false);
  impl->options = std::move(options);
  impl->callbacks = std::move(callbacks);
  for (int i = 0; i < impl->options.threads; ++i) {
    impl->workers.push_back(std::make_unique<Worker>());
  }
  impl->ringback = impl->addClip(internal::makeRingback());
  impl->confirmation = impl->addClip(internal::makeConfirmation());
  impl->refusal = impl->addClip(internal::makeRefusal());
  return std::unique_ptr<MediaServer>(new MediaServer(std::move(impl)));
}

Result<std::pair<EndpointId, std::uint16_t>> MediaServer::open(EndpointId near) {
  std::lock_guard lock(impl_->mutex);
  Worker& worker = impl_->placeFor(near);
  std::unique_ptr<internal::UdpSocket> socket;
  const Result<std::size_t> slot = impl_->bindPort(worker, socket);
  if (!slot) {
    return tl::unexpected(slot.error());
  }
  EndpointId id = 0;
  while (id == 0 || impl_->entries.contains(id)) {
    id = impl_->nextId++;
  }
  const internal::OutStream::Seed seed{static_cast<std::uint32_t>(impl_->random()),
                                       static_cast<std::uint16_t>(impl_->random()),
                                       static_cast<std::uint32_t>(impl_->random())};
  auto endpoint = std::make_shared<Endpoint>(
      internal::EndpointContext{id, &worker.io, &worker.playList, &impl_->callbacks},
      std::move(socket), seed);
  const Entry& entry =
      impl_->entries.emplace(id, Entry{std::move(endpoint), &worker, *slot}).first->second;
  ++worker.endpoints;
  postTo(entry, [](Endpoint& started) { started.start(); });
  return std::pair{id, static_cast<std::uint16_t>(impl_->firstPort + 2 * *slot)};
}

void MediaServer::setRemote(EndpointId ep, const RemoteMedia& remote) {
  std::lock_guard lock(impl_->mutex);
  if (Entry* entry = impl_->live(ep)) {
    postTo(*entry, [remote](Endpoint& endpoint) { endpoint.setRemote(remote); });
  }
}

void MediaServer::play(EndpointId ep, AudioId audio) { impl_->playOn(ep, audio, true); }

void MediaServer::playOnce(EndpointId ep, AudioId audio) { impl_->playOn(ep, audio, false); }

void MediaServer::stop(EndpointId ep) {
  std::lock_guard lock(impl_->mutex);
  if (Entry* entry = impl_->live(ep)) {
    postTo(*entry, [](Endpoint& endpoint) { endpoint.stop(); });
  }
}

void MediaServer::bridge(EndpointId a, EndpointId b) {
  std::lock_guard lock(impl_->mutex);
  Entry* first = impl_->live(a);
  Entry* second = impl_->live(b);
  if (a == b || first == nullptr || second == nullptr || first->peer == b) {
    return;
  }
  impl_->detach(*first);
  impl_->detach(*second);
  first->peer = b;
  second->peer = a;
  postTo(*first, [peer = second->endpoint](Endpoint& endpoint) { endpoint.bridgeTo(peer); });
  postTo(*second, [peer = first->endpoint](Endpoint& endpoint) { endpoint.bridgeTo(peer); });
}

void MediaServer::unbridge(EndpointId a) {
  std::lock_guard lock(impl_->mutex);
  if (Entry* entry = impl_->live(a)) {
    impl_->detach(*entry);
  }
}

void MediaServer::close(EndpointId ep) {
  std::lock_guard lock(impl_->mutex);
  Entry* entry = impl_->live(ep);
  if (entry == nullptr) {
    return;
  }
  impl_->detach(*entry);
  entry->closing = true;
  postTo(*entry, [impl = impl_.get(), ep](Endpoint& endpoint) {
    endpoint.close();
    impl->finishClose(ep);
  });
}

EndpointStats MediaServer::stats(EndpointId ep) const {
  std::lock_guard lock(impl_->mutex);
  const auto it = impl_->entries.find(ep);
  return it == impl_->entries.end() ? EndpointStats{} : it->second.endpoint->stats();
}

std::size_t MediaServer::openEndpoints() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->entries.size();
}

Result<AudioId> MediaServer::loadFile(const std::string& path) {
  Result<AudioClip> clip = internal::loadAudioFile(path);
  if (!clip) {
    return tl::unexpected(clip.error());
  }
  return impl_->addClip(std::move(*clip));
}

AudioId MediaServer::ringback() { return impl_->ringback; }

AudioId MediaServer::confirmation() { return impl_->confirmation; }

AudioId MediaServer::refusal() { return impl_->refusal; }

}  // namespace callq::media
