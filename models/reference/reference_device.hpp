// The reference device: the simplest hardware that still has the three stages every model has.
//   controller: `queue_depth` tags; requests beyond them wait in the host queue, FIFO;
//   media: `media_servers` operations at once, FIFO, each taking a ServiceTimeModel sample;
//   DMA: the request's bytes over the device's bus (a SimGrid link shared with other transfers),
//        after the media for a read, before it for a write.
// A flush holds a tag for `flush_time`. It is the device that queueing theory can check (M/M/1,
// M/D/1, M/G/c), not a model of a product. With the common device fields it can also carry data
// and have a volatile write cache: a write into the enabled cache completes when its DMA ends,
// without media time, and stays volatile until a flush (which writes the whole cache back,
// whatever its range) or is durable at once when sent with FUA. Unmap, when the scenario offers
// it, completes at once and discards the blocks.
#pragma once

#include <cstdint>
#include <deque>

#include "blocksim/reference_device.pb.h"
#include "models/common/device_base.hpp"
#include "sim/core/slot_pool.hpp"
#include "models/common/tag_queue.hpp"
#include "models/reference/service_time.hpp"
#include "sim/core/random.hpp"

namespace blocksim {

class ReferenceDeviceModel final : public DeviceBase {
 public:
  ReferenceDeviceModel(const DeviceContext& context, const proto::Device& config);

  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override;
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion) override;

  std::size_t outstanding() const { return requests_.in_use(); }

 private:
  IOReturn start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                          const IOStorageAttributes* attributes, const Transfer& transfer) override;

  struct Request : DeviceRequest {
    Durability durability = Durability::kDurable;
    std::uint64_t bytes = 0;
  };

  // Takes a request in; starts it at once when a tag is free.
  void accept(Op op, IOMemoryDescriptor* buffer, std::uint64_t lba, std::uint64_t blocks, std::uint32_t flags,
              Durability durability, const IOStorageCompletion& completion);
  void start(std::uint64_t index);
  void enter_media(std::uint64_t index);
  void start_media(std::uint32_t index);
  void media_done(std::uint64_t index);
  void finish(std::uint64_t index);

  ServiceTimeModel read_service_;
  ServiceTimeModel write_service_;
  SimTime flush_time_;
  Rng rng_;
  SlotPool<Request> requests_;
  TagQueue tags_;
  std::uint32_t media_servers_;
  std::uint32_t media_busy_ = 0;
  std::deque<std::uint32_t> media_waiting_;
};

}  // namespace blocksim
