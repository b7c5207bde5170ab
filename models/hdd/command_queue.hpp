// The drive's command queue: `depth` tags, the pool of command records (sized by what is in
// flight), and the commands past their per-command overhead in arrival order (the order in which
// the drive's parts look at them). A command is accepted, holds a tag or waits for one, arrives
// after the per-command overhead (always through a timer: nothing completes inside the host's
// call), and is retired as its completion is sent, which hands its tag to the next in line.
// Owns the records, the tags and the arrival order; holds a reference to the engine.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/common/tag_queue.hpp"
#include "models/hdd/command.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/slot_pool.hpp"

namespace blocksim::hdd {

class CommandQueue {
 public:
  // `arrived` is called with a command's index once it is past its per-command overhead.
  CommandQueue(Engine& engine, std::uint32_t depth, SimTime per_command, std::function<void(std::uint32_t)> arrived);

  // Records a new command; it holds a tag at once or waits for one. Returns its index.
  std::uint32_t accept(Op op, IOMemoryDescriptor* buffer, std::uint64_t lba, std::uint64_t blocks, std::uint32_t flags,
                       const IOStorageCompletion& completion);
  // The command completed: it leaves the arrival order, its record is freed and its tag goes to
  // the next command waiting for one.
  void retire(std::uint32_t index);

  Command& operator[](std::uint32_t index) { return commands_[index]; }
  const Command& operator[](std::uint32_t index) const { return commands_[index]; }
  // Commands past their per-command overhead, in arrival order.
  const std::vector<std::uint32_t>& live() const { return live_; }
  bool is_live(std::uint32_t index) const { return std::find(live_.begin(), live_.end(), index) != live_.end(); }
  std::size_t in_use() const { return commands_.in_use(); }
  // Every record index ever handed out, and whether it holds a command now (for walking them).
  std::size_t slots() const { return commands_.size(); }
  bool held(std::uint32_t index) const { return commands_.held(index); }
  const TagQueue& tags() const { return tags_; }

  // Calls step(index) at `t_ns` (not before now), unless another wake-up was set for the command
  // since, or its record went to another command.
  template <class Step>
  void wake_at(std::uint32_t index, double t_ns, Step step) {
    const std::uint64_t serial = commands_[index].wake = ++wake_serial_;
    const SimTime when = std::max(engine_.now(), static_cast<SimTime>(std::llround(t_ns)));
    engine_.at(when, [this, index, serial, step] {
      if (commands_[index].wake == serial)
        step(index);
    });
  }

 private:
  void admitted(std::uint32_t index);

  Engine& engine_;
  SimTime per_command_;
  std::function<void(std::uint32_t)> arrived_;
  SlotPool<Command> commands_;
  TagQueue tags_;
  std::vector<std::uint32_t> live_;
  std::uint64_t wake_serial_ = 0;  // a reused record's timers carry another serial
};

}  // namespace blocksim::hdd
