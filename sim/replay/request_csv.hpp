// blocksim's CSV of trace requests: what `blocksim trace convert IN OUT.csv` writes, from any
// format, and a format the replay reads back. One header line, then one request a line:
//   time_ns,device,op,offset,bytes,latency_ns,latency_from,idle_ns,source_line
// time_ns from the first request; device quoted ("8,0"); op read|write|flush|unmap; offset and
// bytes in bytes; latency_ns the measured latency and latency_from what it covers (submit or
// dispatch), both empty when none; idle_ns the recorded idle gap after it (validate), empty when
// none; source_line where it came from in the original trace.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sim/replay/trace_request.hpp"

namespace blocksim {

inline constexpr std::string_view kRequestCsvHeader =
    "time_ns,device,op,offset,bytes,latency_ns,latency_from,idle_ns,source_line";

class RequestCsvWriter {
 public:
  // Throws std::runtime_error naming the path when it cannot be written.
  explicit RequestCsvWriter(const std::string& path);
  ~RequestCsvWriter();
  RequestCsvWriter(const RequestCsvWriter&) = delete;
  RequestCsvWriter& operator=(const RequestCsvWriter&) = delete;

  void write(const TraceRequest& request, const std::vector<std::string>& devices);
  // Flushes and closes; throws if any write failed.
  void finish();

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace blocksim
