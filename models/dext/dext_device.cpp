#include "models/dext/dext_device.hpp"

#include <cmath>
#include <cstring>

#include "sim/core/units.hpp"

namespace blocksim {

namespace {
kern_return_t copy_string(const std::string& text, DeviceString* out) {
  std::memset(out->data, 0, sizeof out->data);
  std::memcpy(out->data, text.data(), std::min<std::size_t>(text.size(), kMaxDeviceStringLength - 1));
  return kIOReturnSuccess;
}
}  // namespace

DextDeviceModel::DextDeviceModel(const DeviceContext& context, const proto::Device& config)
    : context_(context),
      config_(config),
      block_size_(static_cast<std::uint32_t>(units::bytes(config.block_size()))),
      block_count_(units::bytes(config.capacity()) / block_size_),
      latency_(units::duration_ns(config.dext().latency())),
      ns_per_byte_(1e9 / units::bandwidth(config.dext().media_rate())),
      flush_time_(units::duration_ns(config.dext().flush_time())) {
  if (config.carry_data())
    data_ = std::make_unique<DeviceData>(block_size_, block_count_);
}

kern_return_t DextDeviceModel::GetDeviceParams(DeviceParams* p) {
  const auto& dext = config_.dext();
  p->numOfBlocks = block_count_;
  p->blockSize = block_size_;
  // maxIOSize rounded down to whole blocks, so that maxIOSize / blockSize blocks fit in it.
  p->maxIOSize = static_cast<std::uint32_t>(units::bytes(dext.max_io_size()) / block_size_ * block_size_);
  p->numOfOutstandingIOs = dext.outstanding_ios();
  p->maxNumOfUnmapRegions = dext.max_unmap_regions();
  p->minSegmentAlignment = static_cast<std::uint32_t>(units::bytes(config_.limits().min_segment_alignment()));
  p->numOfAddressBits = 64;
  p->isUnmapSupported = config_.capabilities().unmap();
  p->isFUASupported = config_.capabilities().force_unit_access();
  return kIOReturnSuccess;
}

SimTime DextDeviceModel::media_time(std::uint64_t bytes) const {
  return latency_ + static_cast<SimTime>(std::llround(ns_per_byte_ * static_cast<double>(bytes)));
}

kern_return_t DextDeviceModel::DoAsyncReadWrite(bool isRead, std::uint32_t requestID, std::uint64_t dmaAddr,
                                                std::uint64_t size, std::uint64_t lba, std::uint64_t numOfBlocks,
                                                IOUserStorageOptions options) {
  if (powered_off_)
    return kIOReturnNoPower;
  if (numOfBlocks == 0 || lba >= block_count_ || numOfBlocks > block_count_ - lba || size != numOfBlocks * block_size_)
    return kIOReturnBadArgument;
  if (!isRead && config_.media().write_protected())
    return kIOReturnNotWritable;
  const std::uint32_t slot = commands_.acquire();
  Command& c = commands_[slot];
  c = Command{requestID, isRead, Durability::kDurable, dmaAddr, size, lba, numOfBlocks};
  const bool cache_on = config_.write_cache().present() && config_.write_cache().enabled();
  const bool fua = (options & kIOUserStorageOptionForceUnitAccess) && config_.capabilities().force_unit_access();
  if (!isRead && cache_on && !fua)
    c.durability = Durability::kVolatile;
  if (isRead) {
    context_.engine->after(media_time(size), [this, slot] { media_done(slot); });
  } else {
    context_.engine->transfer(context_.dma, TransferDirection::kFromHost, size,
                              Callback::to<DextDeviceModel, &DextDeviceModel::media_done>(this, slot));
  }
  return kIOReturnSuccess;
}

void DextDeviceModel::media_done(std::uint64_t slot) {
  if (powered_off_)
    return;
  const Command& c = commands_[static_cast<std::uint32_t>(slot)];
  if (c.is_read)
    context_.engine->transfer(context_.dma, TransferDirection::kToHost, c.size,
                              Callback::to<DextDeviceModel, &DextDeviceModel::finish>(this, slot));
  else if (c.durability == Durability::kVolatile)
    finish(slot);  // into the cache: no media time
  else
    context_.engine->after(media_time(c.size), [this, slot] { finish(slot); });
}

void DextDeviceModel::finish(std::uint64_t slot_index) {
  if (powered_off_)
    return;
  const auto slot = static_cast<std::uint32_t>(slot_index);
  const Command c = commands_[slot];
  commands_.release(slot);
  if (data_) {
    if (std::uint8_t* memory = dma_memory(c.dma_address, c.size); c.is_read) {
      if (memory)
        data_->read(c.lba, c.blocks, memory);
    } else {
      data_->write(c.lba, c.blocks, memory, c.durability);
    }
  }
  CompleteIO(c.request_id, c.size, kIOReturnSuccess);
}

kern_return_t DextDeviceModel::DoAsyncSynchronize(std::uint32_t requestID, std::uint64_t, std::uint64_t) {
  if (powered_off_)
    return kIOReturnNoPower;
  context_.engine->after(flush_time_, [this, requestID] {
    if (powered_off_)
      return;
    if (data_)
      data_->flush();
    Complete(requestID, kIOReturnSuccess);
  });
  return kIOReturnSuccess;
}

kern_return_t DextDeviceModel::DoAsyncUnmapPriv(std::uint32_t requestID, const BlockRange* ranges,
                                                std::uint32_t numOfRanges) {
  if (!config_.capabilities().unmap())
    return kIOReturnUnsupported;
  for (std::uint32_t i = 0; i < numOfRanges; ++i)
    if (ranges[i].startBlock > block_count_ || ranges[i].numOfBlocks > block_count_ - ranges[i].startBlock)
      return kIOReturnBadArgument;
  for (std::uint32_t i = 0; i < numOfRanges; ++i)
    if (data_)
      data_->discard(ranges[i].startBlock, ranges[i].numOfBlocks);
  context_.engine->after(0, [this, requestID] { Complete(requestID, kIOReturnSuccess); });
  return kIOReturnSuccess;
}

kern_return_t DextDeviceModel::DoAsyncEjectMedia(std::uint32_t requestID) {
  context_.engine->after(0, [this, requestID] { Complete(requestID, kIOReturnSuccess); });
  return kIOReturnSuccess;
}

kern_return_t DextDeviceModel::GetVendorString(DeviceString* s) { return copy_string(config_.identity().vendor(), s); }
kern_return_t DextDeviceModel::GetProductString(DeviceString* s) {
  return copy_string(config_.identity().has_product() ? config_.identity().product() : "dext", s);
}
kern_return_t DextDeviceModel::GetRevisionString(DeviceString* s) { return copy_string(config_.identity().revision(), s); }
kern_return_t DextDeviceModel::GetAdditionalInfoString(DeviceString* s) {
  return copy_string(config_.identity().additional_info(), s);
}

kern_return_t DextDeviceModel::ReportEjectability(bool* isEjectable) {
  *isEjectable = config_.media().removable() && config_.media().ejectable();
  return kIOReturnSuccess;
}

kern_return_t DextDeviceModel::ReportRemovability(bool* isRemovable) {
  *isRemovable = config_.media().removable();
  return kIOReturnSuccess;
}

kern_return_t DextDeviceModel::ReportWriteProtection(bool* isWriteProtected) {
  *isWriteProtected = config_.media().write_protected();
  return kIOReturnSuccess;
}

void DextDeviceModel::collect_metrics(std::vector<DeviceMetric>* out) const {
  if (!data_)
    return;
  out->push_back({"data.stored_blocks", static_cast<double>(data_->stored_blocks()), "count"});
  out->push_back({"write_cache.cached_blocks", static_cast<double>(data_->cached_blocks()), "count"});
  if (powered_off_)
    out->push_back({"power_cut.lost_blocks", static_cast<double>(data_->lost_blocks()), "count"});
}

void DextDeviceModel::power_cut() {
  powered_off_ = true;
  if (data_)
    data_->power_cut();
}

}  // namespace blocksim
