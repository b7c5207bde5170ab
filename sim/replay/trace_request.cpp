#include "sim/replay/trace_request.hpp"

namespace blocksim {

namespace {
std::string where(const std::string& file, std::uint64_t line) {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}
}  // namespace

TraceInputError::TraceInputError(std::string file, std::uint64_t line, std::string reason, bool recoverable)
    : TraceFormatError(where(file, line) + ": " + reason),
      file_(std::move(file)),
      line_(line),
      reason_(std::move(reason)),
      recoverable_(recoverable) {}

}  // namespace blocksim
