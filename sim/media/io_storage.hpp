// IOStorage: the byte-addressed interface of every layer above the device interface (driver,
// media, partition schemes, RAID sets), in the shape of driver-api.md §1.2-1.3.
//
// read and write return nothing: every outcome, argument errors included, arrives through the
// completion, which may run before the call returns, so callers must tolerate re-entrant
// completion. synchronize and unmap block their caller in IOKit; here they take a completion: an
// error return means nothing started and the completion is never called, a success return means
// it is called exactly once, later.
//
// open / close are IOStorage::open(client, options, access) and close(client): a client opens
// once and may call open again to change its level; a refused open keeps the old level.
// Clients are IOService objects, compared by address.
#pragma once

#include <cstdint>

#include "sim/device/storage_types.hpp"

namespace blocksim {

// Anything that can be a client of a storage object (a media object, a partition scheme, a RAID
// set, an aio descriptor, the run's workloads).
class IOService {
 public:
  virtual ~IOService() = default;
};

class IOStorage : public virtual IOService {
 public:
  virtual bool open(IOService* client, IOStorageAccess access) = 0;
  virtual void close(IOService* client) = 0;

  virtual void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                    IOStorageCompletion* completion) = 0;
  virtual void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                     IOStorageCompletion* completion) = 0;
  // byteCount 0: to the end.
  virtual IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                               IOStorageCompletion* completion) = 0;
  // The extents are the caller's and may be rewritten in place (IOMedia rebases them).
  virtual IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                         IOStorageCompletion* completion) = 0;

  virtual std::uint64_t size_bytes() const = 0;
  virtual std::uint64_t block_size() const = 0;
  // The device a trace record made at this storage names (the first member's, for a RAID set).
  virtual std::uint32_t device_index() const { return 0; }
};

}  // namespace blocksim
