#include "sim/device/user_block_storage_shim.hpp"

#include <cstring>

namespace blocksim {

namespace {
std::string to_string(const DeviceString& s) { return std::string(s.data, ::strnlen(s.data, kMaxDeviceStringLength)); }
}  // namespace

UserBlockStorageShim::UserBlockStorageShim(Engine& engine, std::unique_ptr<IOUserBlockStorageDevice> dext,
                                           CompletionSink* sink, std::uint32_t device_index)
    : engine_(engine), dext_(std::move(dext)), sink_(sink), device_index_(device_index) {
  dext_->attach_kernel(this);
}

UserBlockStorageShim::~UserBlockStorageShim() { dext_->attach_kernel(nullptr); }

IOReturn UserBlockStorageShim::start() {
  DeviceParams params;
  if (IOReturn status = dext_->GetDeviceParams(&params); status != kIOReturnSuccess)
    return status;
  // StartDev (§6.3): a device without a block size or without a single request slot is refused.
  if (params.blockSize == 0 || params.numOfOutstandingIOs == 0)
    return kIOReturnError;
  params_ = params;
  slots_.assign(params_.numOfOutstandingIOs, Slot{});
  free_ids_.clear();
  for (std::uint32_t id = params_.numOfOutstandingIOs; id-- > 0;)
    free_ids_.push_back(id);
  inactive_ = false;
  return kIOReturnSuccess;
}

IOReturn UserBlockStorageShim::doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                                IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  if (inactive_)
    return kIOReturnNoDevice;
  if (buffer == nullptr || nblks == 0)
    return kIOReturnBadArgument;
  // Each record's DMA command is sized maxIOSize: a longer buffer does not map to one segment.
  if (buffer->length > params_.maxIOSize)
    return kIOReturnError;
  Submission s;
  s.kind = Kind::kReadWrite;
  s.buffer = buffer;
  s.block = block;
  s.nblks = nblks;
  // Only FUA crosses to the dext; encryption, static and priority are dropped (§6.3).
  if (attributes && (attributes->options & kIOStorageOptionForceUnitAccess))
    s.options = kIOUserStorageOptionForceUnitAccess;
  s.completion = completion ? *completion : IOStorageCompletion{};
  return submit(std::move(s));
}

IOReturn UserBlockStorageShim::doSynchronize(std::uint64_t block, std::uint64_t nblks,
                                             IOStorageSynchronizeOptions /*options*/, IOStorageCompletion* completion) {
  // The options (a barrier) do not reach the dext: it sees a plain range flush (§6.3).
  if (inactive_)
    return kIOReturnNoDevice;
  Submission s;
  s.kind = Kind::kSynchronize;
  s.block = block;
  s.nblks = nblks;
  s.completion = completion ? *completion : IOStorageCompletion{};
  return submit(std::move(s));
}

IOReturn UserBlockStorageShim::doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount,
                                       IOStorageUnmapOptions /*options*/, IOStorageCompletion* completion) {
  if (inactive_)
    return kIOReturnNoDevice;
  if (extents == nullptr || extentsCount == 0)
    return kIOReturnBadArgument;
  Submission s;
  s.kind = Kind::kUnmap;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    s.ranges.push_back(BlockRange{extents[i].blockStart, extents[i].blockCount});
  s.completion = completion ? *completion : IOStorageCompletion{};
  return submit(std::move(s));
}

IOReturn UserBlockStorageShim::doEjectMedia(IOStorageCompletion* completion) {
  if (inactive_)
    return kIOReturnNoDevice;
  Submission s;
  s.kind = Kind::kEject;
  s.completion = completion ? *completion : IOStorageCompletion{};
  return submit(std::move(s));
}

IOReturn UserBlockStorageShim::doFormatMedia(std::uint64_t, IOStorageCompletion*) { return kIOReturnUnsupported; }

std::uint32_t UserBlockStorageShim::doGetFormatCapacities(std::uint64_t* capacities,
                                                          std::uint32_t capacitiesMaxCount) const {
  if (capacities && capacitiesMaxCount > 0)
    capacities[0] = params_.numOfBlocks * params_.blockSize;
  return 1;
}

std::string UserBlockStorageShim::getVendorString() const {
  DeviceString s;
  dext_->GetVendorString(&s);
  return to_string(s);
}

std::string UserBlockStorageShim::getProductString() const {
  DeviceString s;
  dext_->GetProductString(&s);
  return to_string(s);
}

// Reproduced quirk of the kext (§6.3): the revision and the additional information strings both
// come from the dext's GetVendorString.
std::string UserBlockStorageShim::getRevisionString() const { return getVendorString(); }
std::string UserBlockStorageShim::getAdditionalDeviceInfoString() const { return getVendorString(); }

IOReturn UserBlockStorageShim::reportBlockSize(std::uint64_t* blockSize) const {
  *blockSize = params_.blockSize;
  return kIOReturnSuccess;
}

