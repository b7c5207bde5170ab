#include "sim/stack/ledgered_storage.hpp"

namespace blocksim {

LedgerRequest LedgeredStorage::entry(Op op, std::uint64_t offset, std::uint64_t length,
                                     const IOMemoryDescriptor* buffer) const {
  LedgerRequest request;
  request.from_workload = true;
  request.device = storage_.device_index();
  request.op = op;
  request.offset = offset;
  request.length = length;
  request.issued = engine_.now();
  request.request_id = buffer ? buffer->request_id : 0;
  request.buffer = buffer;
  return request;
}

void LedgeredStorage::read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                           IOStorageCompletion* completion) {
  if (completion == nullptr)
    return storage_.read(byteStart, buffer, attributes, completion);
  IOStorageCompletion wrapped = ledger_.open(entry(Op::kRead, byteStart, buffer->length, buffer), *completion);
  storage_.read(byteStart, buffer, attributes, &wrapped);
}

void LedgeredStorage::write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                            IOStorageCompletion* completion) {
  if (completion == nullptr)
    return storage_.write(byteStart, buffer, attributes, completion);
  IOStorageCompletion wrapped = ledger_.open(entry(Op::kWrite, byteStart, buffer->length, buffer), *completion);
  storage_.write(byteStart, buffer, attributes, &wrapped);
}

IOReturn LedgeredStorage::synchronize(std::uint64_t byteStart, std::uint64_t byteCount,
                                      IOStorageSynchronizeOptions options, IOStorageCompletion* completion) {
  if (completion == nullptr)
    return storage_.synchronize(byteStart, byteCount, options, completion);
  IOStorageCompletion wrapped = ledger_.open(entry(Op::kFlush, byteStart, byteCount, nullptr), *completion);
  const IOReturn status = storage_.synchronize(byteStart, byteCount, options, &wrapped);
  if (status != kIOReturnSuccess)
    ledger_.refused(wrapped);
  return status;
}

IOReturn LedgeredStorage::unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                                IOStorageCompletion* completion) {
  if (completion == nullptr)
    return storage_.unmap(extents, extentsCount, options, completion);
  std::uint64_t bytes = 0;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    bytes += extents[i].byteCount;
  const std::uint64_t first = extentsCount ? extents[0].byteStart : 0;
  IOStorageCompletion wrapped = ledger_.open(entry(Op::kUnmap, first, bytes, nullptr), *completion);
  const IOReturn status = storage_.unmap(extents, extentsCount, options, &wrapped);
  if (status != kIOReturnSuccess)
    ledger_.refused(wrapped);
  return status;
}

}  // namespace blocksim
