#include "models/common/device_base.hpp"

#include "sim/core/units.hpp"

namespace blocksim {

namespace {
bool forced_unit_access(const IOStorageAttributes* attributes) {
  return attributes && (attributes->options & kIOStorageOptionForceUnitAccess);
}
}  // namespace

DeviceBase::DeviceBase(const DeviceContext& context, const proto::Device& config, std::string model_name)
    : context_(context),
      config_(config),
      profile_(config, std::move(model_name)),
      media_present_(config.media().present()),
      write_protected_(config.media().write_protected()),
      cache_present_(config.write_cache().present()),
      cache_enabled_(config.write_cache().enabled()) {
  if (config.carry_data())
    data_ = std::make_unique<DeviceData>(static_cast<std::uint32_t>(profile_.block_size), profile_.block_count);
}

IOReturn DeviceBase::reportBlockSize(std::uint64_t* blockSize) const {
  *blockSize = profile_.block_size;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::reportMaxValidBlock(std::uint64_t* maxBlock) const {
  *maxBlock = profile_.block_count - 1;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::reportMediaState(bool* mediaPresent, bool* changedState) {
  *mediaPresent = media_present_;
  if (changedState)
    *changedState = false;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::reportRemovability(bool* isRemovable) {
  *isRemovable = profile_.removable;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::reportEjectability(bool* isEjectable) {
  *isEjectable = profile_.ejectable;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::reportWriteProtection(bool* isWriteProtected) {
  *isWriteProtected = write_protected_;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::getWriteCacheState(bool* enabled) {
  if (!cache_present_)
    return kIOReturnUnsupported;
  *enabled = cache_enabled_;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::setWriteCacheState(bool enabled) {
  if (!cache_present_)
    return kIOReturnUnsupported;
  // A drive writes its cache back before it stops using it (ATA SET FEATURES, SCSI WCE = 0).
  if (!enabled)
    flush_data();
  cache_enabled_ = enabled;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::requestIdle() {
  if (!config_.capabilities().idle())
    return kIOReturnUnsupported;
  ++idle_requests_;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::doEjectMedia(IOStorageCompletion* completion) {
  if (powered_off_)
    return kIOReturnNoPower;
  if (!config_.media().removable()) {
    // A fixed disk takes "eject" as park / spin down (the driver's shutdown path, §4.5).
    complete_later(completion, Op::kEject, kIOReturnSuccess);
    return kIOReturnSuccess;
  }
  if (!config_.media().ejectable())
    return kIOReturnUnsupported;
  if (!media_present_)
    return kIOReturnNoMedia;
  media_present_ = false;
  complete_later(completion, Op::kEject, kIOReturnSuccess);
  return kIOReturnSuccess;
}

IOReturn DeviceBase::doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) {
  if (!config_.capabilities().format())
    return kIOReturnUnsupported;
  if (powered_off_)
    return kIOReturnNoPower;
  if (!media_present_)
    return kIOReturnNoMedia;
  if (write_protected_)
    return kIOReturnNotWritable;
  if (byteCapacity != profile_.block_count * profile_.block_size)  // must be one doGetFormatCapacities offers
    return kIOReturnBadArgument;
  if (data_)
    data_->erase_all();
  complete_later(completion, Op::kFormat, kIOReturnSuccess);
  return kIOReturnSuccess;
}

DeviceCharacteristics DeviceBase::characteristics() const {
  const auto& limits = config_.limits();
  const auto& caps = config_.capabilities();
  DeviceCharacteristics c;
  c.max_block_count_read = limits.max_block_count_read();
  c.max_block_count_write = limits.max_block_count_write();
  c.max_byte_count_read = units::bytes(limits.max_byte_count_read());
  c.max_byte_count_write = units::bytes(limits.max_byte_count_write());
  c.max_segment_count_read = limits.max_segment_count_read();
  c.max_segment_count_write = limits.max_segment_count_write();
  c.max_segment_byte_count_read = units::bytes(limits.max_segment_byte_count_read());
  c.max_segment_byte_count_write = units::bytes(limits.max_segment_byte_count_write());
  c.min_segment_alignment = static_cast<std::uint32_t>(units::bytes(limits.min_segment_alignment()));
  c.feature_force_unit_access = caps.force_unit_access();
  c.feature_barrier = caps.barrier();
  c.feature_unmap = caps.unmap();
  c.solid_state = config_.media().solid_state();
  return c;
}

void DeviceBase::collect_metrics(std::vector<DeviceMetric>* out) const {
  if (config_.capabilities().idle())
    out->push_back({"idle_requests", static_cast<double>(idle_requests_), "count"});
  if (data_)
    data_->collect_metrics(out);
}

void DeviceBase::power_cut() {
  powered_off_ = true;
  if (data_)
    data_->power_cut();
}

IOReturn DeviceBase::set_media_present(bool present) {
  if (!config_.media().removable())
    return kIOReturnUnsupported;
  if (present == media_present_)
    return kIOReturnSuccess;
  media_present_ = present;
  return messageClients(kIOMessageMediaStateHasChanged, present ? kIOMediaStateOnline : kIOMediaStateOffline);
}

IOReturn DeviceBase::set_write_protection(bool on) {
  write_protected_ = on;
  return messageClients(kIOMessageMediaParametersHaveChanged);
}

IOReturn DeviceBase::check_transfer(const IOMemoryDescriptor* buffer, std::uint64_t block,
                                    std::uint64_t nblks) const {
  if (powered_off_)
    return kIOReturnNoPower;
  if (!media_present_)
    return kIOReturnNoMedia;
  if (buffer == nullptr || !valid_range(profile_, block, nblks) || buffer->length != nblks * profile_.block_size)
    return kIOReturnBadArgument;
  if (buffer->direction == IODirection::kOut && write_protected_)
    return kIOReturnNotWritable;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                      IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  if (IOReturn status = check_transfer(buffer, block, nblks); status != kIOReturnSuccess)
    return status;
  Transfer transfer;
  transfer.op = buffer->direction == IODirection::kIn ? Op::kRead : Op::kWrite;
  transfer.flags = forced_unit_access(attributes) ? kFlagFua : 0;
  transfer.completion = completion ? *completion : IOStorageCompletion{};
  return start_transfer(buffer, block, nblks, attributes, transfer);
}

Durability DeviceBase::write_durability(const IOStorageAttributes* attributes) const {
  return blocksim::write_durability(profile_, write_cache_enabled(), forced_unit_access(attributes));
}

void DeviceBase::store_write(const IOMemoryDescriptor& buffer, std::uint64_t lba, std::uint64_t nblks,
                             Durability durability) {
  if (data_)
    data_->write(lba, nblks, buffer.bytes, durability);
}

void DeviceBase::load_read(IOMemoryDescriptor& buffer, std::uint64_t lba, std::uint64_t nblks) const {
  if (data_ && buffer.bytes)
    data_->read(lba, nblks, buffer.bytes);
}

void DeviceBase::flush_data(std::uint64_t lba, std::uint64_t nblks) {
  if (data_)
    data_->flush(lba, nblks);
}

CompletionRecord DeviceBase::make_record(const IOMemoryDescriptor* buffer, Op op, std::uint64_t lba,
                                         std::uint64_t blocks) const {
  CompletionRecord record;
  if (buffer) {
    record.request_id = buffer->request_id;
    record.parent_id = buffer->parent_id;
  }
  record.device = context_.index;
  record.op = op;
  record.layer = Layer::kDevice;
  record.lba = lba;
  record.blocks = blocks;
  return record;
}

void DeviceBase::complete_request(const DeviceRequest& request, std::uint64_t bytes) const {
  CompletionRecord record = make_record(request.buffer, request.op, request.lba, request.blocks);
  record.flags = request.flags;
  record.bytes = bytes;
  record.submit = request.submit;
  record.dispatch = request.dispatch;
  record.complete = engine().now();
  record.status = kIOReturnSuccess;
  record.queue_depth = request.queue_depth;
  report(record);
  complete(request.completion, kIOReturnSuccess, bytes);
}

void DeviceBase::complete_later(IOStorageCompletion* completion, Op op, IOReturn status) {
  const IOStorageCompletion done = completion ? *completion : IOStorageCompletion{};
  const SimTime submit = engine().now();
  engine().at(submit, [this, done, op, status, submit] {
    CompletionRecord record = make_record(nullptr, op, 0, 0);
    record.submit = record.dispatch = submit;
    record.complete = engine().now();
    record.status = status;
    report(record);
    blocksim::complete(done, status, 0);
  });
}

}  // namespace blocksim
