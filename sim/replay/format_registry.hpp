// The trace formats blocksim reads, by name, each with a one-line description, its reader and
// its detector; and `auto`, which tries the detectors on the first lines of the file in the
// registry's order (most specific first) and says which format it chose and why.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/replay/readers.hpp"

namespace blocksim {

struct TraceFormat {
  std::string name;         // "disksim-validate"
  std::string description;  // fields and units, one line
  std::unique_ptr<RequestReader> (*open)(const std::string& path, const ReaderOptions& options);
  bool (*detect)(const FirstLines& lines, std::string* reason);  // null: never detected
};

const std::vector<TraceFormat>& trace_formats();
// The format of that name, or null.
const TraceFormat* find_trace_format(std::string_view name);
// "msr, umass, ..." for messages.
std::string trace_format_names();

struct DetectedFormat {
  const TraceFormat* format = nullptr;
  std::string reason;  // what the first lines showed
};
// Looks at the first lines of the file; throws TraceInputError when no format fits.
DetectedFormat detect_trace_format(const std::string& path);

// Opens `path` in `format` ("auto" detects it). Throws TraceInputError for an unknown format, a
// file that cannot be opened, or one no format fits.
std::unique_ptr<RequestReader> open_trace(const std::string& path, std::string_view format,
                                          const ReaderOptions& options);

}  // namespace blocksim
