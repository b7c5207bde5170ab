#include "sim/media/ledgered_storage.hpp"

namespace blocksim {

// Enters the request, hands `call` the ledger's completion, and strikes the entry off again if the
// call returns an error (it never started). read and write report errors through the completion:
// their `call` returns success.
template <class Call>
IOReturn LedgeredStorage::entered(Op op, std::uint64_t offset, std::uint64_t length, const IOMemoryDescriptor* buffer,
                                  IOStorageCompletion* completion, Call call) {
  if (completion == nullptr)
    return call(completion);
  LedgerRequest request;
  request.from_workload = true;
  request.device = provider().device_index();
  request.op = op;
  request.offset = offset;
  request.length = length;
  request.issued = engine_.now();
  request.request_id = buffer ? buffer->request_id : 0;
  request.buffer = buffer;
  IOStorageCompletion wrapped = ledger_.open(request, *completion);
  const IOReturn status = call(&wrapped);
  if (status != kIOReturnSuccess)
    ledger_.refused(wrapped);
  return status;
}

void LedgeredStorage::read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                           IOStorageCompletion* completion) {
  entered(Op::kRead, byteStart, buffer->length, buffer, completion, [&](IOStorageCompletion* c) {
    provider().read(byteStart, buffer, attributes, c);
    return kIOReturnSuccess;
  });
}

void LedgeredStorage::write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                            IOStorageCompletion* completion) {
  entered(Op::kWrite, byteStart, buffer->length, buffer, completion, [&](IOStorageCompletion* c) {
    provider().write(byteStart, buffer, attributes, c);
    return kIOReturnSuccess;
  });
}

IOReturn LedgeredStorage::synchronize(std::uint64_t byteStart, std::uint64_t byteCount,
                                      IOStorageSynchronizeOptions options, IOStorageCompletion* completion) {
  return entered(Op::kFlush, byteStart, byteCount, nullptr, completion,
                 [&](IOStorageCompletion* c) { return provider().synchronize(byteStart, byteCount, options, c); });
}

IOReturn LedgeredStorage::unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                                IOStorageCompletion* completion) {
  std::uint64_t bytes = 0;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    bytes += extents[i].byteCount;
  const std::uint64_t first = extentsCount ? extents[0].byteStart : 0;
  return entered(Op::kUnmap, first, bytes, nullptr, completion,
                 [&](IOStorageCompletion* c) { return provider().unmap(extents, extentsCount, options, c); });
}

}  // namespace blocksim
