// Timings of a NAND cell type (SLC, MLC, TLC, QLC): the defaults an SsdNand message starts from
// before its own read/program/erase times and pages-per-program override them. Sources are cited
// in nand_presets.cpp.
#pragma once

#include <cstdint>

#include "blocksim/ssd.pb.h"
#include "sim/core/sim_time.hpp"

namespace blocksim::ssd {

struct NandPreset {
  SimTime read = 0;     // tR, array to page register
  SimTime program = 0;  // tPROG, one program operation (one-shot for TLC/QLC)
  SimTime erase = 0;    // tBERS, one block
  std::uint32_t pages_per_program = 1;
};

NandPreset nand_preset(proto::SsdNand::Cell cell);

}  // namespace blocksim::ssd
