#include "models/hdd/hdd_settings.hpp"

#include "models/hdd/hdd_check.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/core/units.hpp"

namespace blocksim::hdd {

namespace {

Overheads read_overheads(const proto::HddOverheads& o) {
  const double scale = o.scale();
  auto t = [scale](const std::string& text) {
    return static_cast<SimTime>(std::llround(static_cast<double>(units::duration_ns(text)) * scale));
  };
  Overheads r;
  r.read_hit[0] = t(o.read_hit_after_write());
  r.read_hit[1] = t(o.read_hit_after_read());
  r.read_miss[0] = t(o.read_miss_after_write());
  r.read_miss[1] = t(o.read_miss_after_read());
  r.write_hit[0] = t(o.write_hit_after_write());
  r.write_hit[1] = t(o.write_hit_after_read());
  r.write_miss[0] = t(o.write_miss_after_write());
  r.write_miss[1] = t(o.write_miss_after_read());
  r.read_disconnect[0] = t(o.read_disconnect_after_write());
  r.read_disconnect[1] = t(o.read_disconnect_after_read());
  r.read_complete = t(o.read_complete());
  r.write_complete = t(o.write_complete());
  r.data_prep = t(o.data_prep());
  r.reselect_first = t(o.reselect_first());
  r.reselect_other = t(o.reselect_other());
  r.write_disconnect = t(o.write_disconnect());
  r.per_command = t(o.per_command());
  r.minimum_write_positioning = units::duration_ns(o.minimum_write_positioning());
  if (o.has_extra_write_disconnect()) {
    const auto& e = o.extra_write_disconnect();
    r.extra_write_disconnect = true;
    r.extra_command = t(e.command());
    r.extra_disconnect = t(e.disconnect());
    r.extra_reconnect_after = t(e.reconnect_after());
    r.extra_second_disconnect = t(e.second_disconnect());
    r.extra_seek_delay = t(e.seek_delay());
  }
  return r;
}

CacheSettings read_cache(const proto::HddCache& c) {
  CacheSettings r;
  r.segments = c.segments();
  r.segment_sectors = c.segment_sectors();
  r.write_segments = std::min(c.write_segments(), c.segments());
  r.caching = c.caching();
  r.read_ahead = static_cast<ReadAhead>(c.read_ahead());
  r.min_read_ahead = c.min_read_ahead();
  r.max_read_ahead = c.max_read_ahead();
  r.keep_request_data = c.keep_request_data();
  r.read_ahead_on_hit = c.read_ahead_on_hit();
  r.stop_in_sector = c.stop_read_ahead_in_sector();
  r.read_ahead_release_follows_overhead = c.read_ahead_release_follows_overhead();
  r.write_stops_read_ahead = c.write_stops_read_ahead();
  r.almost_read_hits = c.almost_read_hits();
  r.stream_read_hits = c.stream_read_hits();
  r.sneaky_full_hits = c.sneaky_full_read_hits();
  r.sneaky_partial_hits = c.sneaky_partial_read_hits();
  r.read_hits_on_write_data = c.read_hits_on_write_data();
  r.write_prebuffering = c.write_prebuffering();
  r.immediate_partial_transfer = c.immediate_transfer_partial_hit();
  r.zero_latency_read = c.zero_latency_read();
  r.zero_latency_write = c.zero_latency_write();
  r.combine_writes = c.combine_sequential_writes();
  r.write_policy = static_cast<WritePolicy>(c.write_policy());
  r.read_water_mark = c.read_water_mark();
  r.write_water_mark = c.write_water_mark();
  r.water_mark_of_request = c.water_mark_of_request();
  r.destage_at_once = c.destage().policy() == proto::HddDestage::AT_ONCE;
  r.destage_high = c.destage().high();
  r.destage_low = c.destage().low();
  r.destage_idle = units::duration_ns(c.destage().idle());
  if (r.destage_low > r.destage_high)
    throw ConfigError({{"cache", -1}, {"destage", -1}, {"low", -1}}, "is above \"high\"");
  return r;
}

}  // namespace

Settings read_settings(const proto::HddDevice& config) {
  Settings s;
  const auto& controller = config.controller();
  s.queue_depth = controller.queue_depth();
  s.scheduler = static_cast<SchedulerKind>(controller.scheduler());
  s.starvation_limit = units::duration_ns(controller.starvation_limit());
  s.preseek_level = controller.preseek_level();
  s.overheads = read_overheads(controller.overheads());
  s.cache = read_cache(config.cache());
  const auto& port = config.host_interface();
  if (port.has_read_rate())
    s.interface.read_rate = units::bandwidth(port.read_rate());
  if (port.has_write_rate())
    s.interface.write_rate = units::bandwidth(port.write_rate());
  s.interface.hold_bus_for_read = port.hold_bus_for_read();
  s.interface.hold_bus_for_write = port.hold_bus_for_write();
  s.interface.never_disconnect = port.never_disconnect();
  return s;
}

}  // namespace blocksim::hdd
