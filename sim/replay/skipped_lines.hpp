// The lines a replay skipped under skip_bad (malformed, or parsed but not servable): the count,
// the first line numbers and the first messages, for the report. Never grows past its caps.
// read_request is the one loop that reads a trace past its bad lines.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/replay/request_reader.hpp"
#include "sim/replay/trace_request.hpp"

namespace blocksim {

class SkippedLines {
 public:
  static constexpr std::size_t kLinesKept = 10;
  static constexpr std::size_t kMessagesKept = 3;

  void add(const TraceInputError& error);
  std::uint64_t count() const { return count_; }
  const std::vector<std::uint64_t>& first_lines() const { return lines_; }

  // "skipped lines: 3 (lines 5, 17, 20)" and the first messages; nothing when none was skipped.
  void print(std::ostream& out) const;

 private:
  std::uint64_t count_ = 0;
  std::vector<std::uint64_t> lines_;
  std::vector<std::string> messages_;
};

// The reader's next request; false at the end of the trace. With `skip_bad` a malformed line is
// passed over (and added to `skipped`, when given); an error it may not pass over is thrown.
bool read_request(RequestReader& reader, TraceRequest* request, bool skip_bad, SkippedLines* skipped = nullptr);

}  // namespace blocksim
