#include "models/hdd/command_queue.hpp"

#include <utility>

namespace blocksim::hdd {

CommandQueue::CommandQueue(Engine& engine, std::uint32_t depth, SimTime per_command,
                           std::function<void(std::uint32_t)> arrived)
    : engine_(engine), per_command_(per_command), arrived_(std::move(arrived)), tags_(depth) {}

std::uint32_t CommandQueue::accept(Op op, IOMemoryDescriptor* buffer, std::uint64_t lba, std::uint64_t blocks,
                                   std::uint32_t flags, const IOStorageCompletion& completion) {
  const auto queue_depth = static_cast<std::uint32_t>(commands_.in_use());
  const std::uint32_t index = commands_.acquire();
  Command& c = commands_[index];
  c.completion = completion;
  c.buffer = buffer;
  c.lba = lba;
  c.blocks = blocks;
  c.submit = engine_.now();
  c.op = op;
  c.flags = flags;
  c.queue_depth = queue_depth;
  if (tags_.admit_or_wait(index))
    admitted(index);
  return index;
}

void CommandQueue::admitted(std::uint32_t index) {
  commands_[index].dispatch = engine_.now();
  engine_.after(per_command_, [this, index] {
    live_.push_back(index);
    arrived_(index);
  });
}

void CommandQueue::retire(std::uint32_t index) {
  live_.erase(std::find(live_.begin(), live_.end(), index));
  commands_.release(index);
  if (auto next = tags_.release())
    admitted(*next);
}

}  // namespace blocksim::hdd
