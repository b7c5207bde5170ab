// One pass over a whole trace before a replay, in constant memory, for what a replay must know
// in advance: its devices (for `--map each`), each device's extent (for the SCALE policy) and the
// request count (for progress).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/replay/request_reader.hpp"

namespace blocksim {

struct TraceSurvey {
  std::uint64_t requests = 0;
  SimTime earliest = 0;                          // the smallest time, relative to the first request's
  std::vector<std::string> devices;              // in order of first appearance
  std::vector<std::uint64_t> device_requests;    // per device, in that order (to share out work)
  std::vector<std::uint64_t> device_bytes;       // per device, in that order: bytes requested
  std::map<std::string, std::uint64_t> extents;  // per device: end of the furthest request, bytes
};

// Reads `path` in `format` to the end. Malformed lines are passed over when `skip_bad` (the
// replay reports them), else the first one throws its TraceInputError.
TraceSurvey survey_trace(const std::string& path, std::string_view format, const ReaderOptions& options,
                         bool skip_bad);

}  // namespace blocksim
