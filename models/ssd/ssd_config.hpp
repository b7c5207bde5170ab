// An SSD's parameters, resolved from its proto::Device message: units parsed, the cell-type
// preset applied under explicit times, blocks per plane derived from the over-provisioning when
// not given, and every cross-field rule checked. The scenario checker calls check_ssd_config()
// so that a bad profile stops with the field's line; the model then trusts the result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "blocksim/device.pb.h"
#include "models/ssd/ssd_geometry.hpp"
#include "sim/core/sim_time.hpp"

namespace blocksim::ssd {

struct NandTiming {
  SimTime read = 0;
  SimTime program = 0;
  SimTime erase = 0;
  SimTime command = 0;              // per operation, on the channel
  double channel_bytes_per_second = 0;
  bool multi_plane = true;
};

enum class HostProtocol { kNvme, kSata };
enum class Arbitration { kRoundRobin, kWeightedRoundRobin };
enum class GcPolicy { kGreedy, kCostBenefit, kFifo };

struct HostConfig {
  HostProtocol protocol = HostProtocol::kNvme;
  std::uint32_t queue_pairs = 1;
  std::uint32_t queue_depth = 32;  // per submission queue (SATA: the NCQ depth)
  Arbitration arbitration = Arbitration::kRoundRobin;
  std::uint32_t burst = 1;
  std::uint32_t weight_high = 4, weight_medium = 2, weight_low = 1;
  std::uint32_t urgent_queues = 0, high_queues = 0, low_queues = 0;
  std::uint32_t max_commands = 256;  // inside the controller at once
  SimTime command_time = 0;        // firmware time per read, flush or unmap command
  SimTime write_command_time = 0;  // per write command
  std::uint32_t processors = 1;
  // Pure latency, held by no processor (overlaps with other commands): every command's, and a
  // write's on top of it (its write-buffer path).
  SimTime command_latency = 0;
  SimTime write_buffer_latency = 0;
};

struct GcConfig {
  GcPolicy policy = GcPolicy::kGreedy;
  std::uint32_t foreground_threshold = 2;  // free blocks per plane
  std::uint32_t background_threshold = 4;
  bool copyback = false;
  std::uint32_t static_wear_threshold = 0;  // 0: static wear levelling off
};

// The SLC cache (SsdSlcCache), resolved: capacities in mapping units, the static part already
// held to what the spare area allows.
struct SlcConfig {
  bool enabled = false;
  std::uint32_t bits_per_cell = 1;        // of the native cells: an SLC block holds 1/bits of them
  std::uint32_t block_slots = 0;          // mapping units an SLC block holds
  std::uint32_t plane_program_slots = 0;  // mapping units one SLC program writes in a plane
  std::uint64_t static_units = 0;
  std::uint64_t dynamic_units = 0;
  SimTime program = 0;
  SimTime read = 0;
  SimTime idle_fold_delay = 0;
};

struct SsdConfig {
  SsdGeometry geometry;
  NandTiming timing;
  HostConfig host;
  GcConfig gc;
  std::uint64_t block_bytes = 512;       // the device's block (LBA) size
  std::uint64_t cache_units = 0;         // DRAM data cache capacity in mapping units
  bool write_cache = true;
  bool power_loss_protection = false;  // the DRAM cache survives a power cut
  std::uint64_t mapping_cache_pages = 0;  // translation pages cached; 0: whole table in DRAM
  std::uint64_t entries_per_translation_page = 0;
  double fill = 0;
  double random_overwrites = 0;
  SlcConfig slc;
};

// A rule the Device message breaks: the field (path of names from the Device message, e.g.
// {"ssd", "nand", "page_size"}) and what is wrong.
struct SsdConfigProblem {
  std::vector<std::string> field;
  std::string message;
};

// The first problem, if any; an empty field list means none.
SsdConfigProblem check_ssd_config(const proto::Device& device);
// Resolves a Device whose check found no problem (throws std::invalid_argument otherwise).
SsdConfig resolve_ssd_config(const proto::Device& device);

}  // namespace blocksim::ssd
