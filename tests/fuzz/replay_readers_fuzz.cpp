// Fuzzes the trace readers of the replay (every format, and detection) with the input as a trace
// file, plain or gzip. Any input must read, or give TraceInputError / TraceFormatError, never a
// crash, a hang, a leak or a sanitizer report; reading goes on past recoverable errors as
// --skip-bad does.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/replay/format_registry.hpp"

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
  const int fd = ::memfd_create("trace", 0);
  if (fd < 0 || ::write(fd, data, size) != static_cast<ssize_t>(size)) {
    if (fd >= 0)
      ::close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  read_all(path, "auto");
  for (const auto& format : blocksim::trace_formats())
    read_all(path, format.name);
  ::close(fd);
  return 0;
}
