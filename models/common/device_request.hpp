// What every model keeps of a host request from doAsyncReadWrite (or doSynchronize) until it
// completes: its completion, buffer, range, times and queue depth. A model's own request or
// command record derives from it and adds the fields of its stages; DeviceBase::complete_request
// reports and completes one.
#pragma once

#include <cstdint>

#include "sim/core/sim_time.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/device/storage_types.hpp"

namespace blocksim {

struct DeviceRequest {
  IOStorageCompletion completion;
  IOMemoryDescriptor* buffer = nullptr;  // null for a flush
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;
  SimTime submit = 0;
  SimTime dispatch = 0;
  Op op = Op::kRead;
  std::uint32_t flags = 0;
  std::uint32_t queue_depth = 0;
};

}  // namespace blocksim
