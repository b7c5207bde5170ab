#include "models/ssd/garbage_collector.hpp"

#include "models/ssd/wear_leveling.hpp"

namespace blocksim::ssd {

namespace {
// GC reads of one victim in flight at once: enough to fill a program, few enough that host reads
// queued at the same die do not wait behind a whole block's worth.
std::uint32_t read_window(const SsdGeometry& g) { return 2 * g.pages_per_program; }
}  // namespace

GarbageCollector::GarbageCollector(Engine& engine, const SsdConfig& config, Ftl& ftl, NandArray& nand,
                                   FlashWriter& writer)
    : engine_(engine),
      g_(config.geometry),
      config_(config.gc),
      ftl_(ftl),
      nand_(nand),
      writer_(writer),
      jobs_(config.geometry.planes()),
      slc_(config.slc) {
  ftl_.on_victim_empty(Callback{&GarbageCollector::victim_empty, this, 0});
}

bool GarbageCollector::reads_done(std::uint32_t plane) const {
  const Job& job = jobs_[plane];
  return job.victim == kNoBlock || (job.reads_out == 0 && (job.empty || job.next_page == job.pages));
}

void GarbageCollector::check(std::uint32_t plane) {
  if (jobs_[plane].victim != kNoBlock)
    return;
  if (ftl_.free_blocks(plane) <= config_.foreground_threshold) {
    const std::uint32_t victim = ftl_.choose_victim(plane);
    if (victim != kNoBlock) {
      start(plane, victim, false, false);
      return;
    }
  }
  if (slc_.enabled && ftl_.slc_over_capacity())
    fold(plane, false);
}

bool GarbageCollector::fold(std::uint32_t plane, bool idle) {
  if (jobs_[plane].victim != kNoBlock)
    return false;
  const std::uint32_t victim = ftl_.blocks().oldest_closed_slc(plane);
  if (victim == kNoBlock)
    return false;
  ftl_.mark_victim(victim);
  start(plane, victim, false, idle);
  jobs_[plane].idle_fold = idle;
  return true;
}

void GarbageCollector::arm_idle_fold(SimTime delay) {
  const SimTime when = engine_.now() + delay;
  if (idle_fold_at_ <= when)
    return;  // one fires first
  idle_fold_at_ = when;
  // A background event: it does not keep the run going. Not cancelled while this lives
  // (background_timers.hpp): a later one left pending fires and finds nothing to do, as does one
  // that finds the host back.
  idle_fold_timers_.arm(when, [this, when] {
    if (idle_fold_at_ == when)
      idle_fold_at_ = kNever;
    idle_fold_due();
  });
}

void GarbageCollector::idle_fold_due() {
  if (!writer_.host_idle() || idle_folds_running_ > 0)
    return;  // the next idle die arms it again; a round's last fold arms the next round
  // A die's planes fold together, once none of them has a job: their reads go as multi-plane
  // reads and their units fill multi-plane programs, as a controller folding a die would.
  for (std::uint32_t die = 0; die < g_.dies(); ++die) {
    const std::uint32_t first = die * g_.planes_per_die;
    bool busy = false;
    for (std::uint32_t plane = first; plane < first + g_.planes_per_die; ++plane)
      busy = busy || jobs_[plane].victim != kNoBlock;
    if (busy)
      continue;  // the last job of the die to end arms the next round
    nand_.hold_starts();
    for (std::uint32_t plane = first; plane < first + g_.planes_per_die; ++plane)
      idle_folds_running_ += fold(plane, true);
    nand_.release_starts();
  }
}

void GarbageCollector::die_idle(std::uint32_t die) {
  for (std::uint32_t plane = die * g_.planes_per_die; plane < (die + 1) * g_.planes_per_die; ++plane) {
    if (jobs_[plane].victim != kNoBlock || ftl_.free_blocks(plane) > config_.background_threshold)
      continue;
    const std::uint32_t victim = ftl_.choose_victim(plane);
    if (victim != kNoBlock)
      start(plane, victim, false, ftl_.free_blocks(plane) > config_.foreground_threshold);
  }
  if (slc_.enabled && writer_.host_idle() && ftl_.blocks().slc_blocks() > 0)
    arm_idle_fold(slc_.idle_fold_delay);
}

void GarbageCollector::start(std::uint32_t plane, std::uint32_t victim, bool wear, bool background) {
  Job& job = jobs_[plane];
  job = Job{};
  job.victim = victim;
  job.wear = wear;
  job.background = background;
  job.empty = ftl_.blocks().valid(victim) == 0;
  const bool slc = ftl_.blocks().slc(victim);
  job.pages = slc ? slc_.block_slots / g_.slots_per_page : g_.pages_per_block;
  job.read_time = slc ? slc_.read : 0;
  issue_reads(plane);
  maybe_erase(plane);
}

void GarbageCollector::issue_reads(std::uint32_t plane) {
  Job& job = jobs_[plane];
  const std::uint32_t block_first = g_.first_slot(job.victim);
  while (!job.empty && job.reads_out < read_window(g_) && job.next_page < job.pages) {
    const std::uint32_t page = job.next_page++;
    const std::uint32_t page_first = block_first + page * g_.slots_per_page;
    std::uint32_t valid = 0;
    for (std::uint32_t psn = page_first; psn < page_first + g_.slots_per_page; ++psn)
      valid += ftl_.is_valid(psn);
    if (valid == 0)
      continue;
    ++job.reads_out;
    const std::uint64_t bytes = config_.copyback ? 0 : valid * g_.unit_bytes;
    nand_.read(plane, g_.page_in_plane(page_first), bytes,
               Callback::to<GarbageCollector, &GarbageCollector::read_done>(
                   this, (static_cast<std::uint64_t>(plane) << 32) | page),
               job.read_time);
  }
}

void GarbageCollector::read_done(std::uint64_t plane_and_page) {
  const auto plane = static_cast<std::uint32_t>(plane_and_page >> 32);
  const auto page = static_cast<std::uint32_t>(plane_and_page);
  Job& job = jobs_[plane];
  --job.reads_out;
  const std::uint32_t page_first = g_.first_slot(job.victim) + page * g_.slots_per_page;
  for (std::uint32_t psn = page_first; psn < page_first + g_.slots_per_page; ++psn)
    if (ftl_.is_valid(psn))
      writer_.add_gc_unit(plane, ftl_.owner(psn), psn);
  issue_reads(plane);
  if (reads_done(plane))
    writer_.gc_reads_finished(plane);
  nand_.kick_idle();
  maybe_erase(plane);
}

void GarbageCollector::victim_empty(void* self, std::uint64_t block) {
  // The FTL reports this while a program is being assembled: act on it from a timer, outside.
  auto* collector = static_cast<GarbageCollector*>(self);
  collector->engine_.after(0, [collector, block] {
    const std::uint32_t plane = collector->g_.plane_of_block(static_cast<std::uint32_t>(block));
    Job& job = collector->jobs_[plane];
    if (job.victim != block)
      return;
    job.empty = true;
    collector->maybe_erase(plane);
  });
}

void GarbageCollector::maybe_erase(std::uint32_t plane) {
  Job& job = jobs_[plane];
  if (job.victim == kNoBlock || !job.empty || job.reads_out > 0 || job.erasing)
    return;
  job.erasing = true;
  nand_.erase(g_.die_of_plane(plane), Callback::to<GarbageCollector, &GarbageCollector::erase_done>(this, plane));
}

void GarbageCollector::erase_done(std::uint64_t plane_index) {
  const auto plane = static_cast<std::uint32_t>(plane_index);
  Job& job = jobs_[plane];
  const bool folded = ftl_.blocks().slc(job.victim);
  const bool idle_fold = job.idle_fold;
  ftl_.erase(job.victim);
  ++counters_.collections;
  counters_.wear_levelling += job.wear;
  counters_.background += job.background;
  counters_.folds += folded;
  counters_.idle_folds += idle_fold;
  job = Job{};
  writer_.drop_gc_units(plane);
  check(plane);
  // Idle folding goes on in rounds while the device stays idle: the last fold of a round arms
  // the next from a background timer, so a round in progress finishes but no new one keeps a
  // run going once the host's work is done.
  idle_folds_running_ -= idle_fold;
  if (idle_fold && idle_folds_running_ == 0 && writer_.host_idle())
    arm_idle_fold(0);
  if (jobs_[plane].victim == kNoBlock && config_.static_wear_threshold > 0 &&
      ftl_.free_blocks(plane) > config_.foreground_threshold) {
    const std::uint32_t cold = block_to_level(ftl_.blocks(), g_, plane, config_.static_wear_threshold);
    if (cold != kNoBlock) {
      ftl_.mark_victim(cold);
      start(plane, cold, true, false);
    }
  }
  writer_.gc_reads_finished(plane);
  nand_.kick_idle();
}

}  // namespace blocksim::ssd
