#include "models/common/fault_injector.hpp"

#include <algorithm>

namespace blocksim {

FaultInjector::FaultInjector(Engine& engine, CompletionSink* sink) : engine_(engine), sink_(sink) {}

FaultInjector::~FaultInjector() {
  if (model_)
    model_->attach_client(nullptr);
}

void FaultInjector::adopt(std::unique_ptr<IOBlockStorageDevice> model) {
  model_ = std::move(model);
  set_provider(model_.get());
  model_->attach_client(this);
}

// --- faults -------------------------------------------------------------------------------------

void FaultInjector::add_unreadable(std::uint64_t lba, std::uint64_t blocks, std::uint32_t retries) {
  unreadable_.add(lba, blocks, retries);
}

void FaultInjector::add_failing_writes(std::uint64_t lba, std::uint64_t blocks, std::uint32_t retries) {
  std::uint64_t max_block = 0;
  model_->reportMaxValidBlock(&max_block);
  if (blocks == 0)
    blocks = lba <= max_block ? max_block + 1 - lba : 0;
  failing_writes_.add(lba, blocks, retries);
}

void FaultInjector::stop_responding() {
  if (silent_)
    return;
  silent_ = true;
  // What the model finishes from now on is held, and its records are written here.
  for (std::uint32_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].active && !pending_[i].answered)
      mark(i);
}

void FaultInjector::remove_device() {
  if (removed_)
    return;
  removed_ = true;
  doom_all(kIOReturnAborted);
  // After the in-flight requests are answered, the driver learns the media has gone with the device.
  engine_.at(engine_.now(), [this] { messageClients(kIOMessageMediaStateHasChanged, kIOMediaStateOffline); });
}

void FaultInjector::after_requests(std::uint64_t n, std::function<void()> fn) {
  auto at = std::upper_bound(triggers_.begin(), triggers_.end(), n,
                             [](std::uint64_t count, const auto& trigger) { return count < trigger.first; });
  triggers_.insert(at, {n, std::move(fn)});
}

void FaultInjector::fire_triggers() {
  while (!triggers_.empty() && triggers_.front().first < requests_seen_) {
    auto fn = std::move(triggers_.front().second);
    triggers_.erase(triggers_.begin());
    fn();
  }
}

IOReturn FaultInjector::gate() const {
  if (removed_)
    return kIOReturnNoDevice;
  if (silent_)
    return kIOReturnNotResponding;
  return kIOReturnSuccess;
}

// --- reads and writes ---------------------------------------------------------------------------

IOReturn FaultInjector::doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                         IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  if (removed_)
    return kIOReturnNoDevice;
  ++requests_seen_;
  if (!triggers_.empty())
    fire_triggers();
  if (removed_)
    return kIOReturnNoDevice;
  if (buffer == nullptr)
    return model_->doAsyncReadWrite(buffer, block, nblks, attributes, completion);
  const std::uint32_t slot = pending_.acquire();
  Pending& p = pending_[slot];
  p.self = this;
  p.slot = slot;
  p.active = true;
  p.upper = buffer;
  p.copy = *buffer;
  if (attributes)
    p.attributes = *attributes;
  p.completion = completion ? *completion : IOStorageCompletion{};
  p.lba = block;
  p.blocks = nblks;
  p.submit = engine_.now();
  const BlockRanges& faulty = buffer->direction == IODirection::kIn ? unreadable_ : failing_writes_;
  if (!faulty.empty() && faulty.find(block, nblks, &p.retries_left))
    p.fail_with = kIOReturnIOError;
  if (p.fail_with != kIOReturnSuccess || silent_)
    mark(slot);
  if (silent_)
    return kIOReturnSuccess;  // it sits here until the driver gives up on it
  const IOReturn status = send_to_model(slot);
  if (status != kIOReturnSuccess)
    release(slot);  // not started: the caller completes it
  return status;
}

IOReturn FaultInjector::send_to_model(std::uint32_t slot) {
  Pending& p = pending_[slot];
  IOStorageCompletion done{this, &FaultInjector::model_done, &p};
  const IOReturn status = model_->doAsyncReadWrite(&p.copy, p.lba, p.blocks, &p.attributes, &done);
  p.in_model = status == kIOReturnSuccess;
  return status;
}

void FaultInjector::model_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  static_cast<FaultInjector*>(target)->on_model_done(static_cast<Pending*>(parameter)->slot, status, bytes);
}

