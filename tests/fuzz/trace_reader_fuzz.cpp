// Fuzzes the blocksim trace reader (plain and gzip) with the summary built over what it reads.
// Any input must read or give a TraceFormatError, never a crash, a leak or a sanitizer report.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/trace/run_summary.hpp"
#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = ::memfd_create("trace", 0);
  if (fd < 0 || ::write(fd, data, size) != static_cast<ssize_t>(size)) {
    if (fd >= 0)
      ::close(fd);
    return 0;
  }
  try {
    blocksim::TraceReader reader("/proc/self/fd/" + std::to_string(fd));
    blocksim::RunSummary summary;
    blocksim::proto::TraceRecord record;
    while (reader.next(&record))
      if (record.has_completion())
        summary.add(blocksim::from_proto(record.completion()));
  } catch (const blocksim::TraceFormatError&) {
  }
  ::close(fd);
  return 0;
}
