// DiskSim import: the disk block (disksim_disk: controller, cache, overheads, bus behaviour) and
// its scheduler (disksim_ioqueue).
#include <cmath>

#include "models/hdd/import/disksim_import.hpp"

namespace blocksim::disksim {

namespace {

bool flag(BlockFields& f, const std::string& name, bool fallback) { return f.integer(name, fallback ? 1 : 0) != 0; }

void import_overheads(BlockFields& f, proto::HddOverheads& o) {
  auto t = [&f](const std::string& name) { return ms_text(f.number(name, 0)); };
  o.set_read_hit_after_read(t("Read hit over. after read"));
  o.set_read_hit_after_write(t("Read hit over. after write"));
  o.set_read_miss_after_read(t("Read miss over. after read"));
  o.set_read_miss_after_write(t("Read miss over. after write"));
  o.set_write_hit_after_read(t("Write hit over. after read"));
  o.set_write_hit_after_write(t("Write hit over. after write"));
  o.set_write_miss_after_read(t("Write miss over. after read"));
  o.set_write_miss_after_write(t("Write miss over. after write"));
  o.set_read_complete(t("Read completion overhead"));
  o.set_write_complete(t("Write completion overhead"));
  o.set_data_prep(t("Data preparation overhead"));
  o.set_reselect_first(t("First reselect overhead"));
  o.set_reselect_other(t("Other reselect overhead"));
  o.set_read_disconnect_after_read(t("Read disconnect afterread"));
  o.set_read_disconnect_after_write(t("Read disconnect afterwrite"));
  o.set_write_disconnect(t("Write disconnect overhead"));
  o.set_per_command(t("Per-request overhead time"));
  o.set_minimum_write_positioning(t("Minimum seek delay"));
  o.set_scale(f.number("Time scale for overheads", 1.0));
  const bool extra = flag(f, "Extra write disconnect", false);
  const std::string extra_names[] = {"Extradisc command overhead", "Extradisc disconnect overhead",
                                     "Extradisc inter-disconnect delay", "Extradisc 2nd disconnect overhead",
                                     "Extradisc seek delta"};
  if (!extra) {
    for (const auto& name : extra_names)
      f.no_effect(name, "used only with \"Extra write disconnect\" = 1");
    return;
  }
  auto& e = *o.mutable_extra_write_disconnect();
  e.set_command(t(extra_names[0]));
  e.set_disconnect(t(extra_names[1]));
  e.set_reconnect_after(t(extra_names[2]));
  e.set_second_disconnect(t(extra_names[3]));
  e.set_seek_delay(t(extra_names[4]));
  f.note("Extra write disconnect", "modelled as DiskSim applies it, to every write but one that appends to the "
                                   "previous one (DiskSim's own answers on the HP C2249A agree: docs/hdd.md)");
}

void import_cache(BlockFields& f, proto::HddCache& c) {
  c.set_segments(static_cast<std::uint32_t>(std::max(1L, f.integer("Number of buffer segments", 1))));
  c.set_segment_sectors(static_cast<std::uint32_t>(std::max(1L, f.integer("Segment size (in blks)", 256))));
  c.set_write_segments(static_cast<std::uint32_t>(std::max(1L, f.integer("Maximum number of write segments", 1))));
  f.no_effect("Use separate write segment", "DiskSim 4.0 sets it up but never uses it (its answers on the HP C3323A, "
                                            "which sets it, agree with a model that has no such segment)");
  c.set_caching(f.integer("Enable caching in buffer", 1) != 0);
  const long read_ahead = f.integer("Buffer continuous read", 0);
  if (read_ahead < 0 || read_ahead > 4)
    f.warn("Buffer continuous read", "unknown value; read-ahead off");
  c.set_read_ahead(static_cast<proto::HddCache::ReadAhead>(read_ahead >= 0 && read_ahead <= 4 ? read_ahead : 0));
  c.set_min_read_ahead(static_cast<std::uint32_t>(f.integer("Minimum read-ahead (blks)", 0)));
  c.set_max_read_ahead(static_cast<std::uint32_t>(f.integer("Maximum read-ahead (blks)", 0)));
  c.set_keep_request_data(static_cast<std::int32_t>(f.integer("Read-ahead over requested", 0)));
  c.set_read_ahead_on_hit(flag(f, "Read-ahead on idle hit", false));
  f.unsupported_unless("Read any free blocks", "0",
                       "not modelled: sectors before the request that pass under the head are not kept");
  c.set_stop_read_ahead_in_sector(flag(f, "Stop prefetch in sector", false));
  c.set_read_ahead_release_follows_overhead(true);  // DiskSim's rule, whatever the drive
  c.set_write_stops_read_ahead(flag(f, "Write hit stop prefetch", true));
  c.set_almost_read_hits(flag(f, "Allow almost read hits", false));
  c.set_sneaky_full_read_hits(flag(f, "Allow sneaky full read hits", false));
  c.set_sneaky_partial_read_hits(flag(f, "Allow sneaky partial read hits", false));
  f.unsupported_unless("Allow sneaky intermediate read hits", "0",
                       "not modelled: queued reads are not searched for hits while the port is idle");
  c.set_read_hits_on_write_data(flag(f, "Allow read hits on write data", true));
  c.set_write_prebuffering(flag(f, "Allow write prebuffering", false));
  c.set_immediate_transfer_partial_hit(flag(f, "Immed transfer partial hit", true));
  const long immediate_read = f.integer("Immediate buffer read", 0);
  const long immediate_write = f.integer("Immediate buffer write", 0);
  c.set_zero_latency_read(immediate_read != 0);
  c.set_zero_latency_write(immediate_write != 0);
  if (immediate_read > 1)
    f.warn("Immediate buffer read", "level 2 is modelled as 1 (zero-latency reads)");
  if (immediate_write > 1)
    f.warn("Immediate buffer write", "level 2 is modelled as 1 (zero-latency writes)");
  c.set_combine_sequential_writes(flag(f, "Combine seq writes", true));
  const long fast_write = f.integer("Fast write level", 0);
  c.set_write_policy(static_cast<proto::HddCache::WritePolicy>(std::clamp(fast_write, 0L, 2L)));
  if (fast_write == 1)
    f.note("Fast write level", "1 and 2 both complete writes from the cache; 1 lets only an appending write "
                               "join a write in progress when no other command waits");
  c.set_read_water_mark(f.number("High (read) water mark", 0));
  c.set_write_water_mark(f.number("Low (write) water mark", 0));
  c.set_water_mark_of_request(flag(f, "Set watermark by reqsize", true));
  f.unsupported_unless("Read directly to buffer", "1", "not modelled: sectors always go straight into the segment");
}

}  // namespace

void import_disk_block(const ParamBlock& block, proto::HddDevice& hdd, double& bulk_ms, ImportReport& report) {
  BlockFields f(block, report);
  const ParamValue& model = f.require("Model");
  if (model.kind != ParamValue::Kind::kBlock || model.block->type != "dm_disk")
    throw ParamError(model.file, model.line, "\"Model\" must be a dm_disk block (usually \"source FILE.model\")");
  import_model(*model.block, hdd, report);

  auto& controller = *hdd.mutable_controller();
  controller.set_queue_depth(static_cast<std::uint32_t>(std::clamp(f.integer("Max queue length", 1), 1L, 256L)));
  const long preseek = f.integer("Preseeking level", 0);
  controller.set_preseek_level(static_cast<std::uint32_t>(std::clamp(preseek, 0L, 2L)));
  if (const ParamValue* scheduler = f.get("Scheduler"); scheduler && scheduler->kind == ParamValue::Kind::kBlock)
    import_scheduler(*scheduler->block, controller, report);
  import_overheads(f, *controller.mutable_overheads());
  import_cache(f, *hdd.mutable_cache());

  bulk_ms = f.number("Bulk sector transfer time", 0);
  auto& port = *hdd.mutable_host_interface();
  port.set_hold_bus_for_read(flag(f, "Hold bus entire read xfer", false));
  port.set_hold_bus_for_write(flag(f, "Hold bus entire write xfer", false));
  port.set_never_disconnect(flag(f, "Never disconnect", false));
  f.unsupported_unless("Disconnect write if seek", "0",
                       "not modelled: a read-ahead in a seek always runs to the seek's end before it stops");
  f.no_effect("Print stats", "statistics output, no effect on timing");
  f.no_effect("Calc sector by sector", "a DiskSim speed setting, no effect on timing");
  f.no_effect("Avg sectors per cylinder", "used only by cylinder mapping strategy 6; the model uses the exact layout");
}

// disksim_ioqueue: the policy, its aging; the rest only shapes request merging and host-side
// scheduling, which the drive model does not do.
void import_scheduler(const ParamBlock& block, proto::HddController& controller, ImportReport& report) {
  BlockFields f(block, report);
  const long policy = f.integer("Scheduling policy", 1);
  const long timeout_scheme = f.integer("Scheduling timeout scheme", 0);
  const double timeout = f.number("Timeout time/weight", 0);
  using S = proto::HddController;
  switch (policy) {
    case 1: controller.set_scheduler(S::FIFO); break;
    case 3: case 6: controller.set_scheduler(S::CLOOK); break;
    case 4: case 7: controller.set_scheduler(S::SSTF); break;
    case 8: case 10: case 24: controller.set_scheduler(S::SPTF); break;
    case 9: controller.set_scheduler(S::SPCTF); break;
    case 2: controller.set_scheduler(S::ELEVATOR); break;
    case 5: case 17: case 18: case 19:
      controller.set_scheduler(S::CLOOK);
      f.warn("Scheduling policy", "an elevator (both directions) is modelled as C-LOOK (one direction)");
      break;
    // Aged (14, 15) and prioritised aged (20, 21) positioning: DiskSim takes "Timeout time/weight" x
    // the wait x 0.001 off a command's estimate (disksim_ioqueue.c); with a weight of 0 they are
    // SPTF and SPCTF exactly.
    case 14: case 15: case 20: case 21:
      controller.set_scheduler(policy == 15 || policy == 21 ? S::SPCTF : S::SPTF);
      if (timeout != 0)
        f.warn("Scheduling policy", "an aged positioning-time policy is modelled as SPTF (or SPCTF) with the "
                                    "starvation limit");
      break;
    default:
      controller.set_scheduler(S::SPTF);
      f.warn("Scheduling policy", "a weighted or aged positioning-time policy is modelled as SPTF with the "
                                  "starvation limit");
      break;
  }
  if (timeout_scheme != 0 && timeout > 0) {
    controller.set_starvation_limit(ms_text(timeout * 1000.0));
    f.warn("Scheduling timeout scheme", "modelled as a starvation limit of \"Timeout time/weight\" seconds");
  }
  f.get("Timeout scheduling");
  f.unsupported_unless("Scheduling priority scheme", "0", "not modelled: all commands have one priority");
  f.get("Priority scheduling");
  f.no_effect("Cylinder mapping strategy", "the model always knows the exact layout");
  f.unsupported_unless("Write initiation delay", "0", "not modelled: SPTF estimates from the mechanics alone");
  f.unsupported_unless("Read initiation delay", "0", "not modelled: SPTF estimates from the mechanics alone");
  const long stream = f.integer("Sequential stream scheme", 0);
  if (stream != 0)
    f.warn("Sequential stream scheme", "not modelled: commands are not concatenated");
  if (stream == 0) {
    f.no_effect("Maximum concat size", "used only with a sequential stream scheme");
    f.no_effect("Sequential stream diff maximum", "used only with a sequential stream scheme");
  } else {
    f.get("Maximum concat size");
    f.get("Sequential stream diff maximum");
  }
  f.unsupported_unless("Overlapping request scheme", "0", "not modelled: overlapping commands are served apart");
}

}  // namespace blocksim::disksim
