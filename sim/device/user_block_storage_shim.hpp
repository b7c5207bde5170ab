// The kernel side of a DriverKit block device: IOStorageFamily's IOUserBlockStorageDevice kext
// class, an IOBlockStorageDevice that turns the IOKit calls of driver-api.md §5 into calls on a
// dext (§6), with the behaviour of §6.3:
//   - StartDev refuses blockSize 0 or numOfOutstandingIOs 0 (kIOReturnError); the limits the
//     driver breaks requests up by come from DeviceParams (maxIOSize, alignment, Unmap, FUA).
//   - A pool of numOfOutstandingIOs records: request ids 0..N-1. With all N in use a submission
//     blocks until one is freed (not an error); here it waits in FIFO order and doAsyncReadWrite
//     returns kIOReturnSuccess, so an error the dext returns later arrives through the completion.
//     Synchronize, unmap and eject take a record too.
//   - CompleteIO for an unknown or finished id is ignored; more bytes than asked is kIOReturnIOError.
//   - Termination completes every request in flight with kIOReturnAborted; late completions are
//     ignored and later calls return kIOReturnNoDevice. A successful eject terminates the shim.
// The shim owns the dext and records the device-layer completions (a dext knows only its request
// ids): submit is when the IOKit call came, dispatch when the dext got the request. It lives in
// sim/core so that the device registry can wrap the models written in this shape.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "sim/device/block_storage_device.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"
#include "sim/device/user_block_storage_device.hpp"

namespace blocksim {

class UserBlockStorageShim final : public IOBlockStorageDevice, private IOUserBlockStorageDeviceKernel {
 public:
  // `sink` (may be null) receives the device-layer completions, as device `device_index`.
  UserBlockStorageShim(Engine& engine, std::unique_ptr<IOUserBlockStorageDevice> dext, CompletionSink* sink = nullptr,
                       std::uint32_t device_index = 0);
  ~UserBlockStorageShim() override;

  // Start(): GetDeviceParams, then StartDev's checks. On failure the shim stays inactive.
  IOReturn start();

  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) override;
  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override;
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion) override;
  IOReturn doEjectMedia(IOStorageCompletion* completion) override;
  IOReturn doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) override;
  std::uint32_t doGetFormatCapacities(std::uint64_t* capacities, std::uint32_t capacitiesMaxCount) const override;

  std::string getVendorString() const override;
  std::string getProductString() const override;
  std::string getRevisionString() const override;
  std::string getAdditionalDeviceInfoString() const override;

  IOReturn reportBlockSize(std::uint64_t* blockSize) const override;
  IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const override;
  IOReturn reportMediaState(bool* mediaPresent, bool* changedState) override;
  IOReturn reportRemovability(bool* isRemovable) override;
  IOReturn reportEjectability(bool* isEjectable) override;
  IOReturn reportWriteProtection(bool* isWriteProtected) override;
  DeviceCharacteristics characteristics() const override;

  void collect_metrics(std::vector<DeviceMetric>* out) const override { dext_->collect_metrics(out); }
  void power_cut() override { dext_->power_cut(); }
  IOReturn terminate() override;

  bool is_inactive() const { return inactive_; }
  const DeviceParams& params() const { return params_; }
  IOUserBlockStorageDevice& dext() { return *dext_; }
  std::size_t records_in_use() const { return records_in_use_; }
  std::size_t blocked() const { return blocked_.size(); }

  // The DMA (IOVM) address the shim gives record `requestID`'s buffer.
  static std::uint64_t dma_address(std::uint32_t requestID) { return (std::uint64_t{requestID} + 1) << kWindowBits; }

 private:
  static constexpr int kWindowBits = 40;
  enum class Kind : std::uint8_t { kReadWrite, kSynchronize, kUnmap, kEject };
  enum class SlotState : std::uint8_t { kFree, kReserved, kOccupied, kAborted };

  // An IOKit call holding a record or waiting for one.
  struct Submission {
    Kind kind = Kind::kReadWrite;
    IOMemoryDescriptor* buffer = nullptr;
    std::uint64_t block = 0;
    std::uint64_t nblks = 0;
    IOUserStorageOptions options = kIOUserStorageOptionNone;
    IOStorageCompletion completion;
    std::vector<BlockRange> ranges;  // unmap: every range; sent in chunks
    std::size_t next_range = 0;
    std::size_t chunk = 0;  // ranges in the chunk the dext has now
    SimTime submit = 0;
    SimTime dispatch = 0;
    std::uint32_t queue_depth = 0;
  };
  struct Slot {
    SlotState state = SlotState::kFree;
    Submission request;
  };

  // IOUserBlockStorageDeviceKernel
  void complete_io(std::uint32_t requestID, std::uint64_t bytesTransferred, kern_return_t status) override;
  void complete(std::uint32_t requestID, kern_return_t status) override;
  std::uint8_t* dma_memory(std::uint64_t dmaAddr, std::uint64_t size) override;

  IOReturn submit(Submission&& submission);
  IOReturn call_dext(std::uint32_t id);
  IOReturn send_unmap_chunk(std::uint32_t id);
  void start_reserved(std::uint32_t id);
  void release(std::uint32_t id);
  void finish(const Submission& request, IOReturn status, std::uint64_t bytes);
  void record(const Submission& request, IOReturn status, std::uint64_t bytes);

  Engine& engine_;
  std::unique_ptr<IOUserBlockStorageDevice> dext_;
  CompletionSink* sink_;
  std::uint32_t device_index_;
  DeviceParams params_;
  bool inactive_ = true;
  int inside_dext_call_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_ids_;  // lowest id on top
  std::size_t records_in_use_ = 0;
  std::deque<Submission> blocked_;
};

}  // namespace blocksim
