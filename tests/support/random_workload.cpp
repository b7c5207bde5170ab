#include "tests/support/random_workload.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/random.hpp"

namespace blocksim::testing {

const char* work_op_name(WorkOp op) {
  switch (op) {
    case WorkOp::kRead: return "read";
    case WorkOp::kWrite: return "write";
    case WorkOp::kFuaWrite: return "fua-write";
    case WorkOp::kFlush: return "flush";
    case WorkOp::kUnmap: return "unmap";
  }
  return "?";
}

std::string RandomWorkload::describe() const {
  return std::string(closed_loop ? "closed loop depth " + std::to_string(depth) : "open loop") + ", " +
         std::to_string(requests.size()) + " requests";
}

namespace {

// The size of one request, in blocks: mostly small, sometimes up to one and a half times the
// driver's largest transfer (so that the driver breaks it up).
std::uint64_t pick_blocks(Rng& rng, const WorkloadLimits& limits, std::uint64_t region) {
  const std::uint64_t largest = limits.max_transfer_blocks ? limits.max_transfer_blocks + limits.max_transfer_blocks / 2
                                                           : 512;
  // Large requests are rare and cover at most a quarter of the region: a request over the
  // whole region in flight most of the time would leave the shadow store nothing to check.
  std::uint64_t blocks = 1;
  const double u = rng.uniform();
  if (u < 0.35)
    blocks = 1;
  else if (u < 0.85)
    blocks = 1 + rng.below(16);
  else if (u < 0.96)
    blocks = 1 + rng.below(std::clamp<std::uint64_t>(largest / 4, 1, 128));
  else
    blocks = std::max<std::uint64_t>(largest / 2, 1) + rng.below(std::max<std::uint64_t>(largest / 2 + 1, 1));
  return std::clamp<std::uint64_t>(blocks, 1, std::max<std::uint64_t>(region / 4, 1));
}

}  // namespace

void cover_whole_granules(WorkRequest* r, std::uint64_t granule, std::uint64_t region) {
  if (granule <= 1 || region < granule)
    return;
  const std::uint64_t first = (r->block + granule - 1) / granule * granule;
  const std::uint64_t end = std::max(first + granule, (r->block + r->blocks) / granule * granule);
  r->block = std::min(first, (region / granule - 1) * granule);
  r->blocks = std::min(end - first, region - r->block) / granule * granule;
}

RandomWorkload make_random_workload(std::uint64_t seed, const WorkloadLimits& limits) {
  Rng rng(seed, 0x636f6e7472616374ULL);  // "contract"
  RandomWorkload w;
  w.seed = seed;
  w.closed_loop = rng.bernoulli(0.4);
  // Depths from 1 to twice the device's queue depth (capped: a deep NVMe queue is not worth
  // filling in a short case).
  const std::uint32_t most = std::min<std::uint32_t>(2 * std::max<std::uint32_t>(limits.queue_depth, 1) + 1, 80);
  w.depth = rng.bernoulli(0.3) ? 1 : static_cast<std::uint32_t>(1 + rng.below(most));

  const std::uint64_t region = std::max<std::uint64_t>(1, std::min(limits.region_blocks, limits.block_count));
  // A small hot spot makes overlaps and identical ranges common.
  const std::uint64_t hot = std::max<std::uint64_t>(1, std::min<std::uint64_t>(region, 64));
  // Open loop: a mean gap from idle (10 service times) to overload (a hundredth of one).
  const double load_factor = std::pow(10.0, -2.0 + 3.0 * rng.uniform());
  const double mean_gap = static_cast<double>(limits.service_time) * load_factor;
  // Op mix of this case: some cases are read heavy, some write heavy.
  const double write_share = 0.2 + 0.6 * rng.uniform();
  double fua_share = rng.bernoulli(0.5) ? 0.15 : 0.0;
  double flush_share = rng.bernoulli(0.6) ? 0.08 : 0.01;
  if (limits.durability_mix) {
    fua_share = 0.2;
    flush_share = 0.1;
  }
  const double unmap_share = limits.unmap ? (rng.bernoulli(0.5) ? 0.08 : 0.0) : 0.0;

  std::uint64_t last_block = 0, last_blocks = 1;
  std::uint32_t burst_left = 0;
  for (std::uint32_t i = 0; i < limits.requests; ++i) {
    WorkRequest r;
    const double u = rng.uniform();
    if (u < flush_share)
      r.op = WorkOp::kFlush;
    else if (u < flush_share + unmap_share)
      r.op = WorkOp::kUnmap;
    else if (rng.uniform() < write_share)
      r.op = rng.uniform() < fua_share ? WorkOp::kFuaWrite : WorkOp::kWrite;
    else
      r.op = WorkOp::kRead;
    if (r.op != WorkOp::kFlush) {
      const double where = rng.uniform();
      if (i > 0 && where < 0.15) {  // the same range as the request before
        r.block = last_block;
        r.blocks = last_blocks;
      } else {
        const std::uint64_t span = where < 0.6 ? hot : region;
        r.blocks = pick_blocks(rng, limits, region);
        r.block = rng.below(span);
        if (r.block + r.blocks > region)
          r.block = region - r.blocks;
      }
      if (r.op == WorkOp::kUnmap)
        cover_whole_granules(&r, limits.unmap_granule_blocks, region);
      last_block = r.block;
      last_blocks = r.blocks;
    }
    if (w.closed_loop) {
      r.gap = rng.bernoulli(0.7) ? 0 : static_cast<SimTime>(rng.exponential(static_cast<double>(limits.service_time)));
    } else if (burst_left > 0) {
      --burst_left;  // a burst: at the same instant as the one before
    } else {
      r.gap = static_cast<SimTime>(rng.exponential(mean_gap));
      if (rng.bernoulli(0.08))
        burst_left = static_cast<std::uint32_t>(2 + rng.below(2 * std::max<std::uint32_t>(limits.queue_depth, 2)));
    }
    w.requests.push_back(r);
  }
  return w;
}

}  // namespace blocksim::testing
