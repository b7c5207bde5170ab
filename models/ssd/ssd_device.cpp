#include "models/ssd/ssd_device.hpp"

#include <cstring>

#include "models/ssd/preconditioner.hpp"
#include "sim/core/random.hpp"

namespace blocksim {

using ssd::kNoSlot;

namespace {
constexpr std::uint64_t kPreconditionStream = 1;
void nothing(void*, std::uint64_t) {}
}  // namespace

SsdDeviceModel::SsdDeviceModel(const DeviceContext& context, const proto::Device& config, ssd::SsdConfig resolved)
    : DeviceBase(context, config, "ssd"), config_(std::move(resolved)) {
  const ssd::SsdGeometry& g = config_.geometry;
  ftl_ = std::make_unique<ssd::Ftl>(g, config_.gc);
  if (config_.slc.enabled)
    ftl_->enable_slc(config_.slc);  // preconditioning still writes native blocks only
  Rng rng(context.seed, (static_cast<std::uint64_t>(context.index) << 8) | kPreconditionStream);
  const ssd::PreconditionResult pre = ssd::precondition(*ftl_, config_.fill, config_.random_overwrites, rng);
  stats_.precondition_units = pre.filled_units;
  stats_.precondition_overwrites = pre.overwrites;

  cache_ = std::make_unique<ssd::DataCache>(config_.cache_units);
  if (config_.mapping_cache_pages > 0)
    mapping_ = std::make_unique<ssd::MappingCache>(config_.mapping_cache_pages);
  nand_ = std::make_unique<ssd::NandArray>(engine(), g, config_.timing);
  writer_ = std::make_unique<ssd::FlashWriter>(engine(), config_, *ftl_, *cache_);
  collector_ = std::make_unique<ssd::GarbageCollector>(engine(), config_, *ftl_, *nand_, *writer_);
  writer_->set_collector(collector_.get());
  writer_->set_programmed_listener(Callback{[](void* self, std::uint64_t) {
                                              static_cast<SsdDeviceModel*>(self)->admit_waiting_writes();
                                            },
                                            this, 0});
  nand_->set_scheduler(writer_.get());
  host_ = std::make_unique<ssd::HostInterface>(engine(), config_.host,
                                               Callback::to<SsdDeviceModel, &SsdDeviceModel::start>(this, 0));
  // The common write_cache { enabled } field, when given, is the state at power-on.
  write_cache_ = config.write_cache().has_enabled() ? config.write_cache().enabled() : config_.write_cache;
  cache_->set_clean_listener(Callback::to<SsdDeviceModel, &SsdDeviceModel::unit_clean>(this, 0));
  max_write_units_ = config_.cache_units / 2;
}

DeviceCharacteristics SsdDeviceModel::characteristics() const {
  DeviceCharacteristics c;
  c.feature_force_unit_access = true;
  c.feature_unmap = true;
  c.unmap_granularity_bytes = config_.geometry.unit_bytes;  // apply_unmap frees whole units only
  c.solid_state = true;
  c.max_block_count_write = max_write_units_ * config_.geometry.unit_bytes / block_size();
  c.max_byte_count_write = c.max_block_count_write * block_size();
  return c;
}

IOReturn SsdDeviceModel::getWriteCacheState(bool* enabled) {
  *enabled = write_cache_;
  return kIOReturnSuccess;
}

IOReturn SsdDeviceModel::setWriteCacheState(bool enabled) {
  write_cache_ = enabled;
  // Turning the cache off writes back what it holds (as ATA's SET FEATURES does).
  if (!enabled && cache_->flush(Callback{&nothing, nullptr, 0}))
    nand_->kick_idle();
  return kIOReturnSuccess;
}

IOReturn SsdDeviceModel::start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                        const IOStorageAttributes* attributes, const Transfer& t) {
  if (t.op == Op::kWrite && nblks > characteristics().max_block_count_write)
    return kIOReturnBadArgument;
  accept(t.op, block, nblks, t.flags, buffer, attributes ? attributes->priority : kIOStoragePriorityDefault,
         t.completion);
  return kIOReturnSuccess;
}

IOReturn SsdDeviceModel::doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                                       IOStorageCompletion* completion) {
  if (options & kIOStorageSynchronizeOptionReserved)
    return kIOReturnBadArgument;
  const std::uint32_t flags = (options & kIOStorageSynchronizeOptionBarrier) ? kFlagBarrier : 0;
  accept(Op::kFlush, block, nblks, flags, nullptr, kIOStoragePriorityDefault,
         completion ? *completion : IOStorageCompletion{});
  return kIOReturnSuccess;
}

IOReturn SsdDeviceModel::doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount,
                                 IOStorageUnmapOptions options, IOStorageCompletion* completion) {
  if ((options & kIOStorageUnmapOptionReserved) || (extentsCount > 0 && extents == nullptr))
    return kIOReturnBadArgument;
  std::uint64_t blocks = 0;
  for (std::uint32_t i = 0; i < extentsCount; ++i) {
    if (extents[i].blockStart >= block_count() || extents[i].blockCount > block_count() - extents[i].blockStart)
      return kIOReturnBadArgument;
    blocks += extents[i].blockCount;
  }
  // The extents are the caller's only during the call: apply them now. Unmap is not ordered
  // against writes in flight to the same blocks (driver-api.md §7.5), so this is allowed.
  for (std::uint32_t i = 0; i < extentsCount; ++i)
    apply_unmap(extents[i]);
  accept(Op::kUnmap, extentsCount > 0 ? extents[0].blockStart : 0, blocks, 0, nullptr, kIOStoragePriorityDefault,
         completion ? *completion : IOStorageCompletion{});
  return kIOReturnSuccess;
}