void FaultInjector::on_model_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  Pending& p = pending_[slot];
  p.in_model = false;
  if (p.answered) {  // answered early: the model has let go of it at last
    release(slot);
    return;
  }
  if (p.doomed)
    return;  // its answer is on its way
  if (status == kIOReturnSuccess && p.fail_with != kIOReturnSuccess) {
    // The device tries again (an HDD waits a revolution, an SSD rereads with other thresholds).
    if (p.retries_left > 0 && !silent_) {
      --p.retries_left;
      if (send_to_model(slot) == kIOReturnSuccess)
        return;
    }
    status = p.fail_with;
    bytes = 0;
    ++(p.copy.direction == IODirection::kIn ? failed_reads_ : failed_writes_);
  }
  p.outcome = status;
  p.outcome_bytes = bytes;
  if (status == kIOReturnSuccess && p.copy.direction == IODirection::kOut && !unreadable_.empty()) {
    if (const std::uint64_t repaired = unreadable_.erase(p.lba, p.blocks)) {
      repaired_blocks_ += repaired;
      model_->remap_sectors(p.lba, repaired);
    }
  }
  if (silent_) {
    p.held = true;  // done inside, but the device no longer says so
    return;
  }
  answer(slot);
}

std::string FaultInjector::request_state(const IOMemoryDescriptor* buffer, Op op) const {
  if (buffer == nullptr)
    return model_->request_state(buffer, op);
  for (std::uint32_t i = 0; i < pending_.size(); ++i) {
    if (!pending_.held(i) || pending_[i].upper != buffer)
      continue;
    const Pending& p = pending_[i];
    if (p.held)
      return "held by the fault injector: done, but the device does not answer";
    if (!p.in_model)
      return std::string("in the fault injector, ") + (p.doomed ? "its answer on its way" : "not sent to the model");
    return model_->request_state(&p.copy, op);
  }
  return {};
}

IOReturn FaultInjector::abort(IOMemoryDescriptor* buffer) {
  if (powered_off_)
    return kIOReturnNoPower;
  for (std::uint32_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (p.active && p.upper == buffer && !p.answered && !p.doomed) {
      ++aborted_;
      doom(i, kIOReturnAborted);
      return kIOReturnSuccess;
    }
  }
  return kIOReturnNotFound;
}

void FaultInjector::doom_all(IOReturn status) {
  for (std::uint32_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].active && !pending_[i].answered && !pending_[i].doomed)
      doom(i, status);
}

void FaultInjector::doom(std::uint32_t slot, IOReturn status) {
  Pending& p = pending_[slot];
  p.doomed = true;
  p.outcome = status;
  p.outcome_bytes = 0;
  mark(slot);
  engine_.at(engine_.now(), [this, slot] { answer(slot); });
}

void FaultInjector::mark(std::uint32_t slot) {
  Pending& p = pending_[slot];
  if (p.marked)
    return;
  p.marked = true;
  if (p.copy.request_id != 0)
    marked_[p.copy.request_id] = slot;
}

// Completes the request to the caller with its outcome. If the model still holds it, the slot
// stays (without bytes) until the model returns it.
void FaultInjector::answer(std::uint32_t slot) {
  Pending& p = pending_[slot];
  p.answered = true;
  if (p.marked)
    emit_record(p);
  const IOStorageCompletion completion = p.completion;
  const IOReturn status = p.outcome;
  const std::uint64_t bytes = p.outcome_bytes;
  if (p.in_model)
    p.copy.bytes = nullptr;
  else
    release(slot);
  complete(completion, status, bytes);
}

void FaultInjector::emit_record(const Pending& p) const {
  if (sink_ == nullptr)
    return;
  CompletionRecord r = p.record;
  if (!p.have_record) {
    r.request_id = p.copy.request_id;
    r.parent_id = p.copy.parent_id;
    r.op = p.copy.direction == IODirection::kIn ? Op::kRead : Op::kWrite;
    r.layer = Layer::kDevice;
    r.lba = p.lba;
    r.blocks = p.blocks;
    r.dispatch = p.submit;
    r.flags = (p.attributes.options & kIOStorageOptionForceUnitAccess) ? kFlagFua : 0;
  }
  r.submit = p.submit;
  r.complete = engine_.now();
  r.status = p.outcome;
  r.bytes = p.outcome_bytes;
  sink_->record(r);
}

void FaultInjector::release(std::uint32_t slot) {
  Pending& p = pending_[slot];
  if (p.marked && p.copy.request_id != 0) {
    auto it = marked_.find(p.copy.request_id);
    if (it != marked_.end() && it->second == slot)
      marked_.erase(it);
  }
  p.active = false;
  pending_.release(slot);
}

