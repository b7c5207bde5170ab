// The HddDevice message read once into plain values (times in nanoseconds, overheads already
// scaled), so that the hot path of the model never parses a unit string. Owns nothing.
#pragma once

#include <cstdint>

#include "blocksim/hdd.pb.h"
#include "sim/core/sim_time.hpp"

namespace blocksim::hdd {

enum class SchedulerKind { kFifo, kSstf, kClook, kSptf, kElevator, kSpctf };  // the proto's numbering
enum class ReadAhead { kNone, kTrackEnd, kCylinderEnd, kSegmentFull, kNextTrackEnd };
enum class WritePolicy { kWriteThrough, kWriteBackAppends, kWriteBack };

// Command overheads by (read/write, hit/miss, previous command a read?).
struct Overheads {
  SimTime read_hit[2] = {0, 0};  // [after write, after read]
  SimTime read_miss[2] = {0, 0};
  SimTime write_hit[2] = {0, 0};
  SimTime write_miss[2] = {0, 0};
  SimTime read_disconnect[2] = {0, 0};
  SimTime read_complete = 0, write_complete = 0;
  SimTime data_prep = 0, reselect_first = 0, reselect_other = 0, write_disconnect = 0;
  SimTime per_command = 0, minimum_write_positioning = 0;
  bool extra_write_disconnect = false;
  SimTime extra_command = 0, extra_disconnect = 0, extra_reconnect_after = 0, extra_second_disconnect = 0,
          extra_seek_delay = 0;
};

struct CacheSettings {
  std::uint32_t segments = 1;
  std::uint32_t segment_sectors = 256;
  std::uint32_t write_segments = 1;
  bool caching = true;
  ReadAhead read_ahead = ReadAhead::kNone;
  std::uint32_t min_read_ahead = 0;
  std::uint32_t max_read_ahead = 0;
  int keep_request_data = 0;
  bool read_ahead_on_hit = false;
  bool stop_in_sector = false;
  bool read_ahead_release_follows_overhead = false;
  bool write_stops_read_ahead = true;
  bool almost_read_hits = false;
  bool stream_read_hits = false;
  bool sneaky_full_hits = false;
  bool sneaky_partial_hits = false;
  bool read_hits_on_write_data = true;
  bool write_prebuffering = false;
  bool immediate_partial_transfer = true;
  bool zero_latency_read = false;
  bool zero_latency_write = false;
  bool combine_writes = true;
  WritePolicy write_policy = WritePolicy::kWriteThrough;
  double read_water_mark = 0;
  double write_water_mark = 0;
  bool water_mark_of_request = true;
  bool destage_at_once = true;
  double destage_high = 0.75, destage_low = 0.25;
  SimTime destage_idle = 1'000'000;
};

struct InterfaceSettings {
  double read_rate = 0;   // bytes/s; 0: the bus alone sets the pace
  double write_rate = 0;
  bool hold_bus_for_read = false;
  bool hold_bus_for_write = false;
  bool never_disconnect = false;
};

struct Settings {
  std::uint32_t queue_depth = 1;
  SchedulerKind scheduler = SchedulerKind::kFifo;
  SimTime starvation_limit = 0;
  std::uint32_t preseek_level = 1;
  Overheads overheads;
  CacheSettings cache;
  InterfaceSettings interface;
};

// Reads the message; throws ConfigError for values the schema cannot check alone.
Settings read_settings(const proto::HddDevice& config);

}  // namespace blocksim::hdd
