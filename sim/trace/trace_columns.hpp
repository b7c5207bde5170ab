// A whole trace read at once, for analysis rather than replay: every completion's fields in
// columns (one vector per field, in record order), the header, the RunEnd, and the summary built
// by the same RunSummary as `blocksim run`. The Python package hands the columns to numpy without
// copying them (bindings/trace_bindings.cpp), so a million records load in a fraction of a second.
// Memory is the columns' own: about 82 bytes per completion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blocksim/trace.pb.h"
#include "sim/device/completion_record.hpp"
#include "sim/trace/run_summary.hpp"

namespace blocksim {

struct TraceColumns {
  std::vector<std::uint64_t> request_id, parent_id, lba, blocks, bytes;
  std::vector<std::int64_t> submit_ns, dispatch_ns, complete_ns;
  std::vector<std::uint32_t> device, flags, status, queue_depth;
  std::vector<std::uint8_t> op, layer;  // the trace.proto enum values

  std::size_t size() const { return request_id.size(); }
  void reserve(std::size_t records);
  void shrink_to_fit();
  void append(const CompletionRecord& record);
};

struct TraceContents {
  proto::TraceHeader header;
  std::optional<proto::RunEnd> end;  // absent when the run was cut short
  RunSummary summary;
  TraceColumns columns;  // left empty when not asked for
  std::vector<proto::TraceEvent> events;  // faults and stack events, in order (few)
  std::uint64_t records = 0;
};

// Reads the trace at `path` (plain or gzip); with `columns` false only the header, end and
// summary are kept. Throws TraceFormatError (sim/trace/trace_reader.hpp) naming the file.
TraceContents read_trace_contents(const std::string& path, bool columns);

}  // namespace blocksim
