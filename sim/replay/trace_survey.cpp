#include "sim/replay/trace_survey.hpp"

#include <algorithm>

#include "sim/replay/format_registry.hpp"
#include "sim/replay/skipped_lines.hpp"

namespace blocksim {

TraceSurvey survey_trace(const std::string& path, std::string_view format, const ReaderOptions& options,
                         bool skip_bad) {
  auto reader = open_trace(path, format, options);
  TraceSurvey survey;
  std::vector<std::uint64_t> extents;
  TraceRequest request;
  while (read_request(*reader, &request, skip_bad)) {
    ++survey.requests;
    survey.earliest = std::min(survey.earliest, request.time);
    if (request.device >= extents.size()) {
      extents.resize(request.device + 1, 0);
      survey.device_requests.resize(request.device + 1, 0);
      survey.device_bytes.resize(request.device + 1, 0);
    }
    ++survey.device_requests[request.device];
    std::uint64_t& bytes = survey.device_bytes[request.device];
    bytes = request.bytes > UINT64_MAX - bytes ? UINT64_MAX : bytes + request.bytes;
    const std::uint64_t end =
        request.offset > UINT64_MAX - request.bytes ? UINT64_MAX : request.offset + request.bytes;
    extents[request.device] = std::max(extents[request.device], end);
  }
  survey.devices = reader->devices();
  survey.device_requests.resize(survey.devices.size(), 0);
  survey.device_bytes.resize(survey.devices.size(), 0);
  for (std::size_t i = 0; i < extents.size() && i < survey.devices.size(); ++i)
    survey.extents[survey.devices[i]] = extents[i];
  return survey;
}

}  // namespace blocksim
