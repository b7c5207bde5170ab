// How a workload calls the storage it runs on: each read, write, flush and unmap is entered in the
// run's ledger (sim/device/request_ledger.hpp) as a workload request before it goes to the storage,
// so that a request lost anywhere below (driver, partition, RAID set, device) is counted at the
// top as well as at the layer that lost it. The storage gets the ledger's completion, which
// strikes the entry off and then calls the workload's. Everything else passes straight through
// (IOStorageFilter).
// Holds references to the storage and the ledger; owns nothing.
#pragma once

#include <cstdint>

#include "sim/core/engine.hpp"
#include "sim/device/request_ledger.hpp"
#include "sim/media/storage_filter.hpp"

namespace blocksim {

class LedgeredStorage final : public IOStorageFilter {
 public:
  LedgeredStorage(IOStorage& storage, RequestLedger& ledger, const Engine& engine)
      : IOStorageFilter(storage), ledger_(ledger), engine_(engine) {}

  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override;
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override;
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override;
  IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                 IOStorageCompletion* completion) override;
  IOStorage& inner() const { return provider(); }

 private:
  template <class Call>
  IOReturn entered(Op op, std::uint64_t offset, std::uint64_t length, const IOMemoryDescriptor* buffer,
                   IOStorageCompletion* completion, Call call);

  RequestLedger& ledger_;
  const Engine& engine_;
};

}  // namespace blocksim
