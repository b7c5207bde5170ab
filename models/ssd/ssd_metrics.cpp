// SsdDeviceModel's end-of-run figures: write amplification, garbage collection, wear, caches and
// how busy each die and channel was. They reach the summary and the trace's RunEnd record.
#include <algorithm>
#include <cstdio>

#include "models/ssd/ssd_device.hpp"
#include "models/ssd/wear_leveling.hpp"

namespace blocksim {

namespace {

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0; }

}  // namespace

void SsdDeviceModel::collect_metrics(std::vector<DeviceMetric>* out) const {
  const ssd::SsdGeometry& g = config_.geometry;
  const ssd::FtlCounters& ftl = ftl_->counters();
  const ssd::GcCounters& gc = collector_->counters();
  auto add = [out](std::string name, double value, std::string unit) {
    out->push_back(DeviceMetric{"ssd." + std::move(name), value, std::move(unit)});
  };
  const double programmed = static_cast<double>(ftl.host_slots + ftl.gc_slots + ftl.pad_slots);
  // Flash writes per unit the host wrote (the cache may absorb rewrites), and per host unit that
  // reached flash (what garbage collection alone costs: the analytic models' figure).
  add("write_amplification", ratio(programmed, static_cast<double>(stats_.host_units_written)), "");
  add("gc_write_amplification", ratio(programmed, static_cast<double>(ftl.host_slots)), "");
  add("host_units_written", static_cast<double>(stats_.host_units_written), "count");
  add("flash_units_programmed", programmed, "count");
  add("gc_runs", static_cast<double>(gc.collections), "count");
  add("gc_background_runs", static_cast<double>(gc.background), "count");
  add("gc_units_moved", static_cast<double>(ftl.gc_slots), "count");
  add("padding_units", static_cast<double>(ftl.pad_slots), "count");
  add("erases", static_cast<double>(ftl.erases), "count");
  add("wear_levelling_moves", static_cast<double>(gc.wear_levelling), "count");
  const ssd::EraseSpread spread = ssd::device_erase_spread(ftl_->blocks(), g);
  add("erase_count_min", spread.min, "count");
  add("erase_count_max", spread.max, "count");
  add("erase_count_spread", spread.max - spread.min, "count");
  add("units_trimmed", static_cast<double>(ftl.trimmed), "count");
  add("cache_read_hits", static_cast<double>(stats_.cache_read_hits), "count");
  add("cache_read_hit_ratio", ratio(static_cast<double>(stats_.cache_read_hits), static_cast<double>(stats_.units_read)),
      "");
  add("read_modify_writes", static_cast<double>(writer_->merge_reads()), "count");
  // Reads that found no data (never written in this run, nor preconditioned; or trimmed): served
  // as zeros without touching flash, far faster than the drive a trace was recorded on.
  add("unwritten_unit_reads", static_cast<double>(stats_.unmapped_reads), "count");
  if (mapping_) {
    add("mapping_cache_misses", static_cast<double>(mapping_->misses()), "count");
    add("mapping_cache_hit_ratio",
        ratio(static_cast<double>(mapping_->hits()), static_cast<double>(mapping_->hits() + mapping_->misses())), "");
    add("mapping_programs", static_cast<double>(stats_.translation_programs), "count");
  }
  if (config_.slc.enabled) {
    // The SLC cache: host units programmed into it (hits) and past it (direct), units folded out
    // of it, SLC blocks folded, the time host data went direct for want of room, host page reads
    // from it, and its capacity and SLC blocks at the end of the run.
    const ssd::FlashWriter::SlcCounters& slc = writer_->slc_counters();
    add("slc_host_units", static_cast<double>(slc.host_units), "count");
    add("slc_direct_units", static_cast<double>(slc.direct_units), "count");
    add("slc_folded_units", static_cast<double>(slc.folded_units), "count");
    add("slc_folds", static_cast<double>(gc.folds), "count");
    add("slc_idle_folds", static_cast<double>(gc.idle_folds), "count");
    add("slc_direct_time_ns", static_cast<double>(writer_->direct_time()), "ns");
    add("slc_page_reads", static_cast<double>(stats_.slc_page_reads), "count");
    add("slc_capacity_units", static_cast<double>(ftl_->slc_capacity_units()), "count");
    add("slc_blocks", static_cast<double>(ftl_->blocks().slc_blocks()), "count");
  }
  add("flash_page_reads", static_cast<double>(nand_->page_reads()), "count");
  add("multi_plane_reads", static_cast<double>(nand_->multi_plane_reads()), "count");
  add("over_provisioning", ratio(static_cast<double>(g.slots()), static_cast<double>(g.logical_units)) - 1, "");
  add("ftl_memory", static_cast<double>(ftl_->memory_bytes()), "bytes");  // the mapping and block tables

  const double elapsed = static_cast<double>(engine().now());
  double busy_sum = 0, busy_min = 1, busy_max = 0;
  for (std::uint32_t die = 0; die < g.dies(); ++die) {
    const double busy = ratio(static_cast<double>(nand_->die_busy(die)), elapsed);
    busy_sum += busy;
    busy_min = std::min(busy_min, busy);
    busy_max = std::max(busy_max, busy);
    char name[48];
    std::snprintf(name, sizeof name, "die_busy.ch%u.die%u", g.channel_of_die(die), die / g.channels);
    add(name, busy, "fraction");
  }
  add("die_busy_mean", busy_sum / g.dies(), "fraction");
  add("die_busy_min", busy_min, "fraction");
  add("die_busy_max", busy_max, "fraction");
  double channel_sum = 0;
  for (std::uint32_t channel = 0; channel < g.channels; ++channel)
    channel_sum += ratio(static_cast<double>(nand_->channel_busy(channel)), elapsed);
  add("channel_busy_mean", channel_sum / g.channels, "fraction");
  DeviceBase::collect_metrics(out);  // the shared figures (power_cut.lost_blocks)
  if (powered_off())
    add("power_cut.units_unmapped", static_cast<double>(cut_unmapped_units_), "count");
}

}  // namespace blocksim
