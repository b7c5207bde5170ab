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

kern_return_t report(bool answer, bool* out) {
  *out = answer;
  return kIOReturnSuccess;
}
}  // namespace

DextDeviceModel::DextDeviceModel(const DeviceContext& context, const proto::Device& config)
    : context_(context),
      config_(config),
      profile_(config, "dext"),
      latency_(units::duration_ns(config.dext().latency())),
      ns_per_byte_(1e9 / units::bandwidth(config.dext().media_rate())),
      flush_time_(units::duration_ns(config.dext().flush_time())) {
  if (config.carry_data())
    data_ = std::make_unique<DeviceData>(static_cast<std::uint32_t>(profile_.block_size), profile_.block_count);
}

kern_return_t DextDeviceModel::GetDeviceParams(DeviceParams* p) {
  const auto& dext = config_.dext();
  p->numOfBlocks = profile_.block_count;
  p->blockSize = static_cast<std::uint32_t>(profile_.block_size);
  // maxIOSize rounded down to whole blocks, so that maxIOSize / blockSize blocks fit in it.
  p->maxIOSize = static_cast<std::uint32_t>(units::bytes(dext.max_io_size()) / profile_.block_size * profile_.block_size);
  p->numOfOutstandingIOs = dext.outstanding_ios();
  p->maxNumOfUnmapRegions = dext.max_unmap_regions();
  p->minSegmentAlignment = static_cast<std::uint32_t>(units::bytes(config_.limits().min_segment_alignment()));
  p->numOfAddressBits = 64;
  p->isUnmapSupported = config_.capabilities().unmap();
  p->isFUASupported = profile_.honours_fua;
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
  if (!valid_range(profile_, lba, numOfBlocks) || size != numOfBlocks * profile_.block_size)
    return kIOReturnBadArgument;
  if (!isRead && config_.media().write_protected())
    return kIOReturnNotWritable;
  const std::uint32_t slot = commands_.acquire();
  Command& c = commands_[slot];
  c = Command{requestID, isRead, Durability::kDurable, dmaAddr, size, lba, numOfBlocks};
  if (!isRead) {
    const bool cache_on = config_.write_cache().present() && config_.write_cache().enabled();
    c.durability = write_durability(profile_, cache_on, options & kIOUserStorageOptionForceUnitAccess);
  }
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
    if (ranges[i].startBlock > profile_.block_count || ranges[i].numOfBlocks > profile_.block_count - ranges[i].startBlock)
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

// The answers come from the profile DeviceBase answers IOKit's report calls from.
kern_return_t DextDeviceModel::GetVendorString(DeviceString* s) { return copy_string(profile_.vendor, s); }
kern_return_t DextDeviceModel::GetProductString(DeviceString* s) { return copy_string(profile_.product, s); }
kern_return_t DextDeviceModel::GetRevisionString(DeviceString* s) { return copy_string(profile_.revision, s); }
kern_return_t DextDeviceModel::GetAdditionalInfoString(DeviceString* s) {
  return copy_string(profile_.additional_info, s);
}
kern_return_t DextDeviceModel::ReportEjectability(bool* out) { return report(profile_.ejectable, out); }
kern_return_t DextDeviceModel::ReportRemovability(bool* out) { return report(profile_.removable, out); }
kern_return_t DextDeviceModel::ReportWriteProtection(bool* out) {
  return report(config_.media().write_protected(), out);
}

void DextDeviceModel::collect_metrics(std::vector<DeviceMetric>* out) const {
  if (data_)
    data_->collect_metrics(out);
}

void DextDeviceModel::power_cut() {
  powered_off_ = true;
  if (data_)
    data_->power_cut();
}

}  // namespace blocksim
