#include "sim/driver/block_storage_driver.hpp"

#include <algorithm>

namespace blocksim {

IOBlockStorageDriver::IOBlockStorageDriver(const StackContext& context, IOBlockStorageDevice& device, std::string name,
                                           std::uint32_t device_index)
    : context_(context),
      device_(device),
      name_(std::move(name)),
      device_index_(device_index),
      calls_(device, context.ledger, *context.engine, device_index) {}

IOBlockStorageDriver::~IOBlockStorageDriver() {
  stop_watchdog();
  device_.attach_client(nullptr);
}

bool IOBlockStorageDriver::open(IOService* client, IOStorageAccess access) {
  // Only the media object the driver published opens it, and only while it is the current one.
  if (media_ == nullptr || client != media_ || access == kIOStorageAccessNone)
    return false;
  opened_by_media_ = true;
  return true;
}

void IOBlockStorageDriver::close(IOService* client) {
  if (client == media_)
    opened_by_media_ = false;
}

void IOBlockStorageDriver::read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                                IOStorageCompletion* completion) {
  prepare(Op::kRead, byteStart, buffer, attributes, completion);
}

void IOBlockStorageDriver::write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                                 IOStorageCompletion* completion) {
  prepare(Op::kWrite, byteStart, buffer, attributes, completion);
}

// prepareRequest (§4.2, step 1).
void IOBlockStorageDriver::prepare(Op op, std::uint64_t byteStart, IOMemoryDescriptor* buffer,
                                   IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  const auto queue_depth = static_cast<std::uint32_t>(requests_.in_use());
  const std::uint32_t slot = requests_.acquire();
  DriverRequest& r = requests_[slot];
  r.op = op;
  r.slot = slot;
  r.byte_start = byteStart;
  r.buffer = buffer;
  r.completion = completion ? *completion : IOStorageCompletion{};
  r.submit = context_.engine->now();
  r.queue_depth = queue_depth;
  if (attributes) {
    r.attributes = *attributes;
    r.flags = (attributes->options & kIOStorageOptionForceUnitAccess) ? kFlagFua : 0;
  }
  const bool reserved = attributes && ((attributes->options & kIOStorageOptionReserved) ||
                                       attributes->reserved0024 || attributes->reserved0032 ||
                                       attributes->reserved0064);
  if (reserved || buffer == nullptr) {
    finish(slot, kIOReturnBadArgument, 0);
    return;
  }
  deblock(slot);
}

// prepareRequestCompletion (§4.2, step 5).
void IOBlockStorageDriver::finish(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  DriverRequest& r = requests_[slot];
  if (status == kIOReturnSuccess && r.buffer && bytes < r.buffer->length)
    status = kIOReturnUnderrun;
  count(r, status, bytes, context_.engine->now());
  record(r, status, bytes);
  release_rmw_lock(r);
  const IOStorageCompletion completion = r.completion;
  requests_.release(slot);
  complete(completion, status, bytes);
}

void IOBlockStorageDriver::count(const DriverRequest& r, IOReturn status, std::uint64_t bytes, SimTime now) {
  const bool write = r.op == Op::kWrite;
  const auto total = static_cast<std::uint64_t>(now - r.submit);
  const auto latent = static_cast<std::uint64_t>((r.dispatched ? r.dispatch : now) - r.submit);
  if (write) {
    ++statistics_[kStatisticsWrites];
    if (r.buffer && r.buffer->length <= block_size_)
      ++statistics_[kStatisticsSingleBlockWrites];
    statistics_[kStatisticsBytesWritten] += bytes;
    statistics_[kStatisticsTotalWriteTime] += total;
    statistics_[kStatisticsLatentWriteTime] += latent;
    statistics_[kStatisticsWriteErrors] += status != kIOReturnSuccess;
  } else {
    ++statistics_[kStatisticsReads];
    statistics_[kStatisticsBytesRead] += bytes;
    statistics_[kStatisticsTotalReadTime] += total;
    statistics_[kStatisticsLatentReadTime] += latent;
    statistics_[kStatisticsReadErrors] += status != kIOReturnSuccess;
  }
}

void IOBlockStorageDriver::record(const DriverRequest& r, IOReturn status, std::uint64_t bytes) const {
  if (context_.sink == nullptr)
    return;
  CompletionRecord c;
  c.device = device_index_;
  c.op = r.op;
  c.layer = Layer::kDriver;
  c.flags = r.flags;
  if (r.buffer) {
    const std::uint64_t bs = block_size_ ? block_size_ : 1;
    c.request_id = r.buffer->request_id;
    c.parent_id = r.buffer->parent_id;
    c.lba = r.byte_start / bs;
    c.blocks = (r.byte_start + r.buffer->length + bs - 1) / bs - c.lba;
  } else {
    c.lba = r.lba;
    c.blocks = r.blocks;
  }
  c.bytes = bytes;
  c.submit = r.submit;
  c.dispatch = r.dispatched ? r.dispatch : r.submit;
  c.complete = context_.engine->now();
  c.status = status;
  c.queue_depth = r.queue_depth;
  context_.sink->record(c);
}

