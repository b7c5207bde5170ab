#include "sim/replay/format_registry.hpp"

#include <zlib.h>

#include <cstring>

#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

constexpr std::size_t kLinesToDetect = 16;

}  // namespace

const std::vector<TraceFormat>& trace_formats() {
  static const std::vector<TraceFormat> formats = {
      {"disksim-validate",
       "DiskSim validate: R|W Hit|Miss blkno bcount(512 B) access_us gap_us; measured access time, idle gaps",
       &make_disksim_validate_reader, &detect_disksim_validate},
  };
  return formats;
}

const TraceFormat* find_trace_format(std::string_view name) {
  for (const auto& format : trace_formats())
    if (format.name == name)
      return &format;
  return nullptr;
}

std::string trace_format_names() {
  std::string names;
  for (const auto& format : trace_formats())
    names += (names.empty() ? "" : ", ") + format.name;
  return names;
}

DetectedFormat detect_trace_format(const std::string& path) {
  LineReader reader(path);
  std::vector<std::string> kept;
  std::string_view line;
  while (kept.size() < kLinesToDetect && reader.next(&line))
    if (!text::is_blank(line))
      kept.emplace_back(line);
  if (kept.empty())
    throw TraceInputError(path, 0, "the trace is empty: no format to detect");
  FirstLines lines(kept.begin(), kept.end());
  for (const auto& format : trace_formats()) {
    std::string reason;
    if (format.detect != nullptr && format.detect(lines, &reason))
      return {&format, reason};
  }
  throw TraceInputError(path, 0,
                        "no known trace format fits the first lines; name one with --format (" + trace_format_names() +
                            ")");
}

std::unique_ptr<RequestReader> open_trace(const std::string& path, std::string_view format,
                                          const ReaderOptions& options) {
  const TraceFormat* chosen = nullptr;
  if (format == "auto") {
    chosen = detect_trace_format(path).format;
  } else {
    chosen = find_trace_format(format);
    if (chosen == nullptr)
      throw TraceInputError(path, 0, "unknown trace format \"" + std::string(format) + "\"; known: " +
                                         trace_format_names() + ", auto");
  }
  return chosen->open(path, options);
}

}  // namespace blocksim