void FaultInjector::record(const CompletionRecord& completion) {
  if (!marked_.empty() && completion.layer == Layer::kDevice && completion.request_id != 0) {
    auto it = marked_.find(completion.request_id);
    if (it != marked_.end()) {
      Pending& p = pending_[it->second];
      if (!p.have_record) {  // the first try's: its device dispatch time and queue depth
        p.record = completion;
        p.have_record = true;
      }
      return;
    }
  }
  if (sink_)
    sink_->record(completion);
}

void FaultInjector::event(const EventRecord& event) {
  if (sink_)
    sink_->event(event);
}

IOReturn FaultInjector::message(std::uint32_t type, IOBlockStorageDevice*, std::uintptr_t argument) {
  return messageClients(type, argument);
}

// --- everything else goes to the model, unless the device is gone or silent ---------------------

IOReturn FaultInjector::doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                                      IOStorageCompletion* completion) {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->doSynchronize(block, nblks, options, completion);
}

IOReturn FaultInjector::doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount,
                                IOStorageUnmapOptions options, IOStorageCompletion* completion) {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->doUnmap(extents, extentsCount, options, completion);
}

IOReturn FaultInjector::doEjectMedia(IOStorageCompletion* completion) {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->doEjectMedia(completion);
}

IOReturn FaultInjector::doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->doFormatMedia(byteCapacity, completion);
}

std::uint32_t FaultInjector::doGetFormatCapacities(std::uint64_t* capacities, std::uint32_t capacitiesMaxCount) const {
  return removed_ ? 0 : model_->doGetFormatCapacities(capacities, capacitiesMaxCount);
}

IOReturn FaultInjector::reportBlockSize(std::uint64_t* blockSize) const {
  return removed_ ? kIOReturnNoDevice : model_->reportBlockSize(blockSize);
}

IOReturn FaultInjector::reportMaxValidBlock(std::uint64_t* maxBlock) const {
  return removed_ ? kIOReturnNoDevice : model_->reportMaxValidBlock(maxBlock);
}

IOReturn FaultInjector::reportMediaState(bool* mediaPresent, bool* changedState) {
  if (!removed_)
    return model_->reportMediaState(mediaPresent, changedState);
  *mediaPresent = false;
  if (changedState)
    *changedState = false;
  return kIOReturnSuccess;
}


IOReturn FaultInjector::reportWriteProtection(bool* isWriteProtected) {
  return removed_ ? kIOReturnNoDevice : model_->reportWriteProtection(isWriteProtected);
}

IOReturn FaultInjector::getWriteCacheState(bool* enabled) {
  return removed_ ? kIOReturnNoDevice : model_->getWriteCacheState(enabled);
}

IOReturn FaultInjector::setWriteCacheState(bool enabled) {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->setWriteCacheState(enabled);
}

IOReturn FaultInjector::requestIdle() {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->requestIdle();
}

IOReturn FaultInjector::setPowerState(std::uint32_t powerStateOrdinal) {
  if (IOReturn status = gate(); status != kIOReturnSuccess)
    return status;
  return model_->setPowerState(powerStateOrdinal);
}

IOReturn FaultInjector::getPowerState(std::uint32_t* powerStateOrdinal) const {
  return removed_ ? kIOReturnNoDevice : model_->getPowerState(powerStateOrdinal);
}

IOReturn FaultInjector::set_media_present(bool present) {
  if (removed_)
    return kIOReturnNoDevice;
  if (!present) {
    bool removable = false;
    model_->reportRemovability(&removable);
    if (removable)
      doom_all(kIOReturnNoMedia);  // the media left with requests on it
  }
  return model_->set_media_present(present);
}

IOReturn FaultInjector::set_write_protection(bool on) {
  return removed_ ? kIOReturnNoDevice : model_->set_write_protection(on);
}

void FaultInjector::collect_metrics(std::vector<DeviceMetric>* out) const {
  model_->collect_metrics(out);
  if (failed_reads_ || failed_writes_ || repaired_blocks_ || aborted_ || !unreadable_.empty() || removed_ || silent_) {
    out->push_back({"faults.failed_reads", static_cast<double>(failed_reads_), "count"});
    out->push_back({"faults.failed_writes", static_cast<double>(failed_writes_), "count"});
    out->push_back({"faults.unreadable_blocks", static_cast<double>(unreadable_.blocks()), "count"});
    out->push_back({"faults.repaired_blocks", static_cast<double>(repaired_blocks_), "count"});
    out->push_back({"faults.aborted", static_cast<double>(aborted_), "count"});
  }
}

}  // namespace blocksim
