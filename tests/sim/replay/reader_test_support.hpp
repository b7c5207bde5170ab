// Test support for the trace readers: every request of a file, read through the registry.
#pragma once

#include <string>
#include <vector>

#include "sim/replay/format_registry.hpp"

namespace blocksim::testing {

struct ReadTrace {
  std::vector<TraceRequest> requests;
  std::vector<std::string> devices;
};

inline ReadTrace read_trace_requests(const std::string& path, const std::string& format, ReaderOptions options = {}) {
  auto reader = open_trace(path, format, options);
  ReadTrace result;
  TraceRequest request;
  while (reader->next(&request))
    result.requests.push_back(request);
  result.devices = reader->devices();
  return result;
}

}  // namespace blocksim::testing
