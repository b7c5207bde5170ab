// What a device model is given when it is built: the engine, its DMA endpoint on a bus, its index
// and name in the run, where its completions are reported, and the run's seed. The device keeps
// pointers to the engine and the sink; both outlive it.
#pragma once

#include <cstdint>
#include <string>

#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"

namespace blocksim {

struct DeviceContext {
  Engine* engine = nullptr;
  Endpoint dma;
  std::uint32_t index = 0;
  std::string name;
  CompletionSink* sink = nullptr;  // may be null: nothing is recorded
  std::uint64_t seed = 1;
};

}  // namespace blocksim
