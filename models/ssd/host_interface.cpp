#include "models/ssd/host_interface.hpp"

namespace blocksim::ssd {

HostInterface::HostInterface(Engine& engine, const HostConfig& config, Callback start)
    : engine_(engine),
      config_(config),
      start_(start),
      queues_(config.queue_pairs),
      class_queues_(kClasses),
      class_cursor_(kClasses, 0),
      class_arrivals_(kClasses, 0),
      credits_(kClasses, 0),
      taken_(config.queue_pairs, 0) {
  std::uint32_t q = 0;
  auto assign = [&](std::uint32_t count, Class cls) {
    for (std::uint32_t i = 0; i < count && q < queues_.size(); ++i, ++q)
      queues_[q].cls = cls;
  };
  assign(config.urgent_queues, kUrgent);
  assign(config.high_queues, kHigh);
  assign(config.low_queues, kLow);
  for (std::uint32_t i = 0; i < queues_.size(); ++i)
    class_queues_[queues_[i].cls].push_back(i);
}

std::uint32_t HostInterface::queue_for(IOStoragePriority priority) {
  // IOStorage priorities: 63 high, 127 default, 191 low, 255 background.
  const Class wanted = priority < kIOStoragePriorityHigh      ? kUrgent
                       : priority < kIOStoragePriorityDefault ? kHigh
                       : priority < kIOStoragePriorityLow     ? kMedium
                                                              : kLow;
  const Class fallbacks[] = {wanted, kMedium, kHigh, kLow, kUrgent};
  for (const Class cls : fallbacks) {
    const auto& members = class_queues_[cls];
    if (!members.empty())
      return members[class_arrivals_[cls]++ % members.size()];
  }
  return 0;
}

void HostInterface::submit(std::uint32_t request, IOStoragePriority priority, SimTime firmware) {
  Queue& queue = queues_[queue_for(priority)];
  if (queue.entries.size() < config_.queue_depth)
    queue.entries.push_back(Command{request, firmware});
  else
    queue.overflow.push_back(Command{request, firmware});
  fetch();
}

void HostInterface::finished(std::uint32_t /*request*/) {
  // Completion queues are not limited: the command's slot is simply free again.
  --inside_;
  fetch();
}

void HostInterface::fetch() {
  while (inside_ < config_.max_commands) {
    const int queue = config_.arbitration == Arbitration::kWeightedRoundRobin ? pick_weighted() : pick_round_robin();
    if (queue < 0)
      return;
    take(static_cast<std::uint32_t>(queue));
  }
}

int HostInterface::pick_round_robin() {
  const auto n = static_cast<std::uint32_t>(queues_.size());
  if (burst_left_ > 0 && !queues_[cursor_].entries.empty()) {
    --burst_left_;
    return static_cast<int>(cursor_);
  }
  for (std::uint32_t i = 1; i <= n; ++i) {
    const std::uint32_t q = (cursor_ + i) % n;
    if (!queues_[q].entries.empty()) {
      cursor_ = q;
      burst_left_ = config_.burst - 1;
      return static_cast<int>(q);
    }
  }
  return -1;
}

int HostInterface::next_in_class(Class cls) {
  const auto& members = class_queues_[cls];
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::uint32_t q = members[(class_cursor_[cls] + i) % members.size()];
    if (!queues_[q].entries.empty()) {
      class_cursor_[cls] = static_cast<std::uint32_t>((class_cursor_[cls] + i + 1) % members.size());
      return static_cast<int>(q);
    }
  }
  return -1;
}

int HostInterface::pick_weighted() {
  if (const int q = next_in_class(kUrgent); q >= 0)
    return q;
  const std::uint32_t weights[kClasses] = {0, config_.weight_high * config_.burst,
                                           config_.weight_medium * config_.burst, config_.weight_low * config_.burst};
  for (int round = 0; round < 2; ++round) {
    for (const Class cls : {kHigh, kMedium, kLow}) {
      if (credits_[cls] == 0)
        continue;
      if (const int q = next_in_class(cls); q >= 0) {
        --credits_[cls];
        return q;
      }
    }
    // Every class with commands has used its credits: a new round.
    for (const Class cls : {kHigh, kMedium, kLow})
      credits_[cls] = weights[cls];
  }
  return -1;
}

void HostInterface::take(std::uint32_t queue) {
  Queue& q = queues_[queue];
  const Command command = q.entries.front();
  q.entries.pop_front();
  if (!q.overflow.empty()) {
    q.entries.push_back(q.overflow.front());
    q.overflow.pop_front();
  }
  ++inside_;
  ++taken_[queue];
  if (command.firmware == 0) {
    Callback start = start_;
    start.arg = command.request;
    start();
  } else if (processors_busy_ < config_.processors) {
    ++processors_busy_;
    run_firmware(command);
  } else {
    processor_queue_.push_back(command);
  }
}

void HostInterface::run_firmware(const Command& command) {
  const std::uint32_t request = command.request;
  engine_.after(command.firmware, [this, request] { processor_done(request); });
}

void HostInterface::processor_done(std::uint32_t request) {
  if (!processor_queue_.empty()) {
    run_firmware(processor_queue_.front());
    processor_queue_.pop_front();
  } else {
    --processors_busy_;
  }
  Callback start = start_;
  start.arg = request;
  start();
}

}  // namespace blocksim::ssd
