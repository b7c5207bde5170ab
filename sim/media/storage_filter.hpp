// IOKit's filter scheme idea: a storage object stacked on one provider that passes every call
// through to it unchanged, so that a layer which changes some calls only (a partition scheme its
// opens, the run's ledger its requests) overrides those and no more. Holds a reference to the
// provider, which must outlive it; owns nothing.
#pragma once

#include <cstdint>

#include "sim/media/io_storage.hpp"

namespace blocksim {

class IOStorageFilter : public IOStorage {
 public:
  explicit IOStorageFilter(IOStorage& provider) : provider_(provider) {}

  bool open(IOService* client, IOStorageAccess access) override { return provider_.open(client, access); }
  void close(IOService* client) override { provider_.close(client); }
  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override {
    provider_.read(byteStart, buffer, attributes, completion);
  }
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override {
    provider_.write(byteStart, buffer, attributes, completion);
  }
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override {
    return provider_.synchronize(byteStart, byteCount, options, completion);
  }
  IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                 IOStorageCompletion* completion) override {
    return provider_.unmap(extents, extentsCount, options, completion);
  }
  std::uint64_t size_bytes() const override { return provider_.size_bytes(); }
  std::uint64_t block_size() const override { return provider_.block_size(); }
  std::uint32_t device_index() const override { return provider_.device_index(); }

 protected:
  IOStorage& provider() const { return provider_; }

 private:
  IOStorage& provider_;
};

}  // namespace blocksim