std::uint32_t IOBlockStorageDriver::getStatistics(std::uint64_t* statistics, std::uint32_t statisticsMaxCount) const {
  if (statistics == nullptr)
    return kStatisticsCount;
  const std::uint32_t n = std::min<std::uint32_t>(statisticsMaxCount, kStatisticsCount);
  std::copy_n(statistics_.begin(), n, statistics);
  return n;
}

// --- commands: synchronize, unmap (and the eject and format of driver_media_state.cpp) -------------

std::uint32_t IOBlockStorageDriver::new_command(Op op, IOStorageCompletion* completion) {
  const auto queue_depth = static_cast<std::uint32_t>(requests_.in_use());
  const std::uint32_t slot = requests_.acquire();
  DriverRequest& r = requests_[slot];
  r.op = op;
  r.stage = DriverStage::kCommand;
  r.slot = slot;
  r.completion = completion ? *completion : IOStorageCompletion{};
  r.submit = r.dispatch = context_.engine->now();
  r.dispatched = true;
  r.queue_depth = queue_depth;
  return slot;
}

IOStorageCompletion IOBlockStorageDriver::command_completion(std::uint32_t slot) {
  return IOStorageCompletion{this, &IOBlockStorageDriver::command_done, &requests_[slot]};
}

void IOBlockStorageDriver::command_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  auto* self = static_cast<IOBlockStorageDriver*>(target);
  const std::uint32_t slot = static_cast<DriverRequest*>(parameter)->slot;
  if (self->requests_[slot].stage == DriverStage::kEjectFlush || self->requests_[slot].stage == DriverStage::kEject)
    self->eject_step(slot, status);
  else
    self->finish_command(slot, status, bytes);
}

void IOBlockStorageDriver::finish_command(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  DriverRequest& r = requests_[slot];
  if (r.op == Op::kFormat)
    mediaStateHasChanged(kIOMediaStateOnline);  // also after a failed format (§4.5)
  record(r, status, bytes);
  const IOStorageCompletion completion = r.completion;
  requests_.release(slot);
  complete(completion, status, bytes);
}

IOReturn IOBlockStorageDriver::synchronize(std::uint64_t byteStart, std::uint64_t byteCount,
                                           IOStorageSynchronizeOptions options, IOStorageCompletion* completion) {
  if (options & kIOStorageSynchronizeOptionReserved)
    return kIOReturnBadArgument;
  const std::uint64_t bs = block_size_ ? block_size_ : 1;
  // Rounded outward; a count of 0 means to the end (§4.4).
  std::uint64_t block = byteStart / bs;
  std::uint64_t nblks = byteCount == 0 ? 0 : (byteStart + byteCount + bs - 1) / bs - block;
  const bool barrier = options & kIOStorageSynchronizeOptionBarrier;
  if (barrier && !characteristics_.feature_barrier) {
    // No barrier support: a full flush, as the default doSynchronize makes of it (§5, §7.2).
    block = nblks = 0;
    options = kIOStorageSynchronizeOptionNone;
  }
  const std::uint32_t slot = new_command(Op::kFlush, completion);
  DriverRequest& r = requests_[slot];
  r.lba = block;
  r.blocks = nblks;
  r.flags = barrier ? kFlagBarrier : 0;
  IOStorageCompletion done = command_completion(slot);
  const IOReturn status = calls_.doSynchronize(block, nblks, options, &done);
  if (status != kIOReturnSuccess)
    requests_.release(slot);
  return status;
}

IOReturn IOBlockStorageDriver::unmap(IOStorageExtent* extents, std::uint32_t extentsCount,
                                     IOStorageUnmapOptions options, IOStorageCompletion* completion) {
  if (options & kIOStorageUnmapOptionReserved)
    return kIOReturnBadArgument;
  const std::uint64_t bs = block_size_ ? block_size_ : 1;
  const std::uint32_t slot = new_command(Op::kUnmap, completion);
  DriverRequest& r = requests_[slot];
  // Rounded inward: partial blocks are never discarded; extents without a whole block drop out (§4.4).
  for (std::uint32_t i = 0; i < extentsCount; ++i) {
    const std::uint64_t first = (extents[i].byteStart + bs - 1) / bs;
    const std::uint64_t end = (extents[i].byteStart + extents[i].byteCount) / bs;
    if (end > first) {
      r.extents.push_back({first, end - first});
      r.blocks += end - first;
    }
  }
  r.lba = r.extents.empty() ? 0 : r.extents.front().blockStart;
  if (r.extents.empty()) {
    // Nothing whole to discard: success without calling the device.
    context_.engine->at(context_.engine->now(), [this, slot] { finish_command(slot, kIOReturnSuccess, 0); });
    return kIOReturnSuccess;
  }
  IOStorageCompletion done = command_completion(slot);
  const IOReturn status =
      calls_.doUnmap(r.extents.data(), static_cast<std::uint32_t>(r.extents.size()), options, &done);
  if (status != kIOReturnSuccess)
    requests_.release(slot);
  return status;
}

}  // namespace blocksim
