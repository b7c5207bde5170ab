#include "models/ssd/gc_policy.hpp"

namespace blocksim::ssd {

namespace {

std::uint32_t cost_benefit_victim(const BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane,
                                  std::uint64_t stamp_now) {
  const double slots = geometry.slots_per_block();
  std::uint32_t best = kNoBlock;
  double best_score = -1;
  blocks.for_each_closed(plane, [&](std::uint32_t block) {
    const std::uint32_t valid = blocks.valid(block);
    if (valid >= geometry.slots_per_block())
      return;
    const double u = valid / slots;
    const double age = static_cast<double>(stamp_now - blocks.closed_at(block)) + 1;
    // An empty block costs nothing to clean: it always wins.
    const double score = valid == 0 ? 1e300 : (1 - u) / (2 * u) * age;
    if (score > best_score) {
      best_score = score;
      best = block;
    }
  });
  return best;
}

}  // namespace

std::uint32_t choose_victim(BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane, GcPolicy policy,
                            std::uint64_t stamp_now) {
  switch (policy) {
    case GcPolicy::kCostBenefit: return cost_benefit_victim(blocks, geometry, plane, stamp_now);
    case GcPolicy::kFifo: return blocks.oldest_closed_with_garbage(plane);
    case GcPolicy::kGreedy:
    default: {
      const std::uint32_t block = blocks.fewest_valid_closed(plane);
      return block != kNoBlock && blocks.valid(block) < geometry.slots_per_block() ? block : kNoBlock;
    }
  }
}

}  // namespace blocksim::ssd
