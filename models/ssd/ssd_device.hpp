// The SSD: the device interface over a host interface (NVMe queue pairs or SATA NCQ), a DRAM data
// cache, an optional cached mapping table, a page-mapped FTL with garbage collection and wear
// levelling, and the NAND array's dies and channels. Data crosses the host link (the device's
// bus, a SimGrid link) once per command: after the flash reads for a read, before the cache for a
// write.
//   read:  [translation page] -> cache hit, unmapped (zeros), or flash page reads -> DMA to host
//   write: [translation page] -> cache space -> DMA from host -> done (write-back) or done once on
//          flash (FUA, write cache off); a partly written unit merges in the cache, and is read
//          from flash (read-modify-write) only if it is still partial when it is programmed
//   flush: done once every unit in the cache when it came is on flash
//   power-loss protection (cache.power_loss_protection): the cache is not volatile, so a write
//          is durable in it, FUA writes complete there and a flush has nothing to wait for
//   unmap: units wholly inside the extents are unmapped at once and dropped from the cache
// Every command first takes its firmware time on a controller processor (HostInterface: in
// sequence with other commands) and, after its data path, waits out its latency-only part
// (overlapping with other commands) before its completion is posted.
// The device owns all of its parts; requests live in a pool sized by what is in flight.
// docs/ssd.md describes the model, its parameters, the checks against analytic bounds and what
// it leaves out.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>

#include "blocksim/ssd.pb.h"
#include "models/common/device_base.hpp"
#include "sim/core/slot_pool.hpp"
#include "models/ssd/data_cache.hpp"
#include "models/ssd/flash_writer.hpp"
#include "models/ssd/ftl.hpp"
#include "models/ssd/garbage_collector.hpp"
#include "models/ssd/host_interface.hpp"
#include "models/ssd/mapping_cache.hpp"
#include "models/ssd/nand_array.hpp"
#include "models/ssd/ssd_config.hpp"

namespace blocksim {

class SsdDeviceModel final : public DeviceBase {
 public:
  // `resolved` is resolve_ssd_config(config): the registry resolves the message once.
  SsdDeviceModel(const DeviceContext& context, const proto::Device& config, ssd::SsdConfig resolved);

  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override;
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion) override;
  IOReturn getWriteCacheState(bool* enabled) override;
  IOReturn setWriteCacheState(bool enabled) override;
  DeviceCharacteristics characteristics() const override;
  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  // Components are the NAND dies, 0 .. channels x dies_per_channel - 1.
  IOReturn set_component_speed(std::uint32_t component, double speed) override;
  // What only the DRAM cache held is lost (the shared data store's volatile half), programs in
  // flight never end (the map goes back to the copies they were replacing), and nothing in
  // flight completes. With power-loss protection nothing that completed is lost and the
  // programs in flight keep what they wrote.
  void power_cut() override;

  const ssd::SsdConfig& ssd_config() const { return config_; }
  const ssd::Ftl& ftl() const { return *ftl_; }
  const ssd::FlashWriter& flash_writer() const { return *writer_; }
  const ssd::GarbageCollector& collector() const { return *collector_; }

 private:
  IOReturn start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                          const IOStorageAttributes* attributes, const Transfer& transfer) override;

  struct Request : DeviceRequest {
    std::uint64_t bytes = 0;
    std::uint32_t pending = 0;  // sub-operations the current stage waits for
  };
  // The mapping units a request touches.
  struct UnitRange {
    std::uint64_t first_byte, end_byte;  // device bytes
    std::uint32_t first, last;           // units, inclusive
  };

  std::uint32_t accept(Op op, std::uint64_t lba, std::uint64_t blocks, std::uint32_t flags,
                       IOMemoryDescriptor* buffer, IOStoragePriority priority, const IOStorageCompletion& completion);
  UnitRange units_of(const Request& r) const;
  void start(std::uint64_t slot);
  void look_up_mapping(std::uint32_t slot);
  void mapping_ready(std::uint64_t slot);
  void translation_loaded(std::uint64_t tpn);
  void issue_translation_writebacks();
  void after_mapping(std::uint32_t slot);
  void read_flash(std::uint32_t slot);
  void flash_read_done(std::uint64_t slot);
  void write_reserve(std::uint32_t slot);
  void admit_waiting_writes();
  void write_arrived(std::uint64_t slot);
  void unit_durable(std::uint64_t slot);
  // The data path is done: the command waits out its latency-only part (no processor held), then
  // its completion is posted.
  void finish(std::uint64_t slot);
  void post_completion(std::uint32_t slot);
  void finish_later(std::uint32_t slot);
  void apply_unmap(const IOBlockStorageDeviceExtent& extent);
  // The device blocks of mapping unit `lpn`: [*first, *end).
  void blocks_of_unit(std::uint64_t lpn, std::uint64_t* first, std::uint64_t* end) const;
  // A unit's newest data is on flash: so are its blocks in the data store.
  void unit_clean(std::uint64_t lpn);

  ssd::SsdConfig config_;
  std::unique_ptr<ssd::Ftl> ftl_;
  std::unique_ptr<ssd::DataCache> cache_;
  std::unique_ptr<ssd::MappingCache> mapping_;
  std::unique_ptr<ssd::NandArray> nand_;
  std::unique_ptr<ssd::FlashWriter> writer_;
  std::unique_ptr<ssd::GarbageCollector> collector_;
  std::unique_ptr<ssd::HostInterface> host_;
  SlotPool<Request> requests_;
  std::deque<std::uint32_t> waiting_for_space_;
  bool write_cache_ = true;
  std::uint64_t max_write_units_ = 0;
  std::uint64_t cut_unmapped_units_ = 0;  // units a power cut left with no copy on flash

  struct Stats {
    std::uint64_t host_units_written = 0;
    std::uint64_t units_read = 0;
    std::uint64_t cache_read_hits = 0;
    std::uint64_t unmapped_reads = 0;  // units never written (or trimmed): no flash read
    std::uint64_t translation_reads = 0;
    std::uint64_t translation_programs = 0;
    std::uint64_t precondition_units = 0;
    std::uint64_t precondition_overwrites = 0;
    std::uint64_t slc_page_reads = 0;  // host page reads from SLC blocks
  } stats_;
};

}  // namespace blocksim
