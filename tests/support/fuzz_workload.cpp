#include "tests/support/fuzz_workload.hpp"

#include <algorithm>

namespace blocksim::testing {

RandomWorkload decode_workload(const std::uint8_t* data, std::size_t size, const WorkloadLimits& limits) {
  RandomWorkload w;
  if (size == 0)
    return w;
  w.closed_loop = data[0] & 1;
  w.depth = 1 + (data[0] >> 1) % std::max<std::uint32_t>(2 * limits.queue_depth + 1, 1);
  const std::uint64_t region = std::max<std::uint64_t>(1, std::min(limits.region_blocks, limits.block_count));
  const std::uint64_t largest =
      std::max<std::uint64_t>(1, limits.max_transfer_blocks + limits.max_transfer_blocks / 2);
  for (std::size_t at = 1; at + 7 <= size && w.requests.size() < limits.requests; at += 7) {
    const std::uint8_t* p = data + at;
    WorkRequest r;
    r.op = static_cast<WorkOp>(p[0] % 5);
    if (r.op == WorkOp::kUnmap && !limits.unmap)
      r.op = WorkOp::kRead;
    const std::uint64_t block = (p[1] | p[2] << 8) % region;
    const std::uint64_t blocks = 1 + (p[3] | p[4] << 8) % largest;
    r.blocks = std::min(blocks, region);
    r.block = std::min(block, region - r.blocks);
    if (r.op == WorkOp::kFlush)
      r.block = r.blocks = 0;
    if (r.op == WorkOp::kUnmap)
      cover_whole_granules(&r, limits.unmap_granule_blocks, region);
    r.gap = static_cast<SimTime>((p[5] | p[6] << 8)) * limits.service_time / 256;
    w.requests.push_back(r);
  }
  return w;
}

}  // namespace blocksim::testing
