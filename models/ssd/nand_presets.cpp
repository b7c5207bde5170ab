#include "models/ssd/nand_presets.hpp"

namespace blocksim::ssd {

NandPreset nand_preset(proto::SsdNand::Cell cell) {
  switch (cell) {
    case proto::SsdNand::SLC:
      // Typical SLC figures (UNCONFIRMED: no primary source at hand); the program time follows
      // Grupp et al. (FAST'12): each bit per cell costs about 4x program latency, MLC / 4.
      return {25 * kMicrosecond, 200 * kMicrosecond, 1500 * kMicrosecond, 1};
    case proto::SsdNand::MLC:
      // MQSim's default MLC timings (model-facts.md §4.2).
      return {75 * kMicrosecond, 750 * kMicrosecond, 3800 * kMicrosecond, 1};
    case proto::SsdNand::QLC:
      // UNCONFIRMED: TLC x ~2 for reads and x 4 for programs (Grupp's trend); four pages per
      // one-shot program, one per bit.
      return {150 * kMicrosecond, 7600 * kMicrosecond, 15 * kMillisecond, 4};
    case proto::SsdNand::TLC:
    default:
      // Micron B17A 64-layer TLC die: single-plane read 74 us, effective program 1.9 ms,
      // block erase 15 ms (model-facts.md §4.2); one-shot programming of the LSB, CSB and MSB
      // pages of a wordline together.
      return {74 * kMicrosecond, 1900 * kMicrosecond, 15 * kMillisecond, 3};
  }
}

}  // namespace blocksim::ssd
