// IOKit's filter scheme idea at the device interface, as IOStorageFilter is above it: an
// IOBlockStorageDevice stacked in front of another that passes every call through unchanged, so
// that a layer which changes some calls only (the fault injector) overrides those and no more,
// and a call added to the interface cannot be dropped on the way by a layer that forgot it.
// Holds a pointer to the device behind it, set by the derived class, which owns that device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/device/block_storage_device.hpp"

namespace blocksim {

class IOBlockStorageDeviceFilter : public IOBlockStorageDevice {
 public:
  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) override {
    return provider_->doAsyncReadWrite(buffer, block, nblks, attributes, completion);
  }
  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override {
    return provider_->doSynchronize(block, nblks, options, completion);
  }
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion) override {
    return provider_->doUnmap(extents, extentsCount, options, completion);
  }
  IOReturn doEjectMedia(IOStorageCompletion* completion) override { return provider_->doEjectMedia(completion); }
  IOReturn doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) override {
    return provider_->doFormatMedia(byteCapacity, completion);
  }
  std::uint32_t doGetFormatCapacities(std::uint64_t* capacities, std::uint32_t capacitiesMaxCount) const override {
    return provider_->doGetFormatCapacities(capacities, capacitiesMaxCount);
  }

  std::string getVendorString() const override { return provider_->getVendorString(); }
  std::string getProductString() const override { return provider_->getProductString(); }
  std::string getRevisionString() const override { return provider_->getRevisionString(); }
  std::string getAdditionalDeviceInfoString() const override { return provider_->getAdditionalDeviceInfoString(); }

  IOReturn reportBlockSize(std::uint64_t* blockSize) const override { return provider_->reportBlockSize(blockSize); }
  IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const override {
    return provider_->reportMaxValidBlock(maxBlock);
  }
  IOReturn reportMediaState(bool* mediaPresent, bool* changedState) override {
    return provider_->reportMediaState(mediaPresent, changedState);
  }
  IOReturn reportRemovability(bool* isRemovable) override { return provider_->reportRemovability(isRemovable); }
  IOReturn reportEjectability(bool* isEjectable) override { return provider_->reportEjectability(isEjectable); }
  IOReturn reportWriteProtection(bool* isWriteProtected) override {
    return provider_->reportWriteProtection(isWriteProtected);
  }
  IOReturn getWriteCacheState(bool* enabled) override { return provider_->getWriteCacheState(enabled); }
  IOReturn setWriteCacheState(bool enabled) override { return provider_->setWriteCacheState(enabled); }
  IOReturn requestIdle() override { return provider_->requestIdle(); }
  IOReturn setPowerState(std::uint32_t powerStateOrdinal) override {
    return provider_->setPowerState(powerStateOrdinal);
  }
  IOReturn getPowerState(std::uint32_t* powerStateOrdinal) const override {
    return provider_->getPowerState(powerStateOrdinal);
  }
  DeviceCharacteristics characteristics() const override { return provider_->characteristics(); }

  void collect_metrics(std::vector<DeviceMetric>* out) const override { provider_->collect_metrics(out); }
  void power_cut() override { provider_->power_cut(); }
  IOReturn set_media_present(bool present) override { return provider_->set_media_present(present); }
  IOReturn set_write_protection(bool on) override { return provider_->set_write_protection(on); }
  IOReturn terminate() override { return provider_->terminate(); }
  IOReturn abort(IOMemoryDescriptor* buffer) override { return provider_->abort(buffer); }
  void remap_sectors(std::uint64_t lba, std::uint64_t nblks) override { provider_->remap_sectors(lba, nblks); }
  IOReturn set_component_speed(std::uint32_t component, double speed) override {
    return provider_->set_component_speed(component, speed);
  }
  std::string request_state(const IOMemoryDescriptor* buffer, Op op) const override {
    return provider_->request_state(buffer, op);
  }

 protected:
  // The device behind the filter; set before the first call passes through.
  void set_provider(IOBlockStorageDevice* provider) { provider_ = provider; }
  IOBlockStorageDevice* provider() const { return provider_; }

 private:
  IOBlockStorageDevice* provider_ = nullptr;
};

}  // namespace blocksim