void SsdDeviceModel::apply_unmap(const IOBlockStorageDeviceExtent& extent) {
  // Only units wholly inside the extent are unmapped; a partly covered unit keeps its data.
  const std::uint64_t unit = config_.geometry.unit_bytes;
  const std::uint64_t first_byte = extent.blockStart * block_size();
  const std::uint64_t end_byte = first_byte + extent.blockCount * block_size();
  for (std::uint64_t lpn = (first_byte + unit - 1) / unit; (lpn + 1) * unit <= end_byte; ++lpn) {
    cache_->drop(static_cast<std::uint32_t>(lpn));
    ftl_->unmap(static_cast<std::uint32_t>(lpn));
    if (data()) {
      std::uint64_t first, end;
      blocks_of_unit(lpn, &first, &end);
      data()->discard(first, end - first);
    }
  }
}

void SsdDeviceModel::blocks_of_unit(std::uint64_t lpn, std::uint64_t* first, std::uint64_t* end) const {
  const std::uint64_t unit = config_.geometry.unit_bytes;
  *first = lpn * unit / block_size();
  *end = std::min(((lpn + 1) * unit + block_size() - 1) / block_size(), block_count());
}

void SsdDeviceModel::unit_clean(std::uint64_t lpn) {
  if (!data())
    return;
  std::uint64_t first, end;
  blocks_of_unit(lpn, &first, &end);
  if (end > first)
    data()->flush(first, end - first);
}

void SsdDeviceModel::power_cut() {
  DeviceBase::power_cut();
  // With power-loss protection the capacitors carry the programs in flight to their end, so the
  // map keeps what they wrote, and the cache's dirty units out to flash: placed at once, since
  // nothing is timed after a cut.
  if (!config_.power_loss_protection) {
    cut_unmapped_units_ += writer_->power_cut();
    return;
  }
  ssd::DataCache::Taken taken;
  std::uint32_t cursor = 0;
  std::uint64_t victims = 0;
  while (cache_->take_dirty(&taken))
    if (!ssd::place_without_time(*ftl_, taken.lpn, cursor, &victims))
      ++cut_unmapped_units_;
}

std::uint32_t SsdDeviceModel::accept(Op op, std::uint64_t lba, std::uint64_t blocks, std::uint32_t flags,
                                     IOMemoryDescriptor* buffer, IOStoragePriority priority,
                                     const IOStorageCompletion& completion) {
  const auto queue_depth = static_cast<std::uint32_t>(requests_.in_use());
  const std::uint32_t slot = requests_.acquire();
  Request& r = requests_[slot];
  r.completion = completion;
  r.buffer = buffer;
  r.lba = lba;
  r.blocks = blocks;
  r.bytes = (op == Op::kRead || op == Op::kWrite) ? blocks * block_size() : 0;
  r.submit = engine().now();
  r.op = op;
  r.flags = flags;
  r.queue_depth = queue_depth;
  host_->submit(slot, priority, op == Op::kWrite ? config_.host.write_command_time : config_.host.command_time);
  return slot;
}

SsdDeviceModel::UnitRange SsdDeviceModel::units_of(const Request& r) const {
  const std::uint64_t unit = config_.geometry.unit_bytes;
  UnitRange range;
  range.first_byte = r.lba * block_size();
  range.end_byte = range.first_byte + r.blocks * block_size();
  range.first = static_cast<std::uint32_t>(range.first_byte / unit);
  range.last = static_cast<std::uint32_t>((range.end_byte - 1) / unit);
  return range;
}

void SsdDeviceModel::start(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  Request& r = requests_[slot];
  r.dispatch = engine().now();
  switch (r.op) {
    case Op::kRead:
    case Op::kWrite: look_up_mapping(slot); break;
    case Op::kFlush:
      // A protected cache holds nothing volatile: the flush has nothing to wait for.
      if (config_.power_loss_protection)
        finish_later(slot);
      else if (cache_->flush(Callback::to<SsdDeviceModel, &SsdDeviceModel::finish>(this, slot)))
        nand_->kick_idle();
      else
        finish_later(slot);
      break;
    default: finish_later(slot); break;
  }
}

void SsdDeviceModel::finish_later(std::uint32_t slot) {
  // start() may run inside the call that submitted the request: complete from a timer.
  engine().after(0, [this, slot] { finish(slot); });
}

void SsdDeviceModel::finish(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  const ssd::HostConfig& host = config_.host;
  const SimTime latency =
      host.command_latency + (requests_[slot].op == Op::kWrite ? host.write_buffer_latency : SimTime{0});
  if (latency == 0)
    post_completion(slot);  // no timer: runs without latency parts keep their event order
  else
    engine().after(latency, [this, slot] { post_completion(slot); });
}

void SsdDeviceModel::post_completion(std::uint32_t slot) {
  const Request r = requests_[slot];
  requests_.release(slot);
  if (powered_off())
    return;  // nothing completes after a power cut
  host_->finished(slot);
  if (r.op == Op::kRead && r.buffer)
    load_read(*r.buffer, r.lba, r.blocks);
  complete_request(r, r.bytes);
}

IOReturn SsdDeviceModel::set_component_speed(std::uint32_t component, double speed) {
  if (component >= config_.geometry.dies() || !(speed > 0))
    return kIOReturnBadArgument;
  nand_->set_die_speed(component, speed);
  return kIOReturnSuccess;
}

}  // namespace blocksim
