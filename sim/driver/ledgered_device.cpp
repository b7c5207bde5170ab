#include "sim/driver/ledgered_device.hpp"

namespace blocksim {

template <class Call>
IOReturn LedgeredDevice::entered(Op op, std::uint64_t block, std::uint64_t nblks, const IOMemoryDescriptor* buffer,
                                 IOStorageCompletion* completion, Call call) {
  if (ledger_ == nullptr || completion == nullptr)
    return call(completion);
  LedgerRequest request;
  request.layer = Layer::kDevice;
  request.device = device_index_;
  request.op = op;
  request.offset = block;
  request.length = nblks;
  request.issued = engine_.now();
  request.request_id = buffer ? buffer->request_id : 0;
  request.buffer = buffer;
  request.holder = &device_;
  IOStorageCompletion wrapped = ledger_->open(request, *completion);
  const IOReturn status = call(&wrapped);
  if (status != kIOReturnSuccess)
    ledger_->refused(wrapped);
  return status;
}

IOReturn LedgeredDevice::doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                          IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  const Op op = buffer && buffer->direction == IODirection::kOut ? Op::kWrite : Op::kRead;
  return entered(op, block, nblks, buffer, completion, [&](IOStorageCompletion* c) {
    return device_.doAsyncReadWrite(buffer, block, nblks, attributes, c);
  });
}

IOReturn LedgeredDevice::doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                                       IOStorageCompletion* completion) {
  return entered(Op::kFlush, block, nblks, nullptr, completion,
                 [&](IOStorageCompletion* c) { return device_.doSynchronize(block, nblks, options, c); });
}

IOReturn LedgeredDevice::doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount,
                                 IOStorageUnmapOptions options, IOStorageCompletion* completion) {
  std::uint64_t blocks = 0;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    blocks += extents[i].blockCount;
  const std::uint64_t first = extentsCount ? extents[0].blockStart : 0;
  return entered(Op::kUnmap, first, blocks, nullptr, completion,
                 [&](IOStorageCompletion* c) { return device_.doUnmap(extents, extentsCount, options, c); });
}

IOReturn LedgeredDevice::doEjectMedia(IOStorageCompletion* completion) {
  return entered(Op::kEject, 0, 0, nullptr, completion,
                 [&](IOStorageCompletion* c) { return device_.doEjectMedia(c); });
}

IOReturn LedgeredDevice::doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) {
  return entered(Op::kFormat, 0, 0, nullptr, completion,
                 [&](IOStorageCompletion* c) { return device_.doFormatMedia(byteCapacity, c); });
}

}  // namespace blocksim
