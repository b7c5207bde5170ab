#include "models/ssd/flash_writer.hpp"

#include "models/ssd/garbage_collector.hpp"

namespace blocksim::ssd {

FlashWriter::FlashWriter(const SsdConfig& config, Ftl& ftl, DataCache& cache, NandArray& nand)
    : g_(config.geometry),
      copyback_(config.gc.copyback),
      ftl_(ftl),
      cache_(cache),
      nand_(nand),
      gc_pending_(config.geometry.planes()),
      gc_ready_(config.geometry.planes(), 0) {}

void FlashWriter::add_gc_unit(std::uint32_t plane, std::uint32_t lpn, std::uint32_t psn) {
  gc_pending_[plane].push_back(GcUnit{lpn, psn});
  refresh(plane);
}

void FlashWriter::refresh(std::uint32_t plane) {
  const std::size_t pending = gc_pending_[plane].size();
  const bool ready = pending >= g_.plane_program_slots() ||
                     (pending > 0 && (collector_ == nullptr || collector_->reads_done(plane)));
  if (ready != static_cast<bool>(gc_ready_[plane])) {
    gc_ready_[plane] = ready;
    if (ready)
      ++gc_ready_planes_;
    else
      --gc_ready_planes_;
  }
}

bool FlashWriter::has_work() const {
  return gc_ready_planes_ > 0 || cache_.dirty() >= g_.die_program_slots() || (cache_.urgent() && cache_.dirty() > 0);
}

void FlashWriter::die_idle(std::uint32_t die) {
  if (collector_)
    collector_->die_idle(die);
}

bool FlashWriter::next_program(std::uint32_t die, NandArray::ProgramOp* op) {
  const bool with_host = cache_.dirty() >= g_.die_program_slots() || (cache_.urgent() && cache_.dirty() > 0);
  const std::uint32_t first = die * g_.planes_per_die;
  bool gc_ready = false;
  for (std::uint32_t p = first; p < first + g_.planes_per_die; ++p)
    gc_ready = gc_ready || gc_ready_[p];
  if (!with_host && !gc_ready)
    return false;

  const std::uint32_t index = jobs_.acquire();
  Job& job = jobs_[index];
  job.host.clear();
  std::uint64_t crossing = 0;  // slots whose data crosses the channel
  std::uint32_t merges = 0;
  std::uint32_t planes_used = 0;
  for (std::uint32_t p = first; p < first + g_.planes_per_die; ++p)
    planes_used += fill_plane(p, with_host, job, &crossing, &merges) > 0;
  if (planes_used == 0) {
    jobs_.release(index);
    return false;
  }
  op->bytes = (crossing + merges) * g_.unit_bytes;
  op->merge_reads = merges;
  op->done = Callback::to<FlashWriter, &FlashWriter::program_done>(this, index);
  return true;
}

std::uint32_t FlashWriter::fill_plane(std::uint32_t plane, bool with_host, Job& job, std::uint64_t* crossing,
                                      std::uint32_t* merges) {
  const std::uint32_t unit = g_.plane_program_slots();
  const bool host_room = with_host && ftl_.has_room(plane, Writer::kHost);
  std::uint32_t filled = 0;
  auto& pending = gc_pending_[plane];
  while (filled < unit && !pending.empty()) {
    const GcUnit u = pending.front();
    pending.pop_front();
    if (ftl_.lookup(u.lpn) != u.psn)
      continue;  // overwritten or trimmed since GC read it
    ftl_.map(u.lpn, ftl_.take_slot(plane), Writer::kGc);
    ++filled;
    if (!copyback_)
      ++*crossing;
  }
  DataCache::Taken taken;
  while (host_room && filled < unit && cache_.take_dirty(&taken)) {
    if (taken.partial && ftl_.lookup(taken.lpn) != kNoSlot) {
      ++*merges;
      ++merge_reads_;
    }
    ftl_.map(taken.lpn, ftl_.take_slot(plane), Writer::kHost);
    job.host.push_back(taken);
    ++filled;
    ++*crossing;
  }
  if (filled > 0) {
    for (std::uint32_t i = filled; i < unit; ++i) {
      ftl_.pad(ftl_.take_slot(plane));
      ++*crossing;
    }
  }
  refresh(plane);
  if (collector_)
    collector_->check(plane);
  return filled;
}

void FlashWriter::program_done(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  Job& job = jobs_[slot];
  const bool had_host = !job.host.empty();
  for (const DataCache::Taken& taken : job.host)
    cache_.programmed(taken);
  job.host.clear();
  jobs_.release(slot);
  if (had_host && programmed_listener_)
    programmed_listener_();
}

}  // namespace blocksim::ssd
