#include "models/reference/reference_device.hpp"

#include "sim/core/units.hpp"

namespace blocksim {

namespace {
constexpr std::uint64_t kServiceStream = 1;
}

ReferenceDeviceModel::ReferenceDeviceModel(const DeviceContext& context, const proto::Device& config)
    : DeviceBase(context, config, "reference"),
      read_service_(config.reference().service()),
      write_service_(config.reference().has_write_service() ? config.reference().write_service()
                                                            : config.reference().service()),
      flush_time_(units::duration_ns(config.reference().flush_time())),
      rng_(context.seed, (static_cast<std::uint64_t>(context.index) << 8) | kServiceStream),
      tags_(config.reference().queue_depth()),
      media_servers_(config.reference().media_servers()) {}

IOReturn ReferenceDeviceModel::start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                              const IOStorageAttributes* attributes, const Transfer& t) {
  // Known before accept(): it may start the write at once.
  const Durability durability = t.op == Op::kWrite ? write_durability(attributes) : Durability::kDurable;
  accept(t.op, buffer, block, nblks, t.flags, durability, t.completion);
  return kIOReturnSuccess;
}

IOReturn ReferenceDeviceModel::doSynchronize(std::uint64_t block, std::uint64_t nblks,
                                             IOStorageSynchronizeOptions options, IOStorageCompletion* completion) {
  if (options & kIOStorageSynchronizeOptionReserved)
    return kIOReturnBadArgument;
  if (powered_off())
    return kIOReturnNoPower;
  const std::uint32_t flags = (options & kIOStorageSynchronizeOptionBarrier) ? kFlagBarrier : 0;
  accept(Op::kFlush, nullptr, block, nblks, flags, Durability::kDurable,
         completion ? *completion : IOStorageCompletion{});
  return kIOReturnSuccess;
}

IOReturn ReferenceDeviceModel::doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount,
                                       IOStorageUnmapOptions options, IOStorageCompletion* completion) {
  if (!config().capabilities().unmap() || options != kIOStorageUnmapOptionNone)
    return kIOReturnUnsupported;
  if (powered_off())
    return kIOReturnNoPower;
  if (extents == nullptr || extentsCount == 0)
    return kIOReturnBadArgument;
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    if (extents[i].blockStart > block_count() || extents[i].blockCount > block_count() - extents[i].blockStart)
      return kIOReturnBadArgument;
  std::uint64_t blocks = 0;
  for (std::uint32_t i = 0; i < extentsCount; ++i) {
    if (data())
      data()->discard(extents[i].blockStart, extents[i].blockCount);
    blocks += extents[i].blockCount;
  }
  CompletionRecord record = make_record(nullptr, Op::kUnmap, extents[0].blockStart, blocks);
  record.submit = record.dispatch = engine().now();
  const IOStorageCompletion done = completion ? *completion : IOStorageCompletion{};
  engine().at(engine().now(), [this, record, done]() mutable {
    record.complete = engine().now();
    report(record);
    blocksim::complete(done, kIOReturnSuccess, 0);
  });
  return kIOReturnSuccess;
}

void ReferenceDeviceModel::accept(Op op, IOMemoryDescriptor* buffer, std::uint64_t lba, std::uint64_t blocks,
                                  std::uint32_t flags, Durability durability, const IOStorageCompletion& completion) {
  const auto queue_depth = static_cast<std::uint32_t>(requests_.in_use());
  const std::uint32_t index = requests_.acquire();
  Request& r = requests_[index];
  r.completion = completion;
  r.buffer = buffer;
  r.durability = durability;
  r.lba = lba;
  r.blocks = blocks;
  r.bytes = op == Op::kFlush ? 0 : blocks * block_size();
  r.submit = engine().now();
  r.op = op;
  r.flags = flags;
  r.queue_depth = queue_depth;
  if (tags_.admit_or_wait(index)) {
    // Starting inline is safe: every stage ends in a timer or a transfer, so the completion
    // never runs before doAsyncReadWrite has returned, even with zero service times.
    r.dispatch = r.submit;
    start(index);
  }
}

void ReferenceDeviceModel::start(std::uint64_t index) {
  Request& r = requests_[static_cast<std::uint32_t>(index)];
  switch (r.op) {
    case Op::kRead: enter_media(index); break;
    case Op::kWrite:
      // A write into the enabled volatile cache completes when its data has arrived.
      if (r.durability == Durability::kVolatile)
        engine().transfer(context().dma, TransferDirection::kFromHost, r.bytes,
                          Callback::to<ReferenceDeviceModel, &ReferenceDeviceModel::finish>(this, index));
      else
        engine().transfer(context().dma, TransferDirection::kFromHost, r.bytes,
                          Callback::to<ReferenceDeviceModel, &ReferenceDeviceModel::enter_media>(this, index));
      break;
    default:
      engine().after(flush_time_, [this, index] { finish(index); });
      break;
  }
}

void ReferenceDeviceModel::enter_media(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  if (media_busy_ < media_servers_)
    start_media(slot);
  else
    media_waiting_.push_back(slot);
}

void ReferenceDeviceModel::start_media(std::uint32_t index) {
  ++media_busy_;
  const Request& r = requests_[index];
  const ServiceTimeModel& service = r.op == Op::kRead ? read_service_ : write_service_;
  const SimTime duration = service.sample(rng_, r.bytes);
  engine().after(duration, [this, index] { media_done(index); });
}

void ReferenceDeviceModel::media_done(std::uint64_t index) {
  --media_busy_;
  if (!media_waiting_.empty()) {
    const std::uint32_t next = media_waiting_.front();
    media_waiting_.pop_front();
    start_media(next);
  }
  Request& r = requests_[static_cast<std::uint32_t>(index)];
  if (r.op == Op::kRead)
    engine().transfer(context().dma, TransferDirection::kToHost, r.bytes,
                      Callback::to<ReferenceDeviceModel, &ReferenceDeviceModel::finish>(this, index));
  else
    finish(index);
}

void ReferenceDeviceModel::finish(std::uint64_t index) {
  // After a power cut nothing completes: the host is gone too, and no data lands.
  if (powered_off())
    return;
  const auto slot = static_cast<std::uint32_t>(index);
  const Request r = requests_[slot];
  requests_.release(slot);
  const SimTime now = engine().now();
  switch (r.op) {
    case Op::kRead: load_read(*r.buffer, r.lba, r.blocks); break;
    case Op::kWrite: store_write(*r.buffer, r.lba, r.blocks, r.durability); break;
    case Op::kFlush: flush_data(); break;
    default: break;
  }
  if (auto next = tags_.release()) {
    requests_[*next].dispatch = now;
    start(*next);
  }
  complete_request(r, r.bytes);
}

}  // namespace blocksim
