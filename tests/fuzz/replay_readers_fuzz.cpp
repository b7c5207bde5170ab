// Fuzzes the trace readers of the replay (every format, and detection) with the input as a trace
// file, plain or gzip. Any input must read, or give TraceInputError / TraceFormatError, never a
// crash, a hang, a leak or a sanitizer report; reading goes on past recoverable errors as
// --skip-bad does.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/replay/format_registry.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

namespace {

void read_all(const std::string& path, std::string_view format) {
  constexpr int kErrorsTolerated = 64;
  int errors = 0;
  try {
    auto reader = blocksim::open_trace(path, format, {});
    blocksim::TraceRequest request;
    for (;;) {
      try {
        if (!reader->next(&request))
          return;
      } catch (const blocksim::TraceInputError& error) {
        if (!error.recoverable() || ++errors > kErrorsTolerated)
          return;
      }
    }
  } catch (const blocksim::TraceFormatError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const FuzzInputFile file(data, size);
  if (!file.ok())
    return 0;
  read_all(file.path(), "auto");
  for (const auto& format : blocksim::trace_formats())
    read_all(file.path(), format.name);
  return 0;
}