IOReturn UserBlockStorageShim::reportMaxValidBlock(std::uint64_t* maxBlock) const {
  *maxBlock = params_.numOfBlocks - 1;
  return kIOReturnSuccess;
}

IOReturn UserBlockStorageShim::reportMediaState(bool* mediaPresent, bool* changedState) {
  // Fixed answers of the kext: media present, state changed.
  *mediaPresent = true;
  if (changedState)
    *changedState = true;
  return kIOReturnSuccess;
}

IOReturn UserBlockStorageShim::reportRemovability(bool* isRemovable) { return dext_->ReportRemovability(isRemovable); }
IOReturn UserBlockStorageShim::reportEjectability(bool* isEjectable) { return dext_->ReportEjectability(isEjectable); }
IOReturn UserBlockStorageShim::reportWriteProtection(bool* isWriteProtected) {
  return dext_->ReportWriteProtection(isWriteProtected);
}

DeviceCharacteristics UserBlockStorageShim::characteristics() const {
  DeviceCharacteristics c;
  c.max_byte_count_read = c.max_byte_count_write = params_.maxIOSize;
  c.max_block_count_read = c.max_block_count_write = params_.blockSize ? params_.maxIOSize / params_.blockSize : 0;
  c.min_segment_alignment = params_.minSegmentAlignment;
  c.feature_unmap = params_.isUnmapSupported;
  c.feature_force_unit_access = params_.isFUASupported;
  return c;  // no Barrier, no Priority
}

IOReturn UserBlockStorageShim::terminate() {
  if (inactive_)
    return kIOReturnSuccess;
  inactive_ = true;
  // willTerminate: every request in flight completes with kIOReturnAborted; submissions still
  // waiting for a record wake up to an inactive service.
  for (Slot& slot : slots_) {
    if (slot.state != SlotState::kOccupied)
      continue;
    slot.state = SlotState::kAborted;
    record(slot.request, kIOReturnAborted, 0);
    const IOStorageCompletion c = slot.request.completion;
    engine_.at(engine_.now(), [c] { blocksim::complete(c, kIOReturnAborted, 0); });
  }
  for (const Submission& s : blocked_) {
    record(s, kIOReturnNoDevice, 0);
    const IOStorageCompletion c = s.completion;
    engine_.at(engine_.now(), [c] { blocksim::complete(c, kIOReturnNoDevice, 0); });
  }
  blocked_.clear();
  messageClients(kIOMessageMediaStateHasChanged, kIOMediaStateOffline);
  return kIOReturnSuccess;
}

IOReturn UserBlockStorageShim::submit(Submission&& submission) {
  submission.submit = submission.dispatch = engine_.now();
  submission.queue_depth = static_cast<std::uint32_t>(records_in_use_ + blocked_.size());
  if (free_ids_.empty()) {
    blocked_.push_back(std::move(submission));
    return kIOReturnSuccess;
  }
  const std::uint32_t id = free_ids_.back();
  free_ids_.pop_back();
  ++records_in_use_;
  slots_[id].state = SlotState::kOccupied;
  slots_[id].request = std::move(submission);
  const IOReturn status = call_dext(id);
  if (status != kIOReturnSuccess && slots_[id].state == SlotState::kOccupied)
    release(id);
  return status;
}

IOReturn UserBlockStorageShim::call_dext(std::uint32_t id) {
  Submission& r = slots_[id].request;
  ++inside_dext_call_;
  IOReturn status = kIOReturnSuccess;
  switch (r.kind) {
    case Kind::kReadWrite:
      status = dext_->DoAsyncReadWrite(r.buffer->direction == IODirection::kIn, id, dma_address(id), r.buffer->length,
                                       r.block, r.nblks, r.options);
      break;
    case Kind::kSynchronize: status = dext_->DoAsyncSynchronize(id, r.block, r.nblks); break;
    case Kind::kUnmap: status = send_unmap_chunk(id); break;
    case Kind::kEject: status = dext_->DoAsyncEjectMedia(id); break;
  }
  --inside_dext_call_;
  return status;
}

// Unmap goes in chunks of at most maxNumOfUnmapRegions ranges, one chunk at a time (§6.3).
IOReturn UserBlockStorageShim::send_unmap_chunk(std::uint32_t id) {
  Submission& r = slots_[id].request;
  const std::size_t left = r.ranges.size() - r.next_range;
  r.chunk = params_.maxNumOfUnmapRegions ? std::min<std::size_t>(left, params_.maxNumOfUnmapRegions) : left;
  const BlockRange* first = r.ranges.data() + r.next_range;
  r.next_range += r.chunk;
  return dext_->DoAsyncUnmapPriv(id, first, static_cast<std::uint32_t>(r.chunk));
}

