// IOStorage: the byte-addressed interface of every layer above the device interface (driver,
// media, partition schemes), in the shape of driver-api.md §1.2-1.3. read and write return
// nothing: every outcome, argument errors included, arrives through the completion, which may
// run before the call returns, so callers must tolerate re-entrant completion.
// synchronize blocks its caller in IOKit; here it takes a completion (an error return means the
// completion is never called).
#pragma once

#include <cstdint>

#include "sim/core/storage_types.hpp"

namespace blocksim {

class IOStorage {
 public:
  virtual ~IOStorage() = default;

  virtual void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                    IOStorageCompletion* completion) = 0;
  virtual void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                     IOStorageCompletion* completion) = 0;
  virtual IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                               IOStorageCompletion* completion) = 0;

  virtual std::uint64_t size_bytes() const = 0;
  virtual std::uint64_t block_size() const = 0;
};

}  // namespace blocksim
