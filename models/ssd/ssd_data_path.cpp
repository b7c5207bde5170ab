// SsdDeviceModel's read and write paths, stage by stage (see ssd_device.hpp).
#include <algorithm>
#include <cstring>

#include "models/ssd/ssd_device.hpp"

namespace blocksim {

using ssd::kNoSlot;

namespace {
void nothing(void*, std::uint64_t) {}

// The 1/64ths of a unit that bytes [from, to) of it cover wholly (a write's: DataCache's coverage
// mask), or touch at all (`touched`: what a read needs).
std::uint64_t coverage(std::uint64_t from, std::uint64_t to, std::uint64_t unit_bytes, bool touched = false) {
  if (from == 0 && to == unit_bytes)
    return ssd::DataCache::kWholeUnit;
  const std::uint64_t first = touched ? from * 64 / unit_bytes : (from * 64 + unit_bytes - 1) / unit_bytes;
  const std::uint64_t end = touched ? (to * 64 + unit_bytes - 1) / unit_bytes : to * 64 / unit_bytes;
  std::uint64_t mask = 0;
  for (std::uint64_t part = first; part < end; ++part)
    mask |= std::uint64_t{1} << part;
  return mask;
}
}  // namespace

void SsdDeviceModel::look_up_mapping(std::uint32_t slot) {
  Request& r = requests_[slot];
  if (!mapping_) {
    after_mapping(slot);
    return;
  }
  const UnitRange range = units_of(r);
  const std::uint64_t per_page = config_.entries_per_translation_page;
  const ssd::SsdGeometry& g = config_.geometry;
  r.pending = 1;  // held until every translation page is asked for
  for (std::uint64_t tpn = range.first / per_page; tpn <= range.last / per_page; ++tpn) {
    const auto page = static_cast<std::uint32_t>(tpn);
    const auto lookup = mapping_->lookup(page, r.op == Op::kWrite,
                                         Callback::to<SsdDeviceModel, &SsdDeviceModel::mapping_ready>(this, slot));
    if (lookup == ssd::MappingCache::Lookup::kHit)
      continue;
    ++r.pending;
    if (lookup == ssd::MappingCache::Lookup::kLoad) {
      // Translation pages are spread over the dies; where exactly does not matter for timing.
      const std::uint32_t die = page % g.dies();
      const std::uint32_t plane = die * g.planes_per_die + (page / g.dies()) % g.planes_per_die;
      const std::uint32_t page_in_plane = (page / g.dies() / g.planes_per_die) % g.pages_per_block;
      ++stats_.translation_reads;
      nand_->read(plane, page_in_plane, g.page_bytes,
                  Callback::to<SsdDeviceModel, &SsdDeviceModel::translation_loaded>(this, page));
    }
  }
  issue_translation_writebacks();
  mapping_ready(slot);
}

void SsdDeviceModel::issue_translation_writebacks() {
  std::uint32_t tpn;
  while (mapping_->take_writeback(&tpn)) {
    ++stats_.translation_programs;
    nand_->program(tpn % config_.geometry.dies(), config_.geometry.page_bytes, Callback{&nothing, nullptr, 0});
  }
}

void SsdDeviceModel::translation_loaded(std::uint64_t tpn) { mapping_->loaded(static_cast<std::uint32_t>(tpn)); }

void SsdDeviceModel::mapping_ready(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  if (--requests_[slot].pending == 0)
    after_mapping(slot);
}

void SsdDeviceModel::after_mapping(std::uint32_t slot) {
  // A write never waits for flash reads: a unit it covers only in part merges in the cache, and
  // the flash writer reads the rest when the unit is programmed (FlashWriter).
  if (requests_[slot].op == Op::kRead)
    read_flash(slot);
  else
    write_reserve(slot);
}

void SsdDeviceModel::read_flash(std::uint32_t slot) {
  Request& r = requests_[slot];
  r.pending = 1;  // held while the reads are issued
  const ssd::SsdGeometry& g = config_.geometry;
  const UnitRange range = units_of(r);
  std::uint32_t page = kNoSlot, page_psn = kNoSlot;
  std::uint64_t page_bytes = 0;
  // The request's page reads reach their dies together: pages on the planes of one die go as one
  // multi-plane read, as the controller would send them.
  nand_->hold_starts();
  auto issue = [&] {
    if (page == kNoSlot)
      return;
    ++r.pending;
    // A page of an SLC block (the SLC cache) reads at the SLC tR.
    const bool slc = ftl_->is_slc(page_psn);
    stats_.slc_page_reads += slc;
    nand_->read(g.plane_of(page_psn), g.page_in_plane(page_psn), page_bytes,
                Callback::to<SsdDeviceModel, &SsdDeviceModel::flash_read_done>(this, slot),
                slc ? config_.slc.read : SimTime{0});
    page = kNoSlot;
  };
  for (std::uint64_t lpn = range.first; lpn <= range.last; ++lpn) {
    const std::uint64_t unit_start = lpn * g.unit_bytes;
    const std::uint64_t from = std::max(unit_start, range.first_byte);
    const std::uint64_t to = std::min(unit_start + g.unit_bytes, range.end_byte);
    ++stats_.units_read;
    const auto unit = static_cast<std::uint32_t>(lpn);
    if (cache_->holds(unit, coverage(from - unit_start, to - unit_start, g.unit_bytes, true))) {
      cache_->touch(unit);
      ++stats_.cache_read_hits;
      continue;
    }
    const std::uint32_t psn = ftl_->lookup(unit);
    if (psn == kNoSlot) {
      // Never written or trimmed: zeros, from the controller. The written data itself is not
      // kept here (the shared data store does that), so only these bytes are filled in.
      ++stats_.unmapped_reads;
      if (r.buffer && r.buffer->bytes)
        std::memset(r.buffer->bytes + (from - range.first_byte), 0, to - from);
      continue;
    }
    if (g.page_of(psn) != page) {
      issue();
      page = g.page_of(psn);
      page_psn = psn;
      page_bytes = 0;
    }
    page_bytes += to - from;
  }
  issue();
  nand_->release_starts();
  flash_read_done(slot);
}

void SsdDeviceModel::flash_read_done(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  Request& r = requests_[slot];
  if (--r.pending > 0)
    return;
  engine().transfer(context().dma, TransferDirection::kToHost, r.bytes,
                    Callback::to<SsdDeviceModel, &SsdDeviceModel::finish>(this, slot));
}

void SsdDeviceModel::write_reserve(std::uint32_t slot) {
  Request& r = requests_[slot];
  const UnitRange range = units_of(r);
  if (waiting_for_space_.empty() && cache_->reserve(range.last - range.first + 1)) {
    engine().transfer(context().dma, TransferDirection::kFromHost, r.bytes,
                      Callback::to<SsdDeviceModel, &SsdDeviceModel::write_arrived>(this, slot));
    return;
  }
  waiting_for_space_.push_back(slot);
}

void SsdDeviceModel::admit_waiting_writes() {
  while (!waiting_for_space_.empty()) {
    const std::uint32_t slot = waiting_for_space_.front();
    Request& r = requests_[slot];
    const UnitRange range = units_of(r);
    if (!cache_->reserve(range.last - range.first + 1))
      return;
    waiting_for_space_.pop_front();
    engine().transfer(context().dma, TransferDirection::kFromHost, r.bytes,
                      Callback::to<SsdDeviceModel, &SsdDeviceModel::write_arrived>(this, slot));
  }
}

void SsdDeviceModel::write_arrived(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  Request& r = requests_[slot];
  const UnitRange range = units_of(r);
  const std::uint64_t unit_bytes = config_.geometry.unit_bytes;
  for (std::uint32_t unit = range.first; unit <= range.last; ++unit) {
    const std::uint64_t start = std::uint64_t{unit} * unit_bytes;
    const std::uint64_t from = std::max(start, range.first_byte) - start;
    const std::uint64_t to = std::min(start + unit_bytes, range.end_byte) - start;
    cache_->write(unit, coverage(from, to, unit_bytes));
  }
  // The bytes are in the DRAM cache: volatile until their units are programmed (unit_clean),
  // unless the cache is power-loss protected, which makes them durable now.
  const bool protected_cache = config_.power_loss_protection;
  if (r.buffer)
    store_write(*r.buffer, r.lba, r.blocks, protected_cache ? Durability::kDurable : Durability::kVolatile);
  stats_.host_units_written += range.last - range.first + 1;
  // FUA asks for durable data, which a protected cache already holds; a cache turned off still
  // sends every write to the flash first.
  const bool through = !write_cache_ || ((r.flags & kFlagFua) && !protected_cache);
  r.pending = 1;
  if (through)
    for (std::uint32_t unit = range.first; unit <= range.last; ++unit)
      r.pending += cache_->wait_durable(unit, Callback::to<SsdDeviceModel, &SsdDeviceModel::unit_durable>(this, slot));
  nand_->kick_idle();
  unit_durable(slot);
}

void SsdDeviceModel::unit_durable(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  if (--requests_[slot].pending == 0)
    finish(slot);
}

}  // namespace blocksim
