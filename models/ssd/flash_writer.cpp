#include "models/ssd/flash_writer.hpp"

#include <algorithm>

#include "models/ssd/garbage_collector.hpp"

namespace blocksim::ssd {

FlashWriter::FlashWriter(const Engine& engine, const SsdConfig& config, Ftl& ftl, DataCache& cache)
    : engine_(engine),
      g_(config.geometry),
      slc_config_(config.slc),
      copyback_(config.gc.copyback),
      ftl_(ftl),
      cache_(cache),
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

SimTime FlashWriter::direct_time() const {
  return slc_.direct_time + (direct_ ? engine_.now() - direct_since_ : 0);
}

void FlashWriter::end_direct_spell() {
  if (!direct_)
    return;
  slc_.direct_time += engine_.now() - direct_since_;
  direct_ = false;
}

void FlashWriter::die_idle(std::uint32_t die) {
  if (cache_.dirty() == 0)
    end_direct_spell();  // the host's writes are all on flash
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

  if (powered_off_)
    return false;
  // SLC only for host data, and only when every plane of the die has room in the cache.
  const bool slc = with_host && !gc_ready && slc_config_.enabled && ftl_.slc_room(first, g_.planes_per_die);
  const std::uint32_t index = jobs_.acquire();
  Job& job = jobs_[index];
  job.host.clear();
  job.moves.clear();
  job.sequence = next_sequence_++;
  job.live = true;
  std::uint64_t crossing = 0;  // slots whose data crosses the channel
  std::uint32_t merges = 0;
  std::uint32_t planes_used = 0;
  for (std::uint32_t p = first; p < first + g_.planes_per_die; ++p) {
    const std::uint32_t filled =
        slc ? fill_plane_slc(p, job, &crossing, &merges) : fill_plane(p, with_host, job, &crossing, &merges);
    planes_used += filled > 0;
  }
  if (planes_used == 0) {
    jobs_.release(index);
    return false;
  }
  if (slc_config_.enabled && !job.host.empty()) {
    if (slc) {
      end_direct_spell();
    } else if (!gc_ready && !direct_) {
      direct_ = true;  // host data went direct for want of SLC room (not alongside GC's units)
      direct_since_ = engine_.now();
    }
  }
  op->program_time = slc ? slc_config_.program : 0;
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
    // The slot still holds u.lpn (its block is not erased while units read from it wait), so
    // the map points at it exactly when it is valid, which the block table answers without a
    // look-up in the map.
    if (!ftl_.is_valid(u.psn))
      continue;  // overwritten or trimmed since GC read it
    slc_.folded_units += ftl_.is_slc(u.psn);
    const std::uint32_t to = ftl_.take_slot(plane);
    ftl_.map(u.lpn, u.psn, to, Writer::kGc);
    job.moves.push_back(Move{u.lpn, u.psn, to});
    ++filled;
    if (!copyback_)
      ++*crossing;
  }
  while (host_room && filled < unit && take_host_unit(plane, false, job, crossing, merges)) {
    ++filled;
    slc_.direct_units += slc_config_.enabled;
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

std::uint32_t FlashWriter::fill_plane_slc(std::uint32_t plane, Job& job, std::uint64_t* crossing,
                                          std::uint32_t* merges) {
  const std::uint32_t unit = slc_config_.plane_program_slots;
  std::uint32_t filled = 0;
  while (filled < unit && take_host_unit(plane, true, job, crossing, merges)) {
    ++filled;
    ++slc_.host_units;
  }
  if (filled > 0) {
    for (std::uint32_t i = filled; i < unit; ++i) {
      ftl_.pad(ftl_.take_slot(plane, true));
      ++*crossing;
    }
  }
  if (collector_)
    collector_->check(plane);  // opening an SLC block may have taken the plane to GC's threshold
  return filled;
}

bool FlashWriter::take_host_unit(std::uint32_t plane, bool slc, Job& job, std::uint64_t* crossing,
                                 std::uint32_t* merges) {
  DataCache::Taken taken;
  if (!cache_.take_dirty(&taken))
    return false;
  const std::uint32_t from = ftl_.lookup(taken.lpn);
  if (taken.partial && from != kNoSlot) {
    ++*merges;
    ++merge_reads_;
  }
  const std::uint32_t to = ftl_.take_slot(plane, slc);
  ftl_.map(taken.lpn, from, to, Writer::kHost);
  job.moves.push_back(Move{taken.lpn, from, to});
  job.host.push_back(taken);
  ++*crossing;
  return true;
}

void FlashWriter::program_done(std::uint64_t index) {
  const auto slot = static_cast<std::uint32_t>(index);
  Job& job = jobs_[slot];
  const bool had_host = !job.host.empty();
  for (const DataCache::Taken& taken : job.host)
    cache_.programmed(taken);
  job.host.clear();
  job.moves.clear();
  job.live = false;
  jobs_.release(slot);
  if (had_host && programmed_listener_)
    programmed_listener_();
}

std::uint64_t FlashWriter::power_cut() {
  powered_off_ = true;
  std::vector<std::uint32_t> live;
  for (std::uint32_t i = 0; i < jobs_.size(); ++i)
    if (jobs_[i].live)
      live.push_back(i);
  // Newest program first: a unit two programs moved goes back through both.
  std::sort(live.begin(), live.end(),
            [this](std::uint32_t a, std::uint32_t b) { return jobs_[a].sequence > jobs_[b].sequence; });
  std::uint64_t unmapped = 0;
  for (std::uint32_t i : live) {
    Job& job = jobs_[i];
    for (auto m = job.moves.rbegin(); m != job.moves.rend(); ++m)
      if (ftl_.lookup(m->lpn) == m->to && !ftl_.roll_back(m->lpn, m->from))
        ++unmapped;
    job.live = false;
  }
  return unmapped;
}

std::vector<std::uint32_t> FlashWriter::slots_in_flight() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < jobs_.size(); ++i)
    if (jobs_[i].live)
      for (const Move& m : jobs_[i].moves)
        out.push_back(m.to);
  return out;
}

}  // namespace blocksim::ssd
