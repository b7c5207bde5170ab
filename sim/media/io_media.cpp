#include "sim/media/io_media.hpp"

#include <algorithm>

namespace blocksim {

IOMedia::IOMedia(const StackContext& context, std::string name, IOStorage& provider, const IOMediaParams& params,
                 std::uint32_t device_index)
    : context_(context), name_(std::move(name)), provider_(provider), params_(params), device_index_(device_index) {}

void IOMedia::init(const IOMediaParams& params) {
  params_ = params;
  if (stacked_)
    stacked_->provider_parameters_changed(this);
}

void IOMedia::terminate() {
  if (inactive_)
    return;
  inactive_ = true;
  clients_.clear();
  set_provider_level(kIOStorageAccessNone);
  if (IOMediaClient* driver = stacked_) {
    stacked_ = nullptr;
    driver->provider_terminated(this);
  }
  if (context_.observer)
    context_.observer->media_terminated(this);
}

bool IOMedia::is_open_by(const IOService* client) const {
  return std::any_of(clients_.begin(), clients_.end(), [client](const Opener& o) { return o.client == client; });
}

IOStorageAccess IOMedia::open_level() const {
  if (clients_.empty())
    return kIOStorageAccessNone;
  for (const Opener& o : clients_)
    if (o.access & kIOStorageAccessWriter)
      return kIOStorageAccessReaderWriter;
  return kIOStorageAccessReader;
}

// IOMedia's access table (gIOMediaAccessTable, §3.1), as it applies between two clients.
bool IOMedia::compatible(const IOService* client, IOStorageAccess access) const {
  const bool writer = access & kIOStorageAccessWriter;
  const bool shared = access & kIOStorageAccessSharedLock;
  for (const Opener& other : clients_) {
    if (other.client == client)
      continue;
    if ((access & kIOStorageAccessExclusiveLock) || (other.access & kIOStorageAccessExclusiveLock))
      return false;
    const bool other_writer = other.access & kIOStorageAccessWriter;
    if (writer && other_writer && !(shared && (other.access & kIOStorageAccessSharedLock)))
      return false;
  }
  return true;
}

bool IOMedia::set_provider_level(IOStorageAccess level) {
  if (level == provider_level_)
    return true;
  if (level == kIOStorageAccessNone) {
    provider_.close(this);
  } else if (!provider_.open(this, level)) {
    return false;
  }
  provider_level_ = level;
  return true;
}

bool IOMedia::open(IOService* client, IOStorageAccess access) {
  if (inactive_ || client == nullptr)
    return false;
  if (!(access & kIOStorageAccessReader) || (access & kIOStorageAccessReserved) ||
      (access & kIOStorageAccessInvalid) == kIOStorageAccessInvalid)
    return false;
  const bool writer = access & kIOStorageAccessWriter;
  if (writer && !params_.is_writable)
    return false;
  if (!compatible(client, access))
    return false;
  // A plain writer other than the stacked driver first tears that driver down (§3.1).
  if (writer && !(access & kIOStorageAccessSharedLock) && stacked_ && client != stacked_) {
    if (is_open_by(stacked_))
      return false;
    IOMediaClient* driver = stacked_;
    stacked_ = nullptr;
    driver->provider_terminated(this);
  }
  const std::vector<Opener> before = clients_;
  auto it = std::find_if(clients_.begin(), clients_.end(), [client](const Opener& o) { return o.client == client; });
  if (it == clients_.end())
    clients_.push_back({client, access});
  else
    it->access = access;
  if (!set_provider_level(open_level())) {
    clients_ = before;
    return false;
  }
  return true;
}

void IOMedia::close(IOService* client) {
  auto it = std::find_if(clients_.begin(), clients_.end(), [client](const Opener& o) { return o.client == client; });
  if (it == clients_.end())
    return;
  const bool was_writer = it->access & kIOStorageAccessWriter;
  clients_.erase(it);
  set_provider_level(open_level());
  // A writer leaving lets drivers attach again: the media is probed anew (§3.1).
  if (was_writer && !inactive_ && stacked_ == nullptr && context_.observer)
    context_.observer->media_reprobe(this);
}

IOReturn IOMedia::check_state(bool write) const {
  if (inactive_)
    return kIOReturnNoMedia;
  if (clients_.empty())
    return kIOReturnNotOpen;
  if (write && open_level() == kIOStorageAccessReader)
    return kIOReturnNotPrivileged;
  if (write && !params_.is_writable)
    return kIOReturnLockedWrite;
  if (!isFormatted())
    return kIOReturnUnformattedMedia;
  return kIOReturnSuccess;
}

IOReturn IOMedia::check_io(std::uint64_t byteStart, const IOMemoryDescriptor* buffer, IODirection direction) const {
  if (IOReturn status = check_state(direction == IODirection::kOut); status != kIOReturnSuccess)
    return status;
  if (buffer == nullptr || buffer->direction != direction)
    return kIOReturnBadArgument;
  if (byteStart > params_.size || params_.size - byteStart < buffer->length)
    return kIOReturnBadArgument;
  return kIOReturnSuccess;
}

void IOMedia::read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                   IOStorageCompletion* completion) {
  transfer(false, byteStart, buffer, attributes, completion);
}

