// The host side of the controller: where commands wait until the controller takes them.
//   NVMe: `queue_pairs` submission queues of `queue_depth` entries. A command goes to a queue of
//     its priority class (round robin among them); when its queue is full it waits on the host.
//     The controller takes commands while it works on fewer than `max_commands`, choosing the
//     queue by round robin (`burst` commands a turn) or weighted round robin (urgent queues
//     first, then high/medium/low classes by weight, round robin inside a class; NVMe 1.3
//     §4.11). Completion queues are not limited: the host is assumed to reap them at once.
//   SATA: one queue; at most `ncq_depth` commands (NCQ tags) inside the device.
// A taken command then spends its firmware time on one of the controller's processors (first come
// first served) before `start` runs for it. Commands are request-pool indices owned by the device.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "models/ssd/ssd_config.hpp"
#include "sim/core/callback.hpp"
#include "sim/core/engine.hpp"
#include "sim/device/storage_types.hpp"

namespace blocksim::ssd {

class HostInterface {
 public:
  // `start(request)` runs when the controller begins a command: possibly inside submit().
  HostInterface(Engine& engine, const HostConfig& config, Callback start);

  // `firmware` is the controller time the command needs (0: none).
  void submit(std::uint32_t request, IOStoragePriority priority, SimTime firmware);
  // The controller is done with a command taken earlier.
  void finished(std::uint32_t request);

  std::uint32_t inside() const { return inside_; }
  // Commands taken from each submission queue so far (for arbitration checks).
  const std::vector<std::uint64_t>& taken_per_queue() const { return taken_; }

 private:
  enum Class { kUrgent = 0, kHigh = 1, kMedium = 2, kLow = 3, kClasses = 4 };
  struct Command {
    std::uint32_t request;
    SimTime firmware;
  };
  struct Queue {
    std::deque<Command> entries;   // in the submission queue
    std::deque<Command> overflow;  // waiting on the host for a free entry
    Class cls = kMedium;
  };

  std::uint32_t queue_for(IOStoragePriority priority);
  void fetch();
  int pick_round_robin();
  int pick_weighted();
  int next_in_class(Class cls);
  void take(std::uint32_t queue);
  void run_firmware(const Command& command);
  void processor_done(std::uint32_t request);

  Engine& engine_;
  HostConfig config_;
  Callback start_;
  std::vector<Queue> queues_;
  std::vector<std::vector<std::uint32_t>> class_queues_;  // queue indices per class
  std::vector<std::uint32_t> class_cursor_;                // round robin inside a class
  std::vector<std::uint32_t> class_arrivals_;              // spreading arrivals over a class
  std::vector<std::uint32_t> credits_;                     // weighted round robin
  std::vector<std::uint64_t> taken_;
  std::uint32_t cursor_ = 0;      // round robin over all queues
  std::uint32_t burst_left_ = 0;  // commands left in the current queue's turn
  std::uint32_t inside_ = 0;
  std::uint32_t processors_busy_ = 0;
  std::deque<Command> processor_queue_;
};

}  // namespace blocksim::ssd