void UserBlockStorageShim::start_reserved(std::uint32_t id) {
  if (inactive_) {
    const Submission request = std::move(slots_[id].request);
    slots_[id] = Slot{};
    --records_in_use_;
    finish(request, kIOReturnNoDevice, 0);
    return;
  }
  slots_[id].state = SlotState::kOccupied;
  slots_[id].request.dispatch = engine_.now();
  const IOReturn status = call_dext(id);
  if (status != kIOReturnSuccess && slots_[id].state == SlotState::kOccupied) {
    const Submission request = std::move(slots_[id].request);
    release(id);
    finish(request, status, 0);
  }
}

void UserBlockStorageShim::release(std::uint32_t id) {
  slots_[id] = Slot{};
  if (!blocked_.empty() && !inactive_) {
    // The record goes to the submission that has waited longest; it starts from a timer so that
    // it does not run inside the completion that freed the record.
    slots_[id].state = SlotState::kReserved;
    slots_[id].request = std::move(blocked_.front());
    blocked_.pop_front();
    engine_.at(engine_.now(), [this, id] { start_reserved(id); });
    return;
  }
  free_ids_.push_back(id);
  --records_in_use_;
}

void UserBlockStorageShim::record(const Submission& request, IOReturn status, std::uint64_t bytes) {
  if (!sink_)
    return;
  CompletionRecord r;
  switch (request.kind) {
    case Kind::kReadWrite:
      r.op = request.buffer->direction == IODirection::kIn ? Op::kRead : Op::kWrite;
      r.request_id = request.buffer->request_id;
      r.parent_id = request.buffer->parent_id;
      break;
    case Kind::kSynchronize: r.op = Op::kFlush; break;
    case Kind::kUnmap: r.op = Op::kUnmap; break;
    case Kind::kEject: r.op = Op::kEject; break;
  }
  r.device = device_index_;
  r.layer = Layer::kDevice;
  r.flags = (request.options & kIOUserStorageOptionForceUnitAccess) ? kFlagFua : 0;
  r.lba = request.block;
  r.blocks = request.nblks;
  r.bytes = bytes;
  r.submit = request.submit;
  r.dispatch = request.dispatch;
  r.complete = engine_.now();
  r.status = status;
  r.queue_depth = request.queue_depth;
  sink_->record(r);
}

void UserBlockStorageShim::finish(const Submission& request, IOReturn status, std::uint64_t bytes) {
  record(request, status, bytes);
  const IOStorageCompletion completion = request.completion;
  // IOKit's rule: a completion never runs inside the call that started the request.
  if (inside_dext_call_ > 0) {
    engine_.at(engine_.now(), [completion, status, bytes] { blocksim::complete(completion, status, bytes); });
    return;
  }
  blocksim::complete(completion, status, bytes);
}

void UserBlockStorageShim::complete_io(std::uint32_t requestID, std::uint64_t bytesTransferred, kern_return_t status) {
  if (requestID >= slots_.size() || inactive_)
    return;
  Slot& slot = slots_[requestID];
  if (slot.state != SlotState::kOccupied || slot.request.kind != Kind::kReadWrite)
    return;
  if (bytesTransferred > slot.request.nblks * params_.blockSize) {
    status = kIOReturnIOError;
    bytesTransferred = 0;
  }
  const Submission request = std::move(slot.request);
  release(requestID);
  finish(request, status, bytesTransferred);
}

void UserBlockStorageShim::complete(std::uint32_t requestID, kern_return_t status) {
  if (requestID >= slots_.size() || inactive_)
    return;
  Slot& slot = slots_[requestID];
  if (slot.state != SlotState::kOccupied || slot.request.kind == Kind::kReadWrite)
    return;
  if (slot.request.kind == Kind::kUnmap && status == kIOReturnSuccess &&
      slot.request.next_range < slot.request.ranges.size()) {
    ++inside_dext_call_;
    status = send_unmap_chunk(requestID);
    --inside_dext_call_;
    if (status == kIOReturnSuccess)
      return;
  }
  const Kind kind = slot.request.kind;
  const Submission request = std::move(slot.request);
  release(requestID);
  finish(request, status, 0);
  if (kind == Kind::kEject && status == kIOReturnSuccess)
    engine_.at(engine_.now(), [this] { terminate(); });
}

std::uint8_t* UserBlockStorageShim::dma_memory(std::uint64_t dmaAddr, std::uint64_t size) {
  const std::uint64_t window = dmaAddr >> kWindowBits;
  if (window == 0 || window > slots_.size())
    return nullptr;
  const Slot& slot = slots_[window - 1];
  const std::uint64_t offset = dmaAddr & ((std::uint64_t{1} << kWindowBits) - 1);
  if (slot.state != SlotState::kOccupied || slot.request.kind != Kind::kReadWrite || slot.request.buffer == nullptr ||
      slot.request.buffer->bytes == nullptr || offset + size > slot.request.buffer->length)
    return nullptr;
  return slot.request.buffer->bytes + offset;
}

}  // namespace blocksim
