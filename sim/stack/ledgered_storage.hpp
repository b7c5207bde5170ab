// How a workload calls the storage it runs on: each read, write, flush and unmap is entered in the
// run's ledger (sim/core/request_ledger.hpp) as a workload request before it goes to the storage,
// so that a request lost anywhere below (driver, partition, RAID set, device) is counted at the
// top as well as at the layer that lost it. The storage gets the ledger's completion, which
// strikes the entry off and then calls the workload's. Everything else passes straight through.
// Holds references to the storage and the ledger; owns nothing.
#pragma once

#include <cstdint>

#include "sim/core/engine.hpp"
#include "sim/core/request_ledger.hpp"
#include "sim/stack/io_storage.hpp"

namespace blocksim {

class LedgeredStorage final : public IOStorage {
 public:
  LedgeredStorage(IOStorage& storage, RequestLedger& ledger, const Engine& engine)
      : storage_(storage), ledger_(ledger), engine_(engine) {}

  bool open(IOService* client, IOStorageAccess access) override { return storage_.open(client, access); }
  void close(IOService* client) override { storage_.close(client); }
  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override;
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override;
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override;
  IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                 IOStorageCompletion* completion) override;
  std::uint64_t size_bytes() const override { return storage_.size_bytes(); }
  std::uint64_t block_size() const override { return storage_.block_size(); }
  std::uint32_t device_index() const override { return storage_.device_index(); }
  IOStorage& inner() const { return storage_; }

 private:
  template <class Call>
  IOReturn entered(Op op, std::uint64_t offset, std::uint64_t length, const IOMemoryDescriptor* buffer,
                   IOStorageCompletion* completion, Call call);

  IOStorage& storage_;
  RequestLedger& ledger_;
  const Engine& engine_;
};

}  // namespace blocksim
