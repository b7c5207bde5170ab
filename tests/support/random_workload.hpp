// A seeded generator of random request sequences for the contract tests (tests/support/
// contract_runner.hpp), the soak script and the fuzz targets. A workload is a list of requests
// at the driver's byte interface (reads, writes, FUA writes, flushes, unmaps) with their spacing,
// run either open loop (each request arrives `gap` after the one before, whatever completes;
// gap 0 makes a burst at one instant) or closed loop (`depth` requests outstanding, each new one
// `gap` after a completion). The generator covers what the contract must survive: depths from 1 to
// beyond the device's queue depth, arrival rates from idle to overload, overlapping and identical
// ranges, sizes from one block to beyond the driver's largest transfer.
//
// Requests are whole blocks, so the shadow store (contract_runner.cpp) can say what a read must
// return; the driver's read-modify-write of partial blocks has tests of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace blocksim::testing {

enum class WorkOp : std::uint8_t { kRead, kWrite, kFuaWrite, kFlush, kUnmap };
const char* work_op_name(WorkOp op);

struct WorkRequest {
  WorkOp op = WorkOp::kRead;
  std::uint64_t block = 0;   // first block (flush: ignored, flushes the whole device)
  std::uint64_t blocks = 0;  // flush: 0
  SimTime gap = 0;           // open loop: after the previous arrival; closed loop: after a completion
};

struct RandomWorkload {
  std::uint64_t seed = 0;
  bool closed_loop = false;
  std::uint32_t depth = 1;  // closed loop: requests kept outstanding
  std::vector<WorkRequest> requests;
  std::string describe() const;  // "open loop, 120 requests" ...
};

// What the generator needs to know of the device it aims at.
struct WorkloadLimits {
  std::uint64_t block_size = 512;
  std::uint64_t block_count = 0;        // the device's blocks
  std::uint64_t max_transfer_blocks = 0;  // the driver's largest single device transfer (0: none)
  std::uint32_t queue_depth = 1;          // commands the device holds at once
  bool unmap = false;                     // the device offers unmap
  std::uint64_t unmap_granule_blocks = 1;  // unmaps cover whole granules (a partial one frees nothing)
  bool durability_mix = false;            // always flushes and FUA writes (power-cut cases)
  SimTime service_time = 100'000;         // a typical request's service, to scale arrival rates
  std::uint32_t requests = 120;
  std::uint64_t region_blocks = 4096;  // requests stay in this many blocks at the start (overlaps)
};

RandomWorkload make_random_workload(std::uint64_t seed, const WorkloadLimits& limits);
// Moves and trims an unmap to whole granules of `granule` blocks within [0, region), so that it
// frees all it covers (a partly covered granule keeps its data, and reads of it would not be zeros).
void cover_whole_granules(WorkRequest* r, std::uint64_t granule, std::uint64_t region);

}  // namespace blocksim::testing
