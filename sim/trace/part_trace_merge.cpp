#include "sim/trace/part_trace_merge.hpp"

#include "sim/trace/trace_format.hpp"

namespace blocksim {

struct PartTraceMerge::Part {
  std::unique_ptr<TraceReader> reader;
  proto::TraceRecord head;
  std::uint64_t time = 0;
  bool done = false;
};

PartTraceMerge::PartTraceMerge(const std::vector<std::string>& parts, std::vector<std::size_t> part_of_device,
                               bool salvage)
    : part_of_device_(std::move(part_of_device)), ends_(parts.size()), salvage_(salvage) {
  for (const auto& path : parts) {
    parts_.push_back(std::make_unique<Part>());
    try {
      parts_.back()->reader = std::make_unique<TraceReader>(path);
    } catch (const TraceFormatError&) {
      if (!salvage_)
        throw;
      parts_.back()->done = true;
    }
  }
}

PartTraceMerge::~PartTraceMerge() = default;

const proto::TraceHeader* PartTraceMerge::header() const {
  for (const auto& part : parts_)
    if (part->reader)
      return &part->reader->header();
  return nullptr;
}

// Moves part `index` to its next record of a device of its own; false at its end.
bool PartTraceMerge::advance(std::size_t index) {
  Part& part = *parts_[index];
  if (!part.reader)
    return false;
  for (;;) {
    try {
      if (!part.reader->next(&part.head))
        break;
    } catch (const TraceFormatError&) {
      if (!salvage_)
        throw;
      break;  // a part stopped in the middle of a record: what came before it is kept
    }
    if (part.head.has_end()) {
      ends_[index] = part.head.end();
      continue;
    }
    std::uint32_t device = 0;
    if (part.head.has_completion()) {
      device = part.head.completion().device();
      part.time = part.head.completion().complete_ns();
    } else if (part.head.has_event()) {
      device = part.head.event().device();
      part.time = part.head.event().time_ns();
    } else {
      continue;
    }
    // Every part builds every device; only the part that replays a device reports on it.
    const std::size_t owner = device < part_of_device_.size() ? part_of_device_[device] : 0;
    if (owner == index)
      return true;
  }
  part.done = true;
  return false;
}

void PartTraceMerge::merge(TraceWriter* out, RunSummary* summary) {
  for (std::size_t i = 0; i < parts_.size(); ++i)
    advance(i);
  for (;;) {
    std::size_t first = parts_.size();
    for (std::size_t i = 0; i < parts_.size(); ++i)
      if (!parts_[i]->done && (first == parts_.size() || parts_[i]->time < parts_[first]->time))
        first = i;
    if (first == parts_.size())
      return;
    const proto::TraceRecord& record = parts_[first]->head;
    if (out != nullptr)
      out->write(record);
    if (record.has_completion()) {
      ++completions_;
      if (summary != nullptr)
        summary->add(from_proto(record.completion()));
    }
    advance(first);
  }
}

}  // namespace blocksim