void IOMedia::write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                    IOStorageCompletion* completion) {
  transfer(true, byteStart, buffer, attributes, completion);
}

void IOMedia::transfer(bool write, std::uint64_t byteStart, IOMemoryDescriptor* buffer,
                       IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  const IOReturn status = check_io(byteStart, buffer, write ? IODirection::kOut : IODirection::kIn);
  const std::uint32_t flags =
      attributes && (attributes->options & kIOStorageOptionForceUnitAccess) ? kFlagFua : 0;
  if (status != kIOReturnSuccess) {
    record(buffer, byteStart, context_.engine->now(), flags, static_cast<std::uint32_t>(traced_.in_use()), status, 0);
    if (completion)
      complete(*completion, status, 0);
    return;
  }
  const std::uint64_t start = byteStart + params_.base;
  if (!recording_) {
    if (write)
      provider_.write(start, buffer, attributes, completion);
    else
      provider_.read(start, buffer, attributes, completion);
    return;
  }
  const auto queue_depth = static_cast<std::uint32_t>(traced_.in_use());
  const std::uint32_t slot = traced_.acquire();
  Traced& t = traced_[slot];
  t.completion = completion ? *completion : IOStorageCompletion{};
  t.buffer = buffer;
  t.byte_start = byteStart;
  t.submit = context_.engine->now();
  t.flags = flags;
  t.queue_depth = queue_depth;
  t.slot = slot;
  IOStorageCompletion mine{this, &IOMedia::traced_done, &t};
  if (write)
    provider_.write(start, buffer, attributes, &mine);
  else
    provider_.read(start, buffer, attributes, &mine);
}

void IOMedia::traced_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  auto* self = static_cast<IOMedia*>(target);
  const Traced t = *static_cast<Traced*>(parameter);
  self->traced_.release(t.slot);
  self->record(t.buffer, t.byte_start, t.submit, t.flags, t.queue_depth, status, bytes);
  complete(t.completion, status, bytes);
}

void IOMedia::record(const IOMemoryDescriptor* buffer, std::uint64_t byteStart, SimTime submit, std::uint32_t flags,
                     std::uint32_t queue_depth, IOReturn status, std::uint64_t bytes) const {
  // Successes only when recording; errors always, so that a refused request is seen somewhere.
  if (context_.sink == nullptr || (status == kIOReturnSuccess && !recording_))
    return;
  const std::uint64_t block = params_.preferred_block_size ? params_.preferred_block_size : 1;
  const std::uint64_t length = buffer ? buffer->length : 0;
  CompletionRecord r;
  r.request_id = buffer ? buffer->request_id : 0;
  r.parent_id = buffer ? buffer->parent_id : 0;
  r.device = device_index_;
  r.op = buffer && buffer->direction == IODirection::kOut ? Op::kWrite : Op::kRead;
  r.layer = Layer::kMedia;
  r.flags = flags;
  r.lba = byteStart / block;
  r.blocks = length ? (byteStart + length + block - 1) / block - r.lba : 0;
  r.bytes = bytes;
  r.submit = r.dispatch = submit;
  r.complete = context_.engine->now();
  r.status = status;
  r.queue_depth = queue_depth;
  context_.sink->record(r);
}

IOReturn IOMedia::synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                              IOStorageCompletion* completion) {
  if (IOReturn status = check_state(true); status != kIOReturnSuccess)
    return status;
  if (byteStart > params_.size || params_.size - byteStart < byteCount)
    return kIOReturnBadArgument;
  // byteCount 0 means "to the end of this media". A whole media passes it on as it is; a
  // partition gives its own extent, so that the provider does not flush past it.
  const std::uint64_t count = byteCount == 0 && !params_.is_whole ? params_.size - byteStart : byteCount;
  return provider_.synchronize(byteStart + params_.base, count, options, completion);
}

IOReturn IOMedia::unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                        IOStorageCompletion* completion) {
  if (IOReturn status = check_state(true); status != kIOReturnSuccess)
    return status;
  if (extents == nullptr && extentsCount > 0)
    return kIOReturnBadArgument;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    if (extents[i].byteStart > params_.size || params_.size - extents[i].byteStart < extents[i].byteCount)
      return kIOReturnBadArgument;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    extents[i].byteStart += params_.base;
  return provider_.unmap(extents, extentsCount, options, completion);
}

}  // namespace blocksim
