// How the driver calls its device: the device interface's calls that start something, each
// entered in the run's ledger (sim/device/request_ledger.hpp) so that a request the device never
// completes, or completes twice, is found. The device gets the ledger's completion, which strikes
// the entry off and then calls the driver's. Without a ledger the calls go straight through.
// Holds references to the device and the ledger; owns nothing.
#pragma once

#include <cstdint>

#include "sim/device/block_storage_device.hpp"
#include "sim/core/engine.hpp"
#include "sim/device/request_ledger.hpp"

namespace blocksim {

class LedgeredDevice {
 public:
  LedgeredDevice(IOBlockStorageDevice& device, RequestLedger* ledger, const Engine& engine, std::uint32_t device_index)
      : device_(device), ledger_(ledger), engine_(engine), device_index_(device_index) {}

  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion);
  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion);
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion);
  IOReturn doEjectMedia(IOStorageCompletion* completion);
  IOReturn doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion);

 private:
  template <class Call>
  IOReturn entered(Op op, std::uint64_t block, std::uint64_t nblks, const IOMemoryDescriptor* buffer,
                   IOStorageCompletion* completion, Call call);

  IOBlockStorageDevice& device_;
  RequestLedger* ledger_;
  const Engine& engine_;
  std::uint32_t device_index_;
};

}  // namespace blocksim
