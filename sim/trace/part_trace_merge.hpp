// Merges the traces of the parts of a run split across processes by device (`replay --jobs`)
// into the trace one process writes: the first part's header (every part runs the same scenario),
// then each part's records of its own devices, in time order, then the run's end, which the
// caller makes (it knows the merged metrics). One process writes a record when the completion
// or event happens, so time order is its order too; each part's records keep their own order, and
// at equal times across parts the lower part goes first. The summary is built from the merged
// records by the same code as a run's, so its figures are those of one process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blocksim/trace.pb.h"
#include "sim/trace/run_summary.hpp"
#include "sim/trace/trace_reader.hpp"
#include "sim/trace/trace_writer.hpp"

namespace blocksim {

class PartTraceMerge {
 public:
  // `parts`: the parts' trace files; `part_of_device`: which part replayed each device, by index.
  // Throws TraceFormatError for a part that cannot be read, unless `salvage` (after a part failed:
  // whatever each part wrote before it stopped is kept, and a part that wrote nothing is empty).
  PartTraceMerge(const std::vector<std::string>& parts, std::vector<std::size_t> part_of_device, bool salvage = false);
  ~PartTraceMerge();

  // The first readable part's header; null when no part is readable.
  const proto::TraceHeader* header() const;
  // Writes the records to `out` (may be null) and adds the completions to `summary`.
  void merge(TraceWriter* out, RunSummary* summary);
  // Each part's run end, if its trace has one (a part that failed has none).
  const std::vector<std::optional<proto::RunEnd>>& ends() const { return ends_; }
  std::uint64_t completions() const { return completions_; }

 private:
  struct Part;
  bool advance(std::size_t part);

  std::vector<std::unique_ptr<Part>> parts_;
  std::vector<std::size_t> part_of_device_;
  std::vector<std::optional<proto::RunEnd>> ends_;
  std::uint64_t completions_ = 0;
  bool salvage_;
};

}  // namespace blocksim
