// What the engine keeps of the platform it built in SimGrid: per bus its link and lanes, per DMA
// endpoint its host and the lanes of its route in each direction. Private to the engine's sources.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <simgrid/s4u/Comm.hpp>

#include "sim/core/engine.hpp"

namespace blocksim {

struct Engine::Platform {
  simgrid::s4u::NetZone* zone = nullptr;
  simgrid::s4u::Host* memory = nullptr;  // host memory: the far end of every DMA transfer
  struct Bus {
    simgrid::s4u::Link* link = nullptr;
    double latency = 0;  // seconds
    std::uint32_t lane_up = 0;    // towards host memory
    std::uint32_t lane_down = 0;  // from host memory; the same lane when half duplex
  };
  struct DmaEndpoint {
    simgrid::s4u::Host* host = nullptr;
    std::uint32_t bus = 0;
    std::uint32_t lane_count = 0;
    std::array<std::uint32_t, 2> to_host{};
    std::array<std::uint32_t, 2> from_host{};
  };
  std::vector<Bus> buses;
  std::vector<DmaEndpoint> endpoints;
  bool sealed = false;
};

// A transfer from its start to its end. SimGrid must keep its CommPtr alive until the transfer
// completes, and the last reference must not be dropped inside the completion signal
// (use-after-free in 3.32), so a finished comm's slot is parked and released at the next engine
// call. `pending` is the calendar event that will next act on the transfer (the end of its latency,
// or its end when alone).
struct Engine::TransferSlot {
  simgrid::s4u::CommPtr comm;
  Callback done;
  Engine* owner = nullptr;
  bool in_flight = false;
  bool alone = false;  // timed by the engine, not SimGrid (in Engine::alone_)
  bool has_pending = false;
  EventHandle pending = 0;
  std::uint32_t endpoint = 0;
  TransferDirection direction = TransferDirection::kToHost;
  std::uint32_t lane_count = 0;  // lanes it occupies while moving bytes
  std::array<std::uint32_t, 2> lanes{};
  std::uint64_t bytes = 0;
  double start = 0;         // seconds: when its bytes began to move (SimGrid's clock)
  double ends = 0;          // seconds: when it ends if it stays alone
  std::uint64_t order = 0;  // when its bytes began, among transfers beginning at one time
};

}  // namespace blocksim
