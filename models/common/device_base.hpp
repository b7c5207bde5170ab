// The part every device model shares: geometry (block size, capacity), the answers of the
// IOBlockStorageDevice report calls from the scenario's common device fields (identity strings,
// removable / ejectable / write-protected media, the write cache's state, transfer limits,
// optional calls), the argument checks of doAsyncReadWrite, eject and format, media changes a
// scenario makes happen, the device's data (DeviceData, when it carries data) and reporting a
// completion to the run's sink. A model derives from it and implements the data path:
//
//   start_transfer(...)           a read or write that passed doAsyncReadWrite's checks, with its
//                                 op, FUA and completion worked out
//   write_durability(attributes)  kDurable when the write must reach the media before it
//                                 completes (FUA, no enabled write cache), else kVolatile
//   store_write / load_read       at completion, move the request's bytes into / out of data()
//   flush_data()                  when a flush completes
// A model with a cache of its own calls data()->flush(lba, n) as it destages.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "blocksim/device.pb.h"
#include "models/common/device_context.hpp"
#include "models/common/device_data.hpp"
#include "models/common/device_profile.hpp"
#include "models/common/device_request.hpp"
#include "sim/device/block_storage_device.hpp"

namespace blocksim {

class DeviceBase : public IOBlockStorageDevice {
 public:
  DeviceBase(const DeviceContext& context, const proto::Device& config, std::string model_name);

  std::string getVendorString() const override { return profile_.vendor; }
  std::string getProductString() const override { return profile_.product; }
  std::string getRevisionString() const override { return profile_.revision; }
  std::string getAdditionalDeviceInfoString() const override { return profile_.additional_info; }
  IOReturn reportBlockSize(std::uint64_t* blockSize) const override;
  IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const override;
  IOReturn reportMediaState(bool* mediaPresent, bool* changedState) override;
  IOReturn reportRemovability(bool* isRemovable) override;
  IOReturn reportEjectability(bool* isEjectable) override;
  IOReturn reportWriteProtection(bool* isWriteProtected) override;
  IOReturn getWriteCacheState(bool* enabled) override;
  IOReturn setWriteCacheState(bool enabled) override;
  IOReturn requestIdle() override;
  // The checks (check_transfer), then the model's start_transfer.
  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) final;
  IOReturn doEjectMedia(IOStorageCompletion* completion) override;
  IOReturn doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) override;
  DeviceCharacteristics characteristics() const override;

  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  void power_cut() override;
  IOReturn set_media_present(bool present) override;
  IOReturn set_write_protection(bool on) override;

  std::uint64_t block_size() const { return profile_.block_size; }
  std::uint64_t block_count() const { return profile_.block_count; }
  const std::string& name() const { return context_.name; }
  // The device's bytes; null unless the scenario says it carries data.
  DeviceData* data() const { return data_.get(); }
  bool powered_off() const { return powered_off_; }

 protected:
  // The checks a device makes before it starts a transfer: media present (else kIOReturnNoMedia),
  // power on (kIOReturnNoPower), a write to write-protected media (kIOReturnNotWritable), a buffer
  // whose length is exactly the block range, a non-empty range inside the media (else
  // kIOReturnBadArgument).
  IOReturn check_transfer(const IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks) const;
  // A transfer that passed check_transfer, as a model queues it: its op from the buffer's
  // direction, kFlagFua when asked for, and the completion to call (an empty one when the caller
  // gave none).
  struct Transfer {
    Op op = Op::kRead;
    std::uint32_t flags = 0;
    IOStorageCompletion completion;
  };
  // The model's part of doAsyncReadWrite; its answer is doAsyncReadWrite's.
  virtual IOReturn start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                  const IOStorageAttributes* attributes, const Transfer& transfer) = 0;
  Durability write_durability(const IOStorageAttributes* attributes) const;
  bool write_cache_enabled() const { return cache_present_ && cache_enabled_; }
  void store_write(const IOMemoryDescriptor& buffer, std::uint64_t lba, std::uint64_t nblks, Durability durability);
  void load_read(IOMemoryDescriptor& buffer, std::uint64_t lba, std::uint64_t nblks) const;
  void flush_data(std::uint64_t lba = 0, std::uint64_t nblks = 0);

  void report(const CompletionRecord& record) const {
    if (context_.sink)
      context_.sink->record(record);
  }
  // A record with the request's identity and geometry filled in.
  CompletionRecord make_record(const IOMemoryDescriptor* buffer, Op op, std::uint64_t lba, std::uint64_t blocks) const;
  // A request that succeeded, having moved `bytes`: reports its record, then calls its completion.
  void complete_request(const DeviceRequest& request, std::uint64_t bytes) const;
  Engine& engine() const { return *context_.engine; }
  const DeviceContext& context() const { return context_; }
  const proto::Device& config() const { return config_; }

 private:
  void complete_later(IOStorageCompletion* completion, Op op, IOReturn status);

  DeviceContext context_;
  proto::Device config_;
  DeviceProfile profile_;
  std::unique_ptr<DeviceData> data_;
  bool media_present_;
  bool write_protected_;
  bool cache_present_;
  bool cache_enabled_;
  bool powered_off_ = false;
  std::uint64_t idle_requests_ = 0;
};

}  // namespace blocksim
