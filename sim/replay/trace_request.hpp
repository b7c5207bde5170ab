// One request as a recorded trace gives it, in common units whatever the format: what every
// trace reader produces and the replay consumes. And the error a reader raises for input it cannot
// read, which names the file and the line.
#pragma once

#include <cstdint>
#include <string>

#include "sim/device/completion_record.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/trace/trace_reader.hpp"

namespace blocksim {

// The largest time a trace may give, in ns (about 73 years): sums and differences of a few such
// times stay inside 64 bits, so no reader or timing arithmetic can overflow.
inline constexpr SimTime kMaxTraceTime = SimTime{1} << 61;

// What interval a measured latency covers, so that it is compared with the same interval of the
// simulated request.
enum class MeasuredFrom : std::uint8_t {
  kSubmit,    // issue to completion as the host saw it (MSR ResponseTime, a blocksim trace)
  kDispatch,  // dispatch to the device until completion (blkparse D to C, DiskSim validate field 5)
};

struct TraceRequest {
  SimTime time = 0;             // arrival, ns from the trace's first request (may go backwards)
  std::uint64_t offset = 0;     // bytes
  std::uint64_t bytes = 0;      // 0 for a flush
  Op op = Op::kRead;            // read, write, flush or unmap
  MeasuredFrom measured_from = MeasuredFrom::kSubmit;
  std::uint32_t device = 0;     // index into the reader's device names
  SimTime measured = -1;        // the latency the trace recorded, ns; -1: none
  SimTime idle_after = -1;      // think time after completion before the next request (validate); -1: none
  std::uint64_t line = 0;       // line of the file (record number for binary traces)
};

// Input that cannot be read: "file:line: what". `recoverable` is false when reading cannot go on
// past it (a damaged gzip stream or binary record); a malformed text line is recoverable, and the
// reader resumes at the next line.
class TraceInputError : public TraceFormatError {
 public:
  TraceInputError(std::string file, std::uint64_t line, std::string reason, bool recoverable = true);

  const std::string& file() const { return file_; }
  std::uint64_t line() const { return line_; }
  const std::string& reason() const { return reason_; }
  bool recoverable() const { return recoverable_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::string reason_;
  bool recoverable_;
};

}  // namespace blocksim
