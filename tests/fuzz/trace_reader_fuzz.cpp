// Fuzzes the blocksim trace reader (plain and gzip) with the summary built over what it reads.
// Any input must read or give a TraceFormatError, never a crash, a leak or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/trace/run_summary.hpp"
#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_reader.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const FuzzInputFile file(data, size);
  if (!file.ok())
    return 0;
  try {
    blocksim::TraceReader reader(file.path());
    blocksim::RunSummary summary;
    blocksim::proto::TraceRecord record;
    while (reader.next(&record))
      if (record.has_completion())
        summary.add(blocksim::from_proto(record.completion()));
  } catch (const blocksim::TraceFormatError&) {
  }
  return 0;
}
