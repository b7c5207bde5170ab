// How garbage collection picks its victim in a plane: greedy (fewest valid slots), cost-benefit
// (Kawaguchi, Nishioka and Motoda, USENIX 1995: the most (1 - u) / 2u x age, u the valid share,
// age in slots written since the block closed) or FIFO (the block closed first). A block whose
// every slot is valid is never a victim: moving it frees nothing.
#pragma once

#include <cstdint>

#include "models/ssd/block_table.hpp"
#include "models/ssd/ssd_config.hpp"

namespace blocksim::ssd {

// kNoBlock when the plane has no closed block with an invalid slot.
std::uint32_t choose_victim(BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane, GcPolicy policy,
                            std::uint64_t stamp_now);

}  // namespace blocksim::ssd
