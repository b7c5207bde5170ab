// The DriverKit shape of a block device: BlockStorageDeviceDriverKit's IOUserBlockStorageDevice
// (../shared/reference/driver-api.md §6). A device extension ("dext") derives from it and
// implements GetDeviceParams, DoAsyncReadWrite, DoAsyncSynchronize, DoAsyncUnmapPriv,
// DoAsyncEjectMedia and the identity calls; it finishes each request by calling CompleteIO (reads
// and writes) or Complete (the rest) with the request id it was given.
//
// The kernel side (sim/device/user_block_storage_shim.hpp) turns the IOKit calls of §5 into these
// calls: request ids are 0..numOfOutstandingIOs-1, never more than that many in flight. A dext
// reaches its request's memory through the DMA address it was given (dma_memory), as hardware
// would through the IOMMU; the memory is null when the run carries no data.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/device/block_storage_device.hpp"
#include "sim/device/io_return.hpp"

namespace blocksim {

using kern_return_t = IOReturn;

inline constexpr std::uint32_t kMaxDeviceStringLength = 256;
struct DeviceString {
  char data[kMaxDeviceStringLength] = {};
};

struct DeviceParams {
  std::uint64_t numOfBlocks = 0;          // capacity in blocks
  std::uint32_t blockSize = 0;            // bytes per block; must not be 0
  std::uint32_t maxIOSize = 0;            // bytes per DoAsyncReadWrite
  std::uint32_t numOfOutstandingIOs = 0;  // requests in flight to the dext; must not be 0
  std::uint32_t maxNumOfUnmapRegions = 0;  // ranges per DoAsyncUnmap; 0: no limit
  std::uint32_t minSegmentAlignment = 0;   // DMA segment alignment in bytes
  std::uint8_t numOfAddressBits = 64;      // DMA address width
  bool isUnmapSupported = false;
  bool isFUASupported = false;
};

struct BlockRange {
  std::uint64_t startBlock = 0;
  std::uint64_t numOfBlocks = 0;
};

using IOUserStorageOptions = std::uint32_t;
inline constexpr IOUserStorageOptions kIOUserStorageOptionNone = 0x0000;
inline constexpr IOUserStorageOptions kIOUserStorageOptionForceUnitAccess = 0x0001;

// What a dext talks to on the kernel side. Implemented by the shim.
class IOUserBlockStorageDeviceKernel {
 public:
  virtual ~IOUserBlockStorageDeviceKernel() = default;
  virtual void complete_io(std::uint32_t requestID, std::uint64_t bytesTransferred, kern_return_t status) = 0;
  virtual void complete(std::uint32_t requestID, kern_return_t status) = 0;
  // The bytes behind [dmaAddr, dmaAddr + size) of a request in flight, or null.
  virtual std::uint8_t* dma_memory(std::uint64_t dmaAddr, std::uint64_t size) = 0;
};

class IOUserBlockStorageDevice {
 public:
  virtual ~IOUserBlockStorageDevice() = default;

  // --- implemented by the dext (§6.2) ---
  virtual kern_return_t GetDeviceParams(DeviceParams* deviceParams) = 0;
  virtual kern_return_t DoAsyncReadWrite(bool isRead, std::uint32_t requestID, std::uint64_t dmaAddr,
                                         std::uint64_t size, std::uint64_t lba, std::uint64_t numOfBlocks,
                                         IOUserStorageOptions options) = 0;
  virtual kern_return_t DoAsyncSynchronize(std::uint32_t requestID, std::uint64_t lba, std::uint64_t numOfBlocks) = 0;
  // DoAsyncUnmap's default maps the range buffer and calls this with the ranges.
  virtual kern_return_t DoAsyncUnmapPriv(std::uint32_t requestID, const BlockRange* ranges,
                                         std::uint32_t numOfRanges) = 0;
  virtual kern_return_t DoAsyncEjectMedia(std::uint32_t requestID) = 0;
  virtual kern_return_t GetVendorString(DeviceString* vendor) = 0;
  virtual kern_return_t GetProductString(DeviceString* product) = 0;
  virtual kern_return_t GetRevisionString(DeviceString* revision) = 0;
  virtual kern_return_t GetAdditionalInfoString(DeviceString* info) = 0;
  virtual kern_return_t ReportEjectability(bool* isEjectable) = 0;
  virtual kern_return_t ReportRemovability(bool* isRemovable) = 0;
  virtual kern_return_t ReportWriteProtection(bool* isWriteProtected) = 0;

  // Simulator extensions, not DriverKit: end-of-run figures and a power cut (see IOBlockStorageDevice).
  virtual void collect_metrics(std::vector<DeviceMetric>* /*out*/) const {}
  virtual void power_cut() {}

  // --- called by the dext ---
  void CompleteIO(std::uint32_t requestID, std::uint64_t bytesTransferred, kern_return_t IOStatus) {
    if (kernel_)
      kernel_->complete_io(requestID, bytesTransferred, IOStatus);
  }
  void Complete(std::uint32_t requestID, kern_return_t status) {
    if (kernel_)
      kernel_->complete(requestID, status);
  }

  // Start(): the shim attaches itself before it asks for the device parameters.
  void attach_kernel(IOUserBlockStorageDeviceKernel* kernel) { kernel_ = kernel; }

 protected:
  std::uint8_t* dma_memory(std::uint64_t dmaAddr, std::uint64_t size) const {
    return kernel_ ? kernel_->dma_memory(dmaAddr, size) : nullptr;
  }

 private:
  IOUserBlockStorageDeviceKernel* kernel_ = nullptr;
};

}  // namespace blocksim
